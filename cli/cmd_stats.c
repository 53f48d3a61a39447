/*
 * nomdesk stats --as LOGIN [--format text|csv|json]: counts of the
 * current round's nominees by unit, quota category and state, within the
 * actor's scope (core_stats decides it, as for `nominee list`).  CSV and
 * JSON have one row per count, "total" last: dimension, key, label,
 * count.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

static const char *const stats_cols[] = {"dimension", "key", "label", "count"};
static const enum cli_col_type stats_type[] = {CLI_COL_STR, CLI_COL_STR,
                                               CLI_COL_STR, CLI_COL_NUM};

struct stats_out {
	struct cli_table t;
	char last_dim[16];
};

static int
put_stat(void *ctx, const struct core_stats_row *s)
{
	struct stats_out *o = ctx;
	char count[24];

	snprintf(count, sizeof(count), "%" PRId64, s->count);
	if (o->t.fmt != FMT_TEXT) {
		const char *v[] = {s->dimension, s->key, s->label, count};

		cli_table_row(&o->t, v);
		return 0;
	}
	if (strcmp(o->last_dim, s->dimension) != 0) {
		snprintf(o->last_dim, sizeof(o->last_dim), "%s", s->dimension);
		if (strcmp(s->dimension, "total") != 0) {
			cli_put_text(stdout, s->dimension);
			printf(":\n");
		}
	}
	if (strcmp(s->dimension, "total") == 0) {
		printf("total: %s\n", count);
		return 0;
	}
	printf("  ");
	cli_put_fit(stdout, s->key, 20);
	printf(" ");
	cli_put_fit(stdout, s->label, 36);
	printf(" %6s\n", count);
	return 0;
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct stats_out o = {
	    .t = {.cols = stats_cols, .type = stats_type, .n_cols = 4}};
	const char *login = NULL;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a') {
			login = optarg;
		} else if (ch == 'f') {
			if (cli_format_parse(optarg, CLI_FORMATS_ALL,
			                     &o.t.fmt) != 0) {
				return 1;
			}
		} else {
			return cli_fail("usage: nomdesk stats --as LOGIN "
			                "[--format text|csv|json]");
		}
	}
	if (optind != argc) {
		return cli_fail("stats: unexpected argument '%s'",
		                argv[optind]);
	}
	if (!(c = cli_open_as(cli, login))) {
		return 1;
	}
	if ((r = core_stats(c, put_stat, &o)) != 0) {
		cli_table_drop(&o.t);
		r = cli_fail_core(c, r);
	} else if (o.t.fmt != FMT_TEXT) {
		cli_table_end(&o.t);
	}
	core_close(c);
	return r;
}
