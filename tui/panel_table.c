/*
 * panel_table: what the panel screens share: tables with a selection
 * (cells sanitized once, when a row is added, so drawing never sees raw
 * stored text), the words for the codes core stores about panels, score
 * figures, and typing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

struct panel_ui *
pn_state(struct ui *ui)
{
	if (!ui->panel) {
		if (!(ui->panel = calloc(1, sizeof(*ui->panel)))) {
			term_fatal("out of memory");
		}
	}
	return ui->panel;
}

void
pn_table_clear(struct pn_table *t)
{
	size_t i, c;

	for (i = 0; i < t->n; i++) {
		for (c = 0; c < PN_NCOLS; c++) {
			free(t->rows[i].cell[c]);
		}
	}
	t->n = 0;
}

void
pn_table_free(struct pn_table *t)
{
	pn_table_clear(t);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

struct pn_row *
pn_table_add(struct pn_table *t, int64_t id, const char *const *cells,
	     size_t n)
{
	struct pn_row *row;
	size_t c;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct pn_row *p = realloc(t->rows, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		t->rows = p;
		t->cap = cap;
	}
	row = &t->rows[t->n++];
	memset(row, 0, sizeof(*row));
	row->id = id;
	for (c = 0; c < PN_NCOLS; c++) {
		char buf[TEXT_LINE_SIZE];

		text_sanitize(c < n && cells[c] ? cells[c] : "", buf,
			      sizeof(buf));
		if (!(row->cell[c] = strdup(buf))) {
			term_fatal("out of memory");
		}
	}
	return row;
}

struct pn_row *
pn_table_sel(struct pn_table *t)
{
	if (t->n == 0) {
		return NULL;
	}
	if (t->pos.sel >= t->n) {
		t->pos.sel = t->n - 1;
	}
	return &t->rows[t->pos.sel];
}

void
pn_table_select(struct pn_table *t, int64_t id, int64_t panel_id)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->rows[i].id == id &&
		    (!panel_id || t->rows[i].panel_id == panel_id)) {
			t->pos.sel = i;
			return;
		}
	}
}

static void
keep_visible(struct pn_table *t, int page)
{
	w_list_show(&t->pos, t->n, page);
}

int
pn_table_move(struct pn_table *t, long delta, int page)
{
	return w_list_move(&t->pos, t->n, delta, page)
		       ? TUI_REDRAW
		       : TUI_KEEP;
}

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct pn_table *t = ctx;

	return t->rows[row].cell[col];
}

void
pn_table_draw(struct ui *ui, struct pn_table *t,
	      const struct w_table_col *cols, size_t n_cols, int y0, int y1,
	      const char *none)
{
	size_t i;
	int y = y0;

	t->t.col = cols;
	t->t.n_cols = n_cols;
	/* laid out on every draw: cheap, and right after a resize */
	w_table_layout(&t->t, ui->cols, t->n, cell_of, t);
	w_table_draw_header(&t->t, stdscr, y++, 0, ui->cols);
	if (t->n == 0) {
		if (y + 1 <= y1) {
			text_put(stdscr, y + 1, 4, ui->cols - 5, none, A_BOLD);
		}
		return;
	}
	keep_visible(t, y1 - y + 1);
	for (i = t->pos.top; i < t->n && y <= y1; i++, y++) {
		w_table_draw_row(&t->t, stdscr, y, 0, ui->cols,
				 (const char *const *)t->rows[i].cell,
				 i == t->pos.sel);
	}
}

const char *
pn_recused_msg(void)
{
	return _("You declared a conflict with this nominee: you are recused "
		 "and take no part in its evaluation.");
}

const char *
pn_status_label(const char *status)
{
	static const struct {
		const char *code, *label;
	} v[] = {
		{"assigned", N_("to declare")},
		{"declared", N_("to score")},
		{"scored", N_("sheet submitted")},
		{"conflict", N_("recused")},
		{"recused", N_("recused")},
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (strcmp(v[i].code, status) == 0) {
			return _(v[i].label);
		}
	}
	return status;
}

const char *
pn_level_label(enum core_panel_level l)
{
	return l == CORE_PANEL_CITY ? _("city committee")
				    : _("county/department panel");
}

