/* test_usbmedia — the kiosk's side of the USB stick helper (drivers/usbmedia.c,
 * docs/usb-media.md) against a fake helper on a Unix socket in a scratch directory: every
 * answer of the protocol parsed (a label with spaces kept, the type without), answers that are
 * not the protocol's refused as FAILED, the request line as sent, no listener taken as "no
 * helper" (not an error to show), a helper that never answers or hangs up without a newline
 * bounded by the timeout, and the eject that does not wait delivered all the same. Also
 * maint_media's words for each answer (Spanish and English), with no helper configured never
 * asking at all. */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "i18n.h"
#include "maint_media.h"
#include "tmpdir.h"
#include "usbmedia.h"

static char dir[48], sock[80];

/* the fake helper: accepts one connection, reads a line into got, answers `answer` (as is:
 * the test writes the newline), or nothing and waits `silence_ms` before closing */
struct fake {
	int lfd;
	const char *answer;
	int silence_ms;
	int split; /* the answer in two writes, 100 ms apart */
	char got[64];
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
	if (f->answer && f->split) {
		size_t half = strlen(f->answer) / 2;
		(void)!send(c, f->answer, half, MSG_NOSIGNAL);
		usleep(100 * 1000);
		(void)!send(c, f->answer + half, strlen(f->answer) - half, MSG_NOSIGNAL);
	} else if (f->answer)
		(void)!send(c, f->answer, strlen(f->answer), MSG_NOSIGNAL);
	else if (f->silence_ms)
		usleep((useconds_t)f->silence_ms * 1000);
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

static int64_t now_ms(void);
static int64_t request_ms; /* how long the last ask's usbmedia_request took */
static int split_next;     /* the next ask's fake answers in two writes */

/* one request to a fake answering `answer`; the reply in *r, the request line in got */
static int ask(const char *cmd, const char *answer, int silence_ms, int timeout_ms, struct usbmedia_reply *r,
	       char *got)
{
	struct fake f = {.lfd = listen_at(sock), .answer = answer, .silence_ms = silence_ms, .split = split_next};
	pthread_t t;
	split_next = 0;
	if (f.lfd < 0 || pthread_create(&t, NULL, serve, &f))
		return -99;
	int64_t t0 = now_ms();
	int rc = usbmedia_request(sock, cmd, timeout_ms, r);
	request_ms = now_ms() - t0;
	pthread_join(t, NULL);
	close(f.lfd);
	if (got)
		snprintf(got, 64, "%s", f.got);
	return rc;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_parse(void)
{
	struct usbmedia_reply r;
	CHECK_INT(usbmedia_parse("ok mounted vfat KINGSTON 16", &r), 0);
	CHECK_INT(r.st, USBMEDIA_MOUNTED);
	CHECK_STR(r.fstype, "vfat");
	CHECK_STR(r.label, "KINGSTON 16");
	CHECK_INT(usbmedia_parse("ok mounted exfat -", &r), 0);
	CHECK_STR(r.label, "-");
	CHECK_INT(usbmedia_parse("ok none", &r), 0);
	CHECK_INT(r.st, USBMEDIA_NONE);
	CHECK_INT(usbmedia_parse("ok ejected", &r), 0);
	CHECK_INT(r.st, USBMEDIA_EJECTED);
	CHECK_INT(usbmedia_parse("error no-device", &r), 0);
	CHECK_INT(r.st, USBMEDIA_NO_DEVICE);
	CHECK_INT(usbmedia_parse("error fstype ntfs", &r), 0);
	CHECK_INT(r.st, USBMEDIA_FSTYPE);
	CHECK_STR(r.fstype, "ntfs");
	CHECK_INT(usbmedia_parse("error busy", &r), 0);
	CHECK_INT(r.st, USBMEDIA_BUSY);
	CHECK_INT(usbmedia_parse("error mount", &r), 0);
	CHECK_INT(r.st, USBMEDIA_FAILED);
	/* not the protocol: refused, FAILED */
	const char *bad[] = {"", "ok", "ok mounted", "ok mounted vfat", "ok mounted  X", "OK none",
			     "ok none ", "error fstype", "error fstype a b", "error what",
			     "ok mounted vfat bad\tlabel", "ok mounted vfat \x80\x81",
			     "ok mounted averyveryveryveryveryverylongtypename X",
			     "ok mounted vfat 0123456789012345678901234567890123456789x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		r.st = USBMEDIA_MOUNTED;
		int rc = usbmedia_parse(bad[i], &r);
		CHECK_INT(rc, -1);
		CHECK_INT(r.st, USBMEDIA_FAILED);
		if (rc != -1)
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
	}
}

static void test_requests(void)
{
	struct usbmedia_reply r;
	char got[64];
	CHECK_INT(ask("mount", "ok mounted vfat TECNICO\n", 0, 2000, &r, got), 0);
	CHECK_STR(got, "mount");
	CHECK_INT(r.st, USBMEDIA_MOUNTED);
	CHECK_STR(r.label, "TECNICO");
	CHECK_STR(r.cmd, "mount");
	/* an answer that arrives in two pieces is read whole */
	split_next = 1;
	CHECK_INT(ask("status", "ok mounted exfat MY STICK\n", 0, 2000, &r, got), 0);
	CHECK_INT(r.st, USBMEDIA_MOUNTED);
	CHECK_STR(r.fstype, "exfat");
	CHECK_STR(r.label, "MY STICK");
	CHECK_INT(ask("eject", "ok ejected\n", 0, 2000, &r, got), 0);
	CHECK_STR(got, "eject");
	CHECK_INT(r.st, USBMEDIA_EJECTED);
	CHECK_INT(ask("mount", "error fstype ntfs\n", 0, 2000, &r, got), 0);
	CHECK_INT(r.st, USBMEDIA_FSTYPE);
	/* garbage, a hang-up without a newline, silence past the timeout: FAILED, bounded */
	CHECK_INT(ask("mount", "hello there\n", 0, 2000, &r, got), -1);
	CHECK_INT(r.st, USBMEDIA_FAILED);
	CHECK_INT(ask("mount", "ok mounted vfat X", 0, 2000, &r, got), -1);
	CHECK_INT(r.st, USBMEDIA_FAILED);
	CHECK_INT(ask("status", NULL, 1500, 300, &r, got), -1);
	CHECK_INT(r.st, USBMEDIA_FAILED);
	CHECK(request_ms >= 250 && request_ms < 1000); /* gave up at its timeout, not at the close */
	CHECK_STR(got, "status");
	/* nobody there: no helper, not an error */
	unlink(sock);
	CHECK_INT(usbmedia_request(sock, "mount", 500, &r), -1);
	CHECK_INT(r.st, USBMEDIA_NO_HELPER);
	CHECK_INT(usbmedia_request("", "mount", 500, &r), -1);
	CHECK_INT(r.st, USBMEDIA_NO_HELPER);
	CHECK_INT(usbmedia_eject_nowait(sock), -1);
	/* the eject that does not wait arrives */
	struct fake f = {.lfd = listen_at(sock), .answer = "ok ejected\n"};
	pthread_t t;
	CHECK(f.lfd >= 0 && pthread_create(&t, NULL, serve, &f) == 0);
	CHECK_INT(usbmedia_eject_nowait(sock), 0);
	pthread_join(t, NULL);
	close(f.lfd);
	CHECK_STR(f.got, "eject");
}

static void test_words(void)
{
	struct config cfg;
	config_defaults(&cfg);
	struct usbmedia_reply r;
	char m[200];
	CHECK_STR(cfg.usb_helper, "/run/recaudo-media.sock");
	/* no helper configured: not even asked (a helper listens at the default's place here) */
	int lfd = listen_at(sock);
	CHECK(lfd >= 0);
	snprintf(cfg.usb_helper, sizeof(cfg.usb_helper), "%s", "");
	maint_media_mount(&cfg, &r);
	CHECK_INT(r.st, USBMEDIA_NO_HELPER);
	struct pollfd pfd = {.fd = lfd, .events = POLLIN};
	CHECK_INT(poll(&pfd, 1, 100), 0); /* nobody connected */
	close(lfd);
	CHECK(!maint_media_unusable(&r));
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "");

	i18n_set(LANG_ES);
	usbmedia_parse("ok mounted vfat TECNICO", &r);
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "Memoria USB «TECNICO» (vfat)");
	CHECK(!maint_media_unusable(&r));
	usbmedia_parse("ok mounted exfat -", &r);
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "Memoria USB sin nombre (exfat)");
	usbmedia_parse("error fstype ntfs", &r);
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "La memoria USB tiene formato ntfs: use una con FAT32 o exFAT.");
	CHECK(maint_media_unusable(&r));
	usbmedia_parse("error fstype -", &r);
	maint_media_text(m, sizeof(m), &r);
	CHECK(strstr(m, "no tiene un formato") != NULL);
	usbmedia_parse("error no-device", &r);
	CHECK(maint_media_unusable(&r));
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "No hay una memoria USB conectada.");
	usbmedia_parse("error busy", &r);
	snprintf(r.cmd, sizeof(r.cmd), "eject"); /* a file open on the stick */
	maint_media_text(m, sizeof(m), &r);
	CHECK(strstr(m, "en uso") != NULL);
	snprintf(r.cmd, sizeof(r.cmd), "mount"); /* the helper busy with another request */
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "La memoria USB está ocupada con otra tarea: inténtelo de nuevo en un momento.");
	CHECK(maint_media_unusable(&r));
	usbmedia_parse("ok ejected", &r);
	CHECK(!maint_media_unusable(&r));
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "Memoria USB expulsada: ya puede retirarla.");
	i18n_set(LANG_EN);
	maint_media_text(m, sizeof(m), &r);
	CHECK_STR(m, "USB memory ejected: you can remove it now.");
	i18n_set(LANG_ES);

	/* a configured helper is asked: the fake's answer comes back through maint_media */
	snprintf(cfg.usb_helper, sizeof(cfg.usb_helper), "%s", sock);
	struct fake f = {.lfd = listen_at(sock), .answer = "error no-device\n"};
	pthread_t t;
	CHECK(f.lfd >= 0 && pthread_create(&t, NULL, serve, &f) == 0);
	maint_media_mount(&cfg, &r);
	pthread_join(t, NULL);
	close(f.lfd);
	CHECK_STR(f.got, "mount");
	CHECK_INT(r.st, USBMEDIA_NO_DEVICE);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_usbmedia-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(sock, sizeof(sock), "%s/media.sock", dir);
	test_parse();
	test_requests();
	test_words();
	tmpdir_remove(dir);
	return check_done();
}
