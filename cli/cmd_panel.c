/*
 * nomdesk panel ...: expert panels (issue #3 items 7 and 9, core/
 * panel.c): the family's table, and create, add-member, list and
 * assignments.  result, scores and recommend are cli/cmd_panel_result.c's;
 * assign, declare and score, the experts' work, cli/cmd_expert.c's.
 *
 * Every refusal is one line on stderr and a non-zero exit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static void
x10_text(int x10, char *out, size_t n)
{
	snprintf(out, n, "%d.%d", x10 / 10, x10 % 10);
}

static int
print_receipt(const char *what, const struct core_receipt *rc)
{
	printf("%s (entry %" PRIu64 ", checkpoint %" PRIu64 " %s)\n", what,
	       rc->seq, rc->tree_size, rc->root);
	return 0;
}

/* ---- panel create ---- */

struct panel_create_opts {
	const char *level, *rule, *threshold, *quorum, *criteria;
};

static const struct opt panel_create_opts[] = {
	OPT_STRING_REQ("level", 0, struct panel_create_opts, level,
		       "local|city", "who owns the panel"),
	OPT_STRING("rule", 0, struct panel_create_opts, rule, "mean|majority",
		   "how the scores decide (default mean)"),
	OPT_STRING("threshold", 0, struct panel_create_opts, threshold, "N",
		   "the mean, or the yes votes, that pass"),
	OPT_STRING("quorum", 0, struct panel_create_opts, quorum, "N",
		   "score sheets needed for a result"),
	OPT_STRING("criteria", 0, struct panel_create_opts, criteria,
		   "NAME:MAX,...", "the score sheet"),
	OPT_END(),
};

/* The options as core's panel; 0 or 1 after one line naming the rule. */
static int
panel_fill(const struct panel_create_opts *o, struct core_panel_new *p)
{
	if (o->rule && core_panel_rule_parse(o->rule, &p->rule) != 0) {
		return cli_fail("--rule: must be mean or majority, not '%s'",
				o->rule);
	}
	if (o->quorum && (p->quorum = atoi(o->quorum)) <= 0) {
		return cli_fail("--quorum: must be a number from 1 to 99");
	}
	if (core_panel_level_parse(o->level, &p->level) != 0) {
		return cli_fail("--level: must be local or city, not '%s'",
				o->level);
	}
	p->threshold = o->threshold;
	p->criteria = o->criteria;
	return 0;
}

static int
panel_create(struct cli_run *run)
{
	struct core_panel_new p = {0};
	struct core_receipt rc;
	char msg[400];
	int64_t id = 0;
	int r;

	if ((r = panel_fill(run->opts, &p)) != 0) {
		return r;
	}
	p.name = run->argv[0];
	if ((r = core_panel_create(run->c, &p, &id, &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	snprintf(msg, sizeof(msg), "panel %" PRId64 " created", id);
	return print_receipt(msg, &rc);
}

/* ---- panel add-member ---- */

static int
panel_add_member(struct cli_run *run)
{
	struct core_receipt rc;
	char msg[300], who[64];
	int r;

	r = core_panel_add_member(run->c, run->argv[0], run->argv[1], &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	utf8_sanitize(run->argv[1], who, sizeof(who), 0);
	snprintf(msg, sizeof(msg), "%s added", who);
	return print_receipt(msg, &rc);
}

/* ---- panel list ---- */

static int
put_panel(void *ctx, const struct core_panel *p)
{
	struct cli_table *t = ctx;
	char id[24], thr[16], quorum[16], members[16], sheet[1024];
	size_t off = 0;
	const char *v[9];

	snprintf(id, sizeof(id), "%" PRId64, p->id);
	x10_text(p->threshold_x10, thr, sizeof(thr));
	snprintf(quorum, sizeof(quorum), "%d", p->quorum);
	snprintf(members, sizeof(members), "%d", p->n_members);
	sheet[0] = '\0';
	for (size_t i = 0; i < p->n_criteria && off < sizeof(sheet); i++) {
		off += (size_t)snprintf(
		    sheet + off, sizeof(sheet) - off, "%s%s:%d.%d",
		    i ? "," : "", p->criteria[i].name,
		    p->criteria[i].max_x10 / 10, p->criteria[i].max_x10 % 10);
	}
	v[0] = id;
	v[1] = p->name;
	v[2] = core_panel_level_name(p->level);
	v[3] = p->owner_unit;
	v[4] = core_panel_rule_name(p->rule);
	v[5] = thr;
	v[6] = quorum;
	v[7] = members;
	v[8] = sheet;
	cli_table_row(t, v);
	return 0;
}

static int
panel_list(struct cli_run *run)
{
	static const char *const cols[] = {"id",     "name",    "level",
					   "owner",  "rule",    "threshold",
					   "quorum", "members", "criteria"};
	static const int width[] = {4, 20, 6, 12, 9, 9, 6, 7, 0};
	static const enum cli_col_type num[] = {
		CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,
		CLI_COL_NUM, CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};
	struct cli_table t = {.fmt = run->fmt,
			      .cols = cols,
			      .width = width,
			      .type = num,
			      .n_cols = 9};
	int r;

	if ((r = core_panel_list(run->c, put_panel, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&t);
	return 0;
}

/* ---- panel assignments ---- */

static int
put_assignment(void *ctx, const struct core_panel_assignment *a)
{
	char pid[24], id[24];
	const char *v[7];

	snprintf(pid, sizeof(pid), "%" PRId64, a->panel_id);
	snprintf(id, sizeof(id), "%" PRId64, a->nominee_id);
	v[0] = pid;
	v[1] = a->panel;
	v[2] = id;
	v[3] = a->name;
	v[4] = a->unit_name;
	v[5] = a->status;
	v[6] = a->state;
	cli_table_row(ctx, v);
	return 0;
}

static int
panel_assignments(struct cli_run *run)
{
	static const char *const cols[] = {
		"panel_id", "panel", "nominee", "name", "unit", "status", "state"};
	static const int width[] = {8, 16, 7, 10, 24, 9, 0};
	static const enum cli_col_type num[] = {
		CLI_COL_NUM, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR,
		CLI_COL_STR, CLI_COL_STR};
	struct cli_table t = {.fmt = run->fmt,
			      .cols = cols,
			      .width = width,
			      .type = num,
			      .n_cols = 7};
	int r;

	if ((r = core_panel_assignments(run->c, put_assignment, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	cli_table_end(&t);
	return 0;
}

static const struct cli_cmd panel_create_cmd = {
	.name = "create",
	.operands = "NAME",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(panel_create_opts, struct panel_create_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = panel_create,
	.help = "create a panel (city or county HR)",
};

static const struct cli_cmd panel_add_member_cmd = {
	.name = "add-member",
	.operands = "PANEL EXPERT_LOGIN",
	.min_args = 2,
	.max_args = 2,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = panel_add_member,
	.help = "add an expert to a panel",
};

static const struct cli_cmd panel_list_cmd = {
	.name = "list",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = panel_list,
	.help = "the panels you may see",
};

static const struct cli_cmd panel_assignments_cmd = {
	.name = "assignments",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = panel_assignments,
	.help = "an expert's nominees to score",
};

static const struct cli_cmd *const panel_cmds[] = {
	&panel_create_cmd,     &panel_add_member_cmd,   &panel_list_cmd,
	&cli_cmd_panel_result, &cli_cmd_panel_scores,   &cli_cmd_panel_recommend,
	&panel_assignments_cmd, NULL,
};

const struct cli_cmd cli_cmd_panel = {.name = "panel", .sub = panel_cmds};
