/*
 * scr_detail: one nominee, as core gives it (core_nominee_get, so scope
 * and the digest check are core's): the state and version, who holds the
 * nomination, every dossier field, the conditions claimed with their
 * evidence, and the history read back from the log (time, actor, act,
 * decision, reason, every reason in full).  The body is a column of rows
 * that scrolls as one.
 *
 * The screen keeps the version it shows (its seq): the actions menu acts
 * on exactly that version (core_act_seen), so an act is never signed
 * over a version nobody showed.  When someone else changed the nominee
 * since, the act is refused and r reloads the screen.
 *
 * The ID number is masked; 'i' asks core for it in full, which core
 * records in the audit log, and the screen says so.  The full number is
 * wiped when the screen is left (the leave hook; the help overlay does
 * not leave it).
 *
 * Every stored string is untrusted: cells go through w_table, the rest
 * through text_put (sanitized, fitted by columns), multi-line text through
 * text_sanitize_ml and text_wrap_row.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

enum { H_TIME, H_ACTOR, H_ACT, H_DECISION, H_VERSION, H_NCOLS };

static const struct w_table_col hist_cols[H_NCOLS] = {
	[H_TIME] = {N_("Time"), 16, 16},
	[H_ACTOR] = {N_("By"), 6, 0},
	[H_ACT] = {N_("Act"), 8, 0},
	[H_DECISION] = {N_("Decision"), 4, 8},
	[H_VERSION] = {N_("Version"), 4, 8},
};

/* A column of virtual rows mapped onto body rows y0..y1 from top. */
struct vd {
	int y0, y1, top, vy;
};

/* The screen row of the next virtual row, or -1 when it is not shown. */
static int
vd_row(struct vd *v)
{
	int y = v->y0 + v->vy - v->top;

	v->vy++;
	return y >= v->y0 && y <= v->y1 ? y : -1;
}

static void
hist_release(struct detail_state *d)
{
	size_t i;

	for (i = 0; i < d->n_hist; i++) {
		free(d->hist[i].reason);
	}
	d->n_hist = 0;
}

