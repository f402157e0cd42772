/* INI configuration with inih. Values are parsed into a copy; only a fully valid file is
 * applied, so a typo never leaves the kiosk half-configured. */
#include "config.h"
#include "files.h"
#include "gs1.h"
#include "printer.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->kiosk_id = CFG_KIOSK_ID;
	c->ref_length = CFG_REF_LENGTH;
	c->coupon_days = CFG_COUPON_DAYS;
	c->inactivity_s = CFG_INACTIVITY_S;
	c->countdown_s = CFG_COUNTDOWN_S;
	c->done_s = CFG_DONE_S;
	snprintf(c->brand, sizeof(c->brand), "%s", CFG_BRAND);
	snprintf(c->language, sizeof(c->language), "es");
	snprintf(c->printer_backend, sizeof(c->printer_backend), "%s", CFG_PRINTER_BACKEND);
	snprintf(c->printer_target, sizeof(c->printer_target), "%s", CFG_PRINTER_TARGET);
	c->paper_dots = CFG_PAPER_DOTS;
	c->printer_native_qr = CFG_PRINTER_NATIVE_QR;
	c->printer_codepage = CFG_PRINTER_CODEPAGE;
	snprintf(c->printer_logo, sizeof(c->printer_logo), "%s", CFG_PRINTER_LOGO);
	snprintf(c->biller_gln, sizeof(c->biller_gln), "%s", CFG_BILLER_GLN);
	snprintf(c->qr_key_file, sizeof(c->qr_key_file), "%s", CFG_QR_KEY_FILE);
	snprintf(c->font_dir, sizeof(c->font_dir), "%s", CFG_FONT_DIR);
	snprintf(c->merchant.gui, sizeof(c->merchant.gui), "%s", CFG_MERCHANT_GUI);
	snprintf(c->merchant.merchant_id, sizeof(c->merchant.merchant_id), "%s", CFG_MERCHANT_ID);
	snprintf(c->merchant.mcc, sizeof(c->merchant.mcc), "%s", CFG_MERCHANT_MCC);
	snprintf(c->merchant.name, sizeof(c->merchant.name), "%s", CFG_MERCHANT_NAME);
	snprintf(c->merchant.city, sizeof(c->merchant.city), "%s", CFG_MERCHANT_CITY);
	snprintf(c->terminal, sizeof(c->terminal), "K%04u", (unsigned)c->kiosk_id);
	c->lookup_timeout_ms = CFG_LOOKUP_TIMEOUT_MS;
	c->sync_connect_timeout_ms = CFG_SYNC_CONNECT_TIMEOUT_MS;
	c->sync_low_speed_s = CFG_SYNC_LOW_SPEED_S;
	c->refresh_s = CFG_REFRESH_S;
	c->heartbeat_s = CFG_HEARTBEAT_S;
	c->max_data_age_h = CFG_MAX_DATA_AGE_H;
	c->max_offline_coupon = CFG_MAX_OFFLINE_COUPON;
	c->max_offline_total = CFG_MAX_OFFLINE_TOTAL;
	c->retention_days = CFG_RETENTION_DAYS;
	c->retention_print_mb = CFG_RETENTION_PRINT_MB;
	c->retention_receipts_mb = CFG_RETENTION_RECEIPTS_MB;
	snprintf(c->removable_dir, sizeof(c->removable_dir), "%s", CFG_REMOVABLE_DIR);
	snprintf(c->usb_helper, sizeof(c->usb_helper), "%s", CFG_USB_HELPER);
	snprintf(c->update_helper, sizeof(c->update_helper), "%s", CFG_UPDATE_HELPER);
	snprintf(c->field_export_dir, sizeof(c->field_export_dir), "%s", CFG_FIELD_EXPORT_DIR);
	c->field_login_days = CFG_FIELD_LOGIN_DAYS;
	c->field_idle_s = CFG_FIELD_IDLE_S;
	c->field_data_age_days = CFG_FIELD_DATA_AGE_DAYS;
	c->speech = 1;
	c->speech_volume = CFG_SPEECH_VOLUME;
	c->field_max_unsynced = CFG_FIELD_MAX_UNSYNCED;
}

/* Where each key was set, so a problem found after parsing still names FILE:LINE. */
#define CFG_MAX_KEYS 96
struct key_line {
	char section[16], name[24];
	int line;
};

