/* secret_hash — an Argon2id hash of a secret (the technician's PIN, a field agent's password)
 * as libargon2's encoded string "$argon2id$v=19$m=...,t=...,p=1$salt$hash", with a fresh
 * 16-byte salt from getrandom. The string carries its parameters, so argon2id_verify checks
 * it whatever cost it was made with. One lane: the second core is the workers'. */
#ifndef RECAUDO_SECRET_HASH_H
#define RECAUDO_SECRET_HASH_H
#include <stddef.h>
#include <stdint.h>

#define SECRET_HASH_ENCODED_MAX 160 /* bytes with the NUL, for a 16-byte salt and 32-byte hash */

/* Fills enc (encn bytes, SECRET_HASH_ENCODED_MAX is enough) and returns 0, or -1 with the
 * reason in err (no random bytes, argon2's own error). The secret is not copied. */
int secret_hash_argon2id(const char *secret, uint32_t t_cost, uint32_t m_kib, char *enc, size_t encn,
			 char *err, size_t errn);
#endif
