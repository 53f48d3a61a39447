/*
 * text: width, fit and drawing of text by display columns (see text.h).
 *
 * Invariants: nothing reaches curses without utf8_sanitize(); positions
 * are computed with utf8_cp_width(), never with what curses reports; each
 * cluster (a character and its combining marks) is drawn as one cchar_t
 * at an explicit column, so one bad cluster cannot shift the rest of the
 * line.  wchar_t exists only here and in the widgets.
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/i18n.h"
#include "tui/text.h"

size_t
text_sanitize(const char *s, char *out, size_t outsz)
{
	return utf8_sanitize(s ? s : "", out, outsz, 0);
}

size_t
text_sanitize_ml(const char *s, char *out, size_t outsz)
{
	return utf8_sanitize(s ? s : "", out, outsz, 1);
}

size_t
text_width(const char *s)
{
	char buf[TEXT_LINE_SIZE];

	text_sanitize(s, buf, sizeof(buf));
	return utf8_width(buf);
}

size_t
text_fit_pad(const char *s, size_t cols, char *out, size_t outsz)
{
	char buf[TEXT_LINE_SIZE];
	size_t used, len, c;

	if (outsz == 0) {
		return 0;
	}
	text_sanitize(s, buf, sizeof(buf));
	used = utf8_fit(buf, cols, out, outsz);
	len = strlen(out);
	for (c = used; c < cols && len + 1 < outsz; c++) {
		out[len++] = ' ';
	}
	out[len] = '\0';
	return used;
}

size_t
text_cluster(const char *s, size_t len, size_t i, size_t *cols)
{
	size_t k;
	const char *nl;

	if (i >= len) {
		if (cols) {
			*cols = 0;
		}
		return len;
	}
	if (s[i] == '\n') {
		if (cols) {
			*cols = 0;
		}
		return i + 1;
	}
	/* core's clusters take zero-width code points along, LF included:
	 * here a LF always stands alone */
	k = utf8_cluster_next(s, len, i, cols);
	if ((nl = memchr(s + i, '\n', k - i)) != NULL) {
		k = (size_t)(nl - s); /* > i: s[i] is not LF */
		if (cols) {
			utf8_cluster_next(s, k, i, cols);
		}
	}
	return k;
}

size_t
text_cluster_next(const char *s, size_t len, size_t i)
{
	return text_cluster(s, len, i, NULL);
}

size_t
text_cluster_prev(const char *s, size_t len, size_t i)
{
	size_t p = 0, q = 0;

	while (q < i && q < len) {
		p = q;
		q = text_cluster(s, len, q, NULL);
	}
	return p;
}

size_t
text_width_range(const char *s, size_t from, size_t to)
{
	size_t cols = 0, c;

	while (from < to) {
		from = text_cluster(s, to, from, &c);
		cols += c;
	}
	return cols;
}

static int
word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
	       ch == '.' || ch == ',';
}

size_t
text_wrap_row(const char *s, size_t len, size_t i, size_t cols,
	      size_t *next)
{
	size_t used = 0, j = i, space = 0;

	while (j < len && s[j] != '\n') {
		size_t c, k = text_cluster(s, len, j, &c);

		if (used + c > cols && j > i) {
			break;
		}
		used += c;
		if (s[j] == ' ') {
			space = k;
		}
		j = k;
	}
	if (j < len && s[j] != '\n' && j > i && word_char(s[j]) &&
	    word_char(s[j - 1]) && space > i) {
		j = space; /* do not cut a word when a space allows */
	}
	if (next) {
		*next = j < len && s[j] == '\n' ? j + 1 : j;
	}
	return j;
}

static void
put_cell(WINDOW *w, int y, int x, wchar_t wc, attr_t attr)
{
	wchar_t wch[2] = {wc, L'\0'};
	cchar_t cc;

	if (setcchar(&cc, wch, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
		     NULL) == OK) {
		mvwadd_wch(w, y, x, &cc);
	}
}

/*
 * Builds the cchar_t for the cluster s[i..j) of cols columns; returns -1
 * when the terminal's idea of its width (wcwidth) differs from ours or
 * curses refuses it, so the caller draws a placeholder instead.
 */
