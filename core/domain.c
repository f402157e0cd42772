/* The domain's rules (see domain.h). */
#include "domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money_limits.h"

void portfolio_free(struct portfolio *p)
{
	if (!p)
		return;
	free(p->docs);
	memset(p, 0, sizeof *p);
}

int domain_text_ok(const char *text, size_t cap)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = 0;

	if (!text)
		return 0;
	while (*p) {
		unsigned c = *p;
		int extra;
		uint32_t cp;

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			extra = 0;
			cp = c;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= extra; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += extra + 1;
		len += (size_t)extra + 1;
		if (len >= cap)
			return 0;
	}
	return 1;
}

/* Nonempty (unless empty_ok), NUL-terminated inside its array, valid UTF-8. */
static int text_rule(char *why, size_t n, const char *field, const char *v, size_t cap, int empty_ok)
{
	if (memchr(v, '\0', cap) == NULL)
		return snprintf(why, n, "%s: not terminated", field), -1;
	if (!empty_ok && !v[0])
		return snprintf(why, n, "%s: is empty", field), -1;
	if (!domain_text_ok(v, cap))
		return snprintf(why, n,
				"%s: must be UTF-8 text without control characters, at most %zu bytes",
				field, cap - 1), -1;
	return 0;
}

/* 0 < v (or 0 <= v when zero_ok) <= the largest amount of the currency (money_limits.h). */
static int amount_rule(char *why, size_t n, const char *field, int64_t v, int zero_ok,
		       enum currency cur)
{
	int64_t max = money_max_minor(cur);

	if (v < 0 || (v == 0 && !zero_ok))
		return snprintf(why, n, "%s: must be greater than 0", field), -1;
	if (v > max) {
		char m[48];

		money_format(m, sizeof m, (struct money){max, cur});
		return snprintf(why, n,
				"%s: must be at most %lld minor units (%s, the most one coupon can "
				"carry%s)",
				field, (long long)max, m, cur == CUR_USD ? " at the highest TRM" : ""),
		       -1;
	}
	return 0;
}

int domain_document_check(struct document *d, char *why, size_t n)
{
	if (text_rule(why, n, "number", d->number, sizeof d->number, 0) < 0 ||
	    text_rule(why, n, "line", d->line, sizeof d->line, 0) < 0 ||
	    text_rule(why, n, "description", d->description, sizeof d->description, 1) < 0)
		return -1;
	if (!date_valid(d->due))
		return snprintf(why, n, "due: not a valid date"), -1;
	if (!currency_code(d->cur))
		return snprintf(why, n, "currency: must be COP or USD"), -1;
	if (amount_rule(why, n, "balance", d->balance, 0, d->cur) < 0 ||
	    amount_rule(why, n, "invoice", d->invoice, 0, d->cur) < 0)
		return -1;
	if (d->invoice < d->balance)
		return snprintf(why, n, "invoice: must not be less than the balance"), -1;
	if (d->partial_ok != 0 && d->partial_ok != 1)
		return snprintf(why, n, "partial: must be true or false"), -1;
	if (!d->partial_ok && d->min_partial != 0)
		return snprintf(why, n, "min_partial: only allowed when partial payment is allowed"),
		       -1;
	if (d->partial_ok && d->min_partial <= 0)
		return snprintf(why, n, "min_partial: must be greater than 0"), -1;
	/* the customer can always pay the balance: a minimum above it is the balance */
	if (d->min_partial > d->balance)
		d->min_partial = d->balance;
	/* pesos are collected whole (PRODUCT §3): a centavo balance could never be paid exactly */
	if (d->cur == CUR_COP && (d->balance % 100 || d->invoice % 100 || d->min_partial % 100))
		return snprintf(why, n, "balance/invoice/min_partial: COP amounts must be whole "
					"pesos (multiples of 100 centavos)"),
		       -1;
	return 0;
}
