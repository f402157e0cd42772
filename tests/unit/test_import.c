/* test_import — the portfolio file importer: the demo file, and bad files that must each be
 * refused with a clear message while leaving the store exactly as it was. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tmpdir.h"
#include "money_limits.h"
#include "store.h"

#define DEMO "assets/demo/portfolio.json"
#define DEMO_CUSTOMERS 37
#define DEMO_DOCUMENTS 159
#define DEMO_AS_OF 1795302000 /* 2026-11-21T18:00:00-05:00 */

static char tmpdir[64];

static void remove_tmpdir(void) { tmpdir_remove(tmpdir); }

static void tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* Writes text with every ' turned into ", so JSON reads cleanly in C strings. */
static void write_json(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return;
	for (const char *p = text; *p; p++)
		fputc(*p == '\'' ? '"' : *p, f);
	fclose(f);
}

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static struct store *open_store(const char *name)
{
	struct store *s = NULL;
	char err[256], p[128];

	tmp_path(p, sizeof p, name);
	if (store_open(&s, p, err, sizeof err) != 0)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static void test_demo(struct store *s)
{
	struct store_status st;
	struct portfolio p;
	struct trm t;
	char err[512];
	int overdue = 0, partial = 0, whole = 0, cop = 0, usd = 0;

	CHECK_INT(store_import_file(s, DEMO, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, DEMO_CUSTOMERS);
	CHECK_INT(st.documents, DEMO_DOCUMENTS);
	CHECK_INT(st.data_as_of, DEMO_AS_OF);

	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_STR(p.name, "María Fernanda Núñez Ospina");
	CHECK_INT(p.ndocs, 3);
	CHECK_INT(p.data_as_of, DEMO_AS_OF);
	for (int i = 0; i < p.ndocs; i++) {
		const struct document *d = &p.docs[i];

		CHECK_INT(d->cur, CUR_COP);
		overdue += d->due < 20261122;
		if (d->partial_ok) {
			partial++;
			CHECK_INT(d->min_partial, 5000000);
		} else {
			whole++;
		}
		if (i > 0)
			CHECK(p.docs[i - 1].due <= d->due);
	}
	CHECK_INT(overdue, 1);
	CHECK_INT(partial, 1);
	CHECK(whole >= 1);
	portfolio_free(&p);

	/* The file gives "900123456-8"; the store keeps the base. */
	CHECK_INT(store_lookup(s, ID_NIT, "900123456", &p), 0);
	CHECK_STR(p.name, "Transportes Andinos S.A.S.");
	for (int i = 0; i < p.ndocs; i++) {
		cop += p.docs[i].cur == CUR_COP;
		usd += p.docs[i].cur == CUR_USD;
	}
	CHECK(cop > 0);
	CHECK(usd > 0);
	portfolio_free(&p);
	CHECK_INT(store_lookup(s, ID_NIT, "900123456-8", &p), 1);

	CHECK_INT(store_lookup(s, ID_CC, "52123456", &p), 0);
	CHECK_INT(p.ndocs, 0);
	portfolio_free(&p);

	CHECK_INT(store_lookup(s, ID_CE, "456789", &p), 0);
	CHECK_INT(p.ndocs, 45);
	for (int i = 1; i < p.ndocs; i++)
		CHECK(p.docs[i - 1].due < p.docs[i].due ||
		      (p.docs[i - 1].due == p.docs[i].due &&
		       strcmp(p.docs[i - 1].number, p.docs[i].number) < 0));
	portfolio_free(&p);

	CHECK_INT(store_trm_for_date(s, 20261122, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 401235);
	CHECK_INT(t.valid_to, 20271231);
	CHECK_INT(store_trm_for_date(s, 20261115, &t), 0);
	CHECK_INT(t.cop_minor_per_usd, 398710);
	CHECK_INT(store_trm_for_date(s, 20261101, &t), 1);
	CHECK_INT(store_trm_for_date(s, 20280101, &t), 1);
}

/* One customer, one document; the document's JSON is given (with ' for "). */
#define ONE_DOC(doc)                                                                   \
	"{'format':'recaudo-portfolio/1','as_of':'2026-11-22T08:00:00-05:00',"         \
	"'customers':[{'id_type':'CC','id_number':'1020304050','name':'María Núñez',"  \
	"'documents':[" doc "]}]}"
#define GOOD_DOC                                                                       \
	"'number':'N-1','line':'Seguro de vida','description':'Cuota','currency':'COP',"   \
	"'due':'2026-12-01','invoice':100000,'balance':100000"
#define GOOD_DOC_INVOICE_MAX                                                           \
	"'number':'N-1','line':'Seguro de vida','description':'Cuota','currency':'COP',"   \
	"'due':'2026-12-01','invoice':1000000000000000,'balance':100000"

struct bad_case {
	const char *name;
	const char *json;  /* NULL: the truncated demo file */
	const char *want;  /* a substring of the message */
};

static const struct bad_case bad_cases[] = {
	{ "truncated", NULL, "not valid JSON (line " },
	{ "empty", "", "not valid JSON" },
	{ "trailing", "{'format':'recaudo-portfolio/1'} x", "not valid JSON" },
	{ "array", "[1,2]", "top level must be a JSON object" },
	{ "format", "{'format':'recaudo-portfolio/2','as_of':1795302000,'customers':[]}",
	  "format: must be \"recaudo-portfolio/1\"" },
	{ "noformat", "{'as_of':1795302000,'customers':[]}", "format: must be" },
	{ "as_of", "{'format':'recaudo-portfolio/1','as_of':'2026-11-21 18:00','customers':[]}",
	  "as_of: must be an ISO 8601 time" },
	{ "as_of_nooffset",
	  "{'format':'recaudo-portfolio/1','as_of':'2026-11-21T18:00:00','customers':[]}",
	  "as_of: must be" },
	{ "nocustomers", "{'format':'recaudo-portfolio/1','as_of':1795302000}", "customers: missing" },
	{ "nit_dv",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':[{'id_type':'NIT',"
	  "'id_number':'900123456-7','name':'Transportes Andinos S.A.S.','documents':[]}]}",
	  "customers[0].id_number: the NIT check digit does not match" },
	{ "id_chars",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':[{'id_type':'CC',"
	  "'id_number':'10203O4050','name':'X','documents':[]}]}",
	  "customers[0].id_number: has characters not allowed for CC" },
	{ "id_type",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':[{'id_type':'RUT',"
	  "'id_number':'1020304050','name':'X','documents':[]}]}",
	  "customers[0].id_type: must be one of" },
	{ "negative", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			      "'currency':'COP','due':'2026-12-01','invoice':100000,'balance':-5}"),
	  "customers[0].documents[0].balance: must not be negative" },
	{ "float", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			   "'currency':'COP','due':'2026-12-01','invoice':1500.5,'balance':1000}"),
	  "customers[0].documents[0].invoice: must be an integer number of minor units" },
	{ "centavos", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			      "'currency':'COP','due':'2026-12-01','invoice':10050,'balance':10050}"),
	  "COP amounts must be whole pesos" },
	{ "string_amount", ONE_DOC("{" GOOD_DOC ",'min_partial':'5000','partial':true}"),
	  "customers[0].documents[0].min_partial: must be an integer number of minor units" },
	{ "huge", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			  "'currency':'COP','due':'2026-12-01','invoice':1e16,'balance':1000}"),
	  "customers[0].documents[0].invoice: must be at most" },
	{ "currency", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			      "'currency':'EUR','due':'2026-12-01','invoice':1000,'balance':1000}"),
	  "customers[0].documents[0].currency: must be \"COP\" or \"USD\"" },
	{ "date", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			  "'currency':'COP','due':'2026-02-30','invoice':1000,'balance':1000}"),
	  "customers[0].documents[0].due: must be a date" },
	{ "date_format", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
				 "'currency':'COP','due':'01/12/2026','invoice':1000,'balance':1000}"),
	  "customers[0].documents[0].due: must be a date" },
	{ "missing", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
			     "'currency':'COP','due':'2026-12-01','invoice':1000}"),
	  "customers[0].documents[0].balance: missing" },
	{ "invoice_lt_balance",
	  ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
		  "'currency':'COP','due':'2026-12-01','invoice':999,'balance':1000}"),
	  "customers[0].documents[0].invoice: must not be less than the balance" },
	{ "zero_balance", ONE_DOC("{'number':'N-1','line':'Seguro de vida','description':'Cuota',"
				  "'currency':'COP','due':'2026-12-01','invoice':0,'balance':0}"),
	  "customers[0].documents[0].balance: must be greater than 0" },
	{ "cop_over_max", ONE_DOC("{'number':'N-1','line':'Vida','description':'Cuota','currency':'COP',"
				  "'due':'2026-12-01','invoice':1000000000000000,'balance':1000000000000000}"),
	  "customers[0].documents[0].invoice: must be at most 999999999999900 minor units "
	  "(the most one coupon can carry)" },
	{ "cop_balance_over_max", ONE_DOC("{'number':'N-1','line':'Vida','description':'Cuota',"
					  "'currency':'COP','due':'2026-12-01','invoice':999999999999900,"
					  "'balance':1000000000000000}"),
	  "customers[0].documents[0].balance: must be at most 999999999999900 minor units "
	  "(the most one coupon can carry)" },
	{ "usd_over_max", ONE_DOC("{'number':'N-1','line':'Vida','description':'Cuota','currency':'USD',"
				  "'due':'2026-12-01','invoice':1000000000,'balance':1000000000}"),
	  "customers[0].documents[0].balance: must be at most 999999999 minor units "
	  "(USD 9,999,999.99, the most one coupon can carry at the highest TRM)" },
	{ "invoice_over_max", ONE_DOC("{" GOOD_DOC_INVOICE_MAX "}"),
	  "customers[0].documents[0].invoice: must be at most 999999999999900" },
	{ "partial_nomin", ONE_DOC("{" GOOD_DOC ",'partial':true}"),
	  "customers[0].documents[0].min_partial: missing" },
	{ "partial_type", ONE_DOC("{" GOOD_DOC ",'partial':1}"),
	  "customers[0].documents[0].partial: must be true or false" },
	{ "long_number", ONE_DOC("{'number':'0123456789012345678901234567890123','line':'Vida',"
				 "'description':'Cuota','currency':'COP','due':'2026-12-01',"
				 "'invoice':1000,'balance':1000}"),
	  "customers[0].documents[0].number: longer than 31 bytes" },
	{ "dup_doc", ONE_DOC("{" GOOD_DOC "},{" GOOD_DOC "}"),
	  "customers[0].documents[1].number: the customer already has a document" },
	{ "doc_not_object", ONE_DOC("42"), "customers[0].documents[0]: must be an object" },
	{ "trm_rate",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':[],'trm':["
	  "{'cop_per_usd':4012.35,'valid_from':'2026-11-20','valid_to':'2026-11-23'}]}",
	  "trm[0].cop_per_usd: must be a string like" },
	{ "trm_range",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':[],'trm':["
	  "{'cop_per_usd':'4012.35','valid_from':'2026-11-20','valid_to':'2026-11-19'}]}",
	  "trm[0].valid_to: before valid_from" },
	/* The first customer is fine (and would replace María's documents); the second is not:
	 * nothing of the file may remain. */
	{ "late_error",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':["
	  "{'id_type':'CC','id_number':'1020304050','name':'María','documents':[{" GOOD_DOC "}]},"
	  "{'id_type':'CC','id_number':'79845123','name':'Jorge','documents':[{'number':'N-1',"
	  "'line':'Vida','description':'Cuota','currency':'ARS','due':'2026-12-01',"
	  "'invoice':1000,'balance':1000}]}]}",
	  "customers[1].documents[0].currency" },
	{ "dup_customer",
	  "{'format':'recaudo-portfolio/1','as_of':1795302000,'customers':["
	  "{'id_type':'CC','id_number':'1020304050','name':'María','documents':[]},"
	  "{'id_type':'CE','id_number':'456789','name':'Carlos','documents':[]},"
	  "{'id_type':'cc','id_number':'1020304050','name':'María','documents':[]}]}",
	  "customers[2]: same id_type and id_number as customers[0]" },
};

