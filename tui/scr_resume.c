/*
 * scr_resume: shown at login when the user has a draft (a form kept when
 * the last session dropped or timed out): resume it, drop it, or decide
 * later (it stays and is offered again at the next login).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

static int
act_yes(struct ui *ui)
{
	return draft_resume(ui);
}

static int
act_no(struct ui *ui)
{
	draft_drop(ui);
	free(ui->resume.text);
	ui->resume.text = NULL;
	ui_home(ui);
	ui_msg(ui, 0, "%s", _("The draft was dropped."));
	return TUI_REDRAW;
}

static int
act_later(struct ui *ui)
{
	/* kept, and not touched by this session unless replaced */
	ui->draft_exists = 0;
	free(ui->resume.text);
	ui->resume.text = NULL;
	ui_home(ui);
	ui_msg(ui, 0, "%s",
	       _("The draft is kept; it is offered again at your next "
		 "login."));
	return TUI_REDRAW;
}

static void
resume_draw(struct ui *ui)
{
	static const char *const keys[] = {"y, Enter", "n", "Esc"};
	const char *what[3] = {_("resume it and go on typing"),
			       _("drop it"),
			       _("decide later (it is kept)")};
	int y = ui_body_top(ui) + 2, i;

	text_put(stdscr, y, 4, ui->cols - 6,
		 _("Resume the form you had not saved?"), A_BOLD);
	y += 2;
	text_put(stdscr, y, 4, ui->cols - 6, ui->resume.what, A_NORMAL);
	y += 2;
	for (i = 0; i < 3; i++, y++) {
		text_put(stdscr, y, 6, 10, keys[i], A_BOLD);
		text_put(stdscr, y, 17, ui->cols - 19, what[i], A_NORMAL);
	}
}

static const struct tui_binding resume_keys[] = {
	{VK_CHAR, 'y', act_yes, "y, Enter", N_("resume the form"),
	 N_("resume")},
	{VK_ENTER, 0, act_yes, "Enter", NULL, NULL},
	{VK_CHAR, 'n', act_no, "n", N_("drop the draft"), N_("drop")},
	{VK_ESC, 0, act_later, "Esc", N_("decide later (the draft is kept)"),
	 N_("later")},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_resume = {
	.title = N_("Unsaved form"),
	.enter = NULL,
	.draw = resume_draw,
	.key = NULL,
	.keys = resume_keys,
};
