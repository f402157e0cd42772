/* test_sync — the data-driven sync cases (tests/sync/NN-name.case, format in
 * docs/sync-tests.md):
 * for each case, the central simulator with the case's faults on 127.0.0.1, the kiosk driver
 * (tools/kiosk-driver.c: the real store, outbox hook and sync worker in a process of its own)
 * issuing coupons against it, the case's mid-run actions (fault changes, the simulator stopped,
 * killed and started again), then the end state: one server record per coupon shown, nothing
 * twice, nothing the kiosk does not have, the local queue and dead letters as the case says,
 * and no id number or name in any log. At the end every request body the driver sent and every
 * answer the simulator gave, in all the cases, is validated against docs/api/openapi.yaml
 * (the simulator's --record, tests/contract/validate.py).
 *
 * A case with `link-delay-ms N` puts a delaying TCP proxy (below, in this process, on
 * 127.0.0.1) between the driver and the simulator: every byte reaches the other side N ms
 * after it was sent, both ways, as on a high-latency link (TLS and all). */
#include <arpa/inet.h>
#include <dirent.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include "check.h"
#include "outbox.h"
#include "store_internal.h"
#include "sim_harness.h"
#include "store.h"

#define CASE_DIR "tests/sync"
#define MAX_ACTIONS 16
#define MAX_EXPECTS 24
#define MAX_SHOWN 4096

enum action_kind { ACT_FAULTS, ACT_STOP, ACT_KILL, ACT_START, ACT_QUEUE_AT_LEAST };

struct action {
	long after; /* coupons shown */
	enum action_kind kind;
	char arg[256]; /* faults: the JSON */
	long n;        /* queue >= n */
	int done;
};

enum op { OP_EQ, OP_GE, OP_LE };

struct expect {
	char metric[48];
	enum op op;
	long value;
	int line;
};

struct sync_case {
	char path[H_PATH];
	char name[64];
	char sim_text[512]; /* the switches, split in place into sim.args */
	char driver_text[256];
	long coupons, interval_ms, bad, deadline_s, link_delay_ms;
	struct action act[MAX_ACTIONS];
	int nact;
	struct expect exp[MAX_EXPECTS];
	int nexp;
	char logs[4][128]; /* the driver's stderr must contain each */
	int nlogs;
	char dead_reason[128]; /* every dead letter's reason contains it */
	int audit;             /* run tools/sync-audit on the end state (field cases) */
};

static char base[64];

/* the simulator's recordings, one per case */
#define MAX_CASES 64
static char records[MAX_CASES][H_PATH];
static int nrecords;

/* Every request the driver sent and every answer the simulator gave, in every case, against
 * docs/api/openapi.yaml (bodies a fault broke on purpose are marked and not checked). */
static void check_contract(void)
{
	char *argv[8 + MAX_CASES];
	int n = 0, rc;

	argv[n++] = "/usr/bin/python3";
	argv[n++] = "tests/contract/validate.py";
	argv[n++] = "--min";
	argv[n++] = "100";
	for (int i = 0; i < nrecords; i++)
		argv[n++] = records[i];
	argv[n] = NULL;
	fflush(stdout);
	rc = h_run(argv, 0);
	if (rc != 0)
		fprintf(stderr, "test_sync: the recorded exchanges do not match the contract (exit %d)\n", rc);
	CHECK_INT(rc, 0);
}

/* ---- the case file ---- */

