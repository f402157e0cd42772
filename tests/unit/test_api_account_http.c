/* test_api_account_http — the account services' routes (offline/api_account.c) against a tiny
 * HTTP server on 127.0.0.1 in this process: the exact JSON each sends and that it is signed,
 * every refusal of the design note mapped to its status (and a refusal it does not list left
 * to the transport's mapping), bad arguments refused before anything is sent, and the
 * certificate end to end (signed here, refused for another key or another customer). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api_account.h"
#include "check.h"
#include "sign.h"

#define SECRET "0123456789abcdef0123456789abcdef"
#define SESSION "0b6f1d2e-4c1a-4f3e-9a7b-1c2d3e4f5a6b"
#define TOKEN "tok.ABC-123_x"

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	int lfd, port, requests;
	int status;
	char body[8192];           /* the answer */
	char method[8], path[256], req[4096], ts[32], rid[48], sig[80];
} srv = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void header_value(const char *head, const char *name, char *out, size_t n)
{
	size_t k = strlen(name);

	out[0] = '\0';
	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, k) == 0 && p[2 + k] == ':') {
			const char *v = p + 3 + k;

			v += strspn(v, " ");
			snprintf(out, n, "%.*s", (int)strcspn(v, "\r\n"), v);
			return;
		}
}

/* One request per connection, answered and closed. */
static void *server(void *arg)
{
	static char buf[16384];

	(void)arg;
	for (;;) {
		int fd = accept(srv.lfd, NULL, NULL);
		size_t got = 0, need;
		char *end = NULL, clen[32], head[256];
		int n;

		if (fd < 0)
			return NULL;
		buf[0] = '\0';
		while (!(end = strstr(buf, "\r\n\r\n"))) {
			ssize_t r = recv(fd, buf + got, sizeof buf - got - 1, 0);

			if (r <= 0)
				break;
			got += (size_t)r;
			buf[got] = '\0';
		}
		if (!end) {
			close(fd);
			continue;
		}
		*end = '\0';
		header_value(buf, "Content-Length", clen, sizeof clen);
		need = (size_t)(end + 4 - buf) + (size_t)strtoul(clen, NULL, 10);
		while (got < need && got < sizeof buf - 1) {
			ssize_t r = recv(fd, buf + got, sizeof buf - got - 1, 0);

			if (r <= 0)
				break;
			got += (size_t)r;
		}
		pthread_mutex_lock(&srv.mu);
		srv.requests++;
		sscanf(buf, "%7s %255s", srv.method, srv.path);
		header_value(buf, "X-Timestamp", srv.ts, sizeof srv.ts);
		header_value(buf, "X-Request-Id", srv.rid, sizeof srv.rid);
		header_value(buf, "X-Signature", srv.sig, sizeof srv.sig);
		snprintf(srv.req, sizeof srv.req, "%.*s", (int)(need - (size_t)(end + 4 - buf)), end + 4);
		n = snprintf(head, sizeof head,
			     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			     "Connection: close\r\n\r\n",
			     srv.status, strlen(srv.body));
		send(fd, head, (size_t)n, MSG_NOSIGNAL);
		send(fd, srv.body, strlen(srv.body), MSG_NOSIGNAL);
		pthread_mutex_unlock(&srv.mu);
		close(fd);
	}
}

static int server_start(void)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.lfd < 0 || bind(srv.lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(srv.lfd, 4) != 0 ||
	    getsockname(srv.lfd, (struct sockaddr *)&a, &al) != 0)
		return -1;
	srv.port = ntohs(a.sin_port);
	return pthread_create(&srv.thread, NULL, server, NULL) == 0 ? 0 : -1;
}

static void server_stop(void)
{
	shutdown(srv.lfd, SHUT_RDWR);
	close(srv.lfd);
	pthread_join(srv.thread, NULL);
}

static void answer(int status, const char *body)
{
	pthread_mutex_lock(&srv.mu);
	srv.status = status;
	snprintf(srv.body, sizeof srv.body, "%s", body);
	srv.req[0] = '\0';
	srv.path[0] = '\0';
	pthread_mutex_unlock(&srv.mu);
}

