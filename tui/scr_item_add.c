/*
 * scr_item_add: adds one dated item to the nominee loaded in ui->items:
 * its kind (the closed set work, research, performance: a digit, Space
 * or Left/Right), the dates (YYYY-MM-DD or YYYY-MM, typed in the usual
 * ways and tidied as for a birth date), a title of one line and a detail
 * of several.  Tab and Shift-Tab (or Down and Up) move, Enter moves on
 * (in the detail it breaks the line), Ctrl-S or F2 saves, Esc cancels
 * (twice when something was typed).
 *
 * Saving is one core_item_add_seen(): a new dossier version, audited,
 * which voids a pledge.  core checks everything; its refusal names the
 * field, the cursor goes there and the message shows under it with the
 * field named as the form names it.  The item is added to the version
 * the items screen showed: if someone else changed the nominee since,
 * core refuses (CORE_ESTALE) and Ctrl-R reloads the dossier underneath
 * the form, keeping what was typed, so the next Ctrl-S adds to the
 * version now shown.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/items.h"
#include "tui/text.h"

/* The longest paste a field could ever take, in code points. */
#define PASTE_MAX (W_TEXT_SIZE - 1)
#define TITLE_COLS 200   /* core's rule for an item's title */
#define DETAIL_COLS 4000 /* and for its detail */

static const struct {
	const char *field; /* core's name, as core_errfield() gives it */
	const char *label; /* N_() */
	const char *hint;  /* N_() or NULL */
} fields[IF_N] = {
	[IF_KIND] = {"kind", N_("Kind"), NULL},
	[IF_FROM] = {"date_from", N_("From"), N_("YYYY-MM-DD, or YYYY-MM")},
	[IF_TO] = {"date_to", N_("To"),
		   N_("empty: ongoing, or a single date")},
	[IF_TITLE] = {"title", N_("Item title"), NULL},
	[IF_DETAIL] = {"detail", N_("Detail"), NULL},
};

int
item_add_open(struct ui *ui)
{
	struct items_ui *s = ui->items;
	int i;

	/* core decides at save time; this only spares typing in vain */
	if (!core_state_has(s->state, CORE_STF_EDITABLE)) {
		ui_msg(ui, 1,
		       _("nominee %lld is %s: only a dossier with its unit "
			 "(draft, pledged or returned) can be edited"),
		       (long long)s->id, core_state_label(s->state));
		return TUI_REDRAW;
	}
	s->kind = -1;
	w_line_init(&s->from, 15, 15);
	w_line_init(&s->to, 15, 15);
	w_line_init(&s->title, CORE_TEXT_SIZE - 1, TITLE_COLS);
	w_text_init(&s->detail, W_TEXT_SIZE - 1, DETAIL_COLS, 1);
	for (i = 0; i < IF_N; i++) {
		s->err[i][0] = '\0';
	}
	s->cur = IF_KIND;
	s->esc_armed = 0;
	ui_warn_edit_voids_pledge(ui, s->state);
	ui_open(ui, &scr_item_add);
	return TUI_REDRAW;
}

static struct w_line *
line_of(struct items_ui *s, int f)
{
	switch (f) {
	case IF_FROM:
		return &s->from;
	case IF_TO:
		return &s->to;
	case IF_TITLE:
		return &s->title;
	default:
		return NULL;
	}
}

static int
changed(const struct items_ui *s)
{
	return s->kind >= 0 || s->from.len || s->to.len || s->title.len ||
	       s->detail.len;
}

/* Dates as for a birth date: 20130601, 2013/6/1, 201306, 2013-6. */
static void
tidy(struct items_ui *s, int f)
{
	struct w_line *l = line_of(s, f);
	char buf[W_LINE_SIZE];

	if (!l) {
		return;
	}
	snprintf(buf, sizeof(buf), "%s", l->buf);
	core_field_tidy(f == IF_TITLE ? "title" : "from", buf, sizeof(buf));
	if (strcmp(buf, l->buf) != 0) {
		w_line_set(l, buf); /* kept as typed if it no longer fits */
	}
}

static int
go_to(struct ui *ui, int f)
{
	struct items_ui *s = ui->items;

	s->esc_armed = 0;
	tidy(s, s->cur);
	s->cur = (f + IF_N) % IF_N;
	return TUI_REDRAW;
}

static int
act_next(struct ui *ui)
{
	return go_to(ui, ui->items->cur + 1);
}

static int
act_prev(struct ui *ui)
{
	return go_to(ui, ui->items->cur - 1);
}

