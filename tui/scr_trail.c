/*
 * scr_trail: the accountability trail of one nominee.
 * (Placeholder until the screen lands: says so on the message line.)
 */
#include "core/i18n.h"
#include "tui/ui.h"

int
trail_open(struct ui *ui, int64_t id)
{
	(void)id;
	ui_msg(ui, 1, "%s", _("This screen is not available yet."));
	return TUI_REDRAW;
}

void
trail_release(struct ui *ui)
{
	(void)ui;
}
