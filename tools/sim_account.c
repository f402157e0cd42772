/* The central simulator's account services: data, the one-time code, tokens, lookup,
 * registration, security image and phrase, products, the events and the admin routes (see
 * sim_account.h). Statements, certificates and history are in sim_account_svc.c. */
#include "sim_account.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "coupon.h"
#include "idnum.h"
#include "json_field.h"
#include "sim_events.h"
#include "sim_json.h"
#include "sim_server.h"

#define FILE_MAX (4 * 1024 * 1024) /* an accounts file */

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sim_acct_customers("
	"  id_type TEXT NOT NULL, id_number TEXT NOT NULL,"
	"  account INTEGER NOT NULL, image INTEGER, phrase TEXT,"
	"  phone TEXT, email TEXT, address TEXT,"
	"  contact_updates INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(id_type, id_number)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS sim_acct_products("
	"  id_type TEXT NOT NULL, id_number TEXT NOT NULL, idx INTEGER NOT NULL,"
	"  product TEXT NOT NULL, line TEXT NOT NULL, description TEXT NOT NULL,"
	"  currency TEXT NOT NULL, balance INTEGER NOT NULL, instalment INTEGER NOT NULL,"
	"  PRIMARY KEY(id_type, id_number, product)) WITHOUT ROWID;"
	/* one row per reference: how many coupon.email_requested events (distinct keys) named it */
	"CREATE TABLE IF NOT EXISTS sim_acct_coupon_emails("
	"  reference TEXT PRIMARY KEY NOT NULL, kiosk_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
	"  lang TEXT NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID;";

int sim_acct_random(void *buf, size_t n)
{
	return getrandom(buf, n, 0) == (ssize_t)n ? 0 : -1;
}

void *sim_acct_key(struct sim *s)
{
	return s->acct ? s->acct->key : NULL;
}

uint32_t sim_acct_next_cert(struct sim *s)
{
	uint32_t n;

	pthread_mutex_lock(&s->acct->mu);
	n = ++s->acct->cert_no;
	pthread_mutex_unlock(&s->acct->mu);
	return n;
}

int32_t sim_acct_day(int64_t epoch_s)
{
	time_t t = (time_t)(epoch_s - 5 * 3600);
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return 19700101;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void sim_acct_mask_phone(const char *phone, char *out, size_t n)
{
	if (!phone || strlen(phone) != 10 || strspn(phone, "0123456789") != 10)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "*** *** %s", phone + 6);
}

void sim_acct_mask_email(const char *email, char *out, size_t n)
{
	const char *at = email ? strchr(email, '@') : NULL;

	if (!at || at == email || !at[1])
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%c****%s", email[0], at);
}

/* ---- validation (docs/account-services.md "Validation") ---------------------------------- */

int sim_acct_phone_ok(const char *s)
{
	return s && strlen(s) == 10 && strspn(s, "0123456789") == 10 && s[0] == '3';
}

static int label_ok(const char *s, size_t n)
{
	if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int sim_acct_email_ok(const char *s)
{
	static const char local_extra[] = ".!#$%&'*+/=?^_`{|}~-";
	const char *at = s ? strchr(s, '@') : NULL, *p, *dot;
	size_t local;
	int labels = 0, last_alpha = 0;

	if (!at || strchr(at + 1, '@') || strlen(s) > 254)
		return 0;
	local = (size_t)(at - s);
	if (local < 1 || local > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      (*p && strchr(local_extra, *p))) ||
		    (p[0] == '.' && p[1] == '.'))
			return 0;
	for (p = at + 1;; p = dot + 1) {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (!label_ok(p, n))
			return 0;
		labels++;
		last_alpha = n >= 2;
		for (size_t i = 0; i < n; i++)
			last_alpha = last_alpha && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'));
		if (!dot)
			break;
	}
	return labels >= 2 && last_alpha;
}

/* UTF-8 text of min..max characters: ASCII letters, digits, space, the bytes of `extra`, and
 * the Latin-1 letters Spanish needs (accents, ñ, ü) plus the Latin-1 signs in `extra1`. */
static int text_ok(const char *s, int min, int max, const char *extra, const char *extra1)
{
	static const unsigned char letters[] = {0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xD1, 0xDC,
						0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xF1, 0xFC, 0};
	int chars = 0;

	if (!s || s[0] == ' ')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; chars++) {
		unsigned cp;

		if (*p < 0x80) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == ' ' || strchr(extra, *p)))
				return 0;
			p++;
			continue;
		}
		if ((p[0] != 0xC2 && p[0] != 0xC3) || (p[1] & 0xC0) != 0x80)
			return 0;
		cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
		if (!strchr((const char *)letters, (int)cp) && !strchr(extra1, (int)cp))
			return 0;
		p += 2;
	}
	return chars >= min && chars <= max && s[strlen(s) - 1] != ' ';
}

