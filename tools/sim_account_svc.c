/* The account services behind the token: statements, signed certificates and the payment
 * history (see sim_account.h). Movements and bank payments are generated from the product
 * (balance, monthly instalment) and the month, so every run and every test sees the same ones:
 * a product's balance k months ago (k = 0 is this month) is balance + k x instalment; a paid-up
 * product (balance 0) was paid off last month. Each month with a debt has two movements on its
 * first day: interest (1 % of the opening) and the payment of instalment + interest. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_field.h"
#include "sim_account.h"
#include "sim_faults.h"
#include "sim_json.h"
#include "sim_server.h"

#define MONTHS 12
#define PAYMENTS_MAX 500

struct product {
	char id[33], line[121], description[121], currency[4];
	int64_t balance, instalment;
};

static void reply_internal(struct sim_reply *r)
{
	sim_reply_error(r, 500, "internal", NULL);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* The customer's products (at most max) in file order, or the one named `only`. Returns how
 * many, or -1 on a database failure. Takes d->mu. */
static int products_get(struct sim_db *d, const char *idt, const char *idn, const char *only, struct product *p,
			int max)
{
	sqlite3_stmt *st;
	int n = 0, step = SQLITE_ERROR;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT product, line, description, currency, balance, instalment"
			       " FROM sim_acct_products WHERE id_type = ?1 AND id_number = ?2"
			       " AND (?3 IS NULL OR product = ?3) ORDER BY idx");
	if (st) {
		sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
		if (only)
			sqlite3_bind_text(st, 3, only, -1, SQLITE_STATIC);
		while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
			copy_col(st, 0, p[n].id, sizeof p[n].id);
			copy_col(st, 1, p[n].line, sizeof p[n].line);
			copy_col(st, 2, p[n].description, sizeof p[n].description);
			copy_col(st, 3, p[n].currency, sizeof p[n].currency);
			p[n].balance = sqlite3_column_int64(st, 4);
			p[n].instalment = sqlite3_column_int64(st, 5);
			n++;
		}
		if (n == max)
			step = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return step == SQLITE_DONE ? n : -1;
}

/* The balance at the end of the month k months ago. */
static int64_t closing(const struct product *p, int k)
{
	if (p->balance > 0)
		return p->balance + (int64_t)k * p->instalment;
	return k >= 2 ? (int64_t)(k - 1) * p->instalment : 0;
}

/* YYYYMM of the month k months before month ym (YYYYMM). */
static int32_t month_back(int32_t ym, int k)
{
	int m = (ym / 100) * 12 + (ym % 100 - 1) - k;

	return (m / 12) * 100 + m % 12 + 1;
}

