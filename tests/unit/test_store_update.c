/* test_store_update — the held update (offline/store_update.c): set, read back, rewritten, cleared;
 * bad versions, times and counts refused with nothing written; a meta value edited by hand is
 * refused, not half read; the hold survives closing the store and is readable read-only; and
 * the money events counted by type and state: coupons, field payments and voids and the day's
 * close count while pending or in flight, not once acknowledged; dead ones apart; maintenance,
 * account, e-mail and reopen events never. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "outbox.h"
#include "store.h"
#include "store_update.h"
#include "tmpdir.h"

int main(void)
{
	char dir[] = "/tmp/recaudo-store-update-XXXXXX", db[128], err[256];
	struct store *s = NULL, *ro = NULL;
	struct store_update_hold h;
	int64_t un = -1, dead = -1;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(db, sizeof db, "%s/recaudo.db", dir);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}

	/* none held */
	memset(&h, 0x55, sizeof h);
	CHECK_INT(store_update_hold_get(s, &h), 1);
	CHECK(h.version[0] == '\0' && h.since == 0 && h.money_events == 0);
	CHECK_INT(store_update_hold_clear(s), 0);
	CHECK_INT(store_update_hold_get(s, &h), 1);

	/* versions */
	CHECK(store_update_version_ok("1.4.0"));
	CHECK(store_update_version_ok("2:1.4.0~rc1+b2_x-y"));
	CHECK(store_update_version_ok("12345678901234567890123456789012"));
	CHECK(!store_update_version_ok("123456789012345678901234567890123"));
	CHECK(!store_update_version_ok(""));
	CHECK(!store_update_version_ok(NULL));
	CHECK(!store_update_version_ok("1.4 0"));
	CHECK(!store_update_version_ok("1.4\"0"));
	CHECK(!store_update_version_ok("1.4\n"));
	CHECK(!store_update_version_ok("versi\xc3\xb3n"));

	/* set, read, rewrite */
	CHECK_INT(store_update_hold_set(s, "1.4.0", 1795359600, 3), 0);
	CHECK_INT(store_update_hold_get(s, &h), 0);
	CHECK_STR(h.version, "1.4.0");
	CHECK_INT(h.since, 1795359600);
	CHECK_INT(h.money_events, 3);
	CHECK_INT(store_update_hold_set(s, "12345678901234567890123456789012", 1795359700, 0), 0);
	CHECK_INT(store_update_hold_get(s, &h), 0);
	CHECK_STR(h.version, "12345678901234567890123456789012");
	CHECK_INT(h.since, 1795359700);
	CHECK_INT(h.money_events, 0);
	/* refused, nothing changed */
	CHECK_INT(store_update_hold_set(s, "1.4 0", 1, 1), STORE_EINVAL);
	CHECK(strncmp(store_error(s), "version:", 8) == 0);
	CHECK_INT(store_update_hold_set(s, "1.5.0", -1, 1), STORE_EINVAL);
	CHECK_INT(store_update_hold_set(s, "1.5.0", 1, -1), STORE_EINVAL);
	CHECK_INT(store_update_hold_get(s, &h), 0);
	CHECK_STR(h.version, "12345678901234567890123456789012");
	/* edited by hand: refused whole */
	static const char *const edited[] = {"x 1 1.4.0", "1 -2 1.4.0", "1 1", "1 1 123456789012345678901234567890123",
					     "1 1 a\"b"};
	for (size_t i = 0; i < sizeof edited / sizeof edited[0]; i++) {
		CHECK_INT(store_meta_set(s, "update_hold", edited[i]), 0);
		CHECK_INT(store_update_hold_get(s, &h), STORE_ERR);
		CHECK(h.version[0] == '\0');
	}
	/* kept across a close; read-only readers see it */
	CHECK_INT(store_update_hold_set(s, "1.4.0", 1795359600, 2), 0);
	store_close(s);
	CHECK_INT(store_open_readonly(&ro, db, err, sizeof err), 0);
	CHECK_INT(store_update_hold_get(ro, &h), 0);
	CHECK(!strcmp(h.version, "1.4.0") && h.money_events == 2);
	store_close(ro);
	CHECK_INT(store_open(&s, db, err, sizeof err), 0);
	CHECK_INT(store_update_hold_clear(s), 0);
	CHECK_INT(store_update_hold_get(s, &h), 1);

	/* money events */
	CHECK_INT(store_money_events_count(s, &un, &dead), 0);
	CHECK(un == 0 && dead == 0);
	static const char *const types[] = {"coupon.issued",      "coupon.issued",      "payment.collected",
					    "payment.voided",     "collection.closed",  "collection.reopened",
					    "contact.updated",    "maintenance.action", "coupon.email_requested"};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		CHECK_INT(outbox_push(s, types[i], 1795359600, "{\"amount_minor\":100}", NULL), 0);
	CHECK_INT(store_money_events_count(s, &un, &dead), 0);
	CHECK_INT(un, 5);
	CHECK_INT(dead, 0);
	/* in flight still counts; acknowledged does not; dead apart */
	struct outbox *o = outbox_open(db, err, sizeof err);
	struct outbox_event *ev = NULL;
	int n = 0;
	CHECK(o != NULL);
	CHECK_INT(outbox_claim(o, OUTBOX_BATCH_MAX, &ev, &n), 0);
	CHECK_INT(n, 9);
	CHECK_INT(store_money_events_count(s, &un, NULL), 0);
	CHECK_INT(un, 5);
	CHECK_INT(outbox_ack(o, ev[0].key, 1795359700), 0);   /* a coupon */
	CHECK_INT(outbox_dead(o, ev[2].key, "x", 1795359700), 0); /* the payment */
	CHECK_INT(outbox_ack(o, ev[7].key, 1795359700), 0);   /* the maintenance action: no change */
	CHECK_INT(store_money_events_count(s, &un, &dead), 0);
	CHECK_INT(un, 3);
	CHECK_INT(dead, 1);
	for (int i = 0; i < n; i++)
		if (i != 0 && i != 2 && i != 7)
			CHECK_INT(outbox_ack(o, ev[i].key, 1795359800), 0);
	CHECK_INT(store_money_events_count(s, &un, &dead), 0);
	CHECK(un == 0 && dead == 1);
	CHECK_INT(store_money_events_count(s, NULL, NULL), 0);
	outbox_events_free(ev, n);
	outbox_close(o);

	store_close(s);
	tmpdir_remove(dir);
	return check_done();
}
