/* config_edit — listing and whitelisted editing of the INI file (config_edit.h). The only
 * validator is app/config.c's config_load: an edit is a candidate file that must load. */
#include "config_edit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "ini_edit.h"
#include "printer.h"

/* How a row's value is found in struct config. */
enum vtype { V_STR, V_INT, V_U32, V_LL, V_PROFILE, V_YESNO, V_CODEPAGE, V_RENDERER };

struct row {
	struct config_key k;
	enum vtype t;
	size_t off;
};

static const char *const profiles[] = {"80mm", "58mm", NULL};
static const char *const languages[] = {"es", "en", NULL};
static const char *const yesno[] = {"yes", "no", NULL};
static const char *const codepages[] = {"cp858", "cp850", NULL};
static const char *const renderers[] = {"software", "accelerated", NULL};
static const char *const dots_choices[] = {"576", "384", NULL};

#define O(f) offsetof(struct config, f)
#define RO CONFIG_APPLY_NONE
#define LIVE CONFIG_APPLY_LIVE
#define RESTART CONFIG_APPLY_RESTART
#define STR(s, k, f, ap) {{s, k, CONFIG_TEXT, ap, 0, 0, 0, 0, NULL}, V_STR, O(f)}
#define INT(s, k, f, ap, lo, hi) {{s, k, CONFIG_INT, ap, 0, 0, lo, hi, NULL}, V_INT, O(f)}

/* The whitelist is the rows not RO: the session's timeouts and the language a session starts
 * in (live), the central API's timeouts and the printer (next start), the support line (live).
 * Everything that decides money, identity, keys, where data goes or what is trusted stays
 * read-only here. */
static const struct row rows[] = {
	{{"kiosk", "id", CONFIG_INT, RO, 0, 0, 1, 9999, NULL}, V_U32, O(kiosk_id)},
	INT("kiosk", "reference_length", ref_length, RO, 10, 24),
	INT("kiosk", "coupon_days", coupon_days, RO, 0, 60),
	STR("kiosk", "brand", brand, RO),
	STR("kiosk", "branch", branch, RO),
	{{"kiosk", "language", CONFIG_CHOICE, LIVE, 0, 0, 0, 0, languages}, V_STR, O(language)},
	STR("kiosk", "biller_gln", biller_gln, RO),
	{{"kiosk", "support_line", CONFIG_TEXT, LIVE, 0, 1, 0, 0, NULL}, V_STR, O(support_line)},
	INT("session", "inactivity_s", inactivity_s, LIVE, 10, 3600),
	INT("session", "countdown_s", countdown_s, LIVE, 20, 120),
	INT("session", "done_s", done_s, LIVE, 2, 120),
	{{"printer", "backend", CONFIG_CHOICE, RESTART, 0, 0, 0, 0, NULL /* printer_backends() */}, V_STR,
	 O(printer_backend)},
	STR("printer", "target", printer_target, RESTART),
	{{"printer", "dots", CONFIG_CHOICE, RO, 0, 0, 384, 576, dots_choices}, V_INT, O(paper_dots)},
	{{"printer", "profile", CONFIG_CHOICE, RESTART, 0, 0, 0, 0, profiles}, V_PROFILE, O(paper_dots)},
	{{"printer", "native_qr", CONFIG_CHOICE, RO, 0, 0, 0, 0, yesno}, V_YESNO, O(printer_native_qr)},
	{{"printer", "codepage", CONFIG_CHOICE, RO, 0, 0, 0, 0, codepages}, V_CODEPAGE, O(printer_codepage)},
	STR("printer", "logo", printer_logo, RO),
	STR("security", "qr_key_file", qr_key_file, RO),
	STR("merchant", "gui", merchant.gui, RO),
	STR("merchant", "id", merchant.merchant_id, RO),
	STR("merchant", "mcc", merchant.mcc, RO),
	STR("merchant", "name", merchant.name, RO),
	STR("merchant", "city", merchant.city, RO),
	STR("merchant", "terminal", terminal, RO),
	STR("display", "font_dir", font_dir, RO),
	{{"display", "renderer", CONFIG_CHOICE, RO, 0, 0, 0, 0, renderers}, V_RENDERER, O(accelerated)},
	STR("central", "url", central_url, RO),
	STR("central", "device_id", device_id, RO),
	STR("central", "secret_file", secret_file, RO),
	STR("central", "ca_file", ca_file, RO),
	/* the server's public key pin: key material, not for a screen */
	{{"central", "pinned_key", CONFIG_TEXT, RO, 1, 0, 0, 0, NULL}, V_STR, O(pinned_key)},
	INT("central", "lookup_timeout_ms", lookup_timeout_ms, RESTART, 200, 3000),
	INT("central", "sync_connect_timeout_ms", sync_connect_timeout_ms, RESTART, 1000, 120000),
	INT("central", "sync_low_speed_s", sync_low_speed_s, RESTART, 5, 600),
	INT("central", "refresh_s", refresh_s, RO, 10, 86400),
	INT("central", "heartbeat_s", heartbeat_s, RO, 5, 3600),
	INT("limits", "max_data_age_h", max_data_age_h, RO, 0, 24 * 365),
	{{"limits", "max_offline_coupon", CONFIG_INT, RO, 0, 0, 0, 9000000000L, NULL}, V_LL, O(max_offline_coupon)},
	{{"limits", "max_offline_total", CONFIG_INT, RO, 0, 0, 0, 9000000000L, NULL}, V_LL, O(max_offline_total)},
	INT("retention", "days", retention_days, RO, 1, 3650),
	INT("retention", "print_mb", retention_print_mb, RO, 1, 1048576),
	INT("retention", "receipts_mb", retention_receipts_mb, RO, 1, 1048576),
	STR("maintenance", "removable_dir", removable_dir, RO),
	STR("maintenance", "usb_helper", usb_helper, RO),
	STR("maintenance", "update_helper", update_helper, RO),
	STR("field", "export_dir", field_export_dir, RO),
	INT("field", "offline_login_days", field_login_days, RO, 1, 30),
	INT("field", "idle_logout_s", field_idle_s, RO, 60, 4 * 3600),
	INT("field", "max_data_age_days", field_data_age_days, RO, 1, 30),
	{{"field", "max_unsynced_cash", CONFIG_INT, RO, 0, 0, 0, 1000000000L, NULL}, V_LL, O(field_max_unsynced)},
};
#define NROWS ((int)(sizeof(rows) / sizeof(*rows)))

