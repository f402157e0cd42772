/* test_field_export — the close's CSV and its signature (offline/field_export.c): the bytes
 * (BOM, ';', CRLF, quoting of a name with ';' and quotes, accents, amounts for es-CO, voided
 * lines with their state), the .sig verifies and stops verifying after one byte changes, and
 * a missing, non-folder or read-only folder gets a Spanish message and leaves nothing. The
 * receipts are written by SQL into schema 9's tables, as the store module would. */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "field_export.h"
#include "store_internal.h"
#include "tmpdir.h"

static const uint8_t KEY[] = "device-key-T01-0123456789abcdef";
#define KEYLEN (sizeof KEY - 1)

static char root[128];

/* Receipt `number` of agent 1001 on T01 at `at`, its lines "doc|line|amount" separated. */
static void receipt(struct store *s, int number, int32_t day, int64_t at, const char *name, int64_t amount,
		    const char *state, const char *reason)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "INSERT INTO field_receipts(id, agent_code, device_id, number, day, at, id_type, id_number,"
		 " customer_name, currency, amount_minor, cash_minor, change_minor, event_key, state, void_reason)"
		 " VALUES(%d, '1001', 'T01', %d, %d, %lld, 'CC', '1020304050', '%s', 'COP', %lld, %lld, 0,"
		 " '00000000-0000-4000-8000-0000000000%02d', '%s', %s%s%s)",
		 number, number, (int)day, (long long)at, name, (long long)amount, (long long)amount, number, state,
		 reason ? "'" : "", reason ? reason : "NULL", reason ? "'" : "");
	CHECK_INT(store_exec(s, sql), 0);
}

static void line(struct store *s, int receipt_id, int idx, const char *doc, const char *ln, int64_t amount)
{
	char sql[512];

	snprintf(sql, sizeof sql,
		 "INSERT INTO field_receipt_lines(receipt_id, idx, doc_number, line, description, due, amount_minor)"
		 " VALUES(%d, %d, '%s', '%s', 'Cuota', 20261115, %lld)",
		 receipt_id, idx, doc, ln, (long long)amount);
	CHECK_INT(store_exec(s, sql), 0);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = calloc(1, 65536);

	*n = f ? fread(b, 1, 65535, f) : 0;
	if (f)
		fclose(f);
	return b;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void test_csv(struct store *s)
{
	char dir[256], path[1100], err[300], want[1200];
	size_t n;
	char *csv;

	snprintf(dir, sizeof dir, "%s/usb", root);
	mkdir(dir, 0700);
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, path, sizeof path, err,
				   sizeof err),
		  0);
	snprintf(want, sizeof want, "%s/recaudo-T01-1001-20261122.csv", dir);
	CHECK_STR(path, want);
	CHECK_INT(entries(dir), 2); /* the CSV and its .sig, no temporary file */
	csv = slurp(path, &n);
	CHECK(n > 3 && !memcmp(csv, "\xef\xbb\xbf", 3));
	CHECK(strstr(csv, "\xef\xbb\xbfrecibo;dia;hora;agente;tipo_id;numero_id;cliente;documento;linea;moneda;valor;"
			  "valor_minor;estado;motivo_anulacion\r\n") == csv);
	CHECK(strstr(csv, "T01-1001-000001;2026-11-22;10:05;1001;CC;1020304050;María Fernanda Núñez;CRE-07;"
			  "Microcrédito;COP;150000,00;15000000;pagado;\r\n") != NULL);
	/* a name with ';' and quotes is quoted, the quotes doubled */
	CHECK(strstr(csv, ";\"Pérez; \"\"El Mono\"\" Ltda\";POL-88;Seguros de vida;COP;45500,50;4550050;pagado;\r\n") !=
	      NULL);
	/* a voided receipt keeps its lines, marked, with the reason; a formula-looking text is defused */
	CHECK(strstr(csv, "T01-1001-000003;2026-11-22;11:30;1001;CC;1020304050;\"'=HYPERLINK(1)\";CRE-09;"
			  "Microcrédito;COP;20000,00;2000000;anulado;Valor errado\r\n") != NULL);
	/* another day is not in it; every row ends in CRLF, no bare LF */
	CHECK(strstr(csv, "000004") == NULL);
	for (size_t i = 0; i < n; i++)
		if (csv[i] == '\n' && (i == 0 || csv[i - 1] != '\r')) {
			CHECK(0);
			break;
		}
	free(csv);

	/* the signature */
	snprintf(want, sizeof want, "%s.sig", path);
	csv = slurp(want, &n);
	CHECK_INT(n, 12 + 64 + 1);
	CHECK(!strncmp(csv, "hmac-sha256 ", 12) && csv[n - 1] == '\n');
	free(csv);
	CHECK_INT(field_export_verify(path, KEY, KEYLEN, err, sizeof err), 0);
	CHECK_INT(field_export_verify(path, (const uint8_t *)"other key", 9, err, sizeof err), -1);
	CHECK(strstr(err, "no corresponde") != NULL);
	{ /* one byte changed */
		FILE *f = fopen(path, "r+b");
		fseek(f, 200, SEEK_SET);
		int ch = fgetc(f);
		fseek(f, 200, SEEK_SET);
		fputc(ch == '1' ? '2' : '1', f);
		fclose(f);
	}
	CHECK_INT(field_export_verify(path, KEY, KEYLEN, err, sizeof err), -1);
	CHECK(strstr(err, "modificado") != NULL);
	/* exported again: replaced whole, verifies again */
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, "", KEY, KEYLEN, NULL, 0, err, sizeof err),
		  0);
	CHECK_INT(field_export_verify(path, KEY, KEYLEN, err, sizeof err), 0);
	CHECK_INT(entries(dir), 2);
	/* no .sig */
	unlink(want);
	CHECK_INT(field_export_verify(path, KEY, KEYLEN, err, sizeof err), -1);
	CHECK(strstr(err, "firma") != NULL);

	/* a range and one business line */
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261121, 20261122, "Seguros de vida", KEY, KEYLEN, path,
				   sizeof path, err, sizeof err),
		  0);
	snprintf(want, sizeof want, "%s/recaudo-T01-1001-20261121-20261122.csv", dir);
	CHECK_STR(path, want);
	csv = slurp(path, &n);
	CHECK(strstr(csv, "POL-88") != NULL);
	CHECK(strstr(csv, "CRE-") == NULL);
	CHECK(strstr(csv, "T01-1001-000004") != NULL);
	free(csv);
	CHECK_INT(field_export_verify(path, KEY, KEYLEN, err, sizeof err), 0);
}

