/* Transports end to end: the real serial backend against tools/fake-printer on a pty, the usb
 * backend on a regular file and on the same pty, the tcp backend against a small server run
 * by this test on 127.0.0.1 (port 0). Every helper is started and stopped here (the fake
 * printer also dies with the test), temporary files go to a mkdtemp directory.
 * TEST_KEEP=1 keeps that directory (the fake printer's recordings) and prints its path. */
#include "check.h"
#include "printer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[64], fakebin[PATH_MAX], link_path[128], path_file[128];
static pid_t fake_pid;
static uint8_t job_all[600]; /* every byte value, LF and CR, XON and XOFF included */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* ---- the fake printer ---- */

static void fake_stop(void)
{
	int status;

	if (fake_pid <= 0)
		return;
	kill(fake_pid, SIGTERM);
	waitpid(fake_pid, &status, 0);
	fake_pid = 0;
}

/* Starts tools/fake-printer recording to tmpdir/<rec>, with extra options; returns 0 once
 * its pty is there (the --link points at it). */
static int fake_start(const char *rec, const char *opt1, const char *opt2)
{
	char recpath[160];
	char *argv[12];
	int n = 0;
	struct stat st;

	snprintf(recpath, sizeof recpath, "%s/%s", tmpdir, rec);
	unlink(path_file);
	argv[n++] = fakebin;
	argv[n++] = "--path-file";
	argv[n++] = path_file;
	argv[n++] = "--link";
	argv[n++] = link_path;
	argv[n++] = "--record";
	argv[n++] = recpath;
	if (opt1)
		argv[n++] = (char *)opt1;
	if (opt2)
		argv[n++] = (char *)opt2;
	argv[n] = NULL;
	fake_pid = fork();
	if (fake_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(fakebin, argv);
		_exit(127);
	}
	if (fake_pid < 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		int status;

		if (stat(path_file, &st) == 0)
			return 0;
		if (waitpid(fake_pid, &status, WNOHANG) == fake_pid) {
			fake_pid = 0;
			return -1;
		}
		nap_ms(10);
	}
	fake_stop();
	return -1;
}

/* A whole file into buf (at most n bytes); its length, or -1. */
static long slurp(const char *path, uint8_t *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	close(fd);
	return (long)got;
}

static long record(const char *rec, uint8_t *buf, size_t n)
{
	char path[160];

	snprintf(path, sizeof path, "%s/%s", tmpdir, rec);
	return slurp(path, buf, n);
}

/* 1 if buf[0..n) is nothing but DLE EOT 1..4 queries. */
static int only_queries(const uint8_t *b, size_t n)
{
	if (n % 3)
		return 0;
	for (size_t i = 0; i < n; i += 3)
		if (b[i] != 0x10 || b[i + 1] != 0x04 || b[i + 2] < 1 || b[i + 2] > 4)
			return 0;
	return 1;
}

/* 1 if the stream is queries, then exactly the job, then queries. */
static int job_in(const uint8_t *rec, long n, const uint8_t *job, size_t len)
{
	for (long i = 0; n >= 0 && i + (long)len <= n; i += 3) {
		if (!only_queries(rec, (size_t)i))
			return 0;
		if (memcmp(rec + i, job, len) == 0)
			return only_queries(rec + i + len, (size_t)n - (size_t)i - len);
	}
	return 0;
}

static struct printer *open_or_null(const char *name, const char *target)
{
	struct printer *p = NULL;
	char err[200];

	if (printer_open(&p, name, target, 576, err, sizeof err) < 0)
		fprintf(stderr, "%s %s: %s\n", name, target, err);
	CHECK(p != NULL);
	return p;
}

/* Status of a serial printer on a fake printer started with one option. */
static enum printer_state serial_state_with(const char *opt1, const char *opt2, int *job_rc)
{
	static uint8_t rec[4096];
	char target[160];
	struct printer *p;
	struct printer_status st = {.state = PRINTER_ERROR};
	long n;

