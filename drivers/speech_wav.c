/* speech_wav — the "wav" speech output: each utterance becomes DIR/NNNN.wav (RIFF, PCM 16-bit
 * mono), written to DIR/.NNNN.wav.tmp and renamed when whole, so a reader never sees half. */
#include "speech_out.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAV_HEADER 44

struct wav {
	char dir[PATH_MAX - 32];
	char tmp[PATH_MAX];
	char path[PATH_MAX];
	FILE *f;
	uint32_t samples;
	int failed;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* The canonical 44-byte header: RIFF, "fmt " (PCM, 1 channel, 16 bits), "data". */
static void header(uint8_t h[WAV_HEADER], uint32_t rate, uint32_t samples)
{
	uint32_t data = samples * 2u;
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36u + data);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);     /* fmt chunk size */
	put16(h + 20, 1);      /* PCM */
	put16(h + 22, 1);      /* mono */
	put32(h + 24, rate);
	put32(h + 28, rate * 2u); /* bytes per second */
	put16(h + 32, 2);      /* block align */
	put16(h + 34, 16);     /* bits per sample */
	memcpy(h + 36, "data", 4);
	put32(h + 40, data);
}

static int wav_open(struct speech_out *o, const struct speech_config *cfg, char *err, size_t errn)
{
	struct stat st;
	struct wav *w;
	if (!cfg->wav_dir || !cfg->wav_dir[0]) {
		snprintf(err, errn, "speech: the wav backend needs wav_dir");
		return -1;
	}
	if (stat(cfg->wav_dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(cfg->wav_dir, W_OK) != 0) {
		snprintf(err, errn, "speech: wav_dir %s is not a writable directory", cfg->wav_dir);
		return -1;
	}
	if (strlen(cfg->wav_dir) >= sizeof w->dir) {
		snprintf(err, errn, "speech: wav_dir is too long");
		return -1;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errn, "speech: out of memory");
		return -1;
	}
	snprintf(w->dir, sizeof w->dir, "%s", cfg->wav_dir);
	o->priv = w;
	return 0;
}

static int wav_begin(struct speech_out *o, int seq)
{
	struct wav *w = o->priv;
	uint8_t h[WAV_HEADER] = {0};
	snprintf(w->tmp, sizeof w->tmp, "%s/.%04d.wav.tmp", w->dir, seq);
	snprintf(w->path, sizeof w->path, "%s/%04d.wav", w->dir, seq);
	w->samples = 0;
	w->failed = 0;
	w->f = fopen(w->tmp, "wb");
	if (!w->f)
		return -1;
	/* a placeholder: the sizes are known at the end */
	if (fwrite(h, 1, sizeof h, w->f) != sizeof h) {
		fclose(w->f);
		w->f = NULL;
		unlink(w->tmp);
		return -1;
	}
	return 0;
}

static int wav_write(struct speech_out *o, const int16_t *s, size_t n)
{
	struct wav *w = o->priv;
	uint8_t buf[2048];
	if (!w->f || w->failed)
		return -1;
	while (n) {
		size_t k = n < sizeof buf / 2 ? n : sizeof buf / 2;
		if (w->samples + k > (UINT32_MAX - WAV_HEADER) / 2) {
			w->failed = 1; /* never: the engine caps an utterance far below 4 GiB */
			return -1;
		}
		for (size_t i = 0; i < k; i++)
			put16(buf + 2 * i, (uint16_t)s[i]);
		if (fwrite(buf, 2, k, w->f) != k) {
			w->failed = 1;
			return -1;
		}
		w->samples += (uint32_t)k;
		s += k;
		n -= k;
	}
	return 0;
}

static void wav_end(struct speech_out *o, int complete)
{
	struct wav *w = o->priv;
	uint8_t h[WAV_HEADER];
	int ok;
	if (!w->f)
		return;
	header(h, (uint32_t)o->rate, w->samples);
	ok = complete && !w->failed && fseek(w->f, 0, SEEK_SET) == 0 &&
	     fwrite(h, 1, sizeof h, w->f) == sizeof h && fflush(w->f) == 0;
	ok = fclose(w->f) == 0 && ok;
	w->f = NULL;
	if (!ok || rename(w->tmp, w->path) != 0)
		unlink(w->tmp);
}

static void wav_close(struct speech_out *o)
{
	struct wav *w = o->priv;
	if (w && w->f)
		wav_end(o, 0);
	free(w);
	o->priv = NULL;
}

const struct speech_out_ops speech_out_wav = {
	.name = "wav",
	.open = wav_open,
	.begin = wav_begin,
	.write = wav_write,
	.end = wav_end,
	.cut = NULL,
	.lead = NULL,
	.close = wav_close,
};
