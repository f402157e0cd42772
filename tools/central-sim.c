/* central-sim — a real HTTP(S) server on 127.0.0.1 that implements the central API
 * (docs/api/contract.md) for demos and tests, with its own SQLite database and fault
 * switches. docs/central-sim.md is the manual.
 *
 *   central-sim --listen 127.0.0.1:PORT [--tls CERT.pem KEY.pem] --db FILE
 *               [--seed PORTFOLIO.json] --device ID:SECRET_FILE:QRKEY_FILE[:KIOSK] [--device …]
 *               [--port-file FILE] [--quiet] [--seed-rng N] [--record FILE] [fault switches…]
 *               [--accounts ACCOUNTS.json] [--cert-key ED25519_KEY.pem]
 *
 * --record FILE appends every /v1 exchange (method, path, status, both bodies) as a JSON line:
 * the contract test (tests/sh/test_contract.sh) validates them against docs/api/openapi.yaml.
 * PORT 0 picks a free port; --port-file then tells it (written once the server listens, by
 * rename, so a reader never sees half a number). SIGINT/SIGTERM stop it cleanly, exit 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_account.h"
#include "sim_db.h"
#include "sim_faults.h"
#include "sim_server.h"

#define MAX_DEVICES 64
#define PEM_MAX (64 * 1024)

struct options {
	const char *listen, *cert, *key, *db, *seed, *port_file, *record, *accounts, *cert_key;
	int quiet;
	uint64_t rng_seed;
	struct sim_faults faults;
	struct sim_device devices[MAX_DEVICES];
	int ndevices;
};

static void usage(FILE *f)
{
	fputs("usage: central-sim --listen 127.0.0.1:PORT [--tls CERT.pem KEY.pem] --db FILE\n"
	      "                   [--seed PORTFOLIO.json] --device ID:SECRET_FILE:QRKEY_FILE[:KIOSK]...\n"
	      "                   [--port-file FILE] [--quiet] [--seed-rng N] [--record FILE]\n"
	      "                   [--accounts ACCOUNTS.json] [--cert-key ED25519_KEY.pem]\n"
	      "                   [--latency-ms N] [--error-rate P] [--error-status 503] [--retry-after S]\n"
	      "                   [--drop-after-commit P] [--truncate P] [--malformed P]\n"
	      "                   [--wrong-content-type P] [--trickle-ms N] [--clock-offset S]\n"
	      "                   [--cert-bad-signature P] [--cert-bad-field P]\n"
	      "PORT 0 picks a free port (see --port-file). Only 127.0.0.1 is accepted.\n"
	      "Faults can be changed at run time: POST /admin/faults (docs/central-sim.md).\n",
	      f);
}

/* "127.0.0.1:8443" -> 8443. Anything but the IPv4 loopback address is refused. */
static int parse_listen(const char *s, uint16_t *port, char *err, size_t errn)
{
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long p;

	if (!colon || (size_t)(colon - s) != strlen("127.0.0.1") || strncmp(s, "127.0.0.1", 9) != 0) {
		snprintf(err, errn,
			 "--listen: only 127.0.0.1:PORT is allowed (the simulator never "
			 "leaves this machine)");
		return -1;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || p > 65535) {
		snprintf(err, errn, "--listen: the port must be 0..65535");
		return -1;
	}
	*port = (uint16_t)p;
	return 0;
}

