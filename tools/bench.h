/* bench — what tools/bench.c shares with the measurements kept in their own files
 * (tools/bench_field.c): the clock, the percentiles and the table rows (docs/benchmarks.md). */
#ifndef RECAUDO_BENCH_H
#define RECAUDO_BENCH_H
#include <stdint.h>
#include <stdio.h>

struct stats {
	double med, p95, p99, max;
};
/* CLOCK_MONOTONIC in milliseconds. */
double now_ms(void);
/* Sorts v[0..n-1] in place; nearest-rank percentiles. */
struct stats stats_of(double *v, int n);
/* A table row "metric|target|measured|ok" to the --rows file (stdout without it); row_info
 * for a figure with no target. */
extern FILE *rows_out;
void row(const char *metric, const char *target, const char *measured, int ok);
void row_info(const char *metric, const char *measured);

/* A fixed-seed sequence (splitmix64): every run picks the same customers. */
uint64_t rng_next(void);

/* `bench field STORE.db`: the field agent's client search on a gen-portfolio store. 0 or 1. */
int bench_field(const char *db);
#endif
