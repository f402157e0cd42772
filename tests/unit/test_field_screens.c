/* test_field_screens — field mode's receipt, void, close and reports screens (app/field_receipt.c,
 * field_void.c, field_close.c, field_reports.c) drawn headless from a session set by hand (a
 * receipt, a day's totals), at 1280x800, 800x480 and 1080x1920: what must be read is there,
 * every control a script presses has its label, no text overlaps another; and what each
 * screen does when the back end refuses (a print that is not queued, a store that cannot
 * read, a supervisor that cannot be checked, no printer, an export folder gone): a message,
 * nothing else changed; with the store's field functions in place, the close is written and
 * exported to the configured folder. At the first size a fake USB stick helper
 * (docs/usb-media.md) is configured: the export asks it to mount first and to eject after,
 * good or not, and the message says the stick may be removed. With
 * RECAUDO_FIELD_SHOTS=DIR each state is saved as a PNG to look at. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "field_internal.h"
#include "tmpdir.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00 */
#define TODAY 20261122

static const char *shots;
static char tag[32];
static char export_dir[160];
/* The store's field functions answer (1), or are the stubs of the seams (0): then each screen
 * shows the store's refusal and changes nothing, which is checked instead. */
static int real;

/* The fake USB stick helper: answers each connection's line (a stick "AGENTE" always there)
 * and logs the requests, until stop. */
static struct {
	int lfd, stop;
	char log[256];
	pthread_t t;
} helper = {.lfd = -1};

static void *helper_serve(void *unused)
{
	(void)unused;
	while (!helper.stop) {
		struct pollfd p = {.fd = helper.lfd, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int c = accept(helper.lfd, NULL, NULL);
		if (c < 0)
			continue;
		char line[32];
		size_t n = 0;
		while (n < sizeof(line) - 1 && read(c, line + n, 1) == 1 && line[n] != '\n')
			n++;
		line[n] = 0;
		const char *ans = !strcmp(line, "mount") ? "ok mounted vfat AGENTE\n"
				  : !strcmp(line, "eject") ? "ok ejected\n"
							   : "error request\n";
		size_t l = strlen(helper.log);
		snprintf(helper.log + l, sizeof(helper.log) - l, "%s ", line);
		(void)!send(c, ans, strlen(ans), MSG_NOSIGNAL);
		close(c);
	}
	return NULL;
}

/* starts the fake at sock and writes an INI naming it to ini; 0 or -1 */
static int helper_start(const char *sock, const char *ini)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	helper.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (helper.lfd < 0 || bind(helper.lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(helper.lfd, 4))
		return -1;
	FILE *f = fopen(ini, "w");
	if (!f)
		return -1;
	fprintf(f, "[maintenance]\nusb_helper = %s\n", sock);
	fclose(f);
	return pthread_create(&helper.t, NULL, helper_serve, NULL) ? -1 : 0;
}

static struct app *open_app(const char *data, int w, int h, const char *ini)
{
	char err[400];
	struct app *a = calloc(1, sizeof(*a));
	struct app_opts o = {.data_dir = data, .headless = 1, .start_ms = START_MS, .w = w, .h = h, .home = &act_field,
			     .config_path = ini};
	if (!a || app_open(a, &o, err, sizeof err) != 0) {
		fprintf(stderr, "app_open: %s\n", a ? err : "out of memory");
		free(a);
		return NULL;
	}
	return a;
}

/* Draws the frame; checks no text overlaps and saves it as name when shots are asked for. */
static void frame(struct app *a, const char *name)
{
	const struct ui_text_box *x = NULL, *y = NULL;
	a->field->dirty = 1;
	app_render(a, 1);
	int over = ui_text_overlap(&a->ui, &x, &y);
	if (over)
		fprintf(stderr, "%s %s: \"%s\" overlaps \"%s\"\n", tag, name, x->text, y->text);
	CHECK(!over);
	if (shots) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s-%s.png", shots, tag, name);
		CHECK_INT(app_save_png(a, p), 0);
	}
}

static int press(struct app *a, const char *label)
{
	app_render(a, 1);
	const struct ui_hit *h = ui_hit_by_label(&a->ui, label);
	if (!h) {
		fprintf(stderr, "%s: no control \"%s\"\n", tag, label);
		return 0;
	}
	int x = h->r.x + h->r.w / 2, y = h->r.y + h->r.h / 2;
	app_pointer_down(a, x, y);
	app_pointer_up(a, x, y);
	return 1;
}

static void settle(struct app *a)
{
	for (int i = 0; i < 50 && a->act->busy && a->act->busy(a); i++)
		a->act->wait_idle(a);
	app_pump(a);
}