static int split(char *text, char **out, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(text, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		out[n++] = t;
	return n;
}

static int parse_long_word(const char *w, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(w, &end, 10);
	return w[0] && !*end && !errno ? 0 : -1;
}

static int case_error(const char *path, int line, const char *what)
{
	fprintf(stderr, "%s:%d: %s\n", path, line, what);
	CHECK(0);
	return -1;
}

/* The text after the first word, without leading blanks. */
static const char *rest_of(const char *line, size_t skip)
{
	line += skip;
	return line + strspn(line, " \t");
}

static int parse_action(struct sync_case *c, const char *path, int ln, char *rest)
{
	struct action *a = &c->act[c->nact];
	char *w[4];
	size_t k = strcspn(rest, " \t");
	char word[32];

	if (c->nact >= MAX_ACTIONS)
		return case_error(path, ln, "too many actions");
	memset(a, 0, sizeof *a);
	snprintf(word, sizeof word, "%.*s", (int)k, rest);
	if (parse_long_word(word, &a->after) < 0 || a->after < 0)
		return case_error(path, ln, "after: expected a number of coupons");
	rest = (char *)rest_of(rest, k);
	if (strncmp(rest, "faults ", 7) == 0) {
		a->kind = ACT_FAULTS;
		snprintf(a->arg, sizeof a->arg, "%s", rest_of(rest, 6));
	} else if (strcmp(rest, "stop") == 0) {
		a->kind = ACT_STOP;
	} else if (strcmp(rest, "kill") == 0) {
		a->kind = ACT_KILL;
	} else if (strcmp(rest, "start") == 0) {
		a->kind = ACT_START;
	} else {
		char buf[64];

		snprintf(buf, sizeof buf, "%s", rest);
		if (split(buf, w, 4) != 3 || strcmp(w[0], "queue") != 0 || strcmp(w[1], ">=") != 0 ||
		    parse_long_word(w[2], &a->n) < 0)
			return case_error(path, ln,
					  "after N: faults JSON | stop | kill | start | queue >= K");
		a->kind = ACT_QUEUE_AT_LEAST;
	}
	c->nact++;
	return 0;
}

static int parse_case(const char *path, struct sync_case *c)
{
	FILE *f = fopen(path, "r");
	char line[600];
	int ln = 0, rc = 0;

	memset(c, 0, sizeof *c);
	snprintf(c->path, sizeof c->path, "%s", path);
	c->coupons = 30;
	c->interval_ms = 10;
	c->deadline_s = 60;
	if (!f)
		return case_error(path, 0, strerror(errno));
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char *w[4], buf[600];
		int n;

		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		snprintf(buf, sizeof buf, "%s", line);
		n = split(buf, w, 4);
		if (strcmp(w[0], "name") == 0 && n == 2)
			snprintf(c->name, sizeof c->name, "%s", w[1]);
		else if (strcmp(w[0], "sim") == 0)
			snprintf(c->sim_text, sizeof c->sim_text, "%s", rest_of(line, 3));
		else if (strcmp(w[0], "driver") == 0)
			snprintf(c->driver_text, sizeof c->driver_text, "%s", rest_of(line, 6));
		else if (strcmp(w[0], "coupons") == 0 && n == 2)
			rc = parse_long_word(w[1], &c->coupons);
		else if (strcmp(w[0], "interval-ms") == 0 && n == 2)
			rc = parse_long_word(w[1], &c->interval_ms);
		else if (strcmp(w[0], "bad") == 0 && n == 2)
			rc = parse_long_word(w[1], &c->bad);
		else if (strcmp(w[0], "deadline-s") == 0 && n == 2)
			rc = parse_long_word(w[1], &c->deadline_s);
		else if (strcmp(w[0], "link-delay-ms") == 0 && n == 2)
			rc = parse_long_word(w[1], &c->link_delay_ms);
		else if (strcmp(w[0], "after") == 0)
			rc = parse_action(c, path, ln, (char *)rest_of(line, 5));
		else if (strcmp(w[0], "expect-log") == 0 && c->nlogs < 4)
			snprintf(c->logs[c->nlogs++], sizeof c->logs[0], "%s", rest_of(line, 10));
		else if (strcmp(w[0], "audit") == 0 && n == 1)
			c->audit = 1;
		else if (strcmp(w[0], "expect-dead-reason") == 0)
			snprintf(c->dead_reason, sizeof c->dead_reason, "%s", rest_of(line, 18));
		else if (strcmp(w[0], "expect") == 0 && n == 4 && c->nexp < MAX_EXPECTS) {
			struct expect *e = &c->exp[c->nexp++];

			snprintf(e->metric, sizeof e->metric, "%s", w[1]);
			e->line = ln;
			e->op = strcmp(w[2], ">=") == 0 ? OP_GE : strcmp(w[2], "<=") == 0 ? OP_LE : OP_EQ;
			if (!strchr("=<>", w[2][0]) || (e->op == OP_EQ && strcmp(w[2], "=") != 0))
				rc = -1;
			else
				rc = parse_long_word(w[3], &e->value);
		} else
			rc = -1;
		if (rc < 0)
			case_error(path, ln, "not understood (docs/sync-tests.md has the format)");
	}
	fclose(f);
	if (rc == 0 && !c->name[0])
		rc = case_error(path, 0, "no name");
	return rc;
}

