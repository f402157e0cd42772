/* api_http — the central API client's transport: one libcurl easy handle per struct api, so one
 * kept-alive connection; TLS with peer and host verification, an optional pinned public key;
 * signed requests (offline/sign.h); bounded response bodies; and the mapping of every
 * outcome to one enum api_status with a one-line reason. The routes (what each endpoint
 * sends and how its answer is read) are api.c's; bodies and parsers live in api_parse.c;
 * docs/sync.md explains the failure classes.
 *
 * Plain http:// is accepted only for a loopback host (127.0.0.1, [::1], localhost): the
 * central simulator and the tests. Anything else must be https://. */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api_http.h"
#include "api_internal.h"
#include "sign.h"

#define CONNECT_TIMEOUT_MS 3000
#define TIMEOUT_MS 10000
#define KEEP_BUF_MAX (256 * 1024) /* a larger response buffer is freed after the call */

int api_fail(struct api *a, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof a->err, fmt, ap);
	va_end(ap);
	return rc;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- configuration ---- */

/* The host of "scheme://host[:port][/path]" is a loopback name or address. */
static int loopback_host(const char *hostport, size_t n)
{
	static const char *const names[] = {"127.0.0.1", "[::1]", "localhost"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t k = strlen(names[i]);

		if (n >= k && strncasecmp(hostport, names[i], k) == 0 && (n == k || hostport[k] == ':'))
			return 1;
	}
	return 0;
}

