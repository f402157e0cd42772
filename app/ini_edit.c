/* ini_edit — an INI file's settings edited as text (ini_edit.h). */
#include "ini_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

/* One line of text: [s, s + len) without its end of line, then eol (eol_len bytes). */
struct line {
	const char *s;
	size_t len, eol_len;
};

static int is_sp(char c) { return c == ' ' || c == '\t'; }

/* The section a "[name]" line opens (trimmed), or 0 if the line is not one. */
static int section_line(const struct line *l, char *name, size_t n)
{
	size_t i = 0;
	while (i < l->len && is_sp(l->s[i]))
		i++;
	if (i == l->len || l->s[i] != '[')
		return 0;
	size_t a = i + 1, b = a;
	while (b < l->len && l->s[b] != ']')
		b++;
	if (b == l->len)
		return 0;
	while (a < b && is_sp(l->s[a]))
		a++;
	while (b > a && is_sp(l->s[b - 1]))
		b--;
	snprintf(name, n, "%.*s", (int)(b - a), l->s + a);
	return 1;
}

/* For a "key = value ; comment" line: 1 with the key compared, and where the value starts and
 * ends (its trailing spaces and the inline comment after it are kept as they are). */
static int key_line(const struct line *l, const char *key, size_t *vs, size_t *ve)
{
	size_t i = 0;
	while (i < l->len && is_sp(l->s[i]))
		i++;
	if (i == l->len || l->s[i] == ';' || l->s[i] == '#' || l->s[i] == '[')
		return 0;
	size_t k0 = i;
	while (i < l->len && l->s[i] != '=' && l->s[i] != ':')
		i++;
	if (i == l->len)
		return 0;
	size_t k1 = i;
	while (k1 > k0 && is_sp(l->s[k1 - 1]))
		k1--;
	if (k1 - k0 != strlen(key) || memcmp(l->s + k0, key, k1 - k0))
		return 0;
	i++; /* the '=' */
	while (i < l->len && is_sp(l->s[i]))
		i++;
	*vs = i;
	/* inih's inline comment: a ';' after a space */
	size_t e = i;
	while (e < l->len && !(l->s[e] == ';' && e > 0 && is_sp(l->s[e - 1])))
		e++;
	while (e > i && is_sp(l->s[e - 1]))
		e--;
	*ve = e;
	return 1;
}

static int split_lines(const char *text, size_t len, struct line **out, int *n)
{
	int cap = 64, k = 0;
	struct line *v = malloc(sizeof(*v) * (size_t)cap);
	if (!v)
		return -1;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		size_t end = j, eol = j < len ? 1 : 0;
		if (end > i && text[end - 1] == '\r')
			end--, eol++;
		if (k == cap) {
			struct line *w = realloc(v, sizeof(*v) * (size_t)(cap *= 2));
			if (!w) {
				free(v);
				return -1;
			}
			v = w;
		}
		v[k++] = (struct line){text + i, end - i, eol};
		i = j + (j < len);
	}
	*out = v;
	*n = k;
	return 0;
}

/* The new text: each edit's last line in its section set to its value, or the key added at
 * the end of the section's last block, or a new section at the end of the file. */
