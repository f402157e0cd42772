/* The lookup worker: one thread, one request slot, one result slot. */
#include "lookup.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lookup {
	struct store *store;
	struct api *api;
	long timeout_ms;
	void (*notify)(void *user);
	void *user;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv, idle_cv;
	int stop, busy;
	/* request slot */
	int has_req;
	uint64_t req;
	enum id_type type;
	char number[24];
	/* result slot */
	int has_res;
	uint64_t res_req;
	struct flow_lookup res;
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

static void *worker(void *arg)
{
	struct lookup *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (!l->has_req && !l->stop)
			pthread_cond_wait(&l->cv, &l->mu);
		if (l->stop)
			break;
		uint64_t req = l->req;
		enum id_type t = l->type;
		char number[sizeof(l->number)];
		memcpy(number, l->number, sizeof(number));
		explicit_bzero(l->number, sizeof(l->number));
		l->has_req = 0;
		l->busy = 1;
		pthread_mutex_unlock(&l->mu);

		struct flow_lookup r;
		run(l, t, number, &r);
		explicit_bzero(number, sizeof(number));

		pthread_mutex_lock(&l->mu);
		if (l->has_res) /* nobody took the previous answer: it is stale */
			portfolio_free(&l->res.pf);
		l->res = r;
		l->res_req = req;
		l->has_res = 1;
		l->busy = 0;
		pthread_cond_broadcast(&l->idle_cv);
		if (l->notify)
			l->notify(l->user);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct lookup *lookup_open(const char *db_path, const struct api_config *api, long timeout_ms,
			   void (*notify)(void *user), void *user, char *err, size_t errn)
{
	struct lookup *l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errn, "out of memory");
		return NULL;
	}
	l->timeout_ms = timeout_ms;
	l->notify = notify;
	l->user = user;
	if (store_open(&l->store, db_path, err, errn) != 0)
		goto fail;
	if (api && !(l->api = api_open(api, err, errn)))
		goto fail;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	pthread_cond_init(&l->idle_cv, NULL);
	if (pthread_create(&l->thread, NULL, worker, l) != 0) {
		snprintf(err, errn, "cannot start the lookup worker");
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv);
		pthread_cond_destroy(&l->idle_cv);
		goto fail;
	}
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
	pthread_mutex_lock(&l->mu);
	l->req = req;
	l->type = t;
	snprintf(l->number, sizeof(l->number), "%s", number);
	l->has_req = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

int lookup_poll(struct lookup *l, uint64_t *req, struct flow_lookup *out)
{
	int got = 0;
	pthread_mutex_lock(&l->mu);
	if (l->has_res) {
		*out = l->res;
		*req = l->res_req;
		memset(&l->res, 0, sizeof(l->res));
		l->has_res = 0;
		got = 1;
	}
	pthread_mutex_unlock(&l->mu);
	return got;
}

void lookup_wait_idle(struct lookup *l)
{
	pthread_mutex_lock(&l->mu);
	while (l->has_req || l->busy)
		pthread_cond_wait(&l->idle_cv, &l->mu);
	pthread_mutex_unlock(&l->mu);
}

void lookup_close(struct lookup *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL);
	if (l->has_res)
		portfolio_free(&l->res.pf);
	explicit_bzero(l->number, sizeof(l->number));
	if (l->api)
		api_close(l->api);
	store_close(l->store);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	pthread_cond_destroy(&l->idle_cv);
	free(l);
}