static int
act_down(struct ui *ui)
{
	static const struct tui_key down = {VK_DOWN, 0};
	struct items_ui *s = ui->items;

	if (s->cur == IF_DETAIL && w_text_key(&s->detail, &down)) {
		return TUI_REDRAW;
	}
	return act_next(ui);
}

static int
act_up(struct ui *ui)
{
	static const struct tui_key up = {VK_UP, 0};
	struct items_ui *s = ui->items;

	if (s->cur == IF_DETAIL && w_text_key(&s->detail, &up)) {
		return TUI_REDRAW;
	}
	return act_prev(ui);
}

static int
act_enter(struct ui *ui)
{
	static const struct tui_key enter = {VK_ENTER, 0};
	struct items_ui *s = ui->items;

	s->esc_armed = 0;
	if (s->cur == IF_DETAIL) {
		w_text_key(&s->detail, &enter); /* a line break */
		return TUI_REDRAW;
	}
	return act_next(ui);
}

static void
set_kind(struct items_ui *s, int k)
{
	s->kind = (k + 3) % 3;
	s->err[IF_KIND][0] = '\0';
}

/* core's refusal under the field it names (or on the message line). */
static void
refused(struct ui *ui, int r)
{
	struct items_ui *s = ui->items;
	const char *field = core_errfield(ui->c);
	const char *m = core_errmsg(ui->c);
	int i;

	if (!m[0]) {
		m = core_strerror(r);
	}
	for (i = 0; i < IF_N; i++) {
		if (field[0] && strcmp(field, fields[i].field) == 0) {
			items_field_msg(m, field, _(fields[i].label),
					s->err[i], sizeof(s->err[i]));
			s->cur = i;
			ui_msg(ui, 1, "%s", s->err[i]);
			return;
		}
	}
	ui_msg(ui, 1, "%s", m);
}

static int
act_save(struct ui *ui)
{
	static struct core_item it; /* big; one form at a time */
	struct items_ui *s = ui->items;
	struct core_receipt rc;
	char was[32];
	int i, r;

	s->esc_armed = 0;
	for (i = 0; i < IF_N; i++) {
		tidy(s, i);
		s->err[i][0] = '\0';
	}
	memset(&it, 0, sizeof(it));
	snprintf(it.kind, sizeof(it.kind), "%s",
		 s->kind >= 0 ? items_kinds[s->kind] : "");
	snprintf(it.date_from, sizeof(it.date_from), "%.15s", s->from.buf);
	snprintf(it.date_to, sizeof(it.date_to), "%.15s", s->to.buf);
	snprintf(it.title, sizeof(it.title), "%s", s->title.buf);
	snprintf(it.detail, sizeof(it.detail), "%s", s->detail.buf);
	memset(&rc, 0, sizeof(rc));
	if ((r = core_item_add_seen(ui->c, s->id, s->seq, &it, &rc)) != 0) {
		if (r == CORE_ESTALE) {
			ui_msg(ui, 1, "%s %s", core_errmsg(ui->c),
			       ui_stale_hint(1));
			return TUI_REDRAW;
		}
		refused(ui, r);
		return TUI_REDRAW;
	}
	snprintf(was, sizeof(was), "%s", s->state);
	if (items_load(ui, s->id) != 0) {
		return items_back(ui);
	}
	/* select the new item: the last of its kind with its start */
	for (i = (int)s->n_rows - 1; i >= 0; i--) {
		if (s->rows[i].kind == s->kind &&
		    strcmp(s->rows[i].from, it.date_from) == 0) {
			s->pos.sel = (size_t)i;
			break;
		}
	}
	if (core_state_has(was, CORE_STF_EDIT_VOIDS_PLEDGE) &&
	    strcmp(s->state, was) != 0) {
		ui_msg(ui, 0,
		       _("Saved as dossier version %u (entry #%llu); the "
			 "pledge is void and must be recorded again."),
		       (unsigned)s->version, (unsigned long long)rc.seq);
	} else {
		ui_msg(ui, 0,
		       _("Saved as dossier version %u: entry #%llu, "
			 "checkpoint %llu"),
		       (unsigned)s->version, (unsigned long long)rc.seq,
		       (unsigned long long)rc.tree_size);
	}
	s->kind = -1;
	ui_back(ui);
	return TUI_REDRAW;
}

/* Ctrl-R: the nominee and its items again, under the form (items_load
 * leaves the form's fields alone): the next save is over this version. */
