/*
 * scr_panel_view: one panel as core shows it to its owners, city HR and
 * the auditor: its configuration (level, owner, rule, pass mark, quorum,
 * members, score sheet) and its result per assigned nominee (members
 * assigned and recused, sheets in of the quorum, mean total, votes at or
 * above the mark, outcome).  From a row, the submitted sheets.
 *
 * Also the committee's ranked list (core_panel_recommend): best mean
 * first, recommended within the round's target, a tie straddling the
 * target marked and left to the committee.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

int
pn_cur_load(struct ui *ui, int64_t panel_id)
{
	struct panel_ui *pn = pn_state(ui);
	char ref[32];
	int r;

	snprintf(ref, sizeof(ref), "%" PRId64, panel_id);
	if ((r = core_panel_get(ui->c, ref, &pn->cur)) != 0) {
		ui_core_error(ui, r);
		return r;
	}
	snprintf(pn->cur_ref, sizeof(pn->cur_ref), "%s", ref);
	return 0;
}

static int
page_rows(const struct ui *ui)
{
	return ui_body_bottom(ui) - ui_body_top(ui) - 6;
}

enum { R_ID, R_NAME, R_UNIT, R_STATE, R_ASSIGNED, R_RECUSED, R_SCORED,
       R_MEAN, R_YES, R_OUTCOME, R_NCOLS };

static const struct w_table_col result_cols[R_NCOLS] = {
	[R_ID] = {N_("No."), 2, 5},
	[R_NAME] = {N_("Name"), 4, 0},
	[R_UNIT] = {N_("Unit"), 4, 0},
	[R_STATE] = {N_("State"), 4, 10},
	[R_ASSIGNED] = {N_("Assigned"), 2, 8},
	[R_RECUSED] = {N_("Recused"), 2, 7},
	[R_SCORED] = {N_("Sheets"), 3, 7},
	[R_MEAN] = {N_("Mean"), 4, 7},
	[R_YES] = {N_("In favour"), 2, 9},
	[R_OUTCOME] = {N_("Outcome"), 4, 10},
};

static int
add_result(void *ctx, const struct core_panel_result *r)
{
	char id[24], as[16], rec[16], sc[32], mean[32], yes[16];
	const char *v[R_NCOLS];

	snprintf(id, sizeof(id), "%" PRId64, r->nominee_id);
	snprintf(as, sizeof(as), "%d", r->n_assigned);
	snprintf(rec, sizeof(rec), "%d", r->n_recused);
	snprintf(sc, sizeof(sc), "%d/%d", r->n_submitted, r->quorum);
	snprintf(yes, sizeof(yes), "%d", r->yes);
	if (r->n_submitted) {
		pn_x100(r->mean_x100, mean, sizeof(mean));
	} else {
		mean[0] = '\0';
	}
	v[R_ID] = id;
	v[R_NAME] = r->name;
	v[R_UNIT] = r->unit_name[0] ? r->unit_name : r->unit;
	v[R_STATE] = core_state_label(r->state);
	v[R_ASSIGNED] = as;
	v[R_RECUSED] = rec;
	v[R_SCORED] = sc;
	v[R_MEAN] = mean;
	v[R_YES] = yes;
	v[R_OUTCOME] = pn_outcome_label(r->outcome);
	pn_table_add(ctx, r->nominee_id, v, R_NCOLS);
	return 0;
}

static void
view_enter(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct pn_row *sel = pn_table_sel(&pn->results);
	int64_t id = sel ? sel->id : 0;
	int r;

	pn_table_clear(&pn->results);
	/* members may have changed since: read the panel again too */
	if (pn_cur_load(ui, pn->cur.id) != 0) {
		return;
	}
	if ((r = core_panel_result(ui->c, pn->cur_ref, add_result,
				   &pn->results)) != 0) {
		ui_core_error(ui, r);
	}
	if (id) {
		pn_table_select(&pn->results, id, 0);
	}
}

