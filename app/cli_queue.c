/* `recaudo queue ...` commands (see cli_queue.h). */
#include "cli_queue.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "audit.h"
#include "config.h"
#include "services.h"
#include "store.h"

/* v with '.' between groups of three once it has 6 digits or more: 123.456 */
static void group(char *buf, size_t n, uint64_t v)
{
	char d[32];
	size_t len, o = 0;

	snprintf(d, sizeof d, "%" PRIu64, v);
	len = strlen(d);
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (len >= 6 && i > 0 && (len - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
}

void queue_retry_detail(char *buf, size_t n, enum outbox_retry r, uint64_t seq)
{
	char s[32];

	group(s, sizeof s, seq);
	if (r == OUTBOX_RETRY_OK)
		snprintf(buf, n, "seq=%s", s);
	else
		snprintf(buf, n, "code=%s", outbox_retry_code(r));
}

void queue_export_detail(char *buf, size_t n, enum outbox_export_rc r, const struct outbox_export_result *res)
{
	char e[32], d[32];

	if (r != OUTBOX_EXPORT_OK) {
		snprintf(buf, n, "code=%s", outbox_export_code(r));
		return;
	}
	group(e, sizeof e, (uint64_t)res->events);
	group(d, sizeof d, (uint64_t)res->dead);
	snprintf(buf, n, "events=%s dead=%s", e, d);
}

void queue_sync_detail(char *buf, size_t n, int64_t queue_depth, int64_t dead)
{
	char q[32], d[32];

	group(q, sizeof q, (uint64_t)(queue_depth < 0 ? 0 : queue_depth));
	group(d, sizeof d, (uint64_t)(dead < 0 ? 0 : dead));
	snprintf(buf, n, "queue=%s dead=%s", q, d);
}

static void iso(char *buf, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "-");
}

/* The store of data_dir: read-only (creates nothing) or read-write (an existing one only). */
static struct store *open_existing(const char *data_dir, int rw, const char *cmd, FILE *err)
{
	char db[600], why[400];
	struct store *s = NULL;

	if (strlen(data_dir) > 400) {
		fprintf(err, "recaudo: queue %s: the data directory path is too long\n", cmd);
		return NULL;
	}
	snprintf(db, sizeof db, "%s/recaudo.db", data_dir);
	if (access(db, F_OK) != 0) {
		fprintf(err, "recaudo: queue %s: no store at %s (nothing queued)\n", cmd, db);
		return NULL;
	}
	if ((rw ? store_open(&s, db, why, sizeof why) : store_open_readonly(&s, db, why, sizeof why)) != 0) {
		if (rw)
			app_explain_disk_full(data_dir, why, sizeof why);
		fprintf(err, "recaudo: queue %s: %s\n", cmd, why);
		return NULL;
	}
	return s;
}

static int list_json(const struct outbox_counts *c, const struct outbox_dead_view *d, int n, int64_t now, FILE *out)
{
	cJSON *j = cJSON_CreateObject(), *arr;
	char at[32], *text;
	int ok = j != NULL;

	ok = ok && cJSON_AddNumberToObject(j, "pending", (double)c->pending) &&
	     cJSON_AddNumberToObject(j, "in_flight", (double)c->in_flight) &&
	     cJSON_AddNumberToObject(j, "acked", (double)c->acked) &&
	     cJSON_AddNumberToObject(j, "dead", (double)c->dead);
	if (ok && c->oldest_unsynced)
		ok = cJSON_AddNumberToObject(j, "oldest_unsynced_age_s",
					     (double)(now > c->oldest_unsynced ? now - c->oldest_unsynced : 0)) != NULL;
	else if (ok)
		ok = cJSON_AddNullToObject(j, "oldest_unsynced_age_s") != NULL;
	iso(at, sizeof at, c->last_sync);
	if (ok)
		ok = (c->last_sync ? cJSON_AddStringToObject(j, "last_sync", at) : cJSON_AddNullToObject(j, "last_sync")) != NULL;
	arr = ok ? cJSON_AddArrayToObject(j, "dead_letters") : NULL;
	for (int i = 0; arr && ok && i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		ok = o && cJSON_AddItemToArray(arr, o);
		ok = ok && cJSON_AddStringToObject(o, "key", d[i].key) &&
		     cJSON_AddNumberToObject(o, "seq", (double)d[i].seq) && cJSON_AddStringToObject(o, "type", d[i].type);
		iso(at, sizeof at, d[i].at);
		ok = ok && cJSON_AddStringToObject(o, "at", at);
		iso(at, sizeof at, d[i].dead_at);
		ok = ok && (d[i].dead_at ? cJSON_AddStringToObject(o, "dead_at", at) : cJSON_AddNullToObject(o, "dead_at"));
		ok = ok && cJSON_AddNumberToObject(o, "attempts", d[i].attempts) &&
		     (d[i].id_masked[0] ? cJSON_AddStringToObject(o, "id", d[i].id_masked) : cJSON_AddNullToObject(o, "id")) &&
		     cJSON_AddStringToObject(o, "reason", d[i].reason);
	}
	text = ok && arr ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	if (!text)
		return -1;
	fprintf(out, "%s\n", text);
	free(text);
	return 0;
}

static int cmd_list(const char *data_dir, int json, FILE *out, FILE *err)
{
	struct outbox_counts c;
	struct outbox_dead_view *d = NULL;
	int n = 0, rc = 1;
	int64_t now = (int64_t)time(NULL);
	struct store *s = open_existing(data_dir, 0, "list", err);

	if (!s)
		return 1;
	if (outbox_admin_counts(s, &c) != 0 || outbox_admin_dead(s, 1000000, &d, &n) != 0) {
		fprintf(err, "recaudo: queue list: %s\n", store_error(s));
		goto out;
	}
	if (json) {
		if (list_json(&c, d, n, now, out) != 0) {
			fprintf(err, "recaudo: queue list: out of memory\n");
			goto out;
		}
		rc = 0;
		goto out;
	}
	char age[48] = "none", last[32];
	if (c.oldest_unsynced)
		snprintf(age, sizeof age, "%" PRId64 " s ago", now > c.oldest_unsynced ? now - c.oldest_unsynced : 0);
	iso(last, sizeof last, c.last_sync);
	fprintf(out, "queue: %" PRId64 " pending · %" PRId64 " in flight · %" PRId64 " acknowledged · %" PRId64
		     " dead letters · oldest unsynced %s · last sync %s\n",
		c.pending, c.in_flight, c.acked, c.dead, age, c.last_sync ? last : "never");
	for (int i = 0; i < n; i++) {
		char at[32], dead[32];

		iso(at, sizeof at, d[i].at);
		iso(dead, sizeof dead, d[i].dead_at);
		fprintf(out, "dead %s seq %" PRIu64 " %s at %s refused %s id %s reason: %s\n", d[i].key, d[i].seq,
			d[i].type, at, dead, d[i].id_masked[0] ? d[i].id_masked : "-", d[i].reason);
	}
	rc = 0;
out:
	free(d);
	store_close(s);
	return rc;
}

static void audit(struct store *s, const char *action, int ok, const char *detail, FILE *err)
{
	if (store_audit_append(s, 0, action, ok ? "ok" : "failed", detail, NULL) != 0)
		fprintf(err, "recaudo: queue: the audit row could not be written: %s\n", store_error(s));
}

static int cmd_retry(const char *data_dir, const char *key, FILE *out, FILE *err)
{
	char why[400], detail[AUDIT_DETAIL_MAX + 1];
	uint64_t seq = 0;
	struct store *s = open_existing(data_dir, 1, "retry", err);
	enum outbox_retry r;

	if (!s)
		return 1;
	r = outbox_admin_retry(s, key, &seq, why, sizeof why);
	queue_retry_detail(detail, sizeof detail, r, seq);
	audit(s, "queue.retry", r == OUTBOX_RETRY_OK, detail, err);
	if (r == OUTBOX_RETRY_OK)
		fprintf(out, "event %" PRIu64 " is back in the queue with its key; it is sent at the next sync\n", seq);
	else
		fprintf(err, "recaudo: queue retry: %s\n", why);
	store_close(s);
	return r == OUTBOX_RETRY_OK ? 0 : 1;
}

static int cmd_export(const struct config *cfg, const char *data_dir, const char *dir, FILE *out, FILE *err)
{
	char why[1200], detail[AUDIT_DETAIL_MAX + 1];
	struct outbox_export_result res;
	struct store *s = open_existing(data_dir, 1, "export", err);
	enum outbox_export_rc r;

	if (!s)
		return 1;
	r = outbox_admin_export(s, dir, cfg->kiosk_id, (int64_t)time(NULL), &res, why, sizeof why);
	queue_export_detail(detail, sizeof detail, r, &res);
	audit(s, "queue.export", r == OUTBOX_EXPORT_OK, detail, err);
	if (r == OUTBOX_EXPORT_OK)
		fprintf(out, "exported %" PRId64 " unsynced events and %" PRId64 " dead letters to %s\n", res.events,
			res.dead, res.path);
	else
		fprintf(err, "recaudo: queue export: %s\n", why);
	store_close(s);
	return r == OUTBOX_EXPORT_OK ? 0 : 1;
}

int cli_queue(const char *config_path, const char *data_dir, const char *const *args, int n, int json,
	      FILE *out, FILE *err)
{
	struct config cfg;
	char why[400];

	config_defaults(&cfg);
	/* the settings only: a missing font or secret must not keep a technician from the queue */
	if (config_path && config_load_settings(&cfg, config_path, why, sizeof why) != 0) {
		fprintf(err, "recaudo: %s\n", why);
		return 1;
	}
	if (n == 1 && !strcmp(args[0], "list"))
		return cmd_list(data_dir, json, out, err);
	if (n == 2 && !strcmp(args[0], "retry"))
		return cmd_retry(data_dir, args[1], out, err);
	if ((n == 1 || n == 2) && !strcmp(args[0], "export"))
		return cmd_export(&cfg, data_dir, n == 2 ? args[1] : cfg.removable_dir, out, err);
	fprintf(err, "usage: recaudo queue list [--json] | queue retry KEY | queue export [DIR]"
		     "   [--data DIR] [--config FILE]\n");
	return 2;
}
