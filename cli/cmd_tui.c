/* nomdesk tui --as LOGIN: the curses UI on this terminal. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/core.h"
#include "tui/tui.h"

int
cmd_tui(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL;
	struct core *c;
	char err[512];
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'a')
			return cli_fail("usage: nomdesk tui --as LOGIN");
		login = optarg;
	}
	if (!(c = cli_open_as(cli, login)))
		return 1;
	core_i18n_init(core_actor(c)->lang);
	r = tui_run(c, err, sizeof(err));
	core_close(c);
	if (r != 0)
		return cli_fail("%s", err);
	return 0;
}
