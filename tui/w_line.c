/*
 * w_line: one-line editor (see w_line.h).
 *
 * Invariants, after every call: buf[0..len) is valid UTF-8 that
 * utf8_sanitize() leaves unchanged, len <= max_len, its width <=
 * max_cols, buf[len] == '\0', and cur and scroll are cluster boundaries
 * with scroll <= cur <= len.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/w_line.h"

void
w_line_init(struct w_line *l, size_t max_len, size_t max_cols)
{
	memset(l, 0, sizeof(*l));
	l->max_len = max_len < W_LINE_SIZE ? max_len : W_LINE_SIZE - 1;
	l->max_cols = max_cols;
}

void
w_line_clear(struct w_line *l)
{
	l->buf[0] = '\0';
	l->len = l->cur = l->scroll = 0;
}

int
w_line_insert(struct w_line *l, const uint32_t *cps, size_t n, char *why,
	      size_t whylen)
{
	return text_insert_cps(l->buf, &l->len, &l->cur, l->max_len,
			       l->max_cols, 0, cps, n, why, whylen);
}

int
w_line_set(struct w_line *l, const char *s)
{
	uint32_t cps[W_LINE_SIZE];
	size_t len = strlen(s), i = 0, n = 0;
	struct w_line tmp;
	char why[160];
	int k;

	while (i < len) {
		k = utf8_decode(s + i, len - i, &cps[n]);
		if (k < 0 || n == W_LINE_SIZE) {
			return -1;
		}
		i += (size_t)k;
		n++;
	}
	w_line_init(&tmp, l->max_len, l->max_cols);
	if (w_line_insert(&tmp, cps, n, why, sizeof(why)) != 0) {
		return -1;
	}
	*l = tmp;
	return 0;
}

static void
cut_range(struct w_line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, l->len - to + 1);
	l->len -= to - from;
	if (l->cur > to) {
		l->cur -= to - from;
	} else if (l->cur > from) {
		l->cur = from;
	}
	if (l->scroll > l->cur) {
		l->scroll = l->cur;
	}
}

int
w_line_key(struct w_line *l, const struct tui_key *k)
{
	uint32_t ctrl = k->vk == VK_CTRL ? k->ch : 0;

	if (k->vk == VK_LEFT) {
		l->cur = text_cluster_prev(l->buf, l->len, l->cur);
	} else if (k->vk == VK_RIGHT) {
		l->cur = text_cluster_next(l->buf, l->len, l->cur);
	} else if (k->vk == VK_HOME || ctrl == 'a') {
		l->cur = 0;
	} else if (k->vk == VK_END || ctrl == 'e') {
		l->cur = l->len;
	} else if (k->vk == VK_BS) {
		if (l->cur > 0) {
			cut_range(l, text_cluster_prev(l->buf, l->len, l->cur),
			      l->cur);
		}
	} else if (k->vk == VK_DEL || ctrl == 'd') {
		if (l->cur < l->len) {
			cut_range(l, l->cur,
			      text_cluster_next(l->buf, l->len, l->cur));
		}
	} else if (ctrl == 'u') {
		w_line_clear(l);
	} else if (ctrl == 'k') {
		cut_range(l, l->cur, l->len);
	} else {
		return 0;
	}
	return 1;
}

int
w_line_draw(struct w_line *l, WINDOW *w, int y, int x, int cols,
	    attr_t attr)
{
	size_t room;

	if (cols <= 0) {
		return 0;
	}
	room = (size_t)cols - 1; /* one cell for the cursor after the text */
	if (l->scroll > l->cur) {
		l->scroll = l->cur;
	}
	while (l->scroll < l->cur &&
	       text_width_range(l->buf, l->scroll, l->cur) > room) {
		l->scroll = text_cluster_next(l->buf, l->len, l->scroll);
	}
	while (l->scroll > 0) {
		size_t p = text_cluster_prev(l->buf, l->len, l->scroll);

		if (text_width_range(l->buf, p, l->len) > room) {
			break;
		}
		l->scroll = p;
	}
	text_draw(w, y, x, cols, l->buf + l->scroll, attr);
	return (int)text_width_range(l->buf, l->scroll, l->cur);
}
