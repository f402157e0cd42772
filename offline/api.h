/* api — the kiosk's client for the central API (docs/api/contract.md): libcurl over one
 * reused connection, HTTPS with peer verification, an optional pinned public key (a pin
 * mismatch sends nothing), signed requests (offline/sign.h), bounded response bodies, and
 * strict parsers that turn any malformed answer into an error that changes nothing.
 *
 * The client sends requests and hands back plain structs, or record by record to a sink; it
 * writes nothing anywhere. Where the records go (the store's import transaction) is the
 * caller's: offline/sync_refresh.c.
 *
 * A handle is used by one thread at a time (the sync worker has its own; online lookups use
 * another). Calls block up to their timeout: never on the UI thread. */
#ifndef RECAUDO_API_H
#define RECAUDO_API_H
#include <stddef.h>
#include <stdint.h>
#include "domain.h"
#include "outbox.h"

#define API_BODY_MAX (8 * 1024 * 1024) /* a larger response is refused, not truncated */

struct api_config {
	char base_url[256];        /* "https://127.0.0.1:8443" (no trailing slash) */
	char device_id[32];
	uint8_t secret[32];
	char ca_file[256];         /* "" = system CAs */
	char pinned_key[256];      /* "" = none; else "sha256//BASE64" or a PEM/DER path (curl's syntax) */
	long connect_timeout_ms;   /* TCP and TLS handshake; default 3000 (the sync worker: 30000) */
	long timeout_ms;           /* whole request; default 10000 (lookups pass their own) */
	long low_speed_time_s;     /* > 0: a request moving less than low_speed_limit bytes/s for */
	long low_speed_limit;      /* this long is abandoned (a stalled link); limit default 1 */
};

enum api_status {
	API_OK = 0,
	API_NOT_FOUND = 1,         /* debts: unknown customer */
	API_ERR_NETWORK = -1,      /* cannot connect, timeout, connection dropped */
	API_ERR_TLS = -2,          /* certificate or pin failure: nothing was sent */
	API_ERR_AUTH = -3,         /* 401: bad signature / clock skew / unknown device */
	API_ERR_SERVER = -4,       /* 429/5xx (retry_after_s may be set) */
	API_ERR_PROTOCOL = -5,     /* malformed, truncated, too large, wrong content type, mismatch */
	API_DENIED = -6,           /* 403 {"error":"invalid_credentials"}: an agent's login refused */
};

struct api;

/* Returns NULL with err on failure. Free with api_close. */
struct api *api_open(const struct api_config *cfg, char *err, size_t errn);
void api_close(struct api *a);
/* While *flag is non-zero, a request under way is abandoned (within about a second) and
 * returns API_ERR_NETWORK: how the sync worker stops without waiting out a slow link. */
void api_set_cancel(struct api *a, const _Atomic int *flag);
/* Human-readable reason for the last failure (never contains personal data). */
const char *api_error(const struct api *a);
/* Seconds the server asked to wait (Retry-After) on the last API_ERR_SERVER, else 0. */
int api_retry_after(const struct api *a);
/* Server clock from the last response's Date or server_time, 0 if unknown. */
int64_t api_server_time(const struct api *a);

/* GET /v1/debts. On API_OK *out is filled (free with portfolio_free; data_as_of = response
 * as_of). timeout_ms bounds the whole call (the kiosk uses <= 3000). */
int api_debts(struct api *a, enum id_type t, const char *number, long timeout_ms, struct portfolio *out);

/* POST /v1/events with n events; on API_OK results[i] holds the status of ev[i]. */
/* API_ITEM_NONE (0): no answer (a failed call leaves every result so, never "accepted"). */
enum api_item { API_ITEM_NONE, API_ITEM_ACCEPTED, API_ITEM_DUPLICATE, API_ITEM_REJECTED };
struct api_item_result {
	enum api_item status;
	char reason[200];
};
int api_events(struct api *a, const struct outbox_event *ev, int n, struct api_item_result *results);

#define API_CURSOR_MAX 256 /* a portfolio-changes cursor, NUL included */

