/* sign — device authentication for the central API: every request carries
 *   X-Device-Id: <device id>
 *   X-Timestamp: <epoch seconds>
 *   X-Request-Id: <32 lowercase hex digits, random, new for every request sent>
 *   X-Signature: hex(HMAC-SHA256(secret, METHOD "\n" PATH_AND_QUERY "\n" TIMESTAMP "\n"
 *                                        REQUEST_ID "\n" hex(SHA256(body))))
 * and the server accepts it only if the signature matches, |server time - timestamp| <= 300
 * and it has not seen the request id within that window (a replay is answered 409).
 * Used by the kiosk's API client and by the central simulator. Pure functions, except
 * sign_request_id (the system's random source). */
#ifndef RECAUDO_SIGN_H
#define RECAUDO_SIGN_H
#include <stddef.h>
#include <stdint.h>

#define SIGN_SECRET_LEN 32
#define SIGN_HEX_LEN 64          /* hex digest, without NUL */
#define SIGN_MAX_SKEW_S 300
#define SIGN_REQUEST_ID_LEN 32   /* 128 bits in hex, without NUL */

/* Lowercase hex SHA-256 of body into out (65 bytes). */
void sign_body_hash(const void *body, size_t len, char out[SIGN_HEX_LEN + 1]);
/* A fresh request id (SIGN_REQUEST_ID_LEN lowercase hex digits) from the system's random
 * source. Returns 0, or -1 if no random bytes could be had (then nothing may be sent). */
int sign_request_id(char out[SIGN_REQUEST_ID_LEN + 1]);
/* 1 if id has the form of a request id (32 lowercase hex digits), else 0. */
int sign_request_id_ok(const char *id);
/* The signature for a request. Returns 0, or -1 if an argument is unusable (including a
 * request id not of the form above). */
int sign_request(const uint8_t *secret, size_t secret_len, const char *method, const char *path_query,
		 int64_t timestamp, const char *request_id, const void *body, size_t body_len,
		 char out[SIGN_HEX_LEN + 1]);
/* Server side: 0 if `signature` is right for the request and the timestamp is within
 * SIGN_MAX_SKEW_S of now; -1 bad signature; -2 clock skew. Constant-time comparison.
 * Whether the request id was seen before is the server's to check (it keeps the ids). */
int sign_verify(const uint8_t *secret, size_t secret_len, const char *method, const char *path_query,
		int64_t timestamp, const char *request_id, int64_t now, const void *body, size_t body_len,
		const char *signature);
/* Reads a 32-byte secret file (raw bytes). Returns 0 or -1 with err set. */
int sign_load_secret(const char *path, uint8_t out[SIGN_SECRET_LEN], char *err, size_t errn);
#endif