static struct config_key keys[NROWS];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

/* The public rows, with the printer's backends from the driver's table. */
static void keys_fill(void)
{
	for (int i = 0; i < NROWS; i++) {
		keys[i] = rows[i].k;
		if (!strcmp(keys[i].section, "printer") && !strcmp(keys[i].key, "backend"))
			keys[i].choices = printer_backends();
	}
}

const struct config_key *config_edit_keys(int *n)
{
	pthread_once(&keys_once, keys_fill); /* the UI thread and the maintenance worker both ask */
	*n = NROWS;
	return keys;
}

static const struct row *row_of(const struct config_key *k)
{
	int n;
	const struct config_key *all = config_edit_keys(&n);
	if (k < all || k >= all + n)
		return NULL;
	return &rows[k - all];
}

const struct config_key *config_edit_find(const char *section, const char *key)
{
	int n;
	const struct config_key *all = config_edit_keys(&n);
	for (int i = 0; i < n; i++)
		if (!strcmp(all[i].section, section) && !strcmp(all[i].key, key))
			return &all[i];
	return NULL;
}

const struct config_key *config_edit_find_dotted(const char *name)
{
	const char *dot = strchr(name, '.');
	char section[32];
	if (!dot || (size_t)(dot - name) >= sizeof(section))
		return NULL;
	snprintf(section, sizeof(section), "%.*s", (int)(dot - name), name);
	return config_edit_find(section, dot + 1);
}

void config_edit_value(const struct config *c, const struct config_key *k, char *out, size_t n)
{
	const struct row *r = row_of(k);
	if (!r) {
		snprintf(out, n, "?");
		return;
	}
	const char *base = (const char *)c + r->off;
	switch (r->t) {
	case V_STR:
		snprintf(out, n, "%s", base);
		break;
	case V_INT:
		snprintf(out, n, "%d", *(const int *)(const void *)base);
		break;
	case V_U32:
		snprintf(out, n, "%u", (unsigned)*(const uint32_t *)(const void *)base);
		break;
	case V_LL:
		snprintf(out, n, "%lld", *(const long long *)(const void *)base);
		break;
	case V_PROFILE:
		snprintf(out, n, "%s", c->paper_dots == 384 ? "58mm" : "80mm");
		break;
	case V_YESNO:
		snprintf(out, n, "%s", c->printer_native_qr ? "yes" : "no");
		break;
	case V_CODEPAGE:
		snprintf(out, n, "%s", c->printer_codepage == ESCPOS_CP850 ? "cp850" : "cp858");
		break;
	case V_RENDERER:
		snprintf(out, n, "%s", c->accelerated ? "accelerated" : "software");
		break;
	}
}

