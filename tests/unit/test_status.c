/* Printer status: DLE EOT answers bit by bit (escpos_status), what printer_job does around a
 * job with each state (a scripted backend), the status layer over a transport that only
 * moves bytes (an in-memory printer), and the virtual printer's faults. */
#include "check.h"
#include "escpos_render.h"
#include "escpos_status.h"
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

/* ---- escpos_status: the bytes ---- */

static void test_valid(void)
{
	int valid = 0;
	uint8_t q[3];

	for (int b = 0; b < 256; b++) {
		int want = (b & 0x80) == 0 && (b & 0x10) && (b & 0x02) && (b & 0x01) == 0;

		if (escpos_status_valid((uint8_t)b) != want)
			fprintf(stderr, "valid(0x%02x) != %d\n", b, want);
		CHECK(escpos_status_valid((uint8_t)b) == want);
		valid += want;
	}
	CHECK_INT(valid, 16); /* four free bits */
	CHECK(escpos_status_valid(0x12));
	CHECK(escpos_status_valid(0x7e)); /* every free bit set */
	CHECK(!escpos_status_valid(0x11)); /* XON */
	CHECK(!escpos_status_valid(0x13)); /* XOFF */
	CHECK(!escpos_status_valid(0x10)); /* an automatic status (ASB) first byte: bits 1..0 00 */
	CHECK(!escpos_status_valid(0x92)); /* bit 7 */
	CHECK(!escpos_status_valid(0x02)); /* bit 4 missing */
	CHECK(!escpos_status_valid(0x00));
	CHECK(!escpos_status_valid(0xff));
	for (int n = 1; n <= 4; n++) {
		escpos_status_query(q, n);
		CHECK(q[0] == 0x10 && q[1] == 0x04 && q[2] == n);
	}
}

static enum printer_state parse(uint8_t s1, uint8_t s2, uint8_t s3, uint8_t s4, char *detail,
				size_t n)
{
	uint8_t st[4] = {s1, s2, s3, s4};
	struct printer_status out;

	memset(&out, 0x5a, sizeof out);
	CHECK_INT(escpos_status_parse(st, 0xf, &out), 0);
	if (detail)
		snprintf(detail, n, "%s", out.detail);
	return out.state;
}

/* Every meaningful bit of every answer, alone on a ready printer. */
static void test_bits(void)
{
	static const struct {
		int n, bit;
		enum printer_state want;
		const char *word;
	} cases[] = {
		{1, 2, PRINTER_READY, ""}, /* drawer kick-out connector: not ours */
		{1, 3, PRINTER_OFFLINE, "offline"},
		{1, 5, PRINTER_READY, ""},
		{1, 6, PRINTER_READY, ""},
		{2, 2, PRINTER_COVER_OPEN, "cover open"},
		{2, 3, PRINTER_OFFLINE, "feed button"},
		{2, 5, PRINTER_PAPER_OUT, "stopped at paper end"},
		{2, 6, PRINTER_ERROR, "error"},
		{3, 2, PRINTER_ERROR, "mechanism error"},
		{3, 3, PRINTER_ERROR, "autocutter error"},
		{3, 5, PRINTER_ERROR, "unrecoverable error"},
		{3, 6, PRINTER_ERROR, "auto-recoverable error"},
		{4, 2, PRINTER_PAPER_NEAR_END, "paper near end"},
		{4, 3, PRINTER_PAPER_NEAR_END, "paper near end"},
		{4, 5, PRINTER_PAPER_OUT, "paper end"},
		{4, 6, PRINTER_PAPER_OUT, "paper end"},
	};
	char detail[80];

	CHECK_INT(parse(0x12, 0x12, 0x12, 0x12, detail, sizeof detail), PRINTER_READY);
	CHECK_STR(detail, "");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint8_t st[4] = {0x12, 0x12, 0x12, 0x12};
		enum printer_state got;

		st[cases[i].n - 1] |= (uint8_t)(1u << cases[i].bit);
		got = parse(st[0], st[1], st[2], st[3], detail, sizeof detail);
		if (got != cases[i].want)
			fprintf(stderr, "DLE EOT %d bit %d: %s\n", cases[i].n, cases[i].bit,
				printer_state_name(got));
		CHECK_INT(got, cases[i].want);
		if (cases[i].word[0])
			CHECK(strstr(detail, cases[i].word) != NULL);
		else
			CHECK_STR(detail, "");
	}
}

