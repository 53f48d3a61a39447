/*
 * nomdesk unit list [--format text|csv|json]
 * nomdesk unit add CODE --name NAME --kind KIND --parent CODE [--as LOGIN]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

static const char *const unit_cols[] = {"code", "name", "kind", "parent"};
static const int unit_width[] = {18, 40, 11, 0};

static int
put_unit(void *ctx, const struct core_unit *u)
{
	const char *v[] = {u->code, u->name, u->kind, u->parent};

	cli_table_row(ctx, v);
	return 0;
}

static int
unit_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_table t = {
	    .cols = unit_cols, .width = unit_width, .n_cols = 4};
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'f') {
			return cli_fail("usage: nomdesk unit list [--format "
			                "text|csv|json]");
		}
		if (cli_format_parse(optarg, CLI_FORMATS_ALL, &t.fmt) != 0) {
			return 1;
		}
	}
	if (optind != argc) {
		return cli_fail("unit list: unexpected argument '%s'",
		                argv[optind]);
	}
	if (!(c = cli_open(cli))) {
		return 1;
	}
	if ((r = core_unit_list(c, put_unit, &t)) != 0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&t);
	}
	core_close(c);
	return r;
}

/* nomdesk unit add CODE --name NAME --kind KIND --parent CODE [--as LOGIN] */
static int
unit_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"kind", required_argument, NULL, 'k'},
	    {"parent", required_argument, NULL, 'p'},
	    {"as", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *name = NULL, *kind = "employer", *parent = NULL;
	const char *login = NULL;
	struct core_unit u;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'p':
			parent = optarg;
			break;
		case 'a':
			login = optarg;
			break;
		default:
			return cli_fail("usage: nomdesk unit add CODE --name "
			                "NAME --parent CODE [--kind KIND]");
		}
	}
	if (optind + 1 != argc || !name || !parent)
		return cli_fail("usage: nomdesk unit add CODE --name NAME "
		                "--parent CODE [--kind KIND]");
	memset(&u, 0, sizeof(u));
	snprintf(u.code, sizeof(u.code), "%s", argv[optind]);
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.kind, sizeof(u.kind), "%s", kind);
	snprintf(u.parent, sizeof(u.parent), "%s", parent);
	if (strlen(argv[optind]) >= sizeof(u.code))
		return cli_fail("unit add: code is too long");
	c = login ? cli_open_as(cli, login) : cli_open(cli);
	if (!c)
		return 1;
	if (!login)
		core_act_as_system(c, "console");
	r = core_unit_add(c, &u);
	if (r != 0)
		r = cli_fail_core(c, r);
	else
		printf("added unit %s\n", u.code);
	core_close(c);
	return r;
}

int
cmd_unit(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return unit_list(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return unit_add(cli, argc - 1, argv + 1);
	return cli_fail("usage: nomdesk unit list|add ...");
}
