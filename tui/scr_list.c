/*
 * scr_list: the nominees the user may see (core decides which), as a
 * table.  Rows are copied and sanitized when loaded, so drawing never
 * sees raw stored text.  The selection is reverse video plus '>'.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

enum { COL_ID, COL_NAME, COL_GENDER, COL_BIRTH, COL_TITLE, COL_UNIT,
       COL_STATE };

static const struct w_table_col columns[LIST_NCOLS] = {
	[COL_ID] = {N_("No."), 2, 6},
	[COL_NAME] = {N_("Name"), 6, 0},
	[COL_GENDER] = {N_("Gender"), 2, 6},
	[COL_BIRTH] = {N_("Birth date"), 10, 10},
	[COL_TITLE] = {N_("Title"), 8, 0},
	[COL_UNIT] = {N_("Unit"), 8, 0},
	[COL_STATE] = {N_("State"), 4, 14},
};

static char *
dup_sanitized(const char *s)
{
	char buf[TEXT_LINE_SIZE];
	char *p;

	text_sanitize(s, buf, sizeof(buf));
	if (!(p = strdup(buf))) {
		term_fatal("out of memory");
	}
	return p;
}

static void
rows_free(struct list_state *l)
{
	size_t i, c;

	for (i = 0; i < l->n_rows; i++) {
		for (c = 0; c < LIST_NCOLS; c++) {
			free(l->rows[i].cell[c]);
		}
	}
	l->n_rows = 0;
}

static int
add_row(void *ctx, const struct core_nominee *n)
{
	struct list_state *l = ctx;
	struct list_row *row;
	char id[24];

	if (l->n_rows == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct list_row *p = realloc(l->rows, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		l->rows = p;
		l->cap = cap;
	}
	row = &l->rows[l->n_rows++];
	row->id = n->id;
	snprintf(id, sizeof(id), "%" PRId64, n->id);
	row->cell[COL_ID] = dup_sanitized(id);
	row->cell[COL_NAME] = dup_sanitized(n->name);
	row->cell[COL_GENDER] = dup_sanitized(ui_gender_label(n->gender));
	row->cell[COL_BIRTH] = dup_sanitized(n->birth_date);
	row->cell[COL_TITLE] = dup_sanitized(n->title);
	row->cell[COL_UNIT] =
		dup_sanitized(n->unit_name[0] ? n->unit_name : n->unit);
	row->cell[COL_STATE] = dup_sanitized(core_state_label(n->state));
	return 0;
}

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct list_state *l = ctx;

	return l->rows[row].cell[col];
}

static int
page_rows(const struct ui *ui)
{
	int n = ui_body_bottom(ui) - (ui_body_top(ui) + 1) + 1;

	return n > 1 ? n : 1;
}

static void
keep_visible(struct ui *ui)
{
	w_list_show(&ui->list.pos, ui->list.n_rows, page_rows(ui));
}

static void
list_enter(struct ui *ui)
{
	struct list_state *l = &ui->list;
	int r;
	size_t i;

	rows_free(l);
	l->table.col = columns;
	l->table.n_cols = LIST_NCOLS;
	r = core_nominee_list(ui->c, add_row, l);
	if (r != 0) {
		ui_msg(ui, 1, "%s",
		       core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
					     : core_strerror(r));
	}
	if (l->select_id) {
		for (i = 0; i < l->n_rows; i++) {
			if (l->rows[i].id == l->select_id) {
				l->pos.sel = i;
			}
		}
		l->select_id = 0;
	}
	keep_visible(ui);
}

static void
list_draw(struct ui *ui)
{
	struct list_state *l = &ui->list;
	int y = ui_body_top(ui), last = ui_body_bottom(ui);
	size_t i;

	/* laid out on every draw: cheap, and right after a resize */
	w_table_layout(&l->table, ui->cols, l->n_rows, cell_of, l);
	w_table_draw_header(&l->table, stdscr, y++, 0, ui->cols);
	if (l->n_rows == 0) {
		text_put(stdscr, y + 1, 4, ui->cols - 5, _("No nominees yet"),
			 A_BOLD);
		text_put(stdscr, y + 3, 4, ui->cols - 5,
			 _("Press a to add a nominee."), A_NORMAL);
		return;
	}
	keep_visible(ui);
	for (i = l->pos.top; i < l->n_rows && y <= last; i++, y++) {
		w_table_draw_row(&l->table, stdscr, y, 0, ui->cols,
				 (const char *const *)l->rows[i].cell,
				 i == l->pos.sel);
	}
}

