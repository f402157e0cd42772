/* sim_harness — what the sync tests (test_sync.c, test_sync_security.c) share: a scratch
 * directory, throwaway TLS material (tools/gen-cert.sh), the central simulator started as a
 * child on 127.0.0.1 (port 0, or a given port to come back on after a stop), its admin
 * endpoints over HTTPS, signed /v1 requests as its device, the kiosk driver as a child, and the demo portfolio's id numbers and
 * names, which no log may contain. Header-only like check.h: each test is one translation
 * unit. docs/sync-tests.md describes the tests. */
#ifndef RECAUDO_SIM_HARNESS_H
#define RECAUDO_SIM_HARNESS_H
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sign.h"
#include "tmpdir.h"

#define H_FN static __attribute__((unused))
#define H_DEMO "assets/demo/portfolio.json"
#define H_PATH 512
#define H_DIR 256 /* a scratch directory: what is made in it fits H_PATH */
#define H_SIM_ARGS 48

/* Where the binaries are: next to this test's build directory (build/tests/x -> build/). */
static char h_simbin[H_PATH], h_driverbin[H_PATH];

H_FN int h_init(const char *argv0)
{
	char dir[H_DIR];
	char *slash;

	snprintf(dir, sizeof dir, "%s", argv0);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	snprintf(h_simbin, sizeof h_simbin, "%s/central-sim", dir);
	snprintf(h_driverbin, sizeof h_driverbin, "%s/kiosk-driver", dir);
	if (access(h_simbin, X_OK) != 0 || access(h_driverbin, X_OK) != 0) {
		fprintf(stderr, "%s or %s is not built\n", h_simbin, h_driverbin);
		return -1;
	}
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

H_FN int64_t h_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

H_FN void h_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* rm -rf, without a shell (the scratch trees are a few levels deep). */
H_FN void h_rm_rf(const char *path) { tmpdir_remove(path); }

/* Runs argv to completion, output to /dev/null when quiet; its exit status, or -1. */
H_FN int h_run(char *const argv[], int quiet)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

H_FN int h_read_file(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k;

	if (!f)
		return -1;
	k = fread(out, 1, n - 1, f);
	out[k] = '\0';
	fclose(f);
	return 0;
}

/* Written 0600: the kiosk refuses secret files others can read. */
H_FN int h_write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fwrite(data, 1, n, f);
	return fclose(f);
}

/* dir/ca.pem, server.pem, server.key and the pin (sha256//...) in pin. */
H_FN int h_gen_certs(const char *dir, char *pin, size_t pinn)
{
	char p[H_PATH];
	char *argv[] = {"sh", "tools/gen-cert.sh", (char *)dir, NULL};

	if (h_run(argv, 1) != 0)
		return -1;
	snprintf(p, sizeof p, "%s/pin.txt", dir);
	if (h_read_file(p, pin, pinn) < 0)
		return -1;
	pin[strcspn(pin, "\n")] = '\0';
	return strncmp(pin, "sha256//", 8) == 0 ? 0 : -1;
}

/* 32 bytes derived from tag: a device secret or a QR key for a test. */
H_FN void h_key(uint8_t out[32], unsigned tag)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL * (tag + 1);

	for (int i = 0; i < 32; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out[i] = (uint8_t)(x >> 24);
	}
}

/* ---- the simulator ---- */

struct h_sim {
	char dir[H_DIR]; /* certs, device files, central.db, port, sim.log */
	char url[64];
	unsigned port;
	pid_t pid;
	int quiet;
	int nargs; /* fault switches given at every start */
	char *args[H_SIM_ARGS];
};

/* Starts the simulator for device K0001 (kiosk 1, dir/secret, dir/qrkey) on port (0: any),
 * appending its stderr to dir/sim.log. 0 when it listens. */