static int
act_reload(struct ui *ui)
{
	struct items_ui *s = ui->items;

	s->esc_armed = 0;
	if (items_load(ui, s->id) != 0) {
		return TUI_REDRAW; /* core's reason on the message line */
	}
	if (!core_state_has(s->state, CORE_STF_EDITABLE)) {
		ui_msg(ui, 1,
		       _("nominee %lld is %s: only a dossier with its unit "
			 "(draft, pledged or returned) can be edited"),
		       (long long)s->id, core_state_label(s->state));
		return TUI_REDRAW;
	}
	ui_msg(ui, 0,
	       _("Reloaded version %u; what you typed is kept. Ctrl-S "
		 "saves."),
	       (unsigned)s->version);
	return TUI_REDRAW;
}

static int
act_cancel(struct ui *ui)
{
	struct items_ui *s = ui->items;

	if (changed(s) && !s->esc_armed) {
		s->esc_armed = 1;
		ui_msg(ui, 1, "%s",
		       _("There are unsaved changes: Esc again discards them, "
			 "Ctrl-S saves."));
		return TUI_REDRAW;
	}
	s->esc_armed = 0;
	s->kind = -1;
	ui_back(ui);
	return TUI_REDRAW;
}

/* Text typed or pasted: all of it goes in, or none and a message. */
static int
type_text(struct ui *ui, uint32_t first)
{
	static uint32_t cps[PASTE_MAX];
	struct items_ui *s = ui->items;
	char *err = s->err[s->cur];
	size_t errsz = sizeof(s->err[s->cur]), n, total;
	struct w_line *l;
	int r;

	s->esc_armed = 0;
	cps[0] = first;
	n = 1 + term_read_burst(ui, cps + 1, PASTE_MAX - 1, &total);
	total += 1;
	if (total > n) {
		snprintf(err, errsz,
			 _("pasted text too long (%zu characters); nothing "
			   "was inserted"),
			 total);
		return TUI_REDRAW;
	}
	if (s->cur == IF_KIND) {
		if (n == 1 && cps[0] >= '1' && cps[0] <= '3') {
			set_kind(s, (int)(cps[0] - '1'));
		} else if (n == 1 && cps[0] == ' ') {
			set_kind(s, s->kind + 1);
		} else {
			snprintf(err, errsz, "%s",
				 _("choose with 1, 2 or 3 (or Space)"));
		}
		return TUI_REDRAW;
	}
	if (s->cur == IF_DETAIL) {
		r = w_text_insert(&s->detail, cps, n, err, errsz);
	} else {
		l = line_of(s, s->cur);
		r = w_line_insert(l, cps, n, err, errsz);
	}
	if (r == 0) {
		err[0] = '\0';
	}
	return TUI_REDRAW;
}

static int
add_key(struct ui *ui, const struct tui_key *k)
{
	struct items_ui *s = ui->items;
	int done;

	if (k->vk == VK_CHAR) {
		return type_text(ui, k->ch);
	}
	if (s->cur == IF_KIND) {
		if (k->vk == VK_RIGHT || k->vk == VK_LEFT) {
			set_kind(s, s->kind < 0 ? 0
						: s->kind +
							  (k->vk == VK_RIGHT
								   ? 1
								   : -1));
			return TUI_REDRAW;
		}
		return TUI_KEEP;
	}
	done = s->cur == IF_DETAIL ? w_text_key(&s->detail, k)
				   : w_line_key(line_of(s, s->cur), k);
	if (done) {
		s->esc_armed = 0;
	}
	return done ? TUI_REDRAW : TUI_KEEP;
}

/* ---- drawing ---- */

static int
label_width(void)
{
	int i, w = 0;

	for (i = 0; i < IF_N; i++) {
		int lw = (int)text_width(_(fields[i].label));

		w = lw > w ? lw : w;
	}
	return w;
}

/* The kind's choices on one row, the chosen one in brackets and bold. */
static void
draw_kinds(struct ui *ui, int y, int x, int cur)
{
	struct items_ui *s = ui->items;
	int k, cx = x;

	for (k = 0; k < 3; k++) {
		char b[64];
		int on = k == s->kind;

		snprintf(b, sizeof(b), "%s%d %s%s", on ? "[" : " ", k + 1,
			 items_kind_label(k), on ? "]" : " ");
		cx += text_put(stdscr, y, cx, ui->cols - 1 - cx, b,
			       on ? (A_BOLD | (cur ? A_UNDERLINE : 0))
				  : A_NORMAL);
		cx += 1;
	}
	if (cur) {
		text_put(stdscr, y, cx + 1, ui->cols - 2 - cx,
			 _("1-3 or Space: choose"), A_NORMAL);
	}
}

