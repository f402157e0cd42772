/* test_svcmgr — the kiosk and systemd (app/svcmgr.c) against a real notify socket: an AF_UNIX
 * datagram socket in a scratch directory named by NOTIFY_SOCKET, as systemd makes one. Checks:
 * nothing is sent (and nothing printed) without NOTIFY_SOCKET or in a headless run; no READY
 * before the first frame; then exactly one RECAUDO-READY line and one READY=1; STATUS= only
 * when it changes; WATCHDOG=1 on the first pass, then once a quarter of WATCHDOG_USEC has
 * passed and never more often; the loop's longest sleep at most half the interval;
 * WATCHDOG_PID of another process: no watchdog; and the rauc.slot= parser on sample kernel
 * command lines. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "svcmgr.h"
#include "tmpdir.h"

static int sock = -1;

/* The next datagram within ms, into buf; 0 when none came. */
static int recv_msg(char *buf, size_t n, int ms)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	if (poll(&p, 1, ms) <= 0)
		return 0;
	ssize_t got = recv(sock, buf, n - 1, 0);
	if (got < 0)
		return 0;
	buf[got] = '\0';
	return 1;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* What a tick wrote on stdout, through a memory stream. */
static char out_text[256];
static void tick(struct svcmgr *m, int shown, const char *status, const char *cmdline)
{
	memset(out_text, 0, sizeof out_text);
	FILE *f = fmemopen(out_text, sizeof out_text, "w");
	svcmgr_tick(m, shown, status, f, cmdline);
	fclose(f);
}

static void test_slot(void)
{
	static const struct {
		const char *cmdline, *want;
	} cases[] = {
		{"BOOT_IMAGE=/vmlinuz root=PARTLABEL=rootfs-a ro quiet rauc.slot=A\n", "A"},
		{"rauc.slot=B console=ttyS0", "B"},
		{"quiet rauc.slot=rootfs_1-x splash", "rootfs_1-x"},
		{"quiet splash", "none"},
		{"", "none"},
		{"rauc.slot=", "none"},
		{"rauc.slot=A;reboot", "none"},
		{"rauc.slot=../etc", "none"},
		{"rauc.slot=abcdefghijklmnopq", "none"},  /* 17 characters */
		{"rauc.slot=abcdefghijklmnop", "abcdefghijklmnop"},
		{"xrauc.slot=A", "none"},
		{"rauc.slot=A rauc.slot=B", "B"},         /* the last one, as the kernel's own */
		{"rauc.slot=A\trauc.slot=\xc3\xa9", "none"},
	};
	char out[SVCMGR_SLOT_MAX + 1];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		svcmgr_slot_parse(cases[i].cmdline, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
	/* a too small buffer is never overrun: "none" cut short rather than a half slot */
	char small[3];
	svcmgr_slot_parse("rauc.slot=ABCD", small, sizeof small);
	CHECK(strlen(small) < sizeof small && strcmp(small, "AB"));
}

int main(void)
{
	char dir[] = "/tmp/recaudo-svcmgr-XXXXXX", path[64], msg[512];
	struct svcmgr m;

	test_slot();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/notify", dir);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof sa) == 0);

	/* no NOTIFY_SOCKET: inactive, nothing printed, no limit on the loop's sleep */
	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "400000", 1);
	svcmgr_init(&m, 0);
	tick(&m, 1, "attract screen", "rauc.slot=A");
	CHECK(!m.active && out_text[0] == '\0' && svcmgr_wait_ms(&m) == -1);

	/* headless: inactive even with the socket set */
	setenv("NOTIFY_SOCKET", path, 1);
	svcmgr_init(&m, 1);
	tick(&m, 1, "attract screen", "rauc.slot=A");
	CHECK(!m.active && out_text[0] == '\0');
	CHECK(!recv_msg(msg, sizeof msg, 50));

	/* under systemd with a 400 ms watchdog for this process */
	char pid[24];
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	svcmgr_init(&m, 0);
	CHECK(m.active && m.wd_period_ms == 100);
	CHECK(svcmgr_wait_ms(&m) <= 1); /* the first pass pings at once */
	/* before the first frame: the status and the first ping, no READY, no line */
	tick(&m, 0, "attract screen", "quiet rauc.slot=B");
	CHECK(out_text[0] == '\0');
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "STATUS=attract screen");
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "WATCHDOG=1");
	CHECK(!recv_msg(msg, sizeof msg, 20));
	int w = svcmgr_wait_ms(&m);
	CHECK(w > 0 && w <= 101);
	/* the first frame: the line once, READY=1 once */
	tick(&m, 1, "attract screen", "quiet rauc.slot=B");
	CHECK_STR(out_text, "RECAUDO-READY slot=B\n");
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "READY=1");
	tick(&m, 1, "attract screen", "quiet rauc.slot=B");
	CHECK(out_text[0] == '\0');
	CHECK(!recv_msg(msg, sizeof msg, 20)); /* the same status is not sent again */
	tick(&m, 0, "maintenance", NULL);
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "STATUS=maintenance");
	/* the watchdog: due after the period, then not again at once */
	sleep_ms(120);
	CHECK(svcmgr_wait_ms(&m) == 0);
	tick(&m, 0, "maintenance", NULL);
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "WATCHDOG=1");
	tick(&m, 0, "maintenance", NULL);
	CHECK(!recv_msg(msg, sizeof msg, 20));
	w = svcmgr_wait_ms(&m);
	CHECK(w > 0 && w <= 101);
	/* a loop that sleeps as told pings every period: 1 s gives about 10, at least 5 */
	int pings = 0, other = 0;
	for (int64_t i = 0; i < 10; i++) {
		sleep_ms(svcmgr_wait_ms(&m));
		tick(&m, 0, "maintenance", NULL);
		while (recv_msg(msg, sizeof msg, 0))
			pings += !strcmp(msg, "WATCHDOG=1"), other += !!strcmp(msg, "WATCHDOG=1");
	}
	CHECK(pings >= 5 && other == 0);
	svcmgr_stopping(&m);
	CHECK(recv_msg(msg, sizeof msg, 200));
	CHECK_STR(msg, "STOPPING=1");

	/* the watchdog meant for another process (WATCHDOG_PID): READY and STATUS, no pings */
	setenv("WATCHDOG_PID", "1", 1);
	svcmgr_init(&m, 0);
	CHECK(m.active && m.wd_period_ms == 0 && svcmgr_wait_ms(&m) == -1);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	unsetenv("NOTIFY_SOCKET");

	close(sock);
	tmpdir_remove(dir);
	return check_done();
}
