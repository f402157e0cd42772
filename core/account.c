/* account — the rules of the customer's account services (account.h,
 * docs/account-services.md "Validation"): what a customer types is checked byte by byte
 * against a short list of what each field takes, so the screen can say exactly why a value
 * is refused; the masks are built here and the server's are checked here, so no screen shows
 * a whole phone or e-mail it did not get typed. */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "idnum.h"

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void clear(char *out, size_t n)
{
	if (out && n)
		memset(out, 0, n);
}

static enum account_err fail(char *out, size_t n, enum account_err e)
{
	clear(out, n);
	return e;
}

/* ---- the mobile ---- */

enum account_err account_phone_parse(const char *typed, char *out, size_t n)
{
	char d[16];
	size_t nd = 0, i = 0;
	int plus = 0, any = 0;

	clear(out, n);
	if (!typed || !out || n < ACCOUNT_PHONE_LEN + 1)
		return ACCOUNT_EMPTY;
	while (typed[i] == ' ')
		i++;
	if (typed[i] == '+') {
		plus = 1;
		i++;
	}
	for (; typed[i]; i++) {
		unsigned char c = (unsigned char)typed[i];

		if (c == ' ' || c == '-')
			continue;
		if (!is_digit(c))
			return fail(out, n, ACCOUNT_BAD_CHARS);
		any = 1;
		if (nd >= sizeof d - 1)
			return fail(out, n, ACCOUNT_TOO_LONG);
		d[nd++] = (char)c;
	}
	d[nd] = '\0';
	if (!any)
		return fail(out, n, plus ? ACCOUNT_BAD_CHARS : ACCOUNT_EMPTY);
	/* "+57" must be followed by the number; "57" only drops when 12 digits make it a prefix */
	if (plus) {
		if (nd < 2 || d[0] != '5' || d[1] != '7')
			return fail(out, n, ACCOUNT_NOT_MOBILE);
		memmove(d, d + 2, nd - 1);
		nd -= 2;
	} else if (nd == ACCOUNT_PHONE_LEN + 2 && d[0] == '5' && d[1] == '7') {
		memmove(d, d + 2, nd - 1);
		nd -= 2;
	}
	if (nd < ACCOUNT_PHONE_LEN)
		return fail(out, n, nd == 0 ? ACCOUNT_EMPTY : ACCOUNT_TOO_SHORT);
	if (nd > ACCOUNT_PHONE_LEN)
		return fail(out, n, ACCOUNT_TOO_LONG);
	if (d[0] != '3')
		return fail(out, n, ACCOUNT_NOT_MOBILE);
	memcpy(out, d, ACCOUNT_PHONE_LEN + 1);
	return ACCOUNT_OK;
}

/* ---- the e-mail ---- */

static int local_char_ok(int c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/* A domain of labels 1..63 of letters, digits and inner hyphens, at least two, the last of
 * 2+ letters. */
static int domain_ok(const char *d, size_t len)
{
	size_t start = 0, labels = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && d[i] != '.') {
			if (!is_alpha((unsigned char)d[i]) && !is_digit((unsigned char)d[i]) && d[i] != '-')
				return 0;
			continue;
		}
		size_t l = i - start;

		if (l < 1 || l > 63 || d[start] == '-' || d[i - 1] == '-')
			return 0;
		labels++;
		if (i == len) {
			if (l < 2)
				return 0;
			for (size_t k = start; k < i; k++)
				if (!is_alpha((unsigned char)d[k]))
					return 0;
		}
		start = i + 1;
	}
	return labels >= 2;
}

enum account_err account_email_parse(const char *typed, char *out, size_t n)
{
	const char *b, *e, *at = NULL;
	size_t len, ll;

	clear(out, n);
	if (!typed || !out || n < 2)
		return ACCOUNT_EMPTY;
	b = typed;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && e[-1] == ' ')
		e--;
	len = (size_t)(e - b);
	if (len == 0)
		return ACCOUNT_EMPTY;
	if (len > ACCOUNT_EMAIL_MAX || len >= n)
		return fail(out, n, ACCOUNT_TOO_LONG);
	for (const char *p = b; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		/* an ñ or an accent: a typing slip on a Spanish keyboard, told as such */
		if (c >= 0x80 || c <= ' ' || c == 0x7f)
			return fail(out, n, ACCOUNT_BAD_CHARS);
		if (c == '@') {
			if (at)
				return fail(out, n, ACCOUNT_NO_AT);
			at = p;
		}
	}
	if (!at)
		return fail(out, n, ACCOUNT_NO_AT);
	ll = (size_t)(at - b);
	if (ll < 1 || ll > 64 || b[0] == '.' || at[-1] == '.')
		return fail(out, n, ACCOUNT_BAD_LOCAL);
	for (size_t i = 0; i < ll; i++) {
		if (!local_char_ok((unsigned char)b[i]))
			return fail(out, n, ACCOUNT_BAD_CHARS);
		if (b[i] == '.' && b[i + 1] == '.')
			return fail(out, n, ACCOUNT_BAD_LOCAL);
	}
	if (!domain_ok(at + 1, (size_t)(e - at - 1)))
		return fail(out, n, ACCOUNT_BAD_DOMAIN);
	memcpy(out, b, len);
	out[len] = '\0';
	for (size_t i = ll + 1; i < len; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return ACCOUNT_OK;
}