	if (fake_start("state.rec", opt1, opt2) < 0) {
		CHECK(!"fake printer started");
		return PRINTER_ERROR;
	}
	snprintf(target, sizeof target, "%s:19200:none", link_path);
	p = open_or_null("serial", target);
	if (p) {
		CHECK_INT(printer_status(p, &st, 0), 0);
		*job_rc = printer_job(p, "state", job_all, sizeof job_all);
		printer_close(p);
	}
	fake_stop();
	n = record("state.rec", rec, sizeof rec);
	/* refused jobs leave only the status queries on the wire */
	if (*job_rc == PRINTER_ERR_NOT_READY)
		CHECK(n > 0 && only_queries(rec, (size_t)n));
	return st.state;
}

static void check_termios(const char *dev, speed_t speed, int rtscts, int xon)
{
	struct termios tio;
	int fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(tcgetattr(fd, &tio), 0);
	CHECK(cfgetospeed(&tio) == speed);
	CHECK((tio.c_cflag & CSIZE) == CS8);
	CHECK((tio.c_cflag & (PARENB | CSTOPB)) == 0);
	CHECK(tio.c_cflag & CLOCAL);
	CHECK(!(tio.c_lflag & (ICANON | ECHO | ISIG)));
	CHECK(!(tio.c_oflag & OPOST));
	CHECK(!!(tio.c_cflag & CRTSCTS) == rtscts);
	CHECK(!!(tio.c_iflag & IXON) == xon);
	close(fd);
}

