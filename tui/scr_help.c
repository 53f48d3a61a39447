/*
 * scr_help: the keys of the screen it was opened from, straight from that
 * screen's key table (so help cannot drift from the bindings).  Drawn as
 * an overlay; any key returns.
 */
#include <stdio.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

static void
help_draw(struct ui *ui)
{
	const struct tui_screen *s = ui->help_for ? ui->help_for : ui->cur;
	const struct tui_binding *b;
	int y = ui_body_top(ui) + 1, last = ui_body_bottom(ui) - 2;
	int kw = 0, row = 0, n = 0, cut = 0;
	char title[256];

	snprintf(title, sizeof(title), _("Keys: %s"), _(s->title));
	text_put(stdscr, y, 2, ui->cols - 3, title, A_BOLD);
	y += 2;
	for (b = s->keys; b && b->vk != VK_NONE; b++) {
		int w = (int)text_width(b->keys);

		if (b->help) {
			n++;
			kw = w > kw ? w : kw;
		}
	}
	if (ui->help_top > n - 1) {
		ui->help_top = n > 0 ? n - 1 : 0;
	}
	for (b = s->keys; b && b->vk != VK_NONE; b++) {
		if (!b->help) {
			continue;
		}
		if (row++ < ui->help_top) {
			continue;
		}
		if (y > last) {
			cut = n - (row - 1); /* this one and those after it */
			break;
		}
		text_put(stdscr, y, 4, kw, b->keys, A_BOLD);
		text_put(stdscr, y, 4 + kw + 3, ui->cols - 8 - kw,
			 _(b->help), A_NORMAL);
		y++;
	}
	ui->help_more = cut;
	text_put(stdscr, ui_body_bottom(ui), 2, ui->cols - 3,
		 ui->help_more > 0
			 ? _("More below: j or Space to scroll; any other key "
			     "returns.")
			 : _("Press any key to return."),
		 A_NORMAL);
}

static const struct tui_binding help_keys[] = {
	{VK_CHAR, 'j', NULL, "j/Space", NULL, N_("scroll")},
	{VK_ESC, 0, NULL, "Esc", NULL, N_("back")},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_help = {
	.title = N_("Help"),
	.enter = NULL,
	.draw = help_draw,
	.key = NULL,
	.keys = help_keys,
};
