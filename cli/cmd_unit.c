/*
 * nomdesk unit list|add: the units and their reporting lines.
 */
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
unit_list(struct cli_run *run)
{
	struct cli_table t = {.fmt = run->fmt,
			      .cols = unit_cols,
			      .width = unit_width,
			      .n_cols = 4};
	int r;

	if ((r = core_unit_list(run->c, put_unit, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&t);
	return 0;
}

struct unit_add_opts {
	const char *name, *kind, *parent;
};

static const struct opt unit_add_opts[] = {
	OPT_STRING_REQ("name", 0, struct unit_add_opts, name, "NAME",
		       "the unit's name"),
	OPT_STRING_REQ("parent", 0, struct unit_add_opts, parent, "CODE",
		       "the unit it reports to"),
	OPT_STRING("kind", 0, struct unit_add_opts, kind, "KIND",
		   "employer (the default), county, department, ..."),
	OPT_END(),
};

/* Without --as the console operator adds it. */
static int
unit_add(struct cli_run *run)
{
	const struct unit_add_opts *o = run->opts;
	const char *code = run->argv[0];
	struct core_unit u;
	int r;

	if (strlen(code) >= sizeof(u.code)) {
		return cli_fail("unit add: code is too long");
	}
	memset(&u, 0, sizeof(u));
	snprintf(u.code, sizeof(u.code), "%s", code);
	snprintf(u.name, sizeof(u.name), "%s", o->name);
	snprintf(u.kind, sizeof(u.kind), "%s", o->kind ? o->kind : "employer");
	snprintf(u.parent, sizeof(u.parent), "%s", o->parent);
	if (!run->as) {
		core_act_as_system(run->c, "console");
	}
	if ((r = core_unit_add(run->c, &u)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("added unit %s\n", u.code);
	return 0;
}

static const struct cli_cmd unit_list_cmd = {
	.name = "list",
	.flags = CLI_NEEDS_DATA,
	.formats = CLI_FORMATS_ALL,
	.run = unit_list,
	.help = "list units: code, name, kind, parent",
};

static const struct cli_cmd unit_add_cmd = {
	.name = "add",
	.operands = "CODE",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(unit_add_opts, struct unit_add_opts),
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS,
	.run = unit_add,
	.help = "add a unit under its reporting line",
};

static const struct cli_cmd *const unit_cmds[] = {
	&unit_list_cmd,
	&unit_add_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_unit = {.name = "unit", .sub = unit_cmds};