static void test_serial(void)
{
	static uint8_t rec[1 << 16];
	struct printer_status st;
	struct printer *p;
	char target[160];
	long n;
	int rc;
	int64_t t0;

	/* a ready printer: the job arrives byte for byte, nothing translated */
	if (fake_start("ready.rec", NULL, NULL) < 0) {
		CHECK(!"fake printer started");
		return;
	}
	snprintf(target, sizeof target, "%s:19200:none", link_path);
	p = open_or_null("serial", target);
	if (!p)
		return;
	CHECK_STR(printer_backend(p), "serial");
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "");
	check_termios(link_path, B19200, 0, 0);
	CHECK_INT(printer_job(p, "ready", job_all, sizeof job_all), 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_READY);
	n = record("ready.rec", rec, sizeof rec);
	CHECK(job_in(rec, n, job_all, sizeof job_all));
	printer_close(p);

	/* other speeds and flow controls reach the line */
	snprintf(target, sizeof target, "%s:115200:rtscts", link_path);
	p = open_or_null("serial", target);
	if (p) {
		CHECK_INT(printer_job(p, "fast", job_all, 10), 0);
		check_termios(link_path, B115200, 1, 0);
		printer_close(p);
	}
	snprintf(target, sizeof target, "%s:9600:xonxoff", link_path);
	p = open_or_null("serial", target);
	if (p) {
		CHECK_INT(printer_status(p, &st, 0), 0);
		check_termios(link_path, B9600, 0, 1);
		printer_close(p);
	}

	/* unplugged: the next job is OFFLINE with a clear reason; back, and it prints again */
	snprintf(target, sizeof target, "%s", link_path); /* 19200, no flow control by default */
	p = open_or_null("serial", target);
	if (!p)
		return;
	CHECK_INT(printer_job(p, "before", job_all, 20), 0);
	fake_stop();
	rc = printer_job(p, "unplugged", job_all, 20);
	CHECK_INT(rc, PRINTER_ERR_OFFLINE);
	{
		char want[240];

		snprintf(want, sizeof want, "impresora desconectada: %s: No such file or directory",
			 link_path);
		CHECK_STR(printer_error(p), want);
	}
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK_INT(printer_status(p, &st, 0), PRINTER_ERR_OFFLINE);
	if (fake_start("back.rec", NULL, NULL) == 0) {
		CHECK_INT(printer_job(p, "back", job_all, sizeof job_all), 0);
		printer_last_status(p, &st);
		CHECK_INT(st.state, PRINTER_READY);
		n = record("back.rec", rec, sizeof rec);
		CHECK(job_in(rec, n, job_all, sizeof job_all));
		/* pulled while the handle is idle: found at the next call, not before */
		fake_stop();
		CHECK_INT(printer_status(p, &st, 0), PRINTER_ERR_OFFLINE);
	}
	printer_close(p);

	/* each state as the printer reports it */
	CHECK_INT(serial_state_with("--paper", "near", &rc), PRINTER_PAPER_NEAR_END);
	CHECK_INT(rc, 0); /* near end still prints */
	CHECK_INT(serial_state_with("--paper", "out", &rc), PRINTER_PAPER_OUT);
	CHECK_INT(rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(serial_state_with("--cover", "open", &rc), PRINTER_COVER_OPEN);
	CHECK_INT(rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(serial_state_with("--offline", NULL, &rc), PRINTER_OFFLINE);
	CHECK_INT(rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(serial_state_with("--error", NULL, &rc), PRINTER_ERROR);
	CHECK_INT(rc, PRINTER_ERR_NOT_READY);
	CHECK_INT(serial_state_with("--garbage", NULL, &rc), PRINTER_ERROR); /* never "ready" */
	CHECK_INT(rc, PRINTER_ERR_NOT_READY);

	/* paper runs out mid-job: INCOMPLETE, and the app sees PAPER_OUT */
	if (fake_start("out.rec", "--paper-out-after", "100") == 0) {
		p = open_or_null("serial", link_path);
		if (p) {
			CHECK_INT(printer_job(p, "mid", job_all, sizeof job_all),
				  PRINTER_ERR_INCOMPLETE);
			printer_last_status(p, &st);
			CHECK_INT(st.state, PRINTER_PAPER_OUT);
			CHECK(strstr(printer_error(p), "may be incomplete") != NULL);
			CHECK_INT(printer_job(p, "next", job_all, 10), PRINTER_ERR_NOT_READY);
			printer_close(p);
		}
		fake_stop();
	}

	/* a silent printer costs the status timeout, not a hang; nothing is sent */
	if (fake_start("silent.rec", "--silent", NULL) == 0) {
		p = open_or_null("serial", link_path);
		if (p) {
			t0 = now_ms();
			CHECK_INT(printer_status(p, &st, 0), PRINTER_ERR_TIMEOUT);
			CHECK(now_ms() - t0 >= PRINTER_STATUS_TIMEOUT_MS - 50);
			CHECK(now_ms() - t0 < PRINTER_STATUS_TIMEOUT_MS + 1000);
			CHECK_INT(st.state, PRINTER_OFFLINE);
			CHECK(strstr(printer_error(p), "no answer") != NULL);
			t0 = now_ms();
			CHECK_INT(printer_job(p, "silent", job_all, sizeof job_all),
				  PRINTER_ERR_TIMEOUT);
			CHECK(now_ms() - t0 < PRINTER_STATUS_TIMEOUT_MS + 1000);
			printer_close(p);
		}
		fake_stop();
		n = record("silent.rec", rec, sizeof rec);
		CHECK(n > 0 && only_queries(rec, (size_t)n));
	}

	/* a printer that stops taking data: the write gives up after the write timeout */
	if (fake_start("stall.rec", "--stall-after", "100") == 0) {
		size_t big = 1 << 20;
		uint8_t *buf = calloc(1, big);

		p = open_or_null("serial", link_path);
		if (p && buf) {
			printer_set_timeouts(p, 300, 700);
			t0 = now_ms();
			CHECK_INT(printer_job(p, "stall", buf, big), PRINTER_ERR_TIMEOUT);
			CHECK(now_ms() - t0 >= 600);
			CHECK(now_ms() - t0 < 3000);
			CHECK(strstr(printer_error(p), "timed out") != NULL);
		}
		t0 = now_ms();
		printer_close(p); /* no waiting for the stuck output to drain */
		CHECK(now_ms() - t0 < 1000);
		free(buf);
		fake_stop();
	}
}

static void test_serial_targets(void)
{
	static const struct {
		const char *target, *err;
	} bad[] = {
		{"", "bad target"},
		{":19200", "no device"},
		{"/dev/ttyS0:12345", "baud rate '12345'"},
		{"/dev/ttyS0:19200:rts", "flow control 'rts'"},
		{"/dev/ttyS0:19200:none:x", NULL},
	};
	struct printer *p;
	char err[200], path[160];
	int rc;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		p = NULL;
		rc = printer_open(&p, "serial", bad[i].target, 576, err, sizeof err);
		if (!bad[i].err) { /* not options: part of the path, which is fine until opened */
			CHECK_INT(rc, 0);
			printer_close(p);
			continue;
		}
		CHECK(rc < 0 && p == NULL);
		CHECK(strstr(err, bad[i].err) != NULL);
	}
	/* colons in the path are the path's */
	p = open_or_null("serial", "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0:38400");
	if (p) {
		CHECK_INT(printer_job(p, "x", job_all, 4), PRINTER_ERR_OFFLINE);
		CHECK(strstr(printer_error(p), "pci-0000:00:14.0-usb-0:2:1.0-port0: ") != NULL);
		printer_close(p);
	}
	/* a file is not a serial port */
	snprintf(path, sizeof path, "%s/not-a-tty", tmpdir);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	p = open_or_null("serial", path);
	if (p) {
		CHECK_INT(printer_job(p, "x", job_all, 4), PRINTER_ERR_IO);
		CHECK(strstr(printer_error(p), "not a serial port") != NULL);
		printer_close(p);
	}
}

static void test_usb(void)
{
	static uint8_t rec[1 << 14];
	struct printer_status st;
	struct printer *p;
	char path[160], want[240];
	int64_t t0;
	long n;

	/* a regular file stands in for the device node: the write path, status unknown */
	snprintf(path, sizeof path, "%s/lp0", tmpdir);
	p = open_or_null("usb", path);
	if (!p)
		return;
	CHECK_STR(printer_backend(p), "usb");
	CHECK_INT(printer_job(p, "absent", job_all, 8), PRINTER_ERR_OFFLINE);
	snprintf(want, sizeof want, "impresora desconectada: %s: No such file or directory", path);
	CHECK_STR(printer_error(p), want);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)); /* plugged in */
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "status unknown: not a device");
	CHECK_INT(printer_job(p, "file", job_all, sizeof job_all), 0);
	CHECK_INT(printer_job(p, "file2", job_all, 3), 0);
	n = slurp(path, rec, sizeof rec);
	CHECK_INT(n, sizeof job_all + 3);
	CHECK(n == sizeof job_all + 3 && memcmp(rec, job_all, sizeof job_all) == 0 &&
	      memcmp(rec + sizeof job_all, job_all, 3) == 0);
	printer_close(p);

	/* a device that answers DLE EOT (the fake printer's pty) */
	if (fake_start("usb.rec", "--paper", "near") == 0) {
		p = open_or_null("usb", link_path);
		if (p) {
			CHECK_INT(printer_status(p, &st, 0), 0);
			CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
			CHECK_INT(printer_job(p, "usb", job_all, sizeof job_all), 0);
			n = record("usb.rec", rec, sizeof rec);
			CHECK(job_in(rec, n, job_all, sizeof job_all));
			fake_stop();
			CHECK_INT(printer_job(p, "gone", job_all, 8), PRINTER_ERR_OFFLINE);
			CHECK(strstr(printer_error(p), "impresora desconectada") != NULL);
			printer_close(p);
		}
		fake_stop();
	}
	/* one that does not answer: READY, saying the state is unknown, and asked only once */
	if (fake_start("usb-silent.rec", "--silent", NULL) == 0) {
		p = open_or_null("usb", link_path);
		if (p) {
			CHECK_INT(printer_status(p, &st, 0), 0);
			CHECK_INT(st.state, PRINTER_READY);
			CHECK_STR(st.detail, "status unknown: no answer to DLE EOT");
			t0 = now_ms();
			CHECK_INT(printer_job(p, "usb", job_all, sizeof job_all), 0);
			CHECK(now_ms() - t0 < PRINTER_STATUS_TIMEOUT_MS);
			/* nothing to wait for on the wire: give the fake a moment to record */
			for (int i = 0; i < 200; i++) {
				n = record("usb-silent.rec", rec, sizeof rec);
				if (job_in(rec, n, job_all, sizeof job_all))
					break;
				nap_ms(10);
			}
			CHECK(job_in(rec, n, job_all, sizeof job_all));
			printer_close(p);
		}
		fake_stop();
	}
}

