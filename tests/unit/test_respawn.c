/* test_respawn — the kiosk's own parent (app/respawn.h): run for real, with kiosks that exit,
 * crash before or after their first frame, or are asked to go. Each scenario runs respawn_run
 * in a process of its own (the "parent") and checks how it ended and what it counted. A kiosk
 * knows which one it is from the count its parent had when it forked it (st.starts: the
 * kiosks before it). Crashes are SIGKILL and SIGABRT (the sanitizers turn a SIGSEGV into an
 * exit of their own). */
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "respawn.h"

enum scenario {
	EXIT_7,             /* the kiosk exits 7 after its first frame */
	CRASH_ALWAYS,       /* every kiosk shows a frame, then is killed */
	CRASH_BEFORE_READY, /* killed before its first frame */
	TERM_AFTER_READY,   /* asked to go (SIGTERM) after its first frame */
	CRASH_THEN_EXIT_0,  /* the first aborts after its frame; the second exits 0 */
	PRELOAD,            /* exits 0 if libanl (linked by nothing here) is loaded, else 9 */
	WATCHDOG,           /* exits 0 if WATCHDOG_PID names this kiosk, 8 if not */
	STOP,               /* a stop: SIGTERM to the parent, then the kiosk exits 0 */
};

struct outcome {
	int status; /* the parent's wait status */
	struct respawn_stats st;
	char err[1024]; /* what the parent wrote on err */
};

static void die_of(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(100); /* not reached */
}

/* What kiosk number `n` (0: the first) does in each scenario; never returns. */
static void kiosk(enum scenario sc, int n)
{
	switch (sc) {
	case EXIT_7:
		respawn_ready();
		_exit(7);
	case CRASH_ALWAYS:
		respawn_ready();
		respawn_ready(); /* twice: the second does nothing */
		die_of(SIGKILL);
		break;
	case CRASH_BEFORE_READY:
		die_of(SIGKILL);
		break;
	case TERM_AFTER_READY:
		respawn_ready();
		die_of(SIGTERM);
		break;
	case CRASH_THEN_EXIT_0:
		respawn_ready();
		if (n == 0)
			die_of(SIGABRT);
		_exit(0);
	case WATCHDOG: {
		const char *wd = getenv("WATCHDOG_PID");
		_exit(wd && strtol(wd, NULL, 10) == (long)getpid() ? 0 : 8); /* checksrc: allow */
	}
	case STOP: {
		/* the kiosk has the stop signals at their defaults (SDL handles them only then) */
		int sigs[] = {SIGTERM, SIGINT, SIGHUP};
		for (int i = 0; i < 3; i++) {
			struct sigaction sa;
			if (sigaction(sigs[i], NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
				_exit(5);
		}
		respawn_ready();
		kill(getppid(), SIGTERM); /* what systemd sends the main process at a stop */
		usleep(200 * 1000);       /* the parent must still be there to collect this exit */
		_exit(0);
	}
	case PRELOAD:
		_exit(dlopen("libanl.so.1", RTLD_NOW | RTLD_NOLOAD) ? 0 : 9);
	}
	_exit(101);
}

static void run(enum scenario sc, const char *preload, struct outcome *o)
{
	int p[2];
	memset(o, 0, sizeof(*o));
	if (pipe(p) != 0) {
		perror("pipe");
		exit(1);
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (sc == WATCHDOG) { /* what systemd sets: the watchdog is the main process's */
			char me[24];
			snprintf(me, sizeof(me), "%ld", (long)getpid());
			setenv("WATCHDOG_PID", me, 1);
		}
		FILE *err = tmpfile();
		int parent = -1;
		struct respawn_stats st;
		int rc = respawn_run(preload, &parent, &st, err ? err : stderr);
		if (!parent)
			kiosk(sc, st.starts);
		struct outcome r;
		memset(&r, 0, sizeof(r));
		r.st = st;
		if (err) {
			rewind(err);
			size_t got = fread(r.err, 1, sizeof(r.err) - 1, err);
			r.err[got] = '\0';
		}
		if (write(p[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(102);
		_exit(rc);
	}
	close(p[1]);
	struct outcome r;
	ssize_t got = read(p[0], &r, sizeof(r));
	close(p[0]);
	waitpid(pid, &o->status, 0);
	if (got == (ssize_t)sizeof(r)) {
		o->st = r.st;
		memcpy(o->err, r.err, sizeof(o->err));
	} else {
		o->st.starts = -1;
	}
}

static int exited_with(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

int main(void)
{
	struct outcome o;

	/* an exit is the service manager's business: the parent ends with the same code */
	run(EXIT_7, NULL, &o);
	CHECK(exited_with(o.status, 7));
	CHECK_INT(o.st.starts, 1);
	CHECK_INT(o.st.crashes, 0);

	/* crashes after the first frame: RESPAWN_MAX new kiosks at once, then the parent ends as
	 * the last kiosk did, so the service manager starts a fresh process (a new layout) */
	run(CRASH_ALWAYS, NULL, &o);
	CHECK(exited_with(o.status, 128 + SIGKILL));
	CHECK_INT(o.st.starts, RESPAWN_MAX + 1);
	CHECK_INT(o.st.crashes, RESPAWN_MAX);
	CHECK(strstr(o.err, "started again at once (1 of 3)") != NULL);
	CHECK(strstr(o.err, "started again at once (3 of 3)") != NULL);
	CHECK(strstr(o.err, "once more than this process restarts it") != NULL);

	/* a kiosk that never showed a frame is not started again here: a crash loop at start is
	 * the service manager's (and the health gate's, which counts its restarts) */
	run(CRASH_BEFORE_READY, NULL, &o);
	CHECK(exited_with(o.status, 128 + SIGKILL));
	CHECK_INT(o.st.starts, 1);
	CHECK_INT(o.st.crashes, 0);
	CHECK(strstr(o.err, "before its first frame") != NULL);

	/* SIGTERM is a request to go, not a crash */
	run(TERM_AFTER_READY, NULL, &o);
	CHECK(exited_with(o.status, 128 + SIGTERM));
	CHECK_INT(o.st.starts, 1);
	CHECK_INT(o.st.crashes, 0);

	/* an abort, a new kiosk, and that one's exit is the parent's */
	run(CRASH_THEN_EXIT_0, NULL, &o);
	CHECK(exited_with(o.status, 0));
	CHECK_INT(o.st.starts, 2);
	CHECK_INT(o.st.crashes, 1);
	CHECK(strstr(o.err, "signal 6") != NULL);

	/* preloading: the kiosk finds the library loaded (and not without it); one that does not
	 * load is named and skipped */
	run(PRELOAD, NULL, &o);
	CHECK(exited_with(o.status, 9));
	run(PRELOAD, "libanl.so.1", &o);
	CHECK(exited_with(o.status, 0));
	CHECK_STR(o.err, "");
	run(PRELOAD, "/nonexistent/libnothing.so:libanl.so.1", &o);
	CHECK(exited_with(o.status, 0));
	CHECK_INT(o.st.starts, 1);
	CHECK(strstr(o.err, "/nonexistent/libnothing.so not preloaded") != NULL);
	/* a stop: the parent outlives the kiosk and ends with its code, 0 */
	run(STOP, NULL, &o);
	CHECK(exited_with(o.status, 0));
	CHECK_INT(o.st.starts, 1);

	/* the watchdog passes to the kiosk, whose main loop pings it */
	run(WATCHDOG, NULL, &o);
	CHECK(exited_with(o.status, 0));
	return check_done();
}
