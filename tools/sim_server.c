/* The central simulator's HTTP side on libmicrohttpd (see sim_server.h).
 *
 * A request's life: the URI callback keeps the request target exactly as sent (the signature
 * covers it, query included); the access handler is called once with the headers (a declared
 * body over SIM_BODY_MAX is answered 413 at once), once per piece of body (kept, bounded) and
 * once more at the end, when the request is served:
 *
 *   /admin/…  loopback clients only, no signature, no faults
 *   /v1/…     latency -> error answer? -> signature -> endpoint -> drop after commit?
 *             -> body faults (truncate, malformed, content type) -> trickle?
 *
 * Log lines carry the method, the path without its query (which may hold an id number) and
 * the status: never a device's or a customer's identity. */
#include "sim_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "sign.h"
#include "sim_json.h"
#include "sim_routes.h"

struct request {
	char *uri; /* the request target as sent */
	char *body;
	size_t len, cap;
	int started;
	int too_large;
	struct timespec t0;
};

const struct sim_device *sim_device_find(const struct sim *s, const char *id)
{
	for (int i = 0; id && i < s->ndevices; i++)
		if (strcmp(s->devices[i].id, id) == 0)
			return &s->devices[i];
	return NULL;
}

const struct sim_device *sim_device_by_kiosk(const struct sim *s, uint32_t kiosk_id)
{
	for (int i = 0; kiosk_id && i < s->ndevices; i++)
		if (s->devices[i].kiosk_id == kiosk_id)
			return &s->devices[i];
	return NULL;
}

/* An injected delay, in slices so that stopping the server never waits for one. Returns
 * -1 if the server is stopping. */
static int sleep_ms(const struct sim *s, int ms)
{
	while (ms > 0 && !s->stopping) {
		int slice = ms < 20 ? ms : 20;
		struct timespec ts = {0, (long)slice * 1000000L};

		while (nanosleep(&ts, &ts) != 0)
			;
		ms -= slice;
	}
	return s->stopping ? -1 : 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

static void log_line(const struct sim *s, const char *method, const char *path, const struct request *r,
		     const char *what)
{
	if (!s->quiet)
		fprintf(stderr, "central-sim: %s %s %s (%ld ms)\n", method, path, what, elapsed_ms(&r->t0));
}

/* Body faults may rewrite the text in place; the trickle sends it slowly. */
struct trickle {
	const struct sim *s;
	char *body;
	size_t len;
	int delay_ms;
};

static ssize_t trickle_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trickle *t = cls;
	size_t n;

	if (pos >= t->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (sleep_ms(t->s, t->delay_ms) < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = t->len - (size_t)pos;
	if (n > SIM_TRICKLE_CHUNK)
		n = SIM_TRICKLE_CHUNK;
	if (n > max)
		n = max;
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void trickle_free(void *cls)
{
	struct trickle *t = cls;

	cJSON_free(t->body);
	free(t);
}

/* Invalid JSON that still looks like JSON: the first key/value colon becomes a semicolon. */
static void make_malformed(char *body, size_t len)
{
	char *colon = memchr(body, ':', len);

	if (colon)
		*colon = ';';
	else if (len)
		body[0] = '<';
}

/* --record: one JSON line per /v1 answer, for the contract test (tests/contract/): the
 * method, the path (without its query), the status, both bodies as text and whether a body
 * fault changed the answer. Test use only: the bodies hold customers' data. */
static char *dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, p, n);
		d[n] = '\0';
	}
	return d;
}

static void record(const struct sim *s, const char *method, const char *path, const struct request *r,
		   int status, const char *body, size_t len, int fault)
{
	cJSON *j = cJSON_CreateObject();
	char *req = dup_bytes(r->body, r->len), *resp = dup_bytes(body, len), *line = NULL;

	if (j && req && resp && cJSON_AddStringToObject(j, "method", method) &&
	    cJSON_AddStringToObject(j, "path", path) && cJSON_AddNumberToObject(j, "status", status) &&
	    cJSON_AddStringToObject(j, "request", req) && cJSON_AddStringToObject(j, "response", resp) &&
	    cJSON_AddBoolToObject(j, "fault", fault))
		line = cJSON_PrintUnformatted(j);
	if (line) {
		flockfile(s->record);
		fputs(line, s->record);
		fputc('\n', s->record);
		fflush(s->record);
		funlockfile(s->record);
	} else {
		fprintf(stderr, "central-sim: --record: out of memory, an exchange was not recorded\n");
	}
	cJSON_free(line);
	cJSON_Delete(j);
	free(req);
	free(resp);
}