static void test_priority(void)
{
	char detail[80];

	/* cover open beats everything; paper out beats an error; error beats offline/near end */
	CHECK_INT(parse(0x1a, 0x36, 0x12, 0x7e, NULL, 0), PRINTER_COVER_OPEN);
	CHECK_INT(parse(0x1a, 0x56, 0x1a, 0x12, NULL, 0), PRINTER_COVER_OPEN);
	CHECK_INT(parse(0x1a, 0x72, 0x1a, 0x7e, NULL, 0), PRINTER_PAPER_OUT);
	CHECK_INT(parse(0x1a, 0x52, 0x1a, 0x1e, NULL, 0), PRINTER_ERROR);
	CHECK_INT(parse(0x1a, 0x12, 0x12, 0x1e, NULL, 0), PRINTER_OFFLINE);
	CHECK_INT(parse(0x12, 0x12, 0x12, 0x1e, NULL, 0), PRINTER_PAPER_NEAR_END);
	CHECK_INT(parse(0x12, 0x12, 0x12, 0x72, NULL, 0), PRINTER_PAPER_OUT);
	/* what a printer out of paper answers, and every cause in the detail */
	CHECK_INT(parse(0x1e, 0x32, 0x12, 0x7e, detail, sizeof detail), PRINTER_PAPER_OUT);
	CHECK_STR(detail, "offline; stopped at paper end; paper near end; paper end");
}

static void test_garbage(void)
{
	static const uint8_t bad[] = {0x00, 0xff, 0x13, 0x11, 0x92, 0x10, 0x41};
	struct printer_status out;

	for (int n = 1; n <= 4; n++) {
		for (size_t i = 0; i < sizeof bad; i++) {
			uint8_t st[4] = {0x12, 0x12, 0x12, 0x12};
			char want[40];

			st[n - 1] = bad[i];
			CHECK_INT(escpos_status_parse(st, 0xf, &out), -1);
			CHECK_INT(out.state, PRINTER_ERROR);
			snprintf(want, sizeof want, "0x%02x for DLE EOT %d", bad[i], n);
			CHECK(strstr(out.detail, want) != NULL);
			/* a garbled byte that was not asked for is not looked at */
			CHECK_INT(escpos_status_parse(st, 0xf & ~(1u << (n - 1)), &out), 0);
			CHECK_INT(out.state, PRINTER_READY);
		}
	}
}

static void test_partial(void)
{
	uint8_t st[4] = {0x12, 0xff, 0xff, 0x1e};
	struct printer_status out;

	CHECK_INT(escpos_status_parse(st, 0x1, &out), 0);
	CHECK_INT(out.state, PRINTER_READY);
	CHECK_STR(out.detail, "no answer to DLE EOT 2,3,4");
	CHECK_INT(escpos_status_parse(st, 0x9, &out), 0);
	CHECK_INT(out.state, PRINTER_PAPER_NEAR_END);
	CHECK_STR(out.detail, "paper near end; no answer to DLE EOT 2,3");
	CHECK_INT(escpos_status_parse(st, 0, &out), -1);
	CHECK_INT(out.state, PRINTER_ERROR);
	CHECK_INT(escpos_status_parse(st, 0xf0, &out), -1); /* only bits 0..3 mean anything */
}

