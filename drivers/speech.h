/* speech — spoken guidance (issue 11): espeak-ng on its own worker thread, with a bounded
 * queue; nothing here blocks the caller (docs/speech.md). Backends, picked by name:
 *   espeak  synthesise and play through SDL audio (S16 mono at espeak-ng's rate, 22050 Hz)
 *   wav     synthesise each utterance and tone to wav_dir/NNNN.wav, NNNN being the sequence
 *           number speech_say/speech_tone returned (%04d): tests and headless runs. A file
 *           appears whole (written to a dot-file, then renamed) and only for an utterance that
 *           was synthesised to the end; one dropped or cut by a flush/stop leaves a gap in the
 *           numbers. The engine never writes the text anywhere: the caller keeps seq -> text.
 *   none    accepts everything, says nothing (no thread, no espeak-ng)
 *
 * Threads: every function but speech_open/speech_close may be called from any thread (they
 * lock); speech_say, speech_tone, speech_stop, speech_volume and speech_busy only take a short
 * lock (a queue slot, a 0.1 s piece of audio at most) and never wait for synthesis or audio.
 * espeak-ng is a process-wide singleton: at most one engine with the espeak or wav backend is
 * open at a time (a second speech_open fails), and espeak-ng, once loaded, stays loaded until
 * the process exits (espeak-ng 1.51 cannot be started twice; docs/speech.md). The engine never
 * logs or stores the text it is given (privacy: it holds IDs and amounts). */
#ifndef RECAUDO_SPEECH_H
#define RECAUDO_SPEECH_H
#include <stddef.h>

#define SPEECH_QUEUE_MAX   32   /* utterances and tones waiting */
#define SPEECH_TEXT_MAX    1024 /* bytes per utterance with its NUL; longer text is cut at a
				 * whole UTF-8 character */
#define SPEECH_VOLUME_STEP 10   /* what a volume key should pass to speech_volume */
#define SPEECH_RATE_DEFAULT 160 /* words per minute when the config says 0 */

/* speech_say / speech_tone failures */
#define SPEECH_ERR_FULL  (-1) /* the queue holds SPEECH_QUEUE_MAX items already */
#define SPEECH_ERR_ARG   (-2) /* NULL engine, NULL or empty text, bad tone */

struct speech;

struct speech_config {
	const char *backend;      /* "espeak", "wav" or "none" (NULL is an error) */
	const char *wav_dir;      /* "wav": an existing writable directory */
	const char *audio_device; /* "espeak": SDL output device name; NULL = the default */
	int volume;               /* 0..100 (clamped); applied in software to the samples */
	int rate;                 /* words per minute (80..450), 0 = SPEECH_RATE_DEFAULT */
};

/* Starts the worker, espeak-ng (voices "es-419"/"es" and "en-us"/"en") and the output. Waits
 * for espeak-ng to load (tens of ms), never for speech. Returns NULL with a reason in err when
 * the config is bad, espeak-ng cannot start or the audio device cannot open. Free with
 * speech_close. */
struct speech *speech_open(const struct speech_config *cfg, char *err, size_t errn);

/* Cuts what plays, drops the queue, joins the worker and frees everything. NULL is a no-op. */
void speech_close(struct speech *sp);

/* Queues text (UTF-8) in Spanish (english 0) or English. flush 1 first drops what is queued
 * and cuts what is being synthesised or played (a new screen). Returns the utterance's
 * sequence number (> 0, increasing, shared with speech_tone), SPEECH_ERR_FULL or
 * SPEECH_ERR_ARG. */
int speech_say(struct speech *sp, const char *text, int english, int flush);

/* Cuts what is being synthesised or played and drops the queue (any key interrupts). */
void speech_stop(struct speech *sp);

/* Queues a beep like an utterance (the inactivity warning): hz 20..10000, ms 1..10000, a sine
 * at half of full scale with 5 ms fades, scaled by the volume. Returns its sequence number or
 * SPEECH_ERR_FULL / SPEECH_ERR_ARG. */
int speech_tone(struct speech *sp, int hz, int ms);

/* Changes the volume by delta percentage points (SPEECH_VOLUME_STEP per key press), clamped to
 * 0..100, and returns it; delta 0 only reads it. Applies to every sample handed to the output
 * from now on: with SDL, within about 0.3 s of what is playing (the audio is fed in 0.1 s
 * pieces, at most 0.2 s ahead of the device); with wav, from the next 0.1 s written. */
int speech_volume(struct speech *sp, int delta);

/* 1 while something is queued, being synthesised or still playing; else 0. */
int speech_busy(struct speech *sp);

/* Tests and headless runs: blocks until speech_busy would return 0 (with SDL, until the
 * queued audio has played: in real time). */
void speech_wait_idle(struct speech *sp);
#endif
