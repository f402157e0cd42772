/* speech_out — the outputs behind drivers/speech.c (private to the speech driver).
 *
 * The engine synthesises on its worker thread and hands an output each utterance as
 * begin / write... / end. Samples are signed 16-bit mono at the engine's rate, already scaled
 * by the volume. begin, write and end run on the worker; cut and lead may run on any thread
 * (the engine serialises write against cut with its output lock). */
#ifndef RECAUDO_SPEECH_OUT_H
#define RECAUDO_SPEECH_OUT_H
#include <stddef.h>
#include <stdint.h>

#include "speech.h"

struct speech_out {
	const struct speech_out_ops *ops;
	void *priv;
	int rate; /* samples per second */
};

struct speech_out_ops {
	const char *name;
	/* Sets up o->priv for o->rate. Returns 0, or -1 with a reason in err. */
	int (*open)(struct speech_out *o, const struct speech_config *cfg, char *err, size_t errn);
	/* An utterance or tone numbered seq starts. Returns 0 or -1 (it is then skipped). */
	int (*begin)(struct speech_out *o, int seq);
	/* Returns 0 or -1 (a failed write: the utterance is given up). */
	int (*write)(struct speech_out *o, const int16_t *s, size_t n);
	/* The utterance ends: whole (complete 1) or given up (0: discard what was written). */
	void (*end)(struct speech_out *o, int complete);
	/* Cuts what is playing (NULL when nothing plays after write returns). */
	void (*cut)(struct speech_out *o);
	/* Samples handed over and not played yet (NULL: always 0). */
	size_t (*lead)(struct speech_out *o);
	void (*close)(struct speech_out *o);
};

extern const struct speech_out_ops speech_out_wav;
extern const struct speech_out_ops speech_out_sdl;
#endif
