/*
 * w_list: where a list stands, for every list, table and menu of the
 * desk: the selected item, the first item shown, and the moves the keys
 * make (a row, a page, the ends).  It holds no items and draws nothing:
 * the owner keeps its rows and their count and passes the count and the
 * page height (the rows the list gets on screen) to each call.
 *
 * Invariant after any call: sel < n when n > 0, sel == top == 0 when n
 * is 0, and sel is one of the page rows shown from top.
 */
#ifndef NOMDESK_TUI_W_LIST_H
#define NOMDESK_TUI_W_LIST_H

#include <stddef.h>

struct w_list {
	size_t sel; /* the selected item */
	size_t top; /* the first item shown */
};

/* Any caller: the selection kept within the n items and top moved just
 * enough that it shows among page rows (page < 1 counts as 1); after the
 * rows were reloaded, an item chosen or the screen resized. */
void w_list_show(struct w_list *l, size_t n, int page);

/* Any caller: selects item i (the last if past the end) and shows it. */
void w_list_select(struct w_list *l, size_t n, size_t i, int page);

/*
 * A row key (up, down) or the ends (home, end: delta -n, n): the
 * selection moves by delta, clamped, and the view follows it no more than
 * it must.  Returns 0 when there is nothing to select (n is 0), else 1.
 */
int w_list_move(struct w_list *l, size_t n, long delta, int page);

/*
 * A page key: the view moves by delta with the selection (both clamped),
 * so the selected row keeps its place on screen while it can.  Returns as
 * w_list_move().
 */
int w_list_page(struct w_list *l, size_t n, long delta, int page);

/* A view of n rows with no selection (a document), page of them shown:
 * top moved by delta, kept within 0 .. n-page (0 when all fit). */
void w_list_scroll(int *top, long delta, int n, int page);

#endif
