/*
 * scr_items: a nominee's dated items (issue #3 item 3): work history,
 * research output and job performance, each with its dates, listed by
 * kind as core gives them (core_item_list: scope and the 近5年 flag are
 * core's).  Research and performance items older than the round's report
 * window are flagged by a word and bold, never by colour alone.  The
 * selected item's title and detail show below the table; Enter shows
 * them in full, scrolled.  'a' opens the add form (scr_item_add.c).
 *
 * State lives in ui->items (tui/items.h), allocated on first open and
 * freed by items_release(); the materials checklist (scr_materials.c)
 * shares it.  Leaving goes back to the nominee, reloaded.
 *
 * The head (core_nominee_get) is read before the items, so the seq kept
 * is never newer than what the table shows: a write from these screens
 * (core_item_add_seen, core_material_set_seen) over a version changed
 * by someone else since is refused, never silently made.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/items.h"
#include "tui/text.h"

const char *const items_kinds[] = {"work", "research", "performance", NULL};

static const char *const kind_labels[] = {
	N_("Work"),
	N_("Research"),
	N_("Performance"),
};

const char *
items_kind_label(int kind)
{
	if (kind < 0 || kind > 2) {
		return "?";
	}
	return _(kind_labels[kind]);
}

enum { C_KIND, C_FROM, C_TO, C_TITLE, C_FLAG, C_N };

static const struct w_table_col columns[C_N] = {
	[C_KIND] = {N_("Kind"), 4, 12},
	[C_FROM] = {N_("From"), 7, 10},
	[C_TO] = {N_("To"), 7, 10},
	[C_TITLE] = {N_("Item title"), 10, 0},
	[C_FLAG] = {N_("Window"), 6, 16},
};

struct items_ui *
items_state(struct ui *ui)
{
	if (!ui->items) {
		if (!(ui->items = calloc(1, sizeof(*ui->items)))) {
			term_fatal("out of memory");
		}
		ui->items->kind = -1;
	}
	return ui->items;
}

static void
rows_free(struct items_ui *s)
{
	size_t i;

	for (i = 0; i < s->n_rows; i++) {
		free(s->rows[i].title);
		free(s->rows[i].detail);
	}
	s->n_rows = 0;
}

void
items_release(struct ui *ui)
{
	if (!ui->items) {
		return;
	}
	rows_free(ui->items);
	free(ui->items->rows);
	free(ui->items);
	ui->items = NULL;
}

static char *
dup_clean(const char *s, int ml)
{
	char buf[TEXT_LINE_SIZE * 2];
	char *p;

	if (ml) {
		text_sanitize_ml(s, buf, sizeof(buf));
	} else {
		text_sanitize(s, buf, sizeof(buf));
	}
	if (!(p = strdup(buf))) {
		term_fatal("out of memory");
	}
	return p;
}

static int
add_row(void *ctx, const struct core_item *it)
{
	struct items_ui *s = ctx;
	struct items_row *row;
	int k;

	for (k = 0; items_kinds[k] && strcmp(items_kinds[k], it->kind); k++) {
	}
	if (s->n_rows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct items_row *p = realloc(s->rows, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		s->rows = p;
		s->cap = cap;
	}
	row = &s->rows[s->n_rows++];
	memset(row, 0, sizeof(*row));
	row->kind = items_kinds[k] ? k : 3;
	text_sanitize(it->date_from, row->from, sizeof(row->from));
	text_sanitize(it->date_to, row->to, sizeof(row->to));
	row->title = dup_clean(it->title, 0);
	row->detail = dup_clean(it->detail, 1);
	row->outside = it->outside_window;
	if (row->outside) {
		snprintf(row->flag, sizeof(row->flag), "! %s",
			 _("outside window"));
	}
	return 0;
}

/* Work, research, performance (the registration form's order); core's
 * order (by date) within a kind.  Insertion sort: stable, and short. */
static void
sort_rows(struct items_ui *s)
{
	size_t i, j;

	for (i = 1; i < s->n_rows; i++) {
		struct items_row r = s->rows[i];

		for (j = i; j > 0 && s->rows[j - 1].kind > r.kind; j--) {
			s->rows[j] = s->rows[j - 1];
		}
		s->rows[j] = r;
	}
}

