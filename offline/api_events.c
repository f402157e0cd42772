/* api_events — POST /v1/events (docs/api/contract.md): the pre-send check of an event, the
 * batch body, and the strict parser of the per-event results (one to one with the batch, key
 * by key, in order). Like api_parse.c it needs neither curl nor a database. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "domain.h"
#include "json_field.h"
#include "wire.h"

#define SEQ_MAX UINT64_C(9007199254740992) /* 2^53: what every JSON reader holds exactly */

/* The server's reason for a dead letter: at most cap - 1 bytes of whole UTF-8 sequences,
 * control characters as spaces, anything malformed as '?'. */
static void reason_copy(char *dst, size_t cap, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t o = 0;

	while (*p) {
		size_t n = 0, i;

		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xe0) == 0xc0)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else if ((*p & 0xf8) == 0xf0)
			n = 4;

		for (i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
			;
		if (n == 0 || i < n) { /* a stray or cut sequence: one '?' for its first byte */
			if (o + 1 >= cap)
				break;
			dst[o++] = '?';
			p++;
			continue;
		}
		if (o + n >= cap)
			break;
		if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			dst[o++] = ' ';
		} else {
			memcpy(dst + o, p, n);
			o += n;
		}
		p += n;
	}
	dst[o] = '\0';
}

int api_parse_events(const char *body, size_t len, const struct outbox_event *ev, int n,
		     struct api_item_result *results, char *err, size_t errn)
{
	struct jf c = {"events", err, errn, API_ERR_PROTOCOL};
	const cJSON *arr, *item;
	cJSON *root;
	int i = 0, rc = API_ERR_PROTOCOL;

	if (errn)
		err[0] = '\0';
	if (n < 1 || n > OUTBOX_BATCH_MAX)
		return jf_fail(&c, "a batch has 1..%d events, not %d", OUTBOX_BATCH_MAX, n);
	memset(results, 0, (size_t)n * sizeof *results);
	root = api_json_object(&c, body, len);
	if (!root)
		return API_ERR_PROTOCOL;
	if (jf_array(&c, root, "", "results", &arr) < 0)
		goto out;
	if (cJSON_GetArraySize(arr) != n) {
		jf_fail(&c, "results: %d items for a batch of %d events", cJSON_GetArraySize(arr), n);
		goto out;
	}
	cJSON_ArrayForEach(item, arr)
	{
		char where[32];
		const char *key, *status;
		const cJSON *reason;
		struct api_item_result *r = &results[i];

		snprintf(where, sizeof where, "results[%d].", i);
		if (!cJSON_IsObject(item)) {
			jf_fail(&c, "results[%d]: must be an object", i);
			goto out;
		}
		if (jf_string(&c, item, where, "key", &key) < 0 ||
		    jf_string(&c, item, where, "status", &status) < 0)
			goto out;
		if (strcmp(key, ev[i].key) != 0) {
			jf_fail(&c, "%skey: not the key of event %d of the batch (seq %" PRIu64 ")", where, i,
			     ev[i].seq);
			goto out;
		}
		if (strcmp(status, "accepted") == 0) {
			r->status = API_ITEM_ACCEPTED;
		} else if (strcmp(status, "duplicate") == 0) {
			r->status = API_ITEM_DUPLICATE;
		} else if (strcmp(status, "rejected") == 0) {
			r->status = API_ITEM_REJECTED;
		} else {
			jf_fail(&c, "%sstatus: must be accepted, duplicate or rejected", where);
			goto out;
		}
		reason = jf_get(item, "reason");
		if (reason && !cJSON_IsNull(reason) && !cJSON_IsString(reason)) {
			jf_fail(&c, "%sreason: must be a string", where);
			goto out;
		}
		if (r->status == API_ITEM_REJECTED)
			reason_copy(r->reason, sizeof r->reason,
				    cJSON_IsString(reason) && reason->valuestring[0]
					    ? reason->valuestring
					    : "rejected without a reason");
		i++;
	}
	rc = API_OK;
out:
	if (rc != API_OK)
		memset(results, 0, (size_t)n * sizeof *results);
	cJSON_Delete(root);
	return rc;
}

int api_event_check(const struct outbox_event *ev, char *why, size_t whyn)
{
	const char *end = NULL;
	size_t plen;
	cJSON *p;
	int ok;

	if (strlen(ev->key) != OUTBOX_KEY_LEN)
		goto bad_key;
	for (int i = 0; i < OUTBOX_KEY_LEN; i++) {
		char ch = ev->key[i];

		if ((i == 8 || i == 13 || i == 18 || i == 23)
			    ? ch != '-'
			    : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			goto bad_key;
	}
	if (!ev->type[0] || !memchr(ev->type, '\0', sizeof ev->type)) {
		snprintf(why, whyn, "not sent: the event type is empty or too long");
		return -1;
	}
	for (const char *t = ev->type; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '.' || *t == '_' ||
		      *t == '-')) {
			snprintf(why, whyn,
				 "not sent: the event type has characters other than a-z 0-9 . _ -");
			return -1;
		}
	if (ev->seq == 0 || ev->seq > SEQ_MAX) {
		snprintf(why, whyn, "not sent: the sequence number is out of range");
		return -1;
	}
	if (ev->at <= 0 || ev->at > API_EPOCH_MAX) {
		snprintf(why, whyn, "not sent: the event time is out of range");
		return -1;
	}
	plen = ev->payload ? strlen(ev->payload) : 0;
	if (!plen || plen > OUTBOX_PAYLOAD_MAX) {
		snprintf(why, whyn, "not sent: the payload is empty or larger than %d bytes",
			 OUTBOX_PAYLOAD_MAX);
		return -1;
	}
	p = cJSON_ParseWithLengthOpts(ev->payload, plen + 1, &end, 1);
	ok = cJSON_IsObject(p);
	cJSON_Delete(p);
	if (!ok) {
		snprintf(why, whyn, "not sent: the payload is not a JSON object");
		return -1;
	}
	return 0;
bad_key:
	snprintf(why, whyn, "not sent: the idempotency key is not a lowercase UUID");
	return -1;
}

char *api_events_body(const struct outbox_event *ev, int n, size_t *len)
{
	static const char head[] = "{\"events\":[", tail[] = "]}";
	size_t cap = sizeof head + sizeof tail, o = 0;
	char *buf;

	*len = 0;
	for (int i = 0; i < n; i++)
		cap += strlen(ev[i].payload) + 160; /* the payload plus the envelope, with room */
	buf = malloc(cap);
	if (!buf)
		return NULL;
	memcpy(buf, head, sizeof head - 1);
	o = sizeof head - 1;
	for (int i = 0; i < n; i++) {
		char at[32];
		int w;

		api_time_format(ev[i].at, at);
		w = snprintf(buf + o, cap - o,
			     "%s{\"key\":\"%s\",\"seq\":%" PRIu64
			     ",\"type\":\"%s\",\"at\":\"%s\",\"payload\":%s}",
			     i ? "," : "", ev[i].key, ev[i].seq, ev[i].type, at, ev[i].payload);
		if (w < 0 || (size_t)w >= cap - o) {
			free(buf);
			return NULL;
		}
		o += (size_t)w;
	}
	if (o + sizeof tail > cap) {
		free(buf);
		return NULL;
	}
	memcpy(buf + o, tail, sizeof tail); /* with its NUL */
	*len = o + sizeof tail - 1;
	return buf;
}