static void test_bad_folders(struct store *s)
{
	char dir[256], err[300], path[1100] = "x", file[256];
	int before = entries(root);
	FILE *f;

	snprintf(dir, sizeof dir, "%s/missing", root);
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, path, sizeof path, err,
				   sizeof err),
		  -1);
	CHECK(strstr(err, "no existe") != NULL && strstr(err, "No se guardó nada") != NULL);
	CHECK_STR(path, "");
	/* a file where the folder should be, and a path under a file (ENOTDIR) */
	snprintf(file, sizeof file, "%s/plain", root);
	f = fopen(file, "w");
	fclose(f);
	CHECK_INT(field_export_csv(s, file, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, NULL, 0, err,
				   sizeof err),
		  -1);
	CHECK(strstr(err, "no es una carpeta") != NULL);
	snprintf(dir, sizeof dir, "%s/plain/sub", root);
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, NULL, 0, err,
				   sizeof err),
		  -1);
	CHECK(strstr(err, "no es una carpeta") != NULL);
	/* read-only: root writes in a 0500 folder anyway, so as root the export runs as nobody */
	snprintf(dir, sizeof dir, "%s/ro", root);
	mkdir(dir, 0500);
	{
		int as_root = geteuid() == 0, rc;

		chmod(root, 0711);
		if (as_root && seteuid(65534) != 0) {
			printf("test_field_export: root that cannot become nobody: read-only check skipped\n");
		} else {
			rc = field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, NULL, 0,
					      err, sizeof err);
			if (as_root)
				CHECK_INT(seteuid(0), 0);
			CHECK_INT(rc, -1);
			CHECK(strstr(err, "solo lectura") != NULL);
			CHECK_INT(entries(dir), 0);
		}
		chmod(root, 0700);
	}
	chmod(dir, 0700);
	/* bad arguments */
	CHECK_INT(field_export_csv(s, root, "10/01", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, NULL, 0, err,
				   sizeof err),
		  -1);
	CHECK_INT(field_export_csv(s, root, "1001", "T01", 20261123, 20261122, NULL, KEY, KEYLEN, NULL, 0, err,
				   sizeof err),
		  -1);
	CHECK_INT(field_export_csv(s, root, "1001", "T01", 20261122, 20261122, NULL, KEY, 0, NULL, 0, err, sizeof err),
		  -1);
	CHECK_INT(entries(root), before + 2); /* plain and ro, made here: nothing else */
}

/* A write that fails half way (the file-size limit stands in for a full stick: making a full
 * file system needs root) leaves nothing behind and says so. */
static void test_write_fails(struct store *s)
{
	char dir[256], err[300];
	struct rlimit old, tiny = {.rlim_cur = 64, .rlim_max = 0};

	snprintf(dir, sizeof dir, "%s/small", root);
	mkdir(dir, 0700);
	if (getrlimit(RLIMIT_FSIZE, &old) != 0)
		return;
	tiny.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	CHECK_INT(field_export_csv(s, dir, "1001", "T01", 20261122, 20261122, NULL, KEY, KEYLEN, NULL, 0, err,
				   sizeof err),
		  -1);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK(strstr(err, "No se pudo escribir") != NULL && strstr(err, "No se guardó nada") != NULL);
	CHECK_INT(entries(dir), 0);
}

int main(void)
{
	struct store *s = NULL;
	char db[256], err[300];

	setenv("TZ", "<-05>5", 1);
	tzset();
	snprintf(root, sizeof root, "/tmp/recaudo-fexport-XXXXXX");
	if (!mkdtemp(root))
		return 1;
	snprintf(db, sizeof db, "%s/store.db", root);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	/* 2026-11-22: three receipts (the third voided), and one the day before */
	receipt(s, 1, 20261122, 1795359900, "María Fernanda Núñez", 15000000, "paid", NULL);
	line(s, 1, 0, "CRE-07", "Microcrédito", 15000000);
	receipt(s, 2, 20261122, 1795361400, "Pérez; \"El Mono\" Ltda", 4550050, "paid", NULL);
	line(s, 2, 0, "POL-88", "Seguros de vida", 4550050);
	receipt(s, 3, 20261122, 1795365000, "=HYPERLINK(1)", 2000000, "void", "Valor errado");
	line(s, 3, 0, "CRE-09", "Microcrédito", 2000000);
	receipt(s, 4, 20261121, 1795280000, "Ana", 100000, "paid", NULL);
	line(s, 4, 0, "POL-90", "Seguros de vida", 100000);
	test_csv(s);
	test_bad_folders(s);
	test_write_fails(s);
	store_close(s);
	tmpdir_remove(root);
	return check_done();
}
