/* zbar — what zbarimg reads from a PNG for one symbology ("qrcode", "code128"), byte for byte
 * without the trailing newline ("" if nothing). Header-only, like check.h. */
#ifndef RECAUDO_TEST_ZBAR_H
#define RECAUDO_TEST_ZBAR_H
#include <stdio.h>

/* Returns 0 when zbarimg read a symbol, else -1 (out is "" or what it printed). */
static inline int zbar_decode(const char *png, const char *symbology, char *out, size_t n)
{
	char cmd[700];
	FILE *p;
	size_t len;

	out[0] = '\0';
	snprintf(cmd, sizeof cmd, "zbarimg --raw -q -Sdisable -S%s.enable '%s' 2>/dev/null",
		 symbology, png);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	len = fread(out, 1, n - 1, p);
	out[len] = '\0';
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return pclose(p) == 0 && len > 0 ? 0 : -1;
}
#endif