/* ---- the address and the phrase (UTF-8) ---- */

/* The two-byte letters the on-screen keyboard gives: á é í ó ú ü ñ and their capitals (C3 xx). */
static int accent_ok(unsigned char b2)
{
	static const unsigned char ok[] = {0xa1, 0xa9, 0xad, 0xb3, 0xba, 0xbc, 0xb1, /* áéíóúüñ */
					   0x81, 0x89, 0x8d, 0x93, 0x9a, 0x9c, 0x91}; /* ÁÉÍÓÚÜÑ */

	return memchr(ok, b2, sizeof ok) != NULL;
}

/* The byte length of the character at p that the field takes (ascii: the punctuation it
 * takes besides letters, digits and space; c2: the C2 xx characters it takes), 0 if none. */
static size_t char_len(const unsigned char *p, const char *ascii, const unsigned char *c2, size_t nc2)
{
	if (p[0] < 0x80)
		return (is_alpha(p[0]) || is_digit(p[0]) || p[0] == ' ' || (p[0] && strchr(ascii, p[0]))) ? 1 : 0;
	if (p[0] == 0xc3 && p[1] && accent_ok(p[1]))
		return 2;
	if (p[0] == 0xc2 && p[1] && memchr(c2, p[1], nc2))
		return 2;
	return 0;
}

/* Trims (and with collapse, makes runs of spaces one), checks each character and counts
 * them; the result into out. */
static enum account_err text_parse(const char *typed, char *out, size_t n, const char *ascii, const unsigned char *c2,
				   size_t nc2, int collapse, size_t min, size_t max)
{
	const unsigned char *p;
	size_t o = 0, chars = 0;

	clear(out, n);
	if (!typed || !out || n == 0)
		return ACCOUNT_EMPTY;
	p = (const unsigned char *)typed;
	while (*p == ' ')
		p++;
	if (!*p)
		return ACCOUNT_EMPTY;
	while (*p) {
		size_t l = char_len(p, ascii, c2, nc2);

		if (l == 0)
			return fail(out, n, ACCOUNT_BAD_CHARS);
		if (collapse && p[0] == ' ' && p[1] == ' ') {
			p++;
			continue;
		}
		if (o + l >= n)
			return fail(out, n, ACCOUNT_TOO_LONG);
		memcpy(out + o, p, l);
		o += l;
		p += l;
		chars++;
	}
	while (o > 0 && out[o - 1] == ' ') {
		out[--o] = '\0';
		chars--;
	}
	if (chars < min)
		return fail(out, n, ACCOUNT_TOO_SHORT);
	if (chars > max)
		return fail(out, n, ACCOUNT_TOO_LONG);
	return ACCOUNT_OK;
}

enum account_err account_address_parse(const char *typed, char *out, size_t n)
{
	static const unsigned char c2[] = {0xb0}; /* ° */

	return text_parse(typed, out, n, "#-.,/", c2, sizeof c2, 1, ACCOUNT_ADDRESS_MIN, ACCOUNT_ADDRESS_MAX);
}

enum account_err account_phrase_parse(const char *typed, char *out, size_t n)
{
	static const unsigned char c2[] = {0xa1, 0xbf}; /* ¡ ¿ */

	return text_parse(typed, out, n, ".,;:!?-", c2, sizeof c2, 0, ACCOUNT_PHRASE_MIN, ACCOUNT_PHRASE_MAX);
}

/* ---- masks ---- */

static int mobile_ok(const char *phone)
{
	if (!phone || strlen(phone) != ACCOUNT_PHONE_LEN || phone[0] != '3')
		return 0;
	for (int i = 0; i < ACCOUNT_PHONE_LEN; i++)
		if (!is_digit((unsigned char)phone[i]))
			return 0;
	return 1;
}

