/*
 * scr_confirm: the step before an act is taken: what it is, on whom,
 * whether it carries the user's personal signature, and its reason, in a
 * box of several lines (Enter starts a new line; core's limit of 4000
 * applies).  The reason is required where core says so; elsewhere it is
 * an optional note, which core also reads as the justification when an
 * eligibility or quota rule needs one.  Ctrl-S (or F2) goes on: to the
 * signing step when the act is signed, else straight to core_act().
 * A pledge shows the wording being pledged (core_pledge_text(), whose
 * digest core attaches to the act) above the reason.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

#define PASTE_MAX (W_TEXT_SIZE - 1)

static const struct act_item *
chosen(const struct ui *ui)
{
	return &ui->act.item[ui->act.chosen];
}

/* Anything but spaces and line breaks. */
static int
has_text(const char *s)
{
	for (; *s; s++) {
		if (*s != ' ' && *s != '\n') {
			return 1;
		}
	}
	return 0;
}

static int
is_pledge(const struct act_item *it)
{
	return strcmp(it->action, "pledge") == 0 ||
	       strcmp(it->action, "pledge_paper") == 0;
}

/* Draws text of several lines wrapped at (y, x) in at most rows rows of
 * cols; returns the rows used. */
static int
put_text(const char *s, int y, int x, int rows, int cols, attr_t a)
{
	char buf[TEXT_LINE_SIZE], row[TEXT_LINE_SIZE];
	size_t len, i = 0;
	int r;

	text_sanitize_ml(s, buf, sizeof(buf));
	len = strlen(buf);
	for (r = 0; r < rows; r++) {
		size_t next, end = text_wrap_row(buf, len, i, (size_t)cols,
						 &next);

		memcpy(row, buf + i, end - i);
		row[end - i] = '\0';
		text_put(stdscr, y + r, x, cols, row, a);
		if (end >= len) {
			return r + 1;
		}
		i = next;
	}
	return rows;
}

static int
act_go(struct ui *ui)
{
	struct act_state *a = &ui->act;
	const struct act_item *it = chosen(ui);
	int unlocked = 0, enrolled;

	if (it->needs_reason && !has_text(a->reason.buf)) {
		snprintf(a->err, sizeof(a->err), "%s",
			 _("a reason is required for this action"));
		return TUI_REDRAW;
	}
	a->err[0] = '\0';
	if (!it->is_signed) {
		return act_commit(ui);
	}
	enrolled = core_key_enrolled(ui->c, &unlocked);
	if (enrolled < 0) {
		ui_core_error(ui, enrolled);
		return TUI_REDRAW;
	}
	if (enrolled && unlocked) {
		return act_commit(ui); /* unlocked for this session */
	}
	sign_wipe(ui);
	a->enroll = !enrolled;
	a->focus = 0;
	a->for_session = 0;
	a->sign_done = NULL;
	ui_open(ui, &scr_sign);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
confirm_key(struct ui *ui, const struct tui_key *k)
{
	struct act_state *a = &ui->act;

	if (k->vk == VK_CHAR) {
		static uint32_t cps[PASTE_MAX];
		size_t n, total;

		cps[0] = k->ch;
		n = 1 + term_read_burst(ui, cps + 1, PASTE_MAX - 1, &total);
		total += 1;
		if (total > n) {
			snprintf(a->err, sizeof(a->err),
				 _("pasted text too long (%zu characters); "
				   "nothing was inserted"),
				 total);
		} else if (w_text_insert(&a->reason, cps, n, a->err,
					 sizeof(a->err)) == 0) {
			a->err[0] = '\0';
		}
		return TUI_REDRAW;
	}
	return w_text_key(&a->reason, k) ? TUI_REDRAW : TUI_KEEP;
}

static void
confirm_draw(struct ui *ui)
{
	struct act_state *a = &ui->act;
	const struct act_item *it = chosen(ui);
	int y = ui_body_top(ui) + 1, bottom = ui_body_bottom(ui);
	int rows, cy = -1, cx = -1;
	char line[CORE_NAME_SIZE + 600];

	snprintf(line, sizeof(line), _("Action: %s"), it->label);
	text_put(stdscr, y++, 2, ui->cols - 4, line, A_BOLD);
	snprintf(line, sizeof(line), _("Nominee: No. %lld %s (%s)"),
		 (long long)a->id, a->who, core_state_label(a->state));
	text_put(stdscr, y++, 2, ui->cols - 4, line, A_NORMAL);
	if (it->is_signed) {
		text_put(stdscr, y, 2, ui->cols - 4,
			 _("This act carries your personal signature: your "
			   "signing passphrase is asked next."),
			 A_NORMAL);
	}
	y += 2;
	if (is_pledge(it)) {
		text_put(stdscr, y++, 2, ui->cols - 4,
			 _("The pledge (its wording is part of what is "
			   "signed):"),
			 A_NORMAL);
		y += put_text(core_pledge_text(), y, 4, 6, ui->cols - 8,
			      A_BOLD);
		y++;
	}
	text_put(stdscr, y++, 2, ui->cols - 4,
		 it->needs_reason
			 ? _("Reason (required; shown to those concerned and "
			     "kept in the record):")
			 : _("Note (optional; also the justification where a "
			     "rule needs one):"),
		 A_NORMAL);
	rows = bottom - y - 2;
	rows = rows > 10 ? 10 : rows < 2 ? 2 : rows;
	w_text_draw(&a->reason, stdscr, y, 4, rows, ui->cols - 8,
		    A_UNDERLINE | A_BOLD, 1, &cy, &cx);
	ui->cursor_y = cy;
	ui->cursor_x = cx;
	y += rows;
	if (a->err[0]) {
		snprintf(line, sizeof(line), "! %s", a->err);
		text_put(stdscr, y, 4, ui->cols - 6, line, ui_attr_error(ui));
	}
	text_put(stdscr, bottom, 2, ui->cols - 4,
		 _("Ctrl-S or F2: go on.  Enter: new line.  Esc: back."),
		 A_NORMAL);
}

static const struct tui_binding confirm_keys[] = {
	{VK_CTRL, 's', act_go, "Ctrl-S, F2", N_("go on with the action"),
	 N_("go on")},
	{VK_F2, 0, act_go, "F2", NULL, NULL},
	{VK_ESC, 0, act_back, "Esc", N_("back to the actions"), N_("back")},
	{VK_ENTER, 0, NULL, "Enter", N_("a new line in the reason"), NULL},
	{VK_LEFT, 0, NULL, "arrows", N_("move in the reason"), NULL},
	{VK_HOME, 0, NULL, "Home, Ctrl-A", N_("start of the row"), NULL},
	{VK_END, 0, NULL, "End, Ctrl-E", N_("end of the row"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the reason"), NULL},
	{VK_CTRL, 'k', NULL, "Ctrl-K", N_("erase to the end of the line"),
	 NULL},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_confirm = {
	.title = N_("Confirm action"),
	.enter = NULL,
	.draw = confirm_draw,
	.key = confirm_key,
	.keys = confirm_keys,
};
