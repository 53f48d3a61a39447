/*
 * w_table: a table of untrusted text, laid out by display columns.  Each
 * cell is sanitized, fitted (with "~" when cut) and re-padded to its
 * column, so a width disagreement in one cell cannot push the next one.
 * A selected row is drawn in reverse video and marked with '>' (never by
 * colour alone).
 */
#ifndef NOMDESK_TUI_W_TABLE_H
#define NOMDESK_TUI_W_TABLE_H

#include <stddef.h>

#include "tui/curses.h"

#define W_TABLE_MAX_COLS 12

struct w_table_col {
	const char *title; /* N_(): translated when drawn */
	int min;           /* columns it never goes below */
	int max;           /* > 0: a fixed-size column up to max; 0: flexible */
};

struct w_table {
	const struct w_table_col *col;
	size_t n_cols;
	int width[W_TABLE_MAX_COLS];
};

/*
 * Sizes the columns for avail terminal columns (the marker column and the
 * one-space gaps included): fixed columns take what their widest cell or
 * title needs, within [min, max]; flexible ones share the rest, none
 * getting more than it needs while another is cut.  cell(ctx, row, col)
 * returns the text of a cell.
 */
void w_table_layout(struct w_table *t, int avail, size_t n_rows,
		    const char *(*cell)(void *ctx, size_t row, size_t col),
		    void *ctx);

/* Draws the header line at (y, x), underlined or bold. */
void w_table_draw_header(const struct w_table *t, WINDOW *w, int y, int x,
			 int avail);

/* Draws one row of n_cols cells; selected rows get '>' and reverse. */
void w_table_draw_row(const struct w_table *t, WINDOW *w, int y, int x,
		      int avail, const char *const *cells, int selected);

#endif
