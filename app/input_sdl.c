#include "input_sdl.h"

#include "maint.h"

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
	case SDL_KEYDOWN:
		switch (e->key.keysym.sym) {
		case SDLK_RETURN:
		case SDLK_KP_ENTER:
			app_key(a, APP_KEY_ENTER);
			break;
		case SDLK_BACKSPACE:
			app_key(a, APP_KEY_BACKSPACE);
			break;
		case SDLK_DELETE:
			app_key(a, APP_KEY_DELETE);
			break;
		case SDLK_ESCAPE:
			app_key(a, APP_KEY_ESCAPE);
			break;
		case SDLK_m: /* Ctrl+Alt+M: maintenance mode, from a technician's keyboard */
			if ((e->key.keysym.mod & KMOD_CTRL) && (e->key.keysym.mod & KMOD_ALT))
				app_maint_request(a);
			break;
		default:
			break;
		}
		break;
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
