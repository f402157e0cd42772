/* The kiosk online, then with the network cable pulled (the simulator stopped), then back:
 * the customer's journey works the same throughout (online data first, local data with its
 * age when offline), only the status line changes, and when the server returns the queue is
 * drained so that the server holds each coupon exactly once.
 * Servers on 127.0.0.1 only, started and stopped here. */
#define _XOPEN_SOURCE 700
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "headless.h"
#include "outbox.h"

#define START_MS 1795359600000LL /* 2026-11-22 10:00 -05:00: the demo data's "today" */

static char dir[64], simbin[512], port_file[200];
static pid_t sim;
static unsigned port;

static int write_file(const char *name, const void *data, size_t n)
{
	char p[300];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return -1;
	fwrite(data, 1, n, f);
	return fclose(f);
}

static int start_sim(unsigned want_port)
{
	char listen[64], cert[200], key[200], db[200], dev[400];
	snprintf(listen, sizeof listen, "127.0.0.1:%u", want_port);
	snprintf(cert, sizeof cert, "%s/server.pem", dir);
	snprintf(key, sizeof key, "%s/server.key", dir);
	snprintf(db, sizeof db, "%s/central.db", dir);
	snprintf(dev, sizeof dev, "K0001:%s/device.secret:%s/kiosk.key:1", dir, dir);
	unlink(port_file);
	sim = fork();
	if (sim == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		char *argv[] = {simbin, "--listen", listen, "--tls", cert, key, "--db", db, "--seed",
				"assets/demo/portfolio.json", "--device", dev, "--port-file", port_file,
				"--quiet", NULL};
		execv(simbin, argv);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int ok = fscanf(f, "%u", &port) == 1;
			fclose(f);
			if (ok && port)
				return 0;
		}
		struct timespec ts = {0, 20000000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void stop_sim(void)
{
	if (sim > 0) {
		kill(sim, SIGTERM);
		waitpid(sim, NULL, 0);
		sim = 0;
	}
}

static int run_script(struct app *a, const char *name, const char *text)
{
	char p[300], shots[300];
	snprintf(p, sizeof p, "%s/%s.script", dir, name);
	snprintf(shots, sizeof shots, "%s/shots", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	return headless_run(a, p, shots);
}

/* Lets real time pass for the sync worker while the UI loop keeps pumping, until the queue
 * has `depth` events (or the deadline). Returns the depth seen last. */
static int64_t settle_queue(struct app *a, int64_t depth, int seconds)
{
	struct outbox_stats st = {0};
	for (int i = 0; i < seconds * 20; i++) {
		app_pump(a);
		app_render(a, 0);
		if (outbox_stats_get(a->store, NULL, &st) == 0 && st.pending == depth)
			break;
		struct timespec ts = {0, 50000000};
		nanosleep(&ts, NULL);
	}
	app_pump(a);
	app_render(a, 1);
	return st.pending;
}

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
	char *buf = user;
	size_t have = strlen(buf), add = size * n;
	if (have + add >= 65536)
		add = 65535 - have;
	memcpy(buf + have, p, add);
	buf[have + add] = 0;
	return size * n;
}

/* The server's records: each (kiosk, seq) and how many times it appears. */
static void check_server(int want)
{
	static char body[65536];
	char url[128], ca[200];
	body[0] = 0;
	snprintf(url, sizeof url, "https://127.0.0.1:%u/admin/stats", port);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)body);
	CHECK_INT(curl_easy_perform(c), CURLE_OK);
	curl_easy_cleanup(c);
	cJSON *j = cJSON_Parse(body), *list = cJSON_GetObjectItem(j, "coupons");
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

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
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
	snprintf(simbin, sizeof simbin, "%s", argv[0]);
	char *slash = strrchr(simbin, '/');
	if (slash)
		*slash = 0;
	slash = strrchr(simbin, '/');
	snprintf(slash ? slash : simbin, sizeof simbin - (size_t)(slash ? slash - simbin : 0), "%s",
		 slash ? "/central-sim" : "central-sim");
	snprintf(dir, sizeof dir, "/tmp/recaudo-online-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(port_file, sizeof port_file, "%s/port", dir);
	curl_global_init(CURL_GLOBAL_DEFAULT);

	pid_t g = fork();
	if (g == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		execlp("sh", "sh", "tools/gen-cert.sh", dir, (char *)NULL);
		_exit(127);
	}
	int status = -1;
	waitpid(g, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	uint8_t secret[32], qrkey[32];
	for (int i = 0; i < 32; i++) {
		secret[i] = (uint8_t)(3 * i + 1);
		qrkey[i] = (uint8_t)(0x5a ^ i);
	}
	write_file("device.secret", secret, 32);
	write_file("kiosk.key", qrkey, 32);
	CHECK_INT(start_sim(0), 0);

	char pin[128] = "", ini[2048], p[300];
	snprintf(p, sizeof p, "%s/pin.txt", dir);
	FILE *f = fopen(p, "r");
	if (f) {
		if (fgets(pin, sizeof pin, f))
			pin[strcspn(pin, "\n")] = 0;
		fclose(f);
	}
	snprintf(ini, sizeof ini,
		 "[security]\nqr_key_file = %s/kiosk.key\n[central]\nurl = https://127.0.0.1:%u\n"
		 "device_id = K0001\nsecret_file = %s/device.secret\nca_file = %s/ca.pem\npinned_key = %s\n"
		 "lookup_timeout_ms = 2000\nheartbeat_s = 5\n",
		 dir, port, dir, dir, pin);
	write_file("kiosk.ini", ini, strlen(ini));

	struct app *a = calloc(1, sizeof(*a));
	char cfg[300], data[300], err[400], script[2048];
	snprintf(cfg, sizeof cfg, "%s/kiosk.ini", dir);
	snprintf(data, sizeof data, "%s/kiosk", dir);
	struct app_opts o = {.config_path = cfg, .data_dir = data, .demo = 1, .headless = 1, .start_ms = START_MS};
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
		stop_sim();
		snprintf(script, sizeof script, journey, "Sin conexión: datos guardados al");
		CHECK_INT(run_script(a, "offline", script), 0);
		CHECK_INT(settle_queue(a, 1, 3), 1);
		struct sync_report r;
		sync_get_report(a->sync, &r);
		CHECK_INT(r.online, 0);
		CHECK(ui_seen(&a->ui, "Sin conexión"));
		CHECK(ui_seen(&a->ui, "1 por enviar"));

		/* the server is back on the same address: the queue drains, exactly once */
		CHECK_INT(start_sim(port), 0);
		sync_kick(a->sync);
		CHECK_INT(settle_queue(a, 0, 30), 0);
		check_server(2);
		app_close(a);
	}
	free(a);
	stop_sim();
	curl_global_cleanup();
	if (!getenv("KEEP"))
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_done();
}
