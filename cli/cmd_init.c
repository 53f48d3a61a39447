/* nomdesk init [--demo] */
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

struct init_opts {
	int demo;
};

static const struct opt init_opts[] = {
	OPT_FLAG("demo", 0, struct init_opts, demo,
		 "also demo units and one account per role"),
	OPT_END(),
};

static int
init_run(struct cli_run *run)
{
	const struct init_opts *o = run->opts;
	const char *dir = run->cli->data_dir;
	char err[512], path[PATH_MAX + 32];
	int first = 1;

	if (core_init_dir(dir, o->demo, print_demo, &first, err,
			  sizeof(err)) != 0) {
		return cli_fail("init: %s", err);
	}
	snprintf(path, sizeof(path), "%s/keys/ssh_host_ed25519_key", dir);
	if (srv_hostkey_create(path, err, sizeof(err)) != 0) {
		return cli_fail("init: %s", err);
	}
	printf("created %s\n", dir);
	fflush(stdout);
	return 0;
}

const struct cli_cmd cli_cmd_init = {
	.name = "init",
	.opts = CLI_OPTS(init_opts, struct init_opts),
	.run = init_run,
	.help = "create the data directory",
};