/* A device id is short and plain: it goes into headers and the database. */
static int id_ok(const char *id, size_t n)
{
	if (n == 0 || n >= SIM_DEVICE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_' || id[i] == '.'))
			return 0;
	return 1;
}

/* The kiosk number: given, or the digits the id ends with ("K0007" -> 7). 0 if neither. */
static uint32_t kiosk_number(const char *id, const char *given)
{
	const char *p = given;
	uint32_t k = 0;

	if (!p) {
		p = id + strlen(id);
		while (p > id && p[-1] >= '0' && p[-1] <= '9')
			p--;
	}
	if (!*p || strlen(p) > 4 || strspn(p, "0123456789") != strlen(p))
		return 0;
	for (; *p; p++)
		k = k * 10 + (uint32_t)(*p - '0');
	return k;
}

/* ID:SECRET_FILE:QRKEY_FILE[:KIOSK] */
static int parse_device(struct options *o, const char *spec, char *err, size_t errn)
{
	char buf[1200], *parts[4] = {0}, *p;
	struct sim_device *d;
	int n = 0;

	if (o->ndevices == MAX_DEVICES) {
		snprintf(err, errn, "--device: at most %d devices", MAX_DEVICES);
		return -1;
	}
	if (strlen(spec) >= sizeof buf) {
		snprintf(err, errn, "--device: too long");
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	for (p = buf; n < 4; n++) {
		parts[n] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (p || n < 2) {
		snprintf(err, errn, "--device: must be ID:SECRET_FILE:QRKEY_FILE[:KIOSK]");
		return -1;
	}
	d = &o->devices[o->ndevices];
	if (!id_ok(parts[0], strlen(parts[0]))) {
		snprintf(err, errn, "--device: the id must be 1 to %d letters, digits, '-', '_' or '.'",
			 SIM_DEVICE_ID_MAX - 1);
		return -1;
	}
	memcpy(d->id, parts[0], strlen(parts[0]) + 1);
	d->kiosk_id = kiosk_number(parts[0], parts[3]);
	if (d->kiosk_id < 1 || d->kiosk_id > 9999) {
		snprintf(err, errn,
			 "--device %s: no kiosk number 1..9999 (end the id with it, or add :KIOSK)", d->id);
		return -1;
	}
	for (int i = 0; i < o->ndevices; i++)
		if (strcmp(o->devices[i].id, d->id) == 0 || o->devices[i].kiosk_id == d->kiosk_id) {
			snprintf(err, errn, "--device %s: the id or the kiosk number is already taken",
				 d->id);
			return -1;
		}
	if (sign_load_secret(parts[1], d->secret, err, errn) < 0 ||
	    sign_load_secret(parts[2], d->qr_key, err, errn) < 0)
		return -1;
	o->ndevices++;
	return 0;
}

static int parse_args(struct options *o, int argc, char **argv, char *err, size_t errn)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int rc;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--quiet") == 0) {
			o->quiet = 1;
			continue;
		} else if (strncmp(a, "--", 2) != 0 || !v) {
			snprintf(err, errn, "%s: unknown argument, or a value is missing", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--listen") == 0) {
			o->listen = v;
		} else if (strcmp(a, "--tls") == 0) {
			if (i + 1 >= argc) {
				snprintf(err, errn, "--tls: needs CERT.pem and KEY.pem");
				return -1;
			}
			o->cert = v;
			o->key = argv[++i];
		} else if (strcmp(a, "--db") == 0) {
			o->db = v;
		} else if (strcmp(a, "--seed") == 0) {
			o->seed = v;
		} else if (strcmp(a, "--port-file") == 0) {
			o->port_file = v;
		} else if (strcmp(a, "--record") == 0) {
			o->record = v;
		} else if (strcmp(a, "--accounts") == 0) {
			o->accounts = v;
		} else if (strcmp(a, "--cert-key") == 0) {
			o->cert_key = v;
		} else if (strcmp(a, "--device") == 0) {
			if (parse_device(o, v, err, errn) < 0)
				return -1;
		} else if (strcmp(a, "--seed-rng") == 0) {
			char *end;

			errno = 0;
			o->rng_seed = strtoull(v, &end, 10);
			if (errno || *end || !*v || *v == '-' || o->rng_seed > UINT64_C(9007199254740991)) {
				snprintf(err, errn, "--seed-rng: must be a whole number from 0 to 2^53-1");
				return -1;
			}
		} else if ((rc = sim_faults_parse_flag(&o->faults, a + 2, v, err, errn)) != 0) {
			if (rc < 0)
				return -1;
		} else {
			snprintf(err, errn, "%s: unknown option", a);
			return -1;
		}
	}
	if (!o->listen || !o->db || o->ndevices == 0) {
		snprintf(err, errn, "--listen, --db and at least one --device are required");
		return -1;
	}
	return 0;
}

/* A PEM file, whole, NUL-terminated, bounded. Free with free(). */
static char *read_pem(const char *path, char *err, size_t errn)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!f) {
		snprintf(err, errn, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(PEM_MAX + 1);
	if (!buf) {
		snprintf(err, errn, "out of memory");
		goto out;
	}
	n = fread(buf, 1, PEM_MAX + 1, f);
	if (ferror(f) || n == 0 || n > PEM_MAX) {
		snprintf(err, errn, "%s: unreadable, empty or larger than %d bytes", path, PEM_MAX);
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return buf;
}

static int write_port_file(const char *path, uint16_t port, char *err, size_t errn)
{
	char tmp[1100];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		snprintf(err, errn, "--port-file: path too long");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", (unsigned)port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errn, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct options o; /* the device keys are large-ish: not on the stack */
	struct sim s;
	char err[512] = "", *cert = NULL, *key = NULL;
	uint16_t port = 0;
	sigset_t sigs;
	int sig = 0, rc = 1;

	memset(&s, 0, sizeof s);
	sim_faults_defaults(&o.faults);
	if (parse_args(&o, argc, argv, err, sizeof err) < 0 ||
	    parse_listen(o.listen, &port, err, sizeof err) < 0) {
		fprintf(stderr, "central-sim: %s\n", err);
		usage(stderr);
		return 2;
	}
	if (o.cert &&
	    (!(cert = read_pem(o.cert, err, sizeof err)) || !(key = read_pem(o.key, err, sizeof err)))) {
		fprintf(stderr, "central-sim: %s\n", err);
		goto out;
	}
	/* block the stop signals before any thread exists: every thread inherits the mask and
	 * main waits for them with sigwait */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (sim_db_open(&s.db, o.db, o.seed, o.devices, o.ndevices, err, sizeof err) < 0) {
		fprintf(stderr, "central-sim: %s\n", err);
		goto out;
	}
	if (sim_account_open(&s.acct, s.db, o.accounts, o.cert_key, err, sizeof err) < 0) {
		fprintf(stderr, "central-sim: %s\n", err);
		goto out;
	}
	s.devices = o.devices;
	s.ndevices = o.ndevices;
	s.quiet = o.quiet;
	sim_faults_init(&s.faults, &o.faults, o.rng_seed);
	if (o.record && !(s.record = fopen(o.record, "a"))) {
		fprintf(stderr, "central-sim: --record %s: %s\n", o.record, strerror(errno));
		goto out_faults;
	}
	if (sim_server_start(&s, port, cert, key, err, sizeof err) < 0) {
		fprintf(stderr, "central-sim: %s\n", err);
		goto out_faults;
	}
	if (o.port_file && write_port_file(o.port_file, s.port, err, sizeof err) < 0) {
		fprintf(stderr, "central-sim: %s\n", err);
		goto out_stop;
	}
	fprintf(stderr, "central-sim: listening on %s://127.0.0.1:%u (%d device%s)\n",
		cert ? "https" : "http", (unsigned)s.port, o.ndevices, o.ndevices == 1 ? "" : "s");
	if (sigwait(&sigs, &sig) != 0)
		fprintf(stderr, "central-sim: sigwait failed\n");
	fprintf(stderr, "central-sim: stopping\n");
	rc = 0;
out_stop:
	sim_server_stop(&s);
out_faults:
	sim_faults_destroy(&s.faults);
	if (s.record)
		fclose(s.record);
out:
	sim_account_close(s.acct);
	sim_db_close(s.db);
	explicit_bzero(o.devices, sizeof o.devices);
	free(cert);
	if (key)
		explicit_bzero(key, strlen(key));
	free(key);
	return rc;
}
