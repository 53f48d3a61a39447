/*
 * vt over libvterm: a virtual xterm whose cells we read back as text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <vterm.h>

#include "tests/lib/vt.h"

struct vt {
	VTerm *vt;
	VTermScreen *screen;
	void (*reply)(void *ctx, const char *bytes, size_t len);
	void *reply_ctx;
};

static void
on_output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;

	if (vt->reply != NULL) {
		vt->reply(vt->reply_ctx, s, len);
	}
}

struct vt *
vt_new(int rows, int cols)
{
	struct vt *vt = calloc(1, sizeof(*vt));

	if (vt == NULL) {
		return NULL;
	}
	vt->vt = vterm_new(rows, cols);
	if (vt->vt == NULL) {
		free(vt);
		return NULL;
	}
	vterm_set_utf8(vt->vt, 1);
	vterm_output_set_callback(vt->vt, on_output, vt);
	vt->screen = vterm_obtain_screen(vt->vt);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	return vt;
}

void
vt_free(struct vt *vt)
{
	if (vt == NULL) {
		return;
	}
	vterm_free(vt->vt);
	free(vt);
}

void
vt_feed(struct vt *vt, const char *bytes, size_t len)
{
	vterm_input_write(vt->vt, bytes, len);
}

void
vt_set_reply(struct vt *vt,
	     void (*fn)(void *ctx, const char *bytes, size_t len), void *ctx)
{
	vt->reply = fn;
	vt->reply_ctx = ctx;
}

void
vt_resize(struct vt *vt, int rows, int cols)
{
	vterm_set_size(vt->vt, rows, cols);
}

void
vt_size(const struct vt *vt, int *rows, int *cols)
{
	vterm_get_size(vt->vt, rows, cols);
}

void
vt_cursor(const struct vt *vt, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(vt->vt), &pos);
	*row = pos.row;
	*col = pos.col;
}

static size_t
put_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c < 0x110000) {
		out[0] = (char)(0xf0 | (c >> 18));
		out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[3] = (char)(0x80 | (c & 0x3f));
		return 4;
	}
	out[0] = '?';
	return 1;
}

size_t
vt_row(const struct vt *vt, int row, char *buf, size_t size)
{
	int rows, cols;
	size_t n = 0, trimmed = 0;

	if (size == 0) {
		return 0;
	}
	buf[0] = '\0';
	vterm_get_size(vt->vt, &rows, &cols);
	if (row < 0 || row >= rows) {
		return 0;
	}
	for (int col = 0; col < cols;) {
		VTermScreenCell cell;
		VTermPos pos = {row, col};
		char tmp[4 * VTERM_MAX_CHARS_PER_CELL];
		size_t k = 0;

		if (!vterm_screen_get_cell(vt->screen, pos, &cell)) {
			break;
		}
		if (cell.chars[0] == 0) {
			tmp[k++] = ' ';
		} else {
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL &&
					cell.chars[i] != 0 &&
					cell.chars[i] != (uint32_t)-1;
			     i++) {
				k += put_utf8(cell.chars[i], tmp + k);
			}
		}
		if (n + k + 1 > size) {
			break;
		}
		memcpy(buf + n, tmp, k);
		n += k;
		if (cell.chars[0] != 0) {
			trimmed = n;
		}
		col += cell.width > 1 ? cell.width : 1;
	}
	buf[trimmed] = '\0';
	return trimmed;
}

size_t
vt_dump(const struct vt *vt, char *buf, size_t size)
{
	int rows, cols;
	size_t n = 0;

	if (size == 0) {
		return 0;
	}
	vterm_get_size(vt->vt, &rows, &cols);
	for (int r = 0; r < rows && n + 1 < size; r++) {
		n += vt_row(vt, r, buf + n, size - n);
		if (n + 1 < size) {
			buf[n++] = '\n';
		}
	}
	buf[n] = '\0';
	return n;
}

int
vt_find(const struct vt *vt, const char *text)
{
	int rows, cols;
	char line[8192];

	vterm_get_size(vt->vt, &rows, &cols);
	for (int r = 0; r < rows; r++) {
		vt_row(vt, r, line, sizeof(line));
		if (strstr(line, text) != NULL) {
			return r;
		}
	}
	return -1;
}

bool
vt_contains(const struct vt *vt, const char *text)
{
	return vt_find(vt, text) >= 0;
}

int
vt_attrs(const struct vt *vt, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = {row, col};
	int a = 0;

	if (!vterm_screen_get_cell(vt->screen, pos, &cell)) {
		return 0;
	}
	if (cell.attrs.bold) {
		a |= VT_BOLD;
	}
	if (cell.attrs.underline) {
		a |= VT_UNDERLINE;
	}
	if (cell.attrs.reverse) {
		a |= VT_REVERSE;
	}
	if (cell.attrs.italic) {
		a |= VT_ITALIC;
	}
	if (cell.attrs.blink) {
		a |= VT_BLINK;
	}
	return a;
}

static int
color_index(const VTermColor *c, int is_fg)
{
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c)) {
		return -1;
	}
	return VTERM_COLOR_IS_INDEXED(c) ? c->indexed.idx : -1;
}

void
vt_colors(const struct vt *vt, int row, int col, int *fg, int *bg)
{
	VTermScreenCell cell;
	VTermPos pos = {row, col};

	*fg = *bg = -1;
	if (!vterm_screen_get_cell(vt->screen, pos, &cell)) {
		return;
	}
	*fg = color_index(&cell.fg, 1);
	*bg = color_index(&cell.bg, 0);
}

int
vt_cell(const struct vt *vt, int row, int col, char *buf, size_t size)
{
	VTermScreenCell cell;
	VTermPos pos = {row, col};
	char tmp[4 * VTERM_MAX_CHARS_PER_CELL + 1];
	size_t k = 0;
	int rows, cols;

	if (size > 0) {
		buf[0] = '\0';
	}
	vterm_get_size(vt->vt, &rows, &cols);
	if (row < 0 || row >= rows || col < 0 || col >= cols ||
	    !vterm_screen_get_cell(vt->screen, pos, &cell)) {
		return -1;
	}
	if (cell.chars[0] == (uint32_t)-1) {
		return 0; /* the right half of a wide character */
	}
	if (cell.chars[0] == 0) {
		tmp[k++] = ' ';
	}
	for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i] != 0 &&
			cell.chars[i] != (uint32_t)-1;
	     i++) {
		k += put_utf8(cell.chars[i], tmp + k);
	}
	tmp[k] = '\0';
	if (size > 0) {
		snprintf(buf, size, "%s", tmp);
	}
	return cell.width > 1 ? cell.width : 1;
}
