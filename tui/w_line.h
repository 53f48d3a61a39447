/*
 * w_line: a one-line text editor widget.  The buffer is UTF-8 and always
 * valid: only code points that text rules allow get in, at most two
 * combining marks per character, and never more than the byte and column
 * caps, so a huge paste costs one refusal, not a huge render.  The cursor
 * sits on cluster boundaries; erasing removes a whole cluster (both
 * columns of a CJK character).
 */
#ifndef NOMDESK_TUI_W_LINE_H
#define NOMDESK_TUI_W_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "tui/curses.h"
#include "tui/keys.h"

#define W_LINE_SIZE CORE_TEXT_SIZE

struct w_line {
	char buf[W_LINE_SIZE]; /* UTF-8, NUL-terminated */
	size_t len;            /* bytes */
	size_t cur;            /* cursor, a byte offset on a cluster boundary */
	size_t scroll;         /* first byte shown */
	size_t max_len;        /* byte cap, < W_LINE_SIZE */
	size_t max_cols;       /* column cap */
};

/* Empties l and sets its caps (max_len is clamped to the buffer). */
void w_line_init(struct w_line *l, size_t max_len, size_t max_cols);
void w_line_clear(struct w_line *l);

/*
 * Replaces the text (valid UTF-8 expected), cursor at the end.  Returns 0,
 * or -1 (l unchanged) if it breaks a cap or a rule.
 */
int w_line_set(struct w_line *l, const char *s);

/*
 * Inserts n code points at the cursor, all or none.  Returns 0, or -1 with
 * a message for the user in why (translated): a code point that may not
 * be typed, or text that would not fit the caps.
 */
int w_line_insert(struct w_line *l, const uint32_t *cps, size_t n, char *why,
		  size_t whylen);

/*
 * Applies an editing key (Left, Right, Home, End, Ctrl-A, Ctrl-E, BS,
 * Delete, Ctrl-D, Ctrl-U, Ctrl-K).  Returns 1 if k was one, else 0.
 */
int w_line_key(struct w_line *l, const struct tui_key *k);

/*
 * Draws the visible part in exactly cols columns at (y, x), scrolled so
 * the cursor shows; returns the cursor's column relative to x.
 */
int w_line_draw(struct w_line *l, WINDOW *w, int y, int x, int cols,
		attr_t attr);

#endif
