/*
 * w_menu: a numbered vertical list to choose one item from (a value
 * picker, the actions menu).  Items are shown "1  label" (digits 1-9
 * choose directly, the caller maps them); the selected item is reverse
 * video and marked '>' (never colour alone).  Labels are sanitized and
 * fitted when drawn.
 */
#ifndef NOMDESK_TUI_W_MENU_H
#define NOMDESK_TUI_W_MENU_H

#include <stddef.h>

#include "tui/curses.h"
#include "tui/w_list.h"

struct w_menu {
	size_t n;          /* items */
	struct w_list pos; /* the selected item, the first shown */
};

/* Moves the selection by delta, clamped (the draw scrolls to it);
 * returns 1 if it moved. */
int w_menu_move(struct w_menu *m, long delta);

/*
 * Draws at most rows items of labels[] from m->top (scrolled so that the
 * selection shows) at (y, x), cols wide.  With numbered, items 1-9 get
 * their digit.
 */
void w_menu_draw(struct w_menu *m, WINDOW *w, int y, int x, int rows,
		 int cols, const char *const *labels, int numbered);

/* The widest label's columns, numbers and marker included. */
int w_menu_width(const char *const *labels, size_t n, int numbered);

#endif