static void test_names(void)
{
	CHECK_STR(printer_state_name(PRINTER_READY), "ready");
	CHECK_STR(printer_state_name(PRINTER_PAPER_NEAR_END), "paper_near_end");
	CHECK_STR(printer_state_name(PRINTER_PAPER_OUT), "paper_out");
	CHECK_STR(printer_state_name(PRINTER_COVER_OPEN), "cover_open");
	CHECK_STR(printer_state_name(PRINTER_OFFLINE), "offline");
	CHECK_STR(printer_state_name(PRINTER_ERROR), "error");
	CHECK_STR(printer_state_name((enum printer_state)42), "unknown");
	CHECK_STR(printer_job_name(PRINTER_JOB_NONE), "none");
	CHECK_STR(printer_job_name(PRINTER_JOB_PRINTED), "printed");
	CHECK_STR(printer_job_name(PRINTER_JOB_REFUSED), "refused");
	CHECK_STR(printer_job_name(PRINTER_JOB_INCOMPLETE), "incomplete");
	CHECK_STR(printer_job_name(PRINTER_JOB_FAILED), "failed");
	CHECK_STR(printer_job_name((enum printer_job_outcome)42), "unknown");
	CHECK_INT(PRINTER_ERR_IO, -1);
	CHECK_INT(PRINTER_ERR_NOT_READY, -2);
	CHECK_INT(PRINTER_ERR_INCOMPLETE, -3);
	CHECK_INT(PRINTER_ERR_TIMEOUT, -4);
	CHECK_INT(PRINTER_ERR_OFFLINE, -5);
}

/* ---- printer_job's policy, with a scripted backend ---- */

static struct {
	int rc[2];                    /* status answers: before, after (and after a failed job) */
	enum printer_state state[2];
	int job_rc;
	int status_calls, job_calls, last_ms;
} sc;

static int fk_status(struct printer *p, struct printer_status *out, int timeout_ms)
{
	int i = sc.status_calls < 2 ? sc.status_calls : 1;

	sc.status_calls++;
	sc.last_ms = timeout_ms;
	if (sc.rc[i] < 0) {
		snprintf(p->err, sizeof p->err, "fake: no answer");
		return sc.rc[i];
	}
	out->state = sc.state[i];
	snprintf(out->detail, sizeof out->detail, "fake %d", i);
	return 0;
}

static int fk_job(struct printer *p, const char *job, const uint8_t *buf, size_t len)
{
	(void)job, (void)buf, (void)len;
	sc.job_calls++;
	if (sc.job_rc < 0)
		snprintf(p->err, sizeof p->err, "fake: write failed");
	return sc.job_rc;
}

static const struct printer_ops fake_ops = {.name = "fake", .job = fk_job, .status = fk_status};
static const struct printer_ops mute_ops = {.name = "mute", .job = fk_job};

/* One job through the policy: returns printer_job's code; *st gets the last status. */
static int run(enum printer_state before, enum printer_state after, int job_rc,
	       struct printer_status *st)
{
	struct printer p = {.ops = &fake_ops, .dots = 576};
	int rc;

	memset(&sc, 0, sizeof sc);
	sc.state[0] = before;
	sc.state[1] = after;
	sc.job_rc = job_rc;
	rc = printer_job(&p, "job-1", (const uint8_t *)"x\n", 2);
	printer_last_status(&p, st);
	if (rc < 0)
		CHECK(printer_error(&p)[0] != '\0');
	return rc;
}