int sim_acct_phrase_ok(const char *s)
{
	return text_ok(s, 4, 60, ".,;:!?-", "\xA1\xBF"); /* ¡ ¿ */
}

int sim_acct_address_ok(const char *s)
{
	return text_ok(s, 5, 120, "#-.,/", "\xB0"); /* ° */
}

/* ---- data -------------------------------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* 1 found, 0 unknown customer, -1 database failure. The caller holds d->mu. */
int sim_acct_cust_get_locked(struct sim_db *d, const char *idt, const char *idn, struct sim_acct_cust *c)
{
	sqlite3_stmt *st = sim_db_prepare(d, "SELECT account, image, phrase, phone, email, address"
					     " FROM sim_acct_customers WHERE id_type = ?1 AND id_number = ?2");
	int rc = -1, step;

	memset(c, 0, sizeof *c);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		c->account = sqlite3_column_int(st, 0);
		c->image = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
		col_text(st, 2, c->phrase, sizeof c->phrase);
		col_text(st, 3, c->phone, sizeof c->phone);
		col_text(st, 4, c->email, sizeof c->email);
		col_text(st, 5, c->address, sizeof c->address);
		rc = 1;
	} else if (step == SQLITE_DONE) {
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int sim_acct_cust_get(struct sim_db *d, const char *idt, const char *idn, struct sim_acct_cust *c)
{
	int rc;

	pthread_mutex_lock(&d->mu);
	rc = sim_acct_cust_get_locked(d, idt, idn, c);
	pthread_mutex_unlock(&d->mu);
	return rc;
}

/* Runs one UPDATE with text/int/NULL parameters under d->mu. 0 or -1. */
int sim_acct_cust_update(struct sim_db *d, const char *sql, const char *idt, const char *idn, int image,
		       const char *text)
{
	sqlite3_stmt *st;
	int rc = -1;

	pthread_mutex_lock(&d->mu);
	st = sim_db_prepare(d, sql);
	if (st) {
		sqlite3_bind_text(st, 1, idt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, idn, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, image);
		if (text)
			sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->mu);
	return rc;
}

/* "<where>field: message", no value quoted */
static int load_fail(char *err, size_t errn, int i, const char *msg)
{
	snprintf(err, errn, "accounts file: customers[%d].%s", i, msg);
	return -1;
}

static int load_product(sqlite3_stmt *st, const cJSON *p, int ci, int k, char *err, size_t errn)
{
	struct jf j = {NULL, err, errn, -1};
	char where[80];
	const char *id, *line, *desc, *cur;
	int64_t bal, inst;

	snprintf(where, sizeof where, "accounts file: customers[%d].products[%d].", ci, k);
	if (!cJSON_IsObject(p))
		return load_fail(err, errn, ci, "products: each must be an object");
	if (jf_string(&j, p, where, "id", &id) < 0 || jf_string(&j, p, where, "line", &line) < 0 ||
	    jf_string(&j, p, where, "description", &desc) < 0 ||
	    jf_string(&j, p, where, "currency", &cur) < 0 ||
	    jf_int(&j, p, where, "balance", 0, SIM_JSON_INT_MAX, &bal) < 0 ||
	    jf_int(&j, p, where, "instalment", 1, SIM_JSON_INT_MAX, &inst) < 0)
		return -1;
	if (!*id || strlen(id) > 32 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(id))
		return load_fail(err, errn, ci, "products[].id: 1..32 of A-Z, 0-9 and '-'");
	if (!*line || strlen(line) > 120 || !*desc || strlen(desc) > 120)
		return load_fail(err, errn, ci, "products[]: line and description are 1..120 bytes");
	if (strcmp(cur, "COP") != 0 && strcmp(cur, "USD") != 0)
		return load_fail(err, errn, ci, "products[].currency: must be COP or USD");
	sqlite3_reset(st);
	sqlite3_bind_int(st, 3, k);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, line, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, desc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, cur, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, bal);
	sqlite3_bind_int64(st, 9, inst);
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, errn, "accounts file: customers[%d]: a product id repeats, or database failure", ci);
		return -1;
	}
	return 0;
}

