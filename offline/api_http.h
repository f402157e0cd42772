/* api_http — what the API client's transport (api_http.c: libcurl, TLS, signing, status
 * mapping) gives its routes (api.c: one function per endpoint). Internal to the client: app
 * code includes api.h, the parsers api_internal.h. */
#ifndef RECAUDO_API_HTTP_H
#define RECAUDO_API_HTTP_H
#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>
#include "api.h"

struct api {
	CURL *curl;
	struct api_config cfg;
	char path_prefix[128]; /* the base URL's path ("" usually): part of what is signed */
	char err[256];
	char curl_err[CURL_ERROR_SIZE];
	const char *redact; /* a string that must not reach err (the id number) */
	const _Atomic int *cancel; /* api_set_cancel */
	int retry_after;
	int64_t server_time;
	/* the response being received */
	char *body;
	size_t len, cap;
	int too_big;
};

/* Sets the reason api_error() gives; returns rc. */
int api_fail(struct api *a, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One signed request and its HTTP outcome mapped to enum api_status (what: "debts", ... for
 * the reasons; timeout_ms 0: the handle's; not_found_ok: a 404 is API_NOT_FOUND). On API_OK
 * the answer is in a->body / a->len until api_done. */
int api_exchange(struct api *a, const char *what, const char *method, const char *path_query,
		 const char *body, size_t body_len, long timeout_ms, int not_found_ok);
/* api_exchange for routes whose refusals are answers (the account services,
 * docs/account-services.md "other answers"): a 4xx answer with a JSON body whose "error" is
 * one of codes (NULL-terminated) comes back as API_OK with *http set and the body in a->body,
 * for the route's parser; any other answer is mapped as api_exchange maps it (*http 200 on
 * API_OK). */
int api_exchange_answer(struct api *a, const char *what, const char *method, const char *path_query,
			const char *body, size_t body_len, long timeout_ms, const char *const *codes, long *http);
/* After every call: trims the answer buffer and clears the per-call state; returns rc. */
int api_done(struct api *a, int rc);
#endif
