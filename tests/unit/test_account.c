/* test_account — core/account.c: the mobile, the e-mail, the address and the phrase as a
 * customer types them, the masks, the one-time code's timing, the certificate's payload. */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "check.h"

static void test_phone(void)
{
	char out[16];

	CHECK_INT(account_phone_parse("300 123 4567", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "3001234567");
	CHECK_INT(account_phone_parse("+57 3001234567", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "3001234567");
	CHECK_INT(account_phone_parse("573151234567", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "3151234567");
	CHECK_INT(account_phone_parse("300-123-4567", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "3001234567");
	CHECK_INT(account_phone_parse("  3001234567  ", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "3001234567");
	CHECK_INT(account_phone_parse("2001234567", out, sizeof out), ACCOUNT_NOT_MOBILE);
	CHECK_STR(out, "");
	CHECK_INT(account_phone_parse("6011234567", out, sizeof out), ACCOUNT_NOT_MOBILE);
	CHECK_INT(account_phone_parse("+1 3001234567", out, sizeof out), ACCOUNT_NOT_MOBILE);
	CHECK_INT(account_phone_parse("300 123 45a7", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_STR(out, "");
	CHECK_INT(account_phone_parse("tres cero cero", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_phone_parse("300.123.4567", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_phone_parse("300 123 456", out, sizeof out), ACCOUNT_TOO_SHORT);
	CHECK_INT(account_phone_parse("300 123 45678", out, sizeof out), ACCOUNT_TOO_LONG);
	CHECK_INT(account_phone_parse("", out, sizeof out), ACCOUNT_EMPTY);
	CHECK_INT(account_phone_parse("   ", out, sizeof out), ACCOUNT_EMPTY);
	CHECK_INT(account_phone_parse("3001234567", out, 10), ACCOUNT_EMPTY); /* no room: refused */
}

static void test_email(void)
{
	char out[ACCOUNT_EMAIL_MAX + 1], big[300];

	CHECK_INT(account_email_parse("maria@correo.com", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "maria@correo.com");
	CHECK_INT(account_email_parse("MARIA@Correo.COM", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "MARIA@correo.com");
	CHECK_INT(account_email_parse("  ana.p+x@sub.dominio.com.co ", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "ana.p+x@sub.dominio.com.co");
	CHECK_INT(account_email_parse("a@b", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_STR(out, "");
	CHECK_INT(account_email_parse("a@b.c", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_INT(account_email_parse("a@b.c0", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_INT(account_email_parse("a@-b.co", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_INT(account_email_parse("a@b..co", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_INT(account_email_parse("a@b_c.co", out, sizeof out), ACCOUNT_BAD_DOMAIN);
	CHECK_INT(account_email_parse("a..b@c.co", out, sizeof out), ACCOUNT_BAD_LOCAL);
	CHECK_INT(account_email_parse(".ab@c.co", out, sizeof out), ACCOUNT_BAD_LOCAL);
	CHECK_INT(account_email_parse("ab.@c.co", out, sizeof out), ACCOUNT_BAD_LOCAL);
	CHECK_INT(account_email_parse("@c.co", out, sizeof out), ACCOUNT_BAD_LOCAL);
	CHECK_INT(account_email_parse("ñ@x.co", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_email_parse("jose@añil.co", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_email_parse("ma ria@x.co", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_email_parse("ma(ria@x.co", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_email_parse("maria.correo.com", out, sizeof out), ACCOUNT_NO_AT);
	CHECK_INT(account_email_parse("a@b@c.co", out, sizeof out), ACCOUNT_NO_AT);
	CHECK_INT(account_email_parse("", out, sizeof out), ACCOUNT_EMPTY);
	CHECK_INT(account_email_parse("  ", out, sizeof out), ACCOUNT_EMPTY);
	/* 65-byte local part */
	memset(big, 'a', 65);
	memcpy(big + 65, "@x.co", 6);
	CHECK_INT(account_email_parse(big, out, sizeof out), ACCOUNT_BAD_LOCAL);
	/* 254 bytes: fits; 255: too long */
	memset(big, 0, sizeof big);
	memset(big, 'a', 60);
	big[60] = '@';
	for (int i = 61; i < 254 - 3; i++)
		big[i] = (i - 61) % 60 == 59 ? '.' : 'b';
	memcpy(big + 251, ".co", 4);
	CHECK_INT((int)strlen(big), 254);
	CHECK_INT(account_email_parse(big, out, sizeof out), ACCOUNT_OK);
	CHECK_INT((int)strlen(out), 254);
	big[250] = 'b';
	memcpy(big + 251, "b.co", 5);
	CHECK_INT((int)strlen(big), 255);
	CHECK_INT(account_email_parse(big, out, sizeof out), ACCOUNT_TOO_LONG);
	CHECK_STR(out, "");
}

static void test_address_phrase(void)
{
	char out[ACCOUNT_ADDRESS_MAX * 2 + 1], big[400];

	CHECK_INT(account_address_parse("  Calle 12 # 34-56,  apto 201 ", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "Calle 12 # 34-56, apto 201");
	CHECK_INT(account_address_parse("Cra. 7 N° 45/10 Ñuñoa", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "Cra. 7 N° 45/10 Ñuñoa");
	CHECK_INT(account_address_parse("Cl 1", out, sizeof out), ACCOUNT_TOO_SHORT);
	CHECK_INT(account_address_parse("Calle 1 @ casa", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_address_parse("Calle 1\tcasa", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_address_parse("", out, sizeof out), ACCOUNT_EMPTY);
	memset(big, 'a', 121);
	big[121] = '\0';
	CHECK_INT(account_address_parse(big, out, sizeof out), ACCOUNT_TOO_LONG);
	big[120] = '\0';
	CHECK_INT(account_address_parse(big, out, sizeof out), ACCOUNT_OK);
	/* 120 characters of two bytes each fit the buffer */
	for (int i = 0; i < 120; i++)
		memcpy(big + 2 * i, "ñ", 3);
	CHECK_INT(account_address_parse(big, out, sizeof out), ACCOUNT_OK);

	CHECK_INT(account_phrase_parse("  ¡Mi perro Ñandú, 7 años! ", out, sizeof out), ACCOUNT_OK);
	CHECK_STR(out, "¡Mi perro Ñandú, 7 años!");
	CHECK_INT(account_phrase_parse("¿Qué tal? sí: no; -ok.", out, sizeof out), ACCOUNT_OK);
	CHECK_INT(account_phrase_parse("ñañ", out, sizeof out), ACCOUNT_TOO_SHORT);
	CHECK_STR(out, "");
	CHECK_INT(account_phrase_parse("ñaña", out, sizeof out), ACCOUNT_OK);
	CHECK_INT(account_phrase_parse("hola <b>", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_phrase_parse("hola # 1", out, sizeof out), ACCOUNT_BAD_CHARS);
	CHECK_INT(account_phrase_parse("caf\xc3", out, sizeof out), ACCOUNT_BAD_CHARS); /* broken UTF-8 */
	CHECK_INT(account_phrase_parse("€uro", out, sizeof out), ACCOUNT_BAD_CHARS);
	for (int i = 0; i < 60; i++)
		memcpy(big + 2 * i, "é", 3);
	CHECK_INT(account_phrase_parse(big, out, sizeof out), ACCOUNT_OK);
	memcpy(big + 120, "e", 2);
	CHECK_INT(account_phrase_parse(big, out, sizeof out), ACCOUNT_TOO_LONG);
	CHECK_INT(account_phrase_parse("   ", out, sizeof out), ACCOUNT_EMPTY);
}

static void test_masks(void)
{
	char out[ACCOUNT_MASKED_MAX];

	account_mask_phone("3001234567", out, sizeof out);
	CHECK_STR(out, "*** *** 4567");
	account_mask_phone("2001234567", out, sizeof out);
	CHECK_STR(out, "");
	account_mask_phone("300123456", out, sizeof out);
	CHECK_STR(out, "");
	account_mask_email("maria@correo.com", out, sizeof out);
	CHECK_STR(out, "m****@correo.com");
	account_mask_email("x@sub.dominio.co", out, sizeof out);
	CHECK_STR(out, "x****@sub.dominio.co");
	account_mask_email("maria@correo", out, sizeof out);
	CHECK_STR(out, "");
	account_mask_email("maria@correo.com", out, 8);
	CHECK_STR(out, "");

	CHECK(account_masked_ok("*** *** 4567"));
	CHECK(account_masked_ok("m****@correo.com"));
	CHECK(account_masked_ok("7****@x.co"));
	CHECK(!account_masked_ok("3001234567"));
	CHECK(!account_masked_ok("300 123 4567"));
	CHECK(!account_masked_ok("*** 123 4567"));
	CHECK(!account_masked_ok("*** *** 45678"));
	CHECK(!account_masked_ok("maria@correo.com"));
	CHECK(!account_masked_ok("ma****@correo.com"));
	CHECK(!account_masked_ok("m***@correo.com"));
	CHECK(!account_masked_ok("*****@correo.com"));
	CHECK(!account_masked_ok("m****@correo"));
	CHECK(!account_masked_ok(""));
	CHECK(!account_masked_ok(NULL));
}

static void test_otp(void)
{
	struct account_otp o;
	const int64_t t0 = 1000000;

	CHECK(account_otp_ok("123456"));
	CHECK(!account_otp_ok("12345"));
	CHECK(!account_otp_ok("1234567"));
	CHECK(!account_otp_ok("12345a"));
	CHECK(!account_otp_ok(NULL));

	account_otp_init(&o);
	CHECK_INT(o.sends, 0);
	CHECK_INT(o.tries_left, ACCOUNT_OTP_TRIES);
	CHECK(account_otp_expired(&o, t0));
	account_otp_sent(&o, t0, 0, 0);
	CHECK(!account_otp_can_resend(&o, t0 + 59000));
	CHECK_INT(account_otp_resend_in(&o, t0 + 59000), 1);
	CHECK_INT(account_otp_resend_in(&o, t0 + 1), 60);
	CHECK(account_otp_can_resend(&o, t0 + 60000));
	CHECK_INT(account_otp_resend_in(&o, t0 + 60000), 0);
	CHECK(!account_otp_expired(&o, t0 + 299999));
	CHECK(account_otp_expired(&o, t0 + 300000));
	/* a wrong code, then another code: the tries are the session's, not given back */
	CHECK_INT(account_otp_wrong(&o), 2);
	/* the server may make the wait longer and the code's life shorter, never the reverse */
	account_otp_sent(&o, t0 + 60000, 30, 120);
	CHECK_INT(o.tries_left, 2);
	CHECK_INT(o.sends, 2);
	CHECK(!account_otp_can_resend(&o, t0 + 119999));
	CHECK(account_otp_can_resend(&o, t0 + 120000));
	CHECK(account_otp_expired(&o, t0 + 180000));
	struct account_otp o2;
	account_otp_init(&o2);
	account_otp_sent(&o2, t0, 90, 86400);
	CHECK(!account_otp_can_resend(&o2, t0 + 89999));
	CHECK(account_otp_can_resend(&o2, t0 + 90000));
	CHECK(account_otp_expired(&o2, t0 + 300000));
	account_otp_sent(&o, t0 + 200000, 0, 0);
	CHECK_INT(o.sends, 3);
	/* three sends: never again */
	CHECK(!account_otp_can_resend(&o, t0 + 10000000));
	CHECK_INT(account_otp_resend_in(&o, t0 + 200001), 0);
	CHECK_INT(account_otp_wrong(&o), 1);
	CHECK_INT(account_otp_wrong(&o), 0);
	CHECK_INT(account_otp_wrong(&o), 0);
}

static void test_cert(void)
{
	struct account_cert_fields f, g;
	char out[ACCOUNT_CERT_PAYLOAD_MAX], err[128];
	const char *good = "RCC1|K=D|I=CERT-2026-000123|P=AUTO-88231|C=COP|B=1534500|D=20261122|T=CC|N=4567";
	static const char *bad[] = {
		"RCC2|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567",
		"RCC1|K=X|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567",
		"RCC1|K=D|P=P1|I=X1|C=COP|B=1|D=20261122|T=CC|N=4567",      /* order */
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC",             /* N missing */
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567|",     /* trailing */
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567|S=ab", /* extra field */
		"RCC1|K=D|I=X 1|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=cop|B=1|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=-1|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=01|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=0|D=20261122|T=CC|N=4567",      /* D with zero balance */
		"RCC1|K=P|I=X1|P=P1|C=COP|B=5|D=20261122|T=CC|N=4567",      /* P with a balance */
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261131|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=2026112|T=CC|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=XX|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=cc|N=4567",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=45678",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1|D=20261122|T=CC|N=45-7",
		"RCC1|K=D|I=X1|P=P1|C=COP|B=1234567890123456789|D=20261122|T=CC|N=4567",
		"RCC1|K=D|I=123456789012345678901234567890123|P=P1|C=COP|B=1|D=20261122|T=CC|N=4567",
		"",
	};

	CHECK_INT(account_cert_parse(good, &f, err, sizeof err), 0);
	CHECK_INT(f.kind, 'D');
	CHECK_STR(f.id, "CERT-2026-000123");
	CHECK_STR(f.product, "AUTO-88231");
	CHECK_STR(f.currency, "COP");
	CHECK_INT(f.balance, 1534500);
	CHECK_INT(f.issued, 20261122);
	CHECK_STR(f.id_type, "CC");
	CHECK_STR(f.id_last4, "4567");
	CHECK_INT(account_cert_format(&f, out, sizeof out), (int)strlen(good));
	CHECK_STR(out, good);
	CHECK_INT(account_cert_format(&f, out, 20), -1);
	CHECK_STR(out, "");

	memset(&g, 0, sizeof g);
	g.kind = 'P';
	snprintf(g.id, sizeof g.id, "%s", "PYS-9");
	snprintf(g.product, sizeof g.product, "%s", "CRED-1");
	snprintf(g.currency, sizeof g.currency, "%s", "USD");
	g.balance = 0;
	g.issued = 20240229;
	snprintf(g.id_type, sizeof g.id_type, "%s", "PA");
	snprintf(g.id_last4, sizeof g.id_last4, "%s", "AB12");
	CHECK(account_cert_format(&g, out, sizeof out) > 0);
	CHECK_STR(out, "RCC1|K=P|I=PYS-9|P=CRED-1|C=USD|B=0|D=20240229|T=PA|N=AB12");
	CHECK_INT(account_cert_parse(out, &f, err, sizeof err), 0);
	CHECK(memcmp(&f, &g, sizeof f) == 0);
	g.issued = 20230229;
	CHECK_INT(account_cert_format(&g, out, sizeof out), -1);
	g.issued = 20240229;
	g.balance = 7;
	CHECK_INT(account_cert_format(&g, out, sizeof out), -1);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		f.kind = 'D';
		if (account_cert_parse(bad[i], &f, err, sizeof err) != -1)
			fprintf(stderr, "accepted bad payload %zu\n", i);
		CHECK_INT(account_cert_parse(bad[i], &f, err, sizeof err), -1);
		CHECK_INT(f.kind, 0);
		CHECK(strncmp(err, "certificate payload: ", 21) == 0);
	}
	CHECK_INT(account_cert_parse(NULL, &f, err, sizeof err), -1);
}

int main(void)
{
	test_phone();
	test_email();
	test_address_phrase();
	test_masks();
	test_otp();
	test_cert();
	return check_done();
}
