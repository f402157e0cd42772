/* test_queue — the send queue for a technician (offline/outbox_admin.c): counts by state, the
 * dead letters with the ID masked, retry under the same key (and refusals that change
 * nothing), the JSON export to a directory (format, masking, exact numbers, atomic write) and
 * its failures: a missing directory, a path under a regular file, a read-only file system and
 * a full one (no file left behind). */
#define _GNU_SOURCE
#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "peek.h"
#include "tmpdir.h"
#include "audit.h"
#include "cli_queue.h"
#include "outbox.h"
#include "outbox_admin.h"

static char tmpdir[64];
static char dbpath[128];

#define ID_A "1020304050"
#define ID_B "79876543"
#define T0 1795359600LL /* 2026-11-22 15:00:00 UTC */

static const char *payload_a = "{\"kiosk_id\":1,\"seq\":1,\"id_type\":\"CC\",\"id_number\":\"" ID_A "\","
			       "\"amount_minor\":999999999999900,\"currency\":\"COP\","
			       "\"lines\":[{\"doc\":\"VID-1\",\"pay_minor\":999999999999900}]}";
static const char *payload_b = "{\"kiosk_id\":1,\"seq\":2,\"id_type\":\"CC\",\"id_number\":\"" ID_B "\","
			       "\"amount_minor\":5000,\"currency\":\"COP\"}";

static long long peek(const char *sql) { return peek_db(dbpath, sql); }

static long long state_of(const char *key)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT state FROM outbox WHERE key = '%s'", key);
	return peek(sql);
}

static void key_of(uint64_t seq, char out[OUTBOX_KEY_LEN + 1])
{
	char sql[96];

	snprintf(sql, sizeof sql, "SELECT key FROM outbox WHERE seq = %llu", (unsigned long long)seq);
	peek_text_db(dbpath, sql, out, OUTBOX_KEY_LEN + 1);
}

/* How many entries dir has (besides . and ..), -1 if it cannot be read. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Queue: 1 (A) dead, 2 (B) dead, 3 acked, 4 pending, 5 in flight after a claim of 4 and 5 and
 * a release of 4. */
static void fill(struct store *s)
{
	struct outbox_event *ev = NULL;
	struct outbox *o;
	char err[256];
	int n = 0;

	CHECK_INT(outbox_push(s, "coupon.issued", T0 - 600, payload_a, NULL), 0);
	CHECK_INT(outbox_push(s, "coupon.issued", T0 - 500, payload_b, NULL), 0);
	CHECK_INT(outbox_push(s, "test.unknown", T0 - 400, "{\"n\":3}", NULL), 0);
	o = outbox_open(dbpath, err, sizeof err);
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK_INT(outbox_claim(o, 10, &ev, &n), 0);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(outbox_dead(o, ev[0].key, "id_number: 1020304050 not on file", T0 - 300), 0);
		CHECK_INT(outbox_dead(o, ev[1].key, "amount: over the limit", T0 - 200), 0);
		CHECK_INT(outbox_ack(o, ev[2].key, T0 - 100), 0);
	}
	outbox_events_free(ev, n);
	CHECK_INT(outbox_push(s, "coupon.issued", T0 - 50, "{\"amount_minor\":7,\"id_number\":\"12\"}", NULL), 0);
	CHECK_INT(outbox_push(s, "test.other", T0 - 40, "{\"n\":5}", NULL), 0);
	CHECK_INT(outbox_claim(o, 10, &ev, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2)
		CHECK_INT(outbox_release(o, ev[0].key), 0);
	outbox_events_free(ev, n);
	outbox_close(o);
}

