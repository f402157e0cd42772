/* updater — see updater.h; the protocol in docs/update-helper.md. */
#include "updater.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "helpersock.h"

static int chars_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (const char *c = s; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9') &&
		    !strchr(extra, *c))
			return 0;
	return 1;
}

int updater_name_ok(const char *s)
{
	size_t n = strlen(s);
	return s[0] != '.' && chars_ok(s, 64, "._+-") && n > 6 && !strcmp(s + n - 6, ".raucb");
}

int updater_version_ok(const char *s)
{
	return chars_ok(s, 32, ".+~:_-");
}

/* the next space-separated word of *p into dst (n bytes): 0, or -1 when missing or too long */
static int word(const char **p, char *dst, size_t n)
{
	const char *s = *p, *e = strchr(s, ' ');
	size_t len = e ? (size_t)(e - s) : strlen(s);
	if (len == 0 || len >= n)
		return -1;
	memcpy(dst, s, len);
	dst[len] = 0;
	*p = e ? e + 1 : s + len;
	return 0;
}

int updater_parse_bundle(const char *line, struct updater_bundle *b)
{
	memset(b, 0, sizeof(*b));
	char rel[8];
	const char *p;
	if (!strncmp(line, "bad ", 4)) {
		p = line + 4;
		if (word(&p, b->name, sizeof(b->name)) || *p || !updater_name_ok(b->name))
			return -1;
		b->rel = UPDATER_BAD;
		return 0;
	}
	if (strncmp(line, "bundle ", 7))
		return -1;
	p = line + 7;
	if (word(&p, b->name, sizeof(b->name)) || word(&p, b->version, sizeof(b->version)) ||
	    word(&p, rel, sizeof(rel)) || *p || !updater_name_ok(b->name) || !updater_version_ok(b->version))
		return -1;
	if (!strcmp(rel, "newer"))
		b->rel = UPDATER_NEWER;
	else if (!strcmp(rel, "same"))
		b->rel = UPDATER_SAME;
	else if (!strcmp(rel, "older"))
		b->rel = UPDATER_OLDER;
	else if (!strcmp(rel, "unknown"))
		b->rel = UPDATER_UNKNOWN;
	else
		return -1;
	return 0;
}

/* connects, or says why not in *res and *err */
static int open_helper(const char *sock, enum updater_result *res, int *err)
{
	int fd = helpersock_connect(sock);
	if (fd < 0) {
		*res = helpersock_absent(errno) ? UPDATER_NO_HELPER : UPDATER_FAILED;
		*err = *res == UPDATER_FAILED ? errno : 0;
	}
	return fd;
}

/* list: 1 at "ok running V", 2 for a line that is not the protocol, 0 to read on */
static int list_line(void *ctx, const char *line)
{
	struct updater_list *l = ctx;
	if (!strncmp(line, "ok running ", 11)) {
		const char *v = line + 11;
		if (strcmp(v, "-") && !updater_version_ok(v))
			return 2;
		snprintf(l->running, sizeof(l->running), "%s", v);
		return 1;
	}
	struct updater_bundle b;
	if (updater_parse_bundle(line, &b) != 0 || l->n >= UPDATER_MAX)
		return 2;
	l->b[l->n++] = b;
	return 0;
}

int updater_list(const char *sock, int timeout_ms, struct updater_list *out)
{
	memset(out, 0, sizeof(*out));
	int fd = open_helper(sock, &out->res, &out->err);
	if (fd < 0)
		return -1;
	int r = helpersock_talk(fd, "list", fdio_now_ms() + timeout_ms, list_line, out, &out->err);
	close(fd);
	if (r == 1) {
		out->res = UPDATER_DONE;
		return 0;
	}
	int e = r == 2 ? 0 : out->err;
	memset(out, 0, sizeof(*out));
	out->res = UPDATER_FAILED;
	out->err = e;
	return -1;
}

struct install_ctx {
	struct updater_install *out;
	void (*phase)(void *ctx, enum updater_phase ph, const char *version);
	void *user;
};

static const struct {
	const char *line;
	enum updater_result res;
} finals[] = {
	{"error refused", UPDATER_REFUSED}, {"error money", UPDATER_MONEY},     {"error wait", UPDATER_WAIT},
	{"error bundle", UPDATER_BUNDLE},   {"error install", UPDATER_INSTALL}, {"error busy", UPDATER_BUSY},
	{"error request", UPDATER_FAILED},
};

/* install: 1 at the last line (out->res set), 2 for a line that is not the protocol */
static int install_line(void *vctx, const char *line)
{
	struct install_ctx *c = vctx;
	struct updater_install *o = c->out;
	for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		if (!strcmp(line, finals[i].line)) {
			o->res = finals[i].res;
			return 1;
		}
	if (!strncmp(line, "ok rebooting ", 13)) {
		if (!updater_version_ok(line + 13))
			return 2;
		snprintf(o->version, sizeof(o->version), "%s", line + 13);
		o->res = UPDATER_DONE;
		return 1;
	}
	if (!strncmp(line, "state version ", 14)) {
		if (!updater_version_ok(line + 14))
			return 2;
		snprintf(o->version, sizeof(o->version), "%s", line + 14);
		o->phase = UPDATER_CHECKED;
	} else if (!strcmp(line, "state waiting")) {
		o->phase = UPDATER_WAITING;
	} else if (!strcmp(line, "state installing")) {
		o->phase = UPDATER_INSTALLING;
	} else {
		return 2;
	}
	if (c->phase)
		c->phase(c->user, o->phase, o->version);
	return 0;
}

int updater_install(const char *sock, const char *name, int wait_s, int force, int timeout_ms,
		    void (*phase)(void *ctx, enum updater_phase ph, const char *version), void *ctx,
		    struct updater_install *out)
{
	memset(out, 0, sizeof(*out));
	char req[128];
	if (!name || !updater_name_ok(name) || wait_s < 0 || wait_s > 3600) {
		out->res = UPDATER_FAILED;
		out->err = EINVAL;
		return -1;
	}
	snprintf(req, sizeof(req), "install %s %d%s", name, wait_s, force ? " force" : "");
	int fd = open_helper(sock, &out->res, &out->err);
	if (fd < 0)
		return -1;
	struct install_ctx c = {out, phase, ctx};
	int r = helpersock_talk(fd, req, fdio_now_ms() + timeout_ms, install_line, &c, &out->err);
	close(fd);
	if (r != 1) {
		out->res = UPDATER_FAILED;
		if (r == 2)
			out->err = 0;
	}
	return out->res == UPDATER_DONE ? 0 : -1;
}