static int check_config(const struct api_config *cfg, char *path_prefix, size_t pn, char *err, size_t errn)
{
	const char *u = cfg->base_url, *host, *slash;
	size_t n = strnlen(u, sizeof cfg->base_url);
	int zero = 1;

	if (n == 0 || n == sizeof cfg->base_url) {
		snprintf(err, errn, "central url: missing or too long");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f || strchr("?#@\\", u[i])) {
			snprintf(err, errn,
				 "central url: must be scheme://host[:port][/path] without "
				 "spaces, query, fragment or user");
			return -1;
		}
	if (strncmp(u, "https://", 8) == 0) {
		host = u + 8;
	} else if (strncmp(u, "http://", 7) == 0) {
		host = u + 7;
	} else {
		snprintf(err, errn, "central url: must start with https://");
		return -1;
	}
	slash = strchr(host, '/');
	if (slash == host || !*host) {
		snprintf(err, errn, "central url: no host");
		return -1;
	}
	if (host == u + 7 && !loopback_host(host, slash ? (size_t)(slash - host) : strlen(host))) {
		snprintf(err, errn,
			 "central url: http:// is only allowed for 127.0.0.1, [::1] or "
			 "localhost; use https://");
		return -1;
	}
	if (u[n - 1] == '/') {
		snprintf(err, errn, "central url: no trailing slash");
		return -1;
	}
	if (snprintf(path_prefix, pn, "%s", slash ? slash : "") >= (int)pn) {
		snprintf(err, errn, "central url: the path is too long");
		return -1;
	}
	n = strnlen(cfg->device_id, sizeof cfg->device_id);
	if (n == 0 || n == sizeof cfg->device_id) {
		snprintf(err, errn, "device_id: missing or too long");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = cfg->device_id[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.')) {
			snprintf(err, errn, "device_id: only letters, digits, '-', '_' and '.'");
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof cfg->secret; i++)
		zero &= cfg->secret[i] == 0;
	if (zero) {
		snprintf(err, errn, "device secret: not loaded (all zero)");
		return -1;
	}
	if (!memchr(cfg->ca_file, '\0', sizeof cfg->ca_file) ||
	    !memchr(cfg->pinned_key, '\0', sizeof cfg->pinned_key)) {
		snprintf(err, errn, "ca_file / pinned_key: too long");
		return -1;
	}
	if (cfg->ca_file[0] && access(cfg->ca_file, R_OK) != 0) {
		snprintf(err, errn, "ca_file %s: %s", cfg->ca_file, strerror(errno));
		return -1;
	}
	if (cfg->pinned_key[0] && strncmp(cfg->pinned_key, "sha256//", 8) != 0 &&
	    access(cfg->pinned_key, R_OK) != 0) {
		snprintf(err, errn, "pinned_key %s: %s (give \"sha256//BASE64\" or a key file)",
			 cfg->pinned_key, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- receiving ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct api *a = user;
	size_t n = size * nmemb;

	if (n > API_BODY_MAX - a->len) {
		a->too_big = 1;
		return 0; /* aborts the transfer: a body is never truncated into something shorter */
	}
	if (a->len + n + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 16384;
		char *b;

		while (cap < a->len + n + 1)
			cap *= 2;
		if (cap > (size_t)API_BODY_MAX + 1)
			cap = (size_t)API_BODY_MAX + 1;
		b = realloc(a->body, cap);
		if (!b)
			return 0;
		a->body = b;
		a->cap = cap;
	}
	memcpy(a->body + a->len, data, n);
	a->len += n;
	a->body[a->len] = '\0';
	return n;
}

/* Delta seconds, or an HTTP date. */
int api_retry_after_parse(const char *value, int64_t now)
{
	const char *p = value;
	int64_t v = 0;
	time_t t;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p >= '0' && *p <= '9') {
		for (; *p >= '0' && *p <= '9'; p++)
			if (v <= API_RETRY_AFTER_MAX)
				v = v * 10 + (*p - '0');
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p)
			return 0;
		return v > API_RETRY_AFTER_MAX ? API_RETRY_AFTER_MAX : (int)v;
	}
	t = curl_getdate(p, NULL);
	if (t == (time_t)-1 || (int64_t)t <= now)
		return 0;
	return (int64_t)t - now > API_RETRY_AFTER_MAX ? API_RETRY_AFTER_MAX : (int)((int64_t)t - now);
}

/* Each header line of the response (curl gives them one at a time, CRLF included). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct api *a = user;
	size_t n = size * nmemb;
	char line[256];

	if (n >= sizeof line)
		return n; /* nothing we read is that long */
	memcpy(line, data, n);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "HTTP/", 5) == 0) {
		a->retry_after = 0; /* a new response (after a 100 Continue, say) */
		a->server_time = 0;
	} else if (strncasecmp(line, "Retry-After:", 12) == 0) {
		a->retry_after = api_retry_after_parse(line + 12, (int64_t)time(NULL));
	} else if (strncasecmp(line, "Date:", 5) == 0) {
		time_t t = curl_getdate(line + 5 + strspn(line + 5, " \t"), NULL);

		if (t != (time_t)-1 && t > 0)
			a->server_time = (int64_t)t;
	}
	return n;
}

/* libcurl calls this about once a second, connecting included: non-zero aborts. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const struct api *a = user;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return a->cancel && *a->cancel;
}

void api_set_cancel(struct api *a, const _Atomic int *flag)
{
	if (a)
		a->cancel = flag;
}

/* ---- opening ---- */

struct api *api_open(const struct api_config *cfg, char *err, size_t errn)
{
	struct api *a;
	CURL *c;
	int ok = 1;

