/*
 * nomdesk quota [--as LOGIN] [--format text|csv|json]
 * nomdesk quota check --holder CODE --category CAT [--justification TEXT]
 *                     [--as LOGIN]
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

static const char *const usage_cols[] = {
    "node",        "category", "category_name", "name",     "holder",
    "holder_name", "per_holder", "limit",       "uncapped", "count"};
static const enum cli_col_type usage_type[] = {
    CLI_COL_STR,  CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,  CLI_COL_STR,
    CLI_COL_STR,  CLI_COL_BOOL, CLI_COL_NUM, CLI_COL_BOOL, CLI_COL_NUM};

/* CSV and JSON: one row per usage row, the same keys in both. */
static void
put_usage_row(struct cli_table *t, const struct core_quota_usage *u)
{
	char limit[24] = "", count[24];
	const char *v[10];

	/* JSON: a number, or null where the node has no figure of its own
	 * (uncapped says which); CSV keeps the word, as it always has */
	if (u->uncapped && t->fmt == FMT_CSV) {
		snprintf(limit, sizeof(limit), "uncapped");
	} else if (!u->uncapped && u->limit >= 0) {
		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
	}
	snprintf(count, sizeof(count), "%" PRId64, u->count);
	v[0] = u->node;
	v[1] = u->category;
	v[2] = u->category_name;
	v[3] = u->name;
	v[4] = u->holder;
	v[5] = u->holder_name;
	v[6] = u->per_holder ? "1" : "0";
	v[7] = limit;
	v[8] = u->uncapped ? "1" : "0";
	v[9] = count;
	cli_table_row(t, v);
}

static int
put_usage(void *ctx, const struct core_quota_usage *u)
{
	struct cli_table *t = ctx;
	char limit[24], count[24];

	if (t->fmt != FMT_TEXT) {
		put_usage_row(t, u);
		return 0;
	}
	if (u->uncapped) {
		snprintf(limit, sizeof(limit), "uncapped");
	} else if (u->limit >= 0) {
		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
	} else {
		limit[0] = '\0';
	}
	snprintf(count, sizeof(count), "%" PRId64, u->count);
	if (!*u->node) {
		cli_put_fit(stdout, "(no quota node)", 30);
		printf(" ");
		cli_put_fit(stdout, u->category, 12);
	} else {
		printf("%*s", u->depth * 2, "");
		cli_put_fit(stdout, u->per_holder ? "  +" : u->node,
		            30 - u->depth * 2);
		printf(" ");
		cli_put_fit(stdout, u->category_name, 12);
	}
	printf(" ");
	cli_put_fit(stdout, *u->holder ? u->holder_name : u->name, 24);
	printf(" ");
	cli_put_fit(stdout, u->holder, 10);
	printf(" %8s %6s%s\n", u->per_holder ? "" : limit, count,
	       !*u->node ? "  (category or holder not in the round)"
	       : u->limit >= 0 && u->count > u->limit && u->enforce ? "  OVER"
	                                                            : "");
	return 0;
}

static int
quota_usage(struct cli_run *run)
{
	struct cli_table t = {.fmt = run->fmt,
			      .cols = usage_cols,
			      .type = usage_type,
			      .n_cols = 10};
	int rv;

	if (t.fmt == FMT_TEXT) {
		printf("%-30s %-12s %-24s %-10s %8s %6s\n", "node", "category",
		       "name / holder", "holder", "limit", "count");
	}
	if ((rv = core_quota_usage(run->c, put_usage, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, rv);
	}
	if (t.fmt != FMT_TEXT) {
		cli_table_end(&t);
	}
	return 0;
}

struct quota_check_opts {
	const char *holder, *category, *justification;
};

static const struct opt quota_check_opts[] = {
	OPT_STRING_REQ("holder", 0, struct quota_check_opts, holder, "CODE",
		       "the county or department reporting"),
	OPT_STRING_REQ("category", 0, struct quota_check_opts, category,
		       "CATEGORY", "the quota category"),
	OPT_STRING("justification", 0, struct quota_check_opts,
		   justification, "TEXT", "why an exceptional one is needed"),
	OPT_END(),
};

static int
quota_check(struct cli_run *run)
{
	const struct quota_check_opts *o = run->opts;
	struct core_quota_status q;
	int rv;

	if ((rv = core_quota_check(run->c, o->holder, o->category,
				   o->justification, 0)) != 0 ||
	    (rv = core_quota_get(run->c, o->holder, o->category, &q)) != 0) {
		return cli_fail_core(run->c, rv);
	}
	printf("ok: %s may report one more under %s (%s", o->holder,
	       q.category, q.node);
	if (q.uncapped) {
		printf(", uncapped");
	} else if (q.limit >= 0) {
		printf(", %" PRId64 " of %" PRId64 " used", q.leaf_count,
		       q.limit);
	} else {
		printf(", shares its parent's pool");
	}
	printf(")\n");
	return 0;
}

static const struct cli_cmd quota_check_cmd = {
	.name = "check",
	.opts = CLI_OPTS(quota_check_opts, struct quota_check_opts),
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.run = quota_check,
	.help = "may HOLDER report one more nominee under CATEGORY",
};

static const struct cli_cmd *const quota_cmds[] = {
	&quota_check_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_quota = {
	.name = "quota",
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.formats = CLI_FORMATS_ALL,
	.run = quota_usage,
	.sub = quota_cmds,
	.help = "quota usage by category and holder",
};
