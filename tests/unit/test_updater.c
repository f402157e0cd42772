/* test_updater — the kiosk's side of the software update helper (drivers/updater.c,
 * docs/update-helper.md) against a fake helper on a Unix socket in a scratch directory: the
 * listing's lines parsed (bundles newer, same, older, refused; the running version), names and
 * versions outside the helper's characters refused, an answer that is not the protocol's (or
 * more bundles than the bound, or no last line) FAILED, a silent helper bounded by the timeout,
 * no listener "no helper"; an install's request line as sent, its phases in order with the
 * version, every last line mapped to its result, lines split across writes reassembled, and a
 * name that is not a bundle's never sent. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "updater.h"

static char dir[48], sock[80];

/* the fake helper: one connection, reads a line into got, writes answer in pieces of `chunk`
 * bytes 20 ms apart (0: at once), or stays silent for silence_ms */
struct fake {
	int lfd;
	const char *answer;
	size_t chunk;
	int silence_ms;
	char got[128];
};

static void *serve(void *arg)
{
	struct fake *f = arg;
	int c = accept(f->lfd, NULL, NULL);
	if (c < 0)
		return NULL;
	size_t n = 0;
	while (n < sizeof(f->got) - 1) {
		ssize_t r = read(c, f->got + n, 1);
		if (r <= 0 || f->got[n] == '\n')
			break;
		n++;
	}
	f->got[n] = 0;
	if (f->answer) {
		size_t len = strlen(f->answer), step = f->chunk ? f->chunk : len;
		for (size_t off = 0; off < len; off += step) {
			(void)!send(c, f->answer + off, off + step > len ? len - off : step, MSG_NOSIGNAL);
			if (f->chunk)
				usleep(20 * 1000);
		}
	} else if (f->silence_ms) {
		usleep((useconds_t)f->silence_ms * 1000);
	}
	close(c);
	return NULL;
}

