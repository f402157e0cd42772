/* speech_sdl — the "espeak" speech output: SDL audio, S16 mono at the engine's rate, fed with
 * SDL_QueueAudio (SDL converts to what the device wants) and cut with SDL_ClearQueuedAudio. */
#include "speech_out.h"

#include <SDL.h>
#include <stdio.h>

static int sdl_open(struct speech_out *o, const struct speech_config *cfg, char *err, size_t errn)
{
	SDL_AudioSpec want, have;
	SDL_AudioDeviceID dev;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		snprintf(err, errn, "speech: SDL audio: %s", SDL_GetError());
		return -1;
	}
	SDL_zero(want);
	want.freq = o->rate;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 1024;
	/* no allowed changes: SDL converts to the device's own format behind the queue */
	dev = SDL_OpenAudioDevice(cfg->audio_device, 0, &want, &have, 0);
	if (dev == 0) {
		snprintf(err, errn, "speech: audio device %s: %s",
			 cfg->audio_device ? cfg->audio_device : "(default)", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return -1;
	}
	SDL_PauseAudioDevice(dev, 0);
	o->priv = (void *)(uintptr_t)dev;
	return 0;
}

static SDL_AudioDeviceID dev_of(const struct speech_out *o)
{
	return (SDL_AudioDeviceID)(uintptr_t)o->priv;
}

static int sdl_begin(struct speech_out *o, int seq)
{
	(void)o;
	(void)seq;
	return 0;
}

static int sdl_write(struct speech_out *o, const int16_t *s, size_t n)
{
	if (n > UINT32_MAX / 2)
		return -1;
	return SDL_QueueAudio(dev_of(o), s, (Uint32)(n * 2)) == 0 ? 0 : -1;
}

static void sdl_end(struct speech_out *o, int complete)
{
	(void)o;
	(void)complete; /* what was queued plays out; a cut already cleared it */
}

static void sdl_cut(struct speech_out *o)
{
	SDL_ClearQueuedAudio(dev_of(o));
}

static size_t sdl_lead(struct speech_out *o)
{
	return SDL_GetQueuedAudioSize(dev_of(o)) / 2;
}

static void sdl_close(struct speech_out *o)
{
	if (dev_of(o)) {
		SDL_CloseAudioDevice(dev_of(o));
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	o->priv = NULL;
}

const struct speech_out_ops speech_out_sdl = {
	.name = "espeak",
	.open = sdl_open,
	.begin = sdl_begin,
	.write = sdl_write,
	.end = sdl_end,
	.cut = sdl_cut,
	.lead = sdl_lead,
	.close = sdl_close,
};