int
pn_view_open(struct ui *ui, int64_t panel_id)
{
	struct panel_ui *pn = pn_state(ui);
	int r;

	if ((r = pn_cur_load(ui, panel_id)) != 0) {
		return r;
	}
	pn_table_clear(&pn->results);
	pn->results.pos = (struct w_list){0, 0};
	ui_open(ui, &scr_pn_view);
	return 0;
}

static int
act_back(struct ui *ui)
{
	pn_state(ui)->select_id = pn_state(ui)->cur.id;
	ui_back(ui);
	return TUI_REDRAW;
}

static int
act_sheets(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	struct pn_row *row = pn_table_sel(&pn->results);

	if (!row) {
		ui_msg(ui, 1, "%s",
		       _("No nominee is assigned to this panel yet."));
		return TUI_REDRAW;
	}
	(void)pn_sheets_open(ui, pn->cur.id, row->id, row->cell[R_NAME]);
	return TUI_REDRAW;
}

static int
act_assign(struct ui *ui)
{
	return pn_pick_open(ui);
}

static int
act_member(struct ui *ui)
{
	return pn_member_open(ui);
}

static int
view_move(struct ui *ui, long delta)
{
	return pn_table_move(&pn_state(ui)->results, delta, page_rows(ui));
}

static int
view_down(struct ui *ui)
{
	return view_move(ui, 1);
}

static int
view_up(struct ui *ui)
{
	return view_move(ui, -1);
}

static int
view_reload(struct ui *ui)
{
	view_enter(ui);
	return TUI_REDRAW;
}

static void
view_draw(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	const struct core_panel *p = &pn->cur;
	char line[CORE_NAME_SIZE * 3], mark[16], sheet[1024];
	int y = ui_body_top(ui) + 1, w = ui->cols - 4;

	snprintf(line, sizeof(line), _("Panel %lld %s: %s, run by %s"),
		 (long long)p->id, p->name, pn_level_label(p->level),
		 p->owner_name[0] ? p->owner_name : p->owner_unit);
	text_put(stdscr, y++, 2, w, line, A_BOLD);
	pn_x10(p->threshold_x10, mark, sizeof(mark));
	snprintf(line, sizeof(line),
		 _("Rule: %s %s; quorum %d score sheets; %d members"),
		 pn_rule_label(p->rule), mark, p->quorum, p->n_members);
	text_put(stdscr, y++, 2, w, line, A_NORMAL);
	pn_sheet_label(p, sheet, sizeof(sheet));
	snprintf(line, sizeof(line), _("Score sheet: %s"), sheet);
	text_put(stdscr, y++, 2, w, line, A_NORMAL);
	pn_table_draw(ui, &pn->results, result_cols, R_NCOLS, y + 1,
		      ui_body_bottom(ui),
		      _("No nominee is assigned to this panel yet (a: "
			"assign one)."));
}

