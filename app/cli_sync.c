/* `recaudo sync` (cli_sync.h). */
#include "cli_sync.h"

#include <time.h>
#include <unistd.h>

#include "config.h"
#include "services.h"
#include "sync.h"
#include "wire.h"

int cli_sync(const char *config_path, const char *data_dir, FILE *out, FILE *err)
{
	struct config cfg;
	char msg[400];
	config_defaults(&cfg);
	if (config_path && config_load(&cfg, config_path, msg, sizeof(msg)) != 0) {
		fprintf(err, "recaudo: %s\n", msg);
		return 1;
	}
	if (!cfg.central_url[0]) {
		fprintf(err, "recaudo: sync: no central API is configured ([central] url in --config)\n");
		return 1;
	}
	char db[600];
	snprintf(db, sizeof(db), "%s/recaudo.db", data_dir);
	if (access(db, F_OK) != 0) {
		fprintf(err, "recaudo: sync: no store in %s (nothing to send)\n", data_dir);
		return 1;
	}
	int lock = app_sync_lock(data_dir, msg, sizeof(msg));
	if (lock < 0) {
		fprintf(err, "recaudo: sync: %s\n", msg);
		return 1;
	}
	struct sync *y = app_sync_start(&cfg, data_dir, 0, NULL, NULL, msg, sizeof(msg));
	if (!y) {
		app_explain_disk_full(data_dir, msg, sizeof(msg));
		fprintf(err, "recaudo: sync: %s\n", msg);
		close(lock);
		return 1;
	}
	struct sync_report r;
	/* the first round starts at once; it is bounded by the API's timeouts */
	for (int waited = 0;; waited += 50) {
		sync_get_report(y, &r);
		if (r.rounds > 0)
			break;
		if (waited > 15 * 60 * 1000) {
			snprintf(r.last_error, sizeof(r.last_error), "no answer in 15 minutes");
			r.online = 0;
			break;
		}
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	sync_stop(y);
	close(lock);
	char at[32];
	if (wire_format_time(r.last_sync, at) != 0)
		snprintf(at, sizeof(at), "never");
	fprintf(out, "sync: %s · %lld events to send · %lld dead letters · last sync %s\n",
		r.online ? "online" : "offline", (long long)r.queue_depth, (long long)r.dead, at);
	if (!r.online) {
		fprintf(err, "recaudo: sync: the server could not be reached: %s\n",
			r.last_error[0] ? r.last_error : "unknown reason");
		return 1;
	}
	if (r.queue_depth > 0) {
		fprintf(err, "recaudo: sync: %lld events are still waiting\n", (long long)r.queue_depth);
		return 1;
	}
	return 0;
}
