/* field_export — the close's and the reports' CSV and its signature on removable storage (see
 * field_export.h, docs/field-mode.md "The export").
 *
 * The CSV is made for a spreadsheet in es-CO first: ';' between fields (Excel's list
 * separator where ',' is the decimal one), a UTF-8 BOM, CRLF, and the amount twice: "valor"
 * in units with a decimal comma and two places ("195500,00", "125,50": a number there, not
 * text) and "valor_minor" in minor units (an integer, for programs). Text fields are quoted
 * per RFC 4180 when they hold ';', '"', CR or LF or start or end with a space; a text that
 * starts with '=', '+', '-' or '@' is quoted with a leading apostrophe so that no spreadsheet
 * runs it as a formula. Receipts are read straight from the store's tables (schema 9).
 *
 * Both files are written whole to temporary names in the folder, fsync'd, renamed over the
 * final names (the CSV, then the .sig) and the folder fsync'd. On any failure the temporary
 * files, and a CSV already renamed, are removed: nothing is left behind. */
#include "field_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "coupon.h"
#include "files.h"
#include "store_internal.h"

#define CSV_MAX (32 * 1024 * 1024) /* years of receipts; more is a mistake */
#define SIG_PREFIX "hmac-sha256 "
#define SIG_LEN (sizeof SIG_PREFIX - 1 + COUPON_QR_TAG_HEX + 1)

struct csv {
	char *b;
	size_t len, cap;
	int failed;
};

static void put(struct csv *c, const char *s, size_t n)
{
	if (c->failed)
		return;
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		char *nb;

		while (cap < c->len + n + 1)
			cap *= 2;
		if (cap > CSV_MAX || !(nb = realloc(c->b, cap))) {
			c->failed = 1;
			return;
		}
		c->b = nb;
		c->cap = cap;
	}
	memcpy(c->b + c->len, s, n);
	c->len += n;
}

static void put_s(struct csv *c, const char *s)
{
	put(c, s, strlen(s));
}