struct load {
	struct config c;
	struct key_line keys[CFG_MAX_KEYS];
	int nkeys;
	char why[160];
	int terminal_set;
	int profile_dots, dots_set; /* [printer] profile and dots must agree when both are given */
};

static int int_in(const char *v, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int str_into(char *dst, size_t n, const char *v)
{
	size_t len = strlen(v);
	if (len >= n)
		return -1;
	memcpy(dst, v, len + 1);
	return 0;
}

#define MATCH(s, k) (strcmp(section, s) == 0 && strcmp(name, k) == 0)

/* One of a fixed list of words: *index is its position. Otherwise -1, and the reason names
 * the words allowed ("[printer] profile must be 80mm or 58mm, not '76mm'"). */
static int printer_value(struct load *l, const char *name, const char *value,
			 const char *const *words, long *index)
{
	for (long i = 0; words[i]; i++)
		if (strcmp(value, words[i]) == 0) {
			*index = i;
			return 0;
		}
	if (!l->why[0])
		snprintf(l->why, sizeof(l->why), "[printer] %s must be %s or %s, not '%.40s'", name,
			 words[0], words[1], value);
	*index = 0;
	return -1;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct load *l = user;
	struct config *c = &l->c;
	long x = 0;
	int bad = 0;
	if (MATCH("kiosk", "id")) {
		bad = int_in(value, 1, 9999, &x);
		c->kiosk_id = (uint32_t)x;
	} else if (MATCH("kiosk", "reference_length")) {
		bad = int_in(value, 10, 24, &x);
		c->ref_length = (int)x;
	} else if (MATCH("kiosk", "coupon_days")) {
		bad = int_in(value, 0, 60, &x);
		c->coupon_days = (int)x;
	} else if (MATCH("kiosk", "brand")) {
		bad = str_into(c->brand, sizeof(c->brand), value);
	} else if (MATCH("kiosk", "branch")) {
		bad = str_into(c->branch, sizeof(c->branch), value);
	} else if (MATCH("maintenance", "removable_dir")) {
		bad = str_into(c->removable_dir, sizeof(c->removable_dir), value) || !value[0];
	} else if (MATCH("maintenance", "usb_helper")) {
		bad = str_into(c->usb_helper, sizeof(c->usb_helper), value) || (value[0] && value[0] != '/');
	} else if (MATCH("maintenance", "update_helper")) {
		bad = str_into(c->update_helper, sizeof(c->update_helper), value) ||
		      (value[0] && value[0] != '/');
	} else if (MATCH("field", "export_dir")) {
		bad = str_into(c->field_export_dir, sizeof(c->field_export_dir), value) || !value[0];
	} else if (MATCH("field", "offline_login_days")) {
		bad = int_in(value, 1, 30, &x);
		c->field_login_days = (int)x;
	} else if (MATCH("field", "idle_logout_s")) {
		bad = int_in(value, 60, 4 * 3600, &x);
		c->field_idle_s = (int)x;
	} else if (MATCH("field", "max_data_age_days")) {
		bad = int_in(value, 1, 30, &x);
		c->field_data_age_days = (int)x;
	} else if (MATCH("field", "max_unsynced_cash")) {
		bad = int_in(value, 0, 1000000000L, &x);
		c->field_max_unsynced = x;
	} else if (MATCH("accessibility", "speech")) {
		bad = strcmp(value, "on") && strcmp(value, "off");
		c->speech = !strcmp(value, "on");
	} else if (MATCH("accessibility", "headphones")) {
		bad = str_into(c->headphones, sizeof(c->headphones), value);
	} else if (MATCH("accessibility", "volume")) {
		bad = int_in(value, 0, 100, &x);
		c->speech_volume = (int)x;
	} else if (MATCH("kiosk", "support_line")) {
		bad = str_into(c->support_line, sizeof(c->support_line), value);
	} else if (MATCH("kiosk", "language")) {
		bad = strcmp(value, "es") && strcmp(value, "en");
		if (!bad)
			str_into(c->language, sizeof(c->language), value);
	} else if (MATCH("session", "inactivity_s")) {
		bad = int_in(value, 10, 3600, &x);
		c->inactivity_s = (int)x;
	} else if (MATCH("session", "countdown_s")) {
		bad = int_in(value, 20, 120, &x); /* WCAG 2.2.1: at least 20 s to ask for more time */
		c->countdown_s = (int)x;
	} else if (MATCH("session", "done_s")) {
		bad = int_in(value, 2, 120, &x);
		c->done_s = (int)x;
	} else if (MATCH("printer", "backend")) {
		bad = str_into(c->printer_backend, sizeof(c->printer_backend), value);
	} else if (MATCH("printer", "target")) {
		bad = str_into(c->printer_target, sizeof(c->printer_target), value);
	} else if (MATCH("printer", "dots")) {
		bad = int_in(value, 384, 576, &x) || (x != 384 && x != 576);
		c->paper_dots = (int)x;
		l->dots_set = (int)x;
	} else if (MATCH("printer", "profile")) {
		bad = printer_value(l, name, value, (const char *const[]){"80mm", "58mm", NULL}, &x);
		l->profile_dots = x == 0 ? 576 : 384;
		c->paper_dots = l->profile_dots;
	} else if (MATCH("printer", "native_qr")) {
		bad = printer_value(l, name, value, (const char *const[]){"yes", "no", NULL}, &x);
		c->printer_native_qr = x == 0;
	} else if (MATCH("printer", "codepage")) {
		bad = printer_value(l, name, value, (const char *const[]){"cp858", "cp850", NULL}, &x);
		c->printer_codepage = x == 0 ? ESCPOS_CP858 : ESCPOS_CP850;
	} else if (MATCH("printer", "logo")) {
		bad = str_into(c->printer_logo, sizeof(c->printer_logo), value);
	} else if (MATCH("kiosk", "biller_gln")) {
		char why[120];
		bad = gs1_gln_validate(value, why, sizeof(why)) ||
		      str_into(c->biller_gln, sizeof(c->biller_gln), value);
		if (bad && !l->why[0])
			snprintf(l->why, sizeof(l->why), "bad value for [kiosk] biller_gln: %s", why);
	} else if (MATCH("services", "certificate_key")) {
		bad = str_into(c->certificate_key, sizeof(c->certificate_key), value);
	} else if (MATCH("security", "qr_key_file")) {
		bad = str_into(c->qr_key_file, sizeof(c->qr_key_file), value);
	} else if (MATCH("display", "font_dir")) {
		bad = str_into(c->font_dir, sizeof(c->font_dir), value);
	} else if (MATCH("display", "renderer")) {
		bad = strcmp(value, "software") && strcmp(value, "accelerated");
		c->accelerated = !strcmp(value, "accelerated");
	} else if (MATCH("central", "url")) {
		bad = str_into(c->central_url, sizeof(c->central_url), value) ||
		      (value[0] && strncmp(value, "https://", 8) && strncmp(value, "http://127.0.0.1", 16));
	} else if (MATCH("central", "device_id")) {
		bad = str_into(c->device_id, sizeof(c->device_id), value) || !value[0];
	} else if (MATCH("central", "secret_file")) {
		bad = str_into(c->secret_file, sizeof(c->secret_file), value);
	} else if (MATCH("central", "ca_file")) {
		bad = str_into(c->ca_file, sizeof(c->ca_file), value);
	} else if (MATCH("central", "pinned_key")) {
		bad = str_into(c->pinned_key, sizeof(c->pinned_key), value);
	} else if (MATCH("central", "lookup_timeout_ms")) {
		bad = int_in(value, 200, 3000, &x);
		c->lookup_timeout_ms = (int)x;
	} else if (MATCH("central", "sync_connect_timeout_ms")) {
		bad = int_in(value, 1000, 120000, &x);
		c->sync_connect_timeout_ms = (int)x;
	} else if (MATCH("central", "sync_low_speed_s")) {
		bad = int_in(value, 5, 600, &x);
		c->sync_low_speed_s = (int)x;
	} else if (MATCH("central", "refresh_s")) {
		bad = int_in(value, 10, 86400, &x);
		c->refresh_s = (int)x;
	} else if (MATCH("central", "heartbeat_s")) {
		bad = int_in(value, 5, 3600, &x);
		c->heartbeat_s = (int)x;
	} else if (MATCH("limits", "max_data_age_h")) {
		bad = int_in(value, 0, 24 * 365, &x);
		c->max_data_age_h = (int)x;
	} else if (MATCH("limits", "max_offline_coupon")) {
		bad = int_in(value, 0, 9000000000L, &x);
		c->max_offline_coupon = x;
	} else if (MATCH("limits", "max_offline_total")) {
		bad = int_in(value, 0, 9000000000L, &x);
		c->max_offline_total = x;
	} else if (MATCH("retention", "days")) {
		bad = int_in(value, 1, 3650, &x);
		c->retention_days = (int)x;
	} else if (MATCH("retention", "print_mb")) {
		bad = int_in(value, 1, 1048576, &x);
		c->retention_print_mb = (int)x;
	} else if (MATCH("retention", "receipts_mb")) {
		bad = int_in(value, 1, 1048576, &x);
		c->retention_receipts_mb = (int)x;
	} else if (MATCH("merchant", "gui")) {
		bad = str_into(c->merchant.gui, sizeof(c->merchant.gui), value);
	} else if (MATCH("merchant", "id")) {
		bad = str_into(c->merchant.merchant_id, sizeof(c->merchant.merchant_id), value);
	} else if (MATCH("merchant", "mcc")) {
		bad = strlen(value) != 4 || strspn(value, "0123456789") != 4 ||
		      str_into(c->merchant.mcc, sizeof(c->merchant.mcc), value);
	} else if (MATCH("merchant", "name")) {
		bad = str_into(c->merchant.name, sizeof(c->merchant.name), value);
	} else if (MATCH("merchant", "city")) {
		bad = str_into(c->merchant.city, sizeof(c->merchant.city), value);
	} else if (MATCH("merchant", "terminal")) {
		bad = str_into(c->terminal, sizeof(c->terminal), value);
		l->terminal_set = 1;
	} else {
		/* inih goes on after an error and reports the first line: keep the first reason */
		if (!l->why[0])
			snprintf(l->why, sizeof(l->why), "unknown setting [%s] %s", section, name);
		return 0;
	}
	if (bad) {
		if (!l->why[0])
			snprintf(l->why, sizeof(l->why), "bad value for [%s] %s", section, name);
		return 0;
	}
	return 1;
}

/* inih reads a line in pieces of INI_MAX_LINE bytes and takes the tail of a longer line for a
 * line of its own (a long `logo = ...` could end in `backend = file`): read the file once first,
 * refuse any line inih would split, and note where each key is. */
static int prescan(const char *path, struct load *l, char *err, size_t errn)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errn, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL, section[16] = "";
	size_t cap = 0;
	ssize_t len;
	int n = 0, rc = 0;
	/* room for the line, "\r\n" and the NUL in inih's buffer (the size the library was built
	 * with, which it exports) */
	const ssize_t max = (ssize_t)ini_max_line - 3;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (++n == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
			memmove(line, line + 3, (size_t)len - 2); /* a UTF-8 BOM, as inih skips it */
			len -= 3;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len > max) {
			snprintf(err, errn, "%s:%d: line too long (%zd characters, at most %zd)", path, n, len, max);
			rc = -1;
			break;
		}
		if ((ssize_t)strlen(line) != len) {
			snprintf(err, errn, "%s:%d: a NUL byte in the line", path, n);
			rc = -1;
			break;
		}
		const char *p = line + strspn(line, " \t");
		if (*p == '[') {
			size_t k = strcspn(p + 1, "]");
			snprintf(section, sizeof(section), "%.*s", (int)(k < sizeof(section) ? k : sizeof(section) - 1), p + 1);
			continue;
		}
		size_t k = strcspn(p, "=:");
		if (!*p || *p == ';' || *p == '#' || !p[k] || l->nkeys == CFG_MAX_KEYS)
			continue;
		while (k && (p[k - 1] == ' ' || p[k - 1] == '\t'))
			k--;
		struct key_line *kl = &l->keys[l->nkeys++];
		snprintf(kl->section, sizeof(kl->section), "%s", section);
		snprintf(kl->name, sizeof(kl->name), "%.*s", (int)(k < sizeof(kl->name) ? k : sizeof(kl->name) - 1), p);
		kl->line = n;
	}
	free(line);
	fclose(f);
	return rc;
}

