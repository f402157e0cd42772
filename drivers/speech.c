/* speech — the engine: a bounded queue, one worker thread that owns espeak-ng, and an output
 * (speech_out.h) picked by name. docs/speech.md has the design.
 *
 *   caller (UI)                      worker
 *   speech_say ──lock q── push ──signal──▶ pop ── espeak_Synth ──callback──▶ raw samples
 *   speech_stop ── gen++ ── drop q            │                              │ pump: scale by
 *              ──lock out── cut ──────────────┼──── lock out, gen same? ◀────┘ volume, 0.1 s
 *                                             ▼                               pieces, <= 0.2 s
 *                                       output end (wav: rename)              ahead of playback
 *
 * A stop or flush bumps the generation `gen`; the synthesis callback and the pump compare the
 * item's generation with it and give the item up at once. Writes to the output and the cut
 * are serialised by the output lock, so no piece of a cut utterance reaches the output after
 * the cut. */
#include "speech.h"
#include "speech_out.h"

#include <espeak-ng/espeak_ng.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK_MS   100  /* samples go to the output in pieces this long... */
#define LEAD_MS    200  /* ...and at most this far ahead of what plays (volume, stop) */
#define MAX_SECS   180  /* an utterance longer than this is cut (1 KiB of text is ~70 s) */
#define RATE_MIN   80
#define RATE_MAX   450

enum item_kind { ITEM_TEXT, ITEM_TONE };

struct item {
	enum item_kind kind;
	int seq;
	unsigned gen;
	int english;
	int hz, ms;
	char text[SPEECH_TEXT_MAX];
};

struct speech {
	struct speech_out out;
	int threaded;           /* 0 for the "none" backend */
	int rate_wpm;
	atomic_int volume;
	atomic_uint gen;        /* bumped by a stop or a flush */

	pthread_mutex_t lock;   /* the queue, seq, active, quit, init */
	pthread_cond_t wake;    /* the worker: an item, quit, or a stop while it paces */
	pthread_cond_t idle;    /* waiters: the queue is empty and the worker idle */
	struct item queue[SPEECH_QUEUE_MAX];
	size_t head, count;
	int seq;
	int active;             /* the worker holds an item */
	int quit;
	int init;               /* 0 loading, 1 espeak-ng ready, 2 output ready too, -1 failed */
	char init_err[200];

	pthread_mutex_t out_lock; /* output writes vs cut */
	pthread_t thread;

	/* the worker's own */
	struct item cur;
	int16_t *raw;           /* the current item's samples, unscaled */
	size_t have, cap, sent;
	int16_t piece[22050 * CHUNK_MS / 1000 + 1024];
	int out_failed;
	int voice_english;      /* -1 none set yet */
};

/* espeak-ng is a process-wide singleton: its callback finds the engine here. */
static struct speech *speech_active;
static atomic_int speech_open_count;

static void set_err(char *err, size_t errn, const char *msg)
{
	if (err && errn)
		snprintf(err, errn, "%s", msg);
}

static int aborted(const struct speech *sp)
{
	return sp->cur.gen != atomic_load(&sp->gen);
}

/* Hands the samples not yet sent to the output in pieces, each scaled by the volume at that
 * moment, keeping at most LEAD_MS queued ahead of playback. block 0 (from the synthesis
 * callback) sends what it can now and returns; block 1 waits for room, waking on a stop.
 * Returns -1 when the item was given up (a stop, a flush, a failed write). */
