/*
 * scr_home: who is signed in (name, role, unit, all stored text and so
 * sanitized when drawn) and the main menu.  Every item has a letter; the
 * arrows and Enter work too.
 */
#include <stdio.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

static int
act_list(struct ui *ui)
{
	ui->list.select_id = 0;
	ui_open(ui, &scr_list);
	return TUI_REDRAW;
}

static int
act_add(struct ui *ui)
{
	ui_open(ui, &scr_form);
	return TUI_REDRAW;
}

static int
act_quit(struct ui *ui)
{
	(void)ui;
	return TUI_QUIT;
}

static const struct {
	const char *key;
	const char *label;
	int (*fn)(struct ui *ui);
} menu[] = {
	{"l", N_("Nominee list"), act_list},
	{"a", N_("Add nominee"), act_add},
	{"p", N_("Expert panels and scoring"), panel_open},
	{"o", N_("Quota usage"), info_open_quota},
	{"r", N_("The round: dates, conditions, quotas"), info_open_round},
	{"s", N_("Counts by unit, category and state"), info_open_stats},
	{"?", N_("Help"), ui_help},
	{"q", N_("Quit"), act_quit},
};

#define MENU_N ((int)(sizeof(menu) / sizeof(menu[0])))

static int
act_up(struct ui *ui)
{
	ui->home_sel = (ui->home_sel + MENU_N - 1) % MENU_N;
	return TUI_REDRAW;
}

static int
act_down(struct ui *ui)
{
	ui->home_sel = (ui->home_sel + 1) % MENU_N;
	return TUI_REDRAW;
}

static int
act_enter(struct ui *ui)
{
	return menu[ui->home_sel].fn(ui);
}

static const struct tui_binding home_keys[] = {
	{VK_CHAR, 'l', act_list, "l", N_("open the nominee list"), N_("list")},
	{VK_CHAR, 'a', act_add, "a", N_("add a nominee"), N_("add")},
	{VK_CHAR, 'p', panel_open, "p",
	 N_("expert panels: declare, score, see results"), N_("panels")},
	{VK_CHAR, 'o', info_open_quota, "o", N_("quota usage per holder"),
	 NULL},
	{VK_CHAR, 'r', info_open_round, "r", N_("the round's rules and dates"),
	 NULL},
	{VK_CHAR, 's', info_open_stats, "s",
	 N_("counts by unit, category and state"), NULL},
	{VK_DOWN, 0, act_down, "j, Down", N_("next menu item"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous menu item"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_ENTER, 0, act_enter, "Enter", N_("open the selected item"),
	 N_("open")},
	{VK_CHAR, '?', ui_help, "?", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_quit, "q", N_("quit nomdesk"), N_("quit")},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

static void
home_enter(struct ui *ui)
{
	if (ui->home_sel < 0 || ui->home_sel >= MENU_N) {
		ui->home_sel = 0;
	}
}

static void
home_draw(struct ui *ui)
{
	const char *label[3] = {_("User"), _("Role"), _("Unit")};
	char who[CORE_NAME_SIZE + CORE_LOGIN_SIZE + 8];
	const char *value[3];
	int lw = 0, i, y = ui_body_top(ui) + 1, x = 2;
	int vx, vw;

	snprintf(who, sizeof(who), "%s (%s)", ui->me->name, ui->me->login);
	value[0] = who;
	value[1] = ui_role_label(ui->me->role);
	value[2] = ui->me->unit_name[0] ? ui->me->unit_name : ui->me->unit;
	for (i = 0; i < 3; i++) {
		int w = (int)text_width(label[i]);

		lw = w > lw ? w : lw;
	}
	vx = x + lw + 2;
	vw = ui->cols - vx - 1;
	for (i = 0; i < 3; i++, y++) {
		text_put(stdscr, y, x, lw, label[i], A_NORMAL);
		text_put(stdscr, y, vx, vw, value[i], A_BOLD);
	}
	y++;
	for (i = 0; i < MENU_N; i++, y++) {
		char line[256];
		attr_t a = i == ui->home_sel ? A_REVERSE : A_NORMAL;

		snprintf(line, sizeof(line), "%s %s  %s",
			 i == ui->home_sel ? ">" : " ", menu[i].key,
			 _(menu[i].label));
		text_draw(stdscr, y, x, ui->cols - x - 2, line, a);
	}
}

const struct tui_screen scr_home = {
	.title = N_("Home"),
	.enter = home_enter,
	.draw = home_draw,
	.key = NULL,
	.keys = home_keys,
};