/* ---- the delaying proxy ---- */

#define PROXY_CONNS 32
#define PROXY_CHUNK 16384

struct chunk {
	struct chunk *next;
	int64_t due;
	size_t len, off;
	char data[];
};

/* One direction of a connection: bytes read from `from`, written to `to` when due. */
struct lane {
	int from, to;
	int eof;      /* from said EOF: shut `to` for writing once the queue is empty */
	int shut;
	struct chunk *head, *tail;
};

struct proxy_conn {
	struct proxy *px;
	int client, server;
	pthread_t thread;
};

struct proxy {
	int lfd, upstream_port;
	unsigned port;
	long delay_ms;
	_Atomic int stop;
	pthread_t thread;
	pthread_mutex_t mu;
	struct proxy_conn *conns[PROXY_CONNS];
	int nconns;
};

static void lane_free(struct lane *l)
{
	while (l->head) {
		struct chunk *c = l->head;

		l->head = c->next;
		free(c);
	}
	l->tail = NULL;
}

/* Reads what is there into a chunk due delay_ms from now. -1 on error. */
static int lane_read(struct lane *l, long delay_ms)
{
	struct chunk *c = malloc(sizeof *c + PROXY_CHUNK);
	ssize_t k;

	if (!c)
		return -1;
	k = recv(l->from, c->data, PROXY_CHUNK, 0);
	if (k <= 0) {
		free(c);
		l->eof = 1;
		return k == 0 ? 0 : -1;
	}
	c->next = NULL;
	c->due = h_mono_ms() + delay_ms;
	c->len = (size_t)k;
	c->off = 0;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	return 0;
}

/* Writes every chunk that is due. -1 on error. */
static int lane_write(struct lane *l, int64_t now)
{
	while (l->head && l->head->due <= now) {
		struct chunk *c = l->head;
		ssize_t k = send(l->to, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);

		if (k < 0)
			return -1;
		c->off += (size_t)k;
		if (c->off < c->len)
			continue;
		l->head = c->next;
		if (!l->head)
			l->tail = NULL;
		free(c);
	}
	if (l->eof && !l->head && !l->shut) {
		shutdown(l->to, SHUT_WR);
		l->shut = 1;
	}
	return 0;
}

static void *proxy_conn_run(void *arg)
{
	struct proxy_conn *pc = arg;
	struct proxy *px = pc->px;
	struct lane up = {pc->client, pc->server, 0, 0, NULL, NULL};
	struct lane down = {pc->server, pc->client, 0, 0, NULL, NULL};

	while (!px->stop && !(up.shut && down.shut)) {
		struct pollfd p[2] = {{up.from, up.eof ? 0 : POLLIN, 0}, {down.from, down.eof ? 0 : POLLIN, 0}};
		int64_t now = h_mono_ms(), wait = 100;

		if (up.head && up.head->due - now < wait)
			wait = up.head->due - now;
		if (down.head && down.head->due - now < wait)
			wait = down.head->due - now;
		if (poll(p, 2, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR)
			break;
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !up.eof && lane_read(&up, px->delay_ms) < 0)
			break;
		if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !down.eof &&
		    lane_read(&down, px->delay_ms) < 0)
			break;
		now = h_mono_ms();
		if (lane_write(&up, now) < 0 || lane_write(&down, now) < 0)
			break;
	}
	lane_free(&up);
	lane_free(&down);
	close(pc->client);
	close(pc->server);
	return NULL;
}

