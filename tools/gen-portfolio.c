/* gen-portfolio — builds a large synthetic store for benchmarks:
 *
 *   gen-portfolio N [--out FILE.db]      (default data/big.db; FILE is replaced)
 *
 * N documents over about N/5 customers with CC numbers, from a fixed-seed PRNG so every run
 * builds the same store, written through the store_import_* API in one transaction, plus the
 * demo TRM table and the demo customer CC 1020304050 (so benchmarks can look a known
 * customer up). Prints how long the import and one lookup took. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define DEFAULT_OUT "data/big.db"
#define MAX_DOCS 50000000LL
#define AS_OF 1795302000 /* 2026-11-21T18:00:00-05:00, as the demo file */
#define FIRST_CC 70000000ULL

struct product {
	const char *prefix;
	const char *line;
	const char *what;
	int min_pesos, max_pesos;
	int partial;
};

static const struct product products[] = {
	{ "VID", "Seguro de vida", "Póliza de vida individual", 68000, 240000, 0 },
	{ "VEH", "Seguro de vehículo", "Todo riesgo vehículo", 180000, 420000, 0 },
	{ "SOA", "SOAT", "SOAT vigencia 2027", 480000, 1100000, 0 },
	{ "HOG", "Seguro de hogar", "Póliza hogar", 52000, 140000, 0 },
	{ "SAL", "Seguro de salud", "Plan complementario de salud", 210000, 520000, 0 },
	{ "CVH", "Crédito de vehículo", "Crédito vehículo", 850000, 2400000, 1 },
	{ "CLI", "Crédito de libre inversión", "Crédito libre inversión", 320000, 1500000, 1 },
	{ "HIP", "Crédito hipotecario", "Crédito hipotecario", 1400000, 4200000, 1 },
	{ "LIB", "Libranza", "Libranza", 250000, 900000, 1 },
};
#define NPRODUCTS ((int)(sizeof products / sizeof products[0]))

static const char *const first_names[] = {
	"María", "José", "Luis", "Ana", "Carlos", "Juan", "Luz", "Jorge", "Andrés", "Diana",
	"Sandra", "Camilo", "Paola", "Santiago", "Valentina", "Óscar", "Martha", "Édgar",
};
static const char *const last_names[] = {
	"Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez",
	"Ramírez", "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Vargas", "Castro",
	"Ospina", "Restrepo", "Londoño", "Zapata", "Cárdenas", "Quintero", "Núñez",
};
#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static uint64_t rng_state = 0x5265636175646fULL; /* "Recaudo" */