static int requests(void)
{
	int n;

	pthread_mutex_lock(&srv.mu);
	n = srv.requests;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

/* The last request: POST to path with exactly body, signed right. */
static int sent(const char *path, const char *body)
{
	int ok;

	pthread_mutex_lock(&srv.mu);
	ok = strcmp(srv.method, "POST") == 0 && strcmp(srv.path, path) == 0 && strcmp(srv.req, body) == 0 &&
	     sign_verify((const uint8_t *)SECRET, 32, "POST", srv.path, strtoll(srv.ts, NULL, 10), srv.rid,
			 (int64_t)time(NULL), srv.req, strlen(srv.req), srv.sig) == 0;
	if (!ok)
		fprintf(stderr, "sent: %s %s %s\n", srv.method, srv.path, srv.req);
	pthread_mutex_unlock(&srv.mu);
	return ok;
}

static struct api *open_api(void)
{
	struct api_config c;
	char err[256];
	struct api *a;

	memset(&c, 0, sizeof c);
	snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1:%d", srv.port);
	snprintf(c.device_id, sizeof c.device_id, "K0001");
	memcpy(c.secret, SECRET, 32);
	c.connect_timeout_ms = 1000;
	c.timeout_ms = 2000;
	a = api_open(&c, err, sizeof err);
	if (!a)
		fprintf(stderr, "api_open: %s\n", err);
	return a;
}

static void test_lookup_otp(struct api *a)
{
	struct api_acc_lookup l;
	struct api_acc_sent s;
	struct api_acc_verified v;
	int before;

	answer(200, "{\"account\":true,\"image\":3,\"phrase\":\"hola mundo\","
		    "\"channels\":{\"sms\":\"*** *** 4567\",\"email\":null}}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_OK);
	CHECK(sent("/v1/account/lookup", "{\"id_type\":\"CC\",\"id_number\":\"1020304050\"}"));
	CHECK_INT(l.image, 3);
	CHECK_STR(l.sms, "*** *** 4567");
	answer(404, "{\"error\":\"not_found\"}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_NOT_FOUND);
	answer(200, "{\"account\":false}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_ACC_NO_ACCOUNT);
	/* the server's unmasked phone: a protocol error, and its reason does not quote it */
	answer(200, "{\"account\":true,\"image\":null,\"phrase\":null,\"channels\":{\"sms\":\"3001234567\",\"email\":null}}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_ERR_PROTOCOL);
	CHECK(strstr(api_error(a), "3001234567") == NULL && strstr(api_error(a), "1020304050") == NULL);
	CHECK_STR(l.sms, "");
	/* refusals the route does not read stay the transport's */
	answer(503, "{\"error\":\"unavailable\"}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_ERR_SERVER);
	answer(401, "{\"error\":\"bad_signature\"}");
	CHECK_INT(api_acc_lookup(a, ID_CC, "1020304050", 3000, &l), API_ERR_AUTH);
	/* bad arguments: nothing sent */
	before = requests();
	CHECK_INT(api_acc_lookup(a, ID_CC, "12ab", 3000, &l), API_ERR_PROTOCOL);
	CHECK_INT(api_otp_send(a, ID_CC, "1020304050", "not-a-uuid", API_CH_SMS, 3000, &s), API_ERR_PROTOCOL);
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "12345", 3000, &v), API_ERR_PROTOCOL);
	CHECK_INT(api_acc_security(a, TOKEN, 2, "a\"b\\c", 3000), API_ERR_PROTOCOL);
	CHECK_INT(api_acc_security(a, "tok\"en", 2, "hola mundo", 3000), API_ERR_PROTOCOL);
	CHECK_INT(requests(), before);

	answer(200, "{\"sent_to\":\"m****@correo.com\",\"expires_in\":300,\"resend_after\":60,\"sends_left\":2}");
	CHECK_INT(api_otp_send(a, ID_CC, "1020304050", SESSION, API_CH_EMAIL, 3000, &s), API_OK);
	CHECK(sent("/v1/otp/send", "{\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"session\":\"" SESSION
				   "\",\"channel\":\"email\"}"));
	CHECK_STR(s.sent_to, "m****@correo.com");
	answer(429, "{\"error\":\"too_many_sends\"}");
	CHECK_INT(api_otp_send(a, ID_CC, "1020304050", SESSION, API_CH_SMS, 3000, &s), API_ACC_TOO_MANY);
	answer(409, "{\"error\":\"too_soon\",\"retry_in\":17}");
	CHECK_INT(api_otp_send(a, ID_CC, "1020304050", SESSION, API_CH_SMS, 3000, &s), API_ACC_TOO_SOON);
	CHECK_INT(s.retry_in, 17);

	answer(200, "{\"token\":\"" TOKEN "\",\"expires_in\":900}");
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "123456", 3000, &v), API_OK);
	CHECK(sent("/v1/otp/verify", "{\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"session\":\"" SESSION
				     "\",\"code\":\"123456\"}"));
	CHECK_STR(v.token, TOKEN);
	answer(403, "{\"error\":\"wrong_code\",\"tries_left\":1}");
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "654321", 3000, &v), API_ACC_WRONG_CODE);
	CHECK_INT(v.tries_left, 1);
	CHECK_STR(v.token, "");
	answer(403, "{\"error\":\"locked\"}");
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "654321", 3000, &v), API_ACC_LOCKED);
	answer(403, "{\"error\":\"expired\"}");
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "654321", 3000, &v), API_ACC_EXPIRED);
	answer(403, "{\"error\":\"invalid_credentials\"}");
	CHECK_INT(api_otp_verify(a, ID_CC, "1020304050", SESSION, "654321", 3000, &v), API_DENIED);
}