static void test_counts_and_dead(struct store *s)
{
	struct outbox_counts c;
	struct outbox_dead_view *d = NULL;
	int n = 0;

	CHECK_INT(outbox_admin_counts(s, &c), 0);
	CHECK_INT(c.pending, 1);
	CHECK_INT(c.in_flight, 1);
	CHECK_INT(c.acked, 1);
	CHECK_INT(c.dead, 2);
	CHECK_INT(c.oldest_unsynced, T0 - 50);

	CHECK_INT(outbox_admin_dead(s, 0, &d, &n), STORE_EINVAL);
	CHECK_INT(outbox_admin_dead(s, 10, &d, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		/* newest first */
		CHECK_INT(d[0].seq, 2);
		CHECK_INT(d[1].seq, 1);
		CHECK_STR(d[0].id_masked, "\u2022\u2022\u2022\u20226543");
		CHECK_STR(d[1].id_masked, "\u2022\u2022\u2022\u20224050");
		CHECK_STR(d[1].reason, "id_number: \u2022\u2022\u2022\u20224050 not on file");
		CHECK_STR(d[0].reason, "amount: over the limit");
		CHECK_INT(d[1].at, T0 - 600);
		CHECK_INT(d[1].dead_at, T0 - 300);
		CHECK_STR(d[1].type, "coupon.issued");
		CHECK_INT(strlen(d[1].key), OUTBOX_KEY_LEN);
		for (int i = 0; i < n; i++)
			CHECK(!strstr(d[i].reason, ID_A) && !strstr(d[i].id_masked, ID_B));
	}
	free(d);
	CHECK_INT(outbox_admin_dead(s, 1, &d, &n), 0);
	CHECK_INT(n, 1);
	free(d);
}

static void test_mask(struct store *s)
{
	char buf[128];
	char *m;

	outbox_admin_mask_reason(buf, sizeof buf, "seq 12345 ok; phone 3001234567, id 1020304050");
	CHECK_STR(buf, "seq 12345 ok; phone \u2022\u2022\u2022\u20224567, id \u2022\u2022\u2022\u20224050");
	outbox_admin_mask_reason(buf, 12, "abc 1234567890");
	CHECK(strlen(buf) < 12 && !strstr(buf, "1234567890"));
	outbox_admin_mask_reason(buf, 6, "ab\u00e9\u00e9\u00e9"); /* a cut never splits a character */
	CHECK_STR(buf, "ab\u00e9");
	m = outbox_admin_mask_payload(s, "{\"a\":12345678901234567,\"customer\":{\"name\":\"Mar\u00eda Fernanda\","
					 "\"phone\":\"3001234567\",\"email\":\"m@x.co\"},\"id_number\":\"X1\"}");
	CHECK(m != NULL);
	if (m)
		CHECK_STR(m, "{\"a\":12345678901234567,\"customer\":{\"name\":\"Mar\u00eda F*****\","
			     "\"phone\":\"\u2022\u2022\u2022\u20224567\",\"email\":\"\u2022\u2022\u2022\u2022\"},"
			     "\"id_number\":\"\u2022\u2022\u2022\u2022\"}");
	free(m);
	CHECK(outbox_admin_mask_payload(s, "not json") == NULL);
}

static void test_retry(struct store *s)
{
	char k1[OUTBOX_KEY_LEN + 1], k3[OUTBOX_KEY_LEN + 1], k4[OUTBOX_KEY_LEN + 1], why[300], up[40];
	uint64_t seq = 0;
	int64_t cop = -1, before = -1;
	struct outbox_event *ev = NULL;
	struct outbox *o;
	int n = 0;

	key_of(1, k1);
	key_of(3, k3);
	key_of(4, k4);
	CHECK_INT(outbox_unsynced_cop(s, &before), 0);
	CHECK_INT(before, 7); /* the pending coupon of 7; the dead ones are not owed */

	CHECK_INT(outbox_admin_retry(s, "nonsense", &seq, why, sizeof why), OUTBOX_RETRY_BAD_KEY);
	CHECK(strstr(why, "not an idempotency key") != NULL);
	CHECK_INT(outbox_admin_retry(s, "00000000-0000-4000-8000-000000000000", &seq, why, sizeof why),
		  OUTBOX_RETRY_UNKNOWN);
	CHECK(strstr(why, "no event has the key") != NULL && strstr(why, "nothing was changed") != NULL);
	CHECK_INT(outbox_admin_retry(s, k3, &seq, why, sizeof why), OUTBOX_RETRY_NOT_DEAD);
	CHECK(strstr(why, "acknowledged") != NULL && strstr(why, "only dead letters") != NULL);
	CHECK_INT(outbox_admin_retry(s, k4, &seq, why, sizeof why), OUTBOX_RETRY_NOT_DEAD);
	CHECK(strstr(why, "pending") != NULL);
	CHECK_INT(state_of(k3), OUTBOX_ACKED);
	CHECK_INT(state_of(k4), OUTBOX_PENDING);
	CHECK_INT(state_of(k1), OUTBOX_DEAD);
	CHECK_STR(outbox_retry_code(OUTBOX_RETRY_NOT_DEAD), "not_dead");

	/* upper case is the same key */
	for (int i = 0; i <= OUTBOX_KEY_LEN; i++)
		up[i] = (char)(k1[i] >= 'a' && k1[i] <= 'f' ? k1[i] - 32 : k1[i]);
	CHECK_INT(outbox_admin_retry(s, up, &seq, why, sizeof why), OUTBOX_RETRY_OK);
	CHECK_INT(seq, 1);
	CHECK_INT(state_of(k1), OUTBOX_PENDING);
	CHECK_INT(peek("SELECT count(*) FROM outbox WHERE seq = 1 AND reason IS NULL AND acked_at IS NULL"), 1);
	CHECK_INT(outbox_unsynced_cop(s, &cop), 0);
	CHECK_INT(cop, before + 999999999999900LL); /* owed to the server again */
	/* a second retry: it is no longer dead */
	CHECK_INT(outbox_admin_retry(s, k1, &seq, why, sizeof why), OUTBOX_RETRY_NOT_DEAD);

	/* the drainer sends it with the same key and payload, first (lowest seq) */
	o = outbox_open(dbpath, (char[256]){0}, 256);
	CHECK(o != NULL);
	if (!o)
		return;
	CHECK_INT(outbox_claim(o, 1, &ev, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_STR(ev[0].key, k1);
		CHECK_INT(ev[0].seq, 1);
		CHECK_STR(ev[0].payload, payload_a);
		CHECK_INT(outbox_ack(o, ev[0].key, T0), 0);
	}
	outbox_events_free(ev, n);
	outbox_close(o);
	CHECK_INT(state_of(k1), OUTBOX_ACKED);
	CHECK_INT(outbox_unsynced_cop(s, &cop), 0);
	CHECK_INT(cop, before);
}

static void test_export(struct store *s)
{
	char dir[128], why[600], file[256];
	struct outbox_export_result r;
	char *text;
	cJSON *j;

	/* seq 6 pending with the big amount; seq 4 claimed (in flight) */
	CHECK_INT(outbox_push(s, "coupon.issued", T0 - 10, payload_a, NULL), 0);
	{
		struct outbox *o = outbox_open(dbpath, why, sizeof why);
		struct outbox_event *e = NULL;
		int n = 0;

		CHECK(o != NULL);
		CHECK_INT(o ? outbox_claim(o, 1, &e, &n) : -1, 0);
		CHECK_INT(n == 1 ? e[0].seq : 0, 4);
		outbox_events_free(e, n);
		outbox_close(o);
	}
	snprintf(dir, sizeof dir, "%s/usb", tmpdir);
	mkdir(dir, 0700);
	CHECK_INT(outbox_admin_export(s, dir, 7, T0, &r, why, sizeof why), OUTBOX_EXPORT_OK);
	snprintf(file, sizeof file, "%s/recaudo-queue-k0007-20261122T150000Z.json", dir);
	CHECK_STR(r.path, file);
	CHECK_INT(r.events, 3);
	CHECK_INT(r.dead, 1);
	CHECK_INT(dir_entries(dir), 1); /* no temporary file left */
	text = slurp(file);
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK_INT(r.bytes, (long long)strlen(text));
	CHECK(!strstr(text, ID_A) && !strstr(text, ID_B));
	CHECK(strstr(text, "\"amount_minor\":999999999999900") != NULL); /* exact, not 1e+15 */
	j = cJSON_Parse(text);
	CHECK(j != NULL);
	if (j) {
		cJSON *c = cJSON_GetObjectItem(j, "counts"), *ev = cJSON_GetObjectItem(j, "events"),
		      *dl = cJSON_GetObjectItem(j, "dead_letters");

		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "format")), "recaudo-queue-export");
		CHECK_INT(cJSON_GetObjectItem(j, "kiosk_id")->valueint, 7);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "exported_at")), "2026-11-22T15:00:00Z");
		CHECK_INT(cJSON_GetObjectItem(c, "pending")->valueint, 2);
		CHECK_INT(cJSON_GetObjectItem(c, "in_flight")->valueint, 1);
		CHECK_INT(cJSON_GetObjectItem(c, "acked")->valueint, 2);
		CHECK_INT(cJSON_GetObjectItem(c, "dead")->valueint, 1);
		CHECK_INT(cJSON_GetArraySize(ev), 3);
		CHECK_INT(cJSON_GetArraySize(dl), 1);
		cJSON *d0 = cJSON_GetArrayItem(dl, 0), *e0 = cJSON_GetArrayItem(ev, 0);
		CHECK_INT(cJSON_GetObjectItem(d0, "seq")->valueint, 2);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d0, "state")), "dead");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d0, "reason")), "amount: over the limit");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(d0, "dead_at")), "2026-11-22T14:56:40Z");
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(d0, "payload"), "id_number")),
			  "\u2022\u2022\u2022\u20226543");
		CHECK_INT(cJSON_GetObjectItem(e0, "seq")->valueint, 4);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e0, "state")), "in_flight");
		CHECK_INT(cJSON_GetObjectItem(e0, "attempts")->valueint, 1);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 1), "state")), "pending");
		CHECK_INT(cJSON_GetObjectItem(cJSON_GetArrayItem(ev, 2), "seq")->valueint, 6);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "oldest_unsynced_at")), "2026-11-22T14:59:10Z");
	}
	cJSON_Delete(j);
	free(text);
	/* the same second again: another name, the first file untouched */
	CHECK_INT(outbox_admin_export(s, dir, 7, T0, &r, why, sizeof why), OUTBOX_EXPORT_OK);
	CHECK(strstr(r.path, "-20261122T150000Z-2.json") != NULL);
	CHECK_INT(dir_entries(dir), 2);
	CHECK_STR(outbox_export_code(OUTBOX_EXPORT_READ_ONLY), "read_only");
}

