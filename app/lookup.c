/* The lookup worker: a worker (offline/worker.h) with one request slot and one result slot. */
#include "lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker.h"

struct lookup_req {
	uint64_t req;
	enum id_type type;
	char number[24];
};

struct lookup_res {
	uint64_t req;
	struct flow_lookup r;
};

struct lookup {
	struct store *store;
	struct api *api;
	long timeout_ms;
	struct worker *w;
};

static void run(struct lookup *l, enum id_type t, const char *number, struct flow_lookup *out)
{
	memset(out, 0, sizeof(*out));
	if (l->api) {
		int rc = api_debts(l->api, t, number, l->timeout_ms, &out->pf);
		if (rc == API_OK || rc == API_NOT_FOUND) {
			out->rc = rc == API_OK ? 0 : 1;
			out->online = 1;
			return;
		}
		/* any failure online: the kiosk's own data, and the screen says so */
		fprintf(stderr, "recaudo: lookup: central API unavailable (%s), using local data\n",
			api_error(l->api));
		portfolio_free(&out->pf);
	}
	out->rc = store_lookup(l->store, t, number, &out->pf);
	out->online = 0;
	if (out->rc < 0)
		fprintf(stderr, "recaudo: lookup: %s\n", store_error(l->store));
}

static int run_req(void *ctx, void *req, void *res)
{
	const struct lookup_req *q = req;
	struct lookup_res *r = res;

	r->req = q->req;
	run(ctx, q->type, q->number, &r->r);
	return 1;
}

/* an answer nobody took is stale: a newer one replaces it */
static void drop_res(void *ctx, void *res)
{
	(void)ctx;
	portfolio_free(&((struct lookup_res *)res)->r.pf);
}

static const struct worker_ops lookup_ops = {
	.req_size = sizeof(struct lookup_req),
	.res_size = sizeof(struct lookup_res),
	.req_depth = 1,
	.res_depth = 1,
	.flags = WORKER_REPLACE,
	.run = run_req,
	.drop_res = drop_res,
};

struct lookup *lookup_open(const char *db_path, const struct api_config *api, long timeout_ms,
			   void (*notify)(void *user), void *user, char *err, size_t errn)
{
	struct lookup *l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	l->timeout_ms = timeout_ms;
	if (store_open(&l->store, db_path, err, errn) != 0)
		goto fail;
	if (api && !(l->api = api_open(api, err, errn)))
		goto fail;
	l->w = worker_start(&lookup_ops, l, notify, user, err, errn);
	if (!l->w)
		goto fail;
	return l;
fail:
	if (l->api)
		api_close(l->api);
	store_close(l->store);
	free(l);
	return NULL;
}

void lookup_request(struct lookup *l, uint64_t req, enum id_type t, const char *number)
{
	struct lookup_req q = {.req = req, .type = t};

	snprintf(q.number, sizeof(q.number), "%s", number);
	worker_post(l->w, &q); /* a slot that replaces: never refused */
	explicit_bzero(&q, sizeof(q));
}

int lookup_poll(struct lookup *l, uint64_t *req, struct flow_lookup *out)
{
	struct lookup_res r;

	if (!worker_poll(l->w, &r))
		return 0;
	*out = r.r;
	*req = r.req;
	return 1;
}

void lookup_wait_idle(struct lookup *l)
{
	worker_wait_idle(l->w);
}

void lookup_close(struct lookup *l)
{
	if (!l)
		return;
	worker_stop(l->w);
	if (l->api)
		api_close(l->api);
	store_close(l->store);
	free(l);
}
