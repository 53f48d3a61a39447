/*
 * scr_info: three read-only screens of the home menu: quota usage per
 * holder and category (o), the round's rules, dates, conditions, quotas
 * and the notice's own inconsistencies (r), and counts of nominees by
 * unit, category and state (s).  What each role sees is core's answer;
 * a refusal is shown in the body and on the message line.
 *
 * The state (ui->info) is allocated on the first open and freed by
 * info_release; one document at a time, rebuilt on entering a screen
 * and on r (reload).  The keys are the list's and the detail's:
 * j/k/arrows, Space/PgDn, b/PgUp, Home, G/End, ? help, q/Esc home.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/info.h"
#include "tui/text.h"

static struct info_ui *
info_get(struct ui *ui)
{
	if (!ui->info) {
		ui->info = calloc(1, sizeof(*ui->info));
		if (!ui->info) {
			term_fatal("out of memory");
		}
	}
	return ui->info;
}

static int
info_open(struct ui *ui, const struct tui_screen *s)
{
	info_get(ui)->doc.top = 0;
	ui_open(ui, s);
	return TUI_REDRAW;
}

int
info_open_quota(struct ui *ui)
{
	return info_open(ui, &scr_info_quota);
}

int
info_open_round(struct ui *ui)
{
	return info_open(ui, &scr_info_round);
}

int
info_open_stats(struct ui *ui)
{
	return info_open(ui, &scr_info_stats);
}

void
info_release(struct ui *ui)
{
	if (!ui->info) {
		return;
	}
	info_doc_clear(&ui->info->doc);
	free(ui->info);
	ui->info = NULL;
}

static void
info_draw(struct ui *ui)
{
	info_doc_draw(ui, &info_get(ui)->doc);
}

static void
quota_enter(struct ui *ui)
{
	info_quota_build(ui);
}

static void
round_enter(struct ui *ui)
{
	info_round_build(ui);
}

static void
stats_enter(struct ui *ui)
{
	info_stats_build(ui);
}

/* Keeps the document of the screen left from holding memory. */
static void
info_leave(struct ui *ui)
{
	if (ui->info) {
		info_doc_clear(&ui->info->doc);
	}
}

static int
act_down(struct ui *ui)
{
	return info_doc_scroll(ui, &ui->info->doc, 1);
}

static int
act_up(struct ui *ui)
{
	return info_doc_scroll(ui, &ui->info->doc, -1);
}

static int
act_pgdn(struct ui *ui)
{
	return info_doc_scroll(ui, &ui->info->doc, info_doc_page(ui) - 1);
}

static int
act_pgup(struct ui *ui)
{
	return info_doc_scroll(ui, &ui->info->doc, -(info_doc_page(ui) - 1));
}

static int
act_top(struct ui *ui)
{
	ui->info->doc.top = 0;
	return TUI_REDRAW;
}

static int
act_bottom(struct ui *ui)
{
	return info_doc_scroll(ui, &ui->info->doc, ui->info->doc.n_rows);
}