static int
move_by(struct ui *ui, long delta)
{
	struct list_state *l = &ui->list;
	long page = page_rows(ui);
	/* a page key (or an end) moves the view as well as the selection */
	int moved = delta <= -page || delta >= page
			    ? w_list_page(&l->pos, l->n_rows, delta, (int)page)
			    : w_list_move(&l->pos, l->n_rows, delta, (int)page);

	return moved ? TUI_REDRAW : TUI_KEEP;
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
	return move_by(ui, page_rows(ui));
}

static int
act_pgup(struct ui *ui)
{
	return move_by(ui, -page_rows(ui));
}

static int
act_first(struct ui *ui)
{
	return move_by(ui, -(long)ui->list.n_rows);
}

static int
act_last(struct ui *ui)
{
	return move_by(ui, (long)ui->list.n_rows);
}

static int
act_add(struct ui *ui)
{
	ui_open(ui, &scr_form);
	return TUI_REDRAW;
}

static int
act_reload(struct ui *ui)
{
	if (ui->list.n_rows > 0) {
		ui->list.select_id = ui->list.rows[ui->list.pos.sel].id;
	}
	list_enter(ui);
	return TUI_REDRAW;
}

void
list_show(struct ui *ui)
{
	static const struct tui_screen *const path[] = {&scr_home, &scr_list};

	ui_root(ui, path, 2);
}

static int
act_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
act_open_sel(struct ui *ui)
{
	struct list_state *l = &ui->list;

	if (l->n_rows == 0) {
		return TUI_KEEP;
	}
	(void)detail_open(ui, l->rows[l->pos.sel].id);
	return TUI_REDRAW;
}

static int
act_goto(struct ui *ui)
{
	ui_open(ui, &scr_goto);
	return TUI_REDRAW;
}

static const struct tui_binding list_keys[] = {
	{VK_DOWN, 0, act_down, "j, Down", N_("next nominee"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous nominee"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_PGDN, 0, act_pgdn, "PgDn, Space", N_("next page"), NULL},
	{VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
	{VK_CTRL, 'f', act_pgdn, "Ctrl-F", NULL, NULL},
	{VK_PGUP, 0, act_pgup, "PgUp, b", N_("previous page"), NULL},
	{VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
	{VK_CTRL, 'b', act_pgup, "Ctrl-B", NULL, NULL},
	{VK_HOME, 0, act_first, "Home", N_("first nominee"), NULL},
	{VK_END, 0, act_last, "G, End", N_("last nominee"), NULL},
	{VK_CHAR, 'G', act_last, "G", NULL, NULL},
	{VK_CHAR, 'j', NULL, "j/k", NULL, N_("move")},
	{VK_ENTER, 0, act_open_sel, "Enter, o",
	 N_("open the selected nominee (details, history, actions)"),
	 NULL},
	{VK_CHAR, 'o', act_open_sel, "o", NULL, N_("open")},
	{VK_CHAR, 'g', act_goto, "g", N_("go to a nominee by number"),
	 N_("go to")},
	{VK_CHAR, 'a', act_add, "a", N_("add a nominee"), N_("add")},
	{VK_CHAR, 'r', act_reload, "r", N_("reload the list"), N_("reload")},
	{VK_CHAR, '?', ui_help, "?", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q", N_("back to the home screen"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_list = {
	.title = N_("Nominee list"),
	.enter = list_enter,
	.draw = list_draw,
	.key = NULL,
	.keys = list_keys,
};
