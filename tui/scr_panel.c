/*
 * scr_panel: where the home menu's "expert panels" leads.  An expert
 * gets their assignments across panels (nominee, unit, panel, and where
 * they are: to declare, to score, submitted, recused), and from a row
 * the declaration, the score sheet, the dossier (which core opens only
 * after the declaration) and the submitted sheets (only after their own).
 * Everybody else gets the panels core lets them see, with rule, pass
 * mark, quorum and members, and from a row the panel's results, a new
 * member, a nominee to assign; a new panel; the committee's ranked list.
 *
 * Both lists are core's answers, read again each time the screen is
 * entered; a refusal is core's message on the message line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

int
panel_open(struct ui *ui)
{
	pn_state(ui);
	return pn_home(ui);
}

void
panel_release(struct ui *ui)
{
	struct panel_ui *pn = ui->panel;
	size_t i;

	if (!pn) {
		return;
	}
	pn_table_free(&pn->mine);
	pn_table_free(&pn->panels);
	pn_table_free(&pn->results);
	pn_table_free(&pn->pick);
	pn_table_free(&pn->outcome);
	pn_table_free(&pn->ranked);
	for (i = 0; i < pn->sheets.n; i++) {
		free(pn->sheets.s[i].opinion);
	}
	free(pn->sheets.s);
	free(pn);
	ui->panel = NULL;
}

int
pn_home(struct ui *ui)
{
	ui_open(ui, ui->me->role == CORE_ROLE_EXPERT ? &scr_pn_mine
						     : &scr_pn_list);
	return TUI_REDRAW;
}

static int
act_home(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
page_rows(const struct ui *ui)
{
	return ui_body_bottom(ui) - ui_body_top(ui) - 3;
}

/* ---- the expert's assignments ---- */

static const struct w_table_col mine_cols[PN_M_NCOLS] = {
	[PN_M_ID] = {N_("No."), 2, 6},
	[PN_M_NAME] = {N_("Name"), 6, 0},
	[PN_M_UNIT] = {N_("Unit"), 8, 0},
	[PN_M_PANEL] = {N_("Panel"), 6, 0},
	[PN_M_STATUS] = {N_("Progress"), 6, 10},
	[PN_M_STATE] = {N_("State"), 4, 14},
};

static int
add_mine(void *ctx, const struct core_panel_assignment *a)
{
	char id[24];
	const char *v[PN_M_NCOLS];
	struct pn_row *row;

	snprintf(id, sizeof(id), "%" PRId64, a->nominee_id);
	v[PN_M_ID] = id;
	v[PN_M_NAME] = a->name;
	v[PN_M_UNIT] = a->unit_name;
	v[PN_M_PANEL] = a->panel;
	v[PN_M_STATUS] = pn_status_label(a->status);
	v[PN_M_STATE] = core_state_label(a->state);
	row = pn_table_add(ctx, a->nominee_id, v, PN_M_NCOLS);
	row->panel_id = a->panel_id;
	row->seq = a->seq;
	snprintf(row->code, sizeof(row->code), "%s", a->status);
	return 0;
}

static void
mine_enter(struct ui *ui)
{
	struct pn_table *t = &pn_state(ui)->mine;
	struct pn_row *sel = pn_table_sel(t);
	int64_t id = sel ? sel->id : 0, pid = sel ? sel->panel_id : 0;
	int r;

	pn_table_clear(t);
	if ((r = core_panel_assignments(ui->c, add_mine, t)) != 0) {
		ui_core_error(ui, r);
	}
	if (id) {
		pn_table_select(t, id, pid);
	}
}

struct pn_find {
	int64_t panel_id, id;
	int found;
	struct core_panel_assignment *out;
};

static int
find_one(void *ctx, const struct core_panel_assignment *a)
{
	struct pn_find *f = ctx;

	if (a->panel_id == f->panel_id && a->nominee_id == f->id) {
		*f->out = *a;
		f->found = 1;
	}
	return 0;
}

int
pn_assignment_get(struct ui *ui, int64_t panel_id, int64_t id,
		  struct core_panel_assignment *out)
{
	struct pn_find f = {panel_id, id, 0, out};
	int r;

	if ((r = core_panel_assignments(ui->c, find_one, &f)) != 0) {
		ui_core_error(ui, r);
		return r;
	}
	if (!f.found) {
		ui_msg(ui, 1, _("No. %lld is no longer among your assignments."),
		       (long long)id);
		return CORE_ENOENT;
	}
	return 0;
}

static struct pn_row *
mine_sel(struct ui *ui)
{
	struct pn_row *row = pn_table_sel(&pn_state(ui)->mine);

	if (!row) {
		ui_msg(ui, 1, "%s", _("No assignment is selected."));
	}
	return row;
}

static int
act_declare(struct ui *ui)
{
	struct pn_row *row = mine_sel(ui);

	return row ? pn_declare_open(ui, row) : TUI_REDRAW;
}

static int
act_score(struct ui *ui)
{
	struct pn_row *row = mine_sel(ui);

	return row ? pn_score_open(ui, row) : TUI_REDRAW;
}