/* One field and its separator (';', or CRLF after the last of a row). */
static void field(struct csv *c, const char *s, int last)
{
	size_t n = s ? strlen(s) : 0;
	int formula = n && strchr("=+-@", s[0]);
	int quote = formula || (n && (s[0] == ' ' || s[n - 1] == ' ')) || strpbrk(s ? s : "", ";\"\r\n");

	if (quote) {
		put_s(c, formula ? "\"'" : "\"");
		for (size_t i = 0; i < n; i++)
			put(c, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
		put_s(c, "\"");
	} else {
		put(c, s ? s : "", n);
	}
	put_s(c, last ? "\r\n" : ";");
}

static void field_num(struct csv *c, long long v)
{
	char b[24];

	snprintf(b, sizeof b, "%lld", v);
	field(c, b, 0);
}

static const char *const HEADER[] = {
	"recibo", "dia", "hora", "agente", "tipo_id", "numero_id", "cliente", "documento", "linea",
	"moneda", "valor", "valor_minor", "estado", "motivo_anulacion",
};

static int rows(struct store *s, struct csv *c, const char *agent, const char *device_id, int32_t from, int32_t to,
		const char *line)
{
	static const char sql[] =
		"SELECT r.number, r.day, r.at, r.id_type, r.id_number, r.customer_name, l.doc_number, l.line,"
		" r.currency, l.amount_minor, r.state, coalesce(r.void_reason, '')"
		" FROM field_receipts r JOIN field_receipt_lines l ON l.receipt_id = r.id"
		" WHERE r.agent_code = ?1 AND r.device_id = ?2 AND r.day BETWEEN ?3 AND ?4"
		" AND (?5 = '' OR l.line = ?5) ORDER BY r.number, l.idx";
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "export");
	sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, from);
	sqlite3_bind_int(st, 4, to);
	sqlite3_bind_text(st, 5, line ? line : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char label[96], day[16], hm[8], amount[40];
		int32_t d = sqlite3_column_int(st, 1);
		time_t at = (time_t)sqlite3_column_int64(st, 2);
		long long minor = sqlite3_column_int64(st, 9);
		struct tm tm;

		field_receipt_label(label, sizeof label, device_id, agent, (uint64_t)sqlite3_column_int64(st, 0));
		snprintf(day, sizeof day, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
		if (!localtime_r(&at, &tm) || !strftime(hm, sizeof hm, "%H:%M", &tm))
			snprintf(hm, sizeof hm, "-");
		snprintf(amount, sizeof amount, "%lld,%02lld", minor / 100, minor % 100);
		field(c, label, 0);
		field(c, day, 0);
		field(c, hm, 0);
		field(c, agent, 0);
		for (int k = 3; k <= 8; k++)
			field(c, (const char *)sqlite3_column_text(st, k), 0);
		field(c, amount, 0);
		field_num(c, minor);
		field(c, strcmp((const char *)sqlite3_column_text(st, 10), "void") ? "pagado" : "anulado", 0);
		field(c, (const char *)sqlite3_column_text(st, 11), 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail_db(s, "export");
	return 0;
}

/* Why writing in dir failed, for a person. */
static void why_write(char *err, size_t errn, const char *dir, int e)
{
	if (e == EROFS || e == EACCES || e == EPERM)
		snprintf(err, errn, "No se puede escribir en la carpeta %s: es de solo lectura o no hay permiso "
			 "(¿la memoria USB está protegida?). No se guardó nada.", dir);
	else if (e == ENOSPC || e == EDQUOT)
		snprintf(err, errn, "La memoria de la carpeta %s está llena. Libere espacio o use otra memoria. "
			 "No se guardó nada.", dir);
	else
		snprintf(err, errn, "No se pudo escribir en la carpeta %s (%s). No se guardó nada.", dir, strerror(e));
}

/* data into a new temporary file of dir, written and fsync'd; its name in tmp. 0 or errno. */
static int write_tmp(const char *dir, const char *data, size_t n, char *tmp, size_t tmpn)
{
	int fd, e = 0;

	snprintf(tmp, tmpn, "%s/.recaudo-export.XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		tmp[0] = '\0';
		return errno;
	}
	for (size_t off = 0; off < n && !e;) {
		ssize_t w = write(fd, data + off, n - off);

		if (w < 0 && errno != EINTR)
			e = errno;
		else if (w > 0)
			off += (size_t)w;
	}
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (e) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	return e;
}

static int check_dir(const char *dir, char *err, size_t errn)
{
	struct stat sb;

	if (!dir || !dir[0] || strlen(dir) > 800) {
		snprintf(err, errn, "No hay carpeta de exportación configurada. No se guardó nada.");
		return -1;
	}
	if (stat(dir, &sb) != 0) {
		if (errno == ENOTDIR)
			snprintf(err, errn, "%s no es una carpeta. No se guardó nada.", dir);
		else if (errno == EACCES)
			why_write(err, errn, dir, errno);
		else
			snprintf(err, errn, "La carpeta %s no existe: ¿está conectada la memoria USB? No se guardó nada.",
				 dir);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errn, "%s no es una carpeta. No se guardó nada.", dir);
		return -1;
	}
	return 0;
}

static int id_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int field_export_csv(struct store *s, const char *dir, const char *agent, const char *device_id, int32_t from,
		     int32_t to, const char *line, const uint8_t *key, size_t keylen, char *path, size_t pathn,
		     char *err, size_t errn)
{
	struct csv c = {0};
	char name[1024], sig_name[1040], tmp[1024] = "", sig_tmp[1024] = "", sig[SIG_LEN + 1],
		hex[COUPON_QR_TAG_HEX + 1];
	int e, rc = -1, csv_placed = 0;

	if (path && pathn)
		path[0] = '\0';
	if (!s || !id_ok(agent, FIELD_AGENT_MAX) || !id_ok(device_id, FIELD_DEVICE_MAX) || !date_valid(from) ||
	    !date_valid(to) || from > to || !key || !keylen) {
		snprintf(err, errn, "Exportación: agente, dispositivo, fechas o llave no válidos. No se guardó nada.");
		return -1;
	}
	if (check_dir(dir, err, errn))
		return -1;
	if (from == to)
		snprintf(name, sizeof name, "%s/recaudo-%s-%s-%08ld.csv", dir, device_id, agent, (long)from);
	else
		snprintf(name, sizeof name, "%s/recaudo-%s-%s-%08ld-%08ld.csv", dir, device_id, agent, (long)from,
			 (long)to);
	snprintf(sig_name, sizeof sig_name, "%s.sig", name);

	put_s(&c, "\xef\xbb\xbf");
	for (size_t i = 0; i < sizeof HEADER / sizeof *HEADER; i++)
		field(&c, HEADER[i], i + 1 == sizeof HEADER / sizeof *HEADER);
	if (rows(s, &c, agent, device_id, from, to, line) < 0) {
		snprintf(err, errn, "No se pudieron leer los recibos del almacenamiento. No se guardó nada.");
		goto out;
	}
	if (c.failed) {
		snprintf(err, errn, "Exportación: demasiados recibos para un archivo. No se guardó nada.");
		goto out;
	}
	if (coupon_hmac_hex(key, keylen, c.b, c.len, hex) < 0) {
		snprintf(err, errn, "Exportación: no se pudo firmar el archivo. No se guardó nada.");
		goto out;
	}
	snprintf(sig, sizeof sig, SIG_PREFIX "%s\n", hex);
	if ((e = write_tmp(dir, c.b, c.len, tmp, sizeof tmp)) || (e = write_tmp(dir, sig, strlen(sig), sig_tmp,
										  sizeof sig_tmp))) {
		why_write(err, errn, dir, e);
		goto out;
	}
	/* the CSV first: a cut between the renames leaves a CSV its old .sig refuses, never a
	 * silently wrong pair */
	if (rename(tmp, name) != 0) {
		why_write(err, errn, dir, errno);
		goto out;
	}
	csv_placed = 1;
	tmp[0] = '\0';
	if (rename(sig_tmp, sig_name) != 0) {
		why_write(err, errn, dir, errno);
		goto out;
	}
	sig_tmp[0] = '\0';
	if (files_sync_dir(dir, err, errn) != 0) {
		unlink(sig_name);
		why_write(err, errn, dir, errno);
		goto out;
	}
	if (path && pathn)
		snprintf(path, pathn, "%s", name);
	rc = 0;
out:
	if (tmp[0])
		unlink(tmp);
	if (sig_tmp[0])
		unlink(sig_tmp);
	if (rc && csv_placed)
		unlink(name);
	free(c.b);
	return rc;
}

/* The whole file into a malloc'd buffer (free()), at most max bytes. 0 or -1 (errno set). */
static int slurp(const char *path, size_t max, char **out, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t len = 0, cap = 0, r;

	*out = NULL;
	*n = 0;
	if (!f)
		return -1;
	do {
		if (len == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if (len == cap || !(nb = realloc(b, cap))) {
				free(b);
				fclose(f);
				errno = EFBIG;
				return -1;
			}
			b = nb;
		}
		r = fread(b + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	if (ferror(f) || len > max) {
		int e = ferror(f) ? EIO : EFBIG;

		free(b);
		fclose(f);
		errno = e;
		return -1;
	}
	fclose(f);
	*out = b;
	*n = len;
	return 0;
}

int field_export_verify(const char *csv_path, const uint8_t *key, size_t keylen, char *err, size_t errn)
{
	char sig_path[1100], hex[COUPON_QR_TAG_HEX + 1], *csv = NULL, *sig = NULL;
	size_t n = 0, sn = 0;
	int rc = -1;

	if (!csv_path || strlen(csv_path) > 1000) {
		snprintf(err, errn, "Verificación: falta el archivo.");
		return -1;
	}
	snprintf(sig_path, sizeof sig_path, "%s.sig", csv_path);
	if (slurp(csv_path, CSV_MAX, &csv, &n) != 0) {
		snprintf(err, errn, "No se pudo leer %s (%s).", csv_path, strerror(errno));
		return -1;
	}
	if (slurp(sig_path, 256, &sig, &sn) != 0) {
		snprintf(err, errn, "No se pudo leer la firma %s (%s).", sig_path, strerror(errno));
		goto out;
	}
	if (sn != SIG_LEN || memcmp(sig, SIG_PREFIX, sizeof SIG_PREFIX - 1) != 0 || sig[sn - 1] != '\n') {
		snprintf(err, errn, "La firma %s no tiene la forma \"hmac-sha256 <64 hex>\".", sig_path);
		goto out;
	}
	if (coupon_hmac_hex(key, keylen, csv, n, hex) < 0 ||
	    CRYPTO_memcmp(hex, sig + sizeof SIG_PREFIX - 1, COUPON_QR_TAG_HEX) != 0) {
		snprintf(err, errn, "La firma no corresponde: el archivo fue modificado o no es de este dispositivo.");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(hex, sizeof hex);
	free(csv);
	free(sig);
	return rc;
}
