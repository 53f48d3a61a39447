/*
 * scr_panel_new: creating a panel and adding a member to one.
 *
 * The new panel form: name, level and rule (closed sets: a digit, Space
 * or Left/Right chooses), and the optional criteria ("name:max,..."),
 * pass mark and quorum, whose defaults are core's (docs/panel-notes.md)
 * and said next to them.  Ctrl-S (or Enter on the last field) creates it
 * with core_panel_create(); core's refusal names the field, and the
 * message goes under it.  The member form takes an expert's login.
 *
 * Neither form keeps a draft on a hang-up: there is little to retype.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/panel.h"
#include "tui/text.h"

static const struct {
	const char *name;  /* core's errfield */
	const char *label; /* N_() */
	const char *hint;  /* N_(), shown under the current field */
	size_t max_len, max_cols;
	int box;
} fields[PN_NEW_N] = {
	[PN_NAME] = {"name", N_("Panel name"),
		     N_("unique in the round, not a number"), 255, 64, 34},
	[PN_LEVEL] = {"level", N_("Level"),
		      N_("1 or 2, or Space: county/department panels are "
			 "run by county HR or a department, the committee "
			 "by city HR"),
		      0, 0, 0},
	[PN_RULE] = {"rule", N_("Rule"), NULL, 0, 0, 0},
	[PN_CRITERIA] = {"criteria", N_("Criteria"),
			 N_("name:max,...; empty: academic:40, "
			    "innovation:30, contribution:30"),
			 1000, 400, 40},
	[PN_THRESHOLD] = {"threshold", N_("Pass mark"),
			  N_("empty: 60 percent of the sheet's total"), 16, 16,
			  8},
	[PN_QUORUM] = {"quorum", N_("Quorum"),
		       N_("score sheets needed for a result; empty: 3"), 8,
		       8, 4},
};

static int
is_choice(int i)
{
	return i == PN_LEVEL || i == PN_RULE;
}

int
pn_new_open(struct ui *ui)
{
	struct pn_new *f = &pn_state(ui)->form;
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < PN_NEW_N; i++) {
		w_line_init(&f->f[i], fields[i].max_len, fields[i].max_cols);
	}
	/* a convenience only: core decides who may create which level */
	f->level = ui->me->role == CORE_ROLE_CITY_HR ? CORE_PANEL_CITY
						     : CORE_PANEL_LOCAL;
	f->rule = CORE_PANEL_MEAN;
	ui_open(ui, &scr_pn_new);
	return TUI_REDRAW;
}

static int
go_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

/* Folds full-width digits and trims: what an IME may have typed. */
static void
tidy(const char *in, char *out, size_t outsz)
{
	char tmp[W_LINE_SIZE];

	if (utf8_fold_width(in, tmp, sizeof(tmp)) != 0) {
		snprintf(tmp, sizeof(tmp), "%s", in);
	}
	core_field_tidy("panel", tmp, sizeof(tmp));
	snprintf(out, outsz, "%s", tmp);
}

static int
field_of(const char *errfield)
{
	int i;

	for (i = 0; i < PN_NEW_N; i++) {
		if (strcmp(fields[i].name, errfield) == 0) {
			return i;
		}
	}
	return -1;
}

