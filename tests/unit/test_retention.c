/* test_retention — the disk stays bounded (docs/store.md "Retention"): 10,000 coupons over 25
 * days on a virtual clock, each with its receipt in print_jobs and in the virtual printer's
 * folder, the server acknowledging most of them; the daily pass keeps the bytes under the
 * caps, and whatever the server has not acknowledged, or is inside the reprint window,
 * survives. Also: the age limit, a kiosk without a central API, the one-time conversion of
 * an old database to incremental vacuum, and the worker thread. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "peek.h"
#include "config.h"
#include "outbox.h"
#include "retention.h"
#include "tmpdir.h"

#define T0 1795302000LL /* 2026-11-21T23:00:00Z */
#define DAY 86400
#define DAYS 25
#define PER_DAY 400
#define RECEIPT 6000          /* bytes of a receipt; its copy is as long */
#define PNG 3000              /* the virtual printer's preview */
#define PRINT_CAP (4 << 20)
#define FILES_CAP (3 << 20)

static char tmpdir[64];
static char dbpath[128];
static char receipts[128];

static int hook(struct store *s, const struct coupon *c, const struct coupon_request *req, void *user)
{
	(void)user;
	return outbox_push_coupon(s, c, req);
}

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[256];

	if (store_open(&s, dbpath, err, sizeof err) != 0) {
		fprintf(stderr, "store_open: %s\n", err);
		return NULL;
	}
	store_set_commit_hook(s, hook, NULL);
	return s;
}

static long long peek(const char *sql) { return peek_db(dbpath, sql); }

static struct coupon_request request(int64_t now, int64_t amount)
{
	struct coupon_request r;

	memset(&r, 0, sizeof r);
	r.kiosk_id = 7;
	r.ref_length = 16;
	r.id_type = ID_CC;
	snprintf(r.id_number, sizeof r.id_number, "1020304050");
	r.kind = "coupon";
	r.now = now;
	r.due = 20261130;
	r.nlines = 1;
	snprintf(r.lines[0].doc_number, sizeof r.lines[0].doc_number, "VID-4471203-1126");
	r.lines[0].pay = (struct money){amount, CUR_COP};
	r.lines[0].cop_minor = amount;
	return r;
}

