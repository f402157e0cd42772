/* respawn — the kiosk's own parent process (`recaudo --respawn`, image/README.md "The units",
 * docs/operations.md "Under systemd"): started once by the service manager, it loads the
 * kiosk's libraries, then forks the kiosk; when a kiosk that had shown its first frame dies of
 * a crash signal, it forks the next one at once. The new kiosk skips the service manager's
 * restart (the sandbox, exec, the dynamic linker) and, under an emulator that translates code
 * by address, finds its libraries where the last one had them.
 *
 * The rules (respawn_run):
 *   - the kiosk exits (any code): the parent exits with the same code (the service manager
 *     decides: Restart=always, "Reiniciar aplicación", a stop);
 *   - the kiosk dies of SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGKILL, SIGTRAP or SIGSYS
 *     after its first frame: a new kiosk at once, at most RESPAWN_MAX times per parent; the
 *     next crash after those ends the parent (128 + the signal), so the service manager
 *     starts a new one with a new address layout (a crash-probing attacker gets RESPAWN_MAX + 1
 *     tries per layout, not thousands) and counts the restart (the health gate's crash-loop
 *     limit sees it);
 *   - the kiosk dies of any other signal, or before its first frame: the parent ends the same
 *     way (128 + the signal, or the code).
 * A kiosk it forks takes over the service manager's watchdog (WATCHDOG_PID names the kiosk when
 * it named the parent): the kiosk's main loop pings it, so a hung kiosk is still caught, and the
 * unit needs NotifyAccess=all for the kiosk's READY=1 and WATCHDOG=1 to count.
 * The parent ignores SIGTERM, SIGINT and SIGHUP (a kiosk it forks has them back at their
 * defaults): on a stop it outlives the kiosk, which closes down and exits, and then exits with
 * the kiosk's code.
 * The parent itself never opens the store, the display or a socket, and stays single-threaded:
 * fork() copies nothing but the loaded libraries. Its stdout and stderr are the kiosk's.
 * No personal data is involved; it logs one line per crash (the signal, the count). */
#ifndef RECAUDO_RESPAWN_H
#define RECAUDO_RESPAWN_H
#include <stdio.h>

#define RESPAWN_MAX 3          /* quick starts per parent, per address layout */
#define RESPAWN_PRELOAD_MAX 16 /* libraries in RECAUDO_PRELOAD */

struct respawn_stats {
	int starts;  /* kiosks forked */
	int crashes; /* of those, how many died of a crash signal after their first frame */
};

/* Preloads the libraries in `preload` (a ':'-separated list of sonames or paths for dlopen,
 * RTLD_NOW | RTLD_LOCAL: each is bound once here, and the library that later opens it by the
 * same name gets it with its own flags; NULL or "": none; one that does not load, or past the
 * 16th, is logged on err and skipped), then runs the rules above. Returns 0 in a kiosk, with
 * *is_parent 0 (the caller goes on and runs it). In the parent, *is_parent is 1 and it returns the exit status
 * the process should end with: a kiosk's own code, 128 + the signal that ended it, or 1 when
 * no kiosk could be forked (the reason on err). st (not NULL) counts what happened. */
int respawn_run(const char *preload, int *is_parent, struct respawn_stats *st, FILE *err);

/* In a kiosk forked by respawn_run: its first frame is on screen (the parent may start the next
 * one at once if it crashes from now on). Once; later calls and calls in a process not started
 * by respawn_run do nothing. */
void respawn_ready(void);
#endif