static int
act_reload(struct ui *ui)
{
	/* the enter hook rebuilds; the scroll position stays */
	ui->cur->enter(ui);
	if (!ui->msg[0]) {
		ui_msg(ui, 0, "%s", _("Reloaded."));
	}
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
act_mine(struct ui *ui)
{
	ui->info->mine_only = !ui->info->mine_only;
	ui->info->doc.top = 0;
	info_quota_build(ui);
	return TUI_REDRAW;
}

static int
act_conditions(struct ui *ui)
{
	return info_doc_jump(ui, &ui->info->doc, INFO_ANCHOR_CONDITIONS);
}

static int
act_quotas(struct ui *ui)
{
	return info_doc_jump(ui, &ui->info->doc, INFO_ANCHOR_QUOTAS);
}

static int
act_findings(struct ui *ui)
{
	return info_doc_jump(ui, &ui->info->doc, INFO_ANCHOR_FINDINGS);
}

/*
 * The keys every info screen shares come first in each table; the help
 * screen lists a table in order.
 */
static const struct tui_binding quota_keys[] = {
    {VK_CHAR, 'm', act_mine, "m",
     N_("only your unit's rows, or all holders again"), N_("mine/all")},
    {VK_DOWN, 0, act_down, "j, Down", N_("scroll down a row"), NULL},
    {VK_CHAR, 'j', act_down, "j", NULL, NULL},
    {VK_UP, 0, act_up, "k, Up", N_("scroll up a row"), NULL},
    {VK_CHAR, 'k', act_up, "k", NULL, NULL},
    {VK_CHAR, 'j', NULL, "j/k", NULL, N_("scroll")},
    {VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
    {VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
    {VK_CTRL, 'f', act_pgdn, "Ctrl-F", NULL, NULL},
    {VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
    {VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
    {VK_CTRL, 'b', act_pgup, "Ctrl-B", NULL, NULL},
    {VK_HOME, 0, act_top, "Home", N_("to the top"), NULL},
    {VK_END, 0, act_bottom, "G, End", N_("to the bottom"), NULL},
    {VK_CHAR, 'G', act_bottom, "G", NULL, NULL},
    {VK_CHAR, 'r', act_reload, "r", N_("reload"), N_("reload")},
    {VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
     N_("help")},
    {VK_F1, 0, ui_help, "F1", NULL, NULL},
    {VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
    {VK_CHAR, 'q', act_back, "q, Esc", N_("back to the home screen"),
     N_("back")},
    {VK_ESC, 0, act_back, "Esc", NULL, NULL},
    {VK_NONE, 0, NULL, NULL, NULL, NULL},
};

static const struct tui_binding round_keys[] = {
    {VK_CHAR, 'c', act_conditions, "c", N_("jump to the qualifying conditions"),
     N_("conditions")},
    {VK_CHAR, 'o', act_quotas, "o", N_("jump to the quotas and holders"),
     N_("quotas")},
    {VK_CHAR, 'i', act_findings, "i",
     N_("jump to the notice's own inconsistencies"), N_("inconsistencies")},
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
    {VK_CHAR, 'r', act_reload, "r", N_("reload"), NULL},
    {VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
     N_("help")},
    {VK_F1, 0, ui_help, "F1", NULL, NULL},
    {VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
    {VK_CHAR, 'q', act_back, "q, Esc", N_("back to the home screen"),
     N_("back")},
    {VK_ESC, 0, act_back, "Esc", NULL, NULL},
    {VK_NONE, 0, NULL, NULL, NULL, NULL},
};

static const struct tui_binding stats_keys[] = {
    {VK_DOWN, 0, act_down, "j, Down", N_("scroll down a row"), NULL},
    {VK_CHAR, 'j', act_down, "j", NULL, NULL},
    {VK_UP, 0, act_up, "k, Up", N_("scroll up a row"), NULL},
    {VK_CHAR, 'k', act_up, "k", NULL, NULL},
    {VK_CHAR, 'j', NULL, "j/k", NULL, N_("scroll")},
    {VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
    {VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
    {VK_CTRL, 'f', act_pgdn, "Ctrl-F", NULL, NULL},
    {VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
    {VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
    {VK_CTRL, 'b', act_pgup, "Ctrl-B", NULL, NULL},
    {VK_HOME, 0, act_top, "Home", N_("to the top"), NULL},
    {VK_END, 0, act_bottom, "G, End", N_("to the bottom"), NULL},
    {VK_CHAR, 'G', act_bottom, "G", NULL, NULL},
    {VK_CHAR, 'r', act_reload, "r", N_("reload"), N_("reload")},
    {VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
     N_("help")},
    {VK_F1, 0, ui_help, "F1", NULL, NULL},
    {VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
    {VK_CHAR, 'q', act_back, "q, Esc", N_("back to the home screen"),
     N_("back")},
    {VK_ESC, 0, act_back, "Esc", NULL, NULL},
    {VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_info_quota = {
    .title = N_("Quota usage"),
    .enter = quota_enter,
    .leave = info_leave,
    .draw = info_draw,
    .key = NULL,
    .keys = quota_keys,
};

const struct tui_screen scr_info_round = {
    .title = N_("The round"),
    .enter = round_enter,
    .leave = info_leave,
    .draw = info_draw,
    .key = NULL,
    .keys = round_keys,
};

const struct tui_screen scr_info_stats = {
    .title = N_("Counts"),
    .enter = stats_enter,
    .leave = info_leave,
    .draw = info_draw,
    .key = NULL,
    .keys = stats_keys,
};