static int
act_dossier(struct ui *ui)
{
	struct pn_row *row = mine_sel(ui);
	char m[sizeof(ui->msg)];

	if (!row) {
		return TUI_REDRAW;
	}
	if (detail_open(ui, row->id) == 0) {
		return TUI_REDRAW;
	}
	if (strcmp(row->code, "assigned") == 0) {
		/* core's answer is the one for a missing nominee; say what
		 * opens it */
		snprintf(m, sizeof(m), "%s", ui->msg);
		ui_msg(ui, 1,
		       _("%s: the dossier opens once you have signed the "
			 "no-conflict declaration (d)"),
		       m);
	}
	return TUI_REDRAW;
}

static int
act_sheets(struct ui *ui)
{
	struct pn_row *row = mine_sel(ui);

	if (!row) {
		return TUI_REDRAW;
	}
	(void)pn_sheets_open(ui, row->panel_id, row->id,
			     row->cell[PN_M_NAME]);
	return TUI_REDRAW;
}

/* Enter: the next step of the selected assignment. */
static int
act_next(struct ui *ui)
{
	struct pn_row *row = mine_sel(ui);

	if (!row) {
		return TUI_REDRAW;
	}
	if (strcmp(row->code, "assigned") == 0) {
		return pn_declare_open(ui, row);
	}
	if (strcmp(row->code, "declared") == 0) {
		return pn_score_open(ui, row);
	}
	if (strcmp(row->code, "scored") == 0) {
		return act_sheets(ui);
	}
	ui_msg(ui, 0, "%s", pn_recused_msg());
	return TUI_REDRAW;
}

static int
mine_move(struct ui *ui, long delta)
{
	return pn_table_move(&pn_state(ui)->mine, delta, page_rows(ui));
}

static int
mine_down(struct ui *ui)
{
	return mine_move(ui, 1);
}

static int
mine_up(struct ui *ui)
{
	return mine_move(ui, -1);
}

static int
mine_pgdn(struct ui *ui)
{
	return mine_move(ui, page_rows(ui));
}

static int
mine_pgup(struct ui *ui)
{
	return mine_move(ui, -page_rows(ui));
}

static int
mine_reload(struct ui *ui)
{
	mine_enter(ui);
	return TUI_REDRAW;
}

static void
mine_draw(struct ui *ui)
{
	int y = pn_intro(ui, _("Your assignments. Declare first (d): the "
			       "dossier opens after it; then score (s)."));

	pn_table_draw(ui, &pn_state(ui)->mine, mine_cols, PN_M_NCOLS, y,
		      ui_body_bottom(ui),
		      _("No nominee is assigned to you in this round."));
}

