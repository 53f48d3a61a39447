/*
 * tui: tui_run() and the main loop.  Reads a key, finds it in the current
 * screen's key table (or hands it to the screen), acts on the reaction
 * flags, and draws the frame around the screen's body: the title bar, the
 * message line and the key hints.
 *
 * Invariants: below 80x24 only the "too small" line is drawn and only
 * 'q' is accepted; a hang-up ends the loop without touching the tty; the
 * help screen is an overlay that any key dismisses.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/tui.h"
#include "tui/ui.h"

attr_t
ui_attr_title(const struct ui *ui)
{
	/* white on blue where there is colour; reverse video where not */
	return ui->colors ? (A_BOLD | COLOR_PAIR(1)) : A_REVERSE;
}

attr_t
ui_attr_error(const struct ui *ui)
{
	return ui->colors ? (A_BOLD | COLOR_PAIR(2)) : A_BOLD;
}

int
ui_body_top(const struct ui *ui)
{
	(void)ui;
	return 1;
}

int
ui_body_bottom(const struct ui *ui)
{
	return ui->rows - 3;
}

void
ui_msg(struct ui *ui, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_err = is_err;
}

void
ui_switch(struct ui *ui, const struct tui_screen *s)
{
	ui->cur = s;
	ui->help_for = NULL;
	if (s->enter) {
		s->enter(ui);
	}
}

int
ui_help(struct ui *ui)
{
	ui->help_for = ui->cur;
	return TUI_REDRAW;
}

static void
draw_title(struct ui *ui)
{
	const char *app = _("Datong academic and technical leaders selection");
	const char *where = ui->help_for ? _("Help") : _(ui->cur->title);
	char right[CORE_NAME_SIZE + 64];
	int rw;

	snprintf(right, sizeof(right), "%s | %s ", where,
		 ui->me ? ui->me->name : "");
	rw = (int)text_width(right);
	if (rw > ui->cols / 2) {
		rw = ui->cols / 2;
	}
	text_draw(stdscr, 0, 0, ui->cols, "", ui_attr_title(ui));
	text_put(stdscr, 0, 1, ui->cols - rw - 2, app, ui_attr_title(ui));
	text_put(stdscr, 0, ui->cols - rw, rw, right, ui_attr_title(ui));
}

/* The bottom line: "key label" pairs from the screen's table. */
static void
draw_hints(struct ui *ui, const struct tui_binding *b)
{
	int x = 1, y = ui->rows - 1;

	text_draw(stdscr, y, 0, ui->cols, "", A_NORMAL);
	for (; b && b->vk != VK_NONE; b++) {
		const char *label;
		int kw, lw;

		if (!b->hint) {
			continue;
		}
		label = _(b->hint);
		kw = (int)text_width(b->keys);
		lw = (int)text_width(label);
		if (x + kw + 1 + lw >= ui->cols) {
			break;
		}
		text_put(stdscr, y, x, kw, b->keys, A_REVERSE);
		text_put(stdscr, y, x + kw + 1, lw, label, A_NORMAL);
		x += kw + 1 + lw + 2;
	}
}

static void
draw_msg(struct ui *ui)
{
	attr_t a = ui->msg_err ? ui_attr_error(ui) : A_BOLD;
	char line[sizeof(ui->msg) + 8];

	if (ui->msg[0] && ui->msg_err) {
		snprintf(line, sizeof(line), "! %s", ui->msg);
	} else {
		snprintf(line, sizeof(line), "%s", ui->msg);
	}
	text_draw(stdscr, ui->rows - 2, 0, ui->cols, "", A_NORMAL);
	if (line[0]) {
		text_put(stdscr, ui->rows - 2, 1, ui->cols - 2, line, a);
	}
}

static void
draw_too_small(struct ui *ui)
{
	const char *msg = _("Terminal too small: need at least 80x24");

	werase(stdscr);
	/* keep the "80x24" part visible however narrow it gets */
	if ((int)text_width(msg) > ui->cols) {
		msg = "80x24";
	}
	text_put(stdscr, 0, 0, ui->cols, msg, A_BOLD);
}

