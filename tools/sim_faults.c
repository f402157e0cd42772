/* Fault switches and the simulator's PRNG (see sim_faults.h). */
#include "sim_faults.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_field.h"
#include "sim_json.h"

enum kind { K_MS, K_PROB, K_STATUS, K_SECONDS, K_OFFSET };
enum field {
	F_LATENCY,
	F_ERROR_RATE,
	F_ERROR_STATUS,
	F_RETRY_AFTER,
	F_DROP,
	F_TRUNCATE,
	F_MALFORMED,
	F_CONTENT_TYPE,
	F_TRICKLE,
	F_CLOCK_OFFSET,
	F_REJECT,
	F_CERT_SIG,
	F_CERT_FIELD
};

/* One row per switch: the command line uses `cli`, /admin/faults uses `json`. */
static const struct sw {
	const char *cli, *json;
	enum kind kind;
	enum field field;
} switches[] = {
	{"latency-ms", "latency_ms", K_MS, F_LATENCY},
	{"error-rate", "error_rate", K_PROB, F_ERROR_RATE},
	{"error-status", "error_status", K_STATUS, F_ERROR_STATUS},
	{"retry-after", "retry_after", K_SECONDS, F_RETRY_AFTER},
	{"drop-after-commit", "drop_after_commit", K_PROB, F_DROP},
	{"truncate", "truncate", K_PROB, F_TRUNCATE},
	{"malformed", "malformed", K_PROB, F_MALFORMED},
	{"wrong-content-type", "wrong_content_type", K_PROB, F_CONTENT_TYPE},
	{"trickle-ms", "trickle_ms", K_MS, F_TRICKLE},
	{"clock-offset", "clock_offset", K_OFFSET, F_CLOCK_OFFSET},
	{"reject", "reject", K_PROB, F_REJECT},
	{"cert-bad-signature", "cert_bad_signature", K_PROB, F_CERT_SIG},
	{"cert-bad-field", "cert_bad_field", K_PROB, F_CERT_FIELD},
};
#define NSWITCHES ((int)(sizeof switches / sizeof switches[0]))

/* v has been range-checked for the field's kind. */
static void set_field(struct sim_faults *f, enum field id, double v)
{
	switch (id) {
	case F_LATENCY:
		f->latency_ms = (int)v;
		break;
	case F_ERROR_RATE:
		f->error_rate = v;
		break;
	case F_ERROR_STATUS:
		f->error_status = (int)v;
		break;
	case F_RETRY_AFTER:
		f->retry_after_s = (int)v;
		break;
	case F_DROP:
		f->drop_after_commit = v;
		break;
	case F_TRUNCATE:
		f->truncate = v;
		break;
	case F_MALFORMED:
		f->malformed = v;
		break;
	case F_CONTENT_TYPE:
		f->wrong_content_type = v;
		break;
	case F_TRICKLE:
		f->trickle_ms = (int)v;
		break;
	case F_CLOCK_OFFSET:
		f->clock_offset_s = (int64_t)v;
		break;
	case F_REJECT:
		f->reject = v;
		break;
	case F_CERT_SIG:
		f->cert_bad_signature = v;
		break;
	case F_CERT_FIELD:
		f->cert_bad_field = v;
		break;
	}
}

static double get_field(const struct sim_faults *f, enum field id)
{
	switch (id) {
	case F_LATENCY:
		return f->latency_ms;
	case F_ERROR_RATE:
		return f->error_rate;
	case F_ERROR_STATUS:
		return f->error_status;
	case F_RETRY_AFTER:
		return f->retry_after_s;
	case F_DROP:
		return f->drop_after_commit;
	case F_TRUNCATE:
		return f->truncate;
	case F_MALFORMED:
		return f->malformed;
	case F_CONTENT_TYPE:
		return f->wrong_content_type;
	case F_TRICKLE:
		return f->trickle_ms;
	case F_CLOCK_OFFSET:
		return (double)f->clock_offset_s;
	case F_REJECT:
		return f->reject;
	case F_CERT_SIG:
		return f->cert_bad_signature;
	case F_CERT_FIELD:
		return f->cert_bad_field;
	}
	return 0;
}

