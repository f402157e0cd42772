/* sim_account — the central simulator's account services (docs/account-services.md, routes in
 * docs/api/contract.md): the account and its security image and phrase, the one-time code
 * (OTP) and the bearer token a good code gives, products, statements, signed certificates,
 * payment history and registration; the two events contact.updated and
 * coupon.email_requested; the admin routes GET /admin/otp and GET /admin/account.
 *
 * Data: the accounts file (--accounts, docs/central-sim.md "Accounts") is loaded at start into
 * the simulator's SQLite database (tables sim_acct_*, under d->mu like everything there): a
 * customer already there keeps its runtime state (registration, image, phrase, contact
 * updates), its products are replaced by the file's. OTP sessions, tokens, the last code sent
 * and the certificate signing key (--cert-key, an Ed25519 PEM private key) live in memory in
 * struct sim_acct, under its own mutex, which is never held while taking d->mu.
 *
 * The phone and e-mail on file never leave the server unmasked ("*** *** 4567",
 * "m****@correo.com"); nothing here logs an id number, a code, a phrase or contact data. */
#ifndef RECAUDO_SIM_ACCOUNT_H
#define RECAUDO_SIM_ACCOUNT_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_db.h"
#include "sim_routes.h"

#define SIM_ACCT_REASON_MAX 200

struct sim_acct;

/* Creates the tables, loads accounts_file (NULL: none, every lookup is 404) and the signing key
 * cert_key_file (NULL: certificates are answered 503 no_signing_key). Returns 0 with *out
 * (free with sim_account_close), or -1 with err (no personal data in it). */
int sim_account_open(struct sim_acct **out, struct sim_db *d, const char *accounts_file,
		     const char *cert_key_file, char *err, size_t errn);
void sim_account_close(struct sim_acct *a);

/* The /v1 routes (all POST, JSON bodies), for sim_routes.c's table. */
void sim_post_account_lookup(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_otp_send(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_otp_verify(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_security(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_products(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_statement(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_certificate(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_history(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_post_account_register(struct sim *s, const struct sim_call *c, struct sim_reply *r);
/* GET /admin/otp (the last code sent, 404 if none) and GET /admin/account (counters). */
void sim_admin_otp(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_admin_account(struct sim *s, const struct sim_call *c, struct sim_reply *r);

/* Events (sim_events.c): 1 when type is contact.updated or coupon.email_requested. */
int sim_account_event_type(const char *type);
/* Checks the payload strictly and applies it inside the caller's events transaction (the
 * caller holds d->mu): a contact update replaces the contact on file and counts one for the
 * customer; an e-mail request counts one for its reference. Returns 0 applied, 1 rejected with
 * a reason (naming the field, quoting no value), -1 on a database failure. */
int sim_account_apply(struct sim_db *d, const struct sim_device *dev, const char *type,
		      const cJSON *payload, char reason[SIM_ACCT_REASON_MAX]);

/* Shared by sim_account*.c only. ------------------------------------------------------------ */
#include <openssl/evp.h>
#include <pthread.h>

/* the rules of docs/account-services.md */
#define OTP_VALID_S 300
#define OTP_RESEND_S 60
#define OTP_SENDS 3
#define OTP_TRIES 3
#define TOKEN_VALID_S 900
#define SESSIONS_MAX 256
#define TOKENS_MAX 256
#define IMAGES 16
#define MASKED_MAX 80

struct otp_session {
	char session[37]; /* "" = free slot */
	char idt[4], idn[24];
	char code[7];
	int64_t sent_at, expires, touched;
	int sends, wrong, locked, used;
};

struct token {
	char hex[65]; /* "" = free slot */
	char idt[4], idn[24];
	int64_t expires;
};

struct sim_acct {
	pthread_mutex_t mu;
	struct otp_session sess[SESSIONS_MAX];
	struct token tok[TOKENS_MAX];
	struct {
		int set;
		char code[7], channel[8], sent_to[MASKED_MAX];
		int64_t at;
	} last;
	uint64_t sends, verified, locked, wrong;
	uint32_t cert_no;
	EVP_PKEY *key;
};

/* A customer of the account services as the database has it now. */
struct sim_acct_cust {
	int account, image; /* image -1: none */
	char phrase[256], phone[16], email[256], address[256];
};
/* 1 found, 0 unknown customer, -1 database failure; _locked: the caller holds d->mu. */
int sim_acct_cust_get(struct sim_db *d, const char *idt, const char *idn, struct sim_acct_cust *c);
int sim_acct_cust_get_locked(struct sim_db *d, const char *idt, const char *idn, struct sim_acct_cust *c);
/* Runs sql (?1 id_type, ?2 id_number, ?3 image, ?4 text if not NULL) under d->mu. 0 or -1. */
int sim_acct_cust_update(struct sim_db *d, const char *sql, const char *idt, const char *idn, int image,
			 const char *text);
/* The validation of docs/account-services.md: a 10-digit mobile, an e-mail, a phrase, an address. */
int sim_acct_phone_ok(const char *s);
int sim_acct_email_ok(const char *s);
int sim_acct_phrase_ok(const char *s);
int sim_acct_address_ok(const char *s);

/* The body of a service call: parsed JSON object with a live token. On failure it has answered
 * (400 or 401 bad_token) and returns NULL. Otherwise the customer in idt/idn; cJSON_Delete. */
cJSON *sim_acct_begin(struct sim *s, const struct sim_call *c, struct sim_reply *r, char idt[4],
		      char idn[24]);
/* A string field or NULL after answering 400 naming it. */
const char *sim_acct_str(const cJSON *body, const char *key, size_t max, struct sim_reply *r);
/* Masks: "*** *** 4567" from 10 digits, "m****@domain" from an e-mail ("" when not one). */
void sim_acct_mask_phone(const char *phone, char *out, size_t n);
void sim_acct_mask_email(const char *email, char *out, size_t n);
/* The local calendar day (Colombia, UTC-5) of an epoch time as YYYYMMDD. */
int32_t sim_acct_day(int64_t epoch_s);
/* n random bytes from the kernel's CSPRNG. 0 or -1. */
int sim_acct_random(void *buf, size_t n);
/* The signing key, or NULL (EVP_PKEY *, owned by the state). */
void *sim_acct_key(struct sim *s);
/* Next certificate number (for the id). */
uint32_t sim_acct_next_cert(struct sim *s);
#endif
