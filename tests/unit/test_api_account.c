/* test_api_account — the account services' parsers (offline/api_account_parse.c) with good
 * answers and bad ones (missing field, wrong type, too long, an unmasked phone, too many
 * items, truncated JSON), each refused with nothing left behind; and the certificate's
 * Ed25519 check (offline/api_account_cert.c) with a key pair made here. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_account.h"
#include "api_account_internal.h"
#include "check.h"

#define LEN(s) strlen(s)

static int lookup(int status, const char *body, struct api_acc_lookup *out)
{
	char err[256];

	return api_parse_acc_lookup(status, body, LEN(body), out, err, sizeof err);
}

static void test_lookup(void)
{
	struct api_acc_lookup l;
	const char *good = "{\"account\":true,\"image\":3,\"phrase\":\"¡Mi perro Ñandú!\","
			   "\"channels\":{\"sms\":\"*** *** 4567\",\"email\":\"m****@correo.com\"}}";
	static const char *bad[] = {
		"{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\",\"channels\":{\"sms\":\"3001234567\",\"email\":null}}",
		"{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\",\"channels\":{\"sms\":\"m****@correo.com\",\"email\":null}}",
		"{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\",\"channels\":{\"sms\":null,\"email\":\"maria@correo.com\"}}",
		"{\"account\":true,\"image\":16,\"phrase\":\"hola mundo\",\"channels\":{\"sms\":null,\"email\":null}}",
		"{\"account\":true,\"image\":\"3\",\"phrase\":\"hola mundo\",\"channels\":{\"sms\":null,\"email\":null}}",
		"{\"account\":true,\"image\":3,\"phrase\":\"ho\",\"channels\":{\"sms\":null,\"email\":null}}",
		"{\"account\":true,\"image\":3,\"phrase\":\"<script>\",\"channels\":{\"sms\":null,\"email\":null}}",
		"{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\"}",
		"{\"account\":\"yes\"}",
		"{\"image\":3}",
		"{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\",\"channels\":{\"sms\":null,\"email\":nul",
		"[1,2]",
		"",
	};

	CHECK_INT(lookup(200, good, &l), API_OK);
	CHECK_INT(l.account, 1);
	CHECK_INT(l.image, 3);
	CHECK_STR(l.phrase, "¡Mi perro Ñandú!");
	CHECK_STR(l.sms, "*** *** 4567");
	CHECK_STR(l.email, "m****@correo.com");
	CHECK_INT(lookup(200, "{\"account\":true,\"image\":null,\"phrase\":null,\"channels\":{\"sms\":null,\"email\":null}}",
			 &l),
		  API_OK);
	CHECK_INT(l.image, -1);
	CHECK_STR(l.phrase, "");
	CHECK_STR(l.sms, "");
	CHECK_INT(lookup(200, "{\"account\":false}", &l), API_ACC_NO_ACCOUNT);
	CHECK_INT(l.account, 0);
	CHECK_INT(lookup(404, "{\"error\":\"not_found\"}", &l), API_NOT_FOUND);
	CHECK_INT(lookup(404, "{\"error\":\"other\"}", &l), API_ERR_PROTOCOL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(lookup(200, bad[i], &l), API_ERR_PROTOCOL);
		CHECK(l.account == 0 && l.image == -1 && !l.phrase[0] && !l.sms[0] && !l.email[0]);
	}
	/* a phrase longer than the field */
	{
		char body[600];

		snprintf(body, sizeof body, "{\"account\":true,\"image\":1,\"phrase\":\"%0300d\",\"channels\":{\"sms\":null,\"email\":null}}", 0);
		CHECK_INT(lookup(200, body, &l), API_ERR_PROTOCOL);
	}
	/* register: the same channels, no image or phrase; its refusals */
	{
		char err[256];
		const char *r = "{\"account\":true,\"channels\":{\"sms\":\"*** *** 4567\",\"email\":null}}";

		CHECK_INT(api_parse_acc_registered(200, r, LEN(r), &l, err, sizeof err), API_OK);
		CHECK_STR(l.sms, "*** *** 4567");
		r = "{\"error\":\"mismatch\"}";
		CHECK_INT(api_parse_acc_registered(409, r, LEN(r), &l, err, sizeof err), API_ACC_MISMATCH);
		r = "{\"error\":\"already_registered\"}";
		CHECK_INT(api_parse_acc_registered(409, r, LEN(r), &l, err, sizeof err), API_ACC_REGISTERED);
		r = "{\"account\":false}";
		CHECK_INT(api_parse_acc_registered(200, r, LEN(r), &l, err, sizeof err), API_ERR_PROTOCOL);
	}
}