static int apply_edits(const char *text, size_t len, const struct ini_edit *ed, int ned, struct buf *out)
{
	struct line *ln;
	int n;
	if (split_lines(text, len, &ln, &n) != 0)
		return -1;
	int found[INI_EDIT_MAX] = {-1, -1, -1, -1}, after[INI_EDIT_MAX] = {-1, -1, -1, -1};
	char sec[64] = "";
	for (int i = 0; i < n; i++) {
		char name[64];
		if (section_line(&ln[i], name, sizeof(name))) {
			snprintf(sec, sizeof(sec), "%s", name);
			for (int e = 0; e < ned; e++)
				if (!strcmp(sec, ed[e].section))
					after[e] = i;
			continue;
		}
		size_t vs, ve;
		for (int e = 0; e < ned; e++) {
			if (strcmp(sec, ed[e].section))
				continue;
			/* the key goes after the section's last line that is not blank or a comment */
			size_t j = 0;
			while (j < ln[i].len && is_sp(ln[i].s[j]))
				j++;
			if (j < ln[i].len && ln[i].s[j] != ';' && ln[i].s[j] != '#')
				after[e] = i;
			if (key_line(&ln[i], ed[e].key, &vs, &ve))
				found[e] = i;
		}
	}
	const char *eol = n && ln[0].eol_len == 2 ? "\r\n" : "\n";
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		int edited = 0;
		for (int e = 0; e < ned && !edited; e++) {
			size_t vs, ve;
			if (found[e] != i || !key_line(&ln[i], ed[e].key, &vs, &ve))
				continue;
			rc |= buf_add(out, ln[i].s, vs);
			rc |= buf_add(out, ed[e].value, strlen(ed[e].value));
			rc |= buf_add(out, ln[i].s + ve, ln[i].len - ve + ln[i].eol_len);
			edited = 1;
		}
		if (!edited)
			rc |= buf_add(out, ln[i].s, ln[i].len + ln[i].eol_len);
		for (int e = 0; e < ned; e++)
			if (found[e] < 0 && after[e] == i) {
				if (!ln[i].eol_len)
					rc |= buf_add(out, eol, strlen(eol));
				rc |= buf_add(out, ed[e].key, strlen(ed[e].key));
				rc |= buf_add(out, " = ", 3);
				rc |= buf_add(out, ed[e].value, strlen(ed[e].value));
				rc |= buf_add(out, eol, strlen(eol));
			}
	}
	for (int e = 0; e < ned && rc == 0; e++)
		if (found[e] < 0 && after[e] < 0) { /* no such section: a new one at the end */
			if (out->len && out->p[out->len - 1] != '\n')
				rc |= buf_add(out, eol, strlen(eol));
			if (out->len)
				rc |= buf_add(out, eol, strlen(eol));
			rc |= buf_add(out, "[", 1);
			rc |= buf_add(out, ed[e].section, strlen(ed[e].section));
			rc |= buf_add(out, "]", 1);
			rc |= buf_add(out, eol, strlen(eol));
			rc |= buf_add(out, ed[e].key, strlen(ed[e].key));
			rc |= buf_add(out, " = ", 3);
			rc |= buf_add(out, ed[e].value, strlen(ed[e].value));
			rc |= buf_add(out, eol, strlen(eol));
			after[e] = n; /* a second edit of the same new section goes in it */
			for (int f = e + 1; f < ned; f++)
				if (!strcmp(ed[f].section, ed[e].section) && found[f] < 0 && after[f] < 0) {
					rc |= buf_add(out, ed[f].key, strlen(ed[f].key));
					rc |= buf_add(out, " = ", 3);
					rc |= buf_add(out, ed[f].value, strlen(ed[f].value));
					rc |= buf_add(out, eol, strlen(eol));
					after[f] = n;
				}
		}
	if (out->len == 0)
		rc |= buf_add(out, "", 0);
	free(ln);
	return rc ? -1 : 0;
}

int ini_edit_has_key(const char *text, size_t len, const char *section, const char *key)
{
	struct line *ln;
	int n, got = 0;
	if (split_lines(text, len, &ln, &n) != 0)
		return 0;
	char sec[64] = "", name[64];
	size_t vs, ve;
	for (int i = 0; i < n && !got; i++) {
		if (section_line(&ln[i], name, sizeof(name)))
			snprintf(sec, sizeof(sec), "%s", name);
		else if (!strcmp(sec, section) && key_line(&ln[i], key, &vs, &ve))
			got = 1;
	}
	free(ln);
	return got;
}

int ini_edit_apply(const char *text, size_t len, const struct ini_edit *ed, int ned, char **out, size_t *outn)
{
	struct buf b = {0};
	if (ned > INI_EDIT_MAX || apply_edits(text, len, ed, ned, &b) != 0) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*outn = b.len;
	return 0;
}
