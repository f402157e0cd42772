/* sim_faults — the central simulator's fault switches (docs/central-sim.md): latency, error
 * answers with Retry-After, a connection dropped after the events batch committed, truncated
 * or malformed bodies, a wrong Content-Type, a trickled body, an offset clock and events
 * refused at random.
 *
 * The same names work on the command line (--error-rate 0.3) and in POST /admin/faults
 * ({"error_rate":0.3}). Every random decision comes from one seeded xorshift64* generator
 * (--seed-rng), so a fault run with the same requests in the same order is reproducible.
 * A struct sim_fault_ctl is shared by all connection threads; its functions lock it. */
#ifndef RECAUDO_SIM_FAULTS_H
#define RECAUDO_SIM_FAULTS_H
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct sim_faults {
	int latency_ms;            /* added before every /v1 answer */
	double error_rate;         /* P(answer error_status instead of serving the request) */
	int error_status;          /* 503 (default), 500, 502, 504 or 429 */
	int retry_after_s;         /* Retry-After on those answers; 0 = no header */
	double drop_after_commit;  /* P(POST /v1/events commits, then closes without answering) */
	double truncate;           /* P(a 200 body is cut in half; Content-Length matches the cut) */
	double malformed;          /* P(a 200 body is not valid JSON) */
	double wrong_content_type; /* P(a 200 answer is labelled text/html) */
	int trickle_ms;            /* > 0: bodies go out SIM_TRICKLE_CHUNK bytes at a time */
	int64_t clock_offset_s;    /* the server's clock is off by this much */
	double reject;             /* P(an event not seen before is answered rejected, not stored:
				    * a refusal the kiosk dead-letters and a technician retries) */
	double cert_bad_signature; /* P(a certificate's signature has a bit flipped) */
	double cert_bad_field;     /* P(a certificate's JSON balance differs from its payload's) */
};

#define SIM_TRICKLE_CHUNK 16

enum sim_fault_kind {
	SIM_FAULT_ERROR,
	SIM_FAULT_DROP,
	SIM_FAULT_TRUNCATE,
	SIM_FAULT_MALFORMED,
	SIM_FAULT_CONTENT_TYPE,
	SIM_FAULT_REJECT,
	SIM_FAULT_CERT_SIG,
	SIM_FAULT_CERT_FIELD,
	SIM_FAULT_COUNT
};

struct sim_fault_ctl {
	pthread_mutex_t mu;
	struct sim_faults f;
	uint64_t seed;
	uint64_t rng;
	uint64_t injected[SIM_FAULT_COUNT];
};

/* All faults off, error_status 503, retry_after_s 1. */
void sim_faults_defaults(struct sim_faults *f);
/* A command-line switch without its leading "--" ("latency-ms"): 1 if it is a fault switch and
 * value was stored in *f, 0 if the name is not a fault switch, -1 with err for a bad value. */
int sim_faults_parse_flag(struct sim_faults *f, const char *name, const char *value, char *err, size_t errn);

void sim_faults_init(struct sim_fault_ctl *c, const struct sim_faults *f, uint64_t seed);
void sim_faults_destroy(struct sim_fault_ctl *c);
void sim_faults_get(struct sim_fault_ctl *c, struct sim_faults *out);
/* Draws against the current probability of k; 1 = inject it (and counts it). A probability
 * of 0 draws nothing, so switching one fault on does not disturb a run without it. */
int sim_faults_roll(struct sim_fault_ctl *c, enum sim_fault_kind k);
/* The server's clock: time(NULL) + clock_offset_s. */
int64_t sim_faults_now(struct sim_fault_ctl *c);
/* Applies a JSON object of switches ({"latency_ms":200,"error_rate":0.5}; "seed_rng" reseeds,
 * "reset":true turns everything off first). All or nothing: returns 0, or -1 with err and
 * nothing changed. */
int sim_faults_apply_json(struct sim_fault_ctl *c, const cJSON *obj, char *err, size_t errn);
/* The current switches, the seed and the injected counts as a JSON object (NULL when out of
 * memory); free with cJSON_Delete. */
cJSON *sim_faults_json(struct sim_fault_ctl *c);
#endif