static int listen_at(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -1;
	return fd;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct fake fake;
static pthread_t fake_thread;

static int fake_start(const char *answer, size_t chunk, int silence_ms)
{
	memset(&fake, 0, sizeof(fake));
	fake.lfd = listen_at(sock);
	fake.answer = answer;
	fake.chunk = chunk;
	fake.silence_ms = silence_ms;
	return fake.lfd >= 0 && pthread_create(&fake_thread, NULL, serve, &fake) == 0 ? 0 : -1;
}

static void fake_stop(void)
{
	pthread_join(fake_thread, NULL);
	close(fake.lfd);
	unlink(sock);
}

static void test_parse(void)
{
	struct updater_bundle b;
	CHECK_INT(updater_parse_bundle("bundle recaudo-2.0.0.raucb 2.0.0 newer", &b), 0);
	CHECK_STR(b.name, "recaudo-2.0.0.raucb");
	CHECK_STR(b.version, "2.0.0");
	CHECK_INT(b.rel, UPDATER_NEWER);
	CHECK_INT(updater_parse_bundle("bundle a.raucb 1:1.0~rc1+b2 same", &b), 0);
	CHECK_INT(b.rel, UPDATER_SAME);
	CHECK_INT(updater_parse_bundle("bundle a.raucb 0.9 older", &b), 0);
	CHECK_INT(b.rel, UPDATER_OLDER);
	CHECK_INT(updater_parse_bundle("bundle a.raucb 2.0_rc1 unknown", &b), 0);
	CHECK_INT(b.rel, UPDATER_UNKNOWN);
	CHECK_STR(b.version, "2.0_rc1");
	CHECK_INT(updater_parse_bundle("bad broken.raucb", &b), 0);
	CHECK_INT(b.rel, UPDATER_BAD);
	CHECK_STR(b.name, "broken.raucb");
	CHECK_STR(b.version, "");
	const char *bad[] = {"",
			     "bundle",
			     "bundle a.raucb",
			     "bundle a.raucb 1.0",
			     "bundle a.raucb 1.0 newest",
			     "bundle a.raucb 1.0 newer x",
			     "bundle a.tar 1.0 newer",
			     "bundle ../a.raucb 1.0 newer",
			     "bundle .a.raucb 1.0 newer",
			     "bundle a.raucb 1.0;rm newer",
			     "bundle a.raucb  newer",
			     "bad",
			     "bad a.raucb extra",
			     "bad a/b.raucb",
			     "BUNDLE a.raucb 1.0 newer",
			     "bundle a.raucb 012345678901234567890123456789012 newer"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int rc = updater_parse_bundle(bad[i], &b);
		CHECK_INT(rc, -1);
		if (rc != -1)
			printf("  (accepted: \"%s\")\n", bad[i]);
	}
	CHECK_INT(updater_name_ok("recaudo-1.1.0+fix_2.raucb"), 1);
	CHECK_INT(updater_name_ok(".raucb"), 0);
	CHECK_INT(updater_name_ok("a b.raucb"), 0);
	CHECK_INT(updater_name_ok("acción.raucb"), 0);
	CHECK_INT(updater_name_ok("a.raucb.txt"), 0);
	char longname[80];
	memset(longname, 'a', 59);
	snprintf(longname + 59, sizeof(longname) - 59, ".raucb");
	CHECK_INT(updater_name_ok(longname), 0); /* 65 characters: over the helper's 64 */
	longname[0] = 0;
	memset(longname, 'a', 58);
	snprintf(longname + 58, sizeof(longname) - 58, ".raucb");
	CHECK_INT(updater_name_ok(longname), 1);
	CHECK_INT(updater_version_ok("2.0.0"), 1);
	CHECK_INT(updater_version_ok("2.0 0"), 0);
	CHECK_INT(updater_version_ok(""), 0);
}

static void test_list(void)
{
	struct updater_list l;
	CHECK_INT(fake_start("bundle new.raucb 2.0.0 newer\nbad broken.raucb\nbundle old.raucb 0.9.0 older\n"
			     "ok running 1.0.0\n",
			     0, 0),
		  0);
	CHECK_INT(updater_list(sock, 2000, &l), 0);
	fake_stop();
	CHECK_STR(fake.got, "list");
	CHECK_INT(l.res, UPDATER_DONE);
	CHECK_INT(l.n, 3);
	CHECK_STR(l.b[0].name, "new.raucb");
	CHECK_INT(l.b[1].rel, UPDATER_BAD);
	CHECK_STR(l.b[2].version, "0.9.0");
	CHECK_STR(l.running, "1.0.0");

	/* the same answer a few bytes at a time */
	CHECK_INT(fake_start("bundle new.raucb 2.0.0 newer\nok running -\n", 7, 0), 0);
	CHECK_INT(updater_list(sock, 3000, &l), 0);
	fake_stop();
	CHECK_INT(l.n, 1);
	CHECK_STR(l.running, "-");

	/* an empty stick */
	CHECK_INT(fake_start("ok running 1.0.0\n", 0, 0), 0);
	CHECK_INT(updater_list(sock, 2000, &l), 0);
	fake_stop();
	CHECK_INT(l.n, 0);

	/* not the protocol: a bad line, no last line, a bad running version, too many bundles */
	const char *bad[] = {"bundle x newer\nok running 1.0\n", "bundle a.raucb 1.0 newer\n",
			     "ok running 1 0\n", "error request\n", NULL};
	char many[2048] = "";
	size_t used = 0;
	for (int i = 0; i <= UPDATER_MAX; i++)
		used += (size_t)snprintf(many + used, sizeof(many) - used, "bundle b%d.raucb 1.%d newer\n", i,
					 i);
	snprintf(many + used, sizeof(many) - used, "ok running 1.0\n");
	bad[4] = many;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK_INT(fake_start(bad[i], 0, 0), 0);
		CHECK_INT(updater_list(sock, 2000, &l), -1);
		fake_stop();
		CHECK_INT(l.res, UPDATER_FAILED);
		CHECK_INT(l.n, 0);
	}

	/* a helper that says nothing: given up at the timeout, not later */
	CHECK_INT(fake_start(NULL, 0, 1500), 0);
	int64_t t0 = now_ms();
	CHECK_INT(updater_list(sock, 300, &l), -1);
	int64_t took = now_ms() - t0;
	fake_stop();
	CHECK_INT(l.res, UPDATER_FAILED);
	CHECK(took >= 250 && took < 1200);

	/* nobody there: no helper (not the kiosk image), not a failure to show */
	CHECK_INT(updater_list(sock, 300, &l), -1);
	CHECK_INT(l.res, UPDATER_NO_HELPER);
	CHECK_INT(updater_list("", 300, &l), -1);
	CHECK_INT(l.res, UPDATER_NO_HELPER);
}

