/* fake-printer — a pretend ESC/POS printer on a pseudo-terminal, for tests and for trying the
 * serial (or usb) transport without hardware. It opens a pty pair, prints the slave's path
 * (point printer "serial" at "<path>:19200:none"), records every byte it receives and answers
 * the real-time status queries DLE EOT 1..4 like an Epson-style printer in the state it was
 * told to be in. SIGTERM or SIGINT ends it (the --link is removed: the printer is unplugged).
 *
 *   --path-file FILE        write the slave path to FILE (atomically) instead of stdout
 *   --link PATH             make PATH a symlink to the slave: a path that survives restarts
 *   --record FILE           every byte received, status queries included (FILE is truncated)
 *   --paper ok|near|out     roll sensor (default ok)
 *   --cover open|closed     (default closed)
 *   --offline               offline with no other cause
 *   --error                 an autocutter error
 *   --paper-out-after N     the paper runs out once N bytes of print data (bytes that are not
 *                           status queries) have arrived
 *   --silent                never answer
 *   --garbage               answer 0xff (no status bits) to every query
 *   --stall-after N         stop reading after N bytes, like a printer whose buffer is full
 *
 * It holds a slave descriptor of its own, so the transport can close and reopen the device
 * while it runs, as with a real port. Status bytes are written out bit by bit here, not taken
 * from drivers/escpos_status.c, so the tests compare two independent readings of the manual. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct fake {
	int paper; /* 0 ok, 1 near end, 2 out */
	int cover, offline, error, silent, garbage;
	long out_after, stall_after; /* -1: never */
	long printed, received;
	int q;      /* DLE EOT reader: 0 idle, 1 after DLE, 2 after DLE EOT */
	int master, rec;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: fake-printer [--path-file FILE] [--link PATH] [--record FILE]\n"
		"       [--paper ok|near|out] [--cover open|closed] [--offline] [--error]\n"
		"       [--paper-out-after BYTES] [--silent] [--garbage] [--stall-after BYTES]\n");
	return 2;
}

static int number(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno && *out >= 0 ? 0 : -1;
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The answer to DLE EOT n. Fixed bits 0xx1xx10 = 0x12; the rest per the ESC/POS manual. */
static uint8_t answer(const struct fake *f, int n)
{
	int out = f->paper == 2 || (f->out_after >= 0 && f->printed >= f->out_after);
	uint8_t b = 0x12;

	if (f->garbage)
		return 0xff;
	switch (n) {
	case 1: /* bit 3: offline (paper end and an open cover take it offline too) */
		if (out || f->cover || f->offline || f->error)
			b |= 0x08;
		break;
	case 2: /* bit 2 cover open, bit 5 stopped at paper end, bit 6 error */
		b |= (uint8_t)((f->cover ? 0x04 : 0) | (out ? 0x20 : 0) | (f->error ? 0x40 : 0));
		break;
	case 3: /* bit 3 autocutter error */
		b |= (uint8_t)(f->error ? 0x08 : 0);
		break;
	default: /* 4: bits 2-3 near end, bits 5-6 roll end */
		b |= (uint8_t)((f->paper >= 1 || out ? 0x0c : 0) | (out ? 0x60 : 0));
		break;
	}
	return b;
}

static void reply(struct fake *f, int n)
{
	uint8_t b = answer(f, n);

	if (!f->silent)
		write_all(f->master, &b, 1);
}

/* Feeds received bytes through the DLE EOT reader; everything else is print data. */
static void take(struct fake *f, const uint8_t *b, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = b[i];

		if (f->q == 0) {
			if (c == 0x10)
				f->q = 1;
			else
				f->printed++;
			i++;
		} else if (f->q == 1) {
			if (c == 0x04) {
				f->q = 2;
				i++;
			} else { /* a lone DLE was data; look at c again */
				f->printed++;
				f->q = 0;
			}
		} else {
			f->q = 0;
			if (c >= 1 && c <= 4) {
				reply(f, c);
				i++;
			} else {
				f->printed += 2;
			}
		}
	}
}

static int publish(const char *slave, const char *path_file, const char *link)
{
	char tmp[PATH_MAX];
	FILE *fp;

	if (link) {
		if (snprintf(tmp, sizeof tmp, "%s.tmp", link) >= (int)sizeof tmp)
			return -1;
		unlink(tmp);
		if (symlink(slave, tmp) < 0 || rename(tmp, link) < 0) {
			fprintf(stderr, "fake-printer: link %s: %s\n", link, strerror(errno));
			return -1;
		}
	}
	if (!path_file) {
		printf("%s\n", slave);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path_file) >= (int)sizeof tmp)
		return -1;
	fp = fopen(tmp, "w");
	if (!fp || fprintf(fp, "%s\n", slave) < 0 || fclose(fp) != 0 || rename(tmp, path_file) < 0) {
		fprintf(stderr, "fake-printer: %s: %s\n", path_file, strerror(errno));
		return -1;
	}
	return 0;
}

