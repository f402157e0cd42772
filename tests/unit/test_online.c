/* The kiosk online, then with the network cable pulled (the simulator stopped), then back:
 * the customer's journey works the same throughout (online data first, local data with its
 * age when offline), only the status line changes, and when the server returns the queue is
 * drained so that the server holds each coupon exactly once.
 * Servers on 127.0.0.1 only, started and stopped here. */
#include "app.h"
#include "check.h"
#include "headless.h"
#include "outbox.h"
#include "sim_harness.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00: the demo data's "today" */

static struct h_sim sim;

static int run_script(struct app *a, const char *name, const char *text)
{
	char p[H_PATH + 32], shots[H_PATH + 16];
	snprintf(p, sizeof p, "%s/%s.script", sim.dir, name);
	snprintf(shots, sizeof shots, "%s/shots", sim.dir);
	if (h_write_file(p, text, strlen(text)) < 0)
		return -1;
	return headless_run(a, p, shots);
}

/* Lets real time pass for the sync worker while the UI loop keeps pumping, until the queue
 * has `depth` events and the sync worker has reported as much (its report is what the status
 * line shows; under valgrind its round can come well after the store changed), or the
 * deadline. Returns the depth seen last. */
static int64_t settle_queue(struct app *a, int64_t depth, int seconds)
{
	struct outbox_stats st = {0};
	for (int i = 0; i < seconds * 20; i++) {
		struct sync_report r;
		app_pump(a);
		app_render(a, 0);
		sync_get_report(a->svc.sync, &r);
		if (outbox_stats_get(a->svc.store, NULL, &st) == 0 && st.pending == depth && r.queue_depth == depth)
			break;
		h_sleep_ms(50);
	}
	app_pump(a);
	app_render(a, 1);
	return st.pending;
}

/* The server's records: each (kiosk, seq) exactly once. */
static void check_server(int want)
{
	cJSON *j = h_admin(&sim, "/admin/stats", NULL), *list = cJSON_GetObjectItem(j, "coupons");
	CHECK(cJSON_IsArray(list));
	CHECK_INT(cJSON_GetArraySize(list), want);
	CHECK_INT((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "accepted")), want);
	int seen[16] = {0};
	cJSON *e;
	cJSON_ArrayForEach(e, list)
	{
		int seq = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "seq"));
		CHECK_INT((int)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "kiosk_id")), 1);
		if (seq > 0 && seq < 16)
			seen[seq]++;
	}
	for (int s = 1; s <= want; s++)
		CHECK_INT(seen[s], 1); /* exactly once */
	cJSON_Delete(j);
}

static const char *journey =
	"press \"Toque para comenzar\"\n"
	"type 1020304050\n"
	"key Enter\n"
	"expect-screen portfolio\n"
	"expect \"%s\"\n"
	"press \"VID-4471203-1126\"\n"
	"press \"Generar cupón\"\n"
	"expect-screen coupon\n"
	"expect \"Su cupón está listo\"\n"
	"press \"Terminar\"\n"
	"press \"Nueva consulta\"\n"
	"expect-screen attract\n";

int main(int argc, char **argv)
{
	(void)argc;
	char dir[] = "/tmp/recaudo-online-XXXXXX", pin[128] = "", ini[2048], p[H_PATH + 16];
	if (h_init(argv[0]) != 0 || !mkdtemp(dir))
		return 1;
	CHECK_INT(h_sim_prepare(&sim, dir, pin, sizeof pin), 0);
	CHECK_INT(h_sim_start(&sim, 0), 0);

	snprintf(ini, sizeof ini,
		 "[security]\nqr_key_file = %s/qrkey\n[central]\nurl = %s\n"
		 "device_id = K0001\nsecret_file = %s/secret\nca_file = %s/ca.pem\npinned_key = %s\n"
		 "lookup_timeout_ms = 2000\nheartbeat_s = 5\n",
		 dir, sim.url, dir, dir, pin);
	snprintf(p, sizeof p, "%s/kiosk.ini", dir);
	h_write_file(p, ini, strlen(ini));

	struct app *a = calloc(1, sizeof(*a));
	char data[H_PATH + 16], err[400], script[2048];
	snprintf(data, sizeof data, "%s/kiosk", dir);
	struct app_opts o = {.config_path = p, .data_dir = data, .demo = 1, .headless = 1, .start_ms = START_MS};
	int opened = app_open(a, &o, err, sizeof err) == 0;
	CHECK(opened);
	if (!opened) {
		fprintf(stderr, "app_open: %s\n", err);
	} else {
		/* online: live data, the coupon's event reaches the server */
		snprintf(script, sizeof script, journey, "Datos en línea al");
		CHECK_INT(run_script(a, "online", script), 0);
		CHECK_INT(settle_queue(a, 0, 15), 0);
		CHECK(ui_seen(&a->ui, "En línea"));

		/* the cable is pulled: same journey on the kiosk's own data, told so */
		h_sim_stop(&sim, SIGTERM);
		snprintf(script, sizeof script, journey, "Sin conexión: datos guardados al");
		CHECK_INT(run_script(a, "offline", script), 0);
		CHECK_INT(settle_queue(a, 1, 3), 1);
		struct sync_report r;
		sync_get_report(a->svc.sync, &r);
		CHECK_INT(r.online, 0);
		CHECK(ui_seen(&a->ui, "Sin conexión"));
		CHECK(ui_seen(&a->ui, "1 por enviar"));

		/* the server is back on the same address: the queue drains, exactly once */
		CHECK_INT(h_sim_restart(&sim), 0);
		sync_kick(a->svc.sync);
		CHECK_INT(settle_queue(a, 0, 30), 0);
		check_server(2);
		/* the heartbeats carry the printer as the driver left it: ready, last job printed
		 * (the one after the link came back, or the next: heartbeat_s = 5) */
		char state[32] = "", job[32] = "";
		for (int i = 0; i < 300 && strcmp(job, "printed") != 0; i++) {
			cJSON *j = h_admin(&sim, "/admin/stats", NULL);
			cJSON *dev = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "devices"), 0);
			cJSON *hb = cJSON_GetObjectItem(dev, "last_heartbeat");
			const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(hb, "printer"));
			snprintf(state, sizeof state, "%s", v ? v : "");
			v = cJSON_GetStringValue(cJSON_GetObjectItem(hb, "printer_job"));
			snprintf(job, sizeof job, "%s", v ? v : "");
			cJSON_Delete(j);
			if (strcmp(job, "printed") != 0) {
				app_pump(a);
				h_sleep_ms(50);
			}
		}
		CHECK_STR(state, "ready");
		CHECK_STR(job, "printed");
		app_close(a);
	}
	free(a);
	h_sim_stop(&sim, SIGTERM);
	curl_global_cleanup();
	if (!getenv("KEEP"))
		h_rm_rf(dir);
	return check_done();
}