	a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errn, "central API: out of memory");
		return NULL;
	}
	if (check_config(cfg, a->path_prefix, sizeof a->path_prefix, err, errn) < 0)
		goto fail;
	a->cfg = *cfg;
	if (a->cfg.connect_timeout_ms <= 0)
		a->cfg.connect_timeout_ms = CONNECT_TIMEOUT_MS;
	if (a->cfg.timeout_ms <= 0)
		a->cfg.timeout_ms = TIMEOUT_MS;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		snprintf(err, errn, "central API: cannot initialise libcurl: %s",
			 curl_easy_strerror(curl_init_rc));
		goto fail;
	}
	a->curl = c = curl_easy_init();
	if (!c) {
		snprintf(err, errn, "central API: cannot create a libcurl handle");
		goto fail;
	}
	/* Set once for the life of the handle; each request sets only URL, method, body,
	 * headers and its timeout. */
	ok &= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR,
			       strncmp(cfg->base_url, "https://", 8) == 0 ? "https" : "http") == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 10L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, a->cfg.connect_timeout_ms) == CURLE_OK;
	/* a slow link is not a dead one: with a low-speed limit only a stalled transfer ends
	 * early, whatever the round trip (docs/sync.md) */
	if (a->cfg.low_speed_time_s > 0) {
		ok &= curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, a->cfg.low_speed_time_s) == CURLE_OK;
		ok &= curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT,
				       a->cfg.low_speed_limit > 0 ? a->cfg.low_speed_limit : 1L) == CURLE_OK;
	}
	ok &= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_XFERINFODATA, a) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) == CURLE_OK;
	if (cfg->ca_file[0])
		ok &= curl_easy_setopt(c, CURLOPT_CAINFO, a->cfg.ca_file) == CURLE_OK;
	/* curl checks the pin during the handshake: a mismatch ends the connection before the
	 * request line is written. */
	if (cfg->pinned_key[0])
		ok &= curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, a->cfg.pinned_key) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)API_BODY_MAX) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_WRITEDATA, a) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_HEADERDATA, a) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, a->curl_err) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_USERAGENT, "recaudo/1") == CURLE_OK;
	if (!ok) {
		snprintf(err, errn,
			 "central API: this libcurl lacks an option the kiosk needs "
			 "(TLS pinning or keep-alive)");
		goto fail;
	}
	return a;
fail:
	api_close(a);
	return NULL;
}

void api_close(struct api *a)
{
	if (!a)
		return;
	if (a->curl)
		curl_easy_cleanup(a->curl);
	free(a->body);
	explicit_bzero(a->cfg.secret, sizeof a->cfg.secret);
	free(a);
}

const char *api_error(const struct api *a)
{
	return a ? a->err : "no central API";
}

int api_retry_after(const struct api *a)
{
	return a ? a->retry_after : 0;
}

int64_t api_server_time(const struct api *a)
{
	return a ? a->server_time : 0;
}

/* ---- one request ---- */

static int curl_status(CURLcode rc)
{
	switch (rc) {
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return API_ERR_TLS;
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
		return API_ERR_PROTOCOL;
	default:
		return API_ERR_NETWORK;
	}
}

/* Sends one signed request and receives the whole answer into a->body (NUL-terminated).
 * Returns API_OK with *http set when an answer arrived, whatever its status; otherwise the
 * transport failure with a->err set. */
