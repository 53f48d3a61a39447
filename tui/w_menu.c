/*
 * w_menu: a numbered list (see w_menu.h).  Widths through tui/text.c.
 */
#include <stdio.h>

#include "tui/text.h"
#include "tui/w_menu.h"

#define PREFIX_COLS 5 /* "> 1  " */

int
w_menu_move(struct w_menu *m, long delta)
{
	size_t was = m->pos.sel;

	/* every row counts as shown: the draw knows how many are */
	(void)w_list_move(&m->pos, m->n, delta, (int)m->n);
	return m->pos.sel != was;
}

void
w_menu_draw(struct w_menu *m, WINDOW *w, int y, int x, int rows, int cols,
	    const char *const *labels, int numbered)
{
	size_t i;
	int r;

	if (rows <= 0 || cols <= PREFIX_COLS) {
		return;
	}
	w_list_show(&m->pos, m->n, rows);
	for (r = 0, i = m->pos.top; r < rows && i < m->n; r++, i++) {
		attr_t a = i == m->pos.sel ? A_REVERSE : A_NORMAL;
		char pre[32];

		if (numbered && i < 9) {
			snprintf(pre, sizeof(pre), "%s %zu  ",
				 i == m->pos.sel ? ">" : " ", i + 1);
		} else {
			snprintf(pre, sizeof(pre), "%s    ",
				 i == m->pos.sel ? ">" : " ");
		}
		text_draw(w, y + r, x, PREFIX_COLS, pre, a);
		text_draw(w, y + r, x + PREFIX_COLS, cols - PREFIX_COLS,
			  labels[i], a);
	}
}

int
w_menu_width(const char *const *labels, size_t n, int numbered)
{
	size_t i;
	int wmax = 0;

	(void)numbered;
	for (i = 0; i < n; i++) {
		int lw = (int)text_width(labels[i]);

		wmax = lw > wmax ? lw : wmax;
	}
	return PREFIX_COLS + wmax;
}
