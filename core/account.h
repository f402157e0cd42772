/* account — the rules of the customer's account services (docs/account-services.md), pure C:
 * a Colombian mobile number, an e-mail address, a postal address and a security phrase as a
 * customer types them; the masks every screen and paper shows; the one-time code's timing;
 * the certificate's signed payload. No I/O, no allocation. */
#ifndef RECAUDO_ACCOUNT_H
#define RECAUDO_ACCOUNT_H
#include <stddef.h>
#include <stdint.h>

#define ACCOUNT_PHONE_LEN 10        /* a mobile: 3XXXXXXXXX */
#define ACCOUNT_EMAIL_MAX 254       /* bytes, NUL not included */
#define ACCOUNT_ADDRESS_MIN 5       /* characters */
#define ACCOUNT_ADDRESS_MAX 120
#define ACCOUNT_PHRASE_MIN 4        /* characters */
#define ACCOUNT_PHRASE_MAX 60
#define ACCOUNT_MASKED_MAX 80       /* a masked phone or e-mail, NUL included */
#define ACCOUNT_OTP_LEN 6
#define ACCOUNT_OTP_VALID_S 300     /* a code is good for 5 minutes */
#define ACCOUNT_OTP_TRIES 3         /* wrong codes before the session ends */
#define ACCOUNT_OTP_RESEND_S 60     /* "Reenviar" after */
#define ACCOUNT_OTP_SENDS 3         /* codes sent per session */
#define ACCOUNT_IMAGES 16           /* security images in the kiosk's table */

/* Why a typed value is refused: one word per reason, for the screen's message. */
enum account_err {
	ACCOUNT_OK = 0,
	ACCOUNT_EMPTY,        /* nothing typed */
	ACCOUNT_BAD_CHARS,    /* a character the field does not take (an e-mail's ñ, a letter in a phone) */
	ACCOUNT_TOO_SHORT,
	ACCOUNT_TOO_LONG,
	ACCOUNT_NOT_MOBILE,   /* 10 digits but not a mobile (does not start with 3) */
	ACCOUNT_NO_AT,        /* an e-mail without "@" (or with two) */
	ACCOUNT_BAD_DOMAIN,   /* an e-mail whose domain is not name.tld */
	ACCOUNT_BAD_LOCAL,    /* an e-mail's part before "@": empty, dots misplaced */
};

/* A mobile as typed ("300 123 4567", "+57 3001234567", "300-123-4567"): on ACCOUNT_OK the
 * 10 digits in out (n >= 11). out is cleared on failure. */
enum account_err account_phone_parse(const char *typed, char *out, size_t n);
/* An e-mail as typed: leading/trailing spaces dropped, the domain lowercased; on ACCOUNT_OK
 * the address in out (n >= ACCOUNT_EMAIL_MAX + 1). out is cleared on failure. */
enum account_err account_email_parse(const char *typed, char *out, size_t n);
/* A postal address (UTF-8), spaces trimmed and runs of spaces made one, into out. */
enum account_err account_address_parse(const char *typed, char *out, size_t n);
/* A security phrase (UTF-8), trimmed, into out. */
enum account_err account_phrase_parse(const char *typed, char *out, size_t n);

/* "*** *** 4567" from a 10-digit mobile; "" if it is not one. */
void account_mask_phone(const char *phone, char *out, size_t n);
/* "m****@correo.com" from an e-mail; "" if it is not one. */
void account_mask_email(const char *email, char *out, size_t n);
/* 1 if s looks masked (a phone's or an e-mail's mask as above, from the server): the screen
 * shows nothing the server sent that would reveal the whole value. */
int account_masked_ok(const char *s);

/* A one-time code as typed: exactly 6 ASCII digits. */
int account_otp_ok(const char *code);

/* The one-time code's session rules, on the app's clock (ms). Pure: the activity keeps one. */
struct account_otp {
	int sends;            /* codes sent this session */
	int tries_left;       /* wrong codes left this session (a resend gives no new ones) */
	int64_t sent_ms;      /* when the last code was sent (0: none yet) */
	int64_t resend_after_ms; /* its "Reenviar" is offered from */
	int64_t expires_ms;   /* it stops being good at */
};
void account_otp_init(struct account_otp *o);
/* A code was sent now (resend_after_s, valid_s from the server's answer, <= 0: the defaults). */
void account_otp_sent(struct account_otp *o, int64_t now_ms, int resend_after_s, int valid_s);
/* 1 if "Reenviar" may be pressed now (60 s passed, fewer than 3 sends). */
int account_otp_can_resend(const struct account_otp *o, int64_t now_ms);
/* Seconds until "Reenviar" (0: now, or never again when the sends are used up). */
int account_otp_resend_in(const struct account_otp *o, int64_t now_ms);
int account_otp_expired(const struct account_otp *o, int64_t now_ms);
/* A wrong code: tries left this session, whatever code it was (0: the session ends). */
int account_otp_wrong(struct account_otp *o);

/* The certificate's signed text (docs/account-services.md "The certificate's signature"):
 * RCC1|K=D|I=…|P=…|C=COP|B=…|D=YYYYMMDD|T=CC|N=4567 */
#define ACCOUNT_CERT_PAYLOAD_MAX 256
#define ACCOUNT_CERT_ID_MAX 33      /* NUL included */
#define ACCOUNT_PRODUCT_MAX 33
struct account_cert_fields {
	char kind;                   /* 'D' debt, 'P' paid up */
	char id[ACCOUNT_CERT_ID_MAX];
	char product[ACCOUNT_PRODUCT_MAX];
	char currency[4];            /* "COP", "USD" */
	int64_t balance;             /* minor units, >= 0 */
	int32_t issued;              /* YYYYMMDD */
	char id_type[4];             /* "CC", "NIT", … */
	char id_last4[5];
};
/* Parses the payload strictly (field order, the characters each field takes): 0, or -1 with
 * the reason in err (no personal data in it). */
int account_cert_parse(const char *payload, struct account_cert_fields *out, char *err, size_t errn);
/* Writes the payload of f into out: its length, or -1 if it does not fit or a field is bad. */
int account_cert_format(const struct account_cert_fields *f, char *out, size_t n);
#endif