static void
draw(struct ui *ui)
{
	ui->cursor_y = ui->cursor_x = -1;
	werase(stdscr);
	if (ui->too_small) {
		draw_too_small(ui);
	} else {
		draw_title(ui);
		if (ui->help_for) {
			scr_help.draw(ui);
		} else {
			ui->cur->draw(ui);
		}
		draw_msg(ui);
		draw_hints(ui, ui->help_for ? scr_help.keys : ui->cur->keys);
	}
	if (ui->cursor_ok) {
		curs_set(ui->cursor_y >= 0 ? 1 : 0);
	}
	if (ui->cursor_y >= 0) {
		wmove(stdscr, ui->cursor_y, ui->cursor_x);
	} else {
		wmove(stdscr, ui->rows - 1, 0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int
key_matches(const struct tui_binding *b, const struct tui_key *k)
{
	if (b->vk != k->vk) {
		return 0;
	}
	return (k->vk != VK_CHAR && k->vk != VK_CTRL) || b->ch == k->ch;
}

static int
dispatch(struct ui *ui, const struct tui_key *k)
{
	const struct tui_binding *b;

	for (b = ui->cur->keys; b && b->vk != VK_NONE; b++) {
		if (b->fn && key_matches(b, k)) {
			return b->fn(ui);
		}
	}
	return ui->cur->key ? ui->cur->key(ui, k) : TUI_KEEP;
}

static int
loop(struct ui *ui)
{
	int flags = TUI_REDRAW;

	for (;;) {
		struct tui_key k;

		if (flags & TUI_QUIT) {
			return 0;
		}
		if (flags & TUI_REDRAW) {
			draw(ui);
		}
		term_read_key(ui, &k);
		flags = TUI_KEEP;
		if (k.vk == VK_HUP) {
			return -1;
		}
		if (k.vk == VK_RESIZE) {
			term_layout(ui);
			flags = TUI_REDRAW;
			continue;
		}
		if (k.vk == VK_CTRL && k.ch == 'l') {
			clearok(curscr, TRUE);
			flags = TUI_REDRAW;
			continue;
		}
		if (ui->too_small) {
			if (k.vk == VK_CHAR && (k.ch == 'q' || k.ch == 'Q')) {
				flags = TUI_QUIT;
			}
			continue;
		}
		if (ui->help_for) {
			ui->help_for = NULL;
			flags = TUI_REDRAW;
			continue;
		}
		ui->msg[0] = '\0';
		flags = dispatch(ui, &k) | TUI_REDRAW;
	}
}

static void
ui_release(struct ui *ui)
{
	size_t i, c;

	for (i = 0; i < ui->list.n_rows; i++) {
		for (c = 0; c < LIST_NCOLS; c++) {
			free(ui->list.rows[i].cell[c]);
		}
	}
	free(ui->list.rows);
	memset(&ui->list, 0, sizeof(ui->list));
}

int
tui_run(struct core *c, char *err, size_t errlen)
{
	static struct ui ui; /* one per process; big, so not on the stack */
	int r;

	memset(&ui, 0, sizeof(ui));
	ui.c = c;
	ui.me = core_actor(c);
	if (!ui.me) {
		snprintf(err, errlen, "no user to run the interface as");
		return -1;
	}
	if (term_locale(err, errlen) != 0) {
		return -1;
	}
	core_i18n_init(ui.me->lang);
	if (term_open(&ui, err, errlen) != 0) {
		return -1;
	}
	ui_switch(&ui, &scr_home);
	r = loop(&ui);
	term_close(&ui, ui.hung_up);
	ui_release(&ui);
	if (r != 0) {
		if (ui.hung_up) {
			snprintf(err, errlen, "the terminal hung up");
		} else if (ui.stop_signal == SIGINT) {
			return 0; /* Ctrl-C: the user left */
		} else {
			snprintf(err, errlen, "stopped by signal %d",
				 ui.stop_signal);
		}
		return -1;
	}
	return 0;
}
