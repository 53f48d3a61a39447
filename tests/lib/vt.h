/*
 * vt: a screen reader for tests, over libvterm.  Feed it what a terminal
 * would receive; ask it what a person would see.  Rows are returned as
 * UTF-8 with a double-width character appearing once (its right half is
 * skipped), so searching for "平城区" works whatever the columns.
 */
#ifndef NOMDESK_TEST_VT_H
#define NOMDESK_TEST_VT_H

#include <stdbool.h>
#include <stddef.h>

struct vt;

/* A blank rows x cols UTF-8 screen (alternate screen enabled, as xterm).
 * Caller frees with vt_free(). */
struct vt *vt_new(int rows, int cols);
void vt_free(struct vt *vt);

/* Bytes from the program (escape sequences and text). */
void vt_feed(struct vt *vt, const char *bytes, size_t len);
/* Where the terminal's own answers go (cursor position reports, device
 * attributes): a real terminal writes them back to the program. */
void vt_set_reply(struct vt *vt,
		  void (*fn)(void *ctx, const char *bytes, size_t len),
		  void *ctx);

void vt_resize(struct vt *vt, int rows, int cols);
void vt_size(const struct vt *vt, int *rows, int *cols);
void vt_cursor(const struct vt *vt, int *row, int *col);

/* Row `row` (0-based) as UTF-8, trailing blanks removed, NUL-terminated;
 * returns its length in bytes (0 for an empty or out-of-range row). */
size_t vt_row(const struct vt *vt, int row, char *buf, size_t size);
/* Every row, each ended by '\n'; returns the length (truncated to fit). */
size_t vt_dump(const struct vt *vt, char *buf, size_t size);
/* The first row containing text, or -1. */
int vt_find(const struct vt *vt, const char *text);
bool vt_contains(const struct vt *vt, const char *text);

enum vt_attr {
	VT_BOLD = 1,
	VT_UNDERLINE = 2,
	VT_REVERSE = 4,
	VT_ITALIC = 8,
	VT_BLINK = 16,
};
/* enum vt_attr bits of one cell (0 outside the screen). */
int vt_attrs(const struct vt *vt, int row, int col);
/* The cell's palette colours, -1 for the terminal's default (and for
 * direct RGB, which nomdesk never sends). */
void vt_colors(const struct vt *vt, int row, int col, int *fg, int *bg);
/*
 * One cell as the golden screens read it: its text as UTF-8 in buf (a
 * blank cell is " "), and its width in columns (2 for a double-width
 * character; the column after it is then its right half and has width
 * 0).  Returns the width, or -1 outside the screen.
 */
int vt_cell(const struct vt *vt, int row, int col, char *buf, size_t size);

#endif