static int
hist_add(void *ctx, const struct core_history_item *h)
{
	struct detail_state *d = ctx;
	struct detail_hist *e;
	char buf[sizeof(h->reason) * 2];
	const char *rest = h->reason;

	if (d->n_hist == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct detail_hist *p = realloc(d->hist, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		d->hist = p;
		d->cap = cap;
	}
	e = &d->hist[d->n_hist++];
	memset(e, 0, sizeof(*e));
	ui_time_label(h->time_ms, e->cell[H_TIME], sizeof(e->cell[H_TIME]));
	text_sanitize(h->actor, e->cell[H_ACTOR], sizeof(e->cell[H_ACTOR]));
	snprintf(e->cell[H_ACT], sizeof(e->cell[H_ACT]), "%s",
		 core_entry_label(h->act, h->reason, &rest));
	snprintf(e->cell[H_DECISION], sizeof(e->cell[H_DECISION]), "%s",
		 ui_decision_label(h->decision));
	snprintf(e->cell[H_VERSION], sizeof(e->cell[H_VERSION]), "%" PRIu32,
		 h->version);
	text_sanitize_ml(rest, buf, sizeof(buf));
	if (!(e->reason = strdup(buf))) {
		term_fatal("out of memory");
	}
	return 0;
}

static const char *
hist_cell(void *ctx, size_t row, size_t col)
{
	const struct detail_state *d = ctx;

	return d->hist[row].cell[col];
}

static void
detail_forget(struct ui *ui)
{
	sodium_memzero(ui->detail.id_full, sizeof(ui->detail.id_full));
}

int
detail_open(struct ui *ui, int64_t id)
{
	static struct core_dossier tmp; /* big; one screen at a time */
	struct detail_state *d = &ui->detail;
	struct core_unit u;
	int r;

	if ((r = core_nominee_get(ui->c, id, &tmp)) != 0) {
		ui_core_error(ui, r);
		return r;
	}
	if (ui->cur != &scr_detail || d->id != id) {
		d->top = 0;
	}
	detail_forget(ui);
	hist_release(d);
	d->id = id;
	d->d = tmp;
	d->holder_name[0] = '\0';
	if (tmp.holder[0]) {
		snprintf(d->holder_name, sizeof(d->holder_name), "%s",
			 core_unit_get(ui->c, tmp.holder, &u) == 0 && u.name[0]
				 ? u.name
				 : tmp.holder);
	}
	if ((r = core_nominee_history(ui->c, id, hist_add, d)) != 0) {
		ui_core_error(ui, r); /* the dossier still shows */
	}
	d->table.col = hist_cols;
	d->table.n_cols = H_NCOLS;
	ui_open(ui, &scr_detail);
	return 0;
}

int
detail_return(struct ui *ui, int64_t id)
{
	if (detail_open(ui, id) != 0) {
		list_show(ui);
	}
	return TUI_REDRAW;
}

/* Text of several lines (stored, untrusted) wrapped into rows of cols at
 * x, the first row also carrying label at lx (lw columns). */
static void
put_wrapped(struct vd *v, int lx, int lw, const char *label, attr_t la,
	    int x, int cols, const char *s, attr_t a)
{
	static char buf[TEXT_LINE_SIZE * 2];
	char row[TEXT_LINE_SIZE * 2];
	size_t len, i = 0;
	int first = 1;

	text_sanitize_ml(s, buf, sizeof(buf));
	len = strlen(buf);
	for (;;) {
		size_t next, end = text_wrap_row(buf, len, i, (size_t)cols,
						 &next);
		int y = vd_row(v);

		if (y >= 0) {
			if (first && label) {
				text_put(stdscr, y, lx, lw, label, la);
			}
			memcpy(row, buf + i, end - i);
			row[end - i] = '\0';
			text_put(stdscr, y, x, cols, row, a);
		}
		first = 0;
		if (end >= len) {
			break;
		}
		i = next;
	}
}

static void
section(struct vd *v, struct ui *ui, const char *title)
{
	int y;

	vd_row(v); /* a blank row before */
	if ((y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, title,
			 A_BOLD | A_UNDERLINE);
	}
}

static int
label_width(void)
{
	const char *const *f;
	int w = 0;

	for (f = core_dossier_fields(); *f; f++) {
		int lw = (int)text_width(core_field_label(*f));

		w = lw > w ? lw : w;
	}
	return w;
}

static const char *
shown_value(const struct ui *ui, const char *field)
{
	const struct detail_state *d = &ui->detail;
	const char *v;

	if (strcmp(field, "id_number") == 0 && d->id_full[0]) {
		return d->id_full;
	}
	v = core_dossier_value(&d->d, field);
	return v[0] ? v : _("(empty)");
}

/* A label and its value in w columns at (y, x); returns the value's. */
static int
put_field(int y, int x, int lw, int w, const char *field, const char *val)
{
	text_put(stdscr, y, x, lw, core_field_label(field), A_NORMAL);
	return text_put(stdscr, y, x + lw + 2, w - lw - 2, val, A_BOLD);
}

/* The ID number's row, with what 'i' does or did. */
static void
put_id_row(struct ui *ui, int y, int lw, int avail)
{
	const struct detail_state *d = &ui->detail;
	const char *note = "";
	int used, nx;

	if (d->id_full[0]) {
		note = _("shown in full: this view is in the audit log");
	} else if (d->d.id_number[0]) {
		note = _("i: show in full (recorded in the audit log)");
	}
	used = put_field(y, 2, lw, avail, "id_number",
			 shown_value(ui, "id_number"));
	nx = 2 + lw + 2 + used + 3;
	if (note[0] && nx < ui->cols - 2) {
		text_put(stdscr, y, nx, ui->cols - 2 - nx, note,
			 d->id_full[0] ? A_BOLD : A_NORMAL);
	}
}

/*
 * The dossier fields in form order: two to a row where label and value
 * fit half the width, else a row of their own (long values wrapped).
 */
static void
draw_fields(struct vd *v, struct ui *ui)
{
	const char *const *f;
	int lw = label_width(), avail = ui->cols - 4;
	int colw = (avail - 2) / 2, rx = 2 + colw + 2, y;
	const char *left = NULL; /* a half-row cell waiting for a partner */

	for (f = core_dossier_fields(); *f; f++) {
		const char *val = shown_value(ui, *f);
		int half = strcmp(*f, "id_number") != 0 &&
			   lw + 2 + (int)text_width(val) <= colw;

		if (half && !left) {
			left = *f;
			continue;
		}
		if (left) {
			if ((y = vd_row(v)) >= 0) {
				put_field(y, 2, lw, colw, left,
					  shown_value(ui, left));
				if (half) {
					put_field(y, rx, lw, colw, *f, val);
				}
			}
			left = NULL;
			if (half) {
				continue;
			}
		}
		if (strcmp(*f, "id_number") == 0) {
			if ((y = vd_row(v)) >= 0) {
				put_id_row(ui, y, lw, avail);
			}
			continue;
		}
		put_wrapped(v, 2, lw, core_field_label(*f), A_NORMAL,
			    2 + lw + 2, avail - lw - 2, val, A_BOLD);
	}
	if (left && (y = vd_row(v)) >= 0) {
		put_field(y, 2, lw, colw, left, shown_value(ui, left));
	}
}

static void
draw_conditions(struct vd *v, struct ui *ui)
{
	const struct core_dossier *d = &ui->detail.d;
	int k, any = 0, y;

	section(v, ui, _("Conditions claimed (at least one of 1-9)"));
	for (k = 1; k <= 9; k++) {
		char label[64];
		int lw;

		if (!d->has_condition[k]) {
			continue;
		}
		any = 1;
		snprintf(label, sizeof(label), _("Condition %d"), k);
		lw = (int)text_width(label);
		if ((y = vd_row(v)) >= 0) {
			text_put(stdscr, y, 2, lw, label, A_BOLD);
			text_put(stdscr, y, 2 + lw + 2, ui->cols - lw - 6,
				 ui_condition_text(ui, k), A_NORMAL);
		}
		put_wrapped(v, 0, 0, NULL, A_NORMAL, 6, ui->cols - 8,
			    d->condition[k][0] ? d->condition[k]
					       : _("(no evidence given)"),
			    A_BOLD);
	}
	if (!any && (y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 4, ui->cols - 6,
			 _("(none claimed yet: e edits the dossier)"),
			 A_NORMAL);
	}
}

static void
draw_history(struct vd *v, struct ui *ui)
{
	struct detail_state *d = &ui->detail;
	const char *rl = _("Reason:");
	int avail = ui->cols - 4, rw = (int)text_width(rl), y;
	char title[128];
	size_t i;

	snprintf(title, sizeof(title), _("History (%zu acts, oldest first)"),
		 d->n_hist);
	vd_row(v);
	d->hist_row = v->vy;
	if ((y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, title,
			 A_BOLD | A_UNDERLINE);
	}
	w_table_layout(&d->table, avail, d->n_hist, hist_cell, d);
	if ((y = vd_row(v)) >= 0) {
		w_table_draw_header(&d->table, stdscr, y, 2, avail);
	}
	for (i = 0; i < d->n_hist; i++) {
		const char *cells[H_NCOLS];
		size_t c;

		for (c = 0; c < H_NCOLS; c++) {
			cells[c] = d->hist[i].cell[c];
		}
		if ((y = vd_row(v)) >= 0) {
			w_table_draw_row(&d->table, stdscr, y, 2, avail, cells,
					 0);
		}
		if (d->hist[i].reason[0]) {
			put_wrapped(v, 6, rw, rl, A_NORMAL, 6 + rw + 1,
				    ui->cols - 8 - rw - 1, d->hist[i].reason,
				    A_NORMAL);
		}
	}
}

static void
draw_all(struct vd *v, struct ui *ui)
{
	const struct detail_state *d = &ui->detail;
	char line[CORE_NAME_SIZE + 64], more[2 * CORE_NAME_SIZE + 256];
	int y;

	snprintf(line, sizeof(line), _("No. %lld  %s"), (long long)d->id,
		 d->d.n.name);
	if ((y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, line, A_BOLD);
	}
	snprintf(more, sizeof(more), _("State: %s   Version: %u   With: %s"),
		 core_state_label(d->d.n.state), (unsigned)d->d.n.version,
		 d->holder_name[0] ? d->holder_name
				   : _("its unit (not submitted yet)"));
	if ((y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, more, A_NORMAL);
	}
	snprintf(more, sizeof(more), _("Employing unit: %s"),
		 d->d.n.unit_name[0] ? d->d.n.unit_name : d->d.n.unit);
	if ((y = vd_row(v)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, more, A_NORMAL);
	}
	section(v, ui, _("Dossier"));
	draw_fields(v, ui);
	draw_conditions(v, ui);
	draw_history(v, ui);
}

/* Rows of content: the last body row is kept for the "more" marker. */
static int
page_rows(const struct ui *ui)
{
	int n = ui_body_bottom(ui) - ui_body_top(ui);

	return n > 1 ? n : 1;
}

static void
detail_draw(struct ui *ui)
{
	struct detail_state *d = &ui->detail;
	struct vd v;
	int page = page_rows(ui);

	/* count first (draws nothing), clamp the scroll, then draw */
	v.y0 = ui_body_top(ui);
	v.y1 = v.y0 - 1;
	v.top = 0;
	v.vy = 0;
	draw_all(&v, ui);
	d->n_rows = v.vy;
	w_list_scroll(&d->top, 0, d->n_rows, page);
	v.y1 = ui_body_bottom(ui) - 1;
	v.top = d->top;
	v.vy = 0;
	draw_all(&v, ui);
	if (d->top + page < d->n_rows) {
		char more[64];

		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 d->n_rows - d->top - page);
		text_draw(stdscr, ui_body_bottom(ui), ui->cols - 2 -
			  (int)text_width(more), (int)text_width(more), more,
			  A_REVERSE);
	}
}