static void test_bad_files(struct store *s)
{
	struct store_status before, after;
	struct portfolio p;
	char path[128], err[512];
	size_t n = sizeof bad_cases / sizeof bad_cases[0];

	CHECK_INT(store_status_get(s, &before), 0);
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &bad_cases[i];
		int rc;

		tmp_path(path, sizeof path, "bad.json");
		if (c->json) {
			write_json(path, c->json);
		} else {
			size_t len;
			char *demo = read_text(DEMO, &len);
			FILE *f = fopen(path, "wb");

			CHECK(demo != NULL && f != NULL);
			if (demo && f)
				fwrite(demo, 1, len / 2, f);
			if (f)
				fclose(f);
			free(demo);
		}
		rc = store_import_file(s, path, err, sizeof err);
		CHECK(rc < 0);
		CHECK(strncmp(err, path, strlen(path)) == 0);
		if (!strstr(err, c->want)) {
			CHECK(0);
			fprintf(stderr, "  case %s: got \"%s\", want \"%s\"\n", c->name, err, c->want);
		}
		/* No personal data in the message. */
		CHECK(strstr(err, "1020304050") == NULL);
		CHECK(strstr(err, "900123456") == NULL);
		CHECK(strstr(err, "María") == NULL);

		CHECK_INT(store_status_get(s, &after), 0);
		CHECK_INT(after.customers, before.customers);
		CHECK_INT(after.documents, before.documents);
		CHECK_INT(after.data_as_of, before.data_as_of);
		CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
		CHECK_INT(p.ndocs, 3);
		CHECK_STR(p.name, "María Fernanda Núñez Ospina");
		portfolio_free(&p);
	}

	tmp_path(path, sizeof path, "does-not-exist.json");
	CHECK(store_import_file(s, path, err, sizeof err) < 0);
	CHECK(strstr(err, "does-not-exist.json: cannot open: ") != NULL);
	CHECK(store_import_file(s, "/tmp", err, sizeof err) < 0);
	CHECK(strstr(err, "not a regular file") != NULL);
	CHECK_INT(store_status_get(s, &after), 0);
	CHECK_INT(after.documents, before.documents);
}

