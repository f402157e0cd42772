/* test_config_edit — the configuration listing (every setting config.c reads, secrets masked,
 * the ranges the screen shows equal to config.c's) and whitelisted edits of the INI file: the
 * one line changed with its comment kept, a key added to its section or a new section, the old
 * file kept as .prev, mode kept; a bad value, a read-only or unknown key change nothing, byte
 * for byte, and leave no temporary file behind. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config_edit.h"
#include "tmpdir.h"

static char dir[64], ini[128], prev[160];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* The whole file, in a static buffer ("" if missing). */
static const char *slurp(const char *path)
{
	static char b[8192];
	FILE *f = fopen(path, "r");
	size_t n = 0;
	if (f) {
		n = fread(b, 1, sizeof(b) - 1, f);
		fclose(f);
	}
	b[n] = 0;
	return b;
}

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static int load_text(const char *text, struct config *c)
{
	char p[160], err[300];
	snprintf(p, sizeof p, "%s/probe.ini", dir);
	put(p, text);
	config_defaults(c);
	int rc = config_load_settings(c, p, err, sizeof err);
	unlink(p);
	return rc;
}

/* Every row is a setting config.c reads, and the value listed reads back as itself. */
static void test_listing(void)
{
	int n;
	const struct config_key *k = config_edit_keys(&n);
	CHECK(n >= 40);
	struct config d, c;
	config_defaults(&d);
	snprintf(d.device_id, sizeof d.device_id, "K0001"); /* "" is refused */
	for (int i = 0; i < n; i++) {
		char v[300], text[400];
		config_edit_value(&d, &k[i], v, sizeof v);
		if (!v[0])
			continue; /* "" is the default of paths, not always a loadable value */
		snprintf(text, sizeof text, "[%s]\n%s = %s\n", k[i].section, k[i].key, v);
		int rc = load_text(text, &c);
		if (rc != 0)
			fprintf(stderr, "row %s.%s = %s does not load\n", k[i].section, k[i].key, v);
		CHECK_INT(rc, 0);
		char back[300];
		config_edit_value(&c, &k[i], back, sizeof back);
		CHECK_STR(back, v);
		CHECK(config_edit_find(k[i].section, k[i].key) == &k[i]);
		/* the screen's ranges are config.c's */
		if (k[i].kind == CONFIG_INT && k[i].lo < k[i].hi && strcmp(k[i].key, "dots")) {
			long edge[4] = {k[i].lo, k[i].hi, k[i].lo - 1, k[i].hi + 1};
			for (int e = 0; e < 4; e++) {
				snprintf(text, sizeof text, "[%s]\n%s = %ld\n", k[i].section, k[i].key, edge[e]);
				rc = load_text(text, &c);
				if ((rc == 0) != (e < 2))
					fprintf(stderr, "%s.%s = %ld: config.c says %d\n", k[i].section, k[i].key, edge[e], rc);
				CHECK_INT(rc == 0, e < 2);
			}
		}
	}
	CHECK(config_edit_find_dotted("session.inactivity_s") == config_edit_find("session", "inactivity_s"));
	CHECK(config_edit_find_dotted("session") == NULL);
	CHECK(config_edit_find_dotted("nope.key") == NULL);
	/* the whitelist is what the issue names */
	const char *white[] = {"session.inactivity_s", "session.countdown_s", "session.done_s",
			       "printer.profile", "printer.target", "printer.backend", "kiosk.support_line",
			       "kiosk.language", "central.lookup_timeout_ms"};
	for (size_t i = 0; i < sizeof white / sizeof *white; i++)
		CHECK(config_edit_find_dotted(white[i])->apply != CONFIG_APPLY_NONE);
	const char *ro[] = {"kiosk.id", "central.url", "central.secret_file", "security.qr_key_file",
			    "central.pinned_key", "merchant.id", "limits.max_offline_total", "printer.dots"};
	for (size_t i = 0; i < sizeof ro / sizeof *ro; i++)
		CHECK_INT(config_edit_find_dotted(ro[i])->apply, CONFIG_APPLY_NONE);
	CHECK(config_edit_find_dotted("kiosk.support_line")->personal);
}