/* The nominee's name, state and version, and the round's window. */
static int
load_head(struct ui *ui, int64_t id)
{
	static struct core_dossier d; /* big; one screen at a time */
	struct items_ui *s = items_state(ui);
	struct core_round *r = NULL;
	int rc;

	if ((rc = core_nominee_get(ui->c, id, &d)) != 0) {
		ui_core_error(ui, rc);
		return rc;
	}
	if (s->id != id) {
		s->pos = s->mpos = (struct w_list){0, 0};
	}
	s->id = id;
	snprintf(s->name, sizeof(s->name), "%s", d.n.name);
	snprintf(s->state, sizeof(s->state), "%s", d.n.state);
	s->version = d.n.version;
	s->seq = d.n.seq;
	s->window_years = 0;
	s->window_from[0] = s->window_to[0] = '\0';
	if (core_round_get(ui->c, NULL, &r) == 0 && r->window_years > 0 &&
	    strlen(r->window_ref_date) == 10) {
		int y = atoi(r->window_ref_date);

		s->window_years = r->window_years;
		snprintf(s->window_to, sizeof(s->window_to), "%s",
			 r->window_ref_date);
		snprintf(s->window_from, sizeof(s->window_from), "%04d%.6s",
			 y - r->window_years, r->window_ref_date + 4);
	}
	core_round_free(r);
	return 0;
}

static int table_rows(const struct ui *ui);

int
items_load(struct ui *ui, int64_t id)
{
	struct items_ui *s;
	int r;

	if ((r = load_head(ui, id)) != 0) {
		return r;
	}
	s = ui->items;
	rows_free(s);
	if ((r = core_item_list(ui->c, id, add_row, s)) != 0) {
		rows_free(s);
		ui_core_error(ui, r);
		return r;
	}
	sort_rows(s);
	s->table.col = columns;
	s->table.n_cols = C_N;
	w_list_show(&s->pos, s->n_rows, table_rows(ui));
	return 0;
}

int
items_open(struct ui *ui, int64_t id)
{
	if (items_load(ui, id) != 0) {
		return TUI_REDRAW; /* the nominee stays, core's reason shown */
	}
	ui->items->full = 0;
	ui_open(ui, &scr_items);
	return TUI_REDRAW;
}

int
items_back(struct ui *ui)
{
	if (!ui->items) {
		list_show(ui);
		return TUI_REDRAW;
	}
	return detail_return(ui, ui->items->id);
}

void
items_field_msg(const char *msg, const char *field, const char *label,
		char *out, size_t outsz)
{
	const char *names[2];
	size_t i;

	names[0] = field;
	names[1] = core_field_label(field);
	for (i = 0; i < 2 && field[0]; i++) {
		size_t n = strlen(names[i]);

		if (n && strncmp(msg, names[i], n) == 0 &&
		    (msg[n] == ':' || strncmp(msg + n, "：", 3) == 0)) {
			snprintf(out, outsz, "%s%s", label, msg + n);
			return;
		}
	}
	snprintf(out, outsz, "%s", msg);
}

/* ---- drawing ---- */

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct items_ui *s = ctx;
	const struct items_row *r = &s->rows[row];

	switch (col) {
	case C_KIND:
		return items_kind_label(r->kind);
	case C_FROM:
		return r->from;
	case C_TO:
		return r->to[0] ? r->to : "-";
	case C_TITLE:
		return r->title;
	default:
		return r->flag;
	}
}

/* Rows of the table shown: what is left once the details get theirs. */
static int
table_rows(const struct ui *ui)
{
	int avail = ui_body_bottom(ui) - (ui_body_top(ui) + 3) + 1;
	int n = avail - 7;

	return n < 3 ? 3 : n;
}

static void
keep_visible(struct ui *ui)
{
	w_list_show(&ui->items->pos, ui->items->n_rows, table_rows(ui));
}