static int request(struct api *a, const char *what, const char *method, const char *path_query,
		   const char *body, size_t body_len, long timeout_ms, long *http)
{
	char url[sizeof a->cfg.base_url + 512], signed_path[sizeof a->path_prefix + 512];
	char sig[SIGN_HEX_LEN + 1], rid[SIGN_REQUEST_ID_LEN + 1], h_dev[64], h_ts[48], h_rid[64], h_sig[96];
	struct curl_slist *hdrs = NULL, *h;
	int64_t ts = (int64_t)time(NULL);
	CURLcode rc;
	CURL *c = a->curl;
	int ok = 1, ret;

	*http = 0;
	a->len = 0;
	a->too_big = 0;
	a->retry_after = 0;
	a->curl_err[0] = '\0';
	if (snprintf(url, sizeof url, "%s%s", a->cfg.base_url, path_query) >= (int)sizeof url ||
	    snprintf(signed_path, sizeof signed_path, "%s%s", a->path_prefix, path_query) >=
		    (int)sizeof signed_path)
		return api_fail(a, API_ERR_PROTOCOL, "%s: request URL too long", what);
	/* a new id for every request sent, retries included: the server refuses one it has seen */
	if (sign_request_id(rid) != 0)
		return api_fail(a, API_ERR_NETWORK, "%s: no random bytes for a request id", what);
	if (sign_request(a->cfg.secret, sizeof a->cfg.secret, method, signed_path, ts, rid, body, body_len,
			 sig) != 0)
		return api_fail(a, API_ERR_PROTOCOL, "%s: cannot sign the request", what);
	snprintf(h_dev, sizeof h_dev, "X-Device-Id: %s", a->cfg.device_id);
	snprintf(h_ts, sizeof h_ts, "X-Timestamp: %" PRId64, ts);
	snprintf(h_rid, sizeof h_rid, "X-Request-Id: %s", rid);
	snprintf(h_sig, sizeof h_sig, "X-Signature: %s", sig);
	const char *lines[] = {h_dev,
			       h_ts,
			       h_rid,
			       h_sig,
			       "Accept: application/json",
			       body ? "Content-Type: application/json" : NULL,
			       "Expect:" /* no 100-continue round trip */};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		if (!lines[i])
			continue;
		h = curl_slist_append(hdrs, lines[i]);
		if (!h) {
			curl_slist_free_all(hdrs);
			return api_fail(a, API_ERR_NETWORK, "%s: out of memory", what);
		}
		hdrs = h;
	}
	ok &= curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK;
	if (body) {
		ok &= curl_easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK;
		ok &= curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) == CURLE_OK;
		ok &= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len) == CURLE_OK;
	} else {
		ok &= curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) == CURLE_OK;
	}
	ok &= curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) == CURLE_OK;
	ok &= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : a->cfg.timeout_ms) ==
	      CURLE_OK;
	rc = ok ? curl_easy_perform(c) : CURLE_FAILED_INIT;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hdrs);
	explicit_bzero(sig, sizeof sig);
	explicit_bzero(h_sig, sizeof h_sig);

	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http);
		return API_OK;
	}
	if (a->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return api_fail(a, API_ERR_PROTOCOL, "%s: answer larger than %d bytes, refused", what,
				API_BODY_MAX);
	ret = curl_status(rc);
	/* curl's detail names hosts and ports, never bodies; still, it must not carry the
	 * number being looked up (it is in the URL) */
	if (!a->curl_err[0] || (a->redact && strstr(a->curl_err, a->redact)))
		snprintf(a->curl_err, sizeof a->curl_err, "%s", curl_easy_strerror(rc));
	a->curl_err[strcspn(a->curl_err, "\r\n")] = '\0';
	if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return api_fail(a, ret,
				"%s: TLS: the server's public key is not the pinned one; "
				"nothing was sent",
				what);
	if (ret == API_ERR_TLS)
		return api_fail(a, ret, "%s: TLS: %s; nothing was sent", what, a->curl_err);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return api_fail(a, ret, "%s: abandoned (stopping)", what);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return api_fail(a, ret, "%s: no answer within %ld ms (%s)", what,
				timeout_ms > 0 ? timeout_ms : a->cfg.timeout_ms, a->curl_err);
	return api_fail(a, ret, "%s: cannot reach the central server: %s", what, a->curl_err);
}

/* The HTTP outcome of a request that got an answer. API_OK for a 200 with a JSON body;
 * API_NOT_FOUND for a 404 {"error":"not_found"} when not_found_ok; else the error. */