static void
draw_err(struct ui *ui, int y, int x, const char *err)
{
	char line[300];

	if (!err[0] || y > ui_body_bottom(ui)) {
		return;
	}
	snprintf(line, sizeof(line), "! %s", err);
	text_put(stdscr, y, x, ui->cols - 1 - x, line, ui_attr_error(ui));
}

static void
add_draw(struct ui *ui)
{
	struct items_ui *s = ui->items;
	int lw = label_width(), lx = 4, bx = lx + lw + 2;
	int y = ui_body_top(ui), last = ui_body_bottom(ui), i, rows;
	char intro[CORE_NAME_SIZE + 256];

	snprintf(intro, sizeof(intro),
		 _("New dated item of No. %lld %s. Tab: next field; Ctrl-S: "
		   "save; Esc: cancel."),
		 (long long)s->id, s->name);
	text_put(stdscr, y, 2, ui->cols - 3, intro, A_NORMAL);
	y += 2;
	for (i = 0; i < IF_N; i++) {
		int cur = i == s->cur;
		attr_t la = cur ? A_BOLD : A_NORMAL;
		attr_t ba = A_UNDERLINE | (cur ? A_BOLD : A_NORMAL);

		text_put(stdscr, y, 2, 1, cur ? ">" : " ", A_BOLD);
		text_put(stdscr, y, lx, lw, _(fields[i].label), la);
		if (i == IF_KIND) {
			draw_kinds(ui, y, bx, cur);
		} else if (i == IF_DETAIL) {
			int cy = -1, cx = -1;

			text_put(stdscr, y, bx, ui->cols - 1 - bx,
				 _("several lines; Enter breaks the line"),
				 A_NORMAL);
			rows = last - (y + 1) - 1;
			rows = rows > 8 ? 8 : rows < 2 ? 2 : rows;
			w_text_draw(&s->detail, stdscr, y + 1, 6, rows,
				    ui->cols - 8, ba, cur, &cy, &cx);
			if (cur) {
				ui->cursor_y = cy;
				ui->cursor_x = cx;
			}
			y += rows;
		} else {
			struct w_line *l = line_of(s, i);
			int box = i == IF_TITLE ? ui->cols - 2 - bx : 12;
			int cx = w_line_draw(l, stdscr, y, bx, box, ba);

			if (cur) {
				ui->cursor_y = y;
				ui->cursor_x = bx + cx;
			}
			if (fields[i].hint && bx + box + 2 < ui->cols - 1) {
				text_put(stdscr, y, bx + box + 2,
					 ui->cols - 1 - (bx + box + 2),
					 _(fields[i].hint), A_NORMAL);
			}
		}
		draw_err(ui, y + 1, i == IF_DETAIL ? 6 : bx, s->err[i]);
		y += 2;
	}
}

static const struct tui_binding add_keys[] = {
	{VK_TAB, 0, act_next, "Tab, Down", N_("next field"), N_("next")},
	{VK_DOWN, 0, act_down, "Down", NULL, NULL},
	{VK_CTRL, 'n', act_next, "Ctrl-N", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab, Up", N_("previous field"), NULL},
	{VK_UP, 0, act_up, "Up", NULL, NULL},
	{VK_CTRL, 'p', act_prev, "Ctrl-P", NULL, NULL},
	{VK_ENTER, 0, act_enter, "Enter",
	 N_("next field; in the detail, a new line"), NULL},
	{VK_CTRL, 's', act_save, "Ctrl-S, F2",
	 N_("save the item as a new dossier version"), N_("save")},
	{VK_CTRL, 'r', act_reload, "Ctrl-R",
	 N_("reload the dossier underneath (what you typed is kept)"),
	 NULL},
	{VK_F2, 0, act_save, "F2", NULL, NULL},
	{VK_ESC, 0, act_cancel, "Esc",
	 N_("cancel (asks again when something was typed)"), N_("cancel")},
	{VK_CHAR, '1', NULL, "1-3, Space",
	 N_("the kind: 1 work, 2 research, 3 performance"), NULL},
	{VK_LEFT, 0, NULL, "Left, Right",
	 N_("move in the field; in the kind, the previous or next kind"),
	 NULL},
	{VK_HOME, 0, NULL, "Home, Ctrl-A", N_("start of the field"), NULL},
	{VK_END, 0, NULL, "End, Ctrl-E", N_("end of the field"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_DEL, 0, NULL, "Delete, Ctrl-D", N_("erase the character at the "
					       "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_CTRL, 'k', NULL, "Ctrl-K", N_("erase to the end of the field"),
	 NULL},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_item_add = {
	.title = N_("Add a dated item"),
	.enter = NULL,
	.draw = add_draw,
	.key = add_key,
	.keys = add_keys,
};
