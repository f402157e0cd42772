/* idnum — identification documents.
 *
 * Length rules (what the customer types; for NIT the base without its check digit):
 *   CC   6..10 digits  cédulas issued since 1990s are 8..10; old short ones start at 6
 *   CE   6..10 digits  cédula de extranjería
 *   NIT  8..10 digits  company NITs are 9 digits; 8 and 10 cover natural-person NITs
 *   PA   5..12 A-Z0-9  foreign passports vary; upper case only, the keypad has no lower case
 *   TI  10..11 digits  tarjeta de identidad (the NUIP the cédula later keeps)
 *   PPT  6..10 digits  Permiso por Protección Temporal (DIAN code 47, shared with PEP)
 * Only the NIT carries a check digit; the others are checked for characters and length. */
#include "idnum.h"

#include <stdint.h>
#include <string.h>

struct id_rule {
	const char *code;
	int dian;
	int min_len;
	int max_len;
	bool alnum;
};

static const struct id_rule rules[ID_TYPE_COUNT] = {
	[ID_CC] = {"CC", 13, 6, 10, false},
	[ID_CE] = {"CE", 22, 6, 10, false},
	[ID_NIT] = {"NIT", 31, 8, 10, false},
	[ID_PA] = {"PA", 41, 5, 12, true},
	[ID_TI] = {"TI", 12, 10, 11, false},
	[ID_PPT] = {"PPT", 47, 6, 10, false},
};

/* U+2022 BULLET in UTF-8. */
static const char bullet[] = "\xe2\x80\xa2";

static const struct id_rule *rule_of(enum id_type t)
{
	return (unsigned)t < ID_TYPE_COUNT ? &rules[t] : NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII only, so the system locale never changes what a code means. */
static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

const char *id_type_code(enum id_type t)
{
	const struct id_rule *r = rule_of(t);
	return r ? r->code : NULL;
}

int id_type_parse(const char *code, enum id_type *out)
{
	if (!code)
		return -1;
	for (int t = 0; t < ID_TYPE_COUNT; t++) {
		const char *a = code, *b = rules[t].code;
		while (*a && *b && ascii_upper(*a) == *b) {
			a++;
			b++;
		}
		if (!*a && !*b) {
			*out = (enum id_type)t;
			return 0;
		}
	}
	return -1;
}

int id_type_dian(enum id_type t)
{
	const struct id_rule *r = rule_of(t);
	return r ? r->dian : -1;
}

int id_min_len(enum id_type t)
{
	const struct id_rule *r = rule_of(t);
	return r ? r->min_len : 0;
}

int id_max_len(enum id_type t)
{
	const struct id_rule *r = rule_of(t);
	return r ? r->max_len : 0;
}

bool id_char_ok(enum id_type t, char c)
{
	const struct id_rule *r = rule_of(t);

	if (!r)
		return false;
	return is_digit(c) || (r->alnum && c >= 'A' && c <= 'Z');
}

int nit_check_digit(const char *base)
{
	static const int weights[15] = {3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
	size_t len;
	int sum = 0, r;

	if (!base)
		return -1;
	len = strlen(base);
	if (len < 1 || len > 15)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = base[len - 1 - i];
		if (!is_digit(c))
			return -1;
		sum += (c - '0') * weights[i];
	}
	r = sum % 11;
	return r < 2 ? r : 11 - r;
}

enum id_error id_validate(enum id_type t, const char *number, int dv)
{
	const struct id_rule *r = rule_of(t);
	size_t len;

	if (!number || !*number)
		return ID_ERR_EMPTY;
	if (!r)
		return ID_ERR_CHARS;
	for (const char *p = number; *p; p++)
		if (!id_char_ok(t, *p))
			return ID_ERR_CHARS;
	len = strlen(number);
	if (len < (size_t)r->min_len)
		return ID_ERR_SHORT;
	if (len > (size_t)r->max_len)
		return ID_ERR_LONG;
	if (t == ID_NIT && dv != -1 && dv != nit_check_digit(number))
		return ID_ERR_DV;
	return ID_OK;
}

/* ---- output with snprintf semantics, never cutting a UTF-8 sequence in half ----------- */

struct sink {
	char *buf;
	size_t n;
	size_t len;  /* full length, as if the buffer were unbounded */
	size_t kept; /* bytes actually stored, always at a character boundary */
	bool full;
};

static void sink_init(struct sink *s, char *buf, size_t n)
{
	*s = (struct sink){buf, n, 0, 0, false};
	if (buf && n)
		buf[0] = '\0';
}

/* Appends one whole character (or any run that must not be split). */
static void sink_put(struct sink *s, const char *p, size_t k)
{
	s->len += k;
	if (s->full || !s->buf || s->kept + k + 1 > s->n) {
		s->full = true;
		return;
	}
	memcpy(s->buf + s->kept, p, k);
	s->kept += k;
	s->buf[s->kept] = '\0';
}

static size_t sink_done(struct sink *s)
{
	return s->len;
}

size_t nit_format(char *buf, size_t n, const char *base, int dv)
{
	struct sink s;
	size_t len;

	sink_init(&s, buf, n);
	if (!base)
		return 0;
	len = strlen(base);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sink_put(&s, ".", 1);
		sink_put(&s, base + i, 1);
	}
	if (dv >= 0 && dv <= 9) {
		char tail[2] = {'-', (char)('0' + dv)};
		sink_put(&s, tail, 2);
	}
	return sink_done(&s);
}

size_t id_mask(char *buf, size_t n, const char *number)
{
	struct sink s;
	size_t len;

	sink_init(&s, buf, n);
	if (!number || !*number)
		return 0;
	len = strlen(number);
	for (int i = 0; i < 4; i++)
		sink_put(&s, bullet, sizeof bullet - 1);
	/* Ids are ASCII; the tail is copied byte by byte. */
	if (len > 4)
		for (size_t i = len - 4; i < len; i++)
			sink_put(&s, number + i, 1);
	return sink_done(&s);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the well-formed UTF-8 sequence at p, or 0 if it is malformed (an overlong or
 * surrogate encoding is treated as malformed too). */
static size_t utf8_len(const unsigned char *p)
{
	size_t k;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* Puts the first character at p (or '?' if it is not valid UTF-8); returns its length. */
static size_t put_initial(struct sink *s, const unsigned char *p)
{
	size_t k = utf8_len(p);

	if (k)
		sink_put(s, (const char *)p, k);
	else
		sink_put(s, "?", 1);
	return k ? k : 1;
}

/* An empty or blank name masks to the empty string. Malformed UTF-8 in the first word is
 * replaced by '?' so the output is always valid UTF-8. */
size_t name_mask(char *buf, size_t n, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	struct sink s;

	sink_init(&s, buf, n);
	if (!p)
		return 0;
	while (*p && is_space(*p))
		p++;
	if (!*p)
		return 0;

	/* Is there a second word? */
	const unsigned char *q = p;
	while (*q && !is_space(*q))
		q++;
	while (*q && is_space(*q))
		q++;

	if (!*q) {
		put_initial(&s, p);
	} else {
		while (*p && !is_space(*p))
			p += put_initial(&s, p);
		sink_put(&s, " ", 1);
		put_initial(&s, q);
	}
	for (int i = 0; i < 5; i++)
		sink_put(&s, "*", 1);
	return sink_done(&s);
}