static void *proxy_accept(void *arg)
{
	struct proxy *px = arg;

	while (!px->stop) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)px->upstream_port)};
		struct proxy_conn *pc;
		int one = 1, c = accept(px->lfd, NULL, NULL), u;

		if (c < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		u = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (u < 0 || connect(u, (struct sockaddr *)&a, sizeof a) != 0) {
			if (u >= 0)
				close(u);
			close(c);
			continue;
		}
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		pc = calloc(1, sizeof *pc);
		pthread_mutex_lock(&px->mu);
		if (!pc || px->nconns >= PROXY_CONNS) {
			pthread_mutex_unlock(&px->mu);
			free(pc);
			close(c);
			close(u);
			continue;
		}
		*pc = (struct proxy_conn){px, c, u, 0};
		if (pthread_create(&pc->thread, NULL, proxy_conn_run, pc) != 0) {
			pthread_mutex_unlock(&px->mu);
			free(pc);
			close(c);
			close(u);
			continue;
		}
		px->conns[px->nconns++] = pc;
		pthread_mutex_unlock(&px->mu);
	}
	return NULL;
}

/* Listens on 127.0.0.1 (any port, in px->port) and forwards to 127.0.0.1:upstream_port. */
static int proxy_start(struct proxy *px, unsigned upstream_port, long delay_ms)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;

	memset(px, 0, sizeof *px);
	px->upstream_port = (int)upstream_port;
	px->delay_ms = delay_ms;
	pthread_mutex_init(&px->mu, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	px->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (px->lfd < 0 || bind(px->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(px->lfd, 16) != 0 ||
	    getsockname(px->lfd, (struct sockaddr *)&a, &al) != 0)
		return -1;
	px->port = ntohs(a.sin_port);
	return pthread_create(&px->thread, NULL, proxy_accept, px) == 0 ? 0 : -1;
}

static void proxy_stop(struct proxy *px)
{
	px->stop = 1;
	shutdown(px->lfd, SHUT_RDWR);
	close(px->lfd);
	pthread_join(px->thread, NULL);
	for (int i = 0; i < px->nconns; i++) {
		pthread_join(px->conns[i]->thread, NULL);
		free(px->conns[i]);
	}
	pthread_mutex_destroy(&px->mu);
}

/* ---- running one ---- */

struct run {
	struct sync_case *c;
	struct h_sim sim;
	char dir[H_DIR], kiosk[H_PATH], drv_log[H_PATH], pin[128];
	char driver_url[64]; /* the simulator's, or the delaying proxy's */
	pid_t driver;
	long seqs[MAX_SHOWN];
	int nshown, drained, status;
};

static pid_t start_driver(struct run *r, int *out_fd)
{
	char coupons[24], interval[24], bad[24], secret[H_PATH + 16], ca[H_PATH + 16], seed[24];
	char *argv[48 + 16], drv_text[256];
	int fds[2], n = 0;
	pid_t pid;

	snprintf(coupons, sizeof coupons, "%ld", r->c->coupons);
	snprintf(interval, sizeof interval, "%ld", r->c->interval_ms);
	snprintf(bad, sizeof bad, "%ld", r->c->bad);
	snprintf(secret, sizeof secret, "%s/secret", r->sim.dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", r->sim.dir);
	snprintf(seed, sizeof seed, "%u", 1000u + (unsigned)strlen(r->c->name));
	snprintf(drv_text, sizeof drv_text, "%s", r->c->driver_text);
	{
		char *fixed[] = {h_driverbin, "--data",
				 r->kiosk,    "--url",
				 r->driver_url, "--device",
				 "K0001",     "--secret",
				 secret,      "--ca",
				 ca,          "--pin",
				 r->pin,      "--coupons",
				 coupons,     "--interval-ms",
				 interval,    "--bad",
				 bad,         "--seed",
				 seed,        "--backoff-min-ms",
				 "50",        "--backoff-max-ms",
				 "1000"};

		for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
			argv[n++] = fixed[i];
	}
	n += split(drv_text, argv + n, 16);
	argv[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = open(r->drv_log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		close(fds[0]);
		dup2(fds[1], 1);
		if (fd >= 0)
			dup2(fd, 2);
		execv(h_driverbin, argv);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	*out_fd = fds[0];
	return pid;
}

static int64_t local_queue(const struct run *r)
{
	char db[H_PATH + 32], err[256];
	struct outbox_stats st;
	struct outbox *o;
	int64_t q = -1;

	snprintf(db, sizeof db, "%s/recaudo.db", r->kiosk);
	o = outbox_open(db, err, sizeof err);
	if (o && outbox_stats_get(NULL, o, &st) == 0)
		q = st.pending;
	outbox_close(o);
	return q;
}

static void run_actions(struct run *r)
{
	for (int i = 0; i < r->c->nact; i++) {
		struct action *a = &r->c->act[i];
		cJSON *j;
		int64_t q;

		if (a->done || a->after > r->nshown)
			continue;
		a->done = 1;
		switch (a->kind) {
		case ACT_FAULTS:
			j = h_admin(&r->sim, "/admin/faults", a->arg);
			if (!j)
				fprintf(stderr, "%s: POST /admin/faults %s failed\n", r->c->name, a->arg);
			CHECK(j != NULL);
			cJSON_Delete(j);
			break;
		case ACT_STOP:
			CHECK_INT(h_sim_stop(&r->sim, SIGTERM), 0);
			break;
		case ACT_KILL:
			h_sim_stop(&r->sim, SIGKILL);
			break;
		case ACT_START:
			CHECK_INT(h_sim_restart(&r->sim), 0);
			break;
		case ACT_QUEUE_AT_LEAST:
			q = local_queue(r);
			if (q < a->n)
				fprintf(stderr,
					"%s: after %ld shown, the local queue is %" PRId64 ", want >= %ld\n",
					r->c->name, a->after, q, a->n);
			CHECK(q >= a->n);
			break;
		}
	}
}

/* Reads the driver's lines until it exits or the deadline. */
static void drive(struct run *r, int fd)
{
	char buf[8192];
	size_t len = 0;
	int64_t end = h_mono_ms() + r->c->deadline_s * 1000;
	int eof = 0, timed_out = 0;

	run_actions(r); /* "after 0" */
	while (!eof) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t k;
		char *nl;

		if (h_mono_ms() > end) {
			timed_out = 1;
			break;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		k = read(fd, buf + len, sizeof buf - 1 - len);
		if (k <= 0) {
			eof = 1;
			break;
		}
		len += (size_t)k;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			long kiosk, seq;

			*nl = '\0';
			if (sscanf(buf, "shown %ld %ld", &kiosk, &seq) == 2 && kiosk == 1) {
				if (r->nshown < MAX_SHOWN)
					r->seqs[r->nshown++] = seq;
				run_actions(r);
			} else if (strncmp(buf, "drained", 7) == 0) {
				r->drained = 1;
			}
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
	}
	close(fd);
	if (timed_out) {
		fprintf(stderr, "%s: not done within %ld s (%d shown, drained %d)\n", r->c->name,
			r->c->deadline_s, r->nshown, r->drained);
		kill(r->driver, SIGKILL);
	}
	CHECK(!timed_out);
	waitpid(r->driver, &r->status, 0);
	r->driver = 0;
	run_actions(r); /* an "after N" with N = coupons that the last line did not reach */
}

struct end_state {
	double records, accepted, duplicates, rejected, missing_seqs, maintenance, field_events;
	double audit_head; /* the last heartbeat's audit_head: 1 a hash of the kiosk's chain, 0 absent, -1 neither */
	cJSON *stats;
	struct outbox_stats local;
	int64_t local_coupons;
};

static double metric(const struct end_state *e, const char *name)
{
	char path[80];

	if (strcmp(name, "records") == 0)
		return e->records;
	if (strcmp(name, "accepted") == 0)
		return e->accepted;
	if (strcmp(name, "maintenance") == 0)
		return e->maintenance;
	if (strcmp(name, "field_events") == 0)
		return e->field_events;
	if (strcmp(name, "audit_head") == 0)
		return e->audit_head;
	if (strcmp(name, "duplicates") == 0)
		return e->duplicates;
	if (strcmp(name, "rejected") == 0)
		return e->rejected;
	if (strcmp(name, "missing_seqs") == 0)
		return e->missing_seqs;
	if (strcmp(name, "queue") == 0)
		return (double)e->local.pending;
	if (strcmp(name, "acked") == 0)
		return (double)e->local.acked;
	if (strcmp(name, "dead") == 0)
		return (double)e->local.dead;
	if (strncmp(name, "injected.", 9) == 0) {
		snprintf(path, sizeof path, "faults.injected.%s", name + 9);
		return h_num(e->stats, path);
	}
	return -1e18;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The server's coupon records against what was shown: each exactly once, nothing else. */
static void check_records(struct run *r, struct end_state *e)
{
	static long server[MAX_SHOWN];
	int n = 0, twice = 0, missing = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(e->stats, "coupons"))
	{
		if (h_num(it, "kiosk_id") == 1 && n < MAX_SHOWN)
			server[n++] = (long)h_num(it, "seq");
	}
	e->records = n;
	qsort(server, (size_t)n, sizeof server[0], cmp_long);
	for (int i = 1; i < n; i++)
		twice += server[i] == server[i - 1];
	for (int i = 0; i < r->nshown; i++)
		missing += bsearch(&r->seqs[i], server, (size_t)n, sizeof server[0], cmp_long) == NULL;
	if (twice || missing)
		fprintf(stderr, "%s: server records %d, %d twice; %d of %d shown coupons missing\n",
			r->c->name, n, twice, missing, r->nshown);
	CHECK_INT(twice, 0);
	CHECK_INT(missing, 0);
	/* every coupon the kiosk committed was shown (nothing was killed here) and is there */
	CHECK_INT(n, r->nshown);
	CHECK_INT(e->local_coupons, n);
}

/* The server's maintenance.action events against the kiosk's audit rows of the driver's
 * maintenance actions: each audit row exactly once. */
static void check_maintenance(struct end_state *e, int64_t local)
{
	static long server[MAX_SHOWN];
	int n = 0, twice = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(e->stats, "maintenance"))
	{
		if (n < MAX_SHOWN)
			server[n++] = (long)h_num(it, "audit_seq");
	}
	e->maintenance = n;
	qsort(server, (size_t)n, sizeof server[0], cmp_long);
	for (int i = 1; i < n; i++)
		twice += server[i] == server[i - 1];
	CHECK_INT(twice, 0);
	CHECK_INT((long)h_num(e->stats, "maintenance_actions"), n);
	CHECK_INT(n, local);
}

static void check_dead_reasons(struct run *r)
{
	char db[H_PATH + 32], err[256];
	struct outbox_dead_letter *d = NULL;
	struct outbox *o;
	int n = 0;

	snprintf(db, sizeof db, "%s/recaudo.db", r->kiosk);
	o = outbox_open(db, err, sizeof err);
	CHECK(o != NULL);
	if (o && outbox_dead_list(o, 1000, &d, &n) == 0) {
		for (int i = 0; i < n; i++) {
			if (!strstr(d[i].reason, r->c->dead_reason))
				fprintf(stderr, "%s: dead letter reason \"%s\", want \"%s\"\n", r->c->name,
					d[i].reason, r->c->dead_reason);
			CHECK(strstr(d[i].reason, r->c->dead_reason) != NULL);
		}
		CHECK(n > 0);
	}
	free(d);
	outbox_close(o);
}

/* tools/sync-audit on the kiosk's directory and the simulator (its field checks and the
 * server's balances against the seed); its output goes to the case's audit.log. */
static void run_audit(struct run *r)
{
	char bin[H_PATH], ca[H_PATH + 16], secret[H_PATH + 16], log[H_PATH + 16];
	char *slash;
	int rc;

	snprintf(bin, sizeof bin, "%s", h_driverbin);
	slash = strrchr(bin, '/');
	snprintf(slash ? slash + 1 : bin, sizeof bin - (size_t)(slash ? slash + 1 - bin : 0), "sync-audit");
	snprintf(ca, sizeof ca, "%s/ca.pem", r->sim.dir);
	snprintf(secret, sizeof secret, "%s/secret", r->sim.dir);
	snprintf(log, sizeof log, "%s/audit.log", r->dir);
	cJSON_Delete(h_admin(&r->sim, "/admin/faults", "{\"reset\":true}")); /* the run is over */
	{
		char *argv[] = {bin, "--url", r->sim.url, "--ca", ca, "--data", r->kiosk, "--portfolio", H_DEMO,
				"--device", "K0001", "--secret", secret, NULL};
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execv(bin, argv);
			_exit(127);
		}
		rc = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	if (rc != 0) {
		char line[512];
		FILE *f = fopen(log, "r");

		fprintf(stderr, "%s: sync-audit failed (exit %d):\n", r->c->name, rc);
		while (f && fgets(line, sizeof line, f))
			if (strncmp(line, "FAIL", 4) == 0 || line[0] == ' ')
				fputs(line, stderr);
		if (f)
			fclose(f);
	}
	CHECK_INT(rc, 0);
}

static void check_end(struct run *r)
{
	struct end_state e;
	struct store_status ss;
	struct store *s = NULL;
	char db[H_PATH + 32], err[256];
	const char *leak;
	int64_t maint_local = -1;

	memset(&e, 0, sizeof e);
	CHECK(WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0);
	CHECK(r->drained);
	CHECK_INT(r->nshown, r->c->coupons);

	snprintf(db, sizeof db, "%s/recaudo.db", r->kiosk);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	if (s) {
		CHECK_INT(store_status_get(s, &ss), 0);
		e.local_coupons = ss.coupons_issued;
		CHECK_INT(outbox_stats_get(s, NULL, &e.local), 0);
		CHECK_INT(store_query_i64(s, "audit", "SELECT count(*) FROM audit WHERE action = 'test.maint'",
					  &maint_local),
			  0);
	}
	e.stats = h_admin(&r->sim, "/admin/stats", NULL);
	CHECK(e.stats != NULL);
	{ /* the heartbeat's audit_head, when sent, is a hash of this kiosk's chain */
		const cJSON *hb = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e.stats, "devices"), 0),
			"last_heartbeat");
		const char *head = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(hb, "audit_head"));
		int64_t known = 0;
		char sql[160];

		if (head && strlen(head) == 64 && strspn(head, "0123456789abcdef") == 64 && s) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE hash = '%s'", head);
			/* a failed query fails the check below: whether a heartbeat came is timing, and
			 * a check only then would make the count of checks vary from run to run */
			if (store_query_i64(s, "audit", sql, &known) != 0)
				known = -1;
		}
		e.audit_head = !head ? 0 : known == 1 ? 1 : -1;
		CHECK(e.audit_head >= 0);
	}
	store_close(s);
	e.accepted = h_num(e.stats, "accepted");
	e.duplicates = h_num(e.stats, "duplicates");
	e.rejected = h_num(e.stats, "rejected");
	e.missing_seqs = h_num(e.stats, "devices.0.missing_seqs");
	check_records(r, &e);
	check_maintenance(&e, maint_local);
	e.field_events = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e.stats, "field_events"));
	/* one accepted event per coupon, maintenance action and field event: what the server stores */
	CHECK_INT((long)e.accepted, (long)(e.records + e.maintenance + e.field_events));

	for (int i = 0; i < r->c->nexp; i++) {
		const struct expect *x = &r->c->exp[i];
		double v = metric(&e, x->metric);
		int ok = x->op == OP_EQ   ? v == (double)x->value
			 : x->op == OP_GE ? v >= (double)x->value
					  : v <= (double)x->value;

		if (!ok)
			fprintf(stderr, "%s:%d: %s is %.0f, want %s %ld\n", r->c->path, x->line, x->metric, v,
				x->op == OP_EQ   ? "="
				: x->op == OP_GE ? ">="
						 : "<=",
				x->value);
		CHECK(ok);
	}
	for (int i = 0; i < r->c->nlogs; i++) {
		int found = h_count_lines(r->drv_log, r->c->logs[i]) > 0;

		if (!found)
			fprintf(stderr, "%s: the driver's log has no \"%s\"\n", r->c->name, r->c->logs[i]);
		CHECK(found);
	}
	if (r->c->dead_reason[0])
		check_dead_reasons(r);
	if (r->c->audit)
		run_audit(r);
	leak = h_pii_in_file(r->drv_log);
	if (leak)
		fprintf(stderr, "%s: the driver's log has personal data\n", r->c->name);
	CHECK(leak == NULL);
	cJSON_Delete(e.stats);
}