static void test_mask(void)
{
	struct config c;
	config_defaults(&c);
	char v[300];
	const struct config_key *pin = config_edit_find("central", "pinned_key");
	config_edit_shown(&c, pin, v, sizeof v);
	CHECK_STR(v, ""); /* not set: nothing to hide */
	snprintf(c.pinned_key, sizeof c.pinned_key, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	config_edit_shown(&c, pin, v, sizeof v);
	CHECK_STR(v, CONFIG_EDIT_MASK);
	config_edit_value(&c, pin, v, sizeof v);
	CHECK(strncmp(v, "sha256//", 8) == 0);
	/* a path is shown: the file is not read */
	snprintf(c.secret_file, sizeof c.secret_file, "/etc/recaudo/central.secret");
	config_edit_shown(&c, config_edit_find("central", "secret_file"), v, sizeof v);
	CHECK_STR(v, "/etc/recaudo/central.secret");
	config_edit_shown(&c, config_edit_find("printer", "profile"), v, sizeof v);
	CHECK_STR(v, "80mm");
	config_edit_shown(&c, config_edit_find("printer", "native_qr"), v, sizeof v);
	CHECK_STR(v, "yes");
}

static const char base[] = "; Recaudo kiosk\n"
			   "[kiosk]\n"
			   "id = 7 ; the kiosk\n"
			   "language = es\n"
			   "\n"
			   "[session]\n"
			   "inactivity_s = 60           ; idle time\n"
			   "done_s:8\n"
			   "; end of session\n"
			   "\n"
			   "[printer]\n"
			   "backend = virtual\n"
			   "dots = 576\n";

static int set(const char *name, const char *value, struct config *out, int *changed, char *err, size_t n)
{
	char s[32];
	const char *dot = strchr(name, '.');
	snprintf(s, sizeof s, "%.*s", (int)(dot - name), name);
	return config_edit_set(ini, s, dot + 1, value, out, changed, err, n);
}

static void test_edit(void)
{
	char err[400];
	struct config c;
	int changed = -1;
	put(ini, base);
	chmod(ini, 0640);

	/* the one line, its comment and spacing kept */
	CHECK_INT(set("session.inactivity_s", "90", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_INT(changed, 1);
	CHECK_INT(c.inactivity_s, 90);
	CHECK_INT(c.kiosk_id, 7); /* the rest of the file is in the result */
	char want[1024];
	snprintf(want, sizeof want, "%s", base);
	char *at = strstr(want, "60           ; idle");
	at[0] = '9';
	at[1] = '0';
	CHECK_STR(slurp(ini), want);
	CHECK_STR(slurp(prev), base);
	struct stat st;
	CHECK(stat(ini, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK(stat(prev, &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK_INT(files_in_dir(), 2);

	/* "key:value" lines are edited too */
	CHECK_INT(set("session.done_s", "12", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK(strstr(slurp(ini), "\ndone_s:12\n; end of session\n") != NULL);
	CHECK(strstr(slurp(prev), "\ndone_s:8\n") != NULL); /* .prev: the file just before */

	/* a bad value: config.c's reason, the file byte for byte as it was, no temp file */
	char before[8192];
	snprintf(before, sizeof before, "%s", slurp(ini));
	CHECK_INT(set("session.inactivity_s", "5", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "inactivity_s") != NULL);
	CHECK(strstr(err, ini) != NULL); /* the real file's name, not the temporary one's */
	CHECK(strstr(err, ".edit-") == NULL);
	CHECK_STR(slurp(ini), before);
	CHECK_INT(files_in_dir(), 2);
	CHECK_INT(set("session.inactivity_s", "abc", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK_INT(set("session.inactivity_s", "090", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "read as '90'") != NULL);
	CHECK_INT(set("kiosk.language", "fr", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK_INT(set("kiosk.support_line", "601 ; 555", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK_INT(set("kiosk.support_line", "601\n[kiosk]\nid = 9", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "control character") != NULL);
	CHECK_INT(set("printer.profile", "76mm", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "80mm or 58mm") != NULL);
	/* a usb printer needs a device path: the transport's own parse says so */
	CHECK_INT(set("printer.backend", "usb", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "usb") != NULL);
	CHECK_INT(set("printer.backend", "laser", &c, &changed, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK(strstr(err, "not one of") != NULL);
	/* not on the whitelist, or no such setting */
	CHECK_INT(set("kiosk.id", "8", &c, &changed, err, sizeof err), CONFIG_EDIT_REFUSED);
	CHECK(strstr(err, "read-only") != NULL);
	CHECK_INT(set("central.url", "https://evil.example", &c, &changed, err, sizeof err), CONFIG_EDIT_REFUSED);
	CHECK_INT(set("kiosk.nonsense", "1", &c, &changed, err, sizeof err), CONFIG_EDIT_REFUSED);
	CHECK_STR(slurp(ini), before);
	CHECK_INT(files_in_dir(), 2);

	/* a key the section lacks: after the section's last setting, before its comment/blank */
	CHECK_INT(set("session.countdown_s", "20", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK(strstr(slurp(ini), "done_s:12\ncountdown_s = 20\n; end of session\n") != NULL);
	CHECK_INT(c.countdown_s, 20);
	/* the same value again: nothing written */
	snprintf(before, sizeof before, "%s", slurp(prev));
	CHECK_INT(set("session.countdown_s", " 20 ", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_INT(changed, 0);
	CHECK_STR(slurp(prev), before);

	/* the profile brings an existing dots line along */
	CHECK_INT(set("printer.profile", "58mm", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_INT(c.paper_dots, 384);
	CHECK(strstr(slurp(ini), "[printer]\nbackend = virtual\ndots = 384\nprofile = 58mm\n") != NULL);
	/* a device target with its backend; then text with spaces */
	CHECK_INT(set("printer.target", "/dev/usb/lp0", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_INT(set("printer.backend", "usb", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(c.printer_backend, "usb");
	CHECK_INT(set("printer.target", "192.168.1.50:9100", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_INT(set("kiosk.support_line", "601 555 0100", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(c.support_line, "601 555 0100");
	CHECK(strstr(slurp(ini), "language = es\nsupport_line = 601 555 0100\n\n[session]") != NULL);
	CHECK_INT(set("kiosk.support_line", "", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(c.support_line, "");
	CHECK_INT(set("central.lookup_timeout_ms", "2500", &c, &changed, err, sizeof err), CONFIG_EDIT_OK);
	CHECK(strstr(slurp(ini), "\n[central]\nlookup_timeout_ms = 2500\n") != NULL);
	CHECK_INT(c.lookup_timeout_ms, 2500);
	CHECK_INT(files_in_dir(), 2);
}

/* A section the file lacks; a file without a final newline; CRLF lines; a symlink. */
static void test_shapes(void)
{
	char err[400];
	struct config c;
	put(ini, "[kiosk]\r\nid = 3\r\n");
	CHECK_INT(set("session.done_s", "9", &c, NULL, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(slurp(ini), "[kiosk]\r\nid = 3\r\n\r\n[session]\r\ndone_s = 9\r\n");
	put(ini, "[kiosk]\nid = 3");
	CHECK_INT(set("kiosk.language", "en", &c, NULL, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(slurp(ini), "[kiosk]\nid = 3\nlanguage = en\n");
	put(ini, "");
	CHECK_INT(set("kiosk.language", "en", &c, NULL, err, sizeof err), CONFIG_EDIT_OK);
	CHECK_STR(slurp(ini), "[kiosk]\nlanguage = en\n");
	/* the link stays a link; the real file is edited in its directory */
	char link[160];
	snprintf(link, sizeof link, "%s/link.ini", dir);
	symlink("recaudo.ini", link);
	CHECK_INT(config_edit_set(link, "session", "countdown_s", "30", &c, NULL, err, sizeof err), CONFIG_EDIT_OK);
	struct stat st;
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(strstr(slurp(ini), "countdown_s = 30") != NULL);
	unlink(link);
	/* a missing file */
	char missing[160];
	snprintf(missing, sizeof missing, "%s/none.ini", dir);
	CHECK_INT(config_edit_set(missing, "session", "done_s", "9", &c, NULL, err, sizeof err), CONFIG_EDIT_IO);
	/* a file that does not load as it is: every edit is refused, the file unchanged */
	put(ini, "[kiosk]\nid = 99999\n");
	CHECK_INT(set("session.done_s", "9", &c, NULL, err, sizeof err), CONFIG_EDIT_BAD);
	CHECK_STR(slurp(ini), "[kiosk]\nid = 99999\n");
	/* the old file cannot be kept (FILE.prev is a directory here): nothing is replaced */
	put(ini, "[kiosk]\nid = 3\n");
	char sub[200];
	snprintf(sub, sizeof sub, "%s/keep", prev);
	unlink(prev);
	mkdir(prev, 0700);
	mkdir(sub, 0700);
	CHECK_INT(set("session.done_s", "9", &c, NULL, err, sizeof err), CONFIG_EDIT_IO);
	CHECK(strstr(err, "cannot write") != NULL && strstr(err, ".prev") != NULL);
	CHECK_STR(slurp(ini), "[kiosk]\nid = 3\n");
	CHECK_INT(files_in_dir(), 2); /* no temporary file left */
	rmdir(sub);
	rmdir(prev);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/recaudo-cfgedit-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(ini, sizeof ini, "%s/recaudo.ini", dir);
	snprintf(prev, sizeof prev, "%s/recaudo.ini.prev", dir);
	test_listing();
	test_mask();
	test_edit();
	test_shapes();
	tmpdir_remove(dir);
	return check_done();
}
