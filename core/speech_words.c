/* speech_words — numbers, money and IDs as words to be spoken (speech_words.h).
 *
 * Spanish groups a number by millions (long scale: millón 10^6, billón 10^12, trillón 10^18)
 * and each million-group by thousands; English groups by thousands (short scale). A word
 * that would not fit whole is not written at all, so a cut text never ends inside a word. */
#include "speech_words.h"

#include <string.h>

/* A bounded text being built: len counts everything asked for (the snprintf result); the
 * buffer holds the words that fitted, and once one did not, no later one is written. */
struct sb {
	char *out;
	size_t n;
	size_t len;  /* length of the full text */
	size_t wr;   /* bytes actually in out */
	int cut;
};

static void sb_init(struct sb *b, char *out, size_t n)
{
	*b = (struct sb){out, n, 0, 0, 0};
	if (out && n)
		out[0] = '\0';
}

/* Appends sep (only when something came before) and word, both or neither. */
static void sb_join(struct sb *b, const char *sep, const char *word)
{
	size_t sl = b->len ? strlen(sep) : 0, wl = strlen(word);
	if (!b->cut && b->out && b->wr + sl + wl < b->n) {
		memcpy(b->out + b->wr, sep, sl);
		memcpy(b->out + b->wr + sl, word, wl);
		b->wr += sl + wl;
		b->out[b->wr] = '\0';
	} else {
		b->cut = 1;
	}
	b->len += sl + wl;
}

static void sb_word(struct sb *b, const char *word)
{
	sb_join(b, " ", word);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1u : (uint64_t)v;
}

/* ---- Spanish ---- */

static const char *const es_units[30] = {
	"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
	"diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
	"dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
	"veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve",
};
static const char *const es_tens[10] = {
	"", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
};
static const char *const es_hundreds[10] = {
	"", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos",
	"setecientos", "ochocientos", "novecientos",
};

/* 1..999. apoc: a noun or a scale follows, so a final "uno" is "un" ("veintiún mil"). */
static void es_group(struct sb *b, unsigned v, int apoc)
{
	unsigned h = v / 100, r = v % 100;
	if (h)
		sb_word(b, v == 100 ? "cien" : es_hundreds[h]);
	if (!r)
		return;
	if (r < 30) {
		if (apoc && r == 1)
			sb_word(b, "un");
		else if (apoc && r == 21)
			sb_word(b, "veintiún");
		else
			sb_word(b, es_units[r]);
		return;
	}
	sb_word(b, es_tens[r / 10]);
	if (r % 10) {
		sb_word(b, "y");
		sb_word(b, apoc && r % 10 == 1 ? "un" : es_units[r % 10]);
	}
}

/* 1..999999: "mil" alone for one thousand, the thousands always apocopated ("veintiún mil"). */
static void es_below_million(struct sb *b, unsigned v, int apoc)
{
	unsigned th = v / 1000, r = v % 1000;
	if (th == 1)
		sb_word(b, "mil");
	else if (th) {
		es_group(b, th, 1);
		sb_word(b, "mil");
	}
	if (r)
		es_group(b, r, apoc);
}

/* Returns 1 when the number ends on a whole scale word ("un millón", "dos mil millones"), where
 * Spanish puts "de" before the noun that follows. */
static int es_number(struct sb *b, uint64_t v, int apoc)
{
	static const struct {
		uint64_t div;
		const char *one, *many;
	} scale[] = {
		{1000000000000000000u, "trillón", "trillones"},
		{1000000000000u, "billón", "billones"},
		{1000000u, "millón", "millones"},
	};
	if (v == 0) {
		sb_word(b, "cero");
		return 0;
	}
	for (size_t i = 0; i < sizeof scale / sizeof scale[0]; i++) {
		unsigned k = (unsigned)(v / scale[i].div % 1000000u);
		if (k == 1) {
			sb_word(b, "un");
			sb_word(b, scale[i].one);
		} else if (k) {
			es_below_million(b, k, 1);
			sb_word(b, scale[i].many);
		}
	}
	unsigned rest = (unsigned)(v % 1000000u);
	if (rest)
		es_below_million(b, rest, apoc);
	return rest == 0 && v >= 1000000u;
}

/* ---- English ---- */

static const char *const en_units[20] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
	"nineteen",
};
static const char *const en_tens[10] = {
	"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
};

static void en_group(struct sb *b, unsigned v)
{
	unsigned h = v / 100, r = v % 100;
	if (h) {
		sb_word(b, en_units[h]);
		sb_word(b, "hundred");
	}
	if (!r)
		return;
	if (r < 20) {
		sb_word(b, en_units[r]);
		return;
	}
	sb_word(b, en_tens[r / 10]);
	if (r % 10)
		sb_join(b, "-", en_units[r % 10]);
}

