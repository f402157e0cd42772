/* Argon2id hashes of secrets with a fresh salt (see secret_hash.h). */
#include "secret_hash.h"

#include <argon2.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

enum { SALT_LEN = 16, HASH_LEN = 32, LANES = 1 };

static int random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int secret_hash_argon2id(const char *secret, uint32_t t_cost, uint32_t m_kib, char *enc, size_t encn,
			 char *err, size_t errn)
{
	unsigned char salt[SALT_LEN];
	int rc;

	if (random_bytes(salt, sizeof salt) != 0) {
		snprintf(err, errn, "no random bytes for the salt: %s", strerror(errno));
		return -1;
	}
	rc = argon2id_hash_encoded(t_cost, m_kib, LANES, secret, strlen(secret), salt, sizeof salt, HASH_LEN, enc,
				   encn);
	explicit_bzero(salt, sizeof salt);
	if (rc != ARGON2_OK) {
		snprintf(err, errn, "hashing: %s", argon2_error_message(rc));
		explicit_bzero(enc, encn);
		return -1;
	}
	return 0;
}
