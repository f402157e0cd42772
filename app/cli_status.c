/* `recaudo maint status` (cli_status.h): the Estado dashboard as text or JSON. */
#include "cli_status.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"

static const char *api_rc_name(int rc)
{
	switch (rc) {
	case API_OK:
		return "ok";
	case API_ERR_NETWORK:
		return "network";
	case API_ERR_TLS:
		return "tls";
	case API_ERR_AUTH:
		return "auth";
	case API_ERR_SERVER:
		return "server";
	default:
		return "protocol";
	}
}

/* Adds "key": ISO 8601 UTC time, or null for 0. */
static void add_time(cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
		cJSON_AddStringToObject(o, key, buf);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v && v[0])
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_date(cJSON *o, const char *key, int32_t d)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
	cJSON_AddStringToObject(o, key, buf);
}

/* One line's object: its level and its words (English), for the fields to be added. */
static cJSON *line(cJSON *root, const struct maint_status *st, enum ms_line i)
{
	char text[512];
	cJSON *o = cJSON_AddObjectToObject(root, maint_status_line_name(i));

	if (!o)
		return NULL;
	maint_status_value(st, i, LANG_EN, text, sizeof text);
	cJSON_AddStringToObject(o, "level", maint_status_level_name(st->level[i]));
	cJSON_AddStringToObject(o, "text", text);
	return o;
}

