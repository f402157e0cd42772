/* sim_routes — the central simulator's endpoints: /v1 exactly as docs/api/contract.md (the
 * caller has already checked the signature) and the unsigned /admin ones
 * (docs/central-sim.md). Handlers fill a struct sim_reply; the server sends it. */
#ifndef RECAUDO_SIM_ROUTES_H
#define RECAUDO_SIM_ROUTES_H
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_server.h"

struct MHD_Connection;

struct sim_call {
	struct MHD_Connection *conn; /* for the query arguments */
	const char *method;
	const char *path; /* without the query */
	const char *body; /* not NUL-terminated */
	size_t len;
	const struct sim_device *dev; /* the signer, for /v1 */
	int64_t now;                  /* the server's clock (with --clock-offset) */
};

struct sim_reply {
	int status;
	char *body; /* JSON text, freed with cJSON_free (the server does it) */
	size_t len;
	int retry_after_s; /* > 0: a Retry-After header */
	int committed;     /* an events batch was committed (drop-after-commit may apply) */
};

/* Sets status and the body from j, which it deletes. Out of memory becomes a bare 500. */
void sim_reply_json(struct sim_reply *r, int status, cJSON *j);
/* {"error":code} or {"error":code,"message":message} */
void sim_reply_error(struct sim_reply *r, int status, const char *code, const char *message);

void sim_route_v1(struct sim *s, const struct sim_call *c, struct sim_reply *r);
void sim_route_admin(struct sim *s, const struct sim_call *c, struct sim_reply *r);
#endif