static void test_policy(void)
{
	static const enum printer_state refused[] = {PRINTER_PAPER_OUT, PRINTER_COVER_OPEN,
						     PRINTER_OFFLINE, PRINTER_ERROR};
	struct printer p = {.ops = &fake_ops, .dots = 576};
	struct printer_status st;

	CHECK_INT(run(PRINTER_READY, PRINTER_READY, 0, &st), 0);
	CHECK_INT(st.job, PRINTER_JOB_PRINTED);
	CHECK_INT(st.rc, 0);
	CHECK_INT(sc.job_calls, 1);
	CHECK_INT(sc.status_calls, 2);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "fake 1");
	CHECK_INT(sc.last_ms, PRINTER_STATUS_TIMEOUT_MS); /* 0 in the struct: the default */

	/* refused before: nothing sent, the state says why */
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		CHECK_INT(run(refused[i], PRINTER_READY, 0, &st), PRINTER_ERR_NOT_READY);
		CHECK_INT(sc.job_calls, 0);
		CHECK_INT(st.state, refused[i]);
	}
	/* near end prints and is reported */
	CHECK_INT(run(PRINTER_PAPER_NEAR_END, PRINTER_PAPER_NEAR_END, 0, &st), 0);
	CHECK_INT(sc.job_calls, 1);
	CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
	/* paper out (or any failure state) after the job: it may be incomplete */
	CHECK_INT(run(PRINTER_READY, PRINTER_PAPER_OUT, 0, &st), PRINTER_ERR_INCOMPLETE);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	CHECK_INT(run(PRINTER_PAPER_NEAR_END, PRINTER_COVER_OPEN, 0, &st), PRINTER_ERR_INCOMPLETE);
	CHECK_INT(st.state, PRINTER_COVER_OPEN);
	/* a write that stalled because the paper ran out reads as INCOMPLETE + PAPER_OUT */
	CHECK_INT(run(PRINTER_READY, PRINTER_PAPER_OUT, PRINTER_ERR_TIMEOUT, &st),
		  PRINTER_ERR_INCOMPLETE);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	/* ... and a stalled write on a printer that says it is fine stays a timeout */
	CHECK_INT(run(PRINTER_READY, PRINTER_READY, PRINTER_ERR_TIMEOUT, &st), PRINTER_ERR_TIMEOUT);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_INT(st.job, PRINTER_JOB_FAILED);
	CHECK_INT(st.rc, PRINTER_ERR_TIMEOUT);
	/* gone mid-job: offline, nobody asked afterwards */
	CHECK_INT(run(PRINTER_READY, PRINTER_READY, PRINTER_ERR_OFFLINE, &st), PRINTER_ERR_OFFLINE);
	CHECK_INT(sc.status_calls, 1);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK(strstr(st.detail, "fake: write failed") != NULL);
	/* a code outside the set is an I/O error */
	CHECK_INT(run(PRINTER_READY, PRINTER_READY, -42, &st), PRINTER_ERR_IO);

	/* no answer before: not sent; the state is offline */
	memset(&sc, 0, sizeof sc);
	sc.rc[0] = PRINTER_ERR_TIMEOUT;
	CHECK_INT(printer_job(&p, "job-2", (const uint8_t *)"x", 1), PRINTER_ERR_TIMEOUT);
	CHECK_INT(sc.job_calls, 0);
	printer_last_status(&p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK(strstr(printer_error(&p), "fake: no answer") != NULL);
	/* no answer after: sent but unconfirmed */
	memset(&sc, 0, sizeof sc);
	sc.rc[1] = PRINTER_ERR_OFFLINE;
	CHECK_INT(printer_job(&p, "job-3", (const uint8_t *)"x", 1), PRINTER_ERR_OFFLINE);
	CHECK_INT(sc.job_calls, 1);
	CHECK(strstr(printer_error(&p), "sent, no status after it") != NULL);
	/* an I/O failure asking is an error state */
	memset(&sc, 0, sizeof sc);
	sc.rc[0] = PRINTER_ERR_IO;
	CHECK_INT(printer_status(&p, &st, 50), PRINTER_ERR_IO);
	CHECK_INT(st.state, PRINTER_ERROR);
	CHECK_INT(sc.last_ms, 50);
	/* timeouts: per call, per handle */
	printer_set_timeouts(&p, 123, 0);
	memset(&sc, 0, sizeof sc);
	CHECK_INT(printer_status(&p, &st, 0), 0);
	CHECK_INT(sc.last_ms, 123);
	CHECK_STR(st.detail, "fake 0");

	/* a backend without status is ready */
	p.ops = &mute_ops;
	memset(&sc, 0, sizeof sc);
	CHECK_INT(printer_status(&p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "no status on the mute backend");
	CHECK_INT(printer_job(&p, "job-4", (const uint8_t *)"x", 1), 0);
	sc.job_rc = PRINTER_ERR_IO;
	CHECK_INT(printer_job(&p, "job-5", (const uint8_t *)"x", 1), PRINTER_ERR_IO);
	printer_last_status(&p, &st);
	CHECK_INT(st.state, PRINTER_ERROR);

	/* no handle */
	CHECK_INT(printer_status(NULL, &st, 0), PRINTER_ERR_OFFLINE);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	printer_last_status(NULL, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
}

/* ---- the status layer over a transport with no status code of its own ----
 * An in-memory printer: it keeps what it is sent, answers DLE EOT n with the byte it was
 * given for n, and can run out of paper after some bytes (then it stops taking data, as a
 * real one does), stay silent, answer garbage or be unplugged. The transport below only
 * stores and returns bytes: everything else has to come from printer_status.c. */

static struct {
	uint8_t answer[4];           /* to DLE EOT 1..4 */
	int silent, garbage, gone;
	long paper_left;             /* bytes of print data; -1: endless */
	uint8_t paper[256];
	size_t printed;
	uint8_t out[16];             /* answers not read yet */
	size_t nout;
	int queries, connects, connected;
} mem;

static void mem_reset(uint8_t s4)
{
	memset(&mem, 0, sizeof mem);
	mem.answer[0] = 0x12; /* fixed bits only: online */
	mem.answer[1] = 0x12;
	mem.answer[2] = 0x12;
	mem.answer[3] = s4;
	mem.paper_left = -1;
}

static int mem_open(struct printer_transport *t, const char *target)
{
	snprintf(t->label, sizeof t->label, "%s", target);
	return 0;
}

static int mem_connect(struct printer_transport *t)
{
	if (mem.gone) {
		t->e = ENODEV;
		return PRINTER_ERR_OFFLINE;
	}
	if (mem.connected)
		return 1;
	mem.connects++;
	mem.connected = 1;
	return 0;
}

static int mem_write(struct printer_transport *t, const uint8_t *buf, size_t len, int idle_ms)
{
	(void)t, (void)idle_ms;
	if (len == 3 && buf[0] == 0x10 && buf[1] == 0x04 && buf[2] >= 1 && buf[2] <= 4) {
		mem.queries++;
		if (!mem.silent && mem.nout < sizeof mem.out)
			mem.out[mem.nout++] = mem.garbage ? 0xff : mem.answer[buf[2] - 1];
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (mem.paper_left == 0) { /* out of paper: takes nothing more, says so when asked */
			mem.answer[3] = 0x72;
			return PRINTER_ERR_TIMEOUT;
		}
		if (mem.paper_left > 0)
			mem.paper_left--;
		if (mem.printed < sizeof mem.paper)
			mem.paper[mem.printed++] = buf[i];
	}
	return 0;
}

static int mem_read(struct printer_transport *t, uint8_t *buf, size_t n, int timeout_ms)
{
	size_t k = n < mem.nout ? n : mem.nout;

	(void)t, (void)timeout_ms;
	memcpy(buf, mem.out, k);
	memmove(mem.out, mem.out + k, mem.nout - k);
	mem.nout -= k;
	return (int)k;
}

static void mem_disconnect(struct printer_transport *t)
{
	(void)t;
	mem.connected = 0;
	mem.nout = 0;
}

static void mem_close(struct printer_transport *t)
{
	(void)t;
}

static const struct printer_transport_ops mem_transport = {
	.name = "mem", .open = mem_open, .connect = mem_connect, .write = mem_write,
	.read = mem_read, .disconnect = mem_disconnect, .close = mem_close,
};
static const struct printer_transport_ops mem_mute_transport = {
	.name = "memw", .open = mem_open, .connect = mem_connect, .write = mem_write,
	.disconnect = mem_disconnect, .close = mem_close,
};
static const struct printer_transport_ops mem_oneway_transport = {
	.name = "mem1", .open = mem_open, .connect = mem_connect, .write = mem_write,
	.read = mem_read, .disconnect = mem_disconnect, .close = mem_close,
	.flags = PRINTER_TRANSPORT_SILENCE_UNKNOWN,
};

static struct printer *mem_printer(const struct printer_transport_ops *tp)
{
	struct printer *p = NULL;
	char err[200];

	CHECK_INT(printer_open_transport(&p, tp, "mem0", 576, err, sizeof err), 0);
	return p;
}

static void test_transport_layer(void)
{
	static const uint8_t job[] = "hola\n";
	struct printer_status st;
	struct printer *p;

	/* ready: the job's bytes and nothing else reach the paper, asked before and after */
	mem_reset(0x12);
	p = mem_printer(&mem_transport);
	if (!p)
		return;
	CHECK_STR(printer_backend(p), "mem");
	CHECK_INT(printer_job(p, "j1", job, sizeof job - 1), 0);
	CHECK_INT(mem.printed, sizeof job - 1);
	CHECK(memcmp(mem.paper, job, sizeof job - 1) == 0);
	CHECK_INT(mem.queries, 8); /* DLE EOT 1..4, twice */
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_INT(st.job, PRINTER_JOB_PRINTED);
	CHECK_INT(mem.connects, 1); /* one connection, kept */

	/* near end: prints, and says so */
	mem_reset(0x1e);
	CHECK_INT(printer_job(p, "j2", job, sizeof job - 1), 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
	CHECK(strstr(st.detail, "near end") != NULL);

	/* cover open (n=1 offline, n=2 cover): refused, nothing on paper */
	mem_reset(0x12);
	mem.answer[0] = 0x1a;
	mem.answer[1] = 0x16;
	CHECK_INT(printer_job(p, "j3", job, sizeof job - 1), PRINTER_ERR_NOT_READY);
	CHECK_INT(mem.printed, 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_COVER_OPEN);
	CHECK_INT(st.job, PRINTER_JOB_REFUSED);

	/* paper runs out mid-job: the stalled write reads as INCOMPLETE + PAPER_OUT */
	mem_reset(0x12);
	mem.paper_left = 2;
	CHECK_INT(printer_job(p, "j4", job, sizeof job - 1), PRINTER_ERR_INCOMPLETE);
	CHECK_INT(mem.printed, 2);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	CHECK_INT(st.job, PRINTER_JOB_INCOMPLETE);
	CHECK(strstr(printer_error(p), "mem printer: mem0: write timed out") != NULL);
	CHECK_INT(printer_job(p, "j5", job, sizeof job - 1), PRINTER_ERR_NOT_READY);

	/* silence: a timeout, the state offline, the connection dropped */
	mem_reset(0x12);
	mem.connected = 1;
	mem.silent = 1;
	CHECK_INT(printer_status(p, &st, 20), PRINTER_ERR_TIMEOUT);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK(strstr(printer_error(p), "mem printer: mem0: no answer to DLE EOT within 20 ms") != NULL);
	CHECK_INT(mem.connected, 0);

	/* garbage is never ready */
	mem_reset(0x12);
	mem.garbage = 1;
	CHECK_INT(printer_status(p, &st, 20), 0);
	CHECK_INT(st.state, PRINTER_ERROR);
	CHECK_STR(st.detail, "garbled answer 0xff to DLE EOT");

	/* unplugged: offline, in the same words as every transport */
	mem_reset(0x12);
	mem.gone = 1;
	CHECK_INT(printer_job(p, "j6", job, sizeof job - 1), PRINTER_ERR_OFFLINE);
	CHECK_STR(printer_error(p), "impresora desconectada: mem0: No such device");
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK_INT(st.job, PRINTER_JOB_FAILED);
	/* plugged back in: prints */
	mem.gone = 0;
	CHECK_INT(printer_job(p, "j7", job, sizeof job - 1), 0);
	printer_close(p);

	/* a transport that says silence is normal (usb): status unknown, asked once */
	mem_reset(0x12);
	mem.silent = 1;
	p = mem_printer(&mem_oneway_transport);
	if (!p)
		return;
	CHECK_INT(printer_job(p, "j1", job, sizeof job - 1), 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "status unknown: no answer to DLE EOT");
	CHECK_INT(mem.queries, 1);
	printer_close(p);

	/* a transport without a back channel: ready, and says why */
	mem_reset(0x12);
	p = mem_printer(&mem_mute_transport);
	if (!p)
		return;
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "no status on the memw backend");
	CHECK_INT(printer_job(p, "j1", job, sizeof job - 1), 0);
	CHECK_INT(mem.queries, 0);
	CHECK_INT(mem.printed, sizeof job - 1);
	printer_close(p);
}

/* ---- the virtual printer's faults ---- */

static size_t slurp(const char *path, uint8_t *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;
	size_t got = 0;

	if (fd < 0)
		return (size_t)-1;
	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	close(fd);
	return got;
}

static int exists(const char *dir, const char *name)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static struct printer *vopen(const char *sub, const char *faults)
{
	struct printer *p = NULL;
	char target[160], err[200];

	snprintf(target, sizeof target, "%s/%s%s", tmpdir, sub, faults);
	if (printer_open(&p, "virtual", target, 576, err, sizeof err) < 0)
		fprintf(stderr, "%s: %s\n", target, err);
	CHECK(p != NULL);
	return p;
}

static void test_virtual_faults(void)
{
	static const uint8_t two[] = "\x1b@uno\ndos\n\x1d\x56\x42\x00";
	static const uint8_t three[] = "tres\ncuatro\ncinco\n\x1d\x56\x42\x00";
	struct printer_status st;
	struct printer *p;
	char dir[128], path[160], err[200];
	uint8_t got[256];
	struct escpos_render_info info;

	/* near end: prints, says so */
	p = vopen("near", "?near_end=1");
	if (!p)
		return;
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
	CHECK_INT(printer_job(p, "j1", two, sizeof two - 1), 0);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_NEAR_END);
	snprintf(path, sizeof path, "%s/near/j1.bin", tmpdir);
	CHECK_INT(slurp(path, got, sizeof got), sizeof two - 1);
	printer_close(p);

	/* cover open: refused, nothing written */
	p = vopen("cover", "?cover_open=1&near_end=1");
	if (!p)
		return;
	CHECK_INT(printer_job(p, "j1", two, sizeof two - 1), PRINTER_ERR_NOT_READY);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_COVER_OPEN);
	CHECK(strstr(printer_error(p), "cover_open") != NULL);
	snprintf(dir, sizeof dir, "%s/cover", tmpdir);
	CHECK(!exists(dir, "j1.bin") && !exists(dir, "j1.png"));
	printer_close(p);

	/* paper for three lines: the first job fits, the second is cut after its first line */
	p = vopen("out", "?paper_out_after=3");
	if (!p)
		return;
	snprintf(dir, sizeof dir, "%s/out", tmpdir);
	CHECK_INT(printer_job(p, "j1", two, sizeof two - 1), 0);
	CHECK_INT(printer_job(p, "j2", three, sizeof three - 1), PRINTER_ERR_INCOMPLETE);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	CHECK(strstr(printer_error(p), "paper ran out") != NULL);
	/* the status carries the job's outcome, apart from the state, and keeps it across a
	 * status check: "incomplete" is not folded into "paper_out" */
	CHECK_INT(st.job, PRINTER_JOB_INCOMPLETE);
	CHECK_INT(st.rc, PRINTER_ERR_INCOMPLETE);
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	CHECK_INT(st.job, PRINTER_JOB_INCOMPLETE);
	CHECK_INT(st.rc, 0);
	snprintf(path, sizeof path, "%s/j2.bin", dir);
	CHECK_INT(slurp(path, got, sizeof got), 5);
	CHECK(memcmp(got, "tres\n", 5) == 0);
	snprintf(path, sizeof path, "%s/j2.png", dir);
	CHECK(exists(dir, "j2.png"));
	/* the preview shows what reached paper: the first line, no cut */
	snprintf(path, sizeof path, "%s/j2-again.png", dir);
	CHECK_INT(escpos_render_png(got, 5, 576, path, &info, err, sizeof err), 0);
	CHECK_STR(info.text, "tres\n");
	CHECK_INT(info.cuts, 0);
	/* and then nothing more */
	CHECK_INT(printer_job(p, "j3", two, sizeof two - 1), PRINTER_ERR_NOT_READY);
	CHECK(!exists(dir, "j3.bin"));
	printer_last_status(p, &st);
	CHECK_INT(st.job, PRINTER_JOB_REFUSED);
	printer_close(p);

	/* a job that uses exactly the last line: printed, but the paper is out afterwards */
	p = vopen("exact", "?paper_out_after=2");
	if (!p)
		return;
	CHECK_INT(printer_job(p, "j1", (const uint8_t *)"a\nb\n", 4), PRINTER_ERR_INCOMPLETE);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_PAPER_OUT);
	printer_close(p);

	/* 0x0A inside a QR payload and inside a raster image is data, not a line */
	{
		static const uint8_t qr[] = "x\n"
					    "\x1d(k\x09\x00" "1P0a\nb\nc\n" /* store 6 bytes */
					    "\x1d(k\x03\x00" "1Q0"          /* print */
					    "\x1dv0\x00\x01\x00\x02\x00\x0a\x0a" /* 8x2 dots */
					    "y\n\x1d\x56\x42\x00";
		size_t len = sizeof qr - 1;

		p = vopen("lines", "?paper_out_after=2");
		if (!p)
			return;
		CHECK_INT(printer_job(p, "qr", qr, len), PRINTER_ERR_INCOMPLETE);
		snprintf(path, sizeof path, "%s/lines/qr.bin", tmpdir);
		CHECK_INT(slurp(path, got, sizeof got), len - 4); /* all but the cut */
		printer_close(p);
		p = vopen("lines", "?paper_out_after=1");
		if (!p)
			return;
		CHECK_INT(printer_job(p, "qr", qr, len), PRINTER_ERR_INCOMPLETE);
		CHECK_INT(slurp(path, got, sizeof got), 2);
		printer_close(p);
	}

	/* offline, error, silent */
	p = vopen("off", "?offline=1");
	if (!p)
		return;
	CHECK_INT(printer_job(p, "j1", two, sizeof two - 1), PRINTER_ERR_NOT_READY);
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	printer_close(p);
	p = vopen("err", "?error=1&near_end=1");
	if (!p)
		return;
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_ERROR);
	printer_close(p);
	p = vopen("silent", "?silent=1");
	if (!p)
		return;
	CHECK_INT(printer_status(p, &st, 0), PRINTER_ERR_TIMEOUT);
	CHECK_INT(st.state, PRINTER_OFFLINE);
	CHECK_INT(printer_job(p, "j1", two, sizeof two - 1), PRINTER_ERR_TIMEOUT);
	snprintf(dir, sizeof dir, "%s/silent", tmpdir);
	CHECK(!exists(dir, "j1.bin"));
	printer_close(p);
	p = vopen("plain", "?");
	if (p) {
		CHECK_INT(printer_status(p, &st, 0), 0);
		CHECK_INT(st.state, PRINTER_READY);
		printer_close(p);
	}

	/* malformed faults fail at open */
	snprintf(path, sizeof path, "%s/bad?bogus=1", tmpdir);
	p = (struct printer *)1;
	CHECK(printer_open(&p, "virtual", path, 576, err, sizeof err) < 0);
	CHECK(p == NULL);
	CHECK(strstr(err, "unknown fault 'bogus'") != NULL);
	snprintf(path, sizeof path, "%s/bad?near_end", tmpdir);
	CHECK(printer_open(&p, "virtual", path, 576, err, sizeof err) < 0);
	CHECK(strstr(err, "key=value") != NULL);
	snprintf(path, sizeof path, "%s/bad?paper_out_after=ten", tmpdir);
	CHECK(printer_open(&p, "virtual", path, 576, err, sizeof err) < 0);
	CHECK(strstr(err, "needs a number") != NULL);
}

static void test_file_status(void)
{
	struct printer *p = NULL;
	struct printer_status st;
	char path[128], err[200];

	snprintf(path, sizeof path, "%s/spool.bin", tmpdir);
	CHECK_INT(printer_open(&p, "file", path, 384, err, sizeof err), 0);
	if (!p)
		return;
	printer_last_status(p, &st);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "not checked yet");
	CHECK_INT(printer_status(p, &st, 0), 0);
	CHECK_INT(st.state, PRINTER_READY);
	CHECK_STR(st.detail, "no status on the file backend");
	printer_close(p);
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

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-status-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_valid();
	test_bits();
	test_priority();
	test_garbage();
	test_partial();
	test_names();
	test_policy();
	test_transport_layer();
	test_virtual_faults();
	test_file_status();
	if (getenv("TEST_KEEP"))
		printf("kept %s\n", tmpdir);
	else
		cleanup();
	return check_done();
}