/* The selected item in full: kind, dates, flag, title, detail. */
static void
draw_item(struct ui *ui, struct item_pane *p)
{
	const struct items_ui *s = ui->items;
	const struct items_row *r = &s->rows[s->pos.sel];
	const char *lt = _("Title:"), *ld = _("Detail:");
	int lw = (int)text_width(lt), y;
	char line[256];

	if ((int)text_width(ld) > lw) {
		lw = (int)text_width(ld);
	}
	snprintf(line, sizeof(line), "%s  %s%s%s", items_kind_label(r->kind),
		 r->from, r->to[0] ? " ~ " : "", r->to);
	if ((y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, line, A_BOLD);
	}
	if (r->outside) {
		snprintf(line, sizeof(line),
			 _("! outside the report window (before %s): kept, "
			   "but not counted for the last %d years"),
			 s->window_from, s->window_years);
		item_pane_text(p, 0, 0, NULL, A_NORMAL, 2, ui->cols - 4, line,
			       ui_attr_error(ui));
	}
	item_pane_text(p, 2, lw, lt, A_NORMAL, 2 + lw + 1,
		       ui->cols - 5 - lw, r->title, A_BOLD);
	item_pane_text(p, 2, lw, ld, A_NORMAL, 2 + lw + 1,
		       ui->cols - 5 - lw,
		       r->detail[0] ? r->detail : _("(none)"), A_NORMAL);
}

/* below > 0: "(more: N rows below)"; 0: the whole item is a key away */
static void
draw_more(struct ui *ui, int y, int below)
{
	char more[64];

	if (below > 0) {
		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 below);
	} else {
		snprintf(more, sizeof(more), "%s",
			 _("(Enter: the whole item)"));
	}
	text_draw(stdscr, y, ui->cols - 2 - (int)text_width(more),
		  (int)text_width(more), more, A_REVERSE);
}

/* Enter: the selected item alone, scrolled by j/k. */
static void
draw_full(struct ui *ui)
{
	struct items_ui *s = ui->items;
	/* below the head's two rows */
	struct item_pane p = {ui_body_top(ui) + 2, ui_body_top(ui), 0, 0};
	int page = ui_body_bottom(ui) - p.y0;

	draw_item(ui, &p); /* count */
	s->n_full = p.vy;
	if (s->ftop > s->n_full - page) {
		s->ftop = s->n_full - page;
	}
	if (s->ftop < 0) {
		s->ftop = 0;
	}
	p.y1 = ui_body_bottom(ui) - 1;
	p.top = s->ftop;
	p.vy = 0;
	draw_item(ui, &p);
	if (s->ftop + page < s->n_full) {
		draw_more(ui, ui_body_bottom(ui), s->n_full - s->ftop - page);
	}
}

static void
draw_head(struct ui *ui)
{
	const struct items_ui *s = ui->items;
	int y = ui_body_top(ui);
	char line[CORE_NAME_SIZE + 128];

	snprintf(line, sizeof(line),
		 _("No. %lld  %s   dated items   State: %s   Version: %u"),
		 (long long)s->id, s->name, core_state_label(s->state),
		 (unsigned)s->version);
	text_put(stdscr, y, 2, ui->cols - 4, line, A_BOLD);
	if (s->window_years > 0) {
		snprintf(line, sizeof(line),
			 _("Research and performance window: %s to %s (last "
			   "%d years)"),
			 s->window_from, s->window_to, s->window_years);
	} else {
		snprintf(line, sizeof(line), "%s",
			 _("The round sets no report window."));
	}
	text_put(stdscr, y + 1, 2, ui->cols - 4, line, A_NORMAL);
}

