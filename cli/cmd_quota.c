/*
 * nomdesk quota [--as LOGIN] [--format text|csv|json]
 * nomdesk quota check --holder CODE --category CAT [--justification TEXT]
 *                     [--as LOGIN]
 */
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"

static struct core *
open_quota(struct cli *cli, const char *login)
{
	struct passwd *pw = getpwuid(getuid());
	struct core *c = login ? cli_open_as(cli, login) : cli_open(cli);

	if (c && !login)
		core_act_as_system(c, pw ? pw->pw_name : "?");
	return c;
}

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
	if (u->uncapped && t->fmt == FMT_CSV)
		snprintf(limit, sizeof(limit), "uncapped");
	else if (!u->uncapped && u->limit >= 0)
		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
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
	if (u->uncapped)
		snprintf(limit, sizeof(limit), "uncapped");
	else if (u->limit >= 0)
		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
	else
		limit[0] = '\0';
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
quota_usage(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_table t = {.cols = usage_cols,
	                      .type = usage_type,
	                      .n_cols = 10};
	const char *login = NULL;
	struct core *c;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f' &&
		         cli_format_parse(optarg, CLI_FORMATS_ALL, &t.fmt) != 0)
			return 1;
		else if (ch != 'f')
			return cli_fail("usage: nomdesk quota [--as LOGIN] "
			                "[--format text|csv|json]");
	}
	if (optind != argc)
		return cli_fail("quota: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = open_quota(cli, login)))
		return 1;
	if (t.fmt == FMT_TEXT)
		printf("%-30s %-12s %-24s %-10s %8s %6s\n", "node", "category",
		       "name / holder", "holder", "limit", "count");
	rv = core_quota_usage(c, put_usage, &t);
	if (rv != 0) {
		cli_table_drop(&t);
		rv = cli_fail_core(c, rv);
	} else if (t.fmt != FMT_TEXT) {
		cli_table_end(&t);
	}
	core_close(c);
	return rv;
}

static int
quota_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"holder", required_argument, NULL, 'h'},
	    {"category", required_argument, NULL, 'c'},
	    {"justification", required_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *login = NULL, *holder = NULL, *category = NULL,
	           *just = NULL;
	struct core_quota_status q;
	struct core *c;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'h':
			holder = optarg;
			break;
		case 'c':
			category = optarg;
			break;
		case 'j':
			just = optarg;
			break;
		default:
			return cli_fail("usage: nomdesk quota check --holder "
			                "CODE --category CATEGORY "
			                "[--justification TEXT]");
		}
	}
	if (!holder || !category || optind != argc)
		return cli_fail("usage: nomdesk quota check --holder CODE "
		                "--category CATEGORY [--justification TEXT]");
	if (!(c = open_quota(cli, login)))
		return 1;
	if ((rv = core_quota_check(c, holder, category, just, 0)) != 0 ||
	    (rv = core_quota_get(c, holder, category, &q)) != 0) {
		rv = cli_fail_core(c, rv);
		core_close(c);
		return rv;
	}
	core_close(c);
	printf("ok: %s may report one more under %s (%s", holder, q.category,
	       q.node);
	if (q.uncapped)
		printf(", uncapped");
	else if (q.limit >= 0)
		printf(", %" PRId64 " of %" PRId64 " used", q.leaf_count,
		       q.limit);
	else
		printf(", shares its parent's pool");
	printf(")\n");
	return 0;
}

int
cmd_quota(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return quota_check(cli, argc - 1, argv + 1);
	return quota_usage(cli, argc, argv);
}
