/* nomdesk unit list [--format text|csv] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static int
put_unit(void *ctx, const struct core_unit *u)
{
	const enum cli_format *fmt = ctx;
	char name[CORE_NAME_SIZE * 2], fit[CORE_NAME_SIZE * 2];
	size_t w;

	if (*fmt == FMT_CSV) {
		cli_put_csv(stdout, u->code, 0);
		cli_put_csv(stdout, u->name, 0);
		cli_put_csv(stdout, u->kind, 0);
		cli_put_csv(stdout, u->parent, 1);
		return 0;
	}
	utf8_sanitize(u->name, name, sizeof(name), 0);
	w = utf8_fit(name, 40, fit, sizeof(fit));
	printf("%-18s %s%*s %-11s %s\n", u->code, fit, (int)(40 - w), "",
	       u->kind, u->parent);
	return 0;
}

static int
unit_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = FMT_TEXT;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'f')
			return cli_fail("usage: nomdesk unit list [--format "
					"text|csv]");
		if (cli_parse_format(optarg, &fmt) != 0)
			return 1;
	}
	if (fmt == FMT_JSON)
		return cli_fail("unit list: --format must be text or csv");
	if (!(c = cli_open(cli)))
		return 1;
	if (fmt == FMT_CSV)
		printf("\xEF\xBB\xBF\"code\",\"name\",\"kind\",\"parent\"\r\n");
	r = core_unit_list(c, put_unit, &fmt);
	if (r != 0)
		r = cli_fail_core(c, r);
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
