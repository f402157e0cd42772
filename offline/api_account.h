/* api_account — the central API's account services for the kiosk's customer
 * (docs/account-services.md; routes in docs/api/contract.md): the account and its security
 * image and phrase, the one-time code, and, with the token a good code returns, products,
 * statements, certificates, payment history and registration. Same handle and rules as api.h:
 * blocking calls (never on the UI thread), strict parsers, plain structs back, nothing written
 * anywhere, no personal data in api_error. The server sends contact data only masked; a
 * masked value that does not look masked is a protocol error. */
#ifndef RECAUDO_API_ACCOUNT_H
#define RECAUDO_API_ACCOUNT_H
#include <stddef.h>
#include <stdint.h>
#include "account.h"
#include "api.h"
#include "idnum.h"

/* Extra statuses of these routes (besides api.h's API_OK, API_NOT_FOUND, API_ERR_*). */
enum api_account_status {
	API_ACC_NO_ACCOUNT = 10,   /* lookup: a customer without an account (register) */
	API_ACC_WRONG_CODE = 11,   /* verify: tries_left set */
	API_ACC_LOCKED = 12,       /* verify: three wrong codes */
	API_ACC_EXPIRED = 13,      /* verify: the code is older than 5 minutes */
	API_ACC_TOO_MANY = 14,     /* send: three codes this session */
	API_ACC_TOO_SOON = 15,     /* send: retry_in set */
	API_ACC_BAD_TOKEN = 16,    /* a service call whose token the server no longer takes */
	API_ACC_MISMATCH = 17,     /* register: the data do not match the credit's */
	API_ACC_REGISTERED = 18,   /* register: already has an account */
	API_ACC_BAD_SIGNATURE = 19,/* certificate: the signature or a field does not verify */
	API_ACC_REFUSED = 20,      /* security: the server refused the phrase */
};

#define API_ACC_TOKEN_MAX 129      /* NUL included */
#define API_ACC_SESSION_LEN 36     /* a UUIDv4 */
#define API_ACC_PRODUCTS_MAX 50
#define API_ACC_MOVES_MAX 500
#define API_ACC_PAYMENTS_MAX 500
#define API_ACC_TEXT_MAX 121       /* a product's line or description, a movement's text */

enum api_channel { API_CH_SMS, API_CH_EMAIL };

struct api_acc_lookup {
	int account;                        /* 0: none (API_ACC_NO_ACCOUNT) */
	int image;                          /* -1: none chosen */
	char phrase[ACCOUNT_PHRASE_MAX * 4 + 1]; /* "" none chosen */
	char sms[ACCOUNT_MASKED_MAX];       /* masked; "" no phone on file */
	char email[ACCOUNT_MASKED_MAX];     /* masked; "" no e-mail on file */
};
int api_acc_lookup(struct api *a, enum id_type t, const char *number, long timeout_ms, struct api_acc_lookup *out);

struct api_acc_sent {
	char sent_to[ACCOUNT_MASKED_MAX];
	int expires_in, resend_after, sends_left;
	int retry_in;                       /* API_ACC_TOO_SOON: seconds */
};
/* session: the kiosk's UUIDv4 for this customer's session (the server counts sends by it). */
int api_otp_send(struct api *a, enum id_type t, const char *number, const char *session, enum api_channel ch,
		 long timeout_ms, struct api_acc_sent *out);

struct api_acc_verified {
	char token[API_ACC_TOKEN_MAX];      /* wiped by the caller when the session ends */
	int expires_in;
	int tries_left;                     /* API_ACC_WRONG_CODE */
};
int api_otp_verify(struct api *a, enum id_type t, const char *number, const char *session, const char *code,
		   long timeout_ms, struct api_acc_verified *out);

/* The new image and phrase (validated with account_phrase_parse first). */
int api_acc_security(struct api *a, const char *token, int image, const char *phrase, long timeout_ms);