/* "FILE:LINE" of the last setting of [section] name, or "FILE" if it was not in the file. */
static void where(const struct load *l, const char *path, const char *section, const char *name, char *out,
		  size_t n)
{
	for (int i = l->nkeys - 1; i >= 0; i--)
		if (!strcmp(l->keys[i].section, section) && !strcmp(l->keys[i].name, name)) {
			snprintf(out, n, "%s:%d", path, l->keys[i].line);
			return;
		}
	snprintf(out, n, "%s", path);
}

/* Files the configuration names must be there, and secret ones private, before the kiosk
 * touches its data directory: a typo is found at start, not at the first sync or print. */
static int check_files(const struct load *l, const char *path, char *err, size_t errn)
{
	const struct config *c = &l->c;
	char at[300], why[400];
	const char *const *b = printer_backends();
	int known = 0;
	for (; *b; b++)
		known |= !strcmp(*b, c->printer_backend);
	if (!known) {
		char names[120] = "";
		size_t k = 0;
		for (b = printer_backends(); *b; b++)
			k += (size_t)snprintf(names + k, sizeof(names) - k, "%s%s", k ? ", " : "", *b);
		where(l, path, "printer", "backend", at, sizeof(at));
		snprintf(err, errn, "%s: [printer] backend '%s' is not one of %s", at, c->printer_backend, names);
		return -1;
	}
	struct {
		const char *section, *name, *file, *what;
		int secret;
	} files[] = {
		{"central", "secret_file", c->central_url[0] ? c->secret_file : "", "device secret", 1},
		{"central", "ca_file", c->central_url[0] ? c->ca_file : "", "CA certificate", 0},
		{"security", "qr_key_file", c->qr_key_file, "coupon QR key", 1},
		{"printer", "logo", strcmp(c->printer_logo, "none") ? c->printer_logo : "", "logo", 0},
		/* a public key: it must be readable, it need not be private */
		{"services", "certificate_key", c->certificate_key, "certificate public key", 0},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		if (!files[i].file[0])
			continue;
		where(l, path, files[i].section, files[i].name, at, sizeof(at));
		if (files[i].secret ? files_check_secret(files[i].file, files[i].what, why, sizeof(why)) != 0
				    : access(files[i].file, R_OK) != 0) {
			if (!files[i].secret)
				snprintf(why, sizeof(why), "%s: cannot read the %s: %s", files[i].file, files[i].what,
					 strerror(errno));
			snprintf(err, errn, "%s: [%s] %s: %s", at, files[i].section, files[i].name, why);
			return -1;
		}
	}
	const char *fonts[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
	for (size_t i = 0; i < sizeof(fonts) / sizeof(*fonts); i++) {
		char f[400];
		snprintf(f, sizeof(f), "%s/%s", c->font_dir, fonts[i]);
		if (access(f, R_OK) != 0) {
			where(l, path, "display", "font_dir", at, sizeof(at));
			snprintf(err, errn, "%s: [display] font_dir: cannot read %s: %s", at, f, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int load(struct config *c, const char *path, int check, char *err, size_t errn);

int config_load(struct config *c, const char *path, char *err, size_t errn)
{
	return load(c, path, 1, err, errn);
}

int config_load_settings(struct config *c, const char *path, char *err, size_t errn)
{
	return load(c, path, 0, err, errn);
}

static int load(struct config *c, const char *path, int check, char *err, size_t errn)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	if (prescan(path, &l, err, errn) != 0)
		return -1;
	l.c = *c;
	l.why[0] = 0;
	l.terminal_set = 0;
	l.profile_dots = l.dots_set = 0;
	int rc = ini_parse(path, on_value, &l);
	if (rc == -1) {
		snprintf(err, errn, "%s: cannot open", path);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errn, "%s:%d: %s", path, rc, l.why[0] ? l.why : "syntax error");
		return -1;
	}
	if (!l.terminal_set)
		snprintf(l.c.terminal, sizeof(l.c.terminal), "K%04u", (unsigned)l.c.kiosk_id);
	if (l.profile_dots && l.dots_set && l.profile_dots != l.dots_set) {
		snprintf(err, errn, "%s: [printer] profile %s is %d dots wide, but dots = %d", path,
			 l.profile_dots == 576 ? "80mm" : "58mm", l.profile_dots, l.dots_set);
		return -1;
	}
	if (l.c.central_url[0] && (!l.c.device_id[0] || !l.c.secret_file[0])) {
		char at[300];
		where(&l, path, "central", "url", at, sizeof(at));
		snprintf(err, errn, "%s: [central] url needs device_id and secret_file too", at);
		return -1;
	}
	/* the merchant data must make a valid pay-by-phone QR now, not after a coupon is issued */
	char probe[512];
	if (!emvqr_build(probe, sizeof(probe), &l.c.merchant, 100, "0000000000", l.c.terminal)) {
		snprintf(err, errn, "%s: [merchant] gui, id, name, city and terminal do not make a valid "
				    "EMVCo QR (ASCII only; name max 25, city max 15 characters)", path);
		return -1;
	}
	if (check && check_files(&l, path, err, errn) != 0)
		return -1;
	*c = l.c;
	return 0;
}