static void test_services(struct api *a)
{
	struct api_acc_products *p = malloc(sizeof *p);
	struct api_acc_statement st;
	struct api_acc_history h;
	struct api_acc_lookup l;

	answer(200, "{\"ok\":true}");
	CHECK_INT(api_acc_security(a, TOKEN, 5, "¡Mi perro Ñandú!", 3000), API_OK);
	CHECK(sent("/v1/account/security", "{\"token\":\"" TOKEN "\",\"image\":5,\"phrase\":\"¡Mi perro Ñandú!\"}"));
	answer(400, "{\"error\":\"bad_phrase\"}");
	CHECK_INT(api_acc_security(a, TOKEN, 5, "hola mundo", 3000), API_ACC_REFUSED);
	answer(401, "{\"error\":\"bad_token\"}");
	CHECK_INT(api_acc_security(a, TOKEN, 5, "hola mundo", 3000), API_ACC_BAD_TOKEN);

	answer(200, "{\"products\":[{\"id\":\"AUTO-1\",\"line\":\"Vehículo\",\"description\":\"Mazda\",\"currency\":\"COP\","
		    "\"balance\":100}]}");
	CHECK_INT(api_acc_products(a, TOKEN, 3000, p), API_OK);
	CHECK(sent("/v1/account/products", "{\"token\":\"" TOKEN "\"}"));
	CHECK_INT(p->n, 1);
	answer(401, "{\"error\":\"bad_token\"}");
	CHECK_INT(api_acc_products(a, TOKEN, 3000, p), API_ACC_BAD_TOKEN);
	CHECK_INT(p->n, 0);
	free(p);

	answer(200, "{\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"currency\":\"COP\",\"opening\":2,\"closing\":1,"
		    "\"movements\":[{\"date\":\"2026-10-05\",\"description\":\"Pago\",\"amount\":-1,\"balance\":1}]}");
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202610, 0, 3000, &st), API_OK);
	CHECK(sent("/v1/account/statement",
		   "{\"token\":\"" TOKEN "\",\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"email\":false}"));
	CHECK_INT(st.n, 1);
	api_acc_statement_free(&st);
	/* an answer for another month than asked */
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202609, 0, 3000, &st), API_ERR_PROTOCOL);
	CHECK(st.moves == NULL);
	answer(200, "{\"sent_to\":\"m****@correo.com\"}");
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202610, 1, 3000, &st), API_OK);
	CHECK_STR(st.sent_to, "m****@correo.com");
	CHECK(sent("/v1/account/statement",
		   "{\"token\":\"" TOKEN "\",\"product\":\"AUTO-1\",\"month\":\"2026-10\",\"email\":true}"));
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202610, 0, 3000, &st), API_ERR_PROTOCOL);
	answer(404, "{\"error\":\"not_found\"}");
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202610, 0, 3000, &st), API_NOT_FOUND);
	CHECK_INT(api_acc_statement(a, TOKEN, "AUTO-1", 202613, 0, 3000, &st), API_ERR_PROTOCOL);

	answer(200, "{\"payments\":[{\"date\":\"2026-10-05\",\"product\":\"AUTO-1\",\"amount\":850000,\"currency\":\"COP\","
		    "\"channel\":\"agent\",\"reference\":\"R-1\"}]}");
	CHECK_INT(api_acc_history(a, TOKEN, 3000, &h), API_OK);
	CHECK(sent("/v1/account/history", "{\"token\":\"" TOKEN "\"}"));
	CHECK_INT(h.n, 1);
	CHECK_INT(h.p[0].channel, API_PAY_AGENT);
	api_acc_history_free(&h);

	answer(200, "{\"account\":true,\"channels\":{\"sms\":\"*** *** 4567\",\"email\":\"m****@correo.com\"}}");
	CHECK_INT(api_acc_register(a, ID_CC, "1020304050", "maria@correo.com", "3001234567", 3000, &l), API_OK);
	CHECK(sent("/v1/account/register", "{\"id_type\":\"CC\",\"id_number\":\"1020304050\",\"email\":\"maria@correo.com\","
					   "\"phone\":\"3001234567\"}"));
	answer(409, "{\"error\":\"mismatch\"}");
	CHECK_INT(api_acc_register(a, ID_CC, "1020304050", "maria@correo.com", "3001234567", 3000, &l), API_ACC_MISMATCH);
	answer(409, "{\"error\":\"already_registered\"}");
	CHECK_INT(api_acc_register(a, ID_CC, "1020304050", "maria@correo.com", "3001234567", 3000, &l),
		  API_ACC_REGISTERED);
	/* typed forms are the caller's to parse first */
	CHECK_INT(api_acc_register(a, ID_CC, "1020304050", "maria@correo.com", "300 123 4567", 3000, &l),
		  API_ERR_PROTOCOL);
}