/* "YYYY-MM" -> months back from the current month (0..11), or -1. */
static int month_k(const char *text, int32_t current_ym)
{
	int y, m;

	if (strlen(text) != 7 || text[4] != '-' || strspn(text, "0123456789-") != 7 ||
	    sscanf(text, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return -1;
	for (int k = 0; k < MONTHS; k++)
		if (month_back(current_ym, k) == y * 100 + m)
			return k;
	return -1;
}

static int add_move(cJSON *list, int32_t day, const char *what, int64_t amount, int64_t balance)
{
	cJSON *o = sim_json_push_object(list);

	return o && jf_add_date(o, "date", day) == 0 && cJSON_AddStringToObject(o, "description", what) &&
			       jf_add_int(o, "amount", amount) == 0 && jf_add_int(o, "balance", balance) == 0
		       ? 0
		       : -1;
}

static cJSON *statement_json(const struct product *p, const char *month, int k, int32_t ym)
{
	cJSON *j = cJSON_CreateObject(), *moves;
	int64_t open = closing(p, k + 1), close = closing(p, k), interest = open / 100;
	int32_t day = ym * 100 + 1;
	int ok;

	ok = j && cJSON_AddStringToObject(j, "product", p->id) && cJSON_AddStringToObject(j, "month", month) &&
	     cJSON_AddStringToObject(j, "currency", p->currency) && jf_add_int(j, "opening", open) == 0 &&
	     jf_add_int(j, "closing", close) == 0 && (moves = cJSON_AddArrayToObject(j, "movements")) != NULL;
	if (ok && open > 0)
		ok = add_move(moves, day, "Intereses corrientes", interest, open + interest) == 0 &&
		     add_move(moves, day, "Pago cuota", -(open - close + interest), close) == 0;
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

void sim_post_account_statement(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	char idt[4], idn[24], msg[80];
	cJSON *body = sim_acct_begin(s, c, r, idt, idn), *j;
	struct jf jv = {NULL, msg, sizeof msg, -1};
	const char *pid, *month;
	struct product p;
	int32_t ym = sim_acct_day(c->now) / 100;
	int email = 0, k, n;

	if (!body)
		return;
	if (!(pid = sim_acct_str(body, "product", 32, r)) || !(month = sim_acct_str(body, "month", 7, r)))
		goto out;
	if (jf_get(body, "email") && jf_bool(&jv, body, "", "email", &email) < 0) {
		sim_reply_error(r, 400, "bad_request", msg);
		goto out;
	}
	n = products_get(s->db, idt, idn, pid, &p, 1);
	k = month_k(month, ym);
	if (n < 0) {
		reply_internal(r);
	} else if (n == 0 || k < 0) {
		sim_reply_error(r, 404, "not_found", NULL);
	} else if (email) {
		struct sim_acct_cust cu;
		char to[MASKED_MAX] = "";

		if (sim_acct_cust_get(s->db, idt, idn, &cu) == 1)
			sim_acct_mask_email(cu.email, to, sizeof to);
		explicit_bzero(&cu, sizeof cu);
		j = cJSON_CreateObject();
		if (!to[0]) {
			cJSON_Delete(j);
			sim_reply_error(r, 409, "no_channel", NULL);
		} else if (!j || !cJSON_AddStringToObject(j, "sent_to", to)) {
			cJSON_Delete(j);
			reply_internal(r);
		} else {
			sim_reply_json(r, 200, j);
		}
	} else {
		sim_reply_json(r, 200, statement_json(&p, month, k, month_back(ym, k)));
	}
out:
	cJSON_Delete(body);
}

/* base64 of the Ed25519 signature of payload; the cert_bad_signature fault flips a bit of it
 * (still valid base64, no longer a valid signature). 0 or -1. */
static int sign_payload(struct sim *s, const char *payload, char b64[89])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[64];
	size_t n = sizeof sig;
	int ok;

	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, (EVP_PKEY *)sim_acct_key(s)) == 1 &&
	     EVP_DigestSign(ctx, sig, &n, (const unsigned char *)payload, strlen(payload)) == 1 && n == 64;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	if (sim_faults_roll(&s->faults, SIM_FAULT_CERT_SIG))
		sig[17] ^= 0x01;
	return EVP_EncodeBlock((unsigned char *)b64, sig, 64) == 88 ? 0 : -1;
}

static cJSON *certificate_json(struct sim *s, const struct product *p, const char *idt, const char *idn,
			       int64_t now)
{
	char id[33], payload[256], sig[89];
	const char *last4 = strlen(idn) > 4 ? idn + strlen(idn) - 4 : idn;
	int32_t day = sim_acct_day(now);
	int64_t balance = p->balance;
	cJSON *j;

	snprintf(id, sizeof id, "RCC-%08d-%06u", (int)day, (unsigned)(sim_acct_next_cert(s) % 1000000u));
	if (snprintf(payload, sizeof payload, "RCC1|K=%c|I=%s|P=%s|C=%s|B=%lld|D=%08d|T=%s|N=%s",
		     p->balance == 0 ? 'P' : 'D', id, p->id, p->currency, (long long)p->balance, (int)day, idt,
		     last4) >= (int)sizeof payload ||
	    sign_payload(s, payload, sig) < 0)
		return NULL;
	/* cert_bad_field: the answer's balance no longer matches the signed payload */
	if (sim_faults_roll(&s->faults, SIM_FAULT_CERT_FIELD))
		balance += 100;
	j = cJSON_CreateObject();
	if (j && cJSON_AddStringToObject(j, "kind", p->balance == 0 ? "paid_up" : "debt") &&
	    cJSON_AddStringToObject(j, "certificate_id", id) && cJSON_AddStringToObject(j, "product", p->id) &&
	    cJSON_AddStringToObject(j, "description", p->description) &&
	    cJSON_AddStringToObject(j, "currency", p->currency) && jf_add_int(j, "balance", balance) == 0 &&
	    jf_add_date(j, "issued", day) == 0 && cJSON_AddStringToObject(j, "payload", payload) &&
	    cJSON_AddStringToObject(j, "signature", sig))
		return j;
	cJSON_Delete(j);
	return NULL;
}

void sim_post_account_certificate(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	char idt[4], idn[24];
	cJSON *body = sim_acct_begin(s, c, r, idt, idn), *j;
	const char *pid;
	struct product p;
	int n;

	if (!body)
		return;
	if (!(pid = sim_acct_str(body, "product", 32, r)))
		goto out;
	n = products_get(s->db, idt, idn, pid, &p, 1);
	if (n < 0) {
		reply_internal(r);
	} else if (n == 0) {
		sim_reply_error(r, 404, "not_found", NULL);
	} else if (!sim_acct_key(s)) {
		sim_reply_error(r, 503, "no_signing_key", NULL);
	} else if (!(j = certificate_json(s, &p, idt, idn, c->now))) {
		reply_internal(r);
	} else {
		sim_reply_json(r, 200, j);
	}
out:
	cJSON_Delete(body);
}

struct payment {
	int32_t day;
	char product[33], currency[4], reference[32];
	const char *channel;
	int64_t amount;
};

static int payment_newer(const void *a, const void *b)
{
	const struct payment *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? 1 : -1;
	return strcmp(x->reference, y->reference);
}

/* The kiosk coupons announced by coupon.issued events for the customer since day `from`. */
static int kiosk_payments(struct sim_db *d, const char *idt, const char *idn, int32_t from, struct payment *out,
			  int max)
{
	sqlite3_stmt *st;
	int n = 0, step = SQLITE_ERROR;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, "SELECT at, json_extract(payload, '$.reference'),"
			       " json_extract(payload, '$.amount_minor'), json_extract(payload, '$.lines[0].doc')"
			       " FROM sim_events WHERE type = 'coupon.issued'"
			       " AND json_extract(payload, '$.id_type') = ?1"
			       " AND json_extract(payload, '$.id_number') = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
		while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
			struct payment *p = &out[n];

			p->day = sim_acct_day(sqlite3_column_int64(st, 0));
			if (p->day < from)
				continue;
			copy_col(st, 1, p->reference, sizeof p->reference);
			p->amount = sqlite3_column_int64(st, 2);
			copy_col(st, 3, p->product, sizeof p->product);
			snprintf(p->currency, sizeof p->currency, "COP");
			p->channel = "kiosk";
			n++;
		}
		if (n == max)
			step = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return step == SQLITE_DONE ? n : -1;
}