static void run_case(const char *path)
{
	static struct sync_case c;
	static struct proxy px;
	int started_proxy = 0;
	struct run r;
	char simlog[H_PATH + 16];
	int fd = -1;
	int64_t t0 = h_mono_ms();
	int before = check_fail_;
	const char *leak;

	if (parse_case(path, &c) < 0)
		return;
	memset(&r, 0, sizeof r);
	r.c = &c;
	snprintf(r.dir, sizeof r.dir, "%s/%s", base, c.name);
	snprintf(r.kiosk, sizeof r.kiosk, "%s/kiosk", r.dir);
	snprintf(r.drv_log, sizeof r.drv_log, "%s/driver.log", r.dir);
	if (h_sim_prepare(&r.sim, r.dir, r.pin, sizeof r.pin) < 0) {
		fprintf(stderr, "%s: cannot make certificates and keys\n", c.name);
		CHECK(0);
		return;
	}
	r.sim.quiet = 0; /* its log is checked for personal data too */
	r.sim.nargs = split(c.sim_text, r.sim.args, H_SIM_ARGS - 2);
	/* every exchange, for the contract check at the end (tests/contract/validate.py) */
	if (nrecords < MAX_CASES) {
		snprintf(records[nrecords], sizeof records[0], "%s/record.jsonl", r.dir);
		r.sim.args[r.sim.nargs++] = "--record";
		r.sim.args[r.sim.nargs++] = records[nrecords++];
	}
	if (h_sim_start(&r.sim, 0) < 0) {
		fprintf(stderr, "%s: the simulator did not start (switches: %s)\n", c.name, c.sim_text);
		CHECK(0);
		return;
	}
	snprintf(r.driver_url, sizeof r.driver_url, "%s", r.sim.url);
	if (c.link_delay_ms > 0) {
		started_proxy = proxy_start(&px, r.sim.port, c.link_delay_ms) == 0;
		CHECK(started_proxy);
		snprintf(r.driver_url, sizeof r.driver_url, "https://127.0.0.1:%u", px.port);
	}
	r.driver = start_driver(&r, &fd);
	CHECK(r.driver > 0);
	if (r.driver > 0) {
		drive(&r, fd);
		if (r.sim.pid <= 0) /* a case that left it stopped */
			CHECK_INT(h_sim_restart(&r.sim), 0);
		check_end(&r);
	}
	if (started_proxy)
		proxy_stop(&px);
	CHECK_INT(h_sim_stop(&r.sim, SIGTERM), 0);
	snprintf(simlog, sizeof simlog, "%s/sim.log", r.dir);
	leak = h_pii_in_file(simlog);
	if (leak)
		fprintf(stderr, "%s: the simulator's log has personal data\n", c.name);
	CHECK(leak == NULL);
	if (check_fail_ != before) {
		char line[512];
		FILE *f = fopen(r.drv_log, "r");

		fprintf(stderr, "---- %s: the driver's log (%s) ----\n", c.name, r.drv_log);
		for (int i = 0; f && i < 40 && fgets(line, sizeof line, f); i++)
			fputs(line, stderr);
		if (f)
			fclose(f);
	}
	printf("case %-22s %s  %3d coupons  %5.1f s\n", c.name, check_fail_ == before ? "ok  " : "FAIL",
	       r.nshown, (double)(h_mono_ms() - t0) / 1000);
	fflush(stdout);
}