void config_edit_shown(const struct config *c, const struct config_key *k, char *out, size_t n)
{
	config_edit_value(c, k, out, n);
	if (k->secret && out[0])
		snprintf(out, n, "%s", CONFIG_EDIT_MASK);
}

/* ---- the file ---- */

static int is_sp(char c) { return c == ' ' || c == '\t'; }

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A new file in dir with the content, the mode and the owner of `like`, fsynced. Its name in
 * tmp (a template: "DIR/.NAME.XXXXXX"). */
static int write_temp(char *tmp, const char *data, size_t n, const struct stat *like, char *err, size_t errn)
{
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errn, "cannot write a file beside the configuration (%s): %s", tmp, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (fchmod(fd, like->st_mode & 07777) != 0)
		rc = -1;
	/* root editing the kiosk's file must not leave it root's (the kiosk could not read it) */
	if (rc == 0 && (like->st_uid != geteuid() || like->st_gid != getegid()) &&
	    fchown(fd, like->st_uid, like->st_gid) != 0)
		rc = -1;
	if (rc == 0 && (write_all(fd, data, n) != 0 || fsync(fd) != 0))
		rc = -1;
	if (rc != 0)
		snprintf(err, errn, "cannot write %s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errn, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* err with the temporary file's name replaced by the real one. */
static void rename_in_message(char *err, size_t errn, const char *tmp, const char *real)
{
	size_t tl = strlen(tmp);
	char *at = strstr(err, tmp);
	if (!at)
		return;
	char rest[512];
	snprintf(rest, sizeof(rest), "%s", at + tl);
	*at = 0;
	char head[512];
	snprintf(head, sizeof(head), "%s", err);
	snprintf(err, errn, "%s%s%s", head, real, rest);
}

static int read_file(const char *path, char **out, size_t *len, struct stat *st, char *err, size_t errn)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errn, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		snprintf(err, errn, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st->st_size > CONFIG_EDIT_MAX_FILE) {
		snprintf(err, errn, "%s: larger than %d bytes: not edited here", path, CONFIG_EDIT_MAX_FILE);
		close(fd);
		return -1;
	}
	char *p = malloc((size_t)st->st_size + 1);
	size_t got = 0;
	while (p && got < (size_t)st->st_size) {
		ssize_t r = read(fd, p + got, (size_t)st->st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!p || got != (size_t)st->st_size) {
		free(p);
		snprintf(err, errn, "%s: cannot read", path);
		return -1;
	}
	p[got] = 0;
	*out = p;
	*len = got;
	return 0;
}

int config_edit_set(const char *path, const char *section, const char *key, const char *value_in,
		    struct config *out, int *changed, char *err, size_t errn)
{
	const struct config_key *k = config_edit_find(section, key);
	if (changed)
		*changed = 0;
	if (!k) {
		snprintf(err, errn, "[%s] %s is not a setting", section, key);
		return CONFIG_EDIT_REFUSED;
	}
	if (k->apply == CONFIG_APPLY_NONE) {
		snprintf(err, errn, "[%s] %s cannot be changed here (read-only in maintenance)", section, key);
		return CONFIG_EDIT_REFUSED;
	}
	/* the value, without surrounding spaces (the INI drops them anyway) */
	char value[256];
	size_t a = 0, b = strlen(value_in);
	while (a < b && is_sp(value_in[a]))
		a++;
	while (b > a && is_sp(value_in[b - 1]))
		b--;
	if (b - a >= sizeof(value)) {
		snprintf(err, errn, "[%s] %s: the value is too long", section, key);
		return CONFIG_EDIT_BAD;
	}
	snprintf(value, sizeof(value), "%.*s", (int)(b - a), value_in + a);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errn, "[%s] %s: the value has a control character", section, key);
			return CONFIG_EDIT_BAD;
		}
	if (strstr(value, " ;") || strstr(value, "\t;")) {
		snprintf(err, errn, "[%s] %s: \" ;\" would start a comment in the file", section, key);
		return CONFIG_EDIT_BAD;
	}

	char real[PATH_MAX];
	if (!realpath(path, real)) {
		snprintf(err, errn, "%s: %s", path, strerror(errno));
		return CONFIG_EDIT_IO;
	}
	char *old = NULL;
	size_t oldn = 0;
	struct stat st;
	if (read_file(real, &old, &oldn, &st, err, errn) != 0)
		return CONFIG_EDIT_IO;

	struct ini_edit ed[2] = {{section, key, value}};
	int ned = 1;
	if (!strcmp(section, "printer") && !strcmp(key, "profile") && ini_edit_has_key(old, oldn, "printer", "dots"))
		ed[ned++] = (struct ini_edit){"printer", "dots", !strcmp(value, "58mm") ? "384" : "576"};
	struct {
		char *p;
		size_t len;
	} nb = {0};
	int rc = CONFIG_EDIT_IO;
	char tmp[PATH_MAX + 32] = "", prev_tmp[PATH_MAX + 32] = "", prev[PATH_MAX + 8];
	if (ini_edit_apply(old, oldn, ed, ned, &nb.p, &nb.len) != 0) {
		snprintf(err, errn, "out of memory");
		goto out;
	}
	/* beside the real file: the same file system, so the rename is atomic */
	const char *slash = strrchr(real, '/');
	int dirlen = (int)(slash - real); /* realpath's answer is absolute */
	snprintf(tmp, sizeof(tmp), "%.*s/.%s.edit-XXXXXX", dirlen, real, slash + 1);
	if (write_temp(tmp, nb.p, nb.len, &st, err, errn) != 0) {
		tmp[0] = 0;
		goto out;
	}
	/* start-up's own check, over the compiled defaults as the kiosk loads it */
	struct config c;
	config_defaults(&c);
	if (config_load(&c, tmp, err, errn) != 0) {
		rename_in_message(err, errn, tmp, real);
		char what[80];
		snprintf(what, sizeof(what), "[%s] %s", section, key);
		size_t el = strlen(err);
		if (k->kind == CONFIG_INT && strstr(err, what) && el < errn)
			snprintf(err + el, errn - el, " (a whole number from %ld to %ld)", k->lo, k->hi);
		rc = CONFIG_EDIT_BAD;
		goto out;
	}
	char got[256];
	config_edit_value(&c, k, got, sizeof(got));
	if (strcmp(got, value)) {
		snprintf(err, errn, "[%s] %s: '%.60s' would be read as '%.60s'", section, key, value, got);
		rc = CONFIG_EDIT_BAD;
		goto out;
	}
	/* a device's target is read by its transport at start (no device I/O): the same parse
	 * now, so a typo is not found only after the restart */
	if (!strcmp(section, "printer") && (!strcmp(c.printer_backend, "serial") || !strcmp(c.printer_backend, "usb") ||
					    !strcmp(c.printer_backend, "tcp"))) {
		struct printer *p = NULL;
		char why[200];
		if (printer_open(&p, c.printer_backend, c.printer_target, c.paper_dots, why, sizeof(why)) != 0) {
			snprintf(err, errn, "[printer] target: %s", why);
			rc = CONFIG_EDIT_BAD;
			goto out;
		}
		printer_close(p);
	}
	if (out)
		*out = c;
	if (nb.len == oldn && !memcmp(nb.p, old, oldn)) {
		rc = CONFIG_EDIT_OK; /* it already said so: nothing to write */
		goto out;
	}
	/* the old file as FILE.prev, then the new one over FILE, then the directory */
	snprintf(prev, sizeof(prev), "%s.prev", real);
	snprintf(prev_tmp, sizeof(prev_tmp), "%.*s/.%s.prev-XXXXXX", dirlen, real, slash + 1);
	if (write_temp(prev_tmp, old, oldn, &st, err, errn) != 0) {
		prev_tmp[0] = 0;
		goto out;
	}
	if (rename(prev_tmp, prev) != 0) {
		snprintf(err, errn, "cannot write %s: %s", prev, strerror(errno));
		goto out;
	}
	prev_tmp[0] = 0;
	if (rename(tmp, real) != 0) {
		snprintf(err, errn, "cannot replace %s: %s", real, strerror(errno));
		goto out;
	}
	tmp[0] = 0;
	if (files_sync_dir(real, err, errn) != 0)
		goto out; /* renamed, but maybe not on disk yet: say so */
	if (changed)
		*changed = 1;
	rc = CONFIG_EDIT_OK;
out:
	if (tmp[0])
		unlink(tmp);
	if (prev_tmp[0])
		unlink(prev_tmp);
	free(nb.p);
	free(old);
	return rc;
}
