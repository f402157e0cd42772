/* field_qr — the field receipt's signed QR (see field.h). Issue 10: being built. */
#include "field.h"

size_t field_receipt_qr_build(char *out, size_t n, const struct field_receipt_qr *q, const uint8_t *key,
			      size_t keylen)
{
	(void)q, (void)key, (void)keylen;
	if (out && n)
		out[0] = '\0';
	return 0;
}
int field_receipt_qr_verify(const char *payload, const uint8_t *key, size_t keylen, struct field_receipt_qr *out)
{
	(void)payload, (void)key, (void)keylen, (void)out;
	return -1;
}
