/* api_account_internal — what the account services' routes (api_account.c) share with their
 * strict parsers (api_account_parse.c, which needs neither curl nor OpenSSL: the fuzzer builds
 * it) beyond the four parsers api_account.h exposes. Each takes the HTTP status of an answer
 * the route reads itself (200, or a refusal listed in docs/account-services.md "other
 * answers") and returns API_OK, one of enum api_account_status, API_NOT_FOUND, or
 * API_ERR_PROTOCOL with err set (never a value from the body). On anything but API_OK the
 * out struct holds only the refusal's figures (tries_left, retry_in), the rest zeroed. */
#ifndef RECAUDO_API_ACCOUNT_INTERNAL_H
#define RECAUDO_API_ACCOUNT_INTERNAL_H
#include <stddef.h>
#include "api_account.h"

/* POST /v1/otp/send: 200, 429 too_many_sends, 409 too_soon (retry_in). */
int api_parse_acc_sent(int status, const char *body, size_t len, struct api_acc_sent *out, char *err, size_t errn);
/* POST /v1/otp/verify: 200, 403 wrong_code (tries_left), locked, expired. The token is wiped
 * from every copy made here (the caller wipes out->token). */
int api_parse_acc_verified(int status, const char *body, size_t len, struct api_acc_verified *out, char *err,
			   size_t errn);
/* POST /v1/account/register: 200 (as a lookup's, without image and phrase), 409 mismatch,
 * 409 already_registered. */
int api_parse_acc_registered(int status, const char *body, size_t len, struct api_acc_lookup *out, char *err,
			     size_t errn);
/* POST /v1/account/products's 200 answer. */
int api_parse_acc_products(const char *body, size_t len, struct api_acc_products *out, char *err, size_t errn);
/* {"ok":true} (POST /v1/account/security's 200 answer). */
int api_parse_acc_ok(const char *body, size_t len, char *err, size_t errn);
/* 1 if a token looks like one: 1..API_ACC_TOKEN_MAX-1 bytes of [A-Za-z0-9._~+/=-] (nothing to
 * escape in JSON). */
int api_acc_token_ok(const char *token);
#endif
