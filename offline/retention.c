/* retention — the pass (print jobs, receipts folder, vacuum) and its worker (offline/worker.h). */
#include "retention.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

/* The worker waits for the UI thread's coupon transaction; it is not on screen. */
#define RETENTION_BUSY_MS 2000

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* "receipt-<digits>[-copia].bin|.png": 1 and the coupon seq. */
static int receipt_name(const char *name, uint64_t *seq)
{
	const char *p = name + strlen("receipt-");
	char *end;

	if (strncmp(name, "receipt-", 8) != 0 || *p < '0' || *p > '9')
		return 0;
	errno = 0;
	*seq = strtoull(p, &end, 10);
	if (errno)
		return 0;
	if (strncmp(end, "-copia", 6) == 0)
		end += 6;
	return strcmp(end, ".bin") == 0 || strcmp(end, ".png") == 0;
}

struct rfile {
	char name[NAME_MAX + 1];
	int64_t mtime, bytes;
	int protect;
};

/* Newest first; the same second by name, descending, so the order is stable. */
static int cmp_rfile(const void *a, const void *b)
{
	const struct rfile *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return -strcmp(x->name, y->name);
}

int retention_prune_dir(const char *dir, int64_t max_age_s, int64_t max_bytes,
			int64_t keep_recent_s, int64_t now, const uint64_t *keep, size_t nkeep,
			struct retention_report *r)
{
	struct rfile *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int64_t kept = 0;
	char path[PATH_MAX];
	int full = 0, rc = -1;
	DIR *d = opendir(dir);

	if (!d) {
		if (errno == ENOENT)
			return 0; /* nothing printed yet */
		snprintf(r->error, sizeof r->error, "retention: %.160s: %s", dir, strerror(errno));
		return -1;
	}
	/* readdir is safe on a stream only this thread reads (POSIX; readdir_r is deprecated) */
	/* cppcheck-suppress readdirCalled */
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		uint64_t seq;

		if (!receipt_name(e->d_name, &seq) ||
		    snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct rfile *nv = realloc(v, ncap * sizeof *nv);

			if (!nv) {
				snprintf(r->error, sizeof r->error, "retention: out of memory");
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		snprintf(v[n].name, sizeof v[n].name, "%s", e->d_name);
		v[n].mtime = (int64_t)st.st_mtime;
		v[n].bytes = (int64_t)st.st_size;
		v[n].protect = v[n].mtime > now - keep_recent_s ||
			       (nkeep && bsearch(&seq, keep, nkeep, sizeof *keep, cmp_u64));
		if (v[n].protect)
			kept += v[n].bytes;
		n++;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_rfile);
	/* As for print jobs: protected files count against the cap but never go; the others
	 * stay while young enough and within what is left, the oldest go first. */
	for (size_t i = 0; i < n; i++) {
		if (v[i].protect) {
			r->files_kept++;
			continue;
		}
		if (!full && v[i].mtime > now - max_age_s && kept + v[i].bytes <= max_bytes) {
			kept += v[i].bytes;
			r->files_kept++;
			continue;
		}
		full |= v[i].mtime > now - max_age_s;
		snprintf(path, sizeof path, "%s/%s", dir, v[i].name);
		if (unlink(path) != 0 && errno != ENOENT) {
			snprintf(r->error, sizeof r->error, "retention: %.160s: %s", path, strerror(errno));
			goto out;
		}
		r->files_removed++;
		r->file_bytes_removed += v[i].bytes;
	}
	r->file_bytes_kept = kept;
	rc = 0;
out:
	closedir(d);
	free(v);
	return rc;
}

int retention_run(struct store *s, const struct retention_policy *p, int64_t now,
		  struct retention_report *r)
{
	struct store_retention sr = {p->max_age_s, p->print_max_bytes, p->keep_recent_s,
				     p->keep_unacked};
	uint64_t *unacked = NULL;
	size_t nunacked = 0;

