/* api_internal — what the API client's files share: api_http.c (the transport: libcurl,
 * signing, status mapping), api.c (the routes), api_parse.c and api_events.c (request bodies
 * and the strict response parsers, which need neither curl nor a database). Not part of the
 * public interface: app code includes api.h. The unit tests and the fuzzer reach the parsers
 * through here too. */
#ifndef RECAUDO_API_INTERNAL_H
#define RECAUDO_API_INTERNAL_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "json_field.h"

#define API_RETRY_AFTER_MAX 3600            /* a longer Retry-After is taken as this */
#define API_CHANGES_LIMIT 250               /* customers per page of portfolio changes */
#define API_EPOCH_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* GET /v1/portfolio/changes. The top level (cursor, more, as_of, customers is an array) is
 * checked before the sink sees anything. Returns API_OK or API_ERR_PROTOCOL with err set.
 * sink may be NULL (only check). */
int api_parse_changes(const char *body, size_t len, const struct api_sink *sink, void *user,
		      struct api_page *out, char *err, size_t errn);
/* GET /v1/trm: every rate goes to sink->trm. *count = rates seen. */
int api_parse_trm(const char *body, size_t len, const struct api_sink *sink, void *user, int *count,
		  char *err, size_t errn);
/* POST /v1/heartbeat: {"ok":true,"server_time":TIME}. *server_time = 0 when absent. */
int api_parse_heartbeat(const char *body, size_t len, int64_t *server_time, char *err, size_t errn);
/* The id_type and id_number fields of obj (where: "customer.", "clients[3]."): the type's
 * code, the number valid for it; a NIT as "base" or "base-DV" (the DV checked), kept as its
 * base in number. 0, or API_ERR_PROTOCOL with the field named (never the number). */
int api_parse_id(struct jf *c, const cJSON *obj, const char *where, enum id_type *t, char number[24]);
/* The "error" code of an error body ({"error":"clock_skew"}), reduced to [a-z0-9_] and at
 * most n - 1 bytes; "" when the body has none. */
void api_parse_error_code(const char *body, size_t len, char *code, size_t n);

/* 0 when ev can be sent as it is (key a lowercase UUID, type [a-z0-9._-], at and seq in
 * range, payload a JSON object within OUTBOX_PAYLOAD_MAX); else -1 with the reason in why. */
int api_event_check(const struct outbox_event *ev, char *why, size_t whyn);
/* {"events":[...]} for n checked events, payloads verbatim. malloc'ed (free); NULL if out of
 * memory. */
char *api_events_body(const struct outbox_event *ev, int n, size_t *len);
/* The heartbeat request body. malloc'ed (free); NULL if out of memory. */
char *api_heartbeat_body(const struct api_heartbeat *hb, size_t *len);

/* Retry-After: delta seconds, or an HTTP date (now = epoch s to measure it against); the
 * result is clamped to 0..API_RETRY_AFTER_MAX; 0 for anything unreadable. */
int api_retry_after_parse(const char *value, int64_t now);
/* 1 when a Content-Type is JSON: "application/json", optionally with parameters; a charset,
 * if given, must be UTF-8. */
int api_content_type_ok(const char *ct);
/* ISO 8601 with offset (optional fraction, "Z" or +-HH:MM) -> epoch s. 0 or -1. */
int api_time_parse(const char *t, int64_t *out);
/* epoch s -> "2026-11-22T15:00:00Z" (21 bytes with the NUL). 0 or -1. */
int api_time_format(int64_t t, char out[32]);
/* The body as one JSON value (nothing after it, no NUL, at most API_BODY_MAX), or as one JSON
 * object; NULL with the reason in c. Free with cJSON_Delete. */
cJSON *api_json_body(struct jf *c, const char *body, size_t len);
cJSON *api_json_object(struct jf *c, const char *body, size_t len);
#endif
