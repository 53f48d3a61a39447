/*
 * nomdesk panel result|scores|recommend: what a panel's score sheets add
 * up to (core/panel_result.c).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static void
x10_text(int x10, char *out, size_t n)
{
	snprintf(out, n, "%d.%d", x10 / 10, x10 % 10);
}

static void
x100_text(int64_t x100, char *out, size_t n)
{
	snprintf(out, n, "%" PRId64 ".%02" PRId64, x100 / 100, x100 % 100);
}

static void
result_cells(const struct core_panel_result *r, char id[24], char cnt[4][16],
             char mean[24], const char *v[])
{
	snprintf(id, 24, "%" PRId64, r->nominee_id);
	snprintf(cnt[0], 16, "%d", r->n_assigned);
	snprintf(cnt[1], 16, "%d", r->n_recused);
	snprintf(cnt[2], 16, "%d/%d", r->n_submitted, r->quorum);
	snprintf(cnt[3], 16, "%d", r->yes);
	if (r->n_submitted) {
		x100_text(r->mean_x100, mean, 24);
	} else {
		mean[0] = '\0';
	}
	v[0] = id;
	v[1] = r->name;
	v[2] = r->unit_name;
	v[3] = r->state;
	v[4] = cnt[0];
	v[5] = cnt[1];
	v[6] = cnt[2];
	v[7] = mean;
	v[8] = cnt[3];
	v[9] = core_panel_outcome_name(r->outcome);
}

static int
put_result(void *ctx, const struct core_panel_result *r)
{
	char id[24], cnt[4][16], mean[24];
	const char *v[10];

	result_cells(r, id, cnt, mean, v);
	cli_table_row(ctx, v);
	return 0;
}

static const char *const result_cols[] = {
    "nominee", "name",   "unit", "state", "assigned",
    "recused", "scored", "mean", "yes",   "outcome"};
static const int result_width[] = {7, 10, 24, 18, 8, 7, 6, 7, 3, 0};
static const enum cli_col_type result_num[] = {
    CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR, CLI_COL_NUM,
    CLI_COL_NUM, CLI_COL_STR, CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};

/* The line above the table: the panel's name and rule. */
static void
result_title(struct cli_table *t, const struct core_panel *p)
{
	char thr[16], name[CORE_NAME_SIZE];

	x10_text(p->threshold_x10, thr, sizeof(thr));
	utf8_sanitize(p->name, name, sizeof(name), 0);
	snprintf(t->title, sizeof(t->title),
		 "panel %" PRId64 " %s (%s, %s >= %s, quorum %d)", p->id, name,
		 core_panel_level_name(p->level), core_panel_rule_name(p->rule),
		 thr, p->quorum);
}

static int
panel_result(struct cli_run *run)
{
	const char *panel = run->argv[0];
	struct cli_table t = {.fmt = run->fmt,
			      .cols = result_cols,
			      .width = result_width,
			      .type = result_num,
			      .n_cols = 10};
	struct core_panel p;
	int r;

	if ((r = core_panel_get(run->c, panel, &p)) != 0) {
		return cli_fail_core(run->c, r);
	}
	result_title(&t, &p);
	if ((r = core_panel_result(run->c, panel, put_result, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&t);
	return 0;
}

/* ---- panel scores ---- */

struct scores_ctx {
	struct cli_table t;
	const struct core_panel *p;
};

static int
put_sheet(void *ctx, const struct core_panel_sheet *s)
{
	struct scores_ctx *sc = ctx;
	char total[16], scores[1024];
	size_t off = 0;
	const char *v[5];

	x10_text(s->total_x10, total, sizeof(total));
	scores[0] = '\0';
	for (size_t k = 0;
	     k < s->n_scores && k < sc->p->n_criteria && off < sizeof(scores);
	     k++) {
		off += (size_t)snprintf(
		    scores + off, sizeof(scores) - off, "%s%s=%d.%d",
		    k ? " " : "", sc->p->criteria[k].name, s->score_x10[k] / 10,
		    s->score_x10[k] % 10);
	}
	v[0] = s->expert;
	v[1] = s->expert_name;
	v[2] = scores;
	v[3] = total;
	v[4] = s->opinion;
	cli_table_row(&sc->t, v);
	return 0;
}

static int
panel_scores(struct cli_run *run)
{
	static const char *const cols[] = {"expert", "name", "scores", "total",
					   "opinion"};
	static const int width[] = {14, 8, 40, 6, 0};
	static const enum cli_col_type num[] = {
		CLI_COL_STR, CLI_COL_STR, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR};
	const char *panel = run->argv[0];
	struct scores_ctx sc;
	struct core_panel p;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[1], &id)) != 0) {
		return r;
	}
	if ((r = core_panel_get(run->c, panel, &p)) != 0) {
		return cli_fail_core(run->c, r);
	}
	sc.p = &p;
	sc.t = (struct cli_table){.fmt = run->fmt,
				  .cols = cols,
				  .width = width,
				  .type = num,
				  .n_cols = 5};
	if ((r = core_panel_scores(run->c, panel, id, put_sheet, &sc)) != 0) {
		cli_table_drop(&sc.t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&sc.t);
	return 0;
}

/* ---- panel recommend ---- */

static int
put_recommend(void *ctx, const struct core_recommend_row *row)
{
	char rank[16], id[24], cnt[4][16], mean[24];
	const char *rv[10], *v[8];

	result_cells(&row->r, id, cnt, mean, rv);
	snprintf(rank, sizeof(rank), "%d", row->rank);
	v[0] = rank;
	v[1] = row->recommended ? "yes" : row->tie ? "tie" : "no";
	v[2] = id;
	v[3] = row->r.name;
	v[4] = row->r.unit_name;
	v[5] = mean;
	v[6] = cnt[3];
	v[7] = row->panel;
	cli_table_row(ctx, v);
	return 0;
}

static int
panel_recommend(struct cli_run *run)
{
	static const char *const cols[] = {"rank", "recommended", "nominee",
					   "name", "unit",        "mean",
					   "yes",  "panel"};
	static const int width[] = {4, 11, 7, 10, 24, 7, 3, 0};
	static const enum cli_col_type num[] = {
		CLI_COL_NUM, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR,
		CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};
	struct cli_table t = {.fmt = run->fmt,
			      .cols = cols,
			      .width = width,
			      .type = num,
			      .n_cols = 8};
	size_t n_rec = 0;
	int target = 0, r;

	r = core_panel_recommend(run->c, put_recommend, &t, &target, &n_rec);
	if (r != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&t);
	if (run->fmt == FMT_TEXT) {
		printf("%zu recommended of %d seats\n", n_rec, target);
	}
	return 0;
}

const struct cli_cmd cli_cmd_panel_result = {
	.name = "result",
	.operands = "PANEL",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = panel_result,
	.help = "a panel's outcome per nominee",
};

const struct cli_cmd cli_cmd_panel_scores = {
	.name = "scores",
	.operands = "PANEL ID",
	.min_args = 2,
	.max_args = 2,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = panel_scores,
	.help = "the score sheets on one nominee",
};

const struct cli_cmd cli_cmd_panel_recommend = {
	.name = "recommend",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = panel_recommend,
	.help = "the ranking against the round's seats",
};
