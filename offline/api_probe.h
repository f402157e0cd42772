/* api_probe — one timed heartbeat for a technician (the Estado dashboard, `recaudo maint
 * status`; docs/maintenance.md "Estado"): the heartbeat exactly as the sync worker sends it
 * (signed, on the handle's own timeouts), its latency on the monotonic clock, and the dates of
 * the certificates the server showed in that handshake (libcurl's CURLOPT_CERTINFO, which
 * every TLS backend of Debian's libcurl fills).
 *
 * Blocks up to the handle's timeouts: never on the UI thread. Use a new handle (api_open) for
 * a probe, so the handshake, and with it the certificates, happen on this request. */
#ifndef RECAUDO_API_PROBE_H
#define RECAUDO_API_PROBE_H
#include <stdint.h>

#include "api.h"

struct api_probe {
	int rc;                  /* the heartbeat's enum api_status */
	int64_t latency_us;      /* from the call to the whole answer read, connection and TLS
				  * handshake included (a new handle has none open) */
	int64_t cert_not_after;  /* epoch s: the earliest expiry among the certificates the server
				  * sent; 0 when unknown (http://, or no handshake completed) */
	int certs;               /* how many certificates the server sent (0: unknown) */
	int cert_expired;        /* the handshake was refused because a certificate has expired */
	char error[256];         /* api_error() of a failed heartbeat, "" on API_OK */
};

/* Sends one heartbeat hb on a and fills *out. Returns out->rc. */
int api_probe_heartbeat(struct api *a, const struct api_heartbeat *hb, struct api_probe *out);
/* A certificate date as libcurl's TLS backends write it in CERTINFO ("Dec 22 10:00:00 2026
 * GMT" from OpenSSL, "2026-12-22 10:00:00 GMT" from GnuTLS) -> epoch s; -1 if unreadable. */
int64_t api_probe_cert_time(const char *text);
#endif
