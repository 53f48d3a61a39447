/*
 * w_table: column layout and row drawing (see w_table.h).  Column widths
 * are computed from text_width() of sanitized cells, never from bytes.
 */
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/w_table.h"

#define MARK_COLS 2 /* "> " */

void
w_table_layout(struct w_table *t, int avail, size_t n_rows,
	       const char *(*cell)(void *ctx, size_t row, size_t col),
	       void *ctx)
{
	int need[W_TABLE_MAX_COLS], done[W_TABLE_MAX_COLS];
	int rest, n_flex = 0, changed;
	size_t c, r;

	rest = avail - MARK_COLS - (int)(t->n_cols > 0 ? t->n_cols - 1 : 0);
	for (c = 0; c < t->n_cols && c < W_TABLE_MAX_COLS; c++) {
		need[c] = (int)text_width(_(t->col[c].title));
		for (r = 0; r < n_rows; r++) {
			int w = (int)text_width(cell(ctx, r, c));

			if (w > need[c]) {
				need[c] = w;
			}
		}
		if (need[c] < t->col[c].min) {
			need[c] = t->col[c].min;
		}
		done[c] = t->col[c].max > 0;
		if (done[c]) {
			t->width[c] = need[c] < t->col[c].max ? need[c]
							      : t->col[c].max;
			rest -= t->width[c];
		} else {
			n_flex++;
		}
	}
	/* water-fill: flexible columns that need less than a fair share
	 * take what they need, the others split what is left */
	do {
		changed = 0;
		for (c = 0; c < t->n_cols && n_flex > 0; c++) {
			if (!done[c] && need[c] <= rest / n_flex) {
				t->width[c] = need[c];
				rest -= need[c];
				done[c] = 1;
				n_flex--;
				changed = 1;
			}
		}
	} while (changed);
	for (c = 0; c < t->n_cols && n_flex > 0; c++) {
		if (!done[c]) {
			int share = rest / n_flex;

			t->width[c] = share < t->col[c].min ? t->col[c].min
							    : share;
			rest -= t->width[c];
			n_flex--;
			done[c] = 1;
		}
	}
}

/* Draws cells at their columns; returns the column after the last. */
static int
draw_cells(const struct w_table *t, WINDOW *w, int y, int x, int avail,
	   const char *const *cells, attr_t attr)
{
	int col = x + MARK_COLS;
	size_t c;

	for (c = 0; c < t->n_cols; c++) {
		int width = t->width[c];

		if (col + width > x + avail) {
			width = x + avail - col;
		}
		if (width <= 0) {
			break;
		}
		text_draw(w, y, col, width, cells[c], attr);
		col += width;
		if (c + 1 < t->n_cols && col < x + avail) {
			text_draw(w, y, col, 1, " ", attr);
			col++;
		}
	}
	return col;
}

void
w_table_draw_header(const struct w_table *t, WINDOW *w, int y, int x,
		    int avail)
{
	const char *titles[W_TABLE_MAX_COLS];
	size_t c;
	int end;

	for (c = 0; c < t->n_cols && c < W_TABLE_MAX_COLS; c++) {
		titles[c] = _(t->col[c].title);
	}
	text_draw(w, y, x, MARK_COLS, "", A_BOLD);
	end = draw_cells(t, w, y, x, avail, titles, A_BOLD);
	if (end < x + avail) {
		text_draw(w, y, end, x + avail - end, "", A_NORMAL);
	}
}

void
w_table_draw_row(const struct w_table *t, WINDOW *w, int y, int x, int avail,
		 const char *const *cells, int selected)
{
	attr_t attr = selected ? A_REVERSE : A_NORMAL;
	int end;

	text_draw(w, y, x, MARK_COLS, selected ? ">" : "", attr);
	end = draw_cells(t, w, y, x, avail, cells, attr);
	if (end < x + avail) {
		text_draw(w, y, end, x + avail - end, "", attr);
	}
}