/* Where a page of changes or a TRM table goes, record by record, in body order. begin (may be
 * NULL) is called once the answer has arrived, before the first record (the sync worker
 * opens its import transaction there: never across the network wait). A negative return
 * from any of them stops the parse: the call returns API_ERR_PROTOCOL with the record's path
 * as the reason ("portfolio changes: customers[1].documents[0]"); the sink adds its own. */
struct api_sink {
	int (*customer)(void *user, enum id_type t, const char *number, const char *name);
	int (*document)(void *user, const struct document *d);
	int (*trm)(void *user, const struct trm *t);
	int (*begin)(void *user);
};

struct api_page {
	char cursor[API_CURSOR_MAX]; /* where the next page starts */
	int more;                    /* 1: call again with cursor */
	int64_t as_of;               /* epoch s of the server's data */
	int customers, documents;
};

/* GET /v1/portfolio/changes from cursor: the page's customers and documents go to sink; on
 * API_OK *page says where the next page starts, whether there is one, and the data's as_of.
 * On any failure the sink has to undo what it took (the page is all or nothing). */
int api_portfolio_changes(struct api *a, const char *cursor, const struct api_sink *sink, void *user,
			  struct api_page *page);
/* GET /v1/trm: every rate goes to sink->trm; *count = rates seen. */
int api_trm(struct api *a, const struct api_sink *sink, void *user, int *count);

/* The printer detail sent in a heartbeat is at most this long (bytes, NUL included). */
#define API_PRINTER_DETAIL_MAX 80
struct api_heartbeat {
	int64_t queue_depth, oldest_unsynced_s, dead_letters;
	const char *printer;        /* the printer's state: "ready", "paper_out", ... */
	int64_t data_as_of;
	const char *version;
	const char *printer_job;    /* its last job's outcome: "none", "incomplete", ...; NULL: left out */
	const char *printer_detail; /* what it reported ("" or NULL: left out) */
	const char *audit_head;     /* the audit chain's head, 64 hex (offline/audit.h); "" or NULL:
				     * left out (no audit row yet) */
	/* an update held back by unacknowledged money events (offline/store_update.h), sent as
	 * "update": {"state":"waiting","version":...,"since":...,"money_events":...}; NULL or "":
	 * none held, the field left out */
	const char *update_version;
	int64_t update_since, update_money_events;
};
int api_heartbeat(struct api *a, const struct api_heartbeat *hb);

/* POST /v1/agents/login (offline/api_agents.c): the server checks an agent's password.
 * API_OK: *out holds who it is and the clients assigned (free with api_agent_login_free);
 * API_DENIED: a wrong code or password; anything else: the server could not say (the caller
 * falls back on the tablet's cached hash). The password goes in the body only; the copies made
 * here are wiped. code: 1..16 ASCII letters/digits; password: 1..64 bytes. */
#define API_AGENT_CLIENTS_MAX 5000
struct api_agent_client {
	enum id_type id_type;
	char id_number[24]; /* a NIT as its base */
};
struct api_agent_login {
	char agent[17];
	char name[96];
	int supervisor; /* role "supervisor" (else "agent") */
	struct api_agent_client *clients; /* nclients, malloc'ed */
	int nclients;
	int64_t server_time;
};
int api_agent_login(struct api *a, const char *code, const char *password, long timeout_ms,
		    struct api_agent_login *out);
void api_agent_login_free(struct api_agent_login *out);

/* The response parsers, exposed for tests and the fuzzer: they take a body (not
 * NUL-terminated) and never read past len. */
int api_parse_events(const char *body, size_t len, const struct outbox_event *ev, int n,
		     struct api_item_result *results, char *err, size_t errn);
int api_parse_debts(const char *body, size_t len, struct portfolio *out, char *err, size_t errn);
/* The 200 answer of POST /v1/agents/login (free *out with api_agent_login_free). */
int api_parse_agent_login(const char *body, size_t len, struct api_agent_login *out, char *err, size_t errn);
#endif
