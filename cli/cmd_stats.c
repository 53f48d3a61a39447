/*
 * nomdesk stats --as LOGIN [--format text|csv|json]: counts of the
 * current round's nominees by unit, quota category and state, within the
 * actor's scope (core_stats decides it, as for `nominee list`).  CSV and
 * JSON have one row per count, "total" last: dimension, key, label,
 * count.
 */
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

static int
stats_run(struct cli_run *run)
{
	struct stats_out o = {.t = {.fmt = run->fmt,
				    .cols = stats_cols,
				    .type = stats_type,
				    .n_cols = 4}};
	int r;

	if ((r = core_stats(run->c, put_stat, &o)) != 0) {
		cli_table_drop(&o.t);
		return cli_fail_core(run->c, r);
	}
	if (o.t.fmt != FMT_TEXT) {
		cli_table_end(&o.t);
	}
	return 0;
}

const struct cli_cmd cli_cmd_stats = {
	.name = "stats",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = stats_run,
	.help = "counts of the round's nominees by unit, category and state",
};
