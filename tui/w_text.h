/*
 * w_text: a text editor widget of several rows, for evidence and reasons.
 * Like w_line, the buffer is always valid UTF-8 that the text rules allow
 * (LF included when the widget is multiline), within a byte and a column
 * cap.  It is shown wrapped by columns (tui/text.c decides the rows) in a
 * box of a given height that scrolls to keep the cursor in view.
 */
#ifndef NOMDESK_TUI_W_TEXT_H
#define NOMDESK_TUI_W_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tui/curses.h"
#include "tui/keys.h"

#define W_TEXT_SIZE 4096

struct w_text {
	char buf[W_TEXT_SIZE]; /* UTF-8, NUL-terminated */
	size_t len;            /* bytes */
	size_t cur;            /* cursor, on a cluster boundary */
	size_t max_len;        /* byte cap, < W_TEXT_SIZE */
	size_t max_cols;       /* cap on the display columns of all of it */
	int multiline;         /* LF may be typed (Enter inserts one) */
	int top;               /* first row shown */
	int width;             /* wrap width of the last draw (rows' cols) */
	int goal;              /* column Up/Down keep to; -1: the cursor's */
};

/* Empties t and sets its caps and kind. */
void w_text_init(struct w_text *t, size_t max_len, size_t max_cols,
		 int multiline);
void w_text_clear(struct w_text *t);

/* Replaces the text (cursor at the end); 0, or -1 (t unchanged) if s
 * breaks a rule or a cap. */
int w_text_set(struct w_text *t, const char *s);

/*
 * Inserts n code points at the cursor, all or none; LF only when
 * multiline.  0, or -1 with a translated reason in why.
 */
int w_text_insert(struct w_text *t, const uint32_t *cps, size_t n,
		  char *why, size_t whylen);

/*
 * Applies an editing key: Left, Right, Home/Ctrl-A and End/Ctrl-E (of the
 * row), Up and Down (by rows of the last draw's width), Backspace,
 * Delete/Ctrl-D, Ctrl-U (clear), Ctrl-K (to the end of the line) and,
 * when multiline, Enter (a line break).  Returns 1 if k was handled, 0 if
 * not: Up on the first row and Down on the last are not, so a form can
 * move to the neighbouring field.
 */
int w_text_key(struct w_text *t, const struct tui_key *k);

/* Rows the text takes at cols columns (at least 1). */
int w_text_rows(const struct w_text *t, int cols);

/*
 * Draws rows x cols at (y, x).  When focused, the rows scroll so the
 * cursor shows and *cy, *cx (may be NULL) get its screen position;
 * otherwise the first rows are shown.
 */
void w_text_draw(struct w_text *t, WINDOW *w, int y, int x, int rows,
		 int cols, attr_t attr, int focused, int *cy, int *cx);

#endif
