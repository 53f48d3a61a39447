/* nomdesk init [--demo] */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "ssh/srv.h"

static void
print_demo(void *ctx, const char *login, const char *role, const char *unit,
	   const char *password, const char *name)
{
	int *first = ctx;

	if (*first) {
		printf("demo accounts:\n  %-14s  %-12s  %-16s  %-12s  %s\n",
		       "LOGIN", "ROLE", "UNIT", "PASSWORD", "NAME");
		*first = 0;
	}
	printf("  %-14s  %-12s  %-16s  %-12s  %s\n", login, role, unit,
	       password, name);
}

int
cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"demo", no_argument, NULL, 'D'},
		{NULL, 0, NULL, 0},
	};
	char err[512], path[PATH_MAX + 32];
	int demo = 0, first = 1, ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'D')
			return cli_fail("usage: nomdesk init [--demo]");
		demo = 1;
	}
	if (optind != argc)
		return cli_fail("init: unexpected argument '%s'", argv[optind]);
	if (core_init_dir(cli->data_dir, demo, print_demo, &first, err,
			  sizeof(err)) != 0)
		return cli_fail("init: %s", err);
	snprintf(path, sizeof(path), "%s/keys/ssh_host_ed25519_key",
		 cli->data_dir);
	if (srv_hostkey_create(path, err, sizeof(err)) != 0)
		return cli_fail("init: %s", err);
	printf("created %s\n", cli->data_dir);
	fflush(stdout);
	return 0;
}