char *cli_status_json(const struct maint_status *st)
{
	cJSON *root = cJSON_CreateObject(), *o, *j;
	char *text = NULL;

	if (!root)
		return NULL;
	add_time(root, "generated_at", st->now);
	cJSON_AddStringToObject(root, "overall", maint_status_level_name(maint_status_overall(st)));
	cJSON_AddNumberToObject(root, "kiosk_id", st->kiosk_id);
	cJSON_AddStringToObject(root, "version", st->version);

	if ((o = line(root, st, MS_PRINTER))) {
		cJSON_AddStringToObject(o, "backend", st->printer_backend);
		cJSON_AddBoolToObject(o, "asked", st->printer_known);
		cJSON_AddBoolToObject(o, "held_by_kiosk", st->printer_held);
		add_str(o, "state", st->printer_known ? printer_state_name(st->printer.state) : NULL);
		add_str(o, "detail", st->printer_known ? st->printer.detail : NULL);
		add_str(o, "error", st->printer_why);
		if (st->have_job && (j = cJSON_AddObjectToObject(o, "last_job"))) {
			cJSON_AddStringToObject(j, "kind", st->job_kind);
			cJSON_AddStringToObject(j, "state", st->job_state);
			add_time(j, "at", st->job_at);
		} else {
			cJSON_AddNullToObject(o, "last_job");
		}
	}
	if ((o = line(root, st, MS_NETWORK))) {
		cJSON_AddBoolToObject(o, "central", st->central);
		if (st->central && st->api_tried)
			cJSON_AddBoolToObject(o, "reached", st->api_rc != API_ERR_NETWORK);
		else
			cJSON_AddNullToObject(o, "reached");
		/* what the sync worker last recorded (another process's view) */
		cJSON_AddStringToObject(o, "sync_link", st->ob.link == 1 ? "online" : st->ob.link == 0 ? "offline" : "never");
		add_str(o, "sync_error", st->ob.link == 0 ? st->ob.last_error : NULL);
	}
	if ((o = line(root, st, MS_API))) {
		add_str(o, "heartbeat", !st->central ? NULL : st->api_tried ? api_rc_name(st->api_rc) : "not_sent");
		if (st->api_tried && st->api_rc == API_OK)
			cJSON_AddNumberToObject(o, "latency_ms", (double)st->latency_us / 1000.0);
		else
			cJSON_AddNullToObject(o, "latency_ms");
		add_str(o, "error", st->central && st->api_rc != API_OK ? st->api_error : NULL);
	}
	if ((o = line(root, st, MS_CERT))) {
		cJSON_AddBoolToObject(o, "tls", st->tls);
		add_time(o, "not_after", st->cert_not_after);
		if (st->cert_not_after) {
			int64_t left = st->cert_not_after - st->now;
			cJSON_AddNumberToObject(o, "days_left", (double)(left >= 0 ? left / 86400 : -((-left + 86399) / 86400)));
		} else {
			cJSON_AddNullToObject(o, "days_left");
		}
		cJSON_AddBoolToObject(o, "expired", st->cert_expired || (st->cert_not_after && st->cert_not_after <= st->now));
	}
	if ((o = line(root, st, MS_QUEUE))) {
		cJSON_AddNumberToObject(o, "pending", (double)st->ob.pending);
		cJSON_AddNumberToObject(o, "dead_letters", (double)st->ob.dead);
		if (st->ob.oldest_unsynced > 0)
			cJSON_AddNumberToObject(o, "oldest_unsynced_age_s",
						(double)(st->now > st->ob.oldest_unsynced ? st->now - st->ob.oldest_unsynced : 0));
		else
			cJSON_AddNullToObject(o, "oldest_unsynced_age_s");
		add_time(o, "last_sync", st->ob.last_sync);
	}
	if ((o = line(root, st, MS_DATA))) {
		add_time(o, "data_as_of", st->data_as_of);
		if (st->data_as_of)
			cJSON_AddNumberToObject(o, "data_age_s", (double)(st->now - st->data_as_of));
		else
			cJSON_AddNullToObject(o, "data_age_s");
		cJSON_AddNumberToObject(o, "max_data_age_h", st->max_data_age_h);
	}
	if ((o = line(root, st, MS_TRM))) {
		cJSON_AddBoolToObject(o, "valid_today", st->trm_found);
		if (st->trm_found) {
			cJSON_AddNumberToObject(o, "cop_minor_per_usd", (double)st->trm.cop_minor_per_usd);
			add_date(o, "valid_from", st->trm.valid_from);
			add_date(o, "valid_to", st->trm.valid_to);
		}
	}
	if ((o = line(root, st, MS_STORE))) {
		cJSON_AddStringToObject(o, "quick_check", st->check_rc == 0 ? "ok" : st->check_rc > 0 ? "corrupt" : "error");
		add_str(o, "detail", st->check_rc ? st->check_detail : NULL);
		cJSON_AddNumberToObject(o, "schema_version", st->schema_version);
		cJSON_AddNumberToObject(o, "store_bytes", (double)st->store_bytes);
	}
	if ((o = line(root, st, MS_DISK))) {
		cJSON_AddNumberToObject(o, "free_bytes", (double)st->free_bytes);
		cJSON_AddNumberToObject(o, "total_bytes", (double)st->disk_bytes);
		if (st->free_bytes >= 0 && st->disk_bytes > 0)
			cJSON_AddNumberToObject(o, "free_pct", (double)(st->free_bytes * 100 / st->disk_bytes));
		else
			cJSON_AddNullToObject(o, "free_pct");
	}
	if ((o = line(root, st, MS_SOFTWARE))) {
		cJSON_AddStringToObject(o, "version", st->version);
		cJSON_AddNumberToObject(o, "kiosk_id", st->kiosk_id);
	}
	if ((o = line(root, st, MS_UPTIME))) {
		cJSON_AddBoolToObject(o, "running", st->running);
		add_time(o, "started_at", st->started_at);
		if (st->running && st->started_at > 0)
			cJSON_AddNumberToObject(o, "uptime_s", (double)(st->now - st->started_at));
		else
			cJSON_AddNullToObject(o, "uptime_s");
	}
	if ((o = line(root, st, MS_RESTART))) {
		cJSON_AddStringToObject(o, "reason", maint_status_restart_name(st->restart));
		add_time(o, "at", st->started_at);
		add_time(o, "last_exit_at", st->last_exit_at);
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

int cli_maint_status(const char *config_path, const char *data_dir, int json, FILE *out, FILE *err)
{
	struct config cfg;
	struct maint_status st;
	char why[400], db[600];
	struct store *s = NULL;
	static const char *const words[] = {"OK", "WARN", "FAIL", "INFO"};

	/* the settings only, as `recaudo status`: a loose secret is shown on its line, and does
	 * not keep the technician from the rest */
	config_defaults(&cfg);
	if (config_path && config_load_settings(&cfg, config_path, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint status: %s\n", why);
		return 1;
	}
	if (snprintf(db, sizeof db, "%s/recaudo.db", data_dir) >= (int)sizeof db) {
		fprintf(err, "recaudo: maint status: the data directory path is too long\n");
		return 1;
	}
	if (access(db, F_OK) != 0) {
		fprintf(err, "recaudo: maint status: no store at %s (has the kiosk run with --data %s?)\n", db, data_dir);
		return 1;
	}
	if (store_open_readonly(&s, db, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint status: %s\n", why);
		return 1;
	}
	struct maint_status_in in = {.cfg = &cfg, .data_dir = data_dir, .now = (int64_t)time(NULL)};
	if (maint_status_gather(s, &in, &st) != 0) {
		fprintf(err, "recaudo: maint status: %s\n", store_error(s));
		store_close(s);
		return 1;
	}
	store_close(s);
	if (json) {
		char *text = cli_status_json(&st);
		if (!text) {
			fprintf(err, "recaudo: maint status: out of memory\n");
			return 1;
		}
		fprintf(out, "%s\n", text);
		free(text);
		return 0;
	}
	fprintf(out, "Recaudo kiosk %u, version %s: %s\n", (unsigned)st.kiosk_id, st.version,
		words[maint_status_overall(&st)]);
	for (int i = 0; i < MS_LINES; i++) {
		char text[512];
		maint_status_value(&st, (enum ms_line)i, LANG_EN, text, sizeof text);
		fprintf(out, "%-4s  %-20s %s\n", words[st.level[i]], maint_status_label((enum ms_line)i, LANG_EN), text);
	}
	return 0;
}
