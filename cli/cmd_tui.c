/* nomdesk tui --as LOGIN: the curses UI on this terminal. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/core.h"
#include "tui/tui.h"

static int
tui_run_cmd(struct cli_run *run)
{
	char err[512];

	core_i18n_init(core_actor(run->c)->lang);
	if (tui_run(run->c, err, sizeof(err)) != 0) {
		return cli_fail("%s", err);
	}
	return 0;
}

const struct cli_cmd cli_cmd_tui = {
	.name = "tui",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = tui_run_cmd,
	.help = "run the TUI on this terminal",
};
