/* sync_drain — the sync worker's drain (docs/sync.md "The worker loop", docs/outbox.md "The
 * drainer"): pending events in batches of up to OUTBOX_BATCH_MAX over the API client, each
 * answer recorded in the outbox (ack, or dead with its reason) in one transaction a batch. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sync_internal.h"

/* Applies the server's answers. The rejected ones are logged in one line per batch: how
 * many and which sequence numbers (the reasons are in the dead-letter list). */
static int record_answers(struct outbox *ob, const struct outbox_event *ev, int n,
			  const struct api_item_result *results, char *err, size_t errn)
{
	int64_t now = (int64_t)time(NULL);
	int bad = 0, dead = 0, local = 0;
	char seqs[128];
	size_t o = 0;

	seqs[0] = '\0';
	if (outbox_batch_begin(ob) < 0) {
		snprintf(err, errn, "outbox: cannot record the server's answer: %s", outbox_error(ob));
		return SYNC_ERR_LOCAL;
	}
	for (int i = 0; i < n; i++) {
		const struct api_item_result *r = &results[i];
		int rc;

		if (r->status == API_ITEM_REJECTED) {
			if (dead < 8 && o < sizeof seqs)
				o += (size_t)snprintf(seqs + o, sizeof seqs - o, "%s%" PRIu64,
						      dead ? ", " : "", ev[i].seq);
			else if (dead == 8 && o < sizeof seqs)
				o += (size_t)snprintf(seqs + o, sizeof seqs - o, ", ...");
			dead++;
			local += strncmp(r->reason, "not sent:", 9) == 0;
			rc = outbox_dead(ob, ev[i].key, r->reason, now);
		} else {
			rc = outbox_ack(ob, ev[i].key, now);
		}
		if (rc < 0 && !bad) {
			snprintf(err, errn, "outbox: cannot record the server's answer: %s", outbox_error(ob));
			bad = 1;
		}
	}
	/* one commit for the whole batch: all its answers are recorded, or none */
	if (outbox_batch_end(ob, !bad) < 0 && !bad) {
		snprintf(err, errn, "outbox: cannot record the server's answer: %s", outbox_error(ob));
		bad = 1;
	}
	if (bad)
		return SYNC_ERR_LOCAL;
	if (dead)
		sync_log("%d of %d events %s; kept as dead letters (seq %s)", dead, n,
			 local == dead ? "could not be sent"
			 : local       ? "rejected or unsendable"
				       : "rejected by the server",
			 seqs);
	return bad ? SYNC_ERR_LOCAL : 0;
}

/* Sends pending events in batches until none is left, the server fails or a stop comes.
 * An event is acked only after the server's answer for its key; on any failure the whole
 * batch goes back to pending and is sent again later (the server deduplicates by key). */
int sync_drain(struct outbox *ob, struct api *api, struct api_item_result *results, const _Atomic int *cancel,
	       int *sent, int *changed, int *reopen, char *err, size_t errn)
{
	for (;;) {
		struct outbox_event *ev = NULL;
		int n = 0, rc;

		if (*cancel)
			return API_OK;
		if (outbox_claim(ob, OUTBOX_BATCH_MAX, &ev, &n) < 0) {
			snprintf(err, errn, "outbox: %s", outbox_error(ob));
			return SYNC_ERR_LOCAL;
		}
		if (n == 0)
			return API_OK;
		rc = api_events(api, ev, n, results);
		if (rc != API_OK) {
			snprintf(err, errn, "%s", api_error(api));
			for (int i = 0; i < n; i++)
				if (outbox_release(ob, ev[i].key) < 0)
					*reopen = 1;
			outbox_events_free(ev, n);
			return rc;
		}
		/* only an answer from the server counts as an exchange: events refused locally as
		 * unsendable ("not sent: ...") never left the kiosk */
		for (int i = 0; i < n; i++)
			if (strncmp(results[i].reason, "not sent:", 9) != 0)
				*sent = 1;
		*changed = 1;
		rc = record_answers(ob, ev, n, results, err, errn);
		outbox_events_free(ev, n);
		if (rc < 0) {
			/* The rows whose answer was not recorded stay in_flight; a fresh handle's
			 * first claim puts them back and the server answers "duplicate". */
			*reopen = 1;
			return rc;
		}
	}
}