/* ---- a network printer: a server thread on 127.0.0.1 ---- */

enum { CMD_NONE, CMD_DROP, CMD_UNLISTEN, CMD_LISTEN, CMD_STOP };

static struct srv {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int lfd, cfd, cmd, q;
	unsigned short port;
	uint8_t ans[4];      /* answers to DLE EOT 1..4 */
	int silent, deaf;    /* deaf: stops reading */
	long out_after, printed;
	uint8_t *rec;
	size_t rec_len, rec_cap;
	int accepts;
} srv;

static const uint8_t ready4[4] = {0x12, 0x12, 0x12, 0x12};
static const uint8_t near4[4] = {0x12, 0x12, 0x12, 0x1e};
static const uint8_t cover4[4] = {0x1a, 0x16, 0x12, 0x12};
static const uint8_t out4[4] = {0x1a, 0x32, 0x12, 0x7e};

static int srv_bind(unsigned short port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	socklen_t al = sizeof a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
		close(fd);
		return -1;
	}
	srv.port = ntohs(a.sin_port);
	return fd;
}

/* Records and answers what arrived (mutex held). */
static void srv_take(const uint8_t *b, size_t n)
{
	if (srv.rec_len + n > srv.rec_cap) {
		size_t cap = (srv.rec_len + n) * 2;
		uint8_t *r = realloc(srv.rec, cap);

		if (!r)
			return;
		srv.rec = r;
		srv.rec_cap = cap;
	}
	memcpy(srv.rec + srv.rec_len, b, n);
	srv.rec_len += n;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];

		if (srv.q == 2 && c >= 1 && c <= 4) {
			int out = srv.out_after >= 0 && srv.printed >= srv.out_after;
			uint8_t a = out ? out4[c - 1] : srv.ans[c - 1];

			srv.q = 0;
			if (!srv.silent)
				send(srv.cfd, &a, 1, MSG_NOSIGNAL);
			continue;
		}
		srv.q = srv.q == 0 && c == 0x10 ? 1 : srv.q == 1 && c == 0x04 ? 2 : 0;
		srv.printed++;
	}
}