static int options(struct fake *f, int argc, char **argv, const char **path_file,
		   const char **link, const char **record)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int used = 1;

		if (strcmp(a, "--offline") == 0)
			f->offline = 1, used = 0;
		else if (strcmp(a, "--error") == 0)
			f->error = 1, used = 0;
		else if (strcmp(a, "--silent") == 0)
			f->silent = 1, used = 0;
		else if (strcmp(a, "--garbage") == 0)
			f->garbage = 1, used = 0;
		else if (!v)
			return -1;
		else if (strcmp(a, "--path-file") == 0)
			*path_file = v;
		else if (strcmp(a, "--link") == 0)
			*link = v;
		else if (strcmp(a, "--record") == 0)
			*record = v;
		else if (strcmp(a, "--paper") == 0)
			f->paper = strcmp(v, "ok") == 0 ? 0 : strcmp(v, "near") == 0 ? 1
							  : strcmp(v, "out") == 0  ? 2 : -1;
		else if (strcmp(a, "--cover") == 0)
			f->cover = strcmp(v, "open") == 0 ? 1 : strcmp(v, "closed") == 0 ? 0 : -1;
		else if (strcmp(a, "--paper-out-after") == 0) {
			if (number(v, &f->out_after) < 0)
				return -1;
		} else if (strcmp(a, "--stall-after") == 0) {
			if (number(v, &f->stall_after) < 0)
				return -1;
		} else
			return -1;
		if (f->paper < 0 || f->cover < 0)
			return -1;
		i += used;
	}
	return 0;
}

/* The pty pair; the slave is held open and raw, so nothing is echoed or translated. */
static int pty_open(struct fake *f, char *slave, size_t n, int *hold)
{
	struct termios tio;

	const char *name;

	f->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (f->master < 0 || grantpt(f->master) < 0 || unlockpt(f->master) < 0)
		return -1;
	name = ptsname(f->master);
	if (!name || strlen(name) >= n)
		return -1;
	memcpy(slave, name, strlen(name) + 1);
	*hold = open(slave, O_RDWR | O_NOCTTY);
	if (*hold < 0 || tcgetattr(*hold, &tio) < 0)
		return -1;
	cfmakeraw(&tio);
	return tcsetattr(*hold, TCSANOW, &tio);
}

static void serve(struct fake *f)
{
	uint8_t buf[4096];

	while (!stop) {
		struct pollfd pfd = {f->master, POLLIN, 0};
		int stalled = f->stall_after >= 0 && f->received >= f->stall_after;
		size_t want = sizeof buf;
		ssize_t r;

		if (poll(stalled ? NULL : &pfd, stalled ? 0 : 1, 100) <= 0 || stalled)
			continue;
		if (f->stall_after >= 0 && (long)want > f->stall_after - f->received)
			want = (size_t)(f->stall_after - f->received);
		r = read(f->master, buf, want);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) { /* no slave left: cannot happen while we hold one, but do not spin */
			struct timespec nap = {0, 50 * 1000000L};

			nanosleep(&nap, NULL);
			continue;
		}
		f->received += r;
		if (f->rec >= 0 && write_all(f->rec, buf, (size_t)r) < 0) {
			fprintf(stderr, "fake-printer: record: %s\n", strerror(errno));
			stop = 1;
		}
		take(f, buf, (size_t)r);
	}
}

int main(int argc, char **argv)
{
	struct fake f = {.out_after = -1, .stall_after = -1, .master = -1, .rec = -1};
	const char *path_file = NULL, *link = NULL, *record = NULL;
	char slave[128] = "", target[PATH_MAX];
	struct sigaction sa;
	int hold = -1, rc = 1;

	if (options(&f, argc, argv, &path_file, &link, &record) < 0)
		return usage();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns and the loop sees `stop` */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pty_open(&f, slave, sizeof slave, &hold) < 0) {
		fprintf(stderr, "fake-printer: pty: %s\n", strerror(errno));
		goto out;
	}
	if (record) {
		f.rec = open(record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (f.rec < 0) {
			fprintf(stderr, "fake-printer: %s: %s\n", record, strerror(errno));
			goto out;
		}
	}
	if (publish(slave, path_file, link) < 0)
		goto out;
	serve(&f);
	rc = 0;
out:
	/* unplugged: the stable path goes away with us (unless someone re-pointed it) */
	if (link) {
		ssize_t n = readlink(link, target, sizeof target - 1);

		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, slave) == 0)
				unlink(link);
		}
	}
	if (f.rec >= 0)
		close(f.rec);
	if (hold >= 0)
		close(hold);
	if (f.master >= 0)
		close(f.master);
	return rc;
}