static int load_customer(sqlite3_stmt *cs, sqlite3_stmt *del, sqlite3_stmt *ps, const cJSON *c, int i,
			 char *err, size_t errn)
{
	struct jf j = {NULL, err, errn, -1};
	char where[64];
	const char *idt, *idn, *phone, *email, *phrase = NULL;
	const cJSON *products, *img, *p;
	enum id_type t;
	int account, k = 0;
	int64_t image = -1;

	snprintf(where, sizeof where, "accounts file: customers[%d].", i);
	if (!cJSON_IsObject(c))
		return load_fail(err, errn, i, "must be an object");
	if (jf_string(&j, c, where, "id_type", &idt) < 0 || jf_string(&j, c, where, "id_number", &idn) < 0 ||
	    jf_bool(&j, c, where, "account", &account) < 0 || jf_string(&j, c, where, "phone", &phone) < 0 ||
	    jf_string(&j, c, where, "email", &email) < 0 || jf_array(&j, c, where, "products", &products) < 0)
		return -1;
	if (id_type_parse(idt, &t) < 0 || strlen(idn) > 23 || id_validate(t, idn, -1) != ID_OK)
		return load_fail(err, errn, i, "id_type, id_number: not a valid document");
	if (!sim_acct_phone_ok(phone) || !sim_acct_email_ok(email))
		return load_fail(err, errn, i, "phone, email: a 10-digit mobile and an e-mail address");
	img = jf_get(c, "image");
	if (img && !cJSON_IsNull(img) && jf_int(&j, c, where, "image", 0, IMAGES - 1, &image) < 0)
		return -1;
	p = jf_get(c, "phrase");
	if (p && !cJSON_IsNull(p) && (!cJSON_IsString(p) || !sim_acct_phrase_ok(p->valuestring)))
		return load_fail(err, errn, i, "phrase: 4..60 letters, digits, spaces and .,;:!?-");
	phrase = cJSON_IsString(p) ? p->valuestring : NULL;
	if ((image >= 0) != (phrase != NULL) || (!account && phrase))
		return load_fail(err, errn, i, "image, phrase: both or neither, and only with an account");
	if (cJSON_GetArraySize(products) > 50)
		return load_fail(err, errn, i, "products: at most 50");
	sqlite3_reset(cs);
	sqlite3_bind_text(cs, 1, idt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cs, 2, idn, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(cs, 3, account);
	if (image >= 0)
		sqlite3_bind_int64(cs, 4, image);
	else
		sqlite3_bind_null(cs, 4);
	if (phrase)
		sqlite3_bind_text(cs, 5, phrase, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(cs, 5);
	sqlite3_bind_text(cs, 6, phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cs, 7, email, -1, SQLITE_TRANSIENT);
	sqlite3_reset(del);
	sqlite3_bind_text(del, 1, idt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(del, 2, idn, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(cs) != SQLITE_DONE || sqlite3_step(del) != SQLITE_DONE)
		return load_fail(err, errn, i, "id: database failure");
	sqlite3_bind_text(ps, 1, idt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ps, 2, idn, -1, SQLITE_TRANSIENT);
	cJSON_ArrayForEach(p, products)
	{
		if (load_product(ps, p, i, k++, err, errn) < 0)
			return -1;
	}
	return 0;
}

static char *read_file(const char *path, char *err, size_t errn)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(FILE_MAX + 1) : NULL;
	size_t n = 0;

	if (buf)
		n = fread(buf, 1, FILE_MAX + 1, f);
	if (!buf || n == 0 || n > FILE_MAX || ferror(f)) {
		snprintf(err, errn, "--accounts: cannot read the file (missing, empty or over 4 MiB)");
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
	}
	if (f)
		fclose(f);
	return buf;
}

/* Loads the file in the caller's transaction (d->mu held). 0 or -1 with err. */
static int load_accounts(struct sim_db *d, const char *path, char *err, size_t errn)
{
	char *text = read_file(path, err, errn);
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *list = jf_get(doc, "customers"), *c;
	sqlite3_stmt *cs = NULL, *del = NULL, *ps = NULL;
	int rc = -1, i = 0;

	free(text);
	if (!doc || !cJSON_IsArray(list) ||
	    strcmp(cJSON_GetStringValue(jf_get(doc, "format")) ? cJSON_GetStringValue(jf_get(doc, "format")) : "",
		   "recaudo-accounts-1") != 0) {
		if (doc || !*err)
			snprintf(err, errn, "--accounts: not an accounts file (JSON with \"format\":"
					    "\"recaudo-accounts-1\" and \"customers\":[…])");
		goto out;
	}
	/* a customer already there keeps its runtime state; its products are the file's */
	cs = sim_db_prepare(d, "INSERT INTO sim_acct_customers(id_type, id_number, account, image, phrase,"
			       " phone, email) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			       " ON CONFLICT(id_type, id_number) DO NOTHING");
	del = sim_db_prepare(d, "DELETE FROM sim_acct_products WHERE id_type = ?1 AND id_number = ?2");
	ps = sim_db_prepare(d, "INSERT INTO sim_acct_products(id_type, id_number, idx, product, line,"
			       " description, currency, balance, instalment)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!cs || !del || !ps) {
		snprintf(err, errn, "--accounts: database failure");
		goto out;
	}
	cJSON_ArrayForEach(c, list)
	{
		if (load_customer(cs, del, ps, c, i++, err, errn) < 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(cs);
	sqlite3_finalize(del);
	sqlite3_finalize(ps);
	cJSON_Delete(doc);
	return rc;
}

static int load_key(struct sim_acct *a, const char *path, char *err, size_t errn)
{
	FILE *f = fopen(path, "r");

	if (f) {
		a->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (!a->key || EVP_PKEY_id(a->key) != EVP_PKEY_ED25519) {
		snprintf(err, errn, "--cert-key: not a readable Ed25519 private key in PEM");
		return -1;
	}
	return 0;
}

int sim_account_open(struct sim_acct **out, struct sim_db *d, const char *accounts_file,
		     const char *cert_key_file, char *err, size_t errn)
{
	struct sim_acct *a = calloc(1, sizeof *a);
	int rc;

	*out = NULL;
	if (!a) {
		snprintf(err, errn, "out of memory");
		return -1;
	}
	pthread_mutex_init(&a->mu, NULL);
	if (cert_key_file && load_key(a, cert_key_file, err, errn) < 0) {
		sim_account_close(a);
		return -1;
	}
	err[0] = '\0';
	pthread_mutex_lock(&d->mu);
	rc = sim_db_exec(d, "BEGIN IMMEDIATE");
	if (rc == 0 && (sim_db_exec(d, schema) < 0 ||
			(accounts_file && load_accounts(d, accounts_file, err, errn) < 0) ||
			sim_db_exec(d, "COMMIT") < 0)) {
		sim_db_exec(d, "ROLLBACK");
		rc = -1;
	}
	pthread_mutex_unlock(&d->mu);
	if (rc < 0) {
		if (!err[0])
			snprintf(err, errn, "the account tables: database failure");
		sim_account_close(a);
		return -1;
	}
	*out = a;
	return 0;
}

void sim_account_close(struct sim_acct *a)
{
	if (!a)
		return;
	EVP_PKEY_free(a->key);
	pthread_mutex_destroy(&a->mu);
	explicit_bzero(a, sizeof *a);
	free(a);
}