H_FN int h_sim_start(struct h_sim *s, unsigned port)
{
	char listen[32], cert[H_PATH], key[H_PATH], db[H_PATH], dev[3 * H_PATH], port_file[H_PATH],
		log[H_PATH];
	char *argv[24 + H_SIM_ARGS];
	int n = 0;

	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	snprintf(cert, sizeof cert, "%s/server.pem", s->dir);
	snprintf(key, sizeof key, "%s/server.key", s->dir);
	snprintf(db, sizeof db, "%s/central.db", s->dir);
	snprintf(dev, sizeof dev, "K0001:%s/secret:%s/qrkey:1", s->dir, s->dir);
	snprintf(port_file, sizeof port_file, "%s/port", s->dir);
	snprintf(log, sizeof log, "%s/sim.log", s->dir);
	argv[n++] = h_simbin;
	argv[n++] = "--listen";
	argv[n++] = listen;
	argv[n++] = "--tls";
	argv[n++] = cert;
	argv[n++] = key;
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = "--seed";
	argv[n++] = H_DEMO;
	argv[n++] = "--device";
	argv[n++] = dev;
	argv[n++] = "--port-file";
	argv[n++] = port_file;
	argv[n++] = "--seed-rng";
	argv[n++] = "7";
	if (s->quiet)
		argv[n++] = "--quiet";
	for (int i = 0; i < s->nargs; i++)
		argv[n++] = s->args[i];
	argv[n] = NULL;
	unlink(port_file);
	s->pid = fork();
	if (s->pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0)
			dup2(fd, 2);
		execv(h_simbin, argv);
		_exit(127);
	}
	if (s->pid < 0)
		return -1;
	for (int i = 0; i < 1500; i++) { /* 30 s: valgrind and ASan are slow */
		char text[32];
		int status;
		long p;

		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		if (h_read_file(port_file, text, sizeof text) == 0 && text[0]) {
			char *end;

			p = strtol(text, &end, 10);
			if (p > 0 && p < 65536 && *end == '\n') {
				s->port = (unsigned)p;
				snprintf(s->url, sizeof s->url, "https://127.0.0.1:%u", s->port);
				return 0;
			}
		}
		h_sleep_ms(20);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	return -1;
}

/* Back on the port it had: a just-closed port may take a moment to be free. */
H_FN int h_sim_restart(struct h_sim *s)
{
	for (int i = 0; i < 50; i++) {
		if (h_sim_start(s, s->port) == 0)
			return 0;
		h_sleep_ms(100);
	}
	return -1;
}

/* Stops it with sig; its exit status (0 = a clean stop on SIGTERM), -1 if killed. */
H_FN int h_sim_stop(struct h_sim *s, int sig)
{
	int status;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	if (waitpid(s->pid, &status, 0) != s->pid)
		return -1;
	s->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Makes dir with certificates, the device secret and QR key; the pin in pin. */
H_FN int h_sim_prepare(struct h_sim *s, const char *dir, char *pin, size_t pinn)
{
	char p[H_PATH + 16];
	uint8_t k[32];

	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	s->quiet = 1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (h_gen_certs(dir, pin, pinn) < 0)
		return -1;
	h_key(k, 1);
	snprintf(p, sizeof p, "%s/secret", dir);
	if (h_write_file(p, k, sizeof k) < 0)
		return -1;
	h_key(k, 2);
	snprintf(p, sizeof p, "%s/qrkey", dir);
	return h_write_file(p, k, sizeof k);
}

/* ---- admin endpoints ---- */

struct h_buf {
	char *p;
	size_t len;
};

static size_t h_on_body(char *data, size_t size, size_t n, void *user)
{
	struct h_buf *b = user;
	size_t k = size * n;
	char *q = realloc(b->p, b->len + k + 1);

	if (!q)
		return 0;
	memcpy(q + b->len, data, k);
	b->len += k;
	q[b->len] = '\0';
	b->p = q;
	return k;
}

/* An admin request (unsigned); the answer as JSON (cJSON_Delete it), NULL unless 200. */
H_FN cJSON *h_admin(const struct h_sim *s, const char *path, const char *post_body)
{
	struct h_buf b = {NULL, 0};
	char url[H_PATH], ca[H_PATH + 16];
	struct curl_slist *hdr = NULL;
	CURL *c = curl_easy_init();
	cJSON *j = NULL;
	long http = 0;

	if (!c)
		return NULL;
	snprintf(url, sizeof url, "%s%s", s->url, path);
	snprintf(ca, sizeof ca, "%s/ca.pem", s->dir);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (post_body) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body);
	}
	if (curl_easy_perform(c) == CURLE_OK &&
	    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http) == CURLE_OK && http == 200 && b.p)
		j = cJSON_ParseWithLength(b.p, b.len);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	free(b.p);
	return j;
}