static int
act_create(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct pn_new *f = &pn->form;
	char name[W_LINE_SIZE], crit[W_LINE_SIZE], thr[W_LINE_SIZE];
	char quo[W_LINE_SIZE];
	struct core_panel_new p = {0};
	struct core_receipt rc;
	int64_t id = 0;
	int i, r;

	for (i = 0; i < PN_NEW_N; i++) {
		f->err[i][0] = '\0';
	}
	tidy(f->f[PN_NAME].buf, name, sizeof(name));
	tidy(f->f[PN_CRITERIA].buf, crit, sizeof(crit));
	tidy(f->f[PN_THRESHOLD].buf, thr, sizeof(thr));
	tidy(f->f[PN_QUORUM].buf, quo, sizeof(quo));
	if (quo[0]) {
		/* core takes a number; 0 would mean "the default" there */
		if (strspn(quo, "0123456789") != strlen(quo) ||
		    strlen(quo) > 3) {
			snprintf(f->err[PN_QUORUM], sizeof(f->err[0]), "%s",
				 _("quorum: must be a whole number from 1 "
				   "to 99"));
			f->cur = PN_QUORUM;
			return TUI_REDRAW;
		}
		p.quorum = atoi(quo) > 0 ? atoi(quo) : -1;
	}
	p.name = name;
	p.level = (enum core_panel_level)f->level;
	p.rule = (enum core_panel_rule)f->rule;
	p.criteria = crit[0] ? crit : NULL;
	p.threshold = thr[0] ? thr : NULL;
	memset(&rc, 0, sizeof(rc));
	if ((r = core_panel_create(ui->c, &p, &id, &rc)) != 0) {
		int k = field_of(core_errfield(ui->c));

		if (k >= 0) {
			snprintf(f->err[k], sizeof(f->err[k]), "%s",
				 core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
						       : core_strerror(r));
			f->cur = k;
		}
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	pn->select_id = id;
	/* the form gives its place to the panel it made */
	if (pn_view_open(ui, id) != 0) {
		ui_open(ui, &scr_pn_list);
	}
	ui_msg(ui, 0,
	       _("Panel %lld created: entry #%llu, checkpoint %llu. Add its "
		 "members next (m)."),
	       (long long)id, (unsigned long long)rc.seq,
	       (unsigned long long)rc.tree_size);
	return TUI_REDRAW;
}

static int
move_to(struct ui *ui, int i)
{
	struct pn_new *f = &pn_state(ui)->form;

	f->cur = i < 0 ? 0 : i >= PN_NEW_N ? PN_NEW_N - 1 : i;
	return TUI_REDRAW;
}

static int
act_next(struct ui *ui)
{
	return move_to(ui, pn_state(ui)->form.cur + 1);
}

static int
act_prev(struct ui *ui)
{
	return move_to(ui, pn_state(ui)->form.cur - 1);
}

static int
act_enter(struct ui *ui)
{
	if (pn_state(ui)->form.cur == PN_NEW_N - 1) {
		return act_create(ui);
	}
	return act_next(ui);
}

static int *
choice_of(struct pn_new *f)
{
	return f->cur == PN_LEVEL ? &f->level : &f->rule;
}

static int
new_key(struct ui *ui, const struct tui_key *k)
{
	struct pn_new *f = &pn_state(ui)->form;
	size_t n;

	if (is_choice(f->cur)) {
		int *v = choice_of(f);

		if (k->vk == VK_CHAR && (k->ch == '1' || k->ch == '2')) {
			*v = (int)(k->ch - '1');
		} else if ((k->vk == VK_CHAR && k->ch == ' ') ||
			   k->vk == VK_LEFT || k->vk == VK_RIGHT) {
			*v = !*v;
		} else {
			return TUI_KEEP;
		}
		f->err[f->cur][0] = '\0';
		return TUI_REDRAW;
	}
	if (k->vk == VK_CHAR) {
		n = pn_typed(ui, k->ch, f->err[f->cur], sizeof(f->err[0]));
		if (n && w_line_insert(&f->f[f->cur], pn_state(ui)->paste, n,
				       f->err[f->cur],
				       sizeof(f->err[0])) == 0) {
			f->err[f->cur][0] = '\0';
		}
		return TUI_REDRAW;
	}
	return w_line_key(&f->f[f->cur], k) ? TUI_REDRAW : TUI_KEEP;
}

/* "> 1 mean   2 majority": the chosen one reverse video and marked. */
static void
draw_choice(int y, int x, int cols, int chosen, const char *a, const char *b)
{
	const char *v[2] = {a, b};
	int i;

	for (i = 0; i < 2 && cols > 0; i++) {
		char item[128];
		int w;

		snprintf(item, sizeof(item), "%s %d %s",
			 i == chosen ? ">" : " ", i + 1, v[i]);
		w = text_put(stdscr, y, x, cols, item,
			     i == chosen ? A_REVERSE | A_BOLD : A_NORMAL);
		x += w + 3;
		cols -= w + 3;
	}
}

static void
new_draw(struct ui *ui)
{
	struct pn_new *f = &pn_state(ui)->form;
	int y = pn_intro(ui, _("A new expert panel of this round. Tab: next "
			       "field; Ctrl-S: create; Esc: cancel.")),
	    lw = 0, bx, i;

	for (i = 0; i < PN_NEW_N; i++) {
		int w = (int)text_width(_(fields[i].label));

		lw = w > lw ? w : lw;
	}
	bx = 4 + lw + 2;
	for (i = 0; i < PN_NEW_N && y <= ui_body_bottom(ui); i++) {
		int cur = i == f->cur;
		const char *hint = fields[i].hint ? _(fields[i].hint) : NULL;

		text_put(stdscr, y, 2, 1, cur ? ">" : " ", A_BOLD);
		text_put(stdscr, y, 4, lw, _(fields[i].label),
			 cur ? A_BOLD : A_NORMAL);
		if (i == PN_LEVEL) {
			draw_choice(y, bx, ui->cols - bx - 1, f->level,
				    pn_level_label(CORE_PANEL_LOCAL),
				    pn_level_label(CORE_PANEL_CITY));
		} else if (i == PN_RULE) {
			draw_choice(y, bx, ui->cols - bx - 1, f->rule,
				    _("mean"), _("majority"));
			hint = pn_rule_label((enum core_panel_rule)f->rule);
		} else {
			int cx = w_line_draw(&f->f[i], stdscr, y, bx,
					     fields[i].box,
					     A_UNDERLINE |
						     (cur ? A_BOLD : A_NORMAL));

			if (cur) {
				ui->cursor_y = y;
				ui->cursor_x = bx + cx;
			}
		}
		y++;
		if (cur && hint && y <= ui_body_bottom(ui)) {
			text_put(stdscr, y++, bx, ui->cols - bx - 1, hint,
				 A_NORMAL);
		}
		if (f->err[i][0] && y <= ui_body_bottom(ui)) {
			char line[sizeof(f->err[0]) + 4];

			snprintf(line, sizeof(line), "! %s", f->err[i]);
			text_put(stdscr, y++, bx, ui->cols - bx - 1, line,
				 ui_attr_error(ui));
		}
	}
}

static const struct tui_binding new_keys[] = {
	{VK_CTRL, 's', act_create, "Ctrl-S, F2", N_("create the panel"),
	 N_("create")},
	{VK_F2, 0, act_create, "F2", NULL, NULL},
	{VK_TAB, 0, act_next, "Tab, Down", N_("next field"), N_("next")},
	{VK_DOWN, 0, act_next, "Down", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab, Up", N_("previous field"), NULL},
	{VK_UP, 0, act_prev, "Up", NULL, NULL},
	{VK_ENTER, 0, act_enter, "Enter",
	 N_("next field; on the last one, create the panel"), NULL},
	{VK_CHAR, '1', NULL, "1, 2, Space",
	 N_("choose the level or the rule"), NULL},
	{VK_LEFT, 0, NULL, "Left, Right", N_("move in the field"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_ESC, 0, go_back, "Esc", N_("cancel: nothing is created"),
	 N_("cancel")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_new = {
	.title = N_("New panel"),
	.enter = NULL,
	.draw = new_draw,
	.key = new_key,
	.keys = new_keys,
	.transient = 1,
};

/* ---- a member ---- */

int
pn_member_open(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);

	w_line_init(&pn->member, CORE_LOGIN_SIZE - 1, CORE_LOGIN_SIZE - 1);
	pn->member_err[0] = '\0';
	ui_open(ui, &scr_pn_member);
	return TUI_REDRAW;
}

static int
act_add(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct core_receipt rc;
	char login[W_LINE_SIZE];
	int r;

	tidy(pn->member.buf, login, sizeof(login));
	memset(&rc, 0, sizeof(rc));
	if ((r = core_panel_add_member(ui->c, pn->cur_ref, login, &rc)) != 0) {
		snprintf(pn->member_err, sizeof(pn->member_err), "%s",
			 core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
					       : core_strerror(r));
		return TUI_REDRAW;
	}
	go_back(ui);
	ui_msg(ui, 0, _("%s is on panel %s: entry #%llu, checkpoint %llu."),
	       login, pn->cur.name, (unsigned long long)rc.seq,
	       (unsigned long long)rc.tree_size);
	return TUI_REDRAW;
}

static int
member_key(struct ui *ui, const struct tui_key *k)
{
	struct panel_ui *pn = pn_state(ui);
	size_t n;

	if (k->vk == VK_CHAR) {
		n = pn_typed(ui, k->ch, pn->member_err,
			     sizeof(pn->member_err));
		if (n && w_line_insert(&pn->member, pn->paste, n,
				       pn->member_err,
				       sizeof(pn->member_err)) == 0) {
			pn->member_err[0] = '\0';
		}
		return TUI_REDRAW;
	}
	return w_line_key(&pn->member, k) ? TUI_REDRAW : TUI_KEEP;
}

static void
member_draw(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	const char *label = _("Expert's login");
	char line[CORE_NAME_SIZE + sizeof(pn->member_err) + 128];
	int y = ui_body_top(ui) + 1, lw = (int)text_width(label), cx;

	snprintf(line, sizeof(line), _("Add an expert to panel %lld %s."),
		 (long long)pn->cur.id, pn->cur.name);
	text_put(stdscr, y, 2, ui->cols - 3, line, A_BOLD);
	text_put(stdscr, y + 1, 2, ui->cols - 3,
		 _("The login of a user with the role expert. Enter adds; Esc "
		   "goes back."),
		 A_NORMAL);
	y += 3;
	text_put(stdscr, y, 4, lw, label, A_BOLD);
	cx = w_line_draw(&pn->member, stdscr, y, 4 + lw + 2, 34,
			 A_UNDERLINE | A_BOLD);
	ui->cursor_y = y;
	ui->cursor_x = 4 + lw + 2 + cx;
	if (pn->member_err[0]) {
		snprintf(line, sizeof(line), "! %s", pn->member_err);
		text_put(stdscr, y + 1, 4 + lw + 2, ui->cols - lw - 7, line,
			 ui_attr_error(ui));
	}
}

static const struct tui_binding member_keys[] = {
	{VK_ENTER, 0, act_add, "Enter, Ctrl-S", N_("add the expert"),
	 N_("add")},
	{VK_CTRL, 's', act_add, "Ctrl-S", NULL, NULL},
	{VK_F2, 0, act_add, "F2", NULL, NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_ESC, 0, go_back, "Esc", N_("back: nobody is added"), N_("back")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_member = {
	.title = N_("Add a member"),
	.enter = NULL,
	.draw = member_draw,
	.key = member_key,
	.keys = member_keys,
};
