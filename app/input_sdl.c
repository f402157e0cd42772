#include "input_sdl.h"

#include <string.h>

#include "maint.h"

int input_sdl_key(SDL_Keycode k, Uint16 mod)
{
	switch (k) {
	case SDLK_BACKSPACE:
		return APP_KEY_BACKSPACE;
	case SDLK_DELETE:
		return APP_KEY_DELETE;
	case SDLK_ESCAPE:
		return APP_KEY_ESCAPE;
	case SDLK_TAB:
		return mod & KMOD_SHIFT ? APP_KEY_BACKTAB : APP_KEY_TAB;
	case SDLK_UP:
		return APP_KEY_UP;
	case SDLK_DOWN:
		return APP_KEY_DOWN;
	case SDLK_LEFT:
		return APP_KEY_LEFT;
	case SDLK_RIGHT:
		return APP_KEY_RIGHT;
	case SDLK_F1: /* and "*", which arrives as text (app_text) */
		return APP_KEY_REPEAT;
	case SDLK_F2: /* and "#" */
		return APP_KEY_TEXT_SIZE;
	case SDLK_F3:
		return APP_KEY_CONTRAST;
	case SDLK_F9:
	case SDLK_VOLUMEDOWN:
		return APP_KEY_VOL_DOWN;
	case SDLK_F10:
	case SDLK_VOLUMEUP:
		return APP_KEY_VOL_UP;
	default:
		return -1;
	}
}

int input_sdl_handle(struct app *a, const SDL_Event *e)
{
	switch (e->type) {
	case SDL_QUIT:
		return 1;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT)
			app_pointer_down(a, e->button.x, e->button.y);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.button == SDL_BUTTON_LEFT)
			app_pointer_up(a, e->button.x, e->button.y);
		break;
	case SDL_MOUSEWHEEL:
		if (e->wheel.y)
			app_scroll(a, e->wheel.y > 0 ? -1 : 1);
		break;
	case SDL_TEXTINPUT:
		app_text(a, e->text.text);
		break;
	case SDL_KEYDOWN: {
		SDL_Keycode k = e->key.keysym.sym;
		/* Enter and 5 can be held on the attract screen (2 s: spoken guidance) */
		if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_5 || k == SDLK_KP_5) {
			enum a11y_hold h = k == SDLK_5 || k == SDLK_KP_5 ? A11Y_HOLD_5 : A11Y_HOLD_ENTER;
			if (a11y_hold(a, h, 1) || e->key.repeat)
				break;
			if (h == A11Y_HOLD_ENTER)
				app_key(a, APP_KEY_ENTER);
			break; /* 5: its text input types it */
		}
		if (k == SDLK_m && (e->key.keysym.mod & KMOD_CTRL) && (e->key.keysym.mod & KMOD_ALT)) {
			app_maint_request(a); /* Ctrl+Alt+M: maintenance mode, from a technician's keyboard */
			break;
		}
		int key = input_sdl_key(k, e->key.keysym.mod);
		if (key >= 0)
			app_key(a, (enum app_key)key);
		break;
	}
	case SDL_KEYUP: {
		SDL_Keycode k = e->key.keysym.sym;
		if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
			a11y_hold(a, A11Y_HOLD_ENTER, 0);
		else if (k == SDLK_5 || k == SDLK_KP_5)
			a11y_hold(a, A11Y_HOLD_5, 0);
		break;
	}
	case SDL_AUDIODEVICEADDED:
	case SDL_AUDIODEVICEREMOVED: {
		/* headphones named in [accessibility] headphones (a USB handset) came or went */
		const char *want = a->cfg.headphones;
		if (e->adevice.iscapture || !want[0] || !strcmp(want, "default"))
			break;
		const char *found = NULL;
		for (int i = 0, n = SDL_GetNumAudioDevices(0); i < n && !found; i++) {
			const char *name = SDL_GetAudioDeviceName(i, 0);
			if (name && strstr(name, want))
				found = name;
		}
		a11y_headphones(a, found);
		break;
	}
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			int w, h;
			SDL_GetRendererOutputSize(a->ren, &w, &h);
			app_resize(a, w, h);
		}
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED) {
			ui_invalidate(&a->ui); /* the whole window is shown again */
			a->dirty = 1;
		}
		break;
	default:
		break;
	}
	return 0;
}
