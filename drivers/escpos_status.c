/* escpos_status — DLE EOT answers to a printer state (see escpos_status.h for the bits). */
#include "escpos_status.h"

#include <stdio.h>
#include <string.h>

#define FIXED_MASK 0x93u /* bits 7, 4, 1, 0 */
#define FIXED_BITS 0x12u /* 0xx1xx10 */

void escpos_status_query(uint8_t out[3], int n)
{
	out[0] = 0x10;
	out[1] = 0x04;
	out[2] = (uint8_t)n;
}

int escpos_status_valid(uint8_t b)
{
	return (b & FIXED_MASK) == FIXED_BITS;
}

/* One flag: which answer, which bits (any of them set counts), its name for the detail. */
struct flag {
	int n;
	uint8_t bits;
	const char *name;
};

enum { F_OFFLINE, F_COVER, F_FEED, F_PAPER_STOP, F_ERROR, F_MECH, F_CUTTER, F_FATAL, F_HEAT,
       F_NEAR, F_END, F_COUNT };

static const struct flag flags[F_COUNT] = {
	[F_OFFLINE] = {1, 0x08, "offline"},
	[F_COVER] = {2, 0x04, "cover open"},
	[F_FEED] = {2, 0x08, "feed button"},
	[F_PAPER_STOP] = {2, 0x20, "stopped at paper end"},
	[F_ERROR] = {2, 0x40, "error"},
	[F_MECH] = {3, 0x04, "mechanism error"},
	[F_CUTTER] = {3, 0x08, "autocutter error"},
	[F_FATAL] = {3, 0x20, "unrecoverable error"},
	[F_HEAT] = {3, 0x40, "auto-recoverable error"},
	[F_NEAR] = {4, 0x0c, "paper near end"},
	[F_END] = {4, 0x60, "paper end"},
};

static void detail_add(struct printer_status *out, const char *what)
{
	size_t n = strlen(out->detail);

	if (n < sizeof out->detail - 1)
		snprintf(out->detail + n, sizeof out->detail - n, "%s%s", n ? "; " : "", what);
}

static enum printer_state state_of(const int on[F_COUNT])
{
	if (on[F_COVER])
		return PRINTER_COVER_OPEN;
	if (on[F_END] || on[F_PAPER_STOP])
		return PRINTER_PAPER_OUT;
	if (on[F_ERROR] || on[F_MECH] || on[F_CUTTER] || on[F_FATAL] || on[F_HEAT])
		return PRINTER_ERROR;
	if (on[F_OFFLINE] || on[F_FEED])
		return PRINTER_OFFLINE;
	if (on[F_NEAR])
		return PRINTER_PAPER_NEAR_END;
	return PRINTER_READY;
}

int escpos_status_parse(const uint8_t st[ESCPOS_STATUS_QUERIES], unsigned have,
			struct printer_status *out)
{
	int on[F_COUNT] = {0};
	char missing[32] = "";
	size_t m = 0;

	memset(out, 0, sizeof *out);
	have &= (1u << ESCPOS_STATUS_QUERIES) - 1;
	if (!have) {
		out->state = PRINTER_ERROR;
		snprintf(out->detail, sizeof out->detail, "no status answer");
		return -1;
	}
	for (int n = 1; n <= ESCPOS_STATUS_QUERIES; n++) {
		if (!(have & (1u << (n - 1)))) {
			m += (size_t)snprintf(missing + m, sizeof missing - m, "%s%d", m ? "," : "", n);
			continue;
		}
		if (!escpos_status_valid(st[n - 1])) {
			out->state = PRINTER_ERROR;
			snprintf(out->detail, sizeof out->detail,
				 "garbled status byte 0x%02x for DLE EOT %d", st[n - 1], n);
			return -1;
		}
	}
	for (int f = 0; f < F_COUNT; f++) {
		int n = flags[f].n;

		if ((have & (1u << (n - 1))) && (st[n - 1] & flags[f].bits)) {
			on[f] = 1;
			detail_add(out, flags[f].name);
		}
	}
	out->state = state_of(on);
	if (m) {
		/* sized from its parts, so the compiler can prove it never truncates */
		char note[sizeof "no answer to DLE EOT " + sizeof missing];

		snprintf(note, sizeof note, "no answer to DLE EOT %s", missing);
		detail_add(out, note);
	}
	return 0;
}
