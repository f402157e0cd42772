/* respawn — the kiosk's own parent process (respawn.h). */
#define _GNU_SOURCE /* pipe2 */
#include "respawn.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready_fd = -1; /* in a kiosk: the pipe's end to its parent, until respawn_ready */

void respawn_ready(void)
{
	if (ready_fd < 0)
		return;
	char b = 'R';
	ssize_t n;
	do
		n = write(ready_fd, &b, 1);
	while (n < 0 && errno == EINTR);
	close(ready_fd);
	ready_fd = -1;
}

/* The preloaded libraries, never closed: kept for the process's life, so the kiosks forked
 * later find them in place. */
static void *preloaded[RESPAWN_PRELOAD_MAX];

static void preload_libs(const char *list, FILE *err)
{
	char buf[1024];
	size_t n = 0;
	if (!list || !list[0])
		return;
	if (strlen(list) >= sizeof(buf)) {
		fprintf(err, "recaudo: respawn: the preload list is too long; nothing preloaded\n");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	char *save = NULL;
	for (char *name = strtok_r(buf, ":", &save); name; name = strtok_r(NULL, ":", &save)) {
		if (n == RESPAWN_PRELOAD_MAX) {
			fprintf(err,
				"recaudo: respawn: more than %d libraries to preload; %s and the rest not preloaded\n",
				RESPAWN_PRELOAD_MAX, name);
			return;
		}
		preloaded[n] = dlopen(name, RTLD_NOW | RTLD_LOCAL);
		if (preloaded[n]) {
			n++;
		} else {
			const char *why = dlerror();
			fprintf(err, "recaudo: respawn: %s not preloaded: %s\n", name,
				why ? why : "unknown reason");
		}
	}
}

/* A signal that means the kiosk crashed (or was killed outright), not that it was asked to go. */
static int crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGABRT ||
	       sig == SIGKILL || sig == SIGTRAP || sig == SIGSYS;
}

int respawn_run(const char *preload, int *is_parent, struct respawn_stats *st, FILE *err)
{
	*is_parent = 1;
	memset(st, 0, sizeof(*st));
	preload_libs(preload, err);
	/* a stop (SIGTERM from systemd to the whole unit, Ctrl+C, a hangup) is the kiosk's to
	 * handle: the parent waits for it to close its store and give the VT back, then exits
	 * with its code; it must not go first, as the session leader whose exit would hang up
	 * the kiosk's terminal under it */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	char self[24];
	snprintf(self, sizeof(self), "%ld", (long)getpid());
	for (;;) {
		int p[2];
		/* non-blocking: the parent reads it once the kiosk is gone, and never waits on it */
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
			fprintf(err, "recaudo: respawn: no pipe: %s\n", strerror(errno));
			return 1;
		}
		fflush(NULL); /* nothing buffered is written twice */
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(err, "recaudo: respawn: the kiosk could not be started: %s\n",
				strerror(errno));
			close(p[0]);
			close(p[1]);
			return 1;
		}
		if (pid == 0) {
			close(p[0]);
			ready_fd = p[1];
			*is_parent = 0;
			signal(SIGTERM, SIG_DFL); /* SDL turns them into a quit only when they are */
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			/* the service manager's watchdog was meant for this process's parent: libsystemd
			 * answers only the process named in WATCHDOG_PID, and the kiosk is the one that
			 * pings (NotifyAccess=all lets it) */
			const char *wd = getenv("WATCHDOG_PID");
			if (wd && !strcmp(wd, self)) {
				char me[24];
				snprintf(me, sizeof(me), "%ld", (long)getpid());
				setenv("WATCHDOG_PID", me, 1);
			}
			return 0;
		}
		st->starts++;
		close(p[1]);
		int status = 0;
		pid_t w;
		do
			w = waitpid(pid, &status, 0);
		while (w < 0 && errno == EINTR);
		char b;
		int was_ready = read(p[0], &b, 1) == 1;
		close(p[0]);
		if (w < 0) {
			fprintf(err, "recaudo: respawn: lost the kiosk: %s\n", strerror(errno));
			return 1;
		}
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		int sig = WTERMSIG(status);
		if (!crash_signal(sig) || !was_ready || st->crashes >= RESPAWN_MAX) {
			fprintf(err,
				"recaudo: the kiosk ended on signal %d (%s)%s; the service manager starts it again\n",
				sig, strsignal(sig),
				!crash_signal(sig) ? ""
				: !was_ready       ? " before its first frame"
						   : ", once more than this process restarts it");
			return 128 + sig;
		}
		st->crashes++;
		fprintf(err, "recaudo: the kiosk ended on signal %d (%s); started again at once (%d of %d)\n",
			sig, strsignal(sig), st->crashes, RESPAWN_MAX);
	}
}