static void
items_draw(struct ui *ui)
{
	struct items_ui *s = ui->items;
	int y = ui_body_top(ui) + 2, avail = ui->cols - 4, n, i;
	attr_t attrs[C_N] = {0};

	draw_head(ui);
	if (s->full && s->n_rows > 0) {
		draw_full(ui);
		return;
	}
	if (s->n_rows == 0) {
		text_put(stdscr, y + 1, 4, ui->cols - 6,
			 _("No dated items yet."), A_BOLD);
		text_put(stdscr, y + 3, 4, ui->cols - 6,
			 _("Press a to add work history, research output or "
			   "job performance."),
			 A_NORMAL);
		return;
	}
	keep_visible(ui);
	w_table_layout(&s->table, avail, s->n_rows, cell_of, s);
	w_table_draw_header(&s->table, stdscr, y++, 2, avail);
	n = table_rows(ui);
	for (i = 0; i < n && s->pos.top + (size_t)i < s->n_rows; i++) {
		size_t k = s->pos.top + (size_t)i, c;
		const char *cells[C_N];

		for (c = 0; c < C_N; c++) {
			cells[c] = cell_of(s, k, c);
		}
		attrs[C_FLAG] = s->rows[k].outside ? ui_attr_error(ui)
						   : A_NORMAL;
		item_table_row(&s->table, y + i, 2, avail, cells, attrs,
			       k == s->pos.sel);
	}
	if (s->pos.top + (size_t)n < s->n_rows) {
		char more[64];

		snprintf(more, sizeof(more), _("(%zu more)"),
			 s->n_rows - s->pos.top - (size_t)n);
		text_put(stdscr, y + n, ui->cols - 4 - (int)text_width(more),
			 (int)text_width(more), more, A_REVERSE);
	} else {
		n = i; /* the details take the rows the table leaves */
	}
	{
		/* the last row is kept for the "more" marker */
		struct item_pane p = {y + n + 1, ui_body_bottom(ui) - 1, 0,
				      0};

		draw_item(ui, &p);
		if (p.vy > p.y1 - p.y0 + 1) {
			draw_more(ui, ui_body_bottom(ui), 0);
		}
	}
}

/* ---- keys ---- */

static int
move_by(struct ui *ui, long delta)
{
	struct items_ui *s = ui->items;

	if (s->full) {
		s->ftop += (int)delta;
		if (s->ftop < 0) {
			s->ftop = 0;
		}
		return TUI_REDRAW; /* the draw clamps the bottom */
	}
	return w_list_move(&s->pos, s->n_rows, delta, table_rows(ui))
		       ? TUI_REDRAW
		       : TUI_KEEP;
}

static int
act_down(struct ui *ui)
{
	return move_by(ui, 1);
}

static int
act_up(struct ui *ui)
{
	return move_by(ui, -1);
}

static int
act_pgdn(struct ui *ui)
{
	return move_by(ui, ui->items->full ? ui->rows - 6 : table_rows(ui));
}

static int
act_pgup(struct ui *ui)
{
	return move_by(ui,
		       -(long)(ui->items->full ? ui->rows - 6 : table_rows(ui)));
}

static int
act_home(struct ui *ui)
{
	return move_by(ui, -(long)ui->items->n_rows - ui->rows * 100);
}

static int
act_end(struct ui *ui)
{
	return move_by(ui, (long)ui->items->n_rows + ui->rows * 100);
}

static int
act_full(struct ui *ui)
{
	struct items_ui *s = ui->items;

	if (s->n_rows == 0) {
		return TUI_KEEP;
	}
	s->full = !s->full;
	s->ftop = 0;
	return TUI_REDRAW;
}

static int
act_add(struct ui *ui)
{
	ui->items->full = 0;
	return item_add_open(ui);
}

static int
act_reload(struct ui *ui)
{
	(void)items_load(ui, ui->items->id);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	if (ui->items->full) {
		ui->items->full = 0;
		return TUI_REDRAW;
	}
	return items_back(ui);
}

static const struct tui_binding items_keys[] = {
	{VK_DOWN, 0, act_down, "j, Down",
	 N_("next item (in the whole item: scroll)"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous item (in the whole item: "
				       "scroll)"),
	 NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
	{VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
	{VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
	{VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
	{VK_HOME, 0, act_home, "Home", N_("to the top"), NULL},
	{VK_END, 0, act_end, "G, End", N_("to the bottom"), NULL},
	{VK_CHAR, 'G', act_end, "G", NULL, NULL},
	{VK_CHAR, 'j', NULL, "j/k", NULL, N_("move")},
	{VK_ENTER, 0, act_full, "Enter",
	 N_("the whole item, or back to the table"), N_("whole item")},
	{VK_CHAR, 'a', act_add, "a",
	 N_("add an item (a new dossier version, audited)"), N_("add")},
	{VK_CHAR, 'r', act_reload, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back to the nominee"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_items = {
	.title = N_("Dated items"),
	.enter = NULL,
	.draw = items_draw,
	.key = NULL,
	.keys = items_keys,
};