static char phases[128];
static void on_phase(void *ctx, enum updater_phase ph, const char *version)
{
	(void)ctx;
	size_t used = strlen(phases);
	snprintf(phases + used, sizeof(phases) - used, "%s%s%s", used ? " " : "",
		 ph == UPDATER_CHECKED   ? "checked:"
		 : ph == UPDATER_WAITING ? "waiting:"
					 : "installing:",
		 version);
}

static void test_install(void)
{
	struct updater_install u;
	phases[0] = 0;
	CHECK_INT(fake_start("state version 2.0.0\nstate waiting\nstate installing\nok rebooting 2.0.0\n", 5,
			     0),
		  0);
	CHECK_INT(updater_install(sock, "recaudo-2.0.0.raucb", 900, 0, 5000, on_phase, NULL, &u), 0);
	fake_stop();
	CHECK_STR(fake.got, "install recaudo-2.0.0.raucb 900");
	CHECK_INT(u.res, UPDATER_DONE);
	CHECK_STR(u.version, "2.0.0");
	CHECK_STR(phases, "checked:2.0.0 waiting:2.0.0 installing:2.0.0");

	CHECK_INT(fake_start("state version 0.9.0\nstate installing\nok rebooting 0.9.0\n", 0, 0), 0);
	CHECK_INT(updater_install(sock, "old.raucb", 0, 1, 2000, NULL, NULL, &u), 0);
	fake_stop();
	CHECK_STR(fake.got, "install old.raucb 0 force");

	const struct {
		const char *answer;
		enum updater_result res;
	} ends[] = {
		{"error refused\n", UPDATER_REFUSED},
		{"state version 2.0.0\nstate waiting\nerror money\n", UPDATER_MONEY},
		{"state version 2.0.0\nerror wait\n", UPDATER_WAIT},
		{"error bundle\n", UPDATER_BUNDLE},
		{"state version 2.0.0\nstate installing\nerror install\n", UPDATER_INSTALL},
		{"error busy\n", UPDATER_BUSY},
		{"error request\n", UPDATER_FAILED},
		{"state version 2.0.0\nstate installing\n", UPDATER_FAILED}, /* closed: no last line */
		{"state versions 2.0.0\nok rebooting 2.0.0\n", UPDATER_FAILED},
		{"ok rebooting 2 0\n", UPDATER_FAILED},
		{"ok\n", UPDATER_FAILED},
	};
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		CHECK_INT(fake_start(ends[i].answer, 0, 0), 0);
		CHECK_INT(updater_install(sock, "a.raucb", 60, 0, 2000, NULL, NULL, &u), -1);
		fake_stop();
		CHECK_INT(u.res, ends[i].res);
		if (u.res != ends[i].res)
			printf("  (answer \"%s\")\n", ends[i].answer);
	}
	/* never sent: not a bundle's name, a wait out of bounds */
	const char *names[] = {"../a.raucb", "a.tar", "a b.raucb", ""};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		CHECK_INT(updater_install(sock, names[i], 60, 0, 300, NULL, NULL, &u), -1);
		CHECK_INT(u.res, UPDATER_FAILED);
		CHECK_INT(u.err, EINVAL);
	}
	CHECK_INT(updater_install(sock, "a.raucb", 3601, 0, 300, NULL, NULL, &u), -1);
	CHECK_INT(u.err, EINVAL);
	CHECK_INT(updater_install(sock, "a.raucb", 60, 0, 300, NULL, NULL, &u), -1);
	CHECK_INT(u.res, UPDATER_NO_HELPER);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_updater-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(sock, sizeof(sock), "%s/update.sock", dir);
	test_parse();
	test_list();
	test_install();
	tmpdir_remove(dir);
	return check_done();
}