/* splitmix64: tiny, fast, and the same sequence on every machine. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rng_range(int lo, int hi) /* inclusive */
{
	return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(struct store *s, const char *what)
{
	fprintf(stderr, "gen-portfolio: %s: %s\n", what, store_error(s));
	return -1;
}

static int add_demo_customer(struct store *s)
{
	static const struct document docs[] = {
		{ "VID-4471203-1126", "Seguro de vida",
		  "Póliza de vida individual 4471203, cuota de noviembre", 20261115, CUR_COP,
		  18540000, 18540000, 0, 0 },
		{ "CVH-7781204-18", "Crédito de vehículo",
		  "Crédito vehículo placa JKT-482, cuota 18 de 60", 20261130, CUR_COP, 125000000,
		  125000000, 1, 5000000 },
		{ "HOG-5521987-1226", "Seguro de hogar", "Póliza hogar 5521987, cuota de diciembre",
		  20261210, CUR_COP, 9640000, 9640000, 0, 0 },
	};

	if (store_import_customer(s, ID_CC, "1020304050", "María Fernanda Núñez Ospina") < 0)
		return fail(s, "demo customer");
	for (int i = 0; i < NELEMS(docs); i++)
		if (store_import_document(s, &docs[i]) < 0)
			return fail(s, "demo customer");
	return NELEMS(docs);
}

static int add_document(struct store *s, unsigned long long serial)
{
	const struct product *p = &products[rng_range(0, NPRODUCTS - 1)];
	struct document d;
	int cuota = rng_range(1, 60);
	int64_t pesos = rng_range(p->min_pesos / 100, p->max_pesos / 100) * 100LL;

	memset(&d, 0, sizeof d);
	snprintf(d.number, sizeof d.number, "%s-%09llu-%02d", p->prefix, serial, cuota);
	snprintf(d.line, sizeof d.line, "%s", p->line);
	snprintf(d.description, sizeof d.description, "%s %09llu, cuota %d", p->what, serial,
		 cuota);
	d.due = date_add_days(20261001, rng_range(0, 450));
	d.cur = CUR_COP;
	d.invoice = pesos * 100;
	if (rng_range(0, 99) < 4) { /* a few policies are written in dollars */
		d.cur = CUR_USD;
		d.invoice = pesos / 4000 * 100 + 100;
	}
	d.balance = d.invoice;
	if (rng_range(0, 99) < 15) /* partly paid; amounts stay whole pesos / whole cents */
		d.balance = d.invoice - d.invoice / 10000 * 100 * rng_range(1, 60);
	if (p->partial) {
		d.partial_ok = 1;
		d.min_partial = d.balance / 500 * 100;
		if (d.min_partial < 100)
			d.min_partial = 100;
	}
	if (store_import_document(s, &d) < 0)
		return fail(s, "document");
	return 0;
}

static int add_trms(struct store *s)
{
	const struct trm trms[] = {
		{ 398710, 20261113, 20261119 },
		{ 401235, 20261120, 20271231 },
	};

	for (int i = 0; i < NELEMS(trms); i++)
		if (store_import_trm(s, &trms[i]) < 0)
			return fail(s, "trm");
	return 0;
}

static int generate(struct store *s, long long ndocs, long long *ncustomers)
{
	long long left = ndocs, serial = 0, ncust, done;
	int rc;

	ncust = ndocs / 5 > 1 ? ndocs / 5 : 1;
	*ncustomers = 0;
	if (store_import_begin(s) < 0 || add_trms(s) < 0)
		return fail(s, "import");
	if (left >= 3) {
		rc = add_demo_customer(s);
		if (rc < 0)
			return -1;
		left -= rc;
		ncust--;
		(*ncustomers)++;
	}
	for (done = 0; left > 0; done++) {
		char number[24], name[96];
		long long remaining = ncust - done > 1 ? ncust - done : 1;
		long long avg = left / remaining, k;
		uint64_t span;

		/* About 1..2*avg each (mean avg), every customer at least one, the last takes the
		 * rest, so the total is exactly N. */
		span = 2 * avg > 1 ? (uint64_t)(2 * avg - 1) : 1;
		k = remaining == 1 ? left : 1 + (long long)(rng_next() % span);
		if (k > left - (remaining - 1))
			k = left - (remaining - 1);
		if (k < 1)
			k = 1;
		snprintf(number, sizeof number, "%llu", FIRST_CC + (unsigned long long)done);
		snprintf(name, sizeof name, "%s %s %s", first_names[rng_range(0, NELEMS(first_names) - 1)],
			 last_names[rng_range(0, NELEMS(last_names) - 1)],
			 last_names[rng_range(0, NELEMS(last_names) - 1)]);
		if (store_import_customer(s, ID_CC, number, name) < 0)
			return fail(s, "customer");
		for (long long j = 0; j < k; j++)
			if (add_document(s, (unsigned long long)++serial) < 0)
				return -1;
		left -= k;
		(*ncustomers)++;
	}
	if (store_import_commit(s, AS_OF) < 0)
		return fail(s, "commit");
	return 0;
}

/* Creates the parent directory of path when it is missing (one level, like data/). */
static void make_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir)
		return;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		fprintf(stderr, "gen-portfolio: cannot create %s: %s\n", dir, strerror(errno));
}

static void remove_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int usage(void)
{
	fprintf(stderr, "usage: gen-portfolio N [--out FILE.db]   (N documents, 1..%lld; default "
			"out %s, replaced)\n", MAX_DOCS, DEFAULT_OUT);
	return 2;
}

int main(int argc, char **argv)
{
	const char *out = DEFAULT_OUT;
	struct store *s;
	struct portfolio p;
	long long n = -1, ncustomers;
	double t0, t1, t2, t3;
	char err[512], *end;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (n < 0 && argv[i][0] >= '0' && argv[i][0] <= '9') {
			errno = 0;
			n = strtoll(argv[i], &end, 10);
			if (errno || *end || n < 1 || n > MAX_DOCS)
				return usage();
		} else {
			return usage();
		}
	}
	if (n < 0)
		return usage();

	make_parent(out);
	remove_db(out);
	t0 = now_s();
	if (store_open(&s, out, err, sizeof err) < 0) {
		fprintf(stderr, "gen-portfolio: %s\n", err);
		return 1;
	}
	rc = generate(s, n, &ncustomers);
	t1 = now_s();
	if (rc < 0) {
		store_import_abort(s);
		store_close(s);
		return 1;
	}
	store_close(s);

	/* Reopen as the kiosk would and time a lookup of the demo customer. */
	if (store_open(&s, out, err, sizeof err) < 0) {
		fprintf(stderr, "gen-portfolio: %s\n", err);
		return 1;
	}
	t2 = now_s();
	rc = store_lookup(s, ID_CC, "1020304050", &p);
	t3 = now_s();
	printf("gen-portfolio: %lld documents, %lld customers -> %s in %.2f s; "
	       "demo customer lookup %s (%d documents) in %.3f ms\n",
	       n, ncustomers, out, t1 - t0, rc == 0 ? "found" : "NOT FOUND", p.ndocs,
	       (t3 - t2) * 1e3);
	portfolio_free(&p);
	store_close(s);
	return rc == 0 || n < 3 ? 0 : 1;
}
