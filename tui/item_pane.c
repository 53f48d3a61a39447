/*
 * item_pane: a column of virtual rows mapped onto body rows y0..y1 from
 * top, so a view can first count its rows (y1 < y0 draws nothing), clamp
 * its scroll, and then draw.  Used for the details under the items,
 * materials and trail tables and for their full views.  Text goes through
 * text_sanitize_ml and text_wrap_row: stored text never reaches the
 * terminal raw.
 */
#include <string.h>

#include "tui/items.h"
#include "tui/text.h"

int
item_pane_row(struct item_pane *p)
{
	int y = p->y0 + p->vy - p->top;

	p->vy++;
	return y >= p->y0 && y <= p->y1 ? y : -1;
}

void
item_pane_text(struct item_pane *p, int lx, int lw, const char *label,
	       attr_t la, int x, int cols, const char *s, attr_t a)
{
	static char buf[TEXT_LINE_SIZE * 2];
	char row[TEXT_LINE_SIZE * 2];
	size_t len, i = 0;
	int first = 1;

	if (cols < 1) {
		return;
	}
	text_sanitize_ml(s, buf, sizeof(buf));
	len = strlen(buf);
	for (;;) {
		size_t next, end = text_wrap_row(buf, len, i, (size_t)cols,
						 &next);
		int y = item_pane_row(p);

		if (y >= 0) {
			if (first && label) {
				text_put(stdscr, y, lx, lw, label, la);
			}
			memcpy(row, buf + i, end - i);
			row[end - i] = '\0';
			text_put(stdscr, y, x, cols, row, a);
		}
		first = 0;
		if (end >= len) {
			break;
		}
		i = next;
	}
}

void
item_table_row(const struct w_table *t, int y, int x, int avail,
	       const char *const *cells, const attr_t *attrs, int selected)
{
	attr_t sel = selected ? A_REVERSE : A_NORMAL;
	int col = x + 2, end = x + avail;
	size_t c;

	text_draw(stdscr, y, x, 2, selected ? ">" : "", sel | A_BOLD);
	for (c = 0; c < t->n_cols; c++) {
		int width = t->width[c];

		if (col + width > end) {
			width = end - col;
		}
		if (width <= 0) {
			break;
		}
		text_draw(stdscr, y, col, width, cells[c],
			  sel | (attrs ? attrs[c] : A_NORMAL));
		col += width;
		if (c + 1 < t->n_cols && col < end) {
			text_draw(stdscr, y, col, 1, " ", sel);
			col++;
		}
	}
	if (col < end) {
		text_draw(stdscr, y, col, end - col, "", sel);
	}
}