static const char *const injected_names[SIM_FAULT_COUNT] = {
	"error", "drop_after_commit", "truncate", "malformed", "wrong_content_type", "reject",
	"cert_bad_signature", "cert_bad_field",
};

#define MS_MAX 600000        /* ten minutes: longer than any client timeout */
#define OFFSET_MAX 315360000 /* ten years */

void sim_faults_defaults(struct sim_faults *f)
{
	memset(f, 0, sizeof *f);
	f->error_status = 503;
	f->retry_after_s = 1;
}

static int status_ok(int64_t v)
{
	return v == 429 || v == 500 || v == 502 || v == 503 || v == 504;
}

/* Checks v for the switch and stores it. Returns 0 or -1 with err. */
static int store_value(struct sim_faults *f, const struct sw *s, double v, char *err, size_t errn)
{
	int ok = 0;

	switch (s->kind) {
	case K_PROB:
		ok = v >= 0 && v <= 1;
		break;
	case K_MS:
	case K_SECONDS:
		ok = v >= 0 && v <= MS_MAX && v == floor(v);
		break;
	case K_STATUS:
		ok = v == floor(v) && status_ok((int64_t)v);
		break;
	case K_OFFSET:
		ok = v >= -OFFSET_MAX && v <= OFFSET_MAX && v == floor(v);
		break;
	}
	if (ok) {
		set_field(f, s->field, v);
		return 0;
	}
	switch (s->kind) {
	case K_PROB:
		snprintf(err, errn, "%s: must be a probability from 0 to 1", s->json);
		break;
	case K_STATUS:
		snprintf(err, errn, "%s: must be 429, 500, 502, 503 or 504", s->json);
		break;
	case K_OFFSET:
		snprintf(err, errn, "%s: must be whole seconds within ten years", s->json);
		break;
	default:
		snprintf(err, errn, "%s: must be a whole number from 0 to %d", s->json, MS_MAX);
		break;
	}
	return -1;
}

int sim_faults_parse_flag(struct sim_faults *f, const char *name, const char *value, char *err, size_t errn)
{
	for (int i = 0; i < NSWITCHES; i++) {
		char *end;
		double v;

		if (strcmp(name, switches[i].cli) != 0)
			continue;
		if (!value || !*value) {
			snprintf(err, errn, "--%s: needs a value", name);
			return -1;
		}
		errno = 0;
		v = strtod(value, &end);
		if (errno || *end) {
			snprintf(err, errn, "--%s: not a number", name);
			return -1;
		}
		return store_value(f, &switches[i], v, err, errn) < 0 ? -1 : 1;
	}
	return 0;
}

/* xorshift64* (Vigna): tiny, and the same sequence on every machine. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

static void reseed(struct sim_fault_ctl *c, uint64_t seed)
{
	c->seed = seed;
	c->rng = seed ? seed : UINT64_C(0x5265636175646f); /* the state must not be 0 */
}

void sim_faults_init(struct sim_fault_ctl *c, const struct sim_faults *f, uint64_t seed)
{
	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	c->f = *f;
	reseed(c, seed);
}

void sim_faults_destroy(struct sim_fault_ctl *c)
{
	pthread_mutex_destroy(&c->mu);
}

void sim_faults_get(struct sim_fault_ctl *c, struct sim_faults *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->f;
	pthread_mutex_unlock(&c->mu);
}