static void session(struct field *f)
{
	f->logged_in = 1;
	snprintf(f->agent.code, sizeof(f->agent.code), "1001");
	snprintf(f->agent.name, sizeof(f->agent.name), "Ana Lucía Muñoz");
}

static void fake_receipt(struct field_receipt *r)
{
	static const char *const lines[] = {"Vehículos", "Crédito de consumo", "Vehículos"};
	memset(r, 0, sizeof(*r));
	r->number = 42;
	snprintf(r->agent, sizeof(r->agent), "1001");
	snprintf(r->device_id, sizeof(r->device_id), "T01");
	r->day = TODAY;
	r->at = START_MS / 1000;
	r->id_type = ID_CC;
	snprintf(r->id_number, sizeof(r->id_number), "79555123");
	snprintf(r->customer_name, sizeof(r->customer_name), "María José Peña Gutiérrez");
	r->cur = CUR_COP;
	r->nlines = 3;
	for (int i = 0; i < 3; i++) {
		snprintf(r->lines[i].doc_number, sizeof(r->lines[i].doc_number), "CR-2024-00%d", 17 + i);
		snprintf(r->lines[i].line, sizeof(r->lines[i].line), "%s", lines[i]);
		snprintf(r->lines[i].description, sizeof(r->lines[i].description), "Cuota %d de 24", 5 + i);
		r->lines[i].due = 20260905 + i * 100;
		r->lines[i].amount_minor = 12000000 + i * 1550000;
	}
	r->amount_minor = 12000000 * 3 + 1550000 * 3;
	r->cash_minor = 45000000;
	r->change_minor = r->cash_minor - r->amount_minor;
}

static void fake_totals(struct field_totals *t)
{
	static const char *const lines[] = {"Vehículos", "Crédito de consumo", "Vivienda", "Vehículos"};
	memset(t, 0, sizeof(*t));
	t->from = t->to = TODAY;
	t->nrows = 4;
	for (int i = 0; i < 4; i++) {
		struct field_totals_row *r = &t->rows[i];
		snprintf(r->line, sizeof(r->line), "%s", lines[i]);
		r->cur = i == 3 ? CUR_USD : CUR_COP;
		r->payments = 5 + i;
		r->payments_minor = i == 3 ? 35000 : 123456700LL * (i + 1);
		r->voids = i == 1;
		r->voids_minor = i == 1 ? 1550000 : 0;
		r->net_minor = r->payments_minor - r->voids_minor;
	}
	t->cash_cop_minor = 123456700LL * 6 - 1550000;
	t->cash_usd_minor = 35000;
	t->receipts = 17;
	t->voided = 2;
	t->first_number = 26;
	t->last_number = 42;
	t->nvoid_numbers = 2;
	t->void_numbers[0] = 31;
	t->void_numbers[1] = 40;
}

static void test_receipt(struct app *a)
{
	struct field *f = a->field;
	fake_receipt(&f->rc);
	f->have_rc = 1;
	f->rc_paper = FPS_PRINTED;
	f->phase = FP_RECEIPT;
	frame(a, "receipt");
	CHECK_STR(app_screen_name(a), "field-receipt");
	CHECK(ui_seen(&a->ui, "Recibo T01-1001-000042 impreso"));
	CHECK(ui_seen(&a->ui, "María José Peña Gutiérrez"));
	CHECK(ui_seen(&a->ui, "CR-2024-0017"));
	CHECK(ui_seen(&a->ui, "Cambio"));
	CHECK(ui_seen(&a->ui, "Efectivo recibido"));
	for (const char *const *l = (const char *const[]){"Reimprimir copia", "Anular recibo", "Volver al inicio",
							  "Cerrar sesión", NULL};
	     *l; l++)
		CHECK(ui_hit_by_label(&a->ui, *l) != NULL);

	/* no printer: the copy is not queued, said, and "Reimprimir" offers the original */
	struct printq *pq = a->svc.pq;
	a->svc.pq = NULL;
	CHECK(press(a, "Reimprimir copia"));
	CHECK_INT(f->rc_paper, FPS_NOT_SENT);
	frame(a, "receipt-failed");
	CHECK(ui_seen(&a->ui, "no se imprimió: no hay impresora configurada"));
	CHECK(ui_hit_by_label(&a->ui, "Reimprimir copia") == NULL);
	a->svc.pq = pq;
	CHECK(press(a, "Reimprimir"));
	CHECK_INT(f->rc_paper, real ? FPS_QUEUED : FPS_NOT_SENT);

	/* the void: the day open, field-void; the store unable to tell, a message and no void */
	CHECK(press(a, "Anular recibo"));
	CHECK_STR(app_screen_name(a), real ? "field-void" : "field-receipt");
	if (real) {
		CHECK_INT(f->focus, FI_REASON);
		CHECK(press(a, "Cancelar"));
	} else {
		frame(a, "receipt-void-refused");
		CHECK(ui_seen(&a->ui, "No se pudo anular"));
	}

	/* another day's receipt: no "Anular recibo" to press */
	f->rc.day = TODAY - 1;
	frame(a, "receipt-old");
	CHECK(ui_hit_by_label(&a->ui, "Anular recibo") == NULL);
	f->rc.day = TODAY;

	/* voided: ANULADO, the reason and who approved */
	f->rc.voided = 1;
	snprintf(f->rc.void_reason, sizeof(f->rc.void_reason), "Valor digitado por error");
	snprintf(f->rc.void_by, sizeof(f->rc.void_by), "1002");
	f->rc_paper_void = 1;
	f->rc_paper = FPS_QUEUED;
	f->msg[0] = 0;
	frame(a, "receipt-voided");
	CHECK(ui_seen(&a->ui, "ANULADO"));
	CHECK(ui_seen(&a->ui, "Valor digitado por error"));
	CHECK(ui_hit_by_label(&a->ui, "Anular recibo") == NULL);
	f->rc.voided = 0;
	f->rc_paper_void = 0;
	CHECK(press(a, "Volver al inicio"));
	CHECK_STR(app_screen_name(a), "field-home");
}