/* A /v1 request signed as device K0001 with dir/secret (offline/sign.h); body NULL for a GET.
 * The answer as JSON (cJSON_Delete it) and its status in *status; NULL if not JSON. */
H_FN cJSON *h_signed(const struct h_sim *s, const char *method, const char *pq, const char *body, long *status)
{
	struct h_buf b = {NULL, 0};
	char url[H_PATH], ca[H_PATH + 16], line[160], rid[SIGN_REQUEST_ID_LEN + 1], sig[SIGN_HEX_LEN + 1];
	uint8_t secret[32];
	struct curl_slist *hdr = NULL;
	CURL *c = curl_easy_init();
	int64_t ts = (int64_t)time(NULL);
	cJSON *j = NULL;

	*status = 0;
	if (!c)
		return NULL;
	h_key(secret, 1);
	sign_request_id(rid);
	sign_request(secret, sizeof secret, method, pq, ts, rid, body, body ? strlen(body) : 0, sig);
	snprintf(url, sizeof url, "%s%s", s->url, pq);
	snprintf(ca, sizeof ca, "%s/ca.pem", s->dir);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	hdr = curl_slist_append(hdr, "X-Device-Id: K0001");
	snprintf(line, sizeof line, "X-Timestamp: %lld", (long long)ts);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "X-Request-Id: %s", rid);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "X-Signature: %s", sig);
	hdr = curl_slist_append(hdr, line);
	if (body) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	if (curl_easy_perform(c) == CURLE_OK && b.p) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		j = cJSON_ParseWithLength(b.p, b.len);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	free(b.p);
	return j;
}

/* A number at a dotted path ("devices.0.missing_seqs", "faults.injected.error"); -1 if absent. */
H_FN double h_num(const cJSON *j, const char *path)
{
	char key[64];
	const char *p = path;

	while (j && *p) {
		size_t k = strcspn(p, ".");
		char *end;
		long idx;

		snprintf(key, sizeof key, "%.*s", (int)(k < sizeof key ? k : sizeof key - 1), p);
		idx = strtol(key, &end, 10);
		j = *end == '\0' && cJSON_IsArray(j) ? cJSON_GetArrayItem(j, (int)idx)
						     : cJSON_GetObjectItemCaseSensitive(j, key);
		p += k;
		if (*p == '.')
			p++;
	}
	return cJSON_IsNumber(j) ? j->valuedouble : -1;
}

/* ---- logs ---- */

/* How many lines of the file contain text. */
H_FN int h_count_lines(const char *path, const char *text)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

/* The demo portfolio's id numbers and names (and NIT bases): none may appear in a log. */
static char *h_pii[256];
static int h_npii;

H_FN void h_load_pii(void)
{
	static char text[1 << 18];
	const cJSON *c;
	cJSON *root;

	if (h_npii || h_read_file(H_DEMO, text, sizeof text) < 0)
		return;
	root = cJSON_Parse(text);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "customers"))
	{
		const char *num = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id_number"));
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));

		if (num && h_npii < 255) {
			h_pii[h_npii] = strdup(num);
			if (h_pii[h_npii])
				h_pii[h_npii++][strcspn(num, "-")] = '\0'; /* a NIT without its DV */
		}
		if (name && h_npii < 255 && (h_pii[h_npii] = strdup(name)) != NULL)
			h_npii++;
	}
	cJSON_Delete(root);
}

H_FN void h_free_pii(void)
{
	for (int i = 0; i < h_npii; i++)
		free(h_pii[i]);
	h_npii = 0;
}

/* The first id number or name found in the file, or NULL. */
H_FN const char *h_pii_in_file(const char *path)
{
	static char text[1 << 20];

	if (h_read_file(path, text, sizeof text) < 0)
		return NULL;
	for (int i = 0; i < h_npii; i++)
		if (strstr(text, h_pii[i]))
			return h_pii[i];
	return NULL;
}
#endif
