/*
 * stack: the open screens.  A screen that opens another stays beneath it
 * and comes back, entered again, when that one closes, so back always
 * returns to the screen that opened this one.  A screen is on the stack
 * at most once: opening one already open goes back to it (an act done, a
 * form saved, back on the nominee).  A transient screen (a prompt, an add
 * form) gives its place to the screen it opens.  Only this file writes
 * ui->cur.
 */
#include <assert.h>

#include "tui/ui.h"

/* The current screen stops being current, unless next is the same. */
static void
stack_leave(struct ui *ui, const struct tui_screen *next)
{
	if (ui->cur && ui->cur != next && ui->cur->leave) {
		ui->cur->leave(ui);
	}
}

/* The top of the stack becomes current and is entered. */
static void
stack_enter_top(struct ui *ui)
{
	ui->cur = ui->stack[ui->depth - 1];
	ui->help_for = NULL;
	if (ui->cur->enter) {
		ui->cur->enter(ui);
	}
}

void
ui_open(struct ui *ui, const struct tui_screen *s)
{
	int i;

	stack_leave(ui, s);
	if (ui->depth > 0 && ui->cur != s && ui->cur->transient) {
		ui->depth--; /* it led here; back skips it */
	}
	for (i = ui->depth - 1; i >= 0 && ui->stack[i] != s; i--) {
		;
	}
	if (i >= 0) {
		ui->depth = i + 1; /* already open: the ones above close */
	} else if (ui->depth < UI_STACK_MAX) {
		ui->stack[ui->depth++] = s;
	} else {
		/* every path through the screens is a few deep: a loop of
		 * opens is a bug no user can get out of */
		term_fatal("screen stack overflow");
	}
	stack_enter_top(ui);
}

void
ui_back(struct ui *ui)
{
	if (ui->depth < 2) {
		return;
	}
	stack_leave(ui, ui->stack[ui->depth - 2]);
	ui->depth--;
	stack_enter_top(ui);
}

void
ui_root(struct ui *ui, const struct tui_screen *const *path, int n)
{
	int i;

	assert(n >= 1 && n <= UI_STACK_MAX);
	stack_leave(ui, path[n - 1]);
	for (i = 0; i < n; i++) {
		ui->stack[i] = path[i];
	}
	ui->depth = n;
	stack_enter_top(ui);
}

void
ui_home(struct ui *ui)
{
	const struct tui_screen *home = &scr_home;

	ui_root(ui, &home, 1);
}

const struct tui_screen *
ui_opener(const struct ui *ui)
{
	return ui->depth >= 2 ? ui->stack[ui->depth - 2] : NULL;
}