static void test_otp(void)
{
	struct api_acc_sent s;
	struct api_acc_verified v;
	char err[256];
	const char *b;

	b = "{\"sent_to\":\"*** *** 4567\",\"expires_in\":300,\"resend_after\":60,\"sends_left\":2}";
	CHECK_INT(api_parse_acc_sent(200, b, LEN(b), &s, err, sizeof err), API_OK);
	CHECK_STR(s.sent_to, "*** *** 4567");
	CHECK_INT(s.expires_in, 300);
	CHECK_INT(s.resend_after, 60);
	CHECK_INT(s.sends_left, 2);
	b = "{\"sent_to\":\"m****@correo.com\",\"expires_in\":300,\"resend_after\":60,\"sends_left\":0}";
	CHECK_INT(api_parse_acc_sent(200, b, LEN(b), &s, err, sizeof err), API_OK);
	b = "{\"sent_to\":\"3001234567\",\"expires_in\":300,\"resend_after\":60,\"sends_left\":2}";
	CHECK_INT(api_parse_acc_sent(200, b, LEN(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_STR(s.sent_to, "");
	CHECK(strstr(err, "sent_to") != NULL && strstr(err, "3001234567") == NULL);
	b = "{\"sent_to\":\"*** *** 4567\",\"expires_in\":300,\"resend_after\":60,\"sends_left\":4}";
	CHECK_INT(api_parse_acc_sent(200, b, LEN(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"sent_to\":\"*** *** 4567\",\"expires_in\":300,\"resend_after\":60}";
	CHECK_INT(api_parse_acc_sent(200, b, LEN(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"error\":\"too_many_sends\"}";
	CHECK_INT(api_parse_acc_sent(429, b, LEN(b), &s, err, sizeof err), API_ACC_TOO_MANY);
	b = "{\"error\":\"too_soon\",\"retry_in\":42}";
	CHECK_INT(api_parse_acc_sent(409, b, LEN(b), &s, err, sizeof err), API_ACC_TOO_SOON);
	CHECK_INT(s.retry_in, 42);
	b = "{\"error\":\"too_soon\"}";
	CHECK_INT(api_parse_acc_sent(409, b, LEN(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(s.retry_in, 0);

	b = "{\"token\":\"tok.ABC-123_x\",\"expires_in\":900}";
	CHECK_INT(api_parse_acc_verified(200, b, LEN(b), &v, err, sizeof err), API_OK);
	CHECK_STR(v.token, "tok.ABC-123_x");
	CHECK_INT(v.expires_in, 900);
	b = "{\"token\":\"tok en\",\"expires_in\":900}";
	CHECK_INT(api_parse_acc_verified(200, b, LEN(b), &v, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_STR(v.token, "");
	CHECK(strstr(err, "tok en") == NULL);
	b = "{\"token\":123,\"expires_in\":900}";
	CHECK_INT(api_parse_acc_verified(200, b, LEN(b), &v, err, sizeof err), API_ERR_PROTOCOL);
	{
		char big[300];

		memset(big, 0, sizeof big);
		memcpy(big, "{\"token\":\"", 10);
		memset(big + 10, 'a', 129);
		memcpy(big + 139, "\",\"expires_in\":900}", 20);
		CHECK_INT(api_parse_acc_verified(200, big, strlen(big), &v, err, sizeof err), API_ERR_PROTOCOL);
		big[10 + 128] = '"';
		memcpy(big + 139, ",\"expires_in\":900}", 19);
		CHECK_INT(api_parse_acc_verified(200, big, strlen(big), &v, err, sizeof err), API_OK);
		CHECK_INT((int)strlen(v.token), 128);
	}
	b = "{\"error\":\"wrong_code\",\"tries_left\":2}";
	CHECK_INT(api_parse_acc_verified(403, b, LEN(b), &v, err, sizeof err), API_ACC_WRONG_CODE);
	CHECK_INT(v.tries_left, 2);
	b = "{\"error\":\"wrong_code\",\"tries_left\":7}";
	CHECK_INT(api_parse_acc_verified(403, b, LEN(b), &v, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"error\":\"locked\"}";
	CHECK_INT(api_parse_acc_verified(403, b, LEN(b), &v, err, sizeof err), API_ACC_LOCKED);
	b = "{\"error\":\"expired\"}";
	CHECK_INT(api_parse_acc_verified(403, b, LEN(b), &v, err, sizeof err), API_ACC_EXPIRED);
	b = "{\"error\":\"expired\"";
	CHECK_INT(api_parse_acc_verified(403, b, LEN(b), &v, err, sizeof err), API_ERR_PROTOCOL);

	b = "{\"ok\":true}";
	CHECK_INT(api_parse_acc_ok(b, LEN(b), err, sizeof err), API_OK);
	b = "{\"ok\":false}";
	CHECK_INT(api_parse_acc_ok(b, LEN(b), err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"ok\":1}";
	CHECK_INT(api_parse_acc_ok(b, LEN(b), err, sizeof err), API_ERR_PROTOCOL);
	CHECK(api_acc_token_ok("abc"));
	CHECK(!api_acc_token_ok("a\"b"));
	CHECK(!api_acc_token_ok(""));
}

/* {"<key>":[item, item, ...]} with n copies of item. malloc'ed. */
static char *repeat(const char *head, const char *item, int n, const char *tail)
{
	size_t cap = strlen(head) + (size_t)n * (strlen(item) + 1) + strlen(tail) + 1;
	char *s = malloc(cap);

	strcpy(s, head);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, item);
	}
	strcat(s, tail);
	return s;
}

static void test_products(void)
{
	struct api_acc_products *p = malloc(sizeof *p);
	const char *item = "{\"id\":\"AUTO-1\",\"line\":\"Crédito vehículo\",\"description\":\"Mazda 3 2022\","
			   "\"currency\":\"COP\",\"balance\":15345000}";
	char err[256], *b;

	b = repeat("{\"products\":[", item, 2, "]}");
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_OK);
	CHECK_INT(p->n, 2);
	CHECK_STR(p->p[1].id, "AUTO-1");
	CHECK_STR(p->p[0].line, "Crédito vehículo");
	CHECK_INT(p->p[0].balance, 15345000);
	free(b);
	b = repeat("{\"products\":[", item, API_ACC_PRODUCTS_MAX, "]}");
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_OK);
	CHECK_INT(p->n, API_ACC_PRODUCTS_MAX);
	free(b);
	b = repeat("{\"products\":[", item, API_ACC_PRODUCTS_MAX + 1, "]}");
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_INT(p->n, 0);
	free(b);
	b = "{\"products\":[{\"id\":\"A 1\",\"line\":\"x\",\"description\":\"y\",\"currency\":\"COP\",\"balance\":1}]}";
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"products\":[{\"id\":\"A1\",\"line\":\"x\",\"description\":\"y\",\"currency\":\"EUR\",\"balance\":1}]}";
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"products\":[{\"id\":\"A1\",\"line\":\"x\",\"description\":\"y\",\"currency\":\"COP\",\"balance\":1.5}]}";
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"products\":[{\"id\":\"A1\",\"line\":\"x\",\"currency\":\"COP\",\"balance\":1}]}";
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(strstr(err, "products[0].description") != NULL);
	b = "{\"products\":{}}";
	CHECK_INT(api_parse_acc_products(b, strlen(b), p, err, sizeof err), API_ERR_PROTOCOL);
	free(p);
}

static void test_statement(void)
{
	struct api_acc_statement s;
	const char *mv = "{\"date\":\"2026-10-05\",\"description\":\"Pago cuota\",\"amount\":-850000,\"balance\":14495000}";
	char err[256], *b;

	b = repeat("{\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"currency\":\"COP\",\"opening\":15345000,"
		   "\"closing\":14495000,\"movements\":[",
		   mv, 3, "]}");
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_OK);
	CHECK_STR(s.product, "AUTO-1");
	CHECK_INT(s.month, 202610);
	CHECK_INT(s.opening, 15345000);
	CHECK_INT(s.n, 3);
	CHECK_INT(s.moves[2].amount, -850000);
	CHECK_INT(s.moves[0].date, 20261005);
	CHECK_STR(s.sent_to, "");
	api_acc_statement_free(&s);
	CHECK(s.moves == NULL && s.n == 0);
	free(b);
	b = repeat("{\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"currency\":\"COP\",\"opening\":1,\"closing\":1,\"movements\":[",
		   mv, API_ACC_MOVES_MAX + 1, "]}");
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(s.moves == NULL && s.n == 0);
	free(b);
	/* a movement of another month; a month out of range; truncated */
	b = "{\"product\":\"AUTO-1\",\"month\":\"2026-09\",\"currency\":\"COP\",\"opening\":1,\"closing\":1,\"movements\":["
	    "{\"date\":\"2026-10-05\",\"description\":\"x\",\"amount\":1,\"balance\":1}]}";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"product\":\"AUTO-1\",\"month\":\"2026-13\",\"currency\":\"COP\",\"opening\":1,\"closing\":1,\"movements\":[]}";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"currency\":\"COP\",\"opening\":1,\"closing\":1,\"movements\":[";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"currency\":\"COP\",\"opening\":\"1\",\"closing\":1,\"movements\":[]}";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"sent_to\":\"m****@correo.com\"}";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_OK);
	CHECK_STR(s.sent_to, "m****@correo.com");
	CHECK_INT(s.n, 0);
	b = "{\"sent_to\":\"maria@correo.com\"}";
	CHECK_INT(api_parse_acc_statement(b, strlen(b), &s, err, sizeof err), API_ERR_PROTOCOL);
	CHECK_STR(s.sent_to, "");
}

static void test_history(void)
{
	struct api_acc_history h;
	char err[256], *b;
	const char *p = "{\"date\":\"2026-10-05\",\"product\":\"AUTO-1\",\"amount\":850000,\"currency\":\"COP\","
			"\"channel\":\"kiosk\",\"reference\":\"K0001-000123\"}";

	b = repeat("{\"payments\":[", p, 2, "]}");
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_OK);
	CHECK_INT(h.n, 2);
	CHECK_INT(h.p[0].channel, API_PAY_KIOSK);
	CHECK_STR(h.p[1].reference, "K0001-000123");
	CHECK_INT(h.p[0].amount, 850000);
	api_acc_history_free(&h);
	free(b);
	b = repeat("{\"payments\":[", p, API_ACC_PAYMENTS_MAX + 1, "]}");
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(h.p == NULL && h.n == 0);
	free(b);
	b = "{\"payments\":[{\"date\":\"2026-10-05\",\"product\":\"AUTO-1\",\"amount\":1,\"currency\":\"COP\",\"channel\":\"bank\","
	    "\"reference\":\"R1\"},{\"date\":\"2026-11-05\",\"product\":\"AUTO-1\",\"amount\":1,\"currency\":\"COP\","
	    "\"channel\":\"agent\",\"reference\":\"R2\"}]}";
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_ERR_PROTOCOL); /* oldest first */
	b = "{\"payments\":[{\"date\":\"2026-10-05\",\"product\":\"AUTO-1\",\"amount\":1,\"currency\":\"COP\",\"channel\":\"atm\","
	    "\"reference\":\"R1\"}]}";
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"payments\":[{\"date\":\"2026-10-05\",\"product\":\"AUTO-1\",\"amount\":1,\"currency\":\"COP\",\"channel\":\"bank\","
	    "\"reference\":\"R1234567890123456789012345678901234\"}]}";
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_ERR_PROTOCOL);
	b = "{\"payments\":[]}";
	CHECK_INT(api_parse_acc_history(b, strlen(b), &h, err, sizeof err), API_OK);
	CHECK_INT(h.n, 0);
}

/* ---- the certificate ---- */

static EVP_PKEY *keygen(void)
{
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);

	if (!c || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_keygen(c, &k) != 1)
		k = NULL;
	EVP_PKEY_CTX_free(c);
	return k;
}

static void write_pub(EVP_PKEY *k, const char *path)
{
	FILE *f = fopen(path, "w");

	CHECK(f && PEM_write_PUBKEY(f, k) == 1);
	if (f)
		fclose(f);
}

static void sign_b64(EVP_PKEY *k, const char *payload, char out[96])
{
	unsigned char sig[64];
	size_t n = sizeof sig;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	CHECK(EVP_DigestSignInit(c, NULL, NULL, NULL, k) == 1);
	CHECK(EVP_DigestSign(c, sig, &n, (const unsigned char *)payload, strlen(payload)) == 1);
	CHECK_INT(n, 64);
	EVP_MD_CTX_free(c);
	CHECK_INT(EVP_EncodeBlock((unsigned char *)out, sig, 64), 88);
}

static char *cert_body(const char *kind, const char *balance, const char *payload, const char *sig)
{
	static char b[1024];

	snprintf(b, sizeof b,
		 "{\"kind\":\"%s\",\"certificate_id\":\"CERT-9\",\"product\":\"AUTO-1\",\"description\":\"Mazda 3\","
		 "\"currency\":\"COP\",\"balance\":%s,\"issued\":\"2026-11-22\",\"payload\":\"%s\",\"signature\":\"%s\"}",
		 kind, balance, payload, sig);
	return b;
}

static void test_certificate(void)
{
	const char *payload = "RCC1|K=D|I=CERT-9|P=AUTO-1|C=COP|B=1534500|D=20261122|T=CC|N=4567";
	char dir[] = "/tmp/test_api_account.XXXXXX", pem[128], pem2[128], sig[96], bad[96], err[256], *b;
	struct api_acc_certificate c;
	EVP_PKEY *k = keygen(), *k2 = keygen();

	CHECK(k && k2);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(pem, sizeof pem, "%s/issuer.pem", dir);
	snprintf(pem2, sizeof pem2, "%s/other.pem", dir);
	write_pub(k, pem);
	write_pub(k2, pem2);
	sign_b64(k, payload, sig);

	CHECK_INT(api_acc_cert_verify(pem, payload, sig, err, sizeof err), 0);
	/* another key */
	CHECK_INT(api_acc_cert_verify(pem2, payload, sig, err, sizeof err), -1);
	CHECK(err[0] != '\0');
	/* an altered payload */
	CHECK_INT(api_acc_cert_verify(pem, "RCC1|K=D|I=CERT-9|P=AUTO-1|C=COP|B=1534501|D=20261122|T=CC|N=4567", sig, err,
				      sizeof err),
		  -1);
	/* a flipped byte of the signature (in its first character's bits) */
	memcpy(bad, sig, sizeof bad);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	CHECK_INT(api_acc_cert_verify(pem, payload, bad, err, sizeof err), -1);
	/* padding and length */
	memcpy(bad, sig, sizeof bad);
	bad[87] = '\0';
	CHECK_INT(api_acc_cert_verify(pem, payload, bad, err, sizeof err), -1);
	CHECK_INT(api_acc_cert_verify("/nonexistent/key.pem", payload, sig, err, sizeof err), -1);
	CHECK_INT(api_acc_cert_verify(payload /* not a file */, payload, sig, err, sizeof err), -1);

	/* the answer's parser: payload fields equal to the JSON's */
	b = cert_body("debt", "1534500", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_OK);
	CHECK_STR(c.payload, payload);
	CHECK_STR(c.signature, sig);
	CHECK_STR(c.description, "Mazda 3");
	CHECK_INT(c.f.kind, 'D');
	CHECK_STR(c.f.id_last4, "4567");
	b = cert_body("debt", "1534501", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ACC_BAD_SIGNATURE);
	CHECK(c.payload[0] == '\0' && c.f.kind == 0);
	b = cert_body("paid_up", "1534500", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ACC_BAD_SIGNATURE);
	b = cert_body("debt", "1534500", "RCC1|K=D|I=CERT-9|P=AUTO-1", sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ACC_BAD_SIGNATURE);
	b = cert_body("debt", "1534500", payload, "abc=");
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ACC_BAD_SIGNATURE);
	b = cert_body("owed", "1534500", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ERR_PROTOCOL);
	b = cert_body("debt", "\"1534500\"", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b), &c, err, sizeof err), API_ERR_PROTOCOL);
	b = cert_body("debt", "1534500", payload, sig);
	CHECK_INT(api_parse_acc_certificate(b, strlen(b) - 1, &c, err, sizeof err), API_ERR_PROTOCOL);
	CHECK(c.payload[0] == '\0');

	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
	unlink(pem);
	unlink(pem2);
	rmdir(dir);
}

int main(void)
{
	test_lookup();
	test_otp();
	test_products();
	test_statement();
	test_history();
	test_certificate();
	return check_done();
}
