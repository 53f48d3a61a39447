/*
 * scr_pick: the value picker of a field with a closed set of values
 * (gender, degree, title level...), drawn over the dossier form next to
 * the field.  Digits, arrows with Enter or Space choose; Esc keeps the
 * field as it was.  The form's state is untouched until a value is
 * chosen (edit_choose), so a hang-up here keeps the form's draft.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

static const char *const *
choices(struct ui *ui)
{
	return ui->edit.f[ui->edit.cur].choices;
}

static void
frame(int y, int x, int h, int w)
{
	char line[256];
	int r;

	if (w < 2 || w >= (int)sizeof(line)) {
		return;
	}
	memset(line, '-', (size_t)w);
	line[0] = line[w - 1] = '+';
	line[w] = '\0';
	text_draw(stdscr, y, x, w, line, A_BOLD);
	text_draw(stdscr, y + h - 1, x, w, line, A_BOLD);
	for (r = 1; r < h - 1; r++) {
		text_draw(stdscr, y + r, x, 1, "|", A_BOLD);
		text_draw(stdscr, y + r, x + w - 1, 1, "|", A_BOLD);
	}
}

static void
pick_draw(struct ui *ui)
{
	struct edit_state *e = &ui->edit;
	const char *const *v = choices(ui);
	int n = (int)e->pick.n, w, h, y, x;

	scr_edit.draw(ui);
	ui->cursor_y = ui->cursor_x = -1;
	if (!v) {
		return;
	}
	w = w_menu_width(v, e->pick.n, 1) + 4;
	h = n + 2;
	x = e->box_x;
	y = e->box_y + 1;
	if (x + w > ui->cols - 1) {
		x = ui->cols - 1 - w;
	}
	if (y + h - 1 > ui_body_bottom(ui)) {
		y = e->box_y - h; /* above the field */
	}
	if (y < ui_body_top(ui)) {
		y = ui_body_top(ui);
	}
	frame(y, x, h, w);
	w_menu_draw(&e->pick, stdscr, y + 1, x + 1, n, w - 2, v, 1);
}

static int
choose(struct ui *ui, size_t i)
{
	const char *const *v = choices(ui);

	if (v && i < ui->edit.pick.n) {
		edit_choose(ui, v[i]);
	}
	ui_back(ui);
	return TUI_REDRAW;
}

static int
act_choose(struct ui *ui)
{
	return choose(ui, ui->edit.pick.pos.sel);
}

static int
act_down(struct ui *ui)
{
	w_menu_move(&ui->edit.pick, 1);
	return TUI_REDRAW;
}

static int
act_up(struct ui *ui)
{
	w_menu_move(&ui->edit.pick, -1);
	return TUI_REDRAW;
}

static int
act_cancel(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
pick_key(struct ui *ui, const struct tui_key *k)
{
	if (k->vk == VK_CHAR && k->ch >= '1' && k->ch <= '9') {
		size_t i = k->ch - '1';

		if (i < ui->edit.pick.n) {
			return choose(ui, i);
		}
	}
	return TUI_KEEP;
}

static const struct tui_binding pick_keys[] = {
	{VK_ENTER, 0, act_choose, "Enter, Space", N_("take this value"),
	 N_("take")},
	{VK_CHAR, ' ', act_choose, "Space", NULL, NULL},
	{VK_CHAR, '1', NULL, "1-9", N_("take value number 1-9"), NULL},
	{VK_DOWN, 0, act_down, "j, Down", N_("next value"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_TAB, 0, act_down, "Tab", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous value"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_ESC, 0, act_cancel, "Esc, q", N_("keep the field as it was"),
	 N_("cancel")},
	{VK_CHAR, 'q', act_cancel, "q", NULL, NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pick = {
	.title = N_("Choose a value"),
	.enter = NULL,
	.draw = pick_draw,
	.key = pick_key,
	.keys = pick_keys,
};