static const struct tui_binding mine_keys[] = {
	{VK_ENTER, 0, act_next, "Enter",
	 N_("the next step: declare, score, or see the submitted scores"),
	 N_("next step")},
	{VK_CHAR, 'd', act_declare, "d",
	 N_("sign the no-conflict declaration, or declare a conflict"),
	 N_("declare")},
	{VK_CHAR, 's', act_score, "s", N_("fill in and submit the score sheet"),
	 N_("score")},
	{VK_CHAR, 'v', act_dossier, "v",
	 N_("open the nominee's dossier (after the declaration)"),
	 N_("dossier")},
	{VK_CHAR, 'c', act_sheets, "c",
	 N_("the submitted score sheets (after your own)"), N_("scores")},
	{VK_DOWN, 0, mine_down, "j, Down", N_("next assignment"), NULL},
	{VK_CHAR, 'j', mine_down, "j", NULL, NULL},
	{VK_UP, 0, mine_up, "k, Up", N_("previous assignment"), NULL},
	{VK_CHAR, 'k', mine_up, "k", NULL, NULL},
	{VK_PGDN, 0, mine_pgdn, "PgDn, Space", N_("next page"), NULL},
	{VK_CHAR, ' ', mine_pgdn, "Space", NULL, NULL},
	{VK_PGUP, 0, mine_pgup, "PgUp, b", N_("previous page"), NULL},
	{VK_CHAR, 'b', mine_pgup, "b", NULL, NULL},
	{VK_CHAR, 'r', mine_reload, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_home, "q, Esc", N_("back to the home screen"),
	 N_("back")},
	{VK_ESC, 0, act_home, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_mine = {
	.title = N_("My evaluations"),
	.enter = mine_enter,
	.draw = mine_draw,
	.key = NULL,
	.keys = mine_keys,
};

/* ---- the panels ---- */

enum { P_ID, P_NAME, P_LEVEL, P_OWNER, P_RULE, P_MARK, P_QUORUM, P_MEMBERS,
       P_NCOLS };

static const struct w_table_col panel_cols[P_NCOLS] = {
	[P_ID] = {N_("No."), 2, 4},
	[P_NAME] = {N_("Panel"), 6, 0},
	[P_LEVEL] = {N_("Level"), 4, 10},
	[P_OWNER] = {N_("Owner"), 6, 0},
	[P_RULE] = {N_("Rule"), 4, 10},
	[P_MARK] = {N_("Pass mark"), 4, 9},
	[P_QUORUM] = {N_("Quorum"), 2, 10},
	[P_MEMBERS] = {N_("Members"), 2, 7},
};

static int
add_panel(void *ctx, const struct core_panel *p)
{
	char id[24], mark[16], quorum[16], members[16];
	const char *v[P_NCOLS];
	struct pn_row *row;

	snprintf(id, sizeof(id), "%" PRId64, p->id);
	pn_x10(p->threshold_x10, mark, sizeof(mark));
	snprintf(quorum, sizeof(quorum), "%d", p->quorum);
	snprintf(members, sizeof(members), "%d", p->n_members);
	v[P_ID] = id;
	v[P_NAME] = p->name;
	v[P_LEVEL] = p->level == CORE_PANEL_CITY ? _("city level")
						 : _("county/dept.");
	v[P_OWNER] = p->owner_name[0] ? p->owner_name : p->owner_unit;
	v[P_RULE] = p->rule == CORE_PANEL_MAJORITY ? _("majority") : _("mean");
	v[P_MARK] = mark;
	v[P_QUORUM] = quorum;
	v[P_MEMBERS] = members;
	row = pn_table_add(ctx, p->id, v, P_NCOLS);
	row->panel_id = p->id;
	return 0;
}

static void
list_enter(struct ui *ui)
{
	struct pn_table *t = &pn_state(ui)->panels;
	struct pn_row *sel = pn_table_sel(t);
	int64_t id = sel ? sel->id : 0;
	int r;

	pn_table_clear(t);
	if ((r = core_panel_list(ui->c, add_panel, t)) != 0) {
		ui_core_error(ui, r);
	}
	if (pn_state(ui)->select_id) {
		id = pn_state(ui)->select_id; /* the one just made */
		pn_state(ui)->select_id = 0;
	}
	if (id) {
		pn_table_select(t, id, 0);
	}
}

static struct pn_row *
list_sel(struct ui *ui)
{
	struct pn_row *row = pn_table_sel(&pn_state(ui)->panels);

	if (!row) {
		ui_msg(ui, 1, "%s",
		       _("No panel is selected: create one first (n)."));
	}
	return row;
}

static int
list_open_sel(struct ui *ui)
{
	struct pn_row *row = list_sel(ui);

	if (row) {
		(void)pn_view_open(ui, row->id);
	}
	return TUI_REDRAW;
}

static int
act_new(struct ui *ui)
{
	return pn_new_open(ui);
}

static int
act_member(struct ui *ui)
{
	struct pn_row *row = list_sel(ui);

	if (!row || pn_cur_load(ui, row->id) != 0) {
		return TUI_REDRAW;
	}
	return pn_member_open(ui);
}

static int
act_assign(struct ui *ui)
{
	struct pn_row *row = list_sel(ui);

	if (!row || pn_cur_load(ui, row->id) != 0) {
		return TUI_REDRAW;
	}
	return pn_pick_open(ui);
}

static int
list_move(struct ui *ui, long delta)
{
	return pn_table_move(&pn_state(ui)->panels, delta, page_rows(ui));
}

static int
list_down(struct ui *ui)
{
	return list_move(ui, 1);
}

static int
list_up(struct ui *ui)
{
	return list_move(ui, -1);
}

static int
list_reload(struct ui *ui)
{
	list_enter(ui);
	return TUI_REDRAW;
}

static void
list_draw(struct ui *ui)
{
	int y = pn_intro(ui, _("Expert panels of this round. Enter: results; "
			       "n: new panel; m: add a member; a: assign a "
			       "nominee."));

	pn_table_draw(ui, &pn_state(ui)->panels, panel_cols, P_NCOLS, y,
		      ui_body_bottom(ui),
		      _("No panel you may see in this round."));
}

static const struct tui_binding list_keys[] = {
	{VK_ENTER, 0, list_open_sel, "Enter, o",
	 N_("the panel: its configuration and results"), N_("open")},
	{VK_CHAR, 'o', list_open_sel, "o", NULL, NULL},
	{VK_CHAR, 'n', act_new, "n", N_("create a panel"), N_("new")},
	{VK_CHAR, 'm', act_member, "m",
	 N_("add an expert to the selected panel"), N_("member")},
	{VK_CHAR, 'a', act_assign, "a",
	 N_("assign a nominee to the selected panel"), N_("assign")},
	{VK_CHAR, 'c', pn_ranked_open, "c",
	 N_("the committee's ranked list (city HR, auditor)"), N_("ranked")},
	{VK_DOWN, 0, list_down, "j, Down", N_("next panel"), NULL},
	{VK_CHAR, 'j', list_down, "j", NULL, NULL},
	{VK_UP, 0, list_up, "k, Up", N_("previous panel"), NULL},
	{VK_CHAR, 'k', list_up, "k", NULL, NULL},
	{VK_CHAR, 'r', list_reload, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_home, "q, Esc", N_("back to the home screen"),
	 N_("back")},
	{VK_ESC, 0, act_home, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_list = {
	.title = N_("Expert panels"),
	.enter = list_enter,
	.draw = list_draw,
	.key = NULL,
	.keys = list_keys,
};
