/* field_print — the field agent's paper (see field_print.h). Issue 10: being built. */
#include "field_print.h"

#include <stdio.h>

#include "printq.h"

int field_receipt_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, int copy,
			char *err, size_t errn)
{
	(void)e, (void)p, (void)r, (void)copy;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_void_build(struct escpos *e, const struct field_paper *p, const struct field_receipt *r, char *err,
		     size_t errn)
{
	(void)e, (void)p, (void)r;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_totals_build(struct escpos *e, const struct field_paper *p, const char *agent,
		       const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn)
{
	(void)e, (void)p, (void)agent, (void)t, (void)is_close, (void)line_filter;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_receipt_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, int copy,
			 char *err, size_t errn)
{
	(void)q, (void)p, (void)r, (void)copy;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_void_submit(struct printq *q, const struct field_paper *p, const struct field_receipt *r, char *err,
		      size_t errn)
{
	(void)q, (void)p, (void)r;
	snprintf(err, errn, "not built yet");
	return -1;
}
int field_totals_submit(struct printq *q, const struct field_paper *p, const char *agent,
			const struct field_totals *t, int is_close, const char *line_filter, char *err, size_t errn)
{
	(void)q, (void)p, (void)agent, (void)t, (void)is_close, (void)line_filter;
	snprintf(err, errn, "not built yet");
	return -1;
}
