/*
 * info_doc: a read-only document of lines (text, label and value, table
 * headers and rows) drawn as one column that scrolls by virtual rows, as
 * scr_detail.c does.  Text is sanitized when added (text_sanitize_ml, so
 * a LF stays a line break and nothing else reaches the terminal raw);
 * tables are laid out by w_table on every draw, so a resize re-fits them.
 *
 * A highlighted table row is never told by colour alone: the marker
 * column carries '!' and the row's own cells say why.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/info.h"
#include "tui/text.h"

#define MARGIN 2

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t cap2;

	if (need <= *cap) {
		return p;
	}
	cap2 = *cap ? *cap * 2 : 16;
	while (cap2 < need) {
		cap2 *= 2;
	}
	if (!(p = realloc(p, cap2 * size))) {
		term_fatal("out of memory");
	}
	*cap = cap2;
	return p;
}

static char *
dup_clean(const char *s)
{
	size_t len = strlen(s ? s : "");
	/* the worst case: every byte becomes an 8-byte "<U+001B>" */
	char *p = malloc(len * 8 + 1);

	if (!p) {
		term_fatal("out of memory");
	}
	text_sanitize_ml(s ? s : "", p, len * 8 + 1);
	return p;
}

static struct info_line *
add_line(struct info_doc *d, enum info_kind kind)
{
	struct info_line *l;

	d->line = grow(d->line, &d->cap, d->n + 1, sizeof(*d->line));
	l = &d->line[d->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	return l;
}

void
info_doc_clear(struct info_doc *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		free(d->line[i].label);
		free(d->line[i].text);
	}
	free(d->line);
	d->line = NULL;
	d->n = d->cap = 0;
	for (i = 0; i < d->n_tables; i++) {
		struct info_table *t = &d->table[i];

		for (j = 0; j < t->n_rows * t->n_cols; j++) {
			free(t->cell[j]);
		}
		free(t->cell);
		free(t->alert);
		memset(t, 0, sizeof(*t));
	}
	d->n_tables = 0;
	d->n_rows = 0;
}

void
info_doc_blank(struct info_doc *d)
{
	add_line(d, INFO_BLANK);
}

void
info_doc_text(struct info_doc *d, int indent, enum info_style st, const char *s)
{
	struct info_line *l = add_line(d, INFO_TEXT);

	l->indent = indent;
	l->style = st;
	l->text = dup_clean(s);
}

void
info_doc_textf(struct info_doc *d, int indent, enum info_style st,
               const char *fmt, ...)
{
	char buf[TEXT_LINE_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	info_doc_text(d, indent, st, buf);
}

void
info_doc_section(struct info_doc *d, const char *title, enum info_anchor anchor)
{
	struct info_line *l;

	if (d->n > 0) {
		info_doc_blank(d);
	}
	l = add_line(d, INFO_TEXT);
	l->style = INFO_SECTION;
	l->anchor = anchor;
	l->text = dup_clean(title);
}

void
info_doc_kv(struct info_doc *d, int indent, enum info_style st,
            const char *label, const char *value)
{
	struct info_line *l = add_line(d, INFO_KV);

	l->indent = indent;
	l->style = st;
	l->label = dup_clean(label);
	l->text = dup_clean(value);
}

int
info_doc_table(struct info_doc *d, const struct w_table_col *col, size_t n_cols,
               int indent)
{
	struct info_table *t;
	struct info_line *l;

	if (d->n_tables >= INFO_MAX_TABLES || n_cols > W_TABLE_MAX_COLS) {
		return -1;
	}
	t = &d->table[d->n_tables];
	memset(t, 0, sizeof(*t));
	t->col = col;
	t->n_cols = n_cols;
	t->t.col = col;
	t->t.n_cols = n_cols;
	t->indent = indent;
	l = add_line(d, INFO_HEAD);
	l->table = (int)d->n_tables;
	l->indent = indent;
	return (int)d->n_tables++;
}

void
info_doc_row(struct info_doc *d, int table, const char *const *cells, int alert)
{
	struct info_table *t;
	struct info_line *l;
	size_t c;

	if (table < 0 || (size_t)table >= d->n_tables) {
		return;
	}
	t = &d->table[table];
	if (t->n_rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		t->alert = realloc(t->alert, cap * sizeof(*t->alert));
		t->cell = realloc(t->cell, cap * t->n_cols * sizeof(*t->cell));
		if (!t->alert || !t->cell) {
			term_fatal("out of memory");
		}
		t->cap = cap;
	}
	for (c = 0; c < t->n_cols; c++) {
		t->cell[t->n_rows * t->n_cols + c] = dup_clean(cells[c]);
	}
	t->alert[t->n_rows] = (unsigned char)(alert != 0);
	l = add_line(d, INFO_ROW);
	l->table = table;
	l->row = t->n_rows++;
	l->indent = t->indent;
}

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct info_table *t = ctx;

	return t->cell[row * t->n_cols + col];
}

/* Virtual rows mapped onto screen rows y0..y1 from top (scr_detail). */
struct vd {
	int y0, y1, top, vy;
};

static int
vd_row(struct vd *v)
{
	int y = v->y0 + v->vy - v->top;

	v->vy++;
	return y >= v->y0 && y <= v->y1 ? y : -1;
}

static attr_t
style_attr(const struct ui *ui, enum info_style st)
{
	switch (st) {
	case INFO_BOLD:
		return A_BOLD;
	case INFO_SECTION:
		return A_BOLD | A_UNDERLINE;
	case INFO_ALERT:
		return ui_attr_error(ui);
	case INFO_NORMAL:
		break;
	}
	return A_NORMAL;
}

