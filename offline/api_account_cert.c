/* api_account_cert — the certificate's signature (docs/account-services.md "The certificate's
 * signature"): Ed25519 over the payload's exact bytes, under the issuer's public key in a PEM
 * file ([services] certificate_key). Kept apart from the parsers so the fuzzer needs no
 * OpenSSL. */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>

#include "api_account.h"

#define SIG_LEN 64
#define SIG_B64_LEN 88 /* 4 * ceil(64 / 3), "==" included */

static int verify_fail(char *err, size_t errn, const char *why)
{
	if (err && errn)
		snprintf(err, errn, "certificate: %s", why);
	ERR_clear_error();
	return -1;
}

/* Standard base64 of exactly 64 bytes. EVP_DecodeBlock decodes the padding as zero bytes and
 * counts them: its 66 minus the two '=' is the signature's length. */
static int decode_sig(const char *b64, unsigned char sig[SIG_LEN])
{
	unsigned char raw[SIG_B64_LEN / 4 * 3];
	size_t n = strnlen(b64, SIG_B64_LEN + 1);
	int got;

	if (n != SIG_B64_LEN || b64[n - 1] != '=' || b64[n - 2] != '=' || b64[n - 3] == '=')
		return -1;
	got = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (got != (int)sizeof raw)
		return -1;
	memcpy(sig, raw, SIG_LEN);
	return 0;
}

int api_acc_cert_verify(const char *pubkey_pem, const char *payload, const char *sig_b64, char *err, size_t errn)
{
	unsigned char sig[SIG_LEN];
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	FILE *f;
	int ok;

	if (err && errn)
		err[0] = '\0';
	if (!pubkey_pem || !pubkey_pem[0])
		return verify_fail(err, errn, "no issuer key configured");
	if (!payload || !payload[0] || strnlen(payload, ACCOUNT_CERT_PAYLOAD_MAX) >= ACCOUNT_CERT_PAYLOAD_MAX)
		return verify_fail(err, errn, "payload missing or too long");
	if (!sig_b64 || decode_sig(sig_b64, sig) < 0)
		return verify_fail(err, errn, "signature: not the base64 of 64 bytes");
	f = fopen(pubkey_pem, "r");
	if (!f)
		return verify_fail(err, errn, "cannot open the issuer key file");
	key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!key)
		return verify_fail(err, errn, "the issuer key file holds no PEM public key");
	if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return verify_fail(err, errn, "the issuer key is not an Ed25519 key");
	}
	ctx = EVP_MD_CTX_new();
	/* Ed25519 hashes internally: no digest, one-shot verify */
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof sig, (const unsigned char *)payload, strlen(payload)) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	if (!ok)
		return verify_fail(err, errn, "the signature does not verify under the issuer key");
	return 0;
}