static void srv_close_client(void)
{
	if (srv.cfd >= 0)
		close(srv.cfd);
	srv.cfd = -1;
}

static void *srv_main(void *arg)
{
	uint8_t buf[8192];

	(void)arg;
	pthread_mutex_lock(&srv.mu);
	for (;;) {
		struct pollfd pfd[2] = {{srv.lfd, POLLIN, 0}, {srv.cfd, POLLIN, 0}};
		int cmd = srv.cmd;

		if (cmd == CMD_DROP || cmd == CMD_UNLISTEN)
			srv_close_client();
		if (cmd == CMD_UNLISTEN && srv.lfd >= 0) {
			close(srv.lfd);
			srv.lfd = -1;
		}
		if (cmd == CMD_LISTEN && srv.lfd < 0)
			srv.lfd = srv_bind(srv.port);
		if (cmd == CMD_STOP)
			break;
		if (cmd != CMD_NONE) {
			srv.cmd = CMD_NONE;
			pthread_cond_broadcast(&srv.cv);
		}
		pfd[0].fd = srv.lfd;
		pfd[1].fd = srv.deaf ? -1 : srv.cfd;
		pthread_mutex_unlock(&srv.mu);
		poll(pfd, 2, 10);
		pthread_mutex_lock(&srv.mu);
		if (pfd[0].fd >= 0 && (pfd[0].revents & POLLIN)) {
			int fd = accept(srv.lfd, NULL, NULL);

			if (fd >= 0) {
				srv_close_client();
				srv.cfd = fd;
				srv.q = 0;
				srv.accepts++;
			}
		}
		if (pfd[1].fd >= 0 && pfd[1].fd == srv.cfd && (pfd[1].revents & (POLLIN | POLLHUP))) {
			ssize_t r = recv(srv.cfd, buf, sizeof buf, MSG_DONTWAIT);

			if (r > 0)
				srv_take(buf, (size_t)r);
			else if (r == 0 || (errno != EAGAIN && errno != EINTR))
				srv_close_client();
		}
	}
	srv_close_client();
	if (srv.lfd >= 0)
		close(srv.lfd);
	srv.lfd = -1;
	srv.cmd = CMD_NONE;
	pthread_cond_broadcast(&srv.cv);
	pthread_mutex_unlock(&srv.mu);
	return NULL;
}