static void test_update(struct store *s)
{
	struct store_status st;
	struct portfolio p;
	char path[128], err[512];

	/* A later file replaces María's documents, adds a customer, keeps everyone else. The
	 * epoch form of as_of and a NIT without DV are accepted too. */
	tmp_path(path, sizeof path, "update.json");
	write_json(path,
		   "\xef\xbb\xbf{'format':'recaudo-portfolio/1','as_of':1795388400,'extra':{'x':1},"
		   "'customers':["
		   "{'id_type':'CC','id_number':'1020304050','name':'María Fernanda Núñez Ospina',"
		   "'documents':[{'number':'CVH-7781204-19','line':'Crédito de vehículo',"
		   "'description':'Cuota 19 de 60','currency':'COP','due':'2026-12-30',"
		   "'invoice':125000000,'balance':120000000,'partial':true,'min_partial':5000000}]},"
		   "{'id_type':'NIT','id_number':'811000231','name':'Ferretería Nueva',"
		   "'documents':[]},"
		   "{'id_type':'PA','id_number':'XK1234567','name':'Ana Silva','documents':[]}]}");
	CHECK_INT(store_import_file(s, path, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, DEMO_CUSTOMERS + 2);
	CHECK_INT(st.documents, DEMO_DOCUMENTS - 3 + 1);
	CHECK_INT(st.data_as_of, 1795388400);
	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_INT(p.ndocs, 1);
	if (p.ndocs == 1) {
		CHECK_STR(p.docs[0].number, "CVH-7781204-19");
		CHECK_INT(p.docs[0].balance, 120000000);
	}
	portfolio_free(&p);
	CHECK_INT(store_lookup(s, ID_CE, "456789", &p), 0);
	CHECK_INT(p.ndocs, 45);
	portfolio_free(&p);
	CHECK_INT(store_lookup(s, ID_PA, "XK1234567", &p), 0);
	portfolio_free(&p);
	CHECK_INT(store_lookup(s, ID_NIT, "811000231", &p), 0);
	portfolio_free(&p);

	/* Importing the demo again restores it. */
	CHECK_INT(store_import_file(s, DEMO, err, sizeof err), 0);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, DEMO_CUSTOMERS + 2);
	CHECK_INT(st.documents, DEMO_DOCUMENTS);
	CHECK_INT(st.data_as_of, DEMO_AS_OF);
}