static int add_payment(cJSON *list, const struct payment *p)
{
	cJSON *o = sim_json_push_object(list);

	return o && jf_add_date(o, "date", p->day) == 0 && cJSON_AddStringToObject(o, "product", p->product) &&
			       jf_add_int(o, "amount", p->amount) == 0 &&
			       cJSON_AddStringToObject(o, "currency", p->currency) &&
			       cJSON_AddStringToObject(o, "channel", p->channel) &&
			       cJSON_AddStringToObject(o, "reference", p->reference)
		       ? 0
		       : -1;
}

void sim_post_account_history(struct sim *s, const struct sim_call *c, struct sim_reply *r)
{
	static const char *const channels[] = {"bank", "online", "agent"};
	char idt[4], idn[24];
	cJSON *body = sim_acct_begin(s, c, r, idt, idn), *j = NULL, *list;
	struct product prods[50];
	struct payment *pay = NULL;
	int32_t ym = sim_acct_day(c->now) / 100, from = month_back(ym, MONTHS - 1) * 100 + 1;
	int np, n = 0, nk;

	if (!body)
		return;
	cJSON_Delete(body);
	np = products_get(s->db, idt, idn, NULL, prods, 50);
	pay = calloc(PAYMENTS_MAX, sizeof *pay);
	nk = np < 0 || !pay ? -1 : kiosk_payments(s->db, idt, idn, from, pay, PAYMENTS_MAX);
	if (nk < 0)
		goto fail;
	n = nk;
	for (int i = 0; i < np; i++)
		for (int k = 0; k < MONTHS && n < PAYMENTS_MAX; k++) {
			const struct product *p = &prods[i];
			int64_t open = closing(p, k + 1), close = closing(p, k);
			int32_t m = month_back(ym, k);

			if (open <= 0)
				continue;
			pay[n].day = m * 100 + 1;
			memcpy(pay[n].product, p->id, sizeof pay[n].product);
			snprintf(pay[n].currency, sizeof pay[n].currency, "%s", p->currency);
			snprintf(pay[n].reference, sizeof pay[n].reference, "B%06d-%.20s", (int)(m % 1000000), p->id);
			pay[n].channel = channels[k % 3];
			pay[n].amount = open - close + open / 100;
			n++;
		}
	qsort(pay, (size_t)n, sizeof *pay, payment_newer);
	j = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(j, "payments");
	if (!list)
		goto fail;
	for (int i = 0; i < n; i++)
		if (add_payment(list, &pay[i]) < 0)
			goto fail;
	free(pay);
	sim_reply_json(r, 200, j);
	return;
fail:
	free(pay);
	cJSON_Delete(j);
	reply_internal(r);
}
