/* The touch test grid (maint_touch.h). */
#include "maint_touch.h"

#include <stdio.h>
#include <string.h>

void mtouch_layout(struct mtouch *t, int x, int y, int w, int h, int cell)
{
	memset(t, 0, sizeof(*t));
	t->x = x;
	t->y = y;
	t->w = w;
	t->h = h;
	t->last_x = t->last_y = -1;
	if (w <= 0 || h <= 0 || cell <= 0)
		return;
	t->cols = w / cell > 0 ? w / cell : 1;
	t->rows = h / cell > 0 ? h / cell : 1;
	while (t->cols * t->rows > MTOUCH_CELLS_MAX) { /* fewer, bigger cells */
		if (t->cols > 1 && w / t->cols <= h / t->rows)
			t->cols--;
		else
			t->rows--;
	}
}

int mtouch_same_area(const struct mtouch *t, int x, int y, int w, int h)
{
	return t->x == x && t->y == y && t->w == w && t->h == h && t->cols > 0;
}

int mtouch_cell(const struct mtouch *t, int x, int y)
{
	if (t->cols <= 0 || x < t->x || y < t->y || x >= t->x + t->w || y >= t->y + t->h)
		return -1;
	int c = (x - t->x) / (t->w / t->cols), r = (y - t->y) / (t->h / t->rows);
	if (c >= t->cols) /* the last column takes the rest */
		c = t->cols - 1;
	if (r >= t->rows)
		r = t->rows - 1;
	return r * t->cols + c;
}

void mtouch_cell_rect(const struct mtouch *t, int cell, int *x, int *y, int *w, int *h)
{
	int cw = t->w / t->cols, ch = t->h / t->rows, c = cell % t->cols, r = cell / t->cols;
	*x = t->x + c * cw;
	*y = t->y + r * ch;
	*w = c == t->cols - 1 ? t->x + t->w - *x : cw;
	*h = r == t->rows - 1 ? t->y + t->h - *y : ch;
}

int mtouch_touch(struct mtouch *t, int x, int y)
{
	int cell = mtouch_cell(t, x, y);
	if (cell < 0)
		return -1;
	t->hit[cell] = 1;
	t->touches++;
	t->last_x = x;
	t->last_y = y;
	int slot = (t->dot0 + t->ndots) % MTOUCH_DOTS;
	t->dots[slot][0] = x;
	t->dots[slot][1] = y;
	if (t->ndots < MTOUCH_DOTS)
		t->ndots++;
	else
		t->dot0 = (t->dot0 + 1) % MTOUCH_DOTS;
	return cell;
}

void mtouch_dot(const struct mtouch *t, int i, int *x, int *y)
{
	int slot = (t->dot0 + i) % MTOUCH_DOTS;
	*x = t->dots[slot][0];
	*y = t->dots[slot][1];
}

int mtouch_dead(const struct mtouch *t, int *cells, int max)
{
	int n = 0;
	for (int i = 0; i < t->cols * t->rows; i++)
		if (!t->hit[i]) {
			if (cells && n < max)
				cells[n] = i;
			n++;
		}
	return n;
}

int mtouch_dead_text(const struct mtouch *t, char *out, size_t n)
{
	size_t used = 0;
	int dead = 0;
	if (n)
		out[0] = 0;
	for (int i = 0; i < t->cols * t->rows; i++) {
		if (t->hit[i])
			continue;
		char one[24];
		int len = snprintf(one, sizeof(one), "%sF%dC%d", dead ? ", " : "", i / t->cols + 1,
				   i % t->cols + 1);
		dead++;
		if (used == (size_t)-1)
			continue;                 /* already cut: count only */
		if (used + (size_t)len + 5 > n) { /* room for " …" */
			if (used + 5 <= n)
				snprintf(out + used, n - used, " …");
			used = (size_t)-1;
			continue;
		}
		memcpy(out + used, one, (size_t)len + 1);
		used += (size_t)len;
	}
	return dead;
}
