/* svcmgr — the kiosk under a service manager (systemd, docs/operations.md "Under systemd"):
 * READY=1 once the first frame is on screen, WATCHDOG=1 from the main loop, and a STATUS= line
 * saying what the kiosk shows (a few fixed words, never anything about a customer). Also the
 * one line `RECAUDO-READY slot=<S>` on stdout after the first frame, which the image's tests
 * read on the serial console (S: the RAUC slot booted, from /proc/cmdline, or "none").
 *
 * Nothing happens when NOTIFY_SOCKET is unset (a shell, the tests) or in a headless run: every
 * function is then a no-op. The struct is plain data owned by the caller; nothing to free. Used
 * by the UI thread only (the main loop in app/main.c run_window). */
#ifndef RECAUDO_SVCMGR_H
#define RECAUDO_SVCMGR_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct app;

#define SVCMGR_SLOT_MAX 16 /* rauc.slot= values longer than this are not believed */

struct svcmgr {
	int active;          /* NOTIFY_SOCKET set and not headless */
	int ready;           /* READY=1 sent */
	int64_t wd_period_ms; /* how often WATCHDOG=1 goes (a quarter of WATCHDOG_USEC); 0: none */
	int64_t wd_last_ms;  /* CLOCK_MONOTONIC ms of the last WATCHDOG=1 */
	char status[48];     /* the last STATUS= sent */
};

/* Reads the environment (NOTIFY_SOCKET, WATCHDOG_USEC/WATCHDOG_PID through libsystemd); headless:
 * stays inactive whatever the environment says. */
void svcmgr_init(struct svcmgr *m, int headless);
/* After a pass of the main loop: frame_shown says a frame was presented. On the first one,
 * prints `RECAUDO-READY slot=<S>` on out (flushed; the slot from cmdline, the text of
 * /proc/cmdline, NULL: read it) and sends READY=1; then STATUS=status when it changed (status
 * NULL: none), and WATCHDOG=1 on the first call, then when a period has passed since the last. */
void svcmgr_tick(struct svcmgr *m, int frame_shown, const char *status, FILE *out, const char *cmdline);
/* The longest the main loop may sleep before svcmgr_tick must run again, in ms; -1: no limit
 * (no watchdog). Never more than half the watchdog interval. */
int svcmgr_wait_ms(const struct svcmgr *m);
/* Tells the service manager the kiosk is stopping (STOPPING=1). */
void svcmgr_stopping(struct svcmgr *m);

/* The value of rauc.slot= in a kernel command line into out (n >= SVCMGR_SLOT_MAX + 1): only
 * [A-Za-z0-9_-]{1,16} is taken; absent, empty, too long or anything else gives "none". */
void svcmgr_slot_parse(const char *cmdline, char *out, size_t n);

/* What the kiosk shows, as a STATUS= text: "attract screen", "serving a customer",
 * "maintenance", "out of service", "field mode", "account services". */
const char *svcmgr_app_status(const struct app *a);
#endif