static int is_case(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".case") == 0;
}

int main(int argc, char **argv)
{
	struct dirent **list = NULL;
	int n;

	(void)argc;
	signal(SIGPIPE, SIG_IGN);
	if (h_init(argv[0]) < 0)
		return 1;
	h_load_pii();
	CHECK(h_npii > 10);
	snprintf(base, sizeof base, "/tmp/recaudo-sync-XXXXXX");
	if (!mkdtemp(base))
		return 1;
	n = scandir(CASE_DIR, &list, is_case, alphasort);
	CHECK(n >= 10);
	for (int i = 0; i < n; i++) {
		char path[H_PATH];
		const char *only = getenv("SYNC_CASE"); /* run one case by name */

		snprintf(path, sizeof path, "%s/%s", CASE_DIR, list[i]->d_name);
		if (!only || strncmp(list[i]->d_name, only, strlen(only)) == 0)
			run_case(path);
		free(list[i]);
	}
	free(list);
	if (nrecords > 0 && !getenv("SYNC_CASE"))
		check_contract();
	if (!getenv("SYNC_KEEP"))
		h_rm_rf(base);
	else
		fprintf(stderr, "test_sync: scratch kept in %s\n", base);
	h_free_pii();
	curl_global_cleanup();
	return check_done();
}