const char *
pn_rule_label(enum core_panel_rule r)
{
	return r == CORE_PANEL_MAJORITY ? _("majority at or above the mark")
					: _("mean total at or above the mark");
}

const char *
pn_outcome_label(enum core_panel_outcome o)
{
	switch (o) {
	case CORE_PANEL_PASSED:
		return _("passed");
	case CORE_PANEL_FAILED:
		return _("not passed");
	default:
		return _("awaiting scores");
	}
}

void
pn_reason_label(const char *reason, char *out, size_t outsz)
{
	/* core records these reasons in English, for the log; the rest of
	 * a reason is stored text and is shown as it is */
	static const char own[] = "own unit ", same[] = "same employer ",
			  decl[] = "declared conflict: ";

	if (strncmp(reason, own, sizeof(own) - 1) == 0) {
		snprintf(out, outsz, _("works at the nominee's own unit (%s)"),
			 reason + sizeof(own) - 1);
	} else if (strncmp(reason, same, sizeof(same) - 1) == 0) {
		snprintf(out, outsz, _("same employer as the nominee (%s)"),
			 reason + sizeof(same) - 1);
	} else if (strncmp(reason, decl, sizeof(decl) - 1) == 0) {
		snprintf(out, outsz, _("declared a conflict: %s"),
			 reason + sizeof(decl) - 1);
	} else {
		snprintf(out, outsz, "%s", pn_status_label(reason));
	}
}

void
pn_x10(int x10, char *out, size_t outsz)
{
	snprintf(out, outsz, "%d.%d", x10 / 10, x10 % 10);
}

void
pn_x100(int64_t x100, char *out, size_t outsz)
{
	snprintf(out, outsz, "%" PRId64 ".%02" PRId64, x100 / 100, x100 % 100);
}

void
pn_sheet_label(const struct core_panel *p, char *out, size_t outsz)
{
	size_t k, off = 0;

	out[0] = '\0';
	for (k = 0; k < p->n_criteria && off < outsz; k++) {
		char mx[16];

		pn_x10(p->criteria[k].max_x10, mx, sizeof(mx));
		off += (size_t)snprintf(out + off, outsz - off, "%s%s %s",
					k ? ", " : "",
					p->criteria[k].label[0]
						? p->criteria[k].label
						: p->criteria[k].name,
					mx);
	}
}

size_t
pn_typed(struct ui *ui, uint32_t first, char *why, size_t whylen)
{
	struct panel_ui *pn = pn_state(ui);
	size_t n, total;
	const size_t max = sizeof(pn->paste) / sizeof(pn->paste[0]);

	pn->paste[0] = first;
	n = 1 + term_read_burst(ui, pn->paste + 1, max - 1, &total);
	total += 1;
	if (total > n) {
		snprintf(why, whylen,
			 _("pasted text too long (%zu characters); nothing "
			   "was inserted"),
			 total);
		return 0;
	}
	return n;
}

int
pn_intro(struct ui *ui, const char *s)
{
	int y = ui_body_top(ui) + 1;
	int n = pn_put_wrapped(s, y, 2, 2, ui->cols - 4, 0, A_NORMAL);

	return y + (n < 2 ? n : 2) + 1;
}

int
pn_put_wrapped(const char *s, int y, int x, int rows, int cols, int skip,
	       attr_t a)
{
	char buf[TEXT_LINE_SIZE], row[TEXT_LINE_SIZE];
	size_t len, i = 0;
	int r = 0;

	if (cols < 1) {
		return 1;
	}
	text_sanitize_ml(s, buf, sizeof(buf));
	len = strlen(buf);
	for (;;) {
		size_t next, end = text_wrap_row(buf, len, i, (size_t)cols,
						 &next);

		if (r >= skip && r - skip < rows) {
			memcpy(row, buf + i, end - i);
			row[end - i] = '\0';
			text_put(stdscr, y + r - skip, x, cols, row, a);
		}
		r++;
		if (end >= len) {
			return r;
		}
		if (next == end && buf[next] == ' ') {
			next++; /* a soft break eats the space it broke at */
		}
		i = next;
	}
}