static void test_void(struct app *a)
{
	struct field *f = a->field;
	fake_receipt(&f->rc);
	f->have_rc = 1;
	field_go(a, FP_VOID);
	f->focus = FI_REASON;
	frame(a, "void");
	CHECK_STR(app_screen_name(a), "field-void");
	CHECK(ui_seen(&a->ui, "T01-1001-000042"));
	for (const char *const *l = (const char *const[]){"Motivo de la anulación (mínimo 3 letras)",
							  "Código del supervisor", "Contraseña del supervisor",
							  "Anular recibo", "Cancelar", "Espacio", NULL};
	     *l; l++)
		CHECK(ui_hit_by_label(&a->ui, *l) != NULL);

	/* a reason too short: said, nothing posted */
	app_text(a, "ok");
	CHECK(press(a, "Anular recibo"));
	CHECK_INT(f->job, 0);
	frame(a, "void-short");
	CHECK(ui_seen(&a->ui, "al menos 3 letras"));
	app_text(a, " pagó dos veces");
	CHECK_STR(f->in[FI_REASON].buf, "ok pagó dos veces");

	/* the agent's own code: someone else approves */
	CHECK(press(a, "Código del supervisor"));
	app_text(a, "1001");
	CHECK(press(a, "Contraseña del supervisor"));
	app_text(a, "campo2026");
	frame(a, "void-masked");
	CHECK(!ui_seen(&a->ui, "campo2026"));
	CHECK(press(a, "Anular recibo"));
	CHECK_INT(f->job, 0);
	CHECK_INT(f->in[FI_SUP_PASS].len, 0); /* refused or posted, the password leaves the field */
	frame(a, "void-self");
	CHECK(ui_seen(&a->ui, "otra persona"));

	/* a supervisor this tablet does not know: refused with a message, nothing voided */
	CHECK(press(a, "Código del supervisor"));
	for (int i = 0; i < 4; i++)
		app_key(a, APP_KEY_BACKSPACE);
	app_text(a, "1002");
	CHECK(press(a, "Contraseña del supervisor"));
	app_text(a, "super2026");
	f->msg[0] = 0;
	CHECK(press(a, "Anular recibo"));
	CHECK_INT(f->in[FI_SUP_PASS].len, 0);
	settle(a);
	CHECK_INT(f->job, 0);
	frame(a, "void-error");
	CHECK(f->msg[0] != 0 && f->msg_kind == UI_ERROR);
	CHECK(ui_seen(&a->ui, f->msg));
	CHECK(!f->rc.voided);
	CHECK_STR(app_screen_name(a), "field-void");
	CHECK_STR(f->in[FI_REASON].buf, "ok pagó dos veces"); /* kept: only the password goes */
	CHECK(press(a, "Cancelar"));
	CHECK_STR(app_screen_name(a), "field-receipt");
}