void account_mask_phone(const char *phone, char *out, size_t n)
{
	if (!out || n == 0)
		return;
	out[0] = '\0';
	if (!mobile_ok(phone) || n < 13)
		return;
	snprintf(out, n, "*** *** %s", phone + 6);
}

void account_mask_email(const char *email, char *out, size_t n)
{
	char tmp[ACCOUNT_EMAIL_MAX + 1];
	const char *at;
	int w;

	if (!out || n == 0)
		return;
	out[0] = '\0';
	if (!email || account_email_parse(email, tmp, sizeof tmp) != ACCOUNT_OK)
		return;
	at = strchr(tmp, '@');
	w = snprintf(out, n, "%c****%s", tmp[0], at);
	if (w < 0 || (size_t)w >= n)
		out[0] = '\0';
}

int account_masked_ok(const char *s)
{
	size_t len;
	const char *at;

	if (!s)
		return 0;
	len = strnlen(s, ACCOUNT_MASKED_MAX);
	if (len == 0 || len >= ACCOUNT_MASKED_MAX)
		return 0;
	if (len == 12 && memcmp(s, "*** *** ", 8) == 0)
		return is_digit((unsigned char)s[8]) && is_digit((unsigned char)s[9]) &&
		       is_digit((unsigned char)s[10]) && is_digit((unsigned char)s[11]);
	/* one character of the local part, four stars, the domain */
	if (len < 7 || !local_char_ok((unsigned char)s[0]) || s[0] == '.' || s[0] == '*' ||
	    memcmp(s + 1, "****@", 5) != 0)
		return 0;
	at = s + 5;
	return domain_ok(at + 1, len - 6);
}

/* ---- the one-time code ---- */

int account_otp_ok(const char *code)
{
	if (!code || strlen(code) != ACCOUNT_OTP_LEN)
		return 0;
	for (int i = 0; i < ACCOUNT_OTP_LEN; i++)
		if (!is_digit((unsigned char)code[i]))
			return 0;
	return 1;
}

void account_otp_init(struct account_otp *o)
{
	memset(o, 0, sizeof *o);
	o->tries_left = ACCOUNT_OTP_TRIES;
}

void account_otp_sent(struct account_otp *o, int64_t now_ms, int resend_after_s, int valid_s)
{
	/* the server may ask for a longer wait or a shorter life, never the other way round */
	if (resend_after_s < ACCOUNT_OTP_RESEND_S)
		resend_after_s = ACCOUNT_OTP_RESEND_S;
	if (valid_s <= 0 || valid_s > ACCOUNT_OTP_VALID_S)
		valid_s = ACCOUNT_OTP_VALID_S;
	o->sends++;
	/* the wrong tries are the session's, not the code's: a resend gives no new ones */
	o->sent_ms = now_ms;
	o->resend_after_ms = now_ms + (int64_t)resend_after_s * 1000;
	o->expires_ms = now_ms + (int64_t)valid_s * 1000;
}

int account_otp_can_resend(const struct account_otp *o, int64_t now_ms)
{
	if (o->sends >= ACCOUNT_OTP_SENDS)
		return 0;
	return o->sends == 0 || now_ms >= o->resend_after_ms;
}

int account_otp_resend_in(const struct account_otp *o, int64_t now_ms)
{
	int64_t left;

	if (o->sends == 0 || o->sends >= ACCOUNT_OTP_SENDS || now_ms >= o->resend_after_ms)
		return 0;
	left = o->resend_after_ms - now_ms;
	return (int)((left + 999) / 1000);
}

int account_otp_expired(const struct account_otp *o, int64_t now_ms)
{
	return o->sends == 0 || now_ms >= o->expires_ms;
}

int account_otp_wrong(struct account_otp *o)
{
	if (o->tries_left > 0)
		o->tries_left--;
	return o->tries_left;
}

/* ---- the certificate's payload ---- */

static int cert_fail(char *err, size_t errn, const char *why)
{
	if (err && errn)
		snprintf(err, errn, "certificate payload: %s", why);
	return -1;
}

