/* HMAC request signing for the central API (see sign.h). */
#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static void to_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = 0;
}

void sign_body_hash(const void *body, size_t len, char out[SIGN_HEX_LEN + 1])
{
	uint8_t d[SHA256_DIGEST_LENGTH];
	SHA256(body ? body : (const void *)"", len, d);
	to_hex(d, sizeof(d), out);
}

int sign_request_id(char out[SIGN_REQUEST_ID_LEN + 1])
{
	uint8_t r[SIGN_REQUEST_ID_LEN / 2];
	ssize_t got;
	do
		got = getrandom(r, sizeof(r), 0);
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)sizeof(r)) {
		out[0] = 0;
		return -1;
	}
	to_hex(r, sizeof(r), out);
	return 0;
}

int sign_request_id_ok(const char *id)
{
	return id && strlen(id) == SIGN_REQUEST_ID_LEN &&
	       strspn(id, "0123456789abcdef") == SIGN_REQUEST_ID_LEN;
}

int sign_request(const uint8_t *secret, size_t secret_len, const char *method, const char *path_query,
		 int64_t timestamp, const char *request_id, const void *body, size_t body_len,
		 char out[SIGN_HEX_LEN + 1])
{
	char hash[SIGN_HEX_LEN + 1], canon[4096];
	if (!secret || !secret_len || !method || !path_query || !sign_request_id_ok(request_id))
		return -1;
	sign_body_hash(body, body_len, hash);
	int n = snprintf(canon, sizeof(canon), "%s\n%s\n%" PRId64 "\n%s\n%s", method, path_query, timestamp,
			 request_id, hash);
	if (n < 0 || (size_t)n >= sizeof(canon))
		return -1;
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	if (!HMAC(EVP_sha256(), secret, (int)secret_len, (const uint8_t *)canon, (size_t)n, mac, &maclen))
		return -1;
	to_hex(mac, maclen, out);
	return 0;
}

int sign_verify(const uint8_t *secret, size_t secret_len, const char *method, const char *path_query,
		int64_t timestamp, const char *request_id, int64_t now, const void *body, size_t body_len,
		const char *signature)
{
	char want[SIGN_HEX_LEN + 1];
	if (!signature || strlen(signature) != SIGN_HEX_LEN)
		return -1;
	if (sign_request(secret, secret_len, method, path_query, timestamp, request_id, body, body_len, want) !=
	    0)
		return -1;
	if (CRYPTO_memcmp(want, signature, SIGN_HEX_LEN) != 0)
		return -1;
	int64_t d = now - timestamp;
	if (d > SIGN_MAX_SKEW_S || d < -SIGN_MAX_SKEW_S)
		return -2;
	return 0;
}

int sign_load_secret(const char *path, uint8_t out[SIGN_SECRET_LEN], char *err, size_t errn)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errn, "%s: cannot read the device secret: %s", path, strerror(errno));
		return -1;
	}
	uint8_t extra;
	ssize_t got = read(fd, out, SIGN_SECRET_LEN);
	ssize_t more = got == SIGN_SECRET_LEN ? read(fd, &extra, 1) : 0;
	close(fd);
	if (got != SIGN_SECRET_LEN || more != 0) {
		explicit_bzero(out, SIGN_SECRET_LEN);
		snprintf(err, errn, "%s: the device secret must be exactly %d bytes", path, SIGN_SECRET_LEN);
		return -1;
	}
	return 0;
}