int sim_faults_roll(struct sim_fault_ctl *c, enum sim_fault_kind k)
{
	double p = 0;
	int hit = 0;

	pthread_mutex_lock(&c->mu);
	switch (k) {
	case SIM_FAULT_ERROR:
		p = c->f.error_rate;
		break;
	case SIM_FAULT_DROP:
		p = c->f.drop_after_commit;
		break;
	case SIM_FAULT_TRUNCATE:
		p = c->f.truncate;
		break;
	case SIM_FAULT_MALFORMED:
		p = c->f.malformed;
		break;
	case SIM_FAULT_CONTENT_TYPE:
		p = c->f.wrong_content_type;
		break;
	case SIM_FAULT_REJECT:
		p = c->f.reject;
		break;
	case SIM_FAULT_CERT_SIG:
		p = c->f.cert_bad_signature;
		break;
	case SIM_FAULT_CERT_FIELD:
		p = c->f.cert_bad_field;
		break;
	case SIM_FAULT_COUNT:
		break;
	}
	if (p >= 1)
		hit = 1;
	else if (p > 0)
		hit = (double)(rng_next(&c->rng) >> 11) * 0x1.0p-53 < p; /* uniform in [0, 1) */
	if (hit && k < SIM_FAULT_COUNT)
		c->injected[k]++;
	pthread_mutex_unlock(&c->mu);
	return hit;
}

int64_t sim_faults_now(struct sim_fault_ctl *c)
{
	int64_t off;

	pthread_mutex_lock(&c->mu);
	off = c->f.clock_offset_s;
	pthread_mutex_unlock(&c->mu);
	return (int64_t)time(NULL) + off;
}

int sim_faults_apply_json(struct sim_fault_ctl *c, const cJSON *obj, char *err, size_t errn)
{
	struct sim_faults f;
	const cJSON *item;
	int64_t seed = -1;
	int rc = 0;

	if (!cJSON_IsObject(obj)) {
		snprintf(err, errn, "the body must be a JSON object of fault switches");
		return -1;
	}
	pthread_mutex_lock(&c->mu);
	f = c->f;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "reset")))
		sim_faults_defaults(&f);
	cJSON_ArrayForEach(item, obj)
	{
		const struct sw *s = NULL;

		if (strcmp(item->string, "reset") == 0) {
			if (!cJSON_IsBool(item)) {
				snprintf(err, errn, "reset: must be true or false");
				rc = -1;
				break;
			}
			continue;
		}
		if (strcmp(item->string, "seed_rng") == 0) {
			if (jf_int_value(item, 0, SIM_JSON_INT_MAX, &seed) < 0) {
				snprintf(err, errn, "seed_rng: must be a whole number from 0 to 2^53-1");
				rc = -1;
				break;
			}
			continue;
		}
		for (int i = 0; i < NSWITCHES; i++)
			if (strcmp(item->string, switches[i].json) == 0)
				s = &switches[i];
		if (!s) {
			snprintf(err, errn, "%.40s: not a fault switch", item->string);
			rc = -1;
			break;
		}
		if (!cJSON_IsNumber(item)) {
			snprintf(err, errn, "%s: must be a number", s->json);
			rc = -1;
			break;
		}
		rc = store_value(&f, s, item->valuedouble, err, errn);
		if (rc < 0)
			break;
	}
	if (rc == 0) {
		c->f = f;
		if (seed >= 0)
			reseed(c, (uint64_t)seed);
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

cJSON *sim_faults_json(struct sim_fault_ctl *c)
{
	cJSON *j = cJSON_CreateObject(), *inj = cJSON_CreateObject();
	struct sim_faults f;
	uint64_t seed, counts[SIM_FAULT_COUNT];
	int ok = j && inj;

	pthread_mutex_lock(&c->mu);
	f = c->f;
	seed = c->seed;
	memcpy(counts, c->injected, sizeof counts);
	pthread_mutex_unlock(&c->mu);

	for (int i = 0; ok && i < NSWITCHES; i++) {
		const struct sw *s = &switches[i];
		double v = get_field(&f, s->field);

		if (s->kind == K_PROB)
			ok = cJSON_AddNumberToObject(j, s->json, v) != NULL;
		else
			ok = jf_add_int(j, s->json, (int64_t)v) == 0;
	}
	ok = ok && jf_add_int(j, "seed_rng", (int64_t)(seed & (uint64_t)SIM_JSON_INT_MAX)) == 0;
	for (int k = 0; ok && k < SIM_FAULT_COUNT; k++)
		ok = jf_add_int(inj, injected_names[k], (int64_t)counts[k]) == 0;
	if (!ok || !cJSON_AddItemToObject(j, "injected", inj)) {
		cJSON_Delete(inj);
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}
