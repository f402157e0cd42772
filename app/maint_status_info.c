/* maint_status_info — the Estado dashboard's data (maint_status.h): gathering, the verdicts,
 * the words and the restart marker. No SDL: `recaudo maint status` runs it in a shell. */
#include "maint_status.h"
#include "store_update.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "api_probe.h"
#include "audit.h"
#include "printq.h"
#include "services.h"

/* ---- the restart marker: meta run_marker = "STATE PID STARTED_AT REASON [EXIT_AT]" ---- */

#define MARKER_KEY "run_marker"

static const char *const restart_names[] = {"unknown", "first_start", "clean", "technician", "crash"};

const char *maint_status_restart_name(enum ms_restart r)
{
	return (unsigned)r < sizeof restart_names / sizeof *restart_names ? restart_names[r] : "unknown";
}

struct marker {
	char state[12]; /* running | clean | restart */
	long long pid, started_at, exit_at;
	enum ms_restart reason;
};

/* 1 with *m read, 0 when there is none (or it is unreadable: then nothing is known), <0 error. */
static int marker_read(struct store *s, struct marker *m)
{
	char v[128], reason[16] = "";
	int rc = store_meta_get(s, MARKER_KEY, v, sizeof v);

	memset(m, 0, sizeof *m);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (sscanf(v, "%11s %lld %lld %15s %lld", m->state, &m->pid, &m->started_at, reason, &m->exit_at) < 4)
		return 0;
	for (size_t i = 0; i < sizeof restart_names / sizeof *restart_names; i++)
		if (!strcmp(reason, restart_names[i]))
			m->reason = (enum ms_restart)i;
	return 1;
}

int maint_status_note_start(struct store *s, int64_t now)
{
	struct marker m;
	char v[128];
	enum ms_restart why = MS_RESTART_FIRST;
	int rc = marker_read(s, &m);

	if (rc < 0)
		return rc;
	if (rc == 1)
		why = !strcmp(m.state, "clean")     ? MS_RESTART_CLEAN
		      : !strcmp(m.state, "restart") ? MS_RESTART_TECHNICIAN
						    : MS_RESTART_CRASH; /* "running": it never noted its exit */
	snprintf(v, sizeof v, "running %lld %lld %s", (long long)getpid(), (long long)now, maint_status_restart_name(why));
	return store_meta_set(s, MARKER_KEY, v);
}

int maint_status_note_exit(struct store *s, enum ms_exit why, int64_t now)
{
	struct marker m;
	char v[128];
	int rc = marker_read(s, &m);

	if (rc < 0)
		return rc;
	if (rc == 0) { /* no start noted: say at least how this run ended */
		m.pid = getpid();
		m.reason = MS_RESTART_UNKNOWN;
	}
	snprintf(v, sizeof v, "%s %lld %lld %s %lld", why == MS_EXIT_RESTART ? "restart" : "clean", m.pid, m.started_at,
		 maint_status_restart_name(m.reason), (long long)now);
	return store_meta_set(s, MARKER_KEY, v);
}