	memset(r, 0, sizeof *r);
	r->rc = -1;
	if (store_print_prune(s, &sr, now, &r->jobs) < 0) {
		snprintf(r->error, sizeof r->error, "%s", store_error(s));
		return -1;
	}
	if (p->receipts_dir[0]) {
		if (p->keep_unacked && store_unacked_coupons(s, &unacked, &nunacked) < 0) {
			snprintf(r->error, sizeof r->error, "%s", store_error(s));
			return -1;
		}
		if (retention_prune_dir(p->receipts_dir, p->max_age_s, p->receipts_max_bytes,
					p->keep_recent_s, now, unacked, nunacked, r) < 0) {
			free(unacked);
			return -1;
		}
		free(unacked);
	}
	if (p->max_age_s > 0 && store_outbox_prune(s, now - p->max_age_s, &r->events_removed) < 0) {
		snprintf(r->error, sizeof r->error, "%s", store_error(s));
		return -1;
	}
	if (store_vacuum(s, &r->vacuum_freed) < 0 || store_disk_usage(s, &r->disk) < 0) {
		snprintf(r->error, sizeof r->error, "%s", store_error(s));
		return -1;
	}
	r->rc = 0;
	return 0;
}

/* ---- the worker (offline/worker.h) ---- */

/* The first pass is a request posted at start (retention_wait_first waits for it); the later
 * ones are the worker's timed job, every period_s. */
struct retention {
	struct store *store;
	struct retention_policy policy;
	int64_t period_s;
	int64_t next_pass_ms; /* the worker's own: monotonic ms of the next pass */
	struct worker *w;
};

static int pass(void *ctx, void *res)
{
	struct retention *t = ctx;

	retention_run(t->store, &t->policy, (int64_t)time(NULL), res);
	t->next_pass_ms = worker_now_ms() + t->period_s * 1000;
	return 1;
}

/* The integrity check, then the first pass if the store passed it. */
static int first_pass(void *ctx, void *req, void *res)
{
	struct retention *t = ctx;
	struct retention_report *r = res;
	char detail[sizeof r->check_detail];
	int rc;

	(void)req;
	rc = store_quick_check(t->store, detail, sizeof detail);
	if (rc < 0)
		snprintf(detail, sizeof detail, "%s", store_error(t->store));
	if (rc == 1) {
		memset(r, 0, sizeof *r);
		r->rc = -1;
		snprintf(r->error, sizeof r->error, "no retention pass on a store that failed its integrity check");
	} else {
		pass(ctx, res);
	}
	r->checked = 1;
	r->check_rc = rc;
	snprintf(r->check_detail, sizeof r->check_detail, "%s", detail);
	return 1;
}

static int64_t next_pass(void *ctx, int64_t now_ms)
{
	(void)now_ms;
	return ((struct retention *)ctx)->next_pass_ms;
}

static const struct worker_ops retention_ops = {
	.req_size = 1,
	.res_size = sizeof(struct retention_report),
	.req_depth = 1,
	.res_depth = 1, /* an unread report gives way to the newer one */
	.run = first_pass,
	.next_tick = next_pass,
	.tick = pass,
};

struct retention *retention_start(const char *db_path, const struct retention_policy *p,
				  int64_t period_s, void (*notify)(void *user), void *user,
				  char *err, size_t errn)
{
	struct retention *t = calloc(1, sizeof *t);

	if (!t) {
		snprintf(err, errn, "retention: out of memory");
		return NULL;
	}
	if (store_open(&t->store, db_path, err, errn) != 0) {
		free(t);
		return NULL;
	}
	store_set_busy_timeout(t->store, RETENTION_BUSY_MS);
	t->policy = *p;
	t->period_s = period_s > 0 ? period_s : RETENTION_PERIOD_S;
	t->next_pass_ms = INT64_MAX; /* until the first pass has run */
	t->w = worker_start(&retention_ops, t, notify, user, err, errn);
	if (!t->w || worker_post(t->w, "") != 0) {
		if (t->w)
			snprintf(err, errn, "retention: cannot start the worker");
		worker_stop(t->w);
		store_close(t->store);
		free(t);
		return NULL;
	}
	return t;
}

int retention_poll(struct retention *t, struct retention_report *out)
{
	return worker_poll(t->w, out);
}

void retention_wait_first(struct retention *t)
{
	worker_wait_idle(t->w);
}

void retention_stop(struct retention *t)
{
	if (!t)
		return;
	worker_stop(t->w);
	store_close(t->store);
	free(t);
}