static void test_close(struct app *a)
{
	struct field *f = a->field;
	/* entered: the store cannot read the totals (no back end yet): said */
	field_go(a, FP_CLOSE);
	frame(a, "close-error");
	CHECK_STR(app_screen_name(a), "field-close");
	CHECK(real || ui_seen(&a->ui, "No se pudieron leer los totales"));
	CHECK(ui_seen(&a->ui, "Ningún recibo"));

	fake_totals(&f->totals);
	f->x_loaded = TODAY;
	f->closed = 0;
	f->msg[0] = 0;
	frame(a, "close-open");
	CHECK(ui_seen(&a->ui, "Día abierto"));
	CHECK(ui_seen(&a->ui, "Efectivo a consignar"));
	CHECK(ui_seen(&a->ui, "Crédito de consumo (COP)"));
	CHECK(ui_seen(&a->ui, "Recibos: 17, del 000026 al 000042"));
	CHECK(ui_seen(&a->ui, "000031, 000040"));
	CHECK(press(a, "Cerrar el día"));
	frame(a, "close-confirm");
	CHECK(ui_seen(&a->ui, "¿Cerrar el día?"));
	CHECK(ui_hit_by_label(&a->ui, "Cerrar el día") == NULL); /* the dialog covers it */
	CHECK(press(a, "Sí, cerrar el día"));
	settle(a);
	CHECK_INT(f->closed, real);
	frame(a, "close-done");
	if (real) { /* closed, then the slip queued and the file written where configured */
		CHECK(ui_seen(&a->ui, "Día cerrado."));
		CHECK_INT(f->x_export, 2);
		CHECK(strncmp(f->export_path, export_dir, strlen(export_dir)) == 0);
		CHECK(ui_seen(&a->ui, "Archivo exportado: "));
		if (helper.lfd >= 0 && a->cfg.usb_helper[0]) { /* mounted, written, ejected: said */
			CHECK(ui_seen(&a->ui, "Memoria USB expulsada: ya puede retirarla."));
			CHECK_STR(helper.log, "mount eject ");
		} else {
			CHECK(!ui_seen(&a->ui, "Memoria USB"));
		}
	} else {
		CHECK(ui_seen(&a->ui, "No se pudo cerrar el día"));
	}

	fake_totals(&f->totals);
	f->closed = 1;
	f->x_print = FPS_NONE; /* the close's own paper and file are not this part's */
	f->x_export = 0;
	f->msg[0] = 0;
	frame(a, "close-closed");
	CHECK(ui_seen(&a->ui, "Día cerrado"));
	for (const char *const *l = (const char *const[]){"Volver", "Reimprimir cierre", "Exportar de nuevo",
							  "Reabrir (supervisor)", NULL};
	     *l; l++)
		CHECK(ui_hit_by_label(&a->ui, *l) != NULL);
	/* no printer, the folder gone (a stick pulled): both said, "Reintentar exportación" */
	struct printq *pq = a->svc.pq;
	a->svc.pq = NULL;
	CHECK(press(a, "Reimprimir cierre"));
	CHECK_INT(f->x_print, FPS_NOT_SENT);
	a->svc.pq = pq;
	snprintf(a->cfg.field_export_dir, sizeof(a->cfg.field_export_dir), "%s/gone", export_dir);
	CHECK(press(a, "Exportar de nuevo"));
	settle(a);
	CHECK_INT(f->x_export, 3);
	if (real && helper.lfd >= 0 && a->cfg.usb_helper[0]) /* a failed export ejects all the same */
		CHECK_STR(helper.log, "mount eject mount eject ");
	snprintf(a->cfg.field_export_dir, sizeof(a->cfg.field_export_dir), "%s", export_dir);
	frame(a, "close-export-failed");
	CHECK(ui_seen(&a->ui, "No se exportó"));
	CHECK(ui_seen(&a->ui, "No se imprimió: no hay impresora configurada"));
	CHECK(ui_hit_by_label(&a->ui, "Reintentar exportación") != NULL);

	/* in English too: the same layout, nothing overlapping */
	i18n_set(LANG_EN);
	frame(a, "close-closed-en");
	CHECK(ui_seen(&a->ui, "Cash to deposit"));
	CHECK(ui_hit_by_label(&a->ui, "Reopen (supervisor)") != NULL);
	i18n_set(LANG_ES);

	CHECK(press(a, "Reabrir (supervisor)"));
	frame(a, "close-reopen");
	CHECK(ui_hit_by_label(&a->ui, "Reabrir el día") != NULL);
	CHECK(ui_hit_by_label(&a->ui, "Contraseña del supervisor") != NULL);
	CHECK(press(a, "Cancelar"));
	CHECK(press(a, "Volver"));
	CHECK_STR(app_screen_name(a), "field-home");
}

