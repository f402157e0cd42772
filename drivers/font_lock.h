/* font_lock — one process-wide lock around opening and closing SDL_ttf fonts. The screen and
 * the virtual printer's worker render with separate fonts, which FreeType allows from two
 * threads, but creating and destroying faces on the shared FreeType library must not overlap.
 * SDL_ttf itself is initialised once by the app (app_open) before any worker starts. */
#ifndef RECAUDO_FONT_LOCK_H
#define RECAUDO_FONT_LOCK_H

void font_lock(void);
void font_unlock(void);
#endif