/* Sends rep (taking its body). f: the fault switches to apply to a 200, or NULL. */
static enum MHD_Result send_reply(struct sim *s, struct MHD_Connection *c, const char *method,
				  const char *path, struct request *r, struct sim_reply *rep,
				  const struct sim_faults *f)
{
	static char fallback[] = "{\"error\":\"internal\"}";
	const char *ctype = "application/json";
	struct MHD_Response *resp = NULL;
	char date[40], retry[16], what[64] = "";
	enum MHD_Result ret;

	if (f && rep->status == 200 && rep->body) {
		if (sim_faults_roll(&s->faults, SIM_FAULT_TRUNCATE)) {
			rep->len /= 2;
			snprintf(what, sizeof what, ", truncated (fault)");
		}
		if (sim_faults_roll(&s->faults, SIM_FAULT_MALFORMED)) {
			make_malformed(rep->body, rep->len);
			snprintf(what + strlen(what), sizeof what - strlen(what), ", malformed (fault)");
		}
		if (sim_faults_roll(&s->faults, SIM_FAULT_CONTENT_TYPE)) {
			ctype = "text/html; charset=utf-8";
			snprintf(what + strlen(what), sizeof what - strlen(what), ", text/html (fault)");
		}
	}
	if (s->record && strncmp(path, "/v1/", 4) == 0)
		record(s, method, path, r, rep->status, rep->body ? rep->body : fallback,
		       rep->body ? rep->len : strlen(fallback), what[0] != '\0');
	if (!rep->body) {
		resp = MHD_create_response_from_buffer(strlen(fallback), fallback, MHD_RESPMEM_PERSISTENT);
		rep->status = 500;
	} else if (f && f->trickle_ms > 0) {
		struct trickle *t = malloc(sizeof *t);

		if (t) {
			*t = (struct trickle){s, rep->body, rep->len, f->trickle_ms};
			resp = MHD_create_response_from_callback(rep->len, 1024, trickle_read, t,
								 trickle_free);
			if (resp)
				rep->body = NULL;
			else
				free(t);
		}
	} else {
		resp = MHD_create_response_from_buffer_with_free_callback(rep->len, rep->body, cJSON_free);
		if (resp)
			rep->body = NULL;
	}
	cJSON_free(rep->body);
	rep->body = NULL;
	if (!resp)
		return MHD_NO;
	sim_http_date(sim_faults_now(&s->faults), date);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_DATE, date);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rep->retry_after_s > 0) {
		snprintf(retry, sizeof retry, "%d", rep->retry_after_s);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	ret = MHD_queue_response(c, (unsigned)rep->status, resp);
	MHD_destroy_response(resp);
	if (!s->quiet) {
		char st[80];

		snprintf(st, sizeof st, "%d%s", rep->status, what);
		log_line(s, method, path, r, st);
	}
	return ret;
}

static int is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr_in *in;

	if (!ci || !ci->client_addr || ci->client_addr->sa_family != AF_INET)
		return 0;
	in = (const struct sockaddr_in *)(const void *)ci->client_addr;
	return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
}

/* ---- the replay guard ----
 * The request ids of the signed requests accepted, each kept until its timestamp leaves the
 * signature window (after that the timestamp check refuses the request anyway): an open
 * addressing table keyed by device and id, rebuilt without the expired ones when half full.
 * In memory: a restarted simulator forgets them (a real server keeps them in shared storage,
 * docs/api/contract.md). */
struct seen_entry {
	char key[SIGN_REQUEST_ID_LEN + 1 + 32]; /* id, ':' and the device id; "" = free */
	int64_t expires;
};

struct sim_seen {
	pthread_mutex_t mu;
	struct seen_entry *tab;
	size_t cap, used;
};

