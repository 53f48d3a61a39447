/*
 * scr_goto: open a nominee by its number.  core decides visibility: a
 * number the user may not see gets exactly the answer a missing one gets
 * ("no nominee N"), so the prompt cannot be used to probe other units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/ui.h"

static void
goto_enter(struct ui *ui)
{
	w_line_init(&ui->go.line, 18, 18);
	ui->go.err[0] = '\0';
}

static int
act_go(struct ui *ui)
{
	struct goto_state *g = &ui->go;
	char num[64];
	long long id;

	if (utf8_fold_width(g->line.buf, num, sizeof(num)) != 0 || !num[0] ||
	    strspn(num, "0123456789") != strlen(num)) {
		snprintf(g->err, sizeof(g->err), "%s",
			 _("type the nominee's number (digits only)"));
		return TUI_REDRAW;
	}
	id = strtoll(num, NULL, 10);
	if (detail_open(ui, (int64_t)id) != 0) {
		snprintf(g->err, sizeof(g->err), "%s", ui->msg);
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
goto_key(struct ui *ui, const struct tui_key *k)
{
	struct goto_state *g = &ui->go;

	if (k->vk == VK_CHAR) {
		uint32_t cp = k->ch;

		if (w_line_insert(&g->line, &cp, 1, g->err, sizeof(g->err)) ==
		    0) {
			g->err[0] = '\0';
		}
		return TUI_REDRAW;
	}
	return w_line_key(&g->line, k) ? TUI_REDRAW : TUI_KEEP;
}

static void
goto_draw(struct ui *ui)
{
	struct goto_state *g = &ui->go;
	const char *label = _("Nominee number");
	int y = ui_body_top(ui) + 1, lw = (int)text_width(label), cx;

	text_put(stdscr, y, 2, ui->cols - 3,
		 _("Open a nominee by number. Enter opens it; Esc goes back."),
		 A_NORMAL);
	y += 2;
	text_put(stdscr, y, 4, lw, label, A_BOLD);
	cx = w_line_draw(&g->line, stdscr, y, 4 + lw + 2, 20,
			 A_UNDERLINE | A_BOLD);
	ui->cursor_y = y;
	ui->cursor_x = 4 + lw + 2 + cx;
	if (g->err[0]) {
		char line[sizeof(g->err) + 4];

		snprintf(line, sizeof(line), "! %s", g->err);
		text_put(stdscr, y + 1, 4 + lw + 2, ui->cols - lw - 7, line,
			 ui_attr_error(ui));
	}
}

static const struct tui_binding goto_keys[] = {
	{VK_ENTER, 0, act_go, "Enter", N_("open the nominee"), N_("open")},
	{VK_ESC, 0, act_back, "Esc", N_("back to the list"), N_("back")},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_goto = {
	.title = N_("Go to nominee"),
	.enter = goto_enter,
	.draw = goto_draw,
	.key = goto_key,
	.keys = goto_keys,
	.transient = 1,
};