static int
cluster_cchar(const char *s, size_t i, size_t j, size_t cols, attr_t attr,
	      cchar_t *cc)
{
	wchar_t wch[CCHARW_MAX + 1];
	size_t n = 0;

	while (i < j) {
		uint32_t cp;
		int m = utf8_decode(s + i, j - i, &cp);

		if (m < 0 || n == CCHARW_MAX) {
			return -1;
		}
		if (wcwidth((wchar_t)cp) != (n == 0 ? (int)cols : 0)) {
			return -1;
		}
		wch[n++] = (wchar_t)cp;
		i += (size_t)m;
	}
	wch[n] = L'\0';
	if (setcchar(cc, wch, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
		     NULL) != OK) {
		return -1;
	}
	return 0;
}

/* Draws sanitized, fitted text; returns the columns drawn. */
static int
draw_fitted(WINDOW *w, int y, int x, const char *s, attr_t attr)
{
	size_t len = strlen(s), i = 0, col = 0;

	while (i < len) {
		size_t cols, j = utf8_cluster_next(s, len, i, &cols);
		cchar_t cc;

		if (cols == 0) {
			i = j; /* a mark with nothing to sit on: not drawn */
			continue;
		}
		if (cluster_cchar(s, i, j, cols, attr, &cc) == 0) {
			mvwadd_wch(w, y, x + (int)col, &cc);
		} else {
			size_t k;

			put_cell(w, y, x + (int)col, 0xFFFD, attr);
			for (k = 1; k < cols; k++) {
				put_cell(w, y, x + (int)(col + k), L' ', attr);
			}
		}
		col += cols;
		i = j;
	}
	return (int)col;
}

int
text_put(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	char buf[TEXT_LINE_SIZE], fit[TEXT_LINE_SIZE];

	if (cols <= 0) {
		return 0;
	}
	text_sanitize(s, buf, sizeof(buf));
	utf8_fit(buf, (size_t)cols, fit, sizeof(fit));
	return draw_fitted(w, y, x, fit, attr);
}

int
text_draw(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr)
{
	int used = text_put(w, y, x, cols, s, attr), k;

	for (k = used; k < cols; k++) {
		put_cell(w, y, x + k, L' ', attr);
	}
	return used;
}

/* Combining marks on the cluster before cur; -1 if none may go there. */
static int
marks_before(const char *buf, size_t len, size_t cur)
{
	size_t p, i;
	uint32_t cp;
	int n, marks = 0;

	if (cur == 0 || buf[cur - 1] == '\n') {
		return -1;
	}
	p = text_cluster_prev(buf, len, cur);
	for (i = p; i < cur; i += (size_t)n) {
		n = utf8_decode(buf + i, cur - i, &cp);
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
text_insert_cps(char *buf, size_t *len, size_t *cur, size_t max_len,
		size_t max_cols, int lf_ok, const uint32_t *cps, size_t n,
		char *why, size_t whylen)
{
	char *add = malloc(max_len + 1);
	size_t add_len = 0, add_cols = 0;
	int marks = marks_before(buf, *len, *cur), r = -1;

	if (!add) {
		snprintf(why, whylen, "%s", _("out of memory"));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		const char *no =
			cp == '\n' && lf_ok ? NULL : utf8_cp_reject(cp);
		char enc[4];
		int m;

		if (no) {
			snprintf(why, whylen,
				 _("U+%04X cannot be typed here: %s"),
				 (unsigned)cp, _(no));
			goto out;
		}
		if (cp == '\n') {
			marks = -1;
		} else if (utf8_cp_is_mark(cp)) {
			if (marks < 0) {
				snprintf(why, whylen, "%s",
					 _("a combining mark needs a character "
					   "before it"));
				goto out;
			}
			if (++marks > 2) {
				snprintf(why, whylen, "%s",
					 _("at most two combining marks per "
					   "character"));
				goto out;
			}
		} else {
			marks = 0;
		}
		m = utf8_encode(cp, enc);
		if (*len + add_len + (size_t)m > max_len) {
			goto too_long;
		}
		memcpy(add + add_len, enc, (size_t)m);
		add_len += (size_t)m;
		add_cols += (size_t)utf8_cp_width(cp);
	}
	if (utf8_width(buf) + add_cols > max_cols) {
		goto too_long;
	}
	memmove(buf + *cur + add_len, buf + *cur, *len - *cur + 1);
	memcpy(buf + *cur, add, add_len);
	*len += add_len;
	*cur += add_len;
	r = 0;
	goto out;
too_long:
	snprintf(why, whylen, _("too long: at most %zu bytes and %zu columns"),
		 max_len, max_cols);
out:
	free(add);
	return r;
}
