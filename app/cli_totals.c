/* `recaudo maint totals` (cli_totals.h). */
#include "cli_totals.h"
#include "cli_maint.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "audit.h"
#include "config.h"
#include "printq.h"
#include "services.h"
#include "store.h"
#include "totals_slip.h"

int totals_parse_day(const char *s)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return date_valid(y * 10000 + m * 100 + d) ? y * 10000 + m * 100 + d : 0;
}

static void show(FILE *out, const struct store_totals *t, unsigned kiosk)
{
	char a[64];

	fprintf(out, "totals %04d-%02d-%02d kiosk %04u: %lld coupons", (int)(t->day / 10000),
		(int)(t->day / 100 % 100), (int)(t->day % 100), kiosk, (long long)t->coupons);
	if (t->coupons == 0) {
		fputs("\n", out);
		return;
	}
	money_format(a, sizeof a, (struct money){t->cop_minor, CUR_COP});
	fprintf(out, ", total %s\n", a);
	for (int i = 0; i < t->ncur; i++) {
		money_format(a, sizeof a, (struct money){t->cur[i].minor, t->cur[i].cur});
		fprintf(out, "  %s: %lld coupons, %lld documents, %s\n", currency_code(t->cur[i].cur),
			(long long)t->cur[i].coupons, (long long)t->cur[i].docs, a);
	}
	fprintf(out, "  sequence %llu-%llu, before it %llu\n", (unsigned long long)t->first_seq,
		(unsigned long long)t->last_seq, (unsigned long long)t->prev_seq);
	if (!store_totals_flagged(t)) {
		fputs("  sequence complete\n", out);
		return;
	}
	fprintf(out, "  SEQUENCE GAPS: %llu missing, %llu dated another day, %llu missing before the day",
		(unsigned long long)t->missing, (unsigned long long)t->other_day,
		(unsigned long long)t->missing_before);
	for (int i = 0; i < t->ngaps; i++) {
		if (t->gaps[i].from == t->gaps[i].to)
			fprintf(out, "%s%llu", i ? ", " : ": ", (unsigned long long)t->gaps[i].from);
		else
			fprintf(out, "%s%llu-%llu", i ? ", " : ": ", (unsigned long long)t->gaps[i].from,
				(unsigned long long)t->gaps[i].to);
	}
	fputs(t->ngaps == TOTALS_MAX_GAPS ? " ...\n" : "\n", out);
}

static int submit_slip(struct printq *q, void *ctx, const struct printer_status *st, char *why, size_t n)
{
	(void)st;
	return totals_slip_submit(q, ctx, why, n);
}

/* The slip through the print queue on cfg's printer, audited totals.print. 0 or 1. */
static int print_slip(const struct config *cfg, const char *data_dir, const char *db,
		      const struct store_totals *t, FILE *out, FILE *err)
{
	char detail[80];
	struct totals_slip sl = {.lang = strcmp(cfg->language, "en") ? LANG_ES : LANG_EN,
				 .kiosk_id = cfg->kiosk_id,
				 .printed_at = (int64_t)time(NULL),
				 .dots = cfg->paper_dots,
				 .codepage = cfg->printer_codepage,
				 .t = t};
	snprintf(detail, sizeof detail, "day=%04d-%02d-%02d gaps=%d", (int)(t->day / 10000), (int)(t->day / 100 % 100),
		 (int)(t->day % 100), store_totals_flagged(t));
	return cli_print_job(cfg, data_dir, db, "maint totals", STORE_PRINT_REPORT, submit_slip, &sl, "totals.print",
			     detail, "totals slip", out, err);
}

int cli_maint_totals(int argc, char **argv, FILE *out, FILE *err)
{
	const char *data_dir = NULL, *config_path = NULL, *day_arg = NULL;
	char db[600], why[400];
	int print = 0, day, today, rc;
	struct config cfg;
	struct store *s = NULL;
	struct store_totals t;
	struct stat sb;

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--day") && v)
			day_arg = v, i++;
		else if (!strcmp(argv[i], "--data") && v)
			data_dir = v, i++;
		else if (!strcmp(argv[i], "--config") && v)
			config_path = v, i++;
		else if (!strcmp(argv[i], "--print"))
			print = 1;
		else {
			fprintf(err,
				"recaudo: maint totals: unexpected \"%s\"; usage: recaudo maint totals "
				"[--day YYYY-MM-DD] [--print] [--data DIR] [--config FILE]\n",
				argv[i]);
			return 2;
		}
	}
	today = date_from_epoch((int64_t)time(NULL));
	day = today;
	if (day_arg && !(day = totals_parse_day(day_arg))) {
		fprintf(err,
			"recaudo: maint totals: --day wants a date as YYYY-MM-DD (e.g. 2026-12-02), not \"%.40s\"\n",
			day_arg);
		return 2;
	}
	if (day > today) {
		fprintf(err, "recaudo: maint totals: %s is after today; nothing was issued yet\n", day_arg);
		return 2;
	}
	/* an installed kiosk reads /etc/recaudo/recaudo.ini when it exists, as the kiosk does */
	if (!config_path && app_paths()->config && stat(app_paths()->config, &sb) == 0)
		config_path = app_paths()->config;
	if (!data_dir)
		data_dir = app_paths()->data;
	config_defaults(&cfg);
	if (config_path && (print ? config_load(&cfg, config_path, why, sizeof why)
				  : config_load_settings(&cfg, config_path, why, sizeof why)) != 0) {
		fprintf(err, "recaudo: maint totals: %s\n", why);
		return 2;
	}
	if (strlen(data_dir) > 400) {
		fprintf(err, "recaudo: maint totals: the data directory path is too long\n");
		return 1;
	}
	snprintf(db, sizeof db, "%s/recaudo.db", data_dir);
	if (stat(db, &sb) != 0) {
		fprintf(err, "recaudo: maint totals: no store in %s (no coupon was ever issued there)\n",
			data_dir);
		return 1;
	}
	if (store_open_readonly(&s, db, why, sizeof why) != 0) {
		fprintf(err, "recaudo: maint totals: %s\n", why);
		return 1;
	}
	rc = store_totals_day(s, day, &t);
	if (rc != 0)
		fprintf(err, "recaudo: maint totals: %s\n", store_error(s));
	store_close(s);
	if (rc != 0)
		return 1;
	show(out, &t, (unsigned)cfg.kiosk_id);
	return print ? print_slip(&cfg, data_dir, db, &t, out, err) : 0;
}