/* Sanitized text s wrapped into rows of cols at x. */
static void
put_wrapped(struct vd *v, int x, int cols, const char *s, attr_t a)
{
	char row[TEXT_LINE_SIZE];
	size_t len = strlen(s), i = 0;

	if (cols < 1) {
		cols = 1;
	}
	for (;;) {
		size_t next,
		    end = text_wrap_row(s, len, i, (size_t)cols, &next);
		int y = vd_row(v);

		if (y >= 0) {
			size_t n = end - i < sizeof(row) - 1 ? end - i
			                                     : sizeof(row) - 1;

			memcpy(row, s + i, n);
			row[n] = '\0';
			text_put(stdscr, y, x, cols, row, a);
		}
		if (end >= len) {
			break;
		}
		/* a row cut at a space does not start the next with it */
		i = next;
		while (i < len && s[i] == ' ' && s[i - 1] != '\n') {
			i++;
		}
		if (i >= len) {
			break;
		}
	}
}

static int
label_cols(const struct ui *ui, const struct info_doc *d)
{
	int w = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->line[i].kind == INFO_KV) {
			int lw = (int)text_width(d->line[i].label) +
			         d->line[i].indent;

			w = lw > w ? lw : w;
		}
	}
	/* a long label is cut rather than squeezing every value */
	return w < ui->cols / 3 ? w : ui->cols / 3;
}

static void
draw_row(struct ui *ui, struct info_table *t, const struct info_line *l, int y,
         int x, int avail)
{
	const char *cells[W_TABLE_MAX_COLS];
	size_t c;

	for (c = 0; c < t->n_cols; c++) {
		cells[c] = t->cell[l->row * t->n_cols + c];
	}
	w_table_draw_row(&t->t, stdscr, y, x, avail, cells, 0);
	if (t->alert[l->row]) {
		attr_t a = ui_attr_error(ui);

		mvwchgat(stdscr, y, x, avail, a & ~A_COLOR,
		         (short)PAIR_NUMBER(a), NULL);
		text_put(stdscr, y, x, 1, "!", a);
	}
}

static void
draw_lines(struct ui *ui, struct info_doc *d, struct vd *v)
{
	int width = ui->cols - 2 * MARGIN, lw = label_cols(ui, d);
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct info_line *l = &d->line[i];
		int x = MARGIN + l->indent, avail = width - l->indent, y;
		attr_t a = style_attr(ui, l->style);

		if (l->anchor != INFO_ANCHOR_NONE &&
		    d->anchor_row[l->anchor] < 0) {
			d->anchor_row[l->anchor] = v->vy;
		}
		switch (l->kind) {
		case INFO_BLANK:
			vd_row(v);
			break;
		case INFO_TEXT:
			put_wrapped(v, x, avail, l->text, a);
			break;
		case INFO_KV: {
			int vx = MARGIN + lw + 2, top = v->vy;

			put_wrapped(v, vx, ui->cols - MARGIN - vx, l->text, a);
			/* the label beside the value's first row */
			y = v->y0 + top - v->top;
			if (y >= v->y0 && y <= v->y1 && lw > l->indent) {
				text_put(stdscr, y, x, lw - l->indent, l->label,
				         A_NORMAL);
			}
			break;
		}
		case INFO_HEAD:
			if ((y = vd_row(v)) >= 0) {
				w_table_draw_header(&d->table[l->table].t,
				                    stdscr, y, x, avail);
			}
			break;
		case INFO_ROW:
			if ((y = vd_row(v)) >= 0) {
				draw_row(ui, &d->table[l->table], l, y, x,
				         avail);
			}
			break;
		}
	}
}

int
info_doc_page(const struct ui *ui)
{
	int n = ui_body_bottom(ui) - ui_body_top(ui);

	return n > 1 ? n : 1;
}

void
info_doc_draw(struct ui *ui, struct info_doc *d)
{
	int page = info_doc_page(ui), width = ui->cols - 2 * MARGIN, a;
	struct vd v;
	size_t i;

	for (i = 0; i < d->n_tables; i++) {
		struct info_table *t = &d->table[i];

		w_table_layout(&t->t, width - t->indent, t->n_rows, cell_of, t);
	}
	for (a = 0; a < INFO_ANCHOR_N; a++) {
		d->anchor_row[a] = -1;
	}
	/* count first (draws nothing), clamp the scroll, then draw */
	v.y0 = ui_body_top(ui);
	v.y1 = v.y0 - 1;
	v.top = 0;
	v.vy = 0;
	draw_lines(ui, d, &v);
	d->n_rows = v.vy;
	w_list_scroll(&d->top, 0, d->n_rows, page);
	v.y1 = ui_body_bottom(ui) - 1;
	v.top = d->top;
	v.vy = 0;
	draw_lines(ui, d, &v);
	if (d->top + page < d->n_rows) {
		char more[64];
		int mw;

		snprintf(more, sizeof(more), _("(more: %d rows below)"),
		         d->n_rows - d->top - page);
		mw = (int)text_width(more);
		text_draw(stdscr, ui_body_bottom(ui), ui->cols - 2 - mw, mw,
		          more, A_REVERSE);
	}
}

int
info_doc_scroll(struct ui *ui, struct info_doc *d, int delta)
{
	w_list_scroll(&d->top, delta, d->n_rows, info_doc_page(ui));
	return TUI_REDRAW;
}

int
info_doc_jump(struct ui *ui, struct info_doc *d, enum info_anchor a)
{
	if (a <= INFO_ANCHOR_NONE || a >= INFO_ANCHOR_N ||
	    d->anchor_row[a] < 0) {
		ui_msg(ui, 1, "%s", _("nothing of that kind on this screen"));
		return TUI_REDRAW;
	}
	d->top = d->anchor_row[a];
	return info_doc_scroll(ui, d, 0);
}
