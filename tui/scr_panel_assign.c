/*
 * scr_panel_assign: assigning a nominee to the current panel, and what
 * came of it for each member.
 *
 * The pick list offers the nominees the owner can see that are at the
 * panel's stage (submitted for a county/department panel, past the
 * initial review for the city committee): a convenience, core_panel_assign
 * checks again.  The outcome lists every member: assigned, recused
 * automatically and why (own unit, same employer, a conflict declared
 * before), or unchanged from an earlier assignment.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

enum { A_ID, A_NAME, A_UNIT, A_STATE, A_NCOLS };

static const struct w_table_col pick_cols[A_NCOLS] = {
	[A_ID] = {N_("No."), 2, 6},
	[A_NAME] = {N_("Name"), 6, 0},
	[A_UNIT] = {N_("Unit"), 8, 0},
	[A_STATE] = {N_("State"), 4, 14},
};

enum { O_LOGIN, O_NAME, O_OUTCOME, O_WHY, O_NCOLS };

static const struct w_table_col outcome_cols[O_NCOLS] = {
	[O_LOGIN] = {N_("Expert"), 6, 16},
	[O_NAME] = {N_("Name"), 4, 12},
	[O_OUTCOME] = {N_("Outcome"), 4, 12},
	[O_WHY] = {N_("Why"), 6, 0},
};

static int
page_rows(const struct ui *ui)
{
	return ui_body_bottom(ui) - ui_body_top(ui) - 3;
}

struct pick_ctx {
	struct pn_table *t;
	const char *state; /* the panel's stage */
};

static int
add_pick(void *ctx, const struct core_nominee *n)
{
	struct pick_ctx *p = ctx;
	char id[24];
	const char *v[A_NCOLS];

	if (strcmp(n->state, p->state) != 0) {
		return 0;
	}
	snprintf(id, sizeof(id), "%" PRId64, n->id);
	v[A_ID] = id;
	v[A_NAME] = n->name;
	v[A_UNIT] = n->unit_name[0] ? n->unit_name : n->unit;
	v[A_STATE] = core_state_label(n->state);
	pn_table_add(p->t, n->id, v, A_NCOLS);
	return 0;
}

int
pn_pick_open(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct pick_ctx p = {&pn->pick, core_panel_stage(pn->cur.level)};
	int r;

	pn_table_clear(&pn->pick);
	pn->pick.pos = (struct w_list){0, 0};
	if ((r = core_nominee_list(ui->c, add_pick, &p)) != 0) {
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	ui_open(ui, &scr_pn_pick);
	return TUI_REDRAW;
}

static int
go_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
add_outcome(void *ctx, const struct core_panel_assign_item *it)
{
	char why[CORE_TEXT_SIZE + 128];
	const char *v[O_NCOLS];

	why[0] = '\0';
	if (it->recused || it->already) {
		pn_reason_label(it->reason, why, sizeof(why));
	}
	v[O_LOGIN] = it->expert;
	v[O_NAME] = it->expert_name;
	v[O_OUTCOME] = it->already   ? _("unchanged")
		       : it->recused ? _("recused")
				     : _("assigned");
	v[O_WHY] = why;
	pn_table_add(ctx, 0, v, O_NCOLS);
	return 0;
}

static int
act_assign(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct pn_row *row = pn_table_sel(&pn->pick);
	struct core_receipt rc;
	int r;

	if (!row) {
		ui_msg(ui, 1, "%s", _("No nominee is selected."));
		return TUI_REDRAW;
	}
	pn_table_clear(&pn->outcome);
	pn->outcome.pos = (struct w_list){0, 0};
	memset(&rc, 0, sizeof(rc));
	if ((r = core_panel_assign(ui->c, pn->cur_ref, row->id, add_outcome,
				   &pn->outcome, &rc)) != 0) {
		pn_table_clear(&pn->outcome);
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	snprintf(pn->outcome_head, sizeof(pn->outcome_head),
		 _("No. %lld %s assigned to panel %s (entry #%llu, "
		   "checkpoint %llu). Each member:"),
		 (long long)row->id, row->cell[A_NAME], pn->cur.name,
		 (unsigned long long)rc.seq, (unsigned long long)rc.tree_size);
	ui_open(ui, &scr_pn_outcome); /* in the chooser's place */
	return TUI_REDRAW;
}

static int
pick_down(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->pick, 1, page_rows(ui));
}

static int
pick_up(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->pick, -1, page_rows(ui));
}

static void
pick_draw(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	char line[CORE_NAME_SIZE + 128];
	int y;

	snprintf(line, sizeof(line),
		 _("Assign a nominee to panel %lld %s: Enter assigns the "
		   "selected one to every member."),
		 (long long)pn->cur.id, pn->cur.name);
	y = pn_intro(ui, line);
	pn_table_draw(ui, &pn->pick, pick_cols, A_NCOLS, y,
		      ui_body_bottom(ui),
		      pn->cur.level == CORE_PANEL_CITY
			      ? _("No nominee past the initial review is "
				  "waiting.")
			      : _("No nomination submitted to you is "
				  "waiting."));
}

static const struct tui_binding pick_keys[] = {
	{VK_ENTER, 0, act_assign, "Enter",
	 N_("assign the selected nominee (recusals are automatic)"),
	 N_("assign")},
	{VK_DOWN, 0, pick_down, "j, Down", N_("next nominee"), NULL},
	{VK_CHAR, 'j', pick_down, "j", NULL, NULL},
	{VK_UP, 0, pick_up, "k, Up", N_("previous nominee"), NULL},
	{VK_CHAR, 'k', pick_up, "k", NULL, NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', go_back, "q, Esc", N_("back: nothing is assigned"),
	 N_("back")},
	{VK_ESC, 0, go_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_pick = {
	.title = N_("Assign a nominee"),
	.enter = NULL,
	.draw = pick_draw,
	.key = NULL,
	.keys = pick_keys,
	.transient = 1,
};

/* ---- the outcome ---- */

static int
outcome_down(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->outcome, 1, page_rows(ui));
}

static int
outcome_up(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->outcome, -1, page_rows(ui));
}

static void
outcome_draw(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	int y = ui_body_top(ui) + 1;

	y += pn_put_wrapped(pn->outcome_head, y, 2, 2, ui->cols - 4, 0,
			    A_BOLD);
	pn_table_draw(ui, &pn->outcome, outcome_cols, O_NCOLS, y + 1,
		      ui_body_bottom(ui), "");
}

static const struct tui_binding outcome_keys[] = {
	{VK_DOWN, 0, outcome_down, "j, Down", N_("next member"), NULL},
	{VK_CHAR, 'j', outcome_down, "j", NULL, NULL},
	{VK_UP, 0, outcome_up, "k, Up", N_("previous member"), NULL},
	{VK_CHAR, 'k', outcome_up, "k", NULL, NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', go_back, "q, Esc, Enter", N_("back to the panel"),
	 N_("back")},
	{VK_ESC, 0, go_back, "Esc", NULL, NULL},
	{VK_ENTER, 0, go_back, "Enter", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_outcome = {
	.title = N_("Assignment"),
	.enter = NULL,
	.draw = outcome_draw,
	.key = NULL,
	.keys = outcome_keys,
};