static void keyfile(EVP_PKEY **k, const char *path)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	FILE *f;

	*k = NULL;
	CHECK(c && EVP_PKEY_keygen_init(c) == 1 && EVP_PKEY_keygen(c, k) == 1);
	EVP_PKEY_CTX_free(c);
	f = fopen(path, "w");
	CHECK(f && PEM_write_PUBKEY(f, *k) == 1);
	if (f)
		fclose(f);
}

static void cert_answer(EVP_PKEY *k, const char *payload, int64_t balance, const char *kind)
{
	unsigned char sig[64];
	char b64[96], body[1024];
	size_t n = sizeof sig;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	CHECK(EVP_DigestSignInit(c, NULL, NULL, NULL, k) == 1 &&
	      EVP_DigestSign(c, sig, &n, (const unsigned char *)payload, strlen(payload)) == 1);
	EVP_MD_CTX_free(c);
	EVP_EncodeBlock((unsigned char *)b64, sig, 64);
	snprintf(body, sizeof body,
		 "{\"kind\":\"%s\",\"certificate_id\":\"CERT-9\",\"product\":\"AUTO-1\",\"description\":\"Mazda\","
		 "\"currency\":\"COP\",\"balance\":%lld,\"issued\":\"2026-11-22\",\"payload\":\"%s\",\"signature\":\"%s\"}",
		 kind, (long long)balance, payload, b64);
	answer(200, body);
}

static void test_certificate(struct api *a)
{
	char dir[] = "/tmp/test_api_account_http.XXXXXX", pem[128], pem2[128];
	const char *payload = "RCC1|K=D|I=CERT-9|P=AUTO-1|C=COP|B=1534500|D=20261122|T=CC|N=4050";
	struct api_acc_certificate c;
	EVP_PKEY *k, *k2;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(pem, sizeof pem, "%s/issuer.pem", dir);
	snprintf(pem2, sizeof pem2, "%s/other.pem", dir);
	keyfile(&k, pem);
	keyfile(&k2, pem2);

	cert_answer(k, payload, 1534500, "debt");
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304050", pem, 3000, &c), API_OK);
	CHECK(sent("/v1/account/certificate", "{\"token\":\"" TOKEN "\",\"product\":\"AUTO-1\"}"));
	CHECK_STR(c.payload, payload);
	CHECK_INT(c.f.balance, 1534500);
	/* another issuer key */
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304050", pem2, 3000, &c), API_ACC_BAD_SIGNATURE);
	CHECK(c.payload[0] == '\0' && c.f.kind == 0);
	/* another customer (type, last 4) or product than asked */
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CE, "1020304050", pem, 3000, &c), API_ACC_BAD_SIGNATURE);
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304051", pem, 3000, &c), API_ACC_BAD_SIGNATURE);
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-2", ID_CC, "1020304050", pem, 3000, &c), API_ACC_BAD_SIGNATURE);
	CHECK(strstr(api_error(a), "1020304050") == NULL);
	/* the JSON says one balance, the signed payload another */
	cert_answer(k, payload, 1534501, "debt");
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304050", pem, 3000, &c), API_ACC_BAD_SIGNATURE);
	/* a paid-up product */
	cert_answer(k, "RCC1|K=P|I=CERT-9|P=AUTO-1|C=COP|B=0|D=20261122|T=CC|N=4050", 0, "paid_up");
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304050", pem, 3000, &c), API_OK);
	CHECK_INT(c.f.kind, 'P');
	answer(401, "{\"error\":\"bad_token\"}");
	CHECK_INT(api_acc_certificate(a, TOKEN, "AUTO-1", ID_CC, "1020304050", pem, 3000, &c), API_ACC_BAD_TOKEN);

	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
	unlink(pem);
	unlink(pem2);
	rmdir(dir);
}

int main(void)
{
	struct api *a;

	if (server_start() != 0) {
		perror("server");
		return 1;
	}
	a = open_api();
	CHECK(a != NULL);
	if (a) {
		test_lookup_otp(a);
		test_services(a);
		test_certificate(a);
		api_close(a);
	}
	server_stop();
	return check_done();
}