static void test_export_bad_dirs(struct store *s)
{
	char dir[128], why[600], file[256];
	struct outbox_export_result r;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/missing", tmpdir);
	CHECK_INT(outbox_admin_export(s, dir, 1, T0, &r, why, sizeof why), OUTBOX_EXPORT_NO_DIR);
	CHECK(strstr(why, "is not there") != NULL && strstr(why, "nothing was written") != NULL);
	CHECK(access(dir, F_OK) != 0);
	CHECK_INT(r.events, 0);

	snprintf(file, sizeof file, "%s/plainfile", tmpdir);
	f = fopen(file, "w");
	if (f)
		fclose(f);
	snprintf(dir, sizeof dir, "%s/plainfile/sub", tmpdir);
	CHECK_INT(outbox_admin_export(s, dir, 1, T0, &r, why, sizeof why), OUTBOX_EXPORT_NOT_DIR);
	CHECK(strstr(why, "nothing was written") != NULL);
	CHECK_INT(outbox_admin_export(s, file, 1, T0, &r, why, sizeof why), OUTBOX_EXPORT_NOT_DIR);
	CHECK(strstr(why, "is not a directory") != NULL);
	CHECK_INT(outbox_admin_export(s, "", 1, T0, &r, why, sizeof why), OUTBOX_EXPORT_NOT_DIR);
}

