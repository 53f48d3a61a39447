/*
 * scr_panel: expert panels, declarations and scores.
 * (Placeholder until the screen lands: says so on the message line.)
 */
#include "core/i18n.h"
#include "tui/ui.h"

int
panel_open(struct ui *ui)
{
	ui_msg(ui, 1, "%s", _("This screen is not available yet."));
	return TUI_REDRAW;
}

void
panel_release(struct ui *ui)
{
	(void)ui;
}