/* The edges that must be accepted: the largest amount one coupon carries in each currency,
 * and a minimum above the balance (which becomes the balance: the customer can always pay the
 * balance, so nobody else in the file disappears). */
static void test_edges(void)
{
	struct store *s = open_store("edges.db");
	struct portfolio p;
	char path[128], err[512];

	CHECK(s != NULL);
	if (!s)
		return;
	tmp_path(path, sizeof path, "edges.json");
	write_json(path,
		   "{'format':'recaudo-portfolio/1','as_of':1795302000,"
		   "'trm':[{'cop_per_usd':'1000000.00','valid_from':'2026-11-20','valid_to':'2026-11-30'}],"
		   "'customers':[{'id_type':'CC','id_number':'1020304050','name':'María',"
		   "'documents':["
		   "{'number':'A','line':'Vida','description':'','currency':'COP','due':'2026-12-01',"
		   "'invoice':999999999999900,'balance':999999999999900},"
		   "{'number':'B','line':'Vida','description':'','currency':'USD','due':'2026-12-01',"
		   "'invoice':999999999,'balance':999999999,'partial':true,'min_partial':100},"
		   "{'number':'C','line':'Vida','description':'','currency':'COP','due':'2026-12-01',"
		   "'invoice':200000,'balance':100000,'partial':true,'min_partial':150000}]}]}");
	CHECK_INT(store_import_file(s, path, err, sizeof err), 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK_INT(store_lookup(s, ID_CC, "1020304050", &p), 0);
	CHECK_INT(p.ndocs, 3);
	for (int i = 0; i < p.ndocs; i++) {
		const struct document *d = &p.docs[i];
		struct trm t = {1000000 * INT64_C(100), 20261120, 20261130};

		if (!strcmp(d->number, "A"))
			CHECK_INT(d->balance, MONEY_MAX_COP_MINOR);
		if (!strcmp(d->number, "B")) {
			CHECK_INT(d->balance, MONEY_MAX_USD_CENTS);
			/* payable at the highest TRM: the conversion fits a coupon */
			CHECK(trm_usd_to_cop(d->balance, &t) > 0);
			CHECK(trm_usd_to_cop(d->balance, &t) <= MONEY_MAX_COP_MINOR);
		}
		if (!strcmp(d->number, "C")) {
			CHECK_INT(d->partial_ok, 1);
			CHECK_INT(d->min_partial, 100000);
		}
	}
	portfolio_free(&p);
	store_close(s);
}

static void test_iso_offsets(void)
{
	struct store *s = open_store("iso.db");
	struct store_status st;
	char path[128], err[512];
	static const struct {
		const char *as_of;
		int64_t want;
	} cases[] = {
		{ "'2026-11-21T18:00:00-05:00'", 1795302000 },
		{ "'2026-11-21T23:00:00Z'", 1795302000 },
		{ "'2026-11-22T04:30:00+05:30'", 1795302000 },
		{ "'2026-11-21T23:00:00.250Z'", 1795302000 },
		{ "1795302000", 1795302000 },
	};

	CHECK(s != NULL);
	if (!s)
		return;
	tmp_path(path, sizeof path, "iso.json");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char json[256];

		snprintf(json, sizeof json,
			 "{'format':'recaudo-portfolio/1','as_of':%s,'customers':[]}", cases[i].as_of);
		write_json(path, json);
		CHECK_INT(store_import_file(s, path, err, sizeof err), 0);
		CHECK_INT(store_status_get(s, &st), 0);
		CHECK_INT(st.data_as_of, cases[i].want);
	}
	store_close(s);
}