static uint64_t seen_hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static struct seen_entry *seen_slot(struct seen_entry *tab, size_t cap, const char *key)
{
	size_t i = (size_t)seen_hash(key) & (cap - 1);

	while (tab[i].key[0] && strcmp(tab[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Keeps the live entries, in a table of at least 4 times their number. -1 out of memory. */
static int seen_rebuild(struct sim_seen *z, int64_t now)
{
	size_t live = 0, cap = 1024;
	struct seen_entry *tab;

	for (size_t i = 0; i < z->cap; i++)
		live += z->tab[i].key[0] && z->tab[i].expires >= now;
	while (cap < 4 * live)
		cap *= 2;
	tab = calloc(cap, sizeof *tab);
	if (!tab)
		return -1;
	for (size_t i = 0; i < z->cap; i++)
		if (z->tab[i].key[0] && z->tab[i].expires >= now)
			*seen_slot(tab, cap, z->tab[i].key) = z->tab[i];
	free(z->tab);
	z->tab = tab;
	z->cap = cap;
	z->used = live;
	return 0;
}

/* 0 and the id remembered until expires; 1 if it was seen before; -1 out of memory. */
static int seen_check(struct sim_seen *z, const char *dev, const char *id, int64_t now, int64_t expires)
{
	char key[sizeof z->tab[0].key];
	struct seen_entry *e;
	int rc = 0;

	snprintf(key, sizeof key, "%s:%.31s", id, dev);
	pthread_mutex_lock(&z->mu);
	if ((z->used + 1) * 2 > z->cap && seen_rebuild(z, now) < 0) {
		rc = -1;
	} else {
		e = seen_slot(z->tab, z->cap, key);
		if (e->key[0] && e->expires >= now) {
			rc = 1;
		} else {
			if (!e->key[0])
				z->used++;
			snprintf(e->key, sizeof e->key, "%s", key);
			e->expires = expires;
		}
	}
	pthread_mutex_unlock(&z->mu);
	return rc;
}

static void seen_free(struct sim_seen *z)
{
	if (!z)
		return;
	pthread_mutex_destroy(&z->mu);
	free(z->tab);
	free(z);
}

/* X-Device-Id / X-Timestamp / X-Request-Id / X-Signature against the request as received,
 * then the request id against those seen. 0, or -1 after filling rep with the 401 or the
 * 409 replayed. */
static int authenticate(struct sim *s, struct MHD_Connection *c, const char *method, const struct request *r,
			int64_t now, const struct sim_device **dev, struct sim_reply *rep)
{
	const char *id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Device-Id");
	const char *ts = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Timestamp");
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Signature");
	const char *rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	int64_t t = 0;
	int rc;

	*dev = sim_device_find(s, id);
	if (!*dev) {
		sim_reply_error(rep, 401, "unknown_device", NULL);
		return -1;
	}
	if (!ts || !*ts || strlen(ts) > 18 || strspn(ts, "0123456789") != strlen(ts)) {
		sim_reply_error(rep, 401, "bad_signature", NULL);
		return -1;
	}
	for (const char *p = ts; *p; p++)
		t = t * 10 + (*p - '0');
	if (!sign_request_id_ok(rid)) {
		sim_reply_error(rep, 401, "bad_request_id",
				"X-Request-Id must be 32 lowercase hex digits, new for every request");
		return -1;
	}
	rc = sign_verify((*dev)->secret, sizeof(*dev)->secret, method, r->uri, t, rid, now, r->body, r->len,
			 sig);
	if (rc != 0) {
		sim_reply_error(rep, 401, rc == -2 ? "clock_skew" : "bad_signature", NULL);
		return -1;
	}
	rc = seen_check(s->seen, (*dev)->id, rid, now, t + SIGN_MAX_SKEW_S);
	if (rc == 0)
		return 0;
	if (rc > 0)
		sim_reply_error(rep, 409, "replayed",
				"this request id was already used; sign every request with a new one");
	else
		sim_reply_error(rep, 503, "unavailable", NULL);
	return -1;
}

static enum MHD_Result serve(struct sim *s, struct MHD_Connection *c, const char *path, const char *method,
			     struct request *r)
{
	struct sim_reply rep = {0};
	struct sim_faults f;
	struct sim_call call = {c, method, path, r->body ? r->body : "", r->len, NULL, 0};

	call.now = sim_faults_now(&s->faults);
	if (strncmp(path, "/admin/", 7) == 0) {
		if (!is_loopback(c))
			sim_reply_error(&rep, 403, "forbidden", NULL);
		else
			sim_route_admin(s, &call, &rep);
		return send_reply(s, c, method, path, r, &rep, NULL);
	}
	sim_faults_get(&s->faults, &f);
	if (f.latency_ms > 0 && sleep_ms(s, f.latency_ms) < 0)
		return MHD_NO;
	call.now = sim_faults_now(&s->faults);
	if (sim_faults_roll(&s->faults, SIM_FAULT_ERROR)) {
		sim_reply_error(&rep, f.error_status,
				f.error_status == 429 ? "too_many_requests" : "unavailable", NULL);
		rep.retry_after_s = f.retry_after_s;
		return send_reply(s, c, method, path, r, &rep, NULL);
	}
	if (authenticate(s, c, method, r, call.now, &call.dev, &rep) < 0)
		return send_reply(s, c, method, path, r, &rep, NULL);
	sim_route_v1(s, &call, &rep);
	if (rep.committed && sim_faults_roll(&s->faults, SIM_FAULT_DROP)) {
		/* returning MHD_NO closes the connection: the batch is committed, the answer lost */
		cJSON_free(rep.body);
		log_line(s, method, path, r, "committed, connection dropped (fault)");
		return MHD_NO;
	}
	return send_reply(s, c, method, path, r, &rep, &f);
}

static int append_body(struct request *r, const char *data, size_t n)
{
	if (r->too_large || n > SIM_BODY_MAX - r->len) {
		r->too_large = 1;
		return 0;
	}
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		char *b;

		while (cap < r->len + n)
			cap *= 2;
		if (cap > SIM_BODY_MAX)
			cap = SIM_BODY_MAX;
		b = realloc(r->body, cap);
		if (!b)
			return -1;
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size,
				  void **con_cls)
{
	struct sim *s = cls;
	struct request *r = *con_cls;
	struct sim_reply rep = {0};

	(void)version;
	if (!r || !r->uri)
		return MHD_NO; /* out of memory in on_uri */
	if (!r->started) {
		const char *cl =
			MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		r->started = 1;
		if (cl && (strlen(cl) > 9 || strtoul(cl, NULL, 10) > SIM_BODY_MAX)) {
			sim_reply_error(&rep, 413, "too_large", "request bodies are limited to 4 MB");
			return send_reply(s, c, method, url, r, &rep, NULL);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (append_body(r, upload, *upload_size) < 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_large) {
		sim_reply_error(&rep, 413, "too_large", "request bodies are limited to 4 MB");
		return send_reply(s, c, method, url, r, &rep, NULL);
	}
	return serve(s, c, url, method, r);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct request *r = calloc(1, sizeof *r);

	(void)cls;
	(void)c;
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->uri = strdup(uri);
	return r;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
	struct request *r = *con_cls;

	(void)cls;
	(void)c;
	(void)why;
	if (!r)
		return;
	free(r->uri);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct sim *s = cls;
	char msg[256];

	if (s->quiet)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	fprintf(stderr, "central-sim: http: %s\n", msg);
}

int sim_server_start(struct sim *s, uint16_t port, const char *cert_pem, const char *key_pem, char *err,
		     size_t errn)
{
	/* 127.0.0.1 and nothing else: the simulator is for this machine's tests and demos */
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG |
			 MHD_USE_SUPPRESS_DATE_NO_CLOCK;
	const union MHD_DaemonInfo *info;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->seen = calloc(1, sizeof *s->seen);
	if (!s->seen || pthread_mutex_init(&s->seen->mu, NULL) != 0 || seen_rebuild(s->seen, 0) < 0) {
		free(s->seen);
		s->seen = NULL;
		snprintf(err, errn, "out of memory");
		return -1;
	}
#define COMMON_OPTIONS                                                                           \
	MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,  \
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED, on_done, s, \
		MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 30u
	if (cert_pem && key_pem) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errn, "this libmicrohttpd was built without TLS");
			return -1;
		}
		s->mhd = MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL, on_request, s, COMMON_OPTIONS,
					  MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_HTTPS_MEM_CERT,
					  cert_pem, MHD_OPTION_END);
	} else {
		s->mhd =
			MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, COMMON_OPTIONS, MHD_OPTION_END);
	}
#undef COMMON_OPTIONS
	if (!s->mhd) {
		seen_free(s->seen);
		s->seen = NULL;
		snprintf(err, errn,
			 "cannot listen on 127.0.0.1:%u (port in use, or a bad certificate or key)",
			 (unsigned)port);
		return -1;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : port;
	return 0;
}

void sim_server_stop(struct sim *s)
{
	s->stopping = 1;
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
	seen_free(s->seen);
	s->seen = NULL;
}