struct api_acc_product {
	char id[ACCOUNT_PRODUCT_MAX];
	char line[API_ACC_TEXT_MAX];
	char description[API_ACC_TEXT_MAX];
	char currency[4];
	int64_t balance;                    /* minor units */
};
struct api_acc_products {
	struct api_acc_product p[API_ACC_PRODUCTS_MAX];
	int n;
};
int api_acc_products(struct api *a, const char *token, long timeout_ms, struct api_acc_products *out);

struct api_acc_move {
	int32_t date;                       /* YYYYMMDD */
	char description[API_ACC_TEXT_MAX];
	int64_t amount;                     /* minor units; payments negative */
	int64_t balance;                    /* after it */
};
struct api_acc_statement {
	char product[ACCOUNT_PRODUCT_MAX];
	int32_t month;                      /* YYYYMM */
	char currency[4];
	int64_t opening, closing;
	struct api_acc_move *moves;         /* n, malloc'ed: free with api_acc_statement_free */
	int n;
	char sent_to[ACCOUNT_MASKED_MAX];   /* email: where it went */
};
/* month YYYYMM; email 1: the server e-mails it and only sent_to comes back. */
int api_acc_statement(struct api *a, const char *token, const char *product, int32_t month, int email,
		      long timeout_ms, struct api_acc_statement *out);
void api_acc_statement_free(struct api_acc_statement *s);

struct api_acc_certificate {
	struct account_cert_fields f;       /* the payload's fields, equal to the JSON's */
	char description[API_ACC_TEXT_MAX];
	char payload[ACCOUNT_CERT_PAYLOAD_MAX];
	char signature[96];                 /* base64 of 64 bytes */
};
/* Verifies before it returns API_OK: the Ed25519 signature of payload under pubkey_pem (the
 * file of [services] certificate_key), the payload's fields equal to the JSON's and to the
 * customer's (t, last 4 of number). Otherwise API_ACC_BAD_SIGNATURE and *out cleared. */
int api_acc_certificate(struct api *a, const char *token, const char *product, enum id_type t, const char *number,
			const char *pubkey_pem, long timeout_ms, struct api_acc_certificate *out);
/* The check alone (for tests and the fuzzer): 0 if sig (base64) verifies payload under the
 * PEM public key file, -1 with err otherwise. */
int api_acc_cert_verify(const char *pubkey_pem, const char *payload, const char *sig_b64, char *err, size_t errn);

enum api_pay_channel { API_PAY_KIOSK, API_PAY_BANK, API_PAY_ONLINE, API_PAY_AGENT };
struct api_acc_payment {
	int32_t date;                       /* YYYYMMDD */
	char product[ACCOUNT_PRODUCT_MAX];
	int64_t amount;
	char currency[4];
	enum api_pay_channel channel;
	char reference[32];
};
struct api_acc_history {
	struct api_acc_payment *p;          /* n, malloc'ed: free with api_acc_history_free */
	int n;
};
int api_acc_history(struct api *a, const char *token, long timeout_ms, struct api_acc_history *out);
void api_acc_history_free(struct api_acc_history *h);

/* phone: 10 digits; email: parsed by account_email_parse. API_OK: *out as a lookup's. */
int api_acc_register(struct api *a, enum id_type t, const char *number, const char *email, const char *phone,
		     long timeout_ms, struct api_acc_lookup *out);

/* The parsers, for tests and the fuzzer: a body (not NUL-terminated) and its HTTP status. */
int api_parse_acc_lookup(int status, const char *body, size_t len, struct api_acc_lookup *out, char *err, size_t errn);
int api_parse_acc_statement(const char *body, size_t len, struct api_acc_statement *out, char *err, size_t errn);
int api_parse_acc_history(const char *body, size_t len, struct api_acc_history *out, char *err, size_t errn);
int api_parse_acc_certificate(const char *body, size_t len, struct api_acc_certificate *out, char *err, size_t errn);
#endif