static int pump(struct speech *sp, int block)
{
	size_t chunk = (size_t)sp->out.rate * CHUNK_MS / 1000;
	size_t max_lead = (size_t)sp->out.rate * LEAD_MS / 1000;
	if (chunk > sizeof sp->piece / sizeof sp->piece[0])
		chunk = sizeof sp->piece / sizeof sp->piece[0];
	while (sp->sent < sp->have) {
		if (aborted(sp) || sp->out_failed)
			return -1;
		if (sp->out.ops->lead && sp->out.ops->lead(&sp->out) >= max_lead) {
			struct timespec ts;
			if (!block)
				return 0;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_mutex_lock(&sp->lock);
			if (!sp->quit && !aborted(sp))
				pthread_cond_timedwait(&sp->wake, &sp->lock, &ts);
			pthread_mutex_unlock(&sp->lock);
			continue;
		}
		size_t k = sp->have - sp->sent < chunk ? sp->have - sp->sent : chunk;
		int vol = atomic_load(&sp->volume);
		for (size_t i = 0; i < k; i++)
			sp->piece[i] = (int16_t)((int32_t)sp->raw[sp->sent + i] * vol / 100);
		pthread_mutex_lock(&sp->out_lock);
		if (!aborted(sp) && sp->out.ops->write(&sp->out, sp->piece, k) != 0)
			sp->out_failed = 1;
		pthread_mutex_unlock(&sp->out_lock);
		sp->sent += k;
	}
	return aborted(sp) || sp->out_failed ? -1 : 0;
}

/* Appends samples to the current item, growing the buffer up to MAX_SECS. */
static void append(struct speech *sp, const int16_t *s, size_t n)
{
	size_t max = (size_t)sp->out.rate * MAX_SECS;
	if (sp->have + n > max)
		n = max - sp->have;
	if (sp->have + n > sp->cap) {
		size_t cap = sp->cap ? sp->cap : (size_t)sp->out.rate * 4;
		while (cap < sp->have + n)
			cap *= 2;
		if (cap > max)
			cap = max;
		int16_t *p = realloc(sp->raw, cap * sizeof *p);
		if (!p) {
			sp->out_failed = 1;
			return;
		}
		sp->raw = p;
		sp->cap = cap;
	}
	memcpy(sp->raw + sp->have, s, n * sizeof *s);
	sp->have += n;
}

/* espeak-ng's synchronous callback, on the worker: returns 1 to abort the synthesis. */
static int synth_cb(short *wav, int n, espeak_EVENT *ev)
{
	struct speech *sp = speech_active;
	(void)ev;
	if (!sp || aborted(sp))
		return 1;
	if (wav && n > 0) {
		append(sp, wav, (size_t)n);
		pump(sp, 0);
	}
	return aborted(sp) || sp->out_failed;
}

static void set_voice(struct speech *sp, int english)
{
	if (sp->voice_english == english)
		return;
	/* Latin American Spanish and American English, falling back to the language's default */
	if (espeak_ng_SetVoiceByName(english ? "en-us" : "es-419") != ENS_OK &&
	    espeak_ng_SetVoiceByName(english ? "en" : "es") != ENS_OK)
		return; /* synthesised in whatever voice is set; tried again next time */
	/* a voice brings its own rate */
	espeak_ng_SetParameter(espeakRATE, sp->rate_wpm, 0);
	sp->voice_english = english;
}

static void make_tone(struct speech *sp, int hz, int ms)
{
	size_t n = (size_t)sp->out.rate * (size_t)ms / 1000, fade = (size_t)sp->out.rate * 5 / 1000;
	int16_t buf[512];
	double step = 2.0 * 3.14159265358979323846 * hz / sp->out.rate;
	for (size_t i = 0; i < n && !aborted(sp);) {
		size_t k = n - i < 512 ? n - i : 512;
		for (size_t j = 0; j < k; j++, i++) {
			double a = 0.5;
			if (i < fade)
				a *= (double)i / (double)fade;
			else if (n - i < fade)
				a *= (double)(n - i) / (double)fade;
			buf[j] = (int16_t)lrint(32767.0 * a * sin(step * (double)i));
		}
		append(sp, buf, k);
	}
}

