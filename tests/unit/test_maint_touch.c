/* test_maint_touch — the touch test grid of the maintenance screen "Pantalla": cells of at
 * least a touch target tiling the area exactly, a touch marks the cell under it (and only
 * inside the area), the dots kept, and the dead zones counted and named by row and column. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "maint_touch.h"

int main(void)
{
	static struct mtouch t;
	int x, y, w, h;

	/* 1080 x 1500 below a title bar at y = 200, 96 px targets: 11 x 15 cells */
	mtouch_layout(&t, 0, 200, 1080, 1500, 96);
	CHECK_INT(t.cols, 11);
	CHECK_INT(t.rows, 15);
	CHECK(mtouch_same_area(&t, 0, 200, 1080, 1500));
	CHECK(!mtouch_same_area(&t, 0, 200, 1280, 600));
	/* the cells tile the area: every pixel in exactly one, each at least 96 px */
	long area = 0;
	for (int i = 0; i < t.cols * t.rows; i++) {
		mtouch_cell_rect(&t, i, &x, &y, &w, &h);
		CHECK(w >= 96 && h >= 96);
		area += (long)w * h;
		CHECK_INT(mtouch_cell(&t, x, y), i);
		CHECK_INT(mtouch_cell(&t, x + w - 1, y + h - 1), i);
	}
	CHECK_INT(area, 1080L * 1500);
	CHECK_INT(mtouch_cell(&t, 0, 199), -1);
	CHECK_INT(mtouch_cell(&t, 1080, 300), -1);
	CHECK_INT(mtouch_cell(&t, 5, 1700), -1);
	CHECK_INT(mtouch_cell(&t, 1079, 1699), t.cols * t.rows - 1);

	/* nothing touched: every cell dead */
	CHECK_INT(mtouch_dead(&t, NULL, 0), 165);
	CHECK_INT(t.last_x, -1);
	/* touches: outside the area nothing is recorded */
	CHECK_INT(mtouch_touch(&t, 50, 100), -1);
	CHECK_INT(t.touches, 0);
	CHECK_INT(mtouch_touch(&t, 50, 250), 0);
	CHECK_INT(mtouch_touch(&t, 1000, 1650), 164);
	CHECK_INT(t.last_x, 1000);
	CHECK_INT(t.last_y, 1650);
	CHECK_INT(t.touches, 2);
	CHECK_INT(mtouch_dead(&t, NULL, 0), 163);
	/* touch every cell but two: row 3 column 5 and row 15 column 11 stay dead */
	for (int i = 0; i < t.cols * t.rows; i++) {
		if (i == 2 * 11 + 4 || i == 14 * 11 + 10)
			continue;
		mtouch_cell_rect(&t, i, &x, &y, &w, &h);
		mtouch_touch(&t, x + w / 2, y + h / 2);
	}
	int cells[4];
	CHECK_INT(mtouch_dead(&t, cells, 4), 1); /* 164 was touched at the start */
	CHECK_INT(cells[0], 26);
	char text[64];
	CHECK_INT(mtouch_dead_text(&t, text, sizeof text), 1);
	CHECK_STR(text, "F3C5");
	/* the dots: the last MTOUCH_DOTS kept, the newest last */
	CHECK_INT(t.ndots, MTOUCH_DOTS);
	mtouch_dot(&t, MTOUCH_DOTS - 1, &x, &y);
	CHECK_INT(x, t.last_x);
	CHECK_INT(y, t.last_y);

	/* many dead cells: the text is cut with "…", the count is whole */
	mtouch_layout(&t, 0, 0, 1280, 600, 96);
	CHECK_INT(t.cols, 13);
	CHECK_INT(t.rows, 6);
	CHECK_INT(mtouch_dead_text(&t, text, sizeof text), 78);
	CHECK(strlen(text) < sizeof text);
	CHECK(strstr(text, "F1C1, F1C2") == text);
	CHECK(strstr(text, " …") != NULL);

	/* a huge area: never more than MTOUCH_CELLS_MAX cells; an empty one has none */
	mtouch_layout(&t, 0, 0, 4000, 4000, 96);
	CHECK(t.cols * t.rows <= MTOUCH_CELLS_MAX);
	CHECK(t.cols > 1 && t.rows > 1);
	mtouch_layout(&t, 0, 0, 0, 100, 96);
	CHECK_INT(t.cols * t.rows, 0);
	CHECK_INT(mtouch_touch(&t, 0, 0), -1);
	CHECK_INT(mtouch_dead(&t, NULL, 0), 0);
	return check_done();
}
