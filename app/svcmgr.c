/* svcmgr — READY, WATCHDOG and STATUS for systemd (svcmgr.h). */
#include "svcmgr.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "activity.h"
#include "app.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void svcmgr_init(struct svcmgr *m, int headless)
{
	uint64_t usec = 0;

	memset(m, 0, sizeof *m);
	const char *sock = getenv("NOTIFY_SOCKET");
	if (headless || !sock || !sock[0])
		return;
	m->active = 1;
	/* > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID (if set) is this process */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		/* a quarter of the interval: a late wake-up or a slow frame still leaves margin */
		m->wd_period_ms = (int64_t)(usec / 4000);
		if (m->wd_period_ms < 1)
			m->wd_period_ms = 1;
	}
	/* the first pass pings at once: a kiosk forked again after a crash (app/respawn.h) takes
	 * over a watchdog the last one may have pinged a whole period before it died */
	m->wd_last_ms = mono_ms() - m->wd_period_ms;
}

void svcmgr_slot_parse(const char *cmdline, char *out, size_t n)
{
	static const char key[] = "rauc.slot=";
	const char *p = cmdline;

	snprintf(out, n, "none");
	while (p && *p) {
		p += strspn(p, " \t\n");
		size_t len = strcspn(p, " \t\n");
		if (len > sizeof key - 1 && !strncmp(p, key, sizeof key - 1)) {
			const char *v = p + sizeof key - 1;
			size_t vl = len - (sizeof key - 1);
			int good = vl >= 1 && vl <= SVCMGR_SLOT_MAX && vl < n;
			for (size_t i = 0; good && i < vl; i++)
				good = (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
				       (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-';
			/* the last one counts, as the kernel's own parameters: a bad one means "none" */
			if (good)
				snprintf(out, n, "%.*s", (int)vl, v);
			else
				snprintf(out, n, "none");
		}
		p += len;
	}
}

/* The slot from /proc/cmdline (at most 4 KB read: the kernel's limit is smaller). */
static void slot_read(char *out, size_t n)
{
	char buf[4096];
	ssize_t got = -1;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		got = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	buf[got > 0 ? got : 0] = '\0';
	svcmgr_slot_parse(buf, out, n);
}

void svcmgr_tick(struct svcmgr *m, int frame_shown, const char *status, FILE *out, const char *cmdline)
{
	if (!m->active)
		return;
	if (frame_shown && !m->ready) {
		char slot[SVCMGR_SLOT_MAX + 1];
		if (cmdline)
			svcmgr_slot_parse(cmdline, slot, sizeof slot);
		else
			slot_read(slot, sizeof slot);
		fprintf(out, "RECAUDO-READY slot=%s\n", slot);
		fflush(out);
		sd_notify(0, "READY=1");
		m->ready = 1;
	}
	if (status && strncmp(status, m->status, sizeof m->status)) {
		snprintf(m->status, sizeof m->status, "%s", status);
		sd_notifyf(0, "STATUS=%s", m->status);
	}
	if (m->wd_period_ms > 0) {
		int64_t now = mono_ms();
		if (now - m->wd_last_ms >= m->wd_period_ms) {
			sd_notify(0, "WATCHDOG=1");
			m->wd_last_ms = now;
		}
	}
}

int svcmgr_wait_ms(const struct svcmgr *m)
{
	if (!m->active || m->wd_period_ms <= 0)
		return -1;
	int64_t left = m->wd_last_ms + m->wd_period_ms - mono_ms();
	/* +1: wake just after the period, not just before it (a wake-up with nothing to send) */
	return left < 0 ? 0 : (int)(left + 1 > m->wd_period_ms ? m->wd_period_ms : left + 1);
}

void svcmgr_stopping(struct svcmgr *m)
{
	if (m->active)
		sd_notify(0, "STOPPING=1");
}

const char *svcmgr_app_status(const struct app *a)
{
	if (a->act == &act_maint)
		return "maintenance";
	if (a->act == &act_out_of_service)
		return "out of service";
	if (a->act == &act_field)
		return "field mode";
	if (a->act == &act_account)
		return "account services";
	return !strcmp(app_screen_name(a), "attract") ? "attract screen" : "serving a customer";
}