static const struct tui_binding view_keys[] = {
	{VK_ENTER, 0, act_sheets, "Enter, s",
	 N_("the selected nominee's score sheets and opinions"),
	 N_("sheets")},
	{VK_CHAR, 's', act_sheets, "s", NULL, NULL},
	{VK_CHAR, 'a', act_assign, "a", N_("assign a nominee to this panel"),
	 N_("assign")},
	{VK_CHAR, 'm', act_member, "m", N_("add an expert to this panel"),
	 N_("member")},
	{VK_DOWN, 0, view_down, "j, Down", N_("next nominee"), NULL},
	{VK_CHAR, 'j', view_down, "j", NULL, NULL},
	{VK_UP, 0, view_up, "k, Up", N_("previous nominee"), NULL},
	{VK_CHAR, 'k', view_up, "k", NULL, NULL},
	{VK_CHAR, 'r', view_reload, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back to the panels"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_view = {
	.title = N_("Expert panel"),
	.enter = view_enter,
	.draw = view_draw,
	.key = NULL,
	.keys = view_keys,
};

/* ---- the committee's ranked list ---- */

enum { K_RANK, K_REC, K_ID, K_NAME, K_UNIT, K_MEAN, K_YES, K_PANEL,
       K_NCOLS };

static const struct w_table_col ranked_cols[K_NCOLS] = {
	[K_RANK] = {N_("Rank"), 2, 4},
	[K_REC] = {N_("Recommended"), 2, 12},
	[K_ID] = {N_("No."), 2, 5},
	[K_NAME] = {N_("Name"), 4, 0},
	[K_UNIT] = {N_("Unit"), 4, 0},
	[K_MEAN] = {N_("Mean"), 4, 7},
	[K_YES] = {N_("In favour"), 2, 9},
	[K_PANEL] = {N_("Panel"), 4, 0},
};

static int
add_ranked(void *ctx, const struct core_recommend_row *row)
{
	char rank[16], id[24], mean[32], yes[16];
	const char *v[K_NCOLS];

	snprintf(rank, sizeof(rank), "%d", row->rank);
	snprintf(id, sizeof(id), "%" PRId64, row->r.nominee_id);
	pn_x100(row->r.mean_x100, mean, sizeof(mean));
	snprintf(yes, sizeof(yes), "%d", row->r.yes);
	v[K_RANK] = rank;
	v[K_REC] = row->recommended ? _("yes")
		   : row->tie	    ? _("tie: committee decides")
				    : _("no");
	v[K_ID] = id;
	v[K_NAME] = row->r.name;
	v[K_UNIT] = row->r.unit_name[0] ? row->r.unit_name : row->r.unit;
	v[K_MEAN] = mean;
	v[K_YES] = yes;
	v[K_PANEL] = row->panel;
	pn_table_add(ctx, row->r.nominee_id, v, K_NCOLS);
	return 0;
}

int
pn_ranked_open(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	size_t n_rec = 0;
	int target = 0, r;

	pn_table_clear(&pn->ranked);
	pn->ranked.pos = (struct w_list){0, 0};
	if ((r = core_panel_recommend(ui->c, add_ranked, &pn->ranked, &target,
				      &n_rec)) != 0) {
		pn_table_clear(&pn->ranked);
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	snprintf(pn->ranked_foot, sizeof(pn->ranked_foot),
		 _("%zu recommended of %d seats."), n_rec, target);
	ui_open(ui, &scr_pn_ranked);
	return TUI_REDRAW;
}

static int
ranked_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
ranked_down(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->ranked, 1, page_rows(ui));
}

static int
ranked_up(struct ui *ui)
{
	return pn_table_move(&pn_state(ui)->ranked, -1, page_rows(ui));
}

static void
ranked_draw(struct ui *ui)
{
	struct panel_ui *pn = pn_state(ui);
	int bottom = ui_body_bottom(ui);
	int y = pn_intro(ui, _("The city committee's ranked list: best mean "
			       "first. A tie across the last seat is left to "
			       "the committee."));

	text_put(stdscr, bottom, 2, ui->cols - 3, pn->ranked_foot, A_BOLD);
	pn_table_draw(ui, &pn->ranked, ranked_cols, K_NCOLS, y,
		      bottom - 2,
		      _("No nominee has passed the city committee yet."));
}

static const struct tui_binding ranked_keys[] = {
	{VK_DOWN, 0, ranked_down, "j, Down", N_("next nominee"), NULL},
	{VK_CHAR, 'j', ranked_down, "j", NULL, NULL},
	{VK_UP, 0, ranked_up, "k, Up", N_("previous nominee"), NULL},
	{VK_CHAR, 'k', ranked_up, "k", NULL, NULL},
	{VK_CHAR, 'r', pn_ranked_open, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', ranked_back, "q, Esc", N_("back to the panels"),
	 N_("back")},
	{VK_ESC, 0, ranked_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_ranked = {
	.title = N_("Ranked list"),
	.enter = NULL,
	.draw = ranked_draw,
	.key = NULL,
	.keys = ranked_keys,
};
