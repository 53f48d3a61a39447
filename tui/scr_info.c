/*
 * scr_info: quota usage, the round, and counts.
 * (Placeholder until the screens land: says so on the message line.)
 */
#include "core/i18n.h"
#include "tui/ui.h"

int
info_open_quota(struct ui *ui)
{
	ui_msg(ui, 1, "%s", _("This screen is not available yet."));
	return TUI_REDRAW;
}

int
info_open_round(struct ui *ui)
{
	return info_open_quota(ui);
}

int
info_open_stats(struct ui *ui)
{
	return info_open_quota(ui);
}

void
info_release(struct ui *ui)
{
	(void)ui;
}
