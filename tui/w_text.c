/*
 * w_text: editor of several rows (see w_text.h).
 *
 * Invariants, after every call: buf[0..len) is valid UTF-8 whose code
 * points utf8_cp_reject() allows (plus LF when multiline), at most two
 * combining marks per character, len <= max_len, its width <= max_cols,
 * buf[len] == '\0', and cur is a cluster boundary <= len.
 *
 * Rows are wrapped at width - 1 columns so the cursor always has a cell
 * after the text; a position at the end of a row cut by width belongs to
 * the next row, one at a LF or at the very end to its own row.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/w_text.h"

#define DEFAULT_WIDTH 40

/* Scratch rows; one widget is laid out at a time (one thread). */
static size_t row_start[W_TEXT_SIZE + 2], row_end[W_TEXT_SIZE + 2];

void
w_text_init(struct w_text *t, size_t max_len, size_t max_cols, int multiline)
{
	memset(t, 0, sizeof(*t));
	t->max_len = max_len < W_TEXT_SIZE ? max_len : W_TEXT_SIZE - 1;
	t->max_cols = max_cols;
	t->multiline = multiline;
	t->goal = -1;
}

void
w_text_clear(struct w_text *t)
{
	t->buf[0] = '\0';
	t->len = t->cur = 0;
	t->top = 0;
	t->goal = -1;
}

static int
wrap_cols(int width)
{
	return width > 2 ? width - 1 : 1;
}

/* Fills row_start/row_end for wrap width cols; returns the count. */
static int
layout(const struct w_text *t, int cols)
{
	size_t i = 0;
	int n = 0;

	for (;;) {
		size_t next, end = text_wrap_row(t->buf, t->len, i,
						 (size_t)cols, &next);

		row_start[n] = i;
		row_end[n] = end;
		n++;
		if (end >= t->len) {
			break;
		}
		i = next;
	}
	return n;
}

static int
ends_row(const struct w_text *t, int r)
{
	size_t e = row_end[r];

	return e >= t->len || t->buf[e] == '\n';
}

/* The row of the cursor among n laid-out rows. */
static int
cursor_row(const struct w_text *t, int n)
{
	int r;

	for (r = 0; r < n; r++) {
		if (t->cur >= row_start[r] &&
		    (t->cur < row_end[r] ||
		     (t->cur == row_end[r] && ends_row(t, r)))) {
			return r;
		}
	}
	return n - 1;
}

/* The position in row r closest to column goal, never past its end. */
static size_t
pos_at(const struct w_text *t, int r, size_t goal)
{
	size_t p = row_start[r], col = 0;

	while (p < row_end[r]) {
		size_t c, q = text_cluster(t->buf, t->len, p, &c);

		if (col + c > goal) {
			break;
		}
		if (q == row_end[r] && !ends_row(t, r)) {
			break; /* that spot is the next row's start */
		}
		col += c;
		p = q;
	}
	return p;
}

int
w_text_insert(struct w_text *t, const uint32_t *cps, size_t n, char *why,
	      size_t whylen)
{
	if (text_insert_cps(t->buf, &t->len, &t->cur, t->max_len, t->max_cols,
			    t->multiline, cps, n, why, whylen) != 0)
		return -1;
	t->goal = -1;
	return 0;
}

int
w_text_set(struct w_text *t, const char *s)
{
	static uint32_t cps[W_TEXT_SIZE];
	static struct w_text tmp;
	size_t len = strlen(s), i = 0, n = 0;
	char why[160];
	int k;

	while (i < len) {
		if (n == W_TEXT_SIZE) {
			return -1;
		}
		k = utf8_decode(s + i, len - i, &cps[n]);
		if (k < 0) {
			return -1;
		}
		i += (size_t)k;
		n++;
	}
	w_text_init(&tmp, t->max_len, t->max_cols, t->multiline);
	if (w_text_insert(&tmp, cps, n, why, sizeof(why)) != 0) {
		return -1;
	}
	tmp.width = t->width;
	*t = tmp;
	return 0;
}

static void
cut_range(struct w_text *t, size_t from, size_t to)
{
	memmove(t->buf + from, t->buf + to, t->len - to + 1);
	t->len -= to - from;
	if (t->cur > to) {
		t->cur -= to - from;
	} else if (t->cur > from) {
		t->cur = from;
	}
}