/* What the virtual printer leaves: NAME.bin and NAME.png, modified at t. */
static void write_receipt_files(const char *name, int64_t t)
{
	static uint8_t buf[RECEIPT];
	const char *ext[] = {".bin", ".png"};
	size_t len[] = {RECEIPT, PNG};
	char path[256];

	for (int i = 0; i < 2; i++) {
		struct timespec ts[2] = {{(time_t)t, 0}, {(time_t)t, 0}};
		int fd;

		snprintf(path, sizeof path, "%s/%s%s", receipts, name, ext[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		CHECK(fd >= 0 && write(fd, buf, len[i]) == (ssize_t)len[i]);
		if (fd >= 0) {
			futimens(fd, ts);
			close(fd);
		}
	}
}

static int file_exists(uint64_t seq)
{
	char path[256];

	snprintf(path, sizeof path, "%s/receipt-%06llu.bin", receipts, (unsigned long long)seq);
	return access(path, F_OK) == 0;
}

static int64_t dir_bytes(void)
{
	char cmd[512];
	int64_t total = 0;
	DIR *d = opendir(receipts);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		struct stat st;

		snprintf(cmd, sizeof cmd, "%s/%s", receipts, e->d_name);
		if (lstat(cmd, &st) == 0 && S_ISREG(st.st_mode))
			total += st.st_size;
	}
	if (d)
		closedir(d);
	return total;
}

/* The server's answers: acknowledged, except every 100th coupon (left in flight: the answer
 * never came) and every 333rd (rejected: dead letter). Outbox seq = coupon seq here. */
static int unacked(uint64_t seq) { return seq % 100 == 0 || seq % 333 == 0; }

static void sync_all(struct outbox *o, int64_t now)
{
	for (;;) {
		struct outbox_event *ev = NULL;
		int n = 0;

		CHECK_INT(outbox_claim(o, OUTBOX_BATCH_MAX, &ev, &n), 0);
		if (n == 0)
			break;
		CHECK_INT(outbox_batch_begin(o), 0);
		for (int i = 0; i < n; i++) {
			if (ev[i].seq % 100 == 0)
				continue;
			if (ev[i].seq % 333 == 0)
				CHECK_INT(outbox_dead(o, ev[i].key, "rejected", now), 0);
			else
				CHECK_INT(outbox_ack(o, ev[i].key, now), 0);
		}
		CHECK_INT(outbox_batch_end(o, 1), 0);
		outbox_events_free(ev, n);
	}
}

static void test_ten_thousand(void)
{
	static uint8_t data[RECEIPT], copy[RECEIPT];
	struct retention_policy p;
	struct store *s = open_store();
	struct outbox *o = NULL;
	char err[256];
	int64_t max_store = 0, run_at = 0, written = 0;
	uint64_t last_seq = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	o = outbox_open(dbpath, err, sizeof err);
	CHECK(o != NULL);
	if (!o)
		goto out;
	memset(data, 'R', sizeof data);
	memset(copy, 'C', sizeof copy);
	memset(&p, 0, sizeof p);
	p.max_age_s = 30LL * DAY;
	p.print_max_bytes = PRINT_CAP;
	p.receipts_max_bytes = FILES_CAP;
	p.keep_recent_s = RETENTION_REPRINT_WINDOW_S;
	p.keep_unacked = 1;
	snprintf(p.receipts_dir, sizeof p.receipts_dir, "%s", receipts);

	for (int day = 0; day < DAYS; day++) {
		struct retention_report r;
		struct store_disk disk;
		int64_t base = T0 + (int64_t)day * DAY;

		for (int i = 0; i < PER_DAY; i++) {
			int64_t t = base + (int64_t)i * 60, id = 0;
			struct coupon_request req = request(t, 1000000 + i);
			struct coupon c;
			char name[48];

			if (store_coupon_issue(s, &req, &c) != 0) {
				CHECK(!"coupon issued");
				fprintf(stderr, "%s\n", store_error(s));
				goto out;
			}
			snprintf(name, sizeof name, "receipt-%06llu", (unsigned long long)c.seq);
			CHECK_INT(store_print_job_add(s, c.seq, name, 0, data, sizeof data, copy,
						      sizeof copy, t, &id), 0);
			if (c.seq == 1) /* the others stay "pending": the state does not matter here */
				CHECK_INT(store_print_job_set(s, id, "printed", NULL, t + 5), 0);
			write_receipt_files(name, t);
			written += 2 * RECEIPT;
			last_seq = c.seq;
		}
		/* the day's events reach the server; the pass runs 10 minutes after the last
		 * coupon, so the last hour's receipts are inside the reprint window */
		run_at = base + (PER_DAY - 1) * 60 + 600;
		sync_all(o, run_at);
		CHECK_INT(retention_run(s, &p, run_at, &r), 0);
		if (r.rc != 0)
			fprintf(stderr, "retention: %s\n", r.error);
		/* the caps hold after every pass */
		CHECK(r.jobs.bytes_kept <= PRINT_CAP);
		CHECK(peek("SELECT coalesce(sum(length(data) + length(copy_data)), 0) FROM print_job_bytes") <= PRINT_CAP);
		CHECK(dir_bytes() <= FILES_CAP);
		CHECK_INT(store_disk_usage(s, &disk), 0);
		if (disk.store_bytes > max_store)
			max_store = disk.store_bytes;
		CHECK(disk.free_bytes > 0);
	}
	CHECK_INT(last_seq, DAYS * PER_DAY);
	CHECK_INT(peek("SELECT count(*) FROM print_jobs"), DAYS * PER_DAY); /* rows stay */
	{
		struct store_disk disk;
		int64_t rows_bytes;

		CHECK_INT(store_disk_usage(s, &disk), 0);
		/* What is left besides the receipts kept: coupons, outbox events, audit rows and
		 * the jobs' rows, about 1.5 KB a coupon. The file is bounded by the cap plus that,
		 * where keeping every receipt would have taken `written`. */
		rows_bytes = disk.store_bytes - peek("SELECT coalesce(sum(length(data) + length(copy_data)), 0) FROM print_job_bytes");
		printf("10,000 coupons: %lld receipt bytes written, store %lld bytes at the end "
		       "(largest %lld; %lld besides the receipts kept, %lld a coupon), receipts/ %lld bytes\n",
		       (long long)written, (long long)disk.store_bytes, (long long)max_store,
		       (long long)rows_bytes, (long long)(rows_bytes / (DAYS * PER_DAY)),
		       (long long)dir_bytes());
		CHECK(max_store <= PRINT_CAP + (int64_t)DAYS * PER_DAY * 2048 + (8 << 20));
		CHECK(max_store < written / 4);
		CHECK(disk.unused_bytes < (1 << 20)); /* the freed pages went back to the disk */
	}
	/* what the server has not acknowledged survives, bytes and files */
	for (uint64_t seq = 1; seq <= last_seq; seq++) {
		uint8_t *b = NULL;
		size_t n = 0;
		int rc = store_print_job_copy_bytes(s, seq, &b, &n);
		int64_t t_job = T0 + (int64_t)((seq - 1) / PER_DAY) * DAY +
				(int64_t)((seq - 1) % PER_DAY) * 60;
		int in_window = t_job > run_at - RETENTION_REPRINT_WINDOW_S;

		if (unacked(seq) || in_window) {
			if (rc != 0 || n != sizeof copy || !file_exists(seq)) {
				CHECK(!"an unacknowledged or recent receipt survives");
				fprintf(stderr, "  seq %llu: rc %d, %zu bytes, file %d\n",
					(unsigned long long)seq, rc, n, file_exists(seq));
			}
		}
		free(b);
	}
	/* the oldest acknowledged ones went; their row says what was printed */
	{
		uint8_t *b = NULL;
		size_t n = 0;
		struct store_print_job j;

		CHECK_INT(store_print_job_copy_bytes(s, 1, &b, &n), 1);
		CHECK(b == NULL && n == 0);
		CHECK(!file_exists(1));
		CHECK_INT(store_print_job_of(s, 1, &j), 0);
		CHECK_STR(j.state, "printed");
		CHECK(j.pruned_at > 0);
		CHECK_INT(store_print_job_of(s, 100, &j), 0);
		CHECK_INT(j.pruned_at, 0);
	}
	/* the unacknowledged total is what the scan says (in flight, never answered) */
	{
		int64_t fast = -1, scan = -2;

		CHECK_INT(outbox_unsynced_cop(s, &fast), 0);
		CHECK_INT(outbox_unsynced_cop_scan(s, &scan), 0);
		CHECK_INT(fast, scan);
		CHECK(fast > 0);
	}
out:
	outbox_close(o);
	store_close(s);
}

/* Age: with room under the cap, receipts older than max_age go, except the unacknowledged;
 * without a central API (keep_unacked 0) nothing waits for an acknowledgement. */
static void test_age_and_standalone(void)
{
	static uint8_t data[1000];
	struct store_retention sr = {10LL * DAY, 1 << 30, RETENTION_REPRINT_WINDOW_S, 1};
	struct store_prune_report rep;
	struct store *s;
	int64_t now = T0 + 100LL * DAY;
	struct outbox *o;
	char err[256];

	snprintf(dbpath, sizeof dbpath, "%s/age.db", tmpdir);
	s = open_store();
	o = outbox_open(dbpath, err, sizeof err);
	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	/* coupons 1..4, printed 20, 20, 5 days and 10 minutes before now */
	int64_t ages[] = {20LL * DAY, 20LL * DAY, 5LL * DAY, 600};
	for (int i = 0; i < 4; i++) {
		struct coupon_request req = request(now - ages[i], 500000);
		struct coupon c;
		int64_t id;

		CHECK_INT(store_coupon_issue(s, &req, &c), 0);
		CHECK_INT(store_print_job_add(s, c.seq, "receipt", 0, data, sizeof data, data,
					      sizeof data, now - ages[i], &id), 0);
	}
	/* coupon 1 acknowledged; 2 not (still pending); 3 and 4 not either */
	{
		struct outbox_event *ev = NULL;
		int n = 0;

		CHECK_INT(outbox_claim(o, 1, &ev, &n), 0);
		CHECK_INT(n, 1);
		if (n == 1)
			CHECK_INT(outbox_ack(o, ev[0].key, now), 0);
		outbox_events_free(ev, n);
	}
	CHECK_INT(store_print_prune(s, &sr, now, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 1);
	CHECK_INT(rep.bytes_pruned, 2 * sizeof data);
	CHECK_INT(rep.jobs_kept, 3);
	CHECK_INT(rep.protected_jobs, 1); /* coupon 2: old, but not acknowledged */
	CHECK_INT(peek("SELECT coupon_seq FROM print_jobs WHERE pruned_at IS NOT NULL"), 1);
	/* a second pass has nothing left to do */
	CHECK_INT(store_print_prune(s, &sr, now, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 0);
	/* standalone: no acknowledgement will ever come; age alone decides, the reprint window
	 * still holds */
	sr.keep_unacked = 0;
	CHECK_INT(store_print_prune(s, &sr, now, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 1);
	CHECK_INT(peek("SELECT count(*) FROM print_job_bytes"), 2);
	/* the cap: the oldest unprotected goes first; the one in the window stays */
	sr.max_bytes = 2 * sizeof data;
	CHECK_INT(store_print_prune(s, &sr, now, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 1);
	CHECK_INT(peek("SELECT coupon_seq FROM print_jobs JOIN print_job_bytes ON job_id = id"), 4);
	sr.max_bytes = 1;
	CHECK_INT(store_print_prune(s, &sr, now, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 0); /* inside the reprint window, even over the cap */
	CHECK_INT(rep.bytes_kept, 2 * sizeof data);
	/* bad policy: refused, nothing changes */
	sr.max_age_s = 0;
	CHECK_INT(store_print_prune(s, &sr, now, &rep), STORE_EINVAL);
out:
	outbox_close(o);
	store_close(s);
}

/* Acknowledged outbox events older than the age limit go (their payloads hold ID numbers and
 * the server has them); pending and dead-lettered ones stay whatever their age, the
 * unacknowledged total does not move, and the per-device sequence never goes back. */
static void test_outbox_prune(void)
{
	struct retention_policy p;
	struct retention_report r;
	struct store *s;
	struct outbox *o;
	int64_t now = T0 + 100LL * DAY, before_total = -1, after_total = -2;
	struct outbox_stats st;
	char err[256];

	snprintf(dbpath, sizeof dbpath, "%s/events.db", tmpdir);
	s = open_store();
	o = outbox_open(dbpath, err, sizeof err);
	CHECK(s != NULL && o != NULL);
	if (!s || !o)
		goto out;
	/* six coupons, 40 days ago: 1-3 acknowledged 40 days ago, 4 acknowledged an hour ago,
	 * 5 dead-lettered 40 days ago, 6 still pending */
	for (int i = 0; i < 6; i++) {
		struct coupon_request req = request(now - 40LL * DAY, 100000 + i);
		struct coupon c;

		CHECK_INT(store_coupon_issue(s, &req, &c), 0);
	}
	{
		struct outbox_event *ev = NULL;
		int n = 0;

		CHECK_INT(outbox_claim(o, 5, &ev, &n), 0);
		CHECK_INT(n, 5);
		for (int i = 0; i < n && i < 3; i++)
			CHECK_INT(outbox_ack(o, ev[i].key, now - 40LL * DAY), 0);
		if (n == 5) {
			CHECK_INT(outbox_ack(o, ev[3].key, now - 3600), 0);
			CHECK_INT(outbox_dead(o, ev[4].key, "rejected", now - 40LL * DAY), 0);
		}
		outbox_events_free(ev, n);
	}
	CHECK_INT(outbox_unsynced_cop(s, &before_total), 0);
	memset(&p, 0, sizeof p);
	p.max_age_s = 30LL * DAY;
	p.print_max_bytes = 1 << 30;
	p.keep_recent_s = RETENTION_REPRINT_WINDOW_S;
	p.keep_unacked = 1;
	CHECK_INT(retention_run(s, &p, now, &r), 0);
	CHECK_INT(r.events_removed, 3);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state = 2"), 1); /* the recent ack */
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state = 3"), 1); /* a technician's */
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE state IN (0, 1)"), 1);
	CHECK_INT(peek("SELECT count(*) FROM coupons"), 6); /* the ledger stays */
	CHECK_INT(outbox_unsynced_cop(s, &after_total), 0);
	CHECK_INT(after_total, before_total);
	CHECK_INT(outbox_stats_get(s, NULL, &st), 0);
	CHECK_INT(st.next_seq, 7); /* no number is given out twice */
	/* a second pass finds nothing more */
	CHECK_INT(retention_run(s, &p, now, &r), 0);
	CHECK_INT(r.events_removed, 0);
out:
	outbox_close(o);
	store_close(s);
}

/* A database made before schema 5 has auto_vacuum off: the first vacuum converts it once,
 * and the file gives the pruned bytes back. */
static void test_old_database_vacuum(void)
{
	static uint8_t data[200000];
	struct store_retention sr = {DAY, 1, 0, 0};
	struct store_prune_report rep;
	struct store_disk before, after;
	struct store *s;
	sqlite3 *db;
	int64_t freed = 0;

	snprintf(dbpath, sizeof dbpath, "%s/old.db", tmpdir);
	CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE legacy_probe(x)", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(peek("PRAGMA auto_vacuum"), 0);
	for (int i = 0; i < 20; i++)
		CHECK_INT(store_print_job_add(s, (uint64_t)i + 1, "receipt", 0, data, sizeof data, data,
					      sizeof data, T0, NULL), 0);
	CHECK_INT(store_vacuum(s, &freed), 0); /* checkpoints: the file holds everything */
	CHECK_INT(store_disk_usage(s, &before), 0);
	CHECK(before.store_bytes > 20 * 2 * (int64_t)sizeof data);
	CHECK_INT(store_print_prune(s, &sr, T0 + 2 * DAY, &rep), 0);
	CHECK_INT(rep.jobs_pruned, 20);
	CHECK_INT(store_vacuum(s, &freed), 0);
	CHECK_INT(peek("PRAGMA auto_vacuum"), 2);
	CHECK_INT(store_disk_usage(s, &after), 0);
	CHECK(after.store_bytes < (1 << 20));
	CHECK(freed >= before.store_bytes - after.store_bytes - (1 << 20));
	CHECK_INT(after.unused_bytes, 0);
	/* a new database starts in incremental mode */
	store_close(s);
	snprintf(dbpath, sizeof dbpath, "%s/new.db", tmpdir);
	s = open_store();
	CHECK(s != NULL);
	CHECK_INT(peek("PRAGMA auto_vacuum"), 2);
	store_close(s);
}

/* Receipt files: only the virtual printer's names are touched. */
static void test_dir_names(void)
{
	char path[256];
	struct retention_report r;
	const char *names[] = {"receipt-000001.bin", "receipt-000001-copia.png", "receipt-x.bin",
			       "notes.txt", "receipt-000002.bin.tmp"};
	int64_t now = T0 + 400LL * DAY;

	snprintf(receipts, sizeof receipts, "%s/names", tmpdir);
	mkdir(receipts, 0700);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct timespec ts[2] = {{(time_t)T0, 0}, {(time_t)T0, 0}};

		snprintf(path, sizeof path, "%s/%s", receipts, names[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		CHECK(fd >= 0 && write(fd, "x", 1) == 1);
		if (fd >= 0) {
			futimens(fd, ts);
			close(fd);
		}
	}
	memset(&r, 0, sizeof r);
	CHECK_INT(retention_prune_dir(receipts, DAY, 1 << 30, 3600, now, NULL, 0, &r), 0);
	CHECK_INT(r.files_removed, 2);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", receipts, names[i]);
		CHECK_INT(access(path, F_OK) == 0, i >= 2);
	}
	/* a folder that does not exist yet: nothing to do */
	snprintf(path, sizeof path, "%s/none", tmpdir);
	CHECK_INT(retention_prune_dir(path, DAY, 1, 3600, now, NULL, 0, &r), 0);
}

/* The worker: a pass at start, reported through poll, on its own connection. */
static void notify(void *user) { (*(int *)user)++; }

static void test_worker(void)
{
	static uint8_t data[5000];
	struct retention_policy p;
	struct retention_report r;
	struct retention *w;
	struct store *s;
	char err[256];
	int notified = 0;
	int64_t now = (int64_t)time(NULL);

	snprintf(dbpath, sizeof dbpath, "%s/worker.db", tmpdir);
	s = open_store();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_print_job_add(s, 1, "receipt-000001", 0, data, sizeof data, data, sizeof data,
				      now - 40LL * DAY, NULL), 0);
	CHECK_INT(store_print_job_add(s, 2, "receipt-000002", 0, data, sizeof data, data, sizeof data,
				      now - 60, NULL), 0);
	memset(&p, 0, sizeof p);
	p.max_age_s = 30LL * DAY;
	p.print_max_bytes = p.receipts_max_bytes = 64LL << 20;
	p.keep_recent_s = RETENTION_REPRINT_WINDOW_S;
	w = retention_start(dbpath, &p, 0, notify, &notified, err, sizeof err);
	CHECK(w != NULL);
	if (!w) {
		fprintf(stderr, "retention_start: %s\n", err);
		store_close(s);
		return;
	}
	retention_wait_first(w);
	CHECK_INT(retention_poll(w, &r), 1);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.jobs.jobs_pruned, 1);
	CHECK(r.disk.store_bytes > 0 && r.disk.free_bytes > 0);
	CHECK_INT(retention_poll(w, &r), 0); /* read once */
	CHECK(notified >= 1);
	retention_stop(w);
	CHECK_INT(peek("SELECT coupon_seq FROM print_jobs WHERE pruned_at IS NOT NULL"), 1);
	store_close(s);
}

/* [retention] in the site INI: defaults, values, refusals with FILE:LINE. */
static int load_ini(struct config *c, const char *text, char *err, size_t errn)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof path, "%s/kiosk.ini", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return -2;
	fputs(text, f);
	fclose(f);
	err[0] = '\0';
	return config_load(c, path, err, errn);
}

static void test_config(void)
{
	struct config c;
	char err[300];

	config_defaults(&c);
	CHECK_INT(c.retention_days, 30);
	CHECK_INT(c.retention_print_mb, 64);
	CHECK_INT(c.retention_receipts_mb, 64);
	CHECK_INT(load_ini(&c, "[retention]\ndays = 90\nprint_mb = 256\nreceipts_mb = 8\n", err,
			   sizeof err), 0);
	CHECK_INT(c.retention_days, 90);
	CHECK_INT(c.retention_print_mb, 256);
	CHECK_INT(c.retention_receipts_mb, 8);
	CHECK_INT(load_ini(&c, "[retention]\ndays = 0\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2: bad value for [retention] days") != NULL);
	CHECK_INT(load_ini(&c, "[retention]\nprint_mb = -1\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2: bad value for [retention] print_mb") != NULL);
	CHECK_INT(load_ini(&c, "[retention]\nreceipts_mb = lots\n", err, sizeof err), -1);
	CHECK(strstr(err, ":2: bad value for [retention] receipts_mb") != NULL);
	CHECK_INT(c.retention_days, 90); /* a refused file changes nothing */
}

int main(void)
{
	/* 10,000 coupons are 20,000 commits: on tmpfs (when there is one) their fsyncs cost
	 * nothing, and what is measured here is space, not durability */
	snprintf(tmpdir, sizeof tmpdir, "%s/recaudo-ret-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof dbpath, "%s/store.db", tmpdir);
	snprintf(receipts, sizeof receipts, "%s/receipts", tmpdir);
	mkdir(receipts, 0700);

	test_ten_thousand();
	test_age_and_standalone();
	test_outbox_prune();
	test_old_database_vacuum();
	test_dir_names();
	test_worker();
	test_config();

	tmpdir_remove(tmpdir);
	return check_done();
}
