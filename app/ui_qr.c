/* QR codes on screen (ui.h ui_qr): encoded once per payload with libqrencode into a small
 * cache of textures (and of dark modules, for the software target), drawn whole-pixel per
 * module so a phone scans them off the glass. */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "ui_render.h"

struct ui_qr_entry *ui_qr_lookup(struct ui *ui, const char *payload)
{
	struct ui_qr_entry *e = NULL;
	for (int i = 0; i < UI_QR_CACHE; i++)
		if (ui->qr[i].tex && !strcmp(ui->qr[i].key, payload))
			return &ui->qr[i];
	for (int i = 0; i < UI_QR_CACHE && !e; i++)
		if (!ui->qr[i].tex)
			e = &ui->qr[i];
	if (!e) {
		e = &ui->qr[0];
		SDL_DestroyTexture(e->tex);
		free(e->dark);
		memmove(&ui->qr[0], &ui->qr[1], sizeof(ui->qr[0]) * (UI_QR_CACHE - 1));
		e = &ui->qr[UI_QR_CACHE - 1];
		memset(e, 0, sizeof(*e));
	}
	QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	int quiet = 4, m = q->width + 2 * quiet;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, m, m, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s) {
		QRcode_free(q);
		return NULL;
	}
	SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 255, 255, 255, 255));
	Uint32 black = SDL_MapRGBA(s->format, 0, 0, 0, 255);
	e->dark = calloc((size_t)m * (size_t)m, 1);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1) {
				((Uint32 *)((Uint8 *)s->pixels + (y + quiet) * s->pitch))[x + quiet] = black;
				if (e->dark)
					e->dark[(y + quiet) * m + x + quiet] = 1;
			}
	e->tex = SDL_CreateTextureFromSurface(ui->r, s);
	SDL_SetTextureScaleMode(e->tex, SDL_ScaleModeNearest);
	e->modules = m;
	snprintf(e->key, sizeof(e->key), "%s", payload);
	SDL_FreeSurface(s);
	QRcode_free(q);
	return e->tex ? e : NULL;
}

void ui_qr(struct ui *ui, struct ui_rect r, const char *payload)
{
	if (!payload || !*payload)
		return;
	struct ui_qr_entry *e = ui_qr_lookup(ui, payload);
	if (!e)
		return;
	int side = r.w < r.h ? r.w : r.h;
	int px = side / e->modules; /* whole pixels per module keep it sharp and scannable */
	if (px < 1)
		px = 1;
	side = px * e->modules;
	int x0 = r.x + (r.w - side) / 2, y0 = r.y + (r.h - side) / 2;
	ui_list_qr(ui, x0, y0, side, px, payload);
}