static int check_answer(struct api *a, const char *what, long http, int not_found_ok)
{
	char *ct = NULL, code[40];

	curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ct);
	if (http == 200) {
		if (!api_content_type_ok(ct))
			return api_fail(a, API_ERR_PROTOCOL,
					"%s: the answer is not JSON (Content-Type %.40s)", what,
					ct ? ct : "missing");
		return API_OK;
	}
	code[0] = '\0';
	if (api_content_type_ok(ct))
		api_parse_error_code(a->body, a->len, code, sizeof code);
	if (http == 401) {
		if (strcmp(code, "clock_skew") == 0 && a->server_time > 0)
			return api_fail(a, API_ERR_AUTH,
					"%s: refused: clock_skew (this device's clock is %+" PRId64
					" s off the server's; fix its time)",
					what, (int64_t)time(NULL) - a->server_time);
		return api_fail(a, API_ERR_AUTH, "%s: refused: %s", what, code[0] ? code : "unauthorized");
	}
	if (http == 404 && not_found_ok && strcmp(code, "not_found") == 0)
		return API_NOT_FOUND;
	/* an agent's password refused (POST /v1/agents/login): an answer, not a failure */
	if (http == 403 && strcmp(code, "invalid_credentials") == 0)
		return api_fail(a, API_DENIED, "%s: refused: invalid_credentials", what);
	/* a replay refused: not this kiosk's doing (exchange already sent it once more with a
	 * new id); a transient failure, retried later, never a rejection of the data */
	if (http == 409 && strcmp(code, "replayed") == 0)
		return api_fail(a, API_ERR_SERVER, "%s: refused as a replay (HTTP 409 replayed)", what);
	if (http == 429 || (http >= 500 && http <= 599)) {
		if (a->retry_after > 0)
			return api_fail(a, API_ERR_SERVER,
					"%s: server busy or failing (HTTP %ld%s%s), "
					"asked to retry in %d s",
					what, http, code[0] ? ", " : "", code, a->retry_after);
		return api_fail(a, API_ERR_SERVER, "%s: server busy or failing (HTTP %ld%s%s)", what, http,
				code[0] ? ", " : "", code);
	}
	a->retry_after = 0;
	return api_fail(a, API_ERR_PROTOCOL, "%s: unexpected answer HTTP %ld%s%s", what, http,
			code[0] ? ", " : "", code);
}

/* The answer's JSON error code is `code`. */
static int answer_code_is(struct api *a, const char *code)
{
	char *ct = NULL, got[40] = "";

	curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ct);
	if (api_content_type_ok(ct))
		api_parse_error_code(a->body, a->len, got, sizeof got);
	return strcmp(got, code) == 0;
}

/* A request and its HTTP outcome; the buffer is trimmed afterwards by the caller (done). */
int api_exchange(struct api *a, const char *what, const char *method, const char *path_query,
		    const char *body, size_t body_len, long timeout_ms, int not_found_ok)
{
	long http = 0;
	int rc;

	a->err[0] = '\0';
	rc = request(a, what, method, path_query, body, body_len, timeout_ms, &http);
	/* 409 replayed: the server saw this request id before. The kiosk never reuses one, but
	 * something below it may resend a request as it was (libcurl re-sends on a kept-alive
	 * connection that died before any answer; a proxy may retry). Once more, with a new id
	 * (request() makes one each time): the events are idempotent by key and the reads and
	 * heartbeats are harmless to repeat. */
	if (rc == API_OK && http == 409 && answer_code_is(a, "replayed"))
		rc = request(a, what, method, path_query, body, body_len, timeout_ms, &http);
	if (rc != API_OK)
		return rc;
	return check_answer(a, what, http, not_found_ok);
}

int api_exchange_answer(struct api *a, const char *what, const char *method, const char *path_query,
			const char *body, size_t body_len, long timeout_ms, const char *const *codes, long *http)
{
	char *ct = NULL, code[40] = "";
	int rc;

	*http = 0;
	a->err[0] = '\0';
	rc = request(a, what, method, path_query, body, body_len, timeout_ms, http);
	if (rc == API_OK && *http == 409 && answer_code_is(a, "replayed"))
		rc = request(a, what, method, path_query, body, body_len, timeout_ms, http);
	if (rc != API_OK) {
		*http = 0;
		return rc;
	}
	if (*http >= 400 && *http <= 499) {
		curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ct);
		if (api_content_type_ok(ct))
			api_parse_error_code(a->body, a->len, code, sizeof code);
		for (size_t i = 0; code[0] && codes && codes[i]; i++)
			if (strcmp(code, codes[i]) == 0)
				return API_OK;
	}
	rc = check_answer(a, what, *http, 0);
	if (rc != API_OK)
		*http = 0;
	return rc;
}

/* After a call: a large answer's buffer is not kept for the life of the handle. */
int api_done(struct api *a, int rc)
{
	if (a->cap > KEEP_BUF_MAX) {
		free(a->body);
		a->body = NULL;
		a->cap = 0;
	}
	a->len = 0;
	a->redact = NULL;
	if (rc != API_ERR_SERVER)
		a->retry_after = 0;
	return rc;
}
