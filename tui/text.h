/*
 * text: the one module that turns UTF-8 into terminal columns (tig's
 * draw.c).  Every string drawn goes through here: sanitized (core/utf8,
 * so control, bidi and invisible characters become visible), fitted by
 * display columns with a "~" marker when cut, and padded, so a short
 * value never leaves an older value's tail on screen.
 *
 * It also reconciles our widths with the terminal's: ncurses measures
 * with glibc's wcwidth(), which knows an older Unicode (CJK Extension H
 * is -1 there).  A cluster whose width glibc disagrees about is drawn as
 * U+FFFD padded to our width, so the layout never shifts.
 */
#ifndef NOMDESK_TUI_TEXT_H
#define NOMDESK_TUI_TEXT_H

#include <stddef.h>

#include "tui/curses.h"

/* Room for any text drawn on one line, after sanitizing. */
#define TEXT_LINE_SIZE 4096

/* Sanitizes untrusted text for one line (LF becomes a space). */
size_t text_sanitize(const char *s, char *out, size_t outsz);

/*
 * Sanitizes untrusted text of several lines: as text_sanitize(), but LF
 * stays (to be split into rows with text_wrap_row, never drawn as is).
 */
size_t text_sanitize_ml(const char *s, char *out, size_t outsz);

/* Display columns of untrusted text once sanitized. */
size_t text_width(const char *s);

/*
 * Sanitizes s and fits it into exactly cols columns: cut with "~" when
 * too wide, padded with spaces when narrower.  out needs up to
 * TEXT_LINE_SIZE bytes.  Returns the columns of text before padding.
 */
size_t text_fit_pad(const char *s, size_t cols, char *out, size_t outsz);

/*
 * The cluster of s[0..len) at byte i (a character and the zero-width
 * code points after it, but a LF always a cluster of its own): returns
 * its end and sets *cols (may be NULL) to its columns (0 for LF).
 */
size_t text_cluster(const char *s, size_t len, size_t i, size_t *cols);

/* Start of the cluster before byte i of s (0 if i is 0). */
size_t text_cluster_prev(const char *s, size_t len, size_t i);
/* End of the cluster at byte i of s (len if i is len). */
size_t text_cluster_next(const char *s, size_t len, size_t i);
/* Columns of s[from..to). */
size_t text_width_range(const char *s, size_t from, size_t to);

/*
 * Wrapping, for sanitized (or editor-checked) text s[0..len) that may
 * hold LF: the row starting at byte i ends at the returned byte, after as
 * many whole clusters as fit in cols columns (at least one, so a row
 * always advances), and never past a LF (the row ends before it).  When a
 * row is cut inside a run of ASCII letters it ends after the last space
 * in it, if there is one.  *next (may be NULL) is where the next row
 * starts: past the LF if the row ended at one.  The text ends with the
 * row whose end is len.  i <= len.
 */
size_t text_wrap_row(const char *s, size_t len, size_t i, size_t cols,
		     size_t *next);

/*
 * Draws untrusted s at (y, x) of w in exactly cols columns (sanitized,
 * fitted, padded), all in attr.  Returns the columns of text before the
 * padding.
 */
/*
 * Inserts code points as typed at *cur of buf (NUL-terminated, *len
 * bytes): refuses what core would refuse (utf8_cp_reject; LF only when
 * lf_ok), more than two combining marks, and anything past max_len bytes
 * or max_cols columns, whole, with the reason in why.  0 or -1.
 */
int text_insert_cps(char *buf, size_t *len, size_t *cur, size_t max_len,
		    size_t max_cols, int lf_ok, const uint32_t *cps, size_t n,
		    char *why, size_t whylen);

int text_draw(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);

/* As text_draw, without padding: for text followed by more text. */
int text_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);

#endif