static int
scroll_by(struct ui *ui, int delta)
{
	struct detail_state *d = &ui->detail;
	w_list_scroll(&d->top, delta, d->n_rows, page_rows(ui));
	return TUI_REDRAW;
}

static int
act_down(struct ui *ui)
{
	return scroll_by(ui, 1);
}

static int
act_up(struct ui *ui)
{
	return scroll_by(ui, -1);
}

static int
act_pgdn(struct ui *ui)
{
	return scroll_by(ui, page_rows(ui) - 1);
}

static int
act_pgup(struct ui *ui)
{
	return scroll_by(ui, -(page_rows(ui) - 1));
}

static int
act_top(struct ui *ui)
{
	ui->detail.top = 0;
	return TUI_REDRAW;
}

static int
act_bottom(struct ui *ui)
{
	return scroll_by(ui, ui->detail.n_rows);
}

static int
act_history(struct ui *ui)
{
	ui->detail.top = ui->detail.hist_row;
	return scroll_by(ui, 0);
}

static int
act_reveal(struct ui *ui)
{
	struct detail_state *d = &ui->detail;
	int r;

	if (d->id_full[0]) {
		return TUI_KEEP;
	}
	if (!d->d.id_number[0]) {
		ui_msg(ui, 1, "%s", _("no ID number recorded yet"));
		return TUI_REDRAW;
	}
	if ((r = core_nominee_reveal_id(ui->c, d->id, d->id_full)) != 0) {
		detail_forget(ui);
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	/* the reveal is an act on the nominee: show it in the history */
	hist_release(d);
	(void)core_nominee_history(ui->c, d->id, hist_add, d);
	ui_msg(ui, 0, "%s",
	       _("ID number shown in full until you leave this screen; this "
		 "view is recorded in the audit log."));
	return TUI_REDRAW;
}

static int
act_reload(struct ui *ui)
{
	(void)detail_open(ui, ui->detail.id);
	return TUI_REDRAW;
}

static int
act_edit(struct ui *ui)
{
	if (edit_load(ui, ui->detail.id) == 0) {
		ui_open(ui, &scr_edit);
	}
	return TUI_REDRAW;
}

static int
act_actions(struct ui *ui)
{
	return act_open(ui, ui->detail.id, ui->detail.d.n.seq);
}

const char *
ui_stale_hint(int form)
{
	return form ? _("Ctrl-R reloads it underneath; what you typed is "
			"kept.")
		    : _("r reloads it.");
}

static int
act_back(struct ui *ui)
{
	if (ui_opener(ui) == &scr_list) {
		ui->list.select_id = ui->detail.id;
	}
	ui_back(ui);
	return TUI_REDRAW;
}

static int
act_items(struct ui *ui)
{
	return items_open(ui, ui->detail.id);
}

static int
act_materials(struct ui *ui)
{
	return materials_open(ui, ui->detail.id);
}

static int
act_trail(struct ui *ui)
{
	return trail_open(ui, ui->detail.id);
}

static const struct tui_binding detail_keys[] = {
	{VK_CHAR, 'e', act_edit, "e", N_("edit the dossier"), N_("edit")},
	{VK_CHAR, 'x', act_actions, "x",
	 N_("actions you may take now (pledge, review, submit...)"),
	 N_("actions")},
	{VK_CHAR, 'i', act_reveal, "i",
	 N_("show the ID number in full (recorded in the audit log)"),
	 N_("ID")},
	{VK_CHAR, 'h', act_history, "h", N_("jump to the history"),
	 N_("history")},
	{VK_CHAR, 'w', act_items, "w",
	 N_("dated work, research and performance items"), N_("items")},
	{VK_CHAR, 'm', act_materials, "m", N_("the materials checklist"),
	 N_("materials")},
	{VK_CHAR, 't', act_trail, "t",
	 N_("the accountability trail: who signed what"), N_("trail")},
	{VK_DOWN, 0, act_down, "j, Down", N_("scroll down a row"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("scroll up a row"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
	{VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
	{VK_CTRL, 'f', act_pgdn, "Ctrl-F", NULL, NULL},
	{VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
	{VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
	{VK_CTRL, 'b', act_pgup, "Ctrl-B", NULL, NULL},
	{VK_HOME, 0, act_top, "Home", N_("to the top"), NULL},
	{VK_END, 0, act_bottom, "G, End", N_("to the bottom"), NULL},
	{VK_CHAR, 'G', act_bottom, "G", NULL, NULL},
	{VK_CHAR, 'r', act_reload, "r",
	 N_("reload (after a change by someone else)"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back to where you came from"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_detail = {
	.title = N_("Nominee"),
	.enter = NULL,
	.leave = detail_forget,
	.draw = detail_draw,
	.key = NULL,
	.keys = detail_keys,
};