/* Synthesises and outputs the current item. */
static void run_item(struct speech *sp)
{
	struct item *it = &sp->cur;
	int ok;
	sp->have = sp->sent = 0;
	sp->out_failed = 0;
	if (sp->out.ops->begin(&sp->out, it->seq) != 0)
		return;
	if (it->kind == ITEM_TONE) {
		make_tone(sp, it->hz, it->ms);
	} else {
		set_voice(sp, it->english);
		espeak_Synth(it->text, strlen(it->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
			     NULL, NULL);
	}
	ok = pump(sp, 1) == 0 && sp->have > 0;
	pthread_mutex_lock(&sp->out_lock);
	sp->out.ops->end(&sp->out, ok && !aborted(sp));
	pthread_mutex_unlock(&sp->out_lock);
}

/* espeak-ng 1.51 (Debian 12) cannot start twice in a process: after espeak_ng_Terminate a
 * second espeak_ng_Initialize starts, but the next Terminate waits forever for its internal
 * thread. So it is loaded once, by the first engine's worker, and kept for the life of the
 * process (never terminated: its tables stay reachable, its idle thread sleeps). Later engines'
 * workers use it after the previous engine's worker was joined, so calls never overlap. */
static int espeak_loaded;
static int espeak_rate;

static int espeak_start(struct speech *sp)
{
	espeak_ng_ERROR_CONTEXT ctx = NULL;
	espeak_ng_STATUS st = ENS_OK;
	char msg[160];

	if (!espeak_loaded) {
		espeak_ng_InitializePath(NULL);
		st = espeak_ng_Initialize(&ctx);
		if (st == ENS_OK)
			st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
		if (st != ENS_OK) {
			espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
			snprintf(sp->init_err, sizeof sp->init_err, "speech: espeak-ng: %s", msg);
			espeak_ng_ClearErrorContext(&ctx);
			return -1;
		}
		espeak_SetSynthCallback(synth_cb);
		espeak_rate = espeak_ng_GetSampleRate();
		espeak_loaded = 1;
	}
	sp->out.rate = espeak_rate;
	sp->voice_english = -1;
	set_voice(sp, 0);
	if (sp->voice_english != 0 || sp->out.rate <= 0) {
		snprintf(sp->init_err, sizeof sp->init_err, "speech: espeak-ng has no usable voice");
		return -1;
	}
	return 0;
}

static void *worker(void *arg)
{
	struct speech *sp = arg;
	int rc = espeak_start(sp);

	pthread_mutex_lock(&sp->lock);
	sp->init = rc == 0 ? 1 : -1;
	pthread_cond_broadcast(&sp->idle);
	if (rc != 0) {
		pthread_mutex_unlock(&sp->lock);
		return NULL; /* speech_open reports init_err and joins */
	}
	/* the opener answers: output ready (init 2) or quit */
	while (sp->init == 1 && !sp->quit)
		pthread_cond_wait(&sp->wake, &sp->lock);
	for (;;) {
		while (!sp->quit && sp->count == 0) {
			sp->active = 0;
			pthread_cond_broadcast(&sp->idle);
			pthread_cond_wait(&sp->wake, &sp->lock);
		}
		if (sp->quit)
			break;
		memcpy(&sp->cur, &sp->queue[sp->head], sizeof sp->cur);
		sp->head = (sp->head + 1) % SPEECH_QUEUE_MAX;
		sp->count--;
		sp->active = 1;
		pthread_mutex_unlock(&sp->lock);
		run_item(sp);
		pthread_mutex_lock(&sp->lock);
	}
	sp->active = 0;
	pthread_cond_broadcast(&sp->idle);
	pthread_mutex_unlock(&sp->lock);
	return NULL; /* espeak-ng stays loaded: see espeak_start */
}

static void free_engine(struct speech *sp)
{
	pthread_mutex_destroy(&sp->lock);
	pthread_mutex_destroy(&sp->out_lock);
	pthread_cond_destroy(&sp->wake);
	pthread_cond_destroy(&sp->idle);
	free(sp->raw);
	free(sp);
}

static void stop_worker(struct speech *sp)
{
	pthread_mutex_lock(&sp->lock);
	sp->quit = 1;
	sp->count = 0;
	atomic_fetch_add(&sp->gen, 1);
	pthread_cond_broadcast(&sp->wake);
	pthread_mutex_unlock(&sp->lock);
	pthread_join(sp->thread, NULL);
	speech_active = NULL;
	atomic_fetch_sub(&speech_open_count, 1);
}

struct speech *speech_open(const struct speech_config *cfg, char *err, size_t errn)
{
	const struct speech_out_ops *ops = NULL;
	struct speech *sp;
	int rate;

	if (!cfg || !cfg->backend) {
		set_err(err, errn, "speech: no backend (espeak, wav or none)");
		return NULL;
	}
	if (strcmp(cfg->backend, "espeak") == 0)
		ops = &speech_out_sdl;
	else if (strcmp(cfg->backend, "wav") == 0)
		ops = &speech_out_wav;
	else if (strcmp(cfg->backend, "none") != 0) {
		if (err && errn)
			snprintf(err, errn, "speech: unknown backend \"%s\" (espeak, wav or none)",
				 cfg->backend);
		return NULL;
	}
	if (ops == &speech_out_wav && (!cfg->wav_dir || !cfg->wav_dir[0])) {
		set_err(err, errn, "speech: the wav backend needs wav_dir");
		return NULL;
	}
	rate = cfg->rate ? cfg->rate : SPEECH_RATE_DEFAULT;
	if (rate < RATE_MIN || rate > RATE_MAX) {
		if (err && errn)
			snprintf(err, errn, "speech: rate %d words per minute is outside %d..%d",
				 cfg->rate, RATE_MIN, RATE_MAX);
		return NULL;
	}
	sp = calloc(1, sizeof *sp);
	if (!sp) {
		set_err(err, errn, "speech: out of memory");
		return NULL;
	}
	sp->rate_wpm = rate;
	atomic_init(&sp->volume, cfg->volume < 0 ? 0 : cfg->volume > 100 ? 100 : cfg->volume);
	atomic_init(&sp->gen, 1u);
	pthread_mutex_init(&sp->lock, NULL);
	pthread_mutex_init(&sp->out_lock, NULL);
	pthread_cond_init(&sp->wake, NULL);
	pthread_cond_init(&sp->idle, NULL);
	if (!ops)
		return sp; /* "none": no thread, no espeak-ng */

	if (atomic_fetch_add(&speech_open_count, 1) != 0) {
		atomic_fetch_sub(&speech_open_count, 1);
		set_err(err, errn, "speech: an engine is open already (espeak-ng is one per process)");
		free_engine(sp);
		return NULL;
	}
	sp->threaded = 1;
	sp->out.ops = ops;
	speech_active = sp;
	if (pthread_create(&sp->thread, NULL, worker, sp) != 0) {
		set_err(err, errn, "speech: cannot start the worker thread");
		speech_active = NULL;
		atomic_fetch_sub(&speech_open_count, 1);
		free_engine(sp);
		return NULL;
	}
	/* espeak-ng loads on the worker; the output opens here, at the rate espeak-ng gives */
	pthread_mutex_lock(&sp->lock);
	while (sp->init == 0)
		pthread_cond_wait(&sp->idle, &sp->lock);
	pthread_mutex_unlock(&sp->lock);
	if (sp->init < 0) {
		set_err(err, errn, sp->init_err);
		stop_worker(sp);
		free_engine(sp);
		return NULL;
	}
	if (ops->open(&sp->out, cfg, err, errn) != 0) {
		stop_worker(sp);
		free_engine(sp);
		return NULL;
	}
	pthread_mutex_lock(&sp->lock);
	sp->init = 2;
	pthread_cond_broadcast(&sp->wake);
	pthread_mutex_unlock(&sp->lock);
	return sp;
}

/* Drops the queue and gives up the current item; the caller holds sp->lock. */
static void drop_locked(struct speech *sp)
{
	sp->count = 0;
	atomic_fetch_add(&sp->gen, 1);
	pthread_cond_broadcast(&sp->wake);
}

/* Cuts what the output plays; after the generation moved, under the output lock. */
static void cut_output(struct speech *sp)
{
	if (!sp->out.ops || !sp->out.ops->cut)
		return;
	pthread_mutex_lock(&sp->out_lock);
	sp->out.ops->cut(&sp->out);
	pthread_mutex_unlock(&sp->out_lock);
}

void speech_close(struct speech *sp)
{
	if (!sp)
		return;
	if (sp->threaded) {
		stop_worker(sp);
		cut_output(sp);
		sp->out.ops->close(&sp->out);
	}
	free_engine(sp);
}

/* Queues an item; text (len bytes, no NUL needed) for ITEM_TEXT. Returns seq or an error. */
static int push(struct speech *sp, enum item_kind kind, int english, int hz, int ms,
		const char *text, size_t len, int flush)
{
	int seq;
	pthread_mutex_lock(&sp->lock);
	if (flush)
		drop_locked(sp);
	if (sp->count == SPEECH_QUEUE_MAX) {
		pthread_mutex_unlock(&sp->lock);
		return SPEECH_ERR_FULL;
	}
	sp->seq = sp->seq == 9999999 ? 1 : sp->seq + 1;
	seq = sp->seq;
	if (sp->threaded) {
		struct item *it = &sp->queue[(sp->head + sp->count) % SPEECH_QUEUE_MAX];
		it->kind = kind;
		it->english = english;
		it->hz = hz;
		it->ms = ms;
		memcpy(it->text, text, len);
		it->text[len] = '\0';
		it->seq = seq;
		it->gen = atomic_load(&sp->gen);
		sp->count++;
		pthread_cond_broadcast(&sp->wake);
	}
	pthread_mutex_unlock(&sp->lock);
	if (flush)
		cut_output(sp);
	return seq;
}

int speech_say(struct speech *sp, const char *text, int english, int flush)
{
	size_t len;
	if (!sp || !text || !text[0])
		return SPEECH_ERR_ARG;
	len = strnlen(text, SPEECH_TEXT_MAX);
	if (len == SPEECH_TEXT_MAX) {
		/* too long: cut before the character that crosses the limit */
		len = SPEECH_TEXT_MAX - 1;
		while (len && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	return push(sp, ITEM_TEXT, english != 0, 0, 0, text, len, flush);
}

int speech_tone(struct speech *sp, int hz, int ms)
{
	if (!sp || hz < 20 || hz > 10000 || ms < 1 || ms > 10000)
		return SPEECH_ERR_ARG;
	return push(sp, ITEM_TONE, 0, hz, ms, "", 0, 0);
}

void speech_stop(struct speech *sp)
{
	if (!sp)
		return;
	pthread_mutex_lock(&sp->lock);
	drop_locked(sp);
	pthread_mutex_unlock(&sp->lock);
	cut_output(sp);
}

int speech_volume(struct speech *sp, int delta)
{
	int v, nv;
	if (!sp)
		return 0;
	v = atomic_load(&sp->volume);
	do {
		long t = (long)v + delta;
		nv = t < 0 ? 0 : t > 100 ? 100 : (int)t;
	} while (!atomic_compare_exchange_weak(&sp->volume, &v, nv));
	return nv;
}

static size_t out_lead(struct speech *sp)
{
	return sp->threaded && sp->out.ops->lead ? sp->out.ops->lead(&sp->out) : 0;
}

int speech_busy(struct speech *sp)
{
	int busy;
	if (!sp)
		return 0;
	pthread_mutex_lock(&sp->lock);
	busy = sp->count > 0 || sp->active;
	pthread_mutex_unlock(&sp->lock);
	return busy || out_lead(sp) > 0;
}

void speech_wait_idle(struct speech *sp)
{
	if (!sp)
		return;
	pthread_mutex_lock(&sp->lock);
	while (sp->threaded && !sp->quit && (sp->count > 0 || sp->active))
		pthread_cond_wait(&sp->idle, &sp->lock);
	pthread_mutex_unlock(&sp->lock);
	/* what the output still holds plays out in real time */
	while (out_lead(sp) > 0) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
}
