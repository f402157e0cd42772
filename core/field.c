/* field — the field agent's domain rules (see field.h). The receipt QR is field_qr.c. */
#include "field.h"

#include <stdio.h>
#include <string.h>

int field_days_past_due(int32_t due, int32_t today)
{
	int64_t d, t;

	if (!date_valid(due) || !date_valid(today) || due >= today)
		return 0;
	d = date_start_epoch(due);
	t = date_start_epoch(today);
	if (d < 0 || t < 0)
		return 0;
	/* civil days: a day is 23, 24 or 25 hours where the clocks change; round to the nearest */
	return (int)((t - d + 43200) / 86400);
}

enum field_bucket field_bucket_of(int days)
{
	if (days <= 0)
		return FIELD_BUCKET_CURRENT;
	if (days <= 30)
		return FIELD_BUCKET_1_30;
	if (days <= 60)
		return FIELD_BUCKET_31_60;
	if (days <= 90)
		return FIELD_BUCKET_61_90;
	return FIELD_BUCKET_OVER_90;
}

const char *field_bucket_name(enum field_bucket b)
{
	static const char *const names[FIELD_BUCKET_COUNT] = {"al_dia", "1_30", "31_60", "61_90", "mas_90"};

	return (unsigned)b < FIELD_BUCKET_COUNT ? names[b] : NULL;
}

const char *field_cuota_status_name(enum field_cuota_status s)
{
	static const char *const names[FIELD_CUOTA_STATUS_COUNT] = {"pendiente", "vencida", "pagada", "anulada"};

	return (unsigned)s < FIELD_CUOTA_STATUS_COUNT ? names[s] : NULL;
}

enum field_cuota_status field_cuota_owed_status(int32_t due, int32_t today)
{
	return due < today ? FIELD_CUOTA_VENCIDA : FIELD_CUOTA_PENDIENTE;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int32_t field_date_minus_months(int32_t ymd, int months)
{
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100, total;

	if (!date_valid(ymd) || months < 0)
		return 0;
	total = y * 12 + (m - 1) - months;
	y = total / 12;
	m = total % 12 + 1;
	if (y < 1900)
		return 0;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return y * 10000 + m * 100 + d;
}

void field_filter_default(struct field_cuota_filter *f, int32_t today)
{
	memset(f, 0, sizeof *f);
	f->from = field_date_minus_months(today, 2);
	f->to = today;
}

void field_filter_clear_dates(struct field_cuota_filter *f) { f->from = f->to = 0; }

int field_filter_match(const struct field_cuota_filter *f, const char *line, enum field_cuota_status st,
		       int32_t date)
{
	if (f->line[0] && (!line || strcmp(f->line, line) != 0))
		return 0;
	if (f->statuses && !(f->statuses & (1u << st)))
		return 0;
	if (f->from && date < f->from)
		return 0;
	if (f->to && date > f->to)
		return 0;
	return 1;
}

int64_t field_change(int64_t cash, int64_t amount)
{
	if (cash < 0 || amount < 0 || cash < amount)
		return -1;
	return cash - amount;
}

const int64_t field_cop_denoms[FIELD_DENOM_COUNT] = {
	10000000, 5000000, 2000000, 1000000, 500000, 200000, 100000, 50000, 20000, 10000, 5000,
};

int64_t field_denoms_total(const struct field_denom *d, int n)
{
	int64_t sum = 0;

	for (int i = 0; i < n; i++) {
		int ok = 0;

		for (int k = 0; k < FIELD_DENOM_COUNT; k++)
			ok |= d[i].value_minor == field_cop_denoms[k];
		if (!ok || d[i].count < 0 || d[i].count > 100000)
			return -1;
		if (sum > INT64_MAX - d[i].value_minor * d[i].count)
			return -1;
		sum += d[i].value_minor * d[i].count;
	}
	return sum;
}

size_t field_receipt_label(char *out, size_t n, const char *device_id, const char *agent, uint64_t number)
{
	int w = snprintf(out, n, "%s-%s-%06llu", device_id ? device_id : "", agent ? agent : "",
			 (unsigned long long)number);

	return w < 0 ? 0 : (size_t)w;
}