/* A code of 1..cap-1 letters, digits and '-' (an id, a product). */
static int code_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n < 1 || n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alpha((unsigned char)s[i]) && !is_digit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int date_ok(int32_t d)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = d / 10000, m = d / 100 % 100, dd = d % 100;

	if (y < 2000 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > days[m - 1])
		return 0;
	if (m == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int fields_ok(const struct account_cert_fields *f, const char **why)
{
	enum id_type t;
	size_t n = 0;

	*why = NULL;
	if (f->kind != 'D' && f->kind != 'P')
		*why = "K: must be D or P";
	else if (!code_ok(f->id, sizeof f->id))
		*why = "I: must be 1..32 letters, digits or '-'";
	else if (!code_ok(f->product, sizeof f->product))
		*why = "P: must be 1..32 letters, digits or '-'";
	else if (strnlen(f->currency, sizeof f->currency) != 3 || !(f->currency[0] >= 'A' && f->currency[0] <= 'Z') ||
		 !(f->currency[1] >= 'A' && f->currency[1] <= 'Z') || !(f->currency[2] >= 'A' && f->currency[2] <= 'Z'))
		*why = "C: must be three capital letters";
	else if (f->balance < 0 || f->balance > INT64_C(999999999999999999))
		*why = "B: out of range";
	else if ((f->kind == 'P') != (f->balance == 0))
		*why = "K: does not agree with the balance";
	else if (!date_ok(f->issued))
		*why = "D: not a date";
	else if (strnlen(f->id_type, sizeof f->id_type) >= sizeof f->id_type || id_type_parse(f->id_type, &t) != 0 ||
		 strcmp(f->id_type, id_type_code(t)) != 0)
		*why = "T: not a document type";
	else if ((n = strnlen(f->id_last4, sizeof f->id_last4)) < 1 || n > 4)
		*why = "N: must be 1..4 characters";
	for (size_t i = 0; !*why && i < n; i++)
		if (!is_digit((unsigned char)f->id_last4[i]) && !(f->id_last4[i] >= 'A' && f->id_last4[i] <= 'Z'))
			*why = "N: must be digits or capital letters";
	return *why ? -1 : 0;
}

/* The value of "|X=" at *p up to the next '|' (or the end when last), into dst. */
static int take(const char **p, char key, int last, char *dst, size_t cap)
{
	const char *s = *p, *e;
	size_t n;

	if (s[0] != '|' || s[1] != key || s[2] != '=')
		return -1;
	s += 3;
	e = strchr(s, '|');
	if (last) {
		if (e)
			return -1;
		e = s + strlen(s);
	} else if (!e) {
		return -1;
	}
	n = (size_t)(e - s);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	*p = e;
	return 0;
}

/* Digits only, no leading zero (but "0"), at most max digits. */
static int number_of(const char *s, size_t max, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v = 0;

	if (n < 1 || n > max || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int account_cert_parse(const char *payload, struct account_cert_fields *out, char *err, size_t errn)
{
	char kind[2], bal[20], date[9];
	const char *p = payload, *why;
	int64_t v;

	memset(out, 0, sizeof *out);
	if (err && errn)
		err[0] = '\0';
	if (!payload || strnlen(payload, ACCOUNT_CERT_PAYLOAD_MAX) >= ACCOUNT_CERT_PAYLOAD_MAX)
		return cert_fail(err, errn, "missing or too long");
	if (strncmp(p, "RCC1", 4) != 0)
		return cert_fail(err, errn, "not RCC1");
	p += 4;
	if (take(&p, 'K', 0, kind, sizeof kind) < 0 || take(&p, 'I', 0, out->id, sizeof out->id) < 0 ||
	    take(&p, 'P', 0, out->product, sizeof out->product) < 0 ||
	    take(&p, 'C', 0, out->currency, sizeof out->currency) < 0 || take(&p, 'B', 0, bal, sizeof bal) < 0 ||
	    take(&p, 'D', 0, date, sizeof date) < 0 || take(&p, 'T', 0, out->id_type, sizeof out->id_type) < 0 ||
	    take(&p, 'N', 1, out->id_last4, sizeof out->id_last4) < 0) {
		memset(out, 0, sizeof *out);
		return cert_fail(err, errn, "fields missing, out of order or too long");
	}
	out->kind = kind[0];
	if (number_of(bal, 18, &out->balance) < 0 || strlen(date) != 8 || number_of(date, 8, &v) < 0) {
		memset(out, 0, sizeof *out);
		return cert_fail(err, errn, "B or D: not a number");
	}
	out->issued = (int32_t)v;
	if (fields_ok(out, &why) < 0) {
		memset(out, 0, sizeof *out);
		return cert_fail(err, errn, why);
	}
	return 0;
}

int account_cert_format(const struct account_cert_fields *f, char *out, size_t n)
{
	const char *why;
	int w;

	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	if (!f || fields_ok(f, &why) < 0)
		return -1;
	w = snprintf(out, n, "RCC1|K=%c|I=%s|P=%s|C=%s|B=%lld|D=%08ld|T=%s|N=%s", f->kind, f->id, f->product,
		     f->currency, (long long)f->balance, (long)f->issued, f->id_type, f->id_last4);
	if (w < 0 || (size_t)w >= n) {
		out[0] = '\0';
		return -1;
	}
	return w;
}