static void test_reports(struct app *a)
{
	struct field *f = a->field;
	field_go(a, FP_REPORTS);
	app_render(a, 1);
	CHECK_STR(app_screen_name(a), "field-reports");
	CHECK_INT(f->r_from, TODAY);
	CHECK_INT(f->r_to, TODAY);
	CHECK(real || ui_seen(&a->ui, "No se pudieron leer los totales"));

	/* the range and lines as a store would give them */
	f->r_from = TODAY - 6;
	fake_totals(&f->totals);
	snprintf(f->r_lines[0], FIELD_LINE_MAX, "Vehículos");
	snprintf(f->r_lines[1], FIELD_LINE_MAX, "Crédito de consumo");
	snprintf(f->r_lines[2], FIELD_LINE_MAX, "Vivienda");
	f->r_nlines = 3;
	f->r_line = -1;
	f->msg[0] = 0;
	frame(a, "reports");
	CHECK(ui_seen(&a->ui, "16/11/2026"));
	CHECK(ui_seen(&a->ui, "✓ Últimos 7 días"));
	CHECK(ui_seen(&a->ui, "✓ Todas"));
	for (const char *const *l = (const char *const[]){"Desde -1 día", "Desde +1 día", "Hasta -1 día", "Hoy", "Ayer",
							  "Este mes", "Vivienda", "Imprimir", "Exportar", "Volver", NULL};
	     *l; l++)
		CHECK(ui_hit_by_label(&a->ui, *l) != NULL);
	CHECK(ui_hit_by_label(&a->ui, "Hasta +1 día") == NULL); /* never after today */

	struct printq *pq = a->svc.pq;
	a->svc.pq = NULL;
	CHECK(press(a, "Imprimir"));
	CHECK_INT(f->x_print, FPS_NOT_SENT);
	a->svc.pq = pq;
	frame(a, "reports-print-failed");
	CHECK(ui_seen(&a->ui, "No se imprimió"));

	/* a line picked, then a day: read again (the store refuses here) */
	CHECK(press(a, "Vivienda"));
	CHECK_INT(f->r_line, 2);
	app_render(a, 1);
	CHECK_INT(f->r_line, -1); /* read again: no lines came back */
	CHECK(press(a, "Ayer"));
	CHECK_INT(f->r_from, TODAY - 1);
	CHECK_INT(f->r_to, TODAY - 1);
	CHECK(press(a, "Desde -1 día"));
	CHECK_INT(f->r_from, TODAY - 2);
	CHECK(press(a, "Hasta +1 día"));
	CHECK_INT(f->r_to, TODAY);
	frame(a, "reports-range");
	CHECK(real || ui_seen(&a->ui, "No se pudieron leer los totales"));
	CHECK(press(a, "Este mes"));
	CHECK_INT(f->r_from, 20261101);
	CHECK(press(a, "Volver"));
	CHECK_STR(app_screen_name(a), "field-home");
}

int main(void)
{
	static const int sizes[][2] = {{1280, 800}, {800, 480}, {1080, 1920}};
	char dir[] = "/tmp/recaudo-fieldscr-XXXXXX", data[128], sock[96], ini[96];
	setenv("TZ", "<-05>5", 1);
	shots = getenv("RECAUDO_FIELD_SHOTS");
	if (!mkdtemp(dir))
		return 1;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(tag, sizeof(tag), "%dx%d", sizes[i][0], sizes[i][1]);
		snprintf(data, sizeof data, "%s/data%zu", dir, i);
		snprintf(sock, sizeof sock, "%s/helper.sock", dir);
		snprintf(ini, sizeof ini, "%s/helper.ini", dir);
		CHECK(i > 0 || helper_start(sock, ini) == 0);
		struct app *a = open_app(data, sizes[i][0], sizes[i][1], i == 0 ? ini : NULL);
		CHECK(a != NULL && a->field != NULL);
		if (!a || !a->field)
			break;
		session(a->field);
		real = field_day_closed(a->svc.store, "1001", TODAY) >= 0;
		snprintf(export_dir, sizeof(export_dir), "%s/usb%zu", dir, i);
		CHECK_INT(mkdir(export_dir, 0700), 0);
		snprintf(a->cfg.field_export_dir, sizeof(a->cfg.field_export_dir), "%s", export_dir);
		test_receipt(a);
		test_void(a);
		test_close(a);
		test_reports(a);
		app_close(a);
		free(a);
		if (i == 0) {
			helper.stop = 1;
			pthread_join(helper.t, NULL);
			close(helper.lfd);
			helper.lfd = -1;
		}
	}
	tmpdir_remove(dir);
	return check_done();
}