/* In a child with its own mount namespace (a user namespace too when not root): dir becomes a
 * tmpfs mounted with opts, then the export runs. Exit status: the export's result * 10 + the
 * number of entries left in dir (capped at 9); 255: the namespace could not be made. */
static int export_on_mount(struct store *s, const char *dir, const char *opts, unsigned long flags)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		struct outbox_export_result r;
		char why[600];
		int rc, left;

		if (unshare(CLONE_NEWNS | (geteuid() ? CLONE_NEWUSER : 0)) != 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("tmpfs", dir, "tmpfs", flags, opts) != 0)
			_exit(255);
		rc = outbox_admin_export(s, dir, 1, T0, &r, why, sizeof why);
		fprintf(stderr, "export on a tmpfs (%s%s): %s\n", opts, flags & MS_RDONLY ? ",ro" : "", why);
		left = dir_entries(dir);
		_exit(rc * 10 + (left < 0 ? 9 : left > 9 ? 9 : left));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_export_fs_failures(struct store *s)
{
	char dir[128];
	int rc;

	snprintf(dir, sizeof dir, "%s/ro", tmpdir);
	mkdir(dir, 0700);
	rc = export_on_mount(s, dir, "size=64k", MS_RDONLY);
	if (rc == 255) {
		/* No namespaces here: a directory this user cannot write in. As root, permissions do
		 * not stop writes; sysfs refuses new files even to root. */
		const char *ro = dir;
		struct outbox_export_result r;
		char why[600];

		if (geteuid() == 0)
			ro = "/sys";
		else
			chmod(dir, 0500);
		printf("no mount namespace: read-only case on %s\n", ro);
		CHECK_INT(outbox_admin_export(s, ro, 1, T0, &r, why, sizeof why), OUTBOX_EXPORT_READ_ONLY);
		CHECK(strstr(why, "cannot write in") != NULL);
		chmod(dir, 0700);
		CHECK_INT(dir_entries(dir), 0);
		printf("no mount namespace: the disk-full case was not run\n");
		return;
	}
	CHECK_INT(rc, OUTBOX_EXPORT_READ_ONLY * 10 + 0);
	/* a file system too small for the export: ENOSPC while writing; nothing left */
	rc = export_on_mount(s, dir, "size=4k", 0);
	CHECK_INT(rc, OUTBOX_EXPORT_WRITE * 10 + 0);
	CHECK_INT(dir_entries(dir), 0);
}

