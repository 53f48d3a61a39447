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
	long sel = (long)m->sel + delta;

	if (m->n == 0) {
		return 0;
	}
	if (sel < 0) {
		sel = 0;
	}
	if (sel >= (long)m->n) {
		sel = (long)m->n - 1;
	}
	if ((size_t)sel == m->sel) {
		return 0;
	}
	m->sel = (size_t)sel;
	return 1;
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
	if (m->sel < m->top) {
		m->top = m->sel;
	}
	if (m->sel >= m->top + (size_t)rows) {
		m->top = m->sel - (size_t)rows + 1;
	}
	for (r = 0, i = m->top; r < rows && i < m->n; r++, i++) {
		attr_t a = i == m->sel ? A_REVERSE : A_NORMAL;
		char pre[32];

		if (numbered && i < 9) {
			snprintf(pre, sizeof(pre), "%s %zu  ",
				 i == m->sel ? ">" : " ", i + 1);
		} else {
			snprintf(pre, sizeof(pre), "%s    ",
				 i == m->sel ? ">" : " ");
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