/* Up (dir -1) or Down (+1) a row; 0 at the first or last row. */
static int
move_row(struct w_text *t, int dir)
{
	int cols = wrap_cols(t->width ? t->width : DEFAULT_WIDTH);
	int n = layout(t, cols), r = cursor_row(t, n);
	size_t col = text_width_range(t->buf, row_start[r], t->cur);

	if (r + dir < 0 || r + dir >= n) {
		return 0;
	}
	if (t->goal < 0) {
		t->goal = (int)col;
	}
	t->cur = pos_at(t, r + dir, (size_t)t->goal);
	return 1;
}

/* Home (to_end 0) or End (1) of the cursor's row. */
static void
row_edge(struct w_text *t, int to_end)
{
	int cols = wrap_cols(t->width ? t->width : DEFAULT_WIDTH);
	int n = layout(t, cols), r = cursor_row(t, n);

	t->cur = to_end ? pos_at(t, r, (size_t)-1) : row_start[r];
}

int
w_text_key(struct w_text *t, const struct tui_key *k)
{
	uint32_t ctrl = k->vk == VK_CTRL ? k->ch : 0;
	int keep_goal = 0;

	if (k->vk == VK_LEFT) {
		t->cur = text_cluster_prev(t->buf, t->len, t->cur);
	} else if (k->vk == VK_RIGHT) {
		t->cur = text_cluster_next(t->buf, t->len, t->cur);
	} else if (k->vk == VK_UP || k->vk == VK_DOWN) {
		if (!move_row(t, k->vk == VK_UP ? -1 : 1)) {
			return 0;
		}
		keep_goal = 1;
	} else if (k->vk == VK_HOME || ctrl == 'a') {
		row_edge(t, 0);
	} else if (k->vk == VK_END || ctrl == 'e') {
		row_edge(t, 1);
	} else if (k->vk == VK_BS) {
		if (t->cur > 0) {
			cut_range(t, text_cluster_prev(t->buf, t->len, t->cur),
				  t->cur);
		}
	} else if (k->vk == VK_DEL || ctrl == 'd') {
		if (t->cur < t->len) {
			cut_range(t, t->cur,
				  text_cluster_next(t->buf, t->len, t->cur));
		}
	} else if (ctrl == 'u') {
		w_text_clear(t);
	} else if (ctrl == 'k') {
		const char *nl = memchr(t->buf + t->cur, '\n', t->len - t->cur);
		size_t end = nl ? (size_t)(nl - t->buf) : t->len;

		/* at a line's end, join the next line (as Emacs does) */
		cut_range(t, t->cur, end == t->cur && nl ? end + 1 : end);
	} else if (k->vk == VK_ENTER && t->multiline) {
		uint32_t lf = '\n';
		char why[160];

		(void)w_text_insert(t, &lf, 1, why, sizeof(why));
	} else {
		return 0;
	}
	if (!keep_goal) {
		t->goal = -1;
	}
	return 1;
}

int
w_text_rows(const struct w_text *t, int cols)
{
	return layout(t, wrap_cols(cols));
}

void
w_text_draw(struct w_text *t, WINDOW *w, int y, int x, int rows, int cols,
	    attr_t attr, int focused, int *cy, int *cx)
{
	char line[W_TEXT_SIZE];
	int n, r, cr, top = 0;

	if (rows <= 0 || cols <= 0) {
		return;
	}
	t->width = cols;
	n = layout(t, wrap_cols(cols));
	cr = cursor_row(t, n);
	if (focused) {
		if (t->top > cr) {
			t->top = cr;
		}
		if (cr >= t->top + rows) {
			t->top = cr - rows + 1;
		}
		if (t->top > n - 1) {
			t->top = n - 1;
		}
		if (t->top < 0) {
			t->top = 0;
		}
		top = t->top;
	}
	for (r = 0; r < rows; r++) {
		int i = top + r;

		line[0] = '\0';
		if (i < n) {
			size_t len = row_end[i] - row_start[i];

			memcpy(line, t->buf + row_start[i], len);
			line[len] = '\0';
		}
		text_draw(w, y + r, x, cols, line, attr);
	}
	if (focused && cy && cx) {
		*cy = y + cr - top;
		*cx = x + (int)text_width_range(t->buf, row_start[cr], t->cur);
	}
}
