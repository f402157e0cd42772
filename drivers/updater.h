/* updater — the kiosk's side of the software update helper (docs/update-helper.md):
 * maintenance mode's "Software" screen asks the root helper behind a Unix socket
 * (/run/recaudo-update.sock in the image) which update bundles are on the technician's stick,
 * and to install one. Blocking: call it on a worker, never on the UI thread. No SDL, no
 * allocation. */
#ifndef RECAUDO_UPDATER_H
#define RECAUDO_UPDATER_H

/* The default socket, [maintenance] update_helper's default. */
#define UPDATER_SOCKET "/run/recaudo-update.sock"
/* A listing shows at most this many bundles (the helper's own bound). */
#define UPDATER_MAX 16

enum updater_result {
	UPDATER_NO_HELPER, /* nothing listens at the socket: not the kiosk image */
	UPDATER_DONE,      /* list: the listing came; install: installed, the machine reboots */
	UPDATER_REFUSED,   /* install: not newer than the running version, and not forced */
	UPDATER_MONEY,     /* install: money events still wait for the server after the wait */
	UPDATER_WAIT,      /* install: the wait itself failed (the store could not be read) */
	UPDATER_BUNDLE,    /* install: RAUC refuses the bundle (signature, damage), or it is gone */
	UPDATER_INSTALL,   /* install: rauc install failed; the running slot stays */
	UPDATER_BUSY,      /* install: another install is running */
	UPDATER_FAILED,    /* the socket refused us, no answer in time, not the protocol */
};
/* A bundle against the running version; UNKNOWN when the helper cannot read that (it is then
 * installed only forced); BAD: RAUC refuses it. */
enum updater_rel { UPDATER_NEWER, UPDATER_SAME, UPDATER_OLDER, UPDATER_UNKNOWN, UPDATER_BAD };
/* What an install reports while it runs. */
enum updater_phase {
	UPDATER_CHECKED,    /* the bundle checked: version is what goes in */
	UPDATER_WAITING,    /* money events wait for the server first */
	UPDATER_INSTALLING, /* RAUC writes the other slot */
};

struct updater_bundle {
	char name[65];    /* the file's name in the stick's folder: [A-Za-z0-9._+-], ".raucb" */
	char version[33]; /* "" for UPDATER_BAD */
	enum updater_rel rel;
};
struct updater_list {
	enum updater_result res; /* DONE, NO_HELPER or FAILED */
	int err;                 /* FAILED: the errno behind it, 0 for a timeout or a bad answer */
	int n;
	struct updater_bundle b[UPDATER_MAX];
	char running[33]; /* the running version, "-" when the helper could not read it */
};
struct updater_install {
	enum updater_result res;
	int err;
	char version[33];         /* the bundle's, once checked */
	enum updater_phase phase; /* the last phase reported */
};

/* The listing, within timeout_ms. Returns 0 when out->res is DONE, else -1. */
int updater_list(const char *sock, int timeout_ms, struct updater_list *out);
/* Installs the bundle called name (a name from the listing) with update's wait for the money
 * events bounded by wait_s (0..3600) and, when force, even when it is not newer. phase (may be
 * NULL) is called as the helper reports. Waits for the end at most timeout_ms. Returns 0 when
 * out->res is DONE (the helper reboots the machine a moment later), else -1. */
int updater_install(const char *sock, const char *name, int wait_s, int force, int timeout_ms,
		    void (*phase)(void *ctx, enum updater_phase ph, const char *version), void *ctx,
		    struct updater_install *out);
/* 1 when s is a name (or a version, with version 1) the helper would accept. */
int updater_name_ok(const char *s);
int updater_version_ok(const char *s);
/* Parses one listing line into *b ("bundle NAME VERSION REL" or "bad NAME"): 0 or -1. */
int updater_parse_bundle(const char *line, struct updater_bundle *b);
#endif