/* The audit details of the screen and the commands: codes only, and numbers of 6+ digits
 * grouped, or the audit log would refuse them as ID-like digit runs. */
static void test_details(struct store *s)
{
	struct outbox_export_result res = {.events = 120400, .dead = 3};
	char d[128];

	queue_export_detail(d, sizeof d, OUTBOX_EXPORT_OK, &res);
	CHECK_STR(d, "events=120.400 dead=3");
	CHECK_INT(store_audit_append(s, T0, "queue.export", "ok", d, NULL), 0);
	queue_export_detail(d, sizeof d, OUTBOX_EXPORT_NO_DIR, &res);
	CHECK_STR(d, "code=no_dir");
	queue_retry_detail(d, sizeof d, OUTBOX_RETRY_OK, 1234567);
	CHECK_STR(d, "seq=1.234.567");
	CHECK_INT(store_audit_append(s, T0, "queue.retry", "ok", d, NULL), 0);
	queue_retry_detail(d, sizeof d, OUTBOX_RETRY_OK, 99999);
	CHECK_STR(d, "seq=99999");
	queue_retry_detail(d, sizeof d, OUTBOX_RETRY_UNKNOWN, 0);
	CHECK_STR(d, "code=unknown_key");
	queue_sync_detail(d, sizeof d, 100000, 0);
	CHECK_STR(d, "queue=100.000 dead=0");
	CHECK_INT(store_audit_append(s, T0, "queue.sync", "ok", d, NULL), 0);
	/* what the grouping avoids */
	CHECK_INT(store_audit_append(s, T0, "queue.retry", "ok", "seq=1234567", NULL), STORE_EINVAL);
}

int main(void)
{
	struct store *s = NULL;
	char err[256];

	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_queue-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/recaudo.db", tmpdir);
	if (store_open(&s, dbpath, err, sizeof err) != 0) {
		fprintf(stderr, "store_open: %s\n", err);
		return 1;
	}
	fill(s);
	test_counts_and_dead(s);
	test_mask(s);
	test_retry(s);
	test_export(s);
	test_export_bad_dirs(s);
	test_details(s);
	/* enough events that the export does not fit in 4 KiB */
	for (int i = 0; i < 40; i++)
		CHECK_INT(outbox_push(s, "coupon.issued", T0, payload_b, NULL), 0);
	test_export_fs_failures(s);
	store_close(s);
	tmpdir_remove(tmpdir);
	return check_done();
}
