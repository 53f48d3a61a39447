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

/* Combining marks on the cluster before the cursor; -1 if none is. */
static int
marks_before(const struct w_line *l)
{
	size_t p, i;
	uint32_t cp;
	int n, marks = 0;

	if (l->cur == 0) {
		return -1;
	}
	p = text_cluster_prev(l->buf, l->len, l->cur);
	for (i = p; i < l->cur; i += (size_t)n) {
		n = utf8_decode(l->buf + i, l->cur - i, &cp);
		if (n < 0) {
			return -1;
		}
		if (utf8_cp_is_mark(cp)) {
			if (i == p) {
				return -1;
			}
			marks++;
		}
	}
	return marks;
}

int
w_line_insert(struct w_line *l, const uint32_t *cps, size_t n, char *why,
	      size_t whylen)
{
	char add[W_LINE_SIZE];
	size_t add_len = 0, add_cols = 0, i;
	int marks = marks_before(l);

	for (i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		const char *no = utf8_cp_reject(cp);
		char enc[4];
		int m;

		if (no) {
			snprintf(why, whylen,
				 _("U+%04X cannot be typed here: %s"),
				 (unsigned)cp, _(no));
			return -1;
		}
		if (utf8_cp_is_mark(cp)) {
			if (marks < 0) {
				snprintf(why, whylen, "%s",
					 _("a combining mark needs a character "
					   "before it"));
				return -1;
			}
			if (++marks > 2) {
				snprintf(why, whylen, "%s",
					 _("at most two combining marks per "
					   "character"));
				return -1;
			}
		} else {
			marks = 0;
		}
		m = utf8_encode(cp, enc);
		if (l->len + add_len + (size_t)m > l->max_len) {
			goto too_long;
		}
		memcpy(add + add_len, enc, (size_t)m);
		add_len += (size_t)m;
		add_cols += (size_t)utf8_cp_width(cp);
	}
	if (utf8_width(l->buf) + add_cols > l->max_cols) {
		goto too_long;
	}
	memmove(l->buf + l->cur + add_len, l->buf + l->cur,
		l->len - l->cur + 1);
	memcpy(l->buf + l->cur, add, add_len);
	l->len += add_len;
	l->cur += add_len;
	return 0;

too_long:
	snprintf(why, whylen, _("too long: at most %zu columns"), l->max_cols);
	return -1;
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
