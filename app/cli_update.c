/* `recaudo update-wait` (cli_update.h). */
#include "cli_update.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "services.h"
#include "store.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Sleeps up to s seconds; a signal ends it early. */
static void nap(int64_t s)
{
	struct timespec ts = {(time_t)s, 0};
	while (!stop_signal && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int usage_fail(FILE *err, const char *why)
{
	fprintf(err, "recaudo: update-wait: %s\nusage: recaudo update-wait --version V [--timeout-s N] [--data DIR]\n",
		why);
	return 1;
}

/* The wait itself, on an open store. */
static int wait_loop(struct store *s, const char *version, int64_t timeout_s, FILE *out, FILE *err)
{
	struct store_update_hold prev;
	int64_t start = (int64_t)time(NULL), since = start, held = -1, unacked, dead;
	int rc = 1;

	/* a hold for the same version left by a wait that was killed: its wait goes on */
	if (store_update_hold_get(s, &prev) == 0 && !strcmp(prev.version, version) && prev.since <= start)
		since = prev.since;
	for (;;) {
		if (store_money_events_count(s, &unacked, &dead) != 0) {
			fprintf(err, "recaudo: update-wait: %s\n", store_error(s));
			break;
		}
		int64_t now = (int64_t)time(NULL);
		if (unacked == 0) {
			fprintf(out, "update-wait: clear to install %s: no money event waiting for the server", version);
			if (dead > 0) /* never acknowledged by themselves: a technician's, not the update's */
				fprintf(out, " (%lld dead letters with money need a technician: recaudo queue list)",
					(long long)dead);
			fputs("\n", out);
			rc = 0;
			break;
		}
		if (now - start >= timeout_s) {
			fprintf(out, "update-wait: the update to %s is not installed: %lld money events still not "
				     "acknowledged by the server after %lld s\n",
				version, (long long)unacked, (long long)timeout_s);
			rc = CLI_UPDATE_EXIT_WAITING;
			break;
		}
		if (unacked != held) { /* written when it changes: the store stays quiet otherwise */
			if (store_update_hold_set(s, version, since, unacked) != 0) {
				fprintf(err, "recaudo: update-wait: %s\n", store_error(s));
				break;
			}
			if (held < 0)
				fprintf(out, "update-wait: holding the update to %s: %lld money events not yet "
					     "acknowledged by the server; waiting up to %lld s\n",
					version, (long long)unacked, (long long)timeout_s);
			fflush(out);
			held = unacked;
		}
		int64_t left = timeout_s - (now - start);
		nap(left < CLI_UPDATE_POLL_S ? left : CLI_UPDATE_POLL_S);
		if (stop_signal) {
			fprintf(err, "recaudo: update-wait: stopped by signal %d; the update to %s is not installed\n",
				(int)stop_signal, version);
			break;
		}
	}
	/* the hold ends with the wait, whatever ended it */
	if (store_update_hold_clear(s) != 0) {
		fprintf(err, "recaudo: update-wait: the held update could not be cleared: %s\n", store_error(s));
		rc = rc ? rc : 1;
	}
	return rc;
}

int cli_update_wait(int argc, char **argv, FILE *out, FILE *err)
{
	const char *version = NULL, *dir = app_paths()->data;
	int64_t timeout_s = CLI_UPDATE_TIMEOUT_S;
	char db[600], why[400];

	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--version") && v) {
			version = v, i++;
		} else if (!strcmp(argv[i], "--data") && v) {
			dir = v, i++;
		} else if (!strcmp(argv[i], "--timeout-s") && v) {
			char *end;
			errno = 0;
			long long n = strtoll(v, &end, 10);
			if (errno || end == v || *end || n < 0 || n > 366LL * 86400)
				return usage_fail(err, "--timeout-s wants seconds, 0 to 31622400");
			timeout_s = n, i++;
		} else {
			snprintf(why, sizeof why, "unknown argument %.60s", argv[i]);
			return usage_fail(err, why);
		}
	}
	if (!version)
		return usage_fail(err, "--version V is required");
	if (!store_update_version_ok(version))
		return usage_fail(err, "--version: 1 to 32 characters of A-Z a-z 0-9 . + ~ : _ -");
	if (strlen(dir) > 400)
		return usage_fail(err, "the data directory path is too long");
	snprintf(db, sizeof db, "%s/recaudo.db", dir);
	if (access(db, F_OK) != 0) {
		fprintf(out, "update-wait: clear to install %s: no store in %s, nothing to send\n", version, dir);
		return 0;
	}
	struct store *s;
	if (store_open(&s, db, why, sizeof why) != 0) {
		fprintf(err, "recaudo: update-wait: %s\n", why);
		return 1;
	}
	/* the kiosk writes coupons meanwhile: wait for its short transactions rather than fail */
	store_set_busy_timeout(s, 5000);
	struct sigaction sa, old_term, old_int, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: the nap ends at once */
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGHUP, &sa, &old_hup);
	int rc = wait_loop(s, version, timeout_s, out, err);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	store_close(s);
	return rc;
}

void cli_update_hold_json(FILE *out, const struct store_update_hold *hold)
{
	if (!hold) {
		fputs("\"update\":null,", out);
		return;
	}
	/* the version is checked to be plain characters (store_update_version_ok): no escaping */
	fprintf(out, "\"update\":{\"state\":\"waiting\",\"version\":\"%s\",\"since\":%lld,\"money_events\":%lld},",
		hold->version, (long long)hold->since, (long long)hold->money_events);
}
