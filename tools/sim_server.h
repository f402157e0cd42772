/* sim_server — the central simulator's HTTP(S) side, on libmicrohttpd: binds 127.0.0.1 only,
 * one thread per connection (so injected latency or a trickled body stalls only its own
 * client), bounded request bodies, request signature checks (offline/sign.h) for /v1, the
 * fault switches (sim_faults.h), a replay guard (a request id seen within the signature
 * window is answered 409 replayed), and loopback-only unsigned /admin endpoints. */
#ifndef RECAUDO_SIM_SERVER_H
#define RECAUDO_SIM_SERVER_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_db.h"
#include "sim_faults.h"

#define SIM_BODY_MAX (4 * 1024 * 1024) /* a larger request body is answered 413 */

struct sim {
	struct sim_db *db;
	const struct sim_device *devices;
	int ndevices;
	struct sim_fault_ctl faults;
	int quiet; /* no per-request log lines */
	struct MHD_Daemon *mhd;
	uint16_t port;        /* the bound port (useful after asking for port 0) */
	_Atomic int stopping; /* injected sleeps end early when set */
	struct sim_seen *seen; /* request ids seen within the signature window (replays: 409) */
	FILE *record;          /* --record: every /v1 exchange as a JSON line, or NULL */
	struct sim_acct *acct; /* account services' state (sim_account.h) */
};

/* Starts serving s on 127.0.0.1:port (0 = a free port, stored in s->port). With cert_pem and
 * key_pem (PEM text, not paths) it serves HTTPS only. Returns 0 or -1 with err. */
int sim_server_start(struct sim *s, uint16_t port, const char *cert_pem, const char *key_pem, char *err,
		     size_t errn);
/* Stops accepting, closes every connection and waits for their threads. */
void sim_server_stop(struct sim *s);

/* The device with this X-Device-Id / this kiosk number, or NULL. */
const struct sim_device *sim_device_find(const struct sim *s, const char *id);
const struct sim_device *sim_device_by_kiosk(const struct sim *s, uint32_t kiosk_id);
#endif