/* A process pid that is a Recaudo kiosk (its command name), as far as this user can tell. */
static int kiosk_alive(long long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (pid <= 0 || pid > INT32_MAX || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	snprintf(path, sizeof path, "/proc/%lld/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 1; /* no /proc: the pid alone says it */
	if (!fgets(comm, sizeof comm, f))
		comm[0] = 0;
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return !strcmp(comm, "recaudo");
}

/* ---- gathering ---- */

static void gather_printer(struct maint_status *st, const struct maint_status_in *in, struct store *s)
{
	struct store_print_job j;

	snprintf(st->printer_backend, sizeof st->printer_backend, "%s", in->cfg->printer_backend);
	if (store_print_job_last(s, &j) == 0) {
		st->have_job = 1;
		snprintf(st->job_kind, sizeof st->job_kind, "%s", j.kind);
		snprintf(st->job_state, sizeof st->job_state, "%s", j.state);
		st->job_at = j.updated_at;
	}
	if (in->printer) { /* the print worker's last report: asking again would queue behind a job */
		st->printer = *in->printer;
		st->printer_known = 1;
		return;
	}
	if (st->running && !in->in_kiosk) {
		/* A second opener of a serial or USB printer could interleave its DLE EOT with a
		 * receipt the kiosk is sending, and a network printer takes one connection: the
		 * running kiosk's printer is left alone. */
		st->printer_held = 1;
		return;
	}
	struct printer *p = NULL;
	if (app_printer_open(in->cfg, in->data_dir, &p, st->printer_why, sizeof st->printer_why) != 0)
		return;
	printer_status(p, &st->printer, 0);
	st->printer_known = 1;
	printer_close(p);
}

static void gather_central(struct maint_status *st, const struct maint_status_in *in, struct store *s)
{
	const struct config *cfg = in->cfg;
	struct api_config ac;
	struct api_heartbeat hb;
	struct api_probe pr;
	char head[AUDIT_HASH_HEX + 1] = "";
	struct api *a;

	st->central = cfg->central_url[0] != 0;
	if (!st->central)
		return;
	st->tls = strncmp(cfg->central_url, "https://", 8) == 0;
	/* the online lookup's budget (connect: [central] lookup_timeout_ms, whole request 10 s): a
	 * technician waits on it, unlike the sync worker's patient link */
	if (app_api_config(cfg, &ac, st->api_error, sizeof st->api_error) != 0)
		return;
	a = api_open(&ac, st->api_error, sizeof st->api_error);
	explicit_bzero(&ac, sizeof ac);
	if (!a)
		return;
	if (store_audit_head(s, head) != 0)
		head[0] = 0;
	memset(&hb, 0, sizeof hb);
	hb.queue_depth = st->ob.pending;
	hb.oldest_unsynced_s = st->ob.oldest_unsynced > 0 && st->now > st->ob.oldest_unsynced ? st->now - st->ob.oldest_unsynced : 0;
	hb.dead_letters = st->ob.dead;
	hb.printer = st->printer_known ? printer_state_name(st->printer.state) : "unknown";
	hb.printer_job = st->printer_known ? printer_job_name(st->printer.job) : NULL;
	hb.printer_detail = st->printer_known ? st->printer.detail : NULL;
	hb.data_as_of = st->data_as_of;
	hb.version = RECAUDO_VERSION;
	hb.audit_head = head;
	struct store_update_hold hold; /* the same "update" as the sync worker's heartbeat */
	if (store_update_hold_get(s, &hold) == 0)
		hb.update_version = hold.version, hb.update_since = hold.since, hb.update_money_events = hold.money_events;
	st->api_tried = 1;
	st->api_rc = api_probe_heartbeat(a, &hb, &pr);
	st->latency_us = pr.latency_us;
	st->cert_not_after = pr.cert_not_after;
	st->cert_expired = pr.cert_expired;
	snprintf(st->api_error, sizeof st->api_error, "%s", pr.error);
	api_close(a);
}

int maint_status_gather(struct store *s, const struct maint_status_in *in, struct maint_status *out)
{
	struct marker m;
	struct store_disk du;
	struct statvfs vfs;

	memset(out, 0, sizeof *out);
	out->now = in->now;
	out->kiosk_id = in->cfg->kiosk_id;
	out->version = RECAUDO_VERSION;
	out->max_data_age_h = in->cfg->max_data_age_h;
	out->today = date_from_epoch(in->now);
	out->store_bytes = out->free_bytes = out->disk_bytes = -1;
	out->schema_version = store_schema_version(s);
	if (out->schema_version < 0 || outbox_stats_get(s, NULL, &out->ob) < 0 || store_data_as_of(s, &out->data_as_of) < 0)
		return STORE_ERR;
	out->trm_found = store_trm_for_date(s, out->today, &out->trm) == 0;

	/* the process: the marker its start left */
	if (marker_read(s, &m) == 1) {
		out->started_at = m.started_at;
		out->restart = m.reason;
		out->self = m.pid == (long long)getpid() && !strcmp(m.state, "running");
		out->running = !strcmp(m.state, "running") && (out->self || (!in->in_kiosk && kiosk_alive(m.pid)));
		out->last_exit_at = strcmp(m.state, "running") ? m.exit_at : 0;
	}
	if (in->in_kiosk) {
		out->running = 1;
		if (!out->self) { /* this process noted no start: the marker is an earlier run's */
			out->started_at = 0;
			out->restart = MS_RESTART_UNKNOWN;
		}
	}

	gather_printer(out, in, s);
	gather_central(out, in, s);

	/* the slow part last: every page of the store */
	out->check_rc = store_quick_check(s, out->check_detail, sizeof out->check_detail);
	if (out->check_rc < 0)
		snprintf(out->check_detail, sizeof out->check_detail, "%s", store_error(s));
	if (store_disk_usage(s, &du) == 0) {
		out->store_bytes = du.store_bytes;
		out->free_bytes = du.free_bytes;
	}
	if (statvfs(in->data_dir, &vfs) == 0)
		out->disk_bytes = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
	maint_status_judge(out);
	return 0;
}

/* ---- the verdicts ---- */

static int cert_days(const struct maint_status *st)
{
	int64_t left = st->cert_not_after - st->now;

	return (int)(left >= 0 ? left / 86400 : -((-left + 86399) / 86400));
}

void maint_status_judge(struct maint_status *st)
{
	enum ms_level *lv = st->level;
	int64_t age;

	/* the printer: what blocks a receipt is red, paper near its end amber */
	if (st->printer_known)
		lv[MS_PRINTER] = printer_state_blocks(st->printer.state) || st->printer.rc != 0 ? MS_FAIL
				 : st->printer.state == PRINTER_PAPER_NEAR_END             ? MS_WARN
											   : MS_OK;
	else
		lv[MS_PRINTER] = st->printer_held ? MS_INFO : MS_FAIL;

	/* the network and the API: a heartbeat accepted, in how long */
	if (!st->central) {
		lv[MS_NETWORK] = lv[MS_API] = lv[MS_CERT] = MS_INFO;
	} else {
		lv[MS_NETWORK] = !st->api_tried ? MS_INFO : st->api_rc == API_ERR_NETWORK ? MS_FAIL : MS_OK;
		lv[MS_API] = !st->api_tried || st->api_rc != API_OK ? MS_FAIL
			     : st->latency_us >= MS_LATENCY_WARN_MS * 1000LL ? MS_WARN
									      : MS_OK;
		if (!st->tls)
			lv[MS_CERT] = MS_INFO;
		else if (st->cert_expired || (st->api_tried && st->api_rc == API_ERR_TLS))
			lv[MS_CERT] = MS_FAIL;
		else if (!st->cert_not_after)
			lv[MS_CERT] = MS_INFO; /* not reached: the network line says why */
		else
			lv[MS_CERT] = cert_days(st) < MS_CERT_FAIL_DAYS ? MS_FAIL
				      : cert_days(st) < MS_CERT_WARN_DAYS ? MS_WARN
									  : MS_OK;
	}

	/* the queue: a standalone kiosk keeps its events; otherwise their age tells a stuck link */
	age = st->ob.oldest_unsynced > 0 && st->now > st->ob.oldest_unsynced ? st->now - st->ob.oldest_unsynced : 0;
	if (!st->central)
		lv[MS_QUEUE] = MS_INFO;
	else
		lv[MS_QUEUE] = age >= MS_QUEUE_FAIL_AGE_S                    ? MS_FAIL
			       : st->ob.dead > 0 || age >= MS_QUEUE_WARN_AGE_S ? MS_WARN
									       : MS_OK;

	/* the data: older than [limits] max_data_age_h, offline lookups refuse it (with a central
	 * API; a standalone kiosk has nothing newer, so it is only amber there) */
	age = st->data_as_of > 0 && st->now > st->data_as_of ? st->now - st->data_as_of : 0;
	if (!st->data_as_of)
		lv[MS_DATA] = MS_FAIL;
	else if (st->max_data_age_h <= 0)
		lv[MS_DATA] = MS_OK;
	else if (age > st->max_data_age_h * 3600LL)
		lv[MS_DATA] = st->central ? MS_FAIL : MS_WARN;
	else
		lv[MS_DATA] = age > st->max_data_age_h * 1800LL ? MS_WARN : MS_OK;
	/* no TRM today: the kiosk still serves peso documents */
	lv[MS_TRM] = st->trm_found ? MS_OK : MS_WARN;

	lv[MS_STORE] = st->check_rc == 0 ? MS_OK : MS_FAIL;
	if (st->free_bytes < 0)
		lv[MS_DISK] = MS_WARN;
	else if (st->free_bytes < APP_MIN_FREE_BYTES)
		lv[MS_DISK] = MS_FAIL; /* the kiosk goes out of service below this */
	else if (st->free_bytes < MS_DISK_WARN_BYTES ||
		 (st->disk_bytes > 0 && st->free_bytes * 100 < st->disk_bytes * MS_DISK_WARN_PCT))
		lv[MS_DISK] = MS_WARN;
	else
		lv[MS_DISK] = MS_OK;

	lv[MS_SOFTWARE] = MS_INFO;
	lv[MS_UPTIME] = st->running ? MS_INFO : MS_WARN;
	lv[MS_RESTART] = st->restart == MS_RESTART_CRASH                                          ? MS_WARN
			 : st->restart == MS_RESTART_CLEAN || st->restart == MS_RESTART_TECHNICIAN ? MS_OK
												   : MS_INFO;
}

enum ms_level maint_status_overall(const struct maint_status *st)
{
	enum ms_level worst = MS_OK;

	for (int i = 0; i < MS_LINES; i++)
		if (st->level[i] == MS_FAIL)
			return MS_FAIL;
		else if (st->level[i] == MS_WARN)
			worst = MS_WARN;
	return worst;
}

/* ---- the words ---- */

static const struct {
	const char *name;
	enum str_id label;
} lines[MS_LINES] = {
	[MS_PRINTER] = {"printer", STR_MS_PRINTER},     [MS_NETWORK] = {"network", STR_MS_NETWORK},
	[MS_API] = {"central_api", STR_MS_API},         [MS_CERT] = {"tls_certificate", STR_MS_CERT},
	[MS_QUEUE] = {"sync_queue", STR_MS_QUEUE},      [MS_DATA] = {"data", STR_MS_DATA},
	[MS_TRM] = {"trm", STR_MS_TRM},                 [MS_STORE] = {"store", STR_MS_STORE},
	[MS_DISK] = {"disk", STR_MS_DISK},              [MS_SOFTWARE] = {"software", STR_MS_SOFTWARE},
	[MS_UPTIME] = {"uptime", STR_MS_UPTIME},        [MS_RESTART] = {"last_start", STR_MS_RESTART},
};

const char *maint_status_line_name(enum ms_line i)
{
	return (unsigned)i < MS_LINES ? lines[i].name : "";
}

const char *maint_status_label(enum ms_line i, enum lang l)
{
	return (unsigned)i < MS_LINES ? tr_lang(l, lines[i].label) : "";
}

const char *maint_status_level_name(enum ms_level lv)
{
	static const char *const names[] = {"ok", "warn", "fail", "info"};

	return (unsigned)lv < 4 ? names[lv] : "info";
}

/* "45 s", "12 min", "3 h 05 min", "4 d 2 h" */
static void fmt_dur(char *out, size_t n, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(out, n, "%lld s", (long long)s);
	else if (s < 3600)
		snprintf(out, n, "%lld min", (long long)(s / 60));
	else if (s < 86400)
		snprintf(out, n, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(out, n, "%lld d %lld h", (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

/* Local "22/11/2026 10:32", as every other screen writes a date. */
static void fmt_time(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(out, n, "%d/%m/%Y %H:%M", &tm))
		snprintf(out, n, "?");
}

/* "75.1 GB", with a no-break space: a line never wraps between the number and its unit. */
static void fmt_bytes(char *out, size_t n, int64_t b)
{
	if (b < (1LL << 20))
		snprintf(out, n, "%lld\u00a0KB", (long long)(b >> 10));
	else if (b < (1LL << 30))
		snprintf(out, n, "%.1f\u00a0MB", (double)b / (1 << 20));
	else
		snprintf(out, n, "%.1f\u00a0GB", (double)b / (1 << 30));
}

/* Appends to out (n bytes) what fmt makes. */
static void add(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

static void value_printer(const struct maint_status *st, enum lang l, char *out, size_t n)
{
	if (st->printer_known) {
		const struct printer_status *p = &st->printer;
		struct printer_words w = printer_words(p, p->rc);
		/* a problem in the customer's sentence, a working printer in its status word */
		int trouble = printer_state_blocks(p->state) || p->rc != 0;

		add(out, n, "%s · %s", tr_lang(l, trouble ? w.job : w.line), st->printer_backend);
		if (p->detail[0])
			add(out, n, " · %s", p->detail);
	} else if (st->printer_held) {
		add(out, n, "%s · %s", tr_lang(l, STR_MS_PRINTER_HELD), st->printer_backend);
	} else {
		add(out, n, tr_lang(l, STR_MS_PRINTER_OPEN), st->printer_why);
	}
	if (st->have_job) {
		char at[32];

		fmt_time(at, sizeof at, st->job_at);
		add(out, n, " · ");
		add(out, n, tr_lang(l, STR_MS_LAST_JOB), st->job_kind, st->job_state, at);
	}
}

static void value_cert(const struct maint_status *st, enum lang l, char *out, size_t n)
{
	char date[32];

	if (!st->central) {
		add(out, n, "%s", tr_lang(l, STR_MS_NOT_APPLICABLE));
	} else if (!st->tls) {
		add(out, n, "%s", tr_lang(l, STR_MS_CERT_NO_TLS));
	} else if (st->cert_expired && !st->cert_not_after) {
		add(out, n, "%s", tr_lang(l, STR_MS_CERT_EXPIRED));
	} else if (st->api_tried && st->api_rc == API_ERR_TLS && !st->cert_not_after) {
		add(out, n, tr_lang(l, STR_MS_CERT_REFUSED), st->api_error);
	} else if (!st->cert_not_after) {
		add(out, n, "%s", tr_lang(l, STR_MS_CERT_UNKNOWN));
	} else {
		fmt_time(date, sizeof date, st->cert_not_after);
		if (st->cert_not_after <= st->now)
			add(out, n, tr_lang(l, STR_MS_CERT_EXPIRED_ON), date);
		else
			add(out, n, tr_lang(l, STR_MS_CERT_DAYS), cert_days(st), date);
	}
}

void maint_status_value(const struct maint_status *st, enum ms_line i, enum lang l, char *out, size_t n)
{
	char a[48], b[48], c[48];

	if (!n)
		return;
	out[0] = 0;
	switch (i) {
	case MS_PRINTER:
		value_printer(st, l, out, n);
		break;
	case MS_NETWORK:
		if (!st->central)
			add(out, n, "%s", tr_lang(l, STR_MS_NO_CENTRAL));
		else if (!st->api_tried)
			add(out, n, "%s", tr_lang(l, STR_MS_NET_UNTESTED));
		else if (st->api_rc == API_ERR_NETWORK)
			add(out, n, "%s", tr_lang(l, STR_MS_NET_DOWN));
		else
			add(out, n, "%s", tr_lang(l, STR_MS_NET_OK));
		if (st->central && st->ob.link == 0 && st->ob.last_error[0])
			add(out, n, tr_lang(l, STR_MS_NET_SYNC_FAIL), st->ob.last_error);
		break;
	case MS_API:
		if (!st->central)
			add(out, n, "%s", tr_lang(l, STR_MS_NOT_CONFIGURED));
		else if (!st->api_tried)
			add(out, n, tr_lang(l, STR_MS_API_SETUP), st->api_error);
		else if (st->api_rc != API_OK)
			add(out, n, tr_lang(l, STR_MS_API_FAIL), st->api_error);
		else {
			snprintf(a, sizeof a, "%.1f", (double)st->latency_us / 1000.0);
			add(out, n, tr_lang(l, STR_MS_API_OK), a);
		}
		break;
	case MS_CERT:
		value_cert(st, l, out, n);
		break;
	case MS_QUEUE:
		add(out, n, tr_lang(l, STR_MS_QUEUE_VALUE), (long long)st->ob.pending, (long long)st->ob.dead);
		if (st->ob.oldest_unsynced > 0) {
			fmt_dur(a, sizeof a, st->now - st->ob.oldest_unsynced);
			add(out, n, tr_lang(l, STR_MS_QUEUE_OLDEST), a);
		}
		if (st->central && st->ob.last_sync > 0) {
			fmt_time(a, sizeof a, st->ob.last_sync);
			add(out, n, tr_lang(l, STR_MS_QUEUE_SYNCED), a);
		}
		break;
	case MS_DATA:
		if (!st->data_as_of) {
			add(out, n, "%s", tr_lang(l, STR_MS_DATA_NEVER));
			break;
		}
		fmt_time(a, sizeof a, st->data_as_of);
		fmt_dur(b, sizeof b, st->now - st->data_as_of);
		add(out, n, tr_lang(l, STR_MS_DATA_AGE), a, b, st->max_data_age_h);
		break;
	case MS_TRM:
		if (!st->trm_found) {
			date_format(a, sizeof a, st->today);
			add(out, n, tr_lang(l, STR_MS_TRM_NONE), a);
			break;
		}
		trm_format(a, sizeof a, &st->trm);
		date_format(b, sizeof b, st->trm.valid_from);
		date_format(c, sizeof c, st->trm.valid_to);
		add(out, n, tr_lang(l, STR_MS_TRM_OK), a, b, c);
		break;
	case MS_STORE:
		if (st->check_rc == 0) {
			fmt_bytes(a, sizeof a, st->store_bytes > 0 ? st->store_bytes : 0);
			add(out, n, tr_lang(l, STR_MS_STORE_OK), st->schema_version, a);
		} else {
			add(out, n, tr_lang(l, st->check_rc > 0 ? STR_MS_STORE_BAD : STR_MS_STORE_ERR), st->check_detail);
		}
		break;
	case MS_DISK:
		if (st->free_bytes < 0 || st->disk_bytes <= 0) {
			add(out, n, "%s", tr_lang(l, STR_MS_UNKNOWN));
			break;
		}
		fmt_bytes(a, sizeof a, st->free_bytes);
		fmt_bytes(b, sizeof b, st->disk_bytes);
		add(out, n, tr_lang(l, STR_MS_DISK_VALUE), a, b, (int)(st->free_bytes * 100 / st->disk_bytes));
		break;
	case MS_SOFTWARE:
		add(out, n, tr_lang(l, STR_MS_SOFTWARE_VALUE), st->version, (unsigned)st->kiosk_id);
		break;
	case MS_UPTIME:
		if (st->started_at > 0)
			fmt_time(b, sizeof b, st->started_at);
		if (st->running && st->started_at > 0) {
			fmt_dur(a, sizeof a, st->now - st->started_at);
			add(out, n, tr_lang(l, STR_MS_UPTIME_VALUE), a, b);
		} else if (st->running) {
			add(out, n, "%s", tr_lang(l, STR_MS_UNKNOWN));
		} else if (st->started_at > 0) {
			add(out, n, tr_lang(l, STR_MS_UPTIME_STOPPED), b);
		} else {
			add(out, n, "%s", tr_lang(l, STR_MS_UPTIME_NEVER));
		}
		break;
	case MS_RESTART: {
		static const enum str_id words[] = {
			[MS_RESTART_UNKNOWN] = STR_MS_UNKNOWN, [MS_RESTART_FIRST] = STR_MS_RESTART_FIRST,
			[MS_RESTART_CLEAN] = STR_MS_RESTART_CLEAN, [MS_RESTART_TECHNICIAN] = STR_MS_RESTART_TECH,
			[MS_RESTART_CRASH] = STR_MS_RESTART_CRASH};
		add(out, n, "%s", tr_lang(l, words[(unsigned)st->restart <= MS_RESTART_CRASH ? st->restart : 0]));
		if (st->started_at > 0) {
			fmt_time(a, sizeof a, st->started_at);
			add(out, n, tr_lang(l, STR_MS_RESTART_AT), a);
		}
		break;
	}
	case MS_LINES:
		break;
	}
}