/* Runs a command on the server thread and waits until it is done. */
static void srv_cmd(int cmd)
{
	pthread_mutex_lock(&srv.mu);
	srv.cmd = cmd;
	while (srv.cmd != CMD_NONE)
		pthread_cond_wait(&srv.cv, &srv.mu);
	pthread_mutex_unlock(&srv.mu);
}

/* Sets the answers and clears the recording. */
static void srv_set(const uint8_t ans[4], int silent, long out_after)
{
	pthread_mutex_lock(&srv.mu);
	memcpy(srv.ans, ans, 4);
	srv.silent = silent;
	srv.out_after = out_after;
	srv.printed = 0;
	srv.rec_len = 0;
	pthread_mutex_unlock(&srv.mu);
}

static int srv_has_job(const uint8_t *job, size_t len)
{
	int ok;

	pthread_mutex_lock(&srv.mu);
	ok = job_in(srv.rec, (long)srv.rec_len, job, len);
	pthread_mutex_unlock(&srv.mu);
	return ok;
}

static int srv_accepts(void)
{
	int n;

	pthread_mutex_lock(&srv.mu);
	n = srv.accepts;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

static void test_tcp_targets(void)
{
	static const char *const bad[] = {"", ":9100", "127.0.0.1:0", "127.0.0.1:65536",
					  "127.0.0.1:x", "printer.local:9100", "::1:9100",
					  "[::1:9100", "[::1]x"};
	struct printer *p;
	char err[200];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		p = NULL;
		CHECK(printer_open(&p, "tcp", bad[i], 576, err, sizeof err) < 0);
		CHECK(p == NULL);
		CHECK(strstr(err, "tcp printer: bad target") != NULL);
	}
	p = open_or_null("tcp", "[::1]:9100");
	printer_close(p);
	p = open_or_null("tcp", "192.0.2.1"); /* port 9100 implied; nothing is sent at open */
	printer_close(p);
}

