/*
 * scr_items: a nominee's dated items and materials checklist.
 * (Placeholder until the screen lands: says so on the message line.)
 */
#include "core/i18n.h"
#include "tui/ui.h"

int
items_open(struct ui *ui, int64_t id)
{
	(void)id;
	ui_msg(ui, 1, "%s", _("This screen is not available yet."));
	return TUI_REDRAW;
}

int
materials_open(struct ui *ui, int64_t id)
{
	return items_open(ui, id);
}

void
items_release(struct ui *ui)
{
	(void)ui;
}
