/*
 * nomdesk quota [--as LOGIN] [--format text|csv]
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
#include "core/utf8.h"

static struct core *
open_quota(struct cli *cli, const char *login)
{
	struct passwd *pw = getpwuid(getuid());
	struct core *c = login ? cli_open_as(cli, login) : cli_open(cli);

	if (c && !login)
		core_act_as_system(c, pw ? pw->pw_name : "?");
	return c;
}

static void
pad(const char *s, size_t cols)
{
	char safe[1024], fit[1024];
	size_t w;

	utf8_sanitize(s, safe, sizeof(safe), 0);
	w = utf8_fit(safe, cols, fit, sizeof(fit));
	printf("%s%*s", fit, (int)(cols - w), "");
}

static int
put_usage(void *ctx, const struct core_quota_usage *u)
{
	const enum cli_format *fmt = ctx;
	char limit[24], count[24];

	if (u->uncapped)
		snprintf(limit, sizeof(limit), "uncapped");
	else if (u->limit >= 0)
		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
	else
		limit[0] = '\0';
	snprintf(count, sizeof(count), "%" PRId64, u->count);
	if (*fmt == FMT_CSV) {
		cli_put_csv(stdout, u->node, 0);
		cli_put_csv(stdout, u->category, 0);
		cli_put_csv(stdout, u->category_name, 0);
		cli_put_csv(stdout, u->name, 0);
		cli_put_csv(stdout, u->holder, 0);
		cli_put_csv(stdout, u->holder_name, 0);
		cli_put_csv(stdout, u->per_holder ? "1" : "0", 0);
		cli_put_csv(stdout, limit, 0);
		cli_put_csv(stdout, u->uncapped ? "1" : "0", 0);
		cli_put_csv(stdout, count, 1);
		return 0;
	}
	if (!*u->node) {
		pad("(no quota node)", 30);
		printf(" ");
		pad(u->category, 12);
	} else {
		printf("%*s", u->depth * 2, "");
		pad(u->per_holder ? "  +" : u->node,
		    (size_t)(30 - u->depth * 2));
		printf(" ");
		pad(u->category_name, 12);
	}
	printf(" ");
	pad(*u->holder ? u->holder_name : u->name, 24);
	printf(" %-10s %8s %6s%s\n", u->holder, u->per_holder ? "" : limit,
	       count,
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
	enum cli_format fmt = FMT_TEXT;
	const char *login = NULL;
	struct core *c;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f' && cli_parse_format(optarg, &fmt) == 0)
			continue;
		else
			return cli_fail("usage: nomdesk quota [--as LOGIN] "
			                "[--format text|csv]");
	}
	if (optind != argc)
		return cli_fail("quota: unexpected argument '%s'",
		                argv[optind]);
	if (fmt == FMT_JSON)
		return cli_fail("quota: --format must be text or csv");
	if (!(c = open_quota(cli, login)))
		return 1;
	if (fmt == FMT_CSV)
		printf("\xEF\xBB\xBF\"node\",\"category\",\"category_name\","
		       "\"name\",\"holder\",\"holder_name\",\"per_holder\","
		       "\"limit\","
		       "\"uncapped\",\"count\"\r\n");
	else
		printf("%-30s %-12s %-24s %-10s %8s %6s\n", "node", "category",
		       "name / holder", "holder", "limit", "count");
	rv = core_quota_usage(c, put_usage, &fmt);
	if (rv != 0)
		rv = cli_fail_core(c, rv);
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