static void test_tcp(void)
{
	struct printer_status st;
	struct printer *p;
	char target[64], want[120];
	int64_t t0;
	int rc, accepts;

	test_tcp_targets();
	srv.lfd = srv.cfd = -1;
	srv.out_after = -1;
	memcpy(srv.ans, ready4, 4);
	pthread_mutex_init(&srv.mu, NULL);
	pthread_cond_init(&srv.cv, NULL);
	srv.lfd = srv_bind(0);
	CHECK(srv.lfd >= 0);
	if (srv.lfd < 0 || pthread_create(&srv.th, NULL, srv_main, NULL) != 0)
		return;
	snprintf(target, sizeof target, "127.0.0.1:%u", srv.port);
	p = open_or_null("tcp", target);
	if (!p)
		goto out;
	CHECK_STR(printer_backend(p), "tcp");

	/* ready: the job arrives byte for byte */
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_INT(printer_job(p, "tcp", job_all, sizeof job_all), 0);
	CHECK(srv_has_job(job_all, sizeof job_all));
	CHECK_INT(srv_accepts(), 1); /* one connection for all of that */

	/* states */
	srv_set(near4, 0, -1);
	CHECK_INT(printer_job(p, "near", job_all, sizeof job_all), 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
	srv_set(cover4, 0, -1);
	CHECK_INT(printer_job(p, "cover", job_all, sizeof job_all), PRINTER_ERR_NOT_READY);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_COVER_OPEN);
	pthread_mutex_lock(&srv.mu);
	CHECK(only_queries(srv.rec, srv.rec_len));
	pthread_mutex_unlock(&srv.mu);
	srv_set(ready4, 0, 50);
	CHECK_INT(printer_job(p, "mid", job_all, sizeof job_all), PRINTER_ERR_INCOMPLETE);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);

	/* silent: a timeout within the bound */
	srv_set(ready4, 1, -1);
	t0 = now_ms();
	CHECK_INT(printer_job(p, "silent", job_all, sizeof job_all), PRINTER_ERR_TIMEOUT);
	CHECK(now_ms() - t0 < PRINTER_STATUS_TIMEOUT_MS + 1000);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	srv_set(ready4, 0, -1);
	CHECK_INT(printer_job(p, "answers", job_all, sizeof job_all), 0);

	/* the printer closed the connection: the next job reconnects by itself */
	accepts = srv_accepts();
	srv_set(ready4, 0, -1);
	srv_cmd(CMD_DROP);
	nap_ms(20);
	CHECK_INT(printer_job(p, "dropped", job_all, sizeof job_all), 0);
	CHECK_INT(srv_accepts(), accepts + 1);
	CHECK(srv_has_job(job_all, sizeof job_all));

	/* switched off: refused, OFFLINE; on again: prints */
	srv_cmd(CMD_UNLISTEN);
	rc = printer_job(p, "off", job_all, sizeof job_all);
	CHECK_INT(rc, PRINTER_ERR_OFFLINE);
	snprintf(want, sizeof want, "impresora desconectada: %s: Connection refused", target);
	CHECK_STR(printer_error(p), want);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	srv_cmd(CMD_LISTEN);
	srv_set(ready4, 0, -1);
	CHECK_INT(printer_job(p, "on", job_all, sizeof job_all), 0);
	CHECK(srv_has_job(job_all, sizeof job_all));

	/* a printer that stops reading: the write gives up after the write timeout */
	{
		size_t big = 64u << 20; /* more than loopback socket buffers hold */
		uint8_t *buf = calloc(1, big);

		pthread_mutex_lock(&srv.mu);
		srv.deaf = 1;
		pthread_mutex_unlock(&srv.mu);
		printer_set_timeouts(p, 300, 700);
		t0 = now_ms();
		if (buf)
			CHECK_INT(printer_job(p, "stall", buf, big), PRINTER_ERR_TIMEOUT);
		CHECK(now_ms() - t0 < 5000);
		free(buf);
		pthread_mutex_lock(&srv.mu);
		srv.deaf = 0;
		pthread_mutex_unlock(&srv.mu);
	}
	printer_close(p);

	/* nobody listening from the start */
	srv_cmd(CMD_UNLISTEN);
	p = open_or_null("tcp", target);
	if (p) {
		CHECK_INT(printer_status(p, &st, 0), PRINTER_ERR_OFFLINE);
		CHECK_INT(st.state, PRINTER_OFFLINE);
		CHECK(strstr(st.detail, "impresora desconectada") != NULL);
		printer_close(p);
	}
out:
	srv_cmd(CMD_STOP);
	pthread_join(srv.th, NULL);
	free(srv.rec);
	pthread_mutex_destroy(&srv.mu);
	pthread_cond_destroy(&srv.cv);
}

static void cleanup(void)
{
	char cmd[128];
	FILE *p;

	snprintf(cmd, sizeof cmd, "find '%s' -depth -delete", tmpdir);
	p = popen(cmd, "r");
	if (p)
		pclose(p);
}

int main(int argc, char **argv)
{
	char *slash;

	(void)argc;
	signal(SIGPIPE, SIG_IGN);
	/* the fake printer next to this binary's build directory: build/tests/x -> build/ */
	snprintf(fakebin, sizeof fakebin, "%s", argv[0]);
	slash = strrchr(fakebin, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(fakebin, '/');
	if (slash)
		snprintf(slash, sizeof fakebin - (size_t)(slash - fakebin), "/fake-printer");
	else
		snprintf(fakebin, sizeof fakebin, "fake-printer");
	if (access(fakebin, X_OK) != 0) {
		fprintf(stderr, "test_transport: %s not built\n", fakebin);
		return 1;
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-transport-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(link_path, sizeof link_path, "%s/printer", tmpdir);
	snprintf(path_file, sizeof path_file, "%s/pty", tmpdir);
	for (size_t i = 0; i < sizeof job_all; i++)
		job_all[i] = (uint8_t)(i < 256 ? i : (i * 7) % 251);
	test_serial_targets();
	test_serial();
	test_usb();
	test_tcp();
	fake_stop();
	if (getenv("TEST_KEEP"))
		printf("kept %s\n", tmpdir);
	else
		cleanup();
	return check_done();
}