static void en_number(struct sb *b, uint64_t v)
{
	static const struct {
		uint64_t div;
		const char *name;
	} scale[] = {
		{1000000000000000000u, "quintillion"}, {1000000000000000u, "quadrillion"},
		{1000000000000u, "trillion"}, {1000000000u, "billion"}, {1000000u, "million"},
		{1000u, "thousand"},
	};
	if (v == 0) {
		sb_word(b, "zero");
		return;
	}
	for (size_t i = 0; i < sizeof scale / sizeof scale[0]; i++) {
		unsigned k = (unsigned)(v / scale[i].div % 1000u);
		if (k) {
			en_group(b, k);
			sb_word(b, scale[i].name);
		}
	}
	if (v % 1000u)
		en_group(b, (unsigned)(v % 1000u));
}

/* ---- the interface ---- */

size_t speech_number(char *out, size_t n, int64_t v, int english)
{
	struct sb b;
	sb_init(&b, out, n);
	if (v < 0)
		sb_word(&b, english ? "minus" : "menos");
	if (english)
		en_number(&b, magnitude(v));
	else
		es_number(&b, magnitude(v), 0);
	return b.len;
}

size_t speech_money(char *out, size_t n, int64_t minor, enum currency cur, int english)
{
	struct sb b;
	sb_init(&b, out, n);
	if (cur != CUR_COP && cur != CUR_USD)
		return 0;
	uint64_t mag = magnitude(minor), whole = mag / 100u, cents = mag % 100u;
	int usd = cur == CUR_USD;

	if (minor < 0)
		sb_word(&b, english ? "minus" : "menos");
	if (english) {
		if (whole || !cents) {
			en_number(&b, whole);
			sb_word(&b, usd ? (whole == 1 ? "dollar" : "dollars") : (whole == 1 ? "peso" : "pesos"));
		}
		if (cents) {
			if (whole)
				sb_word(&b, "and");
			en_number(&b, cents);
			sb_word(&b, usd ? (cents == 1 ? "cent" : "cents")
				    : (cents == 1 ? "centavo" : "centavos"));
		}
		return b.len;
	}
	if (whole || !cents) {
		int de = es_number(&b, whole, 1);
		if (de)
			sb_word(&b, "de");
		sb_word(&b, usd ? (whole == 1 ? "dólar" : "dólares") : (whole == 1 ? "peso" : "pesos"));
	}
	if (cents) {
		if (whole)
			sb_word(&b, "con");
		es_number(&b, cents, 1);
		sb_word(&b, cents == 1 ? "centavo" : "centavos");
	}
	return b.len;
}

/* Length of the UTF-8 character starting at s, or 0 when s does not start a valid one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
		: s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* Length of the mask character at s ("*" or "•"), 0 if it is not one. */
static size_t mask_len(const char *s)
{
	if (*s == '*')
		return 1;
	return strncmp(s, "\xe2\x80\xa2", 3) == 0 ? 3 : 0;
}

size_t speech_digits(char *out, size_t n, const char *s, int english)
{
	static const char *const es_digit[10] = {
		"cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
	};
	struct sb b;
	sb_init(&b, out, n);
	if (!s)
		return 0;
	while (*s) {
		/* one item at a time, so a cut never splits "cuatro ocultos" */
		char item[160];
		struct sb ib;
		size_t k = mask_len(s);
		sb_init(&ib, item, sizeof item);
		if (k) {
			uint64_t count = 0;
			for (; k; s += k, k = mask_len(s))
				count++;
			if (english) {
				en_number(&ib, count);
				sb_word(&ib, "hidden");
			} else {
				es_number(&ib, count, 0);
				sb_word(&ib, count == 1 ? "oculto" : "ocultos");
			}
		} else if (*s >= '0' && *s <= '9') {
			sb_word(&ib, english ? en_units[*s - '0'] : es_digit[*s - '0']);
			s++;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
			char letter[2] = {(char)(*s >= 'a' ? *s - 'a' + 'A' : *s), '\0'};
			sb_word(&ib, letter);
			s++;
		} else if (*s == '-') {
			sb_word(&ib, english ? "dash" : "guion");
			s++;
		} else if ((unsigned char)*s < 0x80) {
			s++; /* dots, spaces and other punctuation are not read */
		} else {
			char ch[5] = {0};
			k = utf8_len((const unsigned char *)s);
			if (k) {
				memcpy(ch, s, k);
				sb_word(&ib, ch);
				s += k;
			} else {
				s++; /* not UTF-8: skipped */
			}
		}
		if (ib.len)
			sb_join(&b, ", ", item);
	}
	return b.len;
}
