/* input_sdl — the one place that translates SDL events into app input. */
#ifndef RECAUDO_INPUT_SDL_H
#define RECAUDO_INPUT_SDL_H
#include <SDL.h>
#include "app.h"

/* The app key for a key that is not text (docs/accessibility.md has the map), or -1. */
int input_sdl_key(SDL_Keycode k, Uint16 mod);
/* Handles one event. Returns 1 when the app should quit. */
int input_sdl_handle(struct app *a, const SDL_Event *e);
#endif