/* store_import_file_ex: the counts of what was imported and its progress, rising to the
 * file's total; a bad file reports nothing imported and leaves the store as it was. */
struct progress_log {
	int calls, backwards;
	int64_t last, total;
};

static void on_progress(void *user, int64_t done, int64_t total)
{
	struct progress_log *l = user;

	l->backwards += l->calls && done < l->last;
	l->calls++;
	l->last = done;
	l->total = total;
}

static void test_report(void)
{
	struct store *s = open_store("report.db");
	struct store_import_report rep;
	struct store_status st;
	struct progress_log log = { 0 };
	char err[512], path[128];

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(store_import_file_ex(s, DEMO, on_progress, &log, &rep, err, sizeof err), 0);
	CHECK_INT(rep.customers, DEMO_CUSTOMERS);
	CHECK_INT(rep.documents, DEMO_DOCUMENTS);
	CHECK(rep.trms > 0);
	CHECK_INT(rep.as_of, DEMO_AS_OF);
	CHECK(log.calls >= 2);
	CHECK_INT(log.backwards, 0);
	CHECK_INT(log.last, DEMO_CUSTOMERS);
	CHECK_INT(log.total, DEMO_CUSTOMERS);

	/* a bad record after good ones: nothing imported, the store as it was */
	tmp_path(path, sizeof path, "bad-late.json");
	write_json(path, "{'format':'recaudo-portfolio/1','as_of':1795400000,'customers':["
			 "{'id_type':'CC','id_number':'777000111','name':'A','documents':[]},"
			 "{'id_type':'CC','id_number':'777000112','name':'B','documents':["
			 "{'number':'F1','line':'x','description':'y','currency':'COP','due':'2026-12-01',"
			 "'invoice':100,'balance':'lots'}]}]}");
	memset(&rep, 0x55, sizeof rep);
	CHECK(store_import_file_ex(s, path, NULL, NULL, &rep, err, sizeof err) < 0);
	CHECK(strstr(err, "customers[1].documents[0].balance") != NULL);
	CHECK(strstr(err, "777000") == NULL); /* never the id number */
	CHECK_INT(rep.customers, 0);
	CHECK_INT(rep.documents, 0);
	CHECK_INT(store_status_get(s, &st), 0);
	CHECK_INT(st.customers, DEMO_CUSTOMERS);
	CHECK_INT(st.data_as_of, DEMO_AS_OF);

	/* the full integrity check on a sound store */
	CHECK_INT(store_integrity_check(s, err, sizeof err), 0);
	CHECK_STR(err, "");
	store_close(s);
}

int main(void)
{
	struct store *s;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/recaudo-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	s = open_store("import.db");
	CHECK(s != NULL);
	if (s) {
		test_demo(s);
		test_bad_files(s);
		test_update(s);
		store_close(s);
	}
	test_iso_offsets();
	test_edges();
	test_report();
	remove_tmpdir();
	return check_done();
}
