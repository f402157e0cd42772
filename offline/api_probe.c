/* api_probe — one timed heartbeat with the server's certificate dates (api_probe.h). It
 * reaches into the transport's handle (api_http.h) only to ask libcurl for the certificate
 * chain of the connection the heartbeat made; the request itself is api_heartbeat's. */
#include "api_probe.h"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_http.h"

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t api_probe_cert_time(const char *text)
{
	int y, mo, d, h, mi, s;
	char tail[8];
	struct tm tm;
	time_t t;

	if (!text)
		return -1;
	text += strspn(text, " \t");
	/* GnuTLS (curl's own ASN.1 reader): "2026-12-22 10:00:00 GMT" */
	if (sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d %7s", &y, &mo, &d, &h, &mi, &s, tail) == 7) {
		if (strcmp(tail, "GMT") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
			return -1;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = s;
		t = timegm(&tm);
		return t == (time_t)-1 ? -1 : (int64_t)t;
	}
	/* OpenSSL (ASN1_TIME_print): "Dec 22 10:00:00 2026 GMT", an HTTP-like date */
	t = curl_getdate(text, NULL);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

/* The earliest "Expire date" of the chain libcurl kept for the last connection. */
static void read_chain(struct api *a, struct api_probe *out)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(a->curl, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs <= 0)
		return;
	out->certs = ci->num_of_certs;
	for (int i = 0; i < ci->num_of_certs; i++)
		for (struct curl_slist *l = ci->certinfo[i]; l; l = l->next)
			if (strncmp(l->data, "Expire date:", 12) == 0) {
				int64_t t = api_probe_cert_time(l->data + 12);

				if (t > 0 && (out->cert_not_after == 0 || t < out->cert_not_after))
					out->cert_not_after = t;
			}
}

int api_probe_heartbeat(struct api *a, const struct api_heartbeat *hb, struct api_probe *out)
{
	int https = strncmp(a->cfg.base_url, "https://", 8) == 0;
	long verify = 0;
	int64_t t0;

	memset(out, 0, sizeof *out);
	/* kept for this request only: the sync worker's handles never collect the chain */
	if (https)
		curl_easy_setopt(a->curl, CURLOPT_CERTINFO, 1L);
	t0 = mono_us();
	out->rc = api_heartbeat(a, hb);
	out->latency_us = mono_us() - t0;
	if (out->rc != API_OK)
		snprintf(out->error, sizeof out->error, "%s", api_error(a));
	if (https) {
		read_chain(a, out);
		if (out->rc == API_ERR_TLS && curl_easy_getinfo(a->curl, CURLINFO_SSL_VERIFYRESULT, &verify) == CURLE_OK &&
		    verify == X509_V_ERR_CERT_HAS_EXPIRED)
			out->cert_expired = 1;
		curl_easy_setopt(a->curl, CURLOPT_CERTINFO, 0L);
	}
	return out->rc;
}
