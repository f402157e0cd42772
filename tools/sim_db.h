/* sim_db — the central simulator's SQLite database (docs/central-sim.md, "The database").
 *
 * One file holds two things: the portfolio, in the kiosk store's own schema (offline/store.c),
 * seeded at first start with the store's importer from a portfolio file
 * (docs/portfolio-format.md), and the simulator's tables (sim_*): change versions for the
 * portfolio cursor, every accepted event (kept forever, keyed by idempotency key), the coupons
 * those events announced, and per-device counters and heartbeats.
 *
 * The simulator reads the store's tables with its own connection; imports go through the
 * store API (struct store) so the validation is the kiosk's. Triggers on the customers table
 * give every created or re-imported customer a new version, which is what
 * GET /v1/portfolio/changes pages through. One mutex serialises every use of both
 * connections: every function here takes it. */
#ifndef RECAUDO_SIM_DB_H
#define RECAUDO_SIM_DB_H
#include <cjson/cJSON.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "idnum.h"
#include "sign.h"
#include "store.h"

#define SIM_DEVICE_ID_MAX 32

/* A device the simulator knows: its request-signing secret and its coupon QR key. */
struct sim_device {
	char id[SIM_DEVICE_ID_MAX]; /* X-Device-Id, e.g. "K0001" */
	uint32_t kiosk_id;          /* 1..9999: K= in its coupon QRs, kiosk_id in its events */
	uint8_t secret[SIGN_SECRET_LEN];
	uint8_t qr_key[SIGN_SECRET_LEN];
};

struct sim_db {
	pthread_mutex_t mu;
	sqlite3 *db;         /* the simulator's connection */
	struct store *store; /* the store API on the same file, for imports */
};

/* Opens (creating) the database at path, adds the simulator's tables, registers the devices
 * and, if the portfolio was never imported and seed is not NULL, imports seed. Returns 0, or
 * <0 with err (and *out NULL). Free with sim_db_close. */
int sim_db_open(struct sim_db **out, const char *path, const char *seed, const struct sim_device *devs,
		int ndevs, char *err, size_t errn);
void sim_db_close(struct sim_db *d);

/* Imports a portfolio file all or nothing (customers in it get new change versions).
 * Returns 0 or <0 with err. */
int sim_db_import(struct sim_db *d, const char *path, char *err, size_t errn);

/* The customer as GET /v1/debts answers it ({"customer":…,"documents":[…]}, as_of is
 * added by the caller). Returns 0 with *out (cJSON_Delete), 1 for an unknown customer,
 * <0 on a database failure. */
int sim_db_debts(struct sim_db *d, enum id_type t, const char *number, cJSON **out);

/* Appends to `customers` up to limit customers changed after version `after`, oldest change
 * first; *next is the version to continue from and *more whether any remain. Returns 0
 * or <0. */
int sim_db_changes(struct sim_db *d, int64_t after, int limit, cJSON *customers, int64_t *next, int *more);

/* Appends every TRM ({"cop_per_usd","valid_from","valid_to"}), oldest first. Returns 0 or <0. */
int sim_db_trm(struct sim_db *d, cJSON *trm);

/* Prepares sql on the simulator's connection; NULL on failure. The caller holds d->mu. */
sqlite3_stmt *sim_db_prepare(struct sim_db *d, const char *sql);
/* obj[name] = the text of column col of st's current row ("" for NULL). 0 or -1. */
int sim_db_add_text(cJSON *obj, const char *name, sqlite3_stmt *st, int col);
/* Runs SQL without results on the simulator's connection. 0 or -1. The caller holds d->mu. */
int sim_db_exec(struct sim_db *d, const char *sql);
#endif
