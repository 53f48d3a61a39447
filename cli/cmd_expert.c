/*
 * nomdesk assign|declare|score: a nominee before a panel's experts
 * (issue #3 items 7 and 9; core/panel.c, authz_expert.c).  HR assigns the
 * nominee to a panel; each expert declares a conflict or none, signed,
 * then scores.
 *
 * Every refusal is one line on stderr and a non-zero exit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

static int
print_receipt(const char *what, const struct core_receipt *rc)
{
	printf("%s (entry %" PRIu64 ", checkpoint %" PRIu64 " %s)\n", what,
	       rc->seq, rc->tree_size, rc->root);
	return 0;
}

/* ---- assign ---- */

struct assign_out {
	int64_t id;
	const char *panel;
	int started;
};

static int
put_assigned(void *ctx, const struct core_panel_assign_item *it)
{
	struct assign_out *o = ctx;

	if (!o->started++) {
		printf("nominee %" PRId64 " on panel ", o->id);
		cli_put_text(stdout, o->panel);
		printf(":\n");
	}
	printf("  ");
	cli_put_text(stdout, it->expert);
	printf(" (");
	cli_put_text(stdout, it->expert_name);
	printf("): ");
	if (it->already) {
		printf("unchanged, ");
		cli_put_text(stdout, it->reason);
	} else if (it->recused) {
		printf("recused, ");
		cli_put_text(stdout, it->reason);
	} else {
		printf("assigned");
	}
	putchar('\n');
	return 0;
}

struct assign_opts {
	const char *panel;
};

static const struct opt assign_opts[] = {
	OPT_STRING_REQ("panel", 0, struct assign_opts, panel, "PANEL",
		       "the panel whose experts score it"),
	OPT_END(),
};

static int
assign_run(struct cli_run *run)
{
	const struct assign_opts *o = run->opts;
	struct assign_out out = {0, o->panel, 0};
	struct core_receipt rc;
	int r;

	if ((r = cli_operand_id(run->argv[0], &out.id)) != 0) {
		return r;
	}
	r = core_panel_assign(run->c, o->panel, out.id, put_assigned, &out,
			      &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	return print_receipt("assigned", &rc);
}

/* ---- declare ---- */

struct declare_opts {
	const char *conflict, *panel;
	int passphrase_stdin;
};

static const struct opt declare_opts[] = {
	OPT_STRING("conflict", 0, struct declare_opts, conflict, "REASON",
		   "declare a conflict and recuse (else: none)"),
	OPT_STRING("panel", 0, struct declare_opts, panel, "PANEL",
		   "when the nominee is before more than one of yours"),
	OPT_FLAG("passphrase-stdin", 0, struct declare_opts, passphrase_stdin,
		 "read the signing passphrase from stdin"),
	OPT_END(),
};

static int
declare_run(struct cli_run *run)
{
	const struct declare_opts *o = run->opts;
	struct core_receipt rc;
	char msg[128];
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0) {
		return r;
	}
	if (o->conflict && !*o->conflict) {
		return cli_fail("--conflict: give the reason");
	}
	/* the declaration (回避承诺) carries the expert's own signature */
	if ((r = cli_unlock_for_act(run->c, run->as, "declare",
				    o->passphrase_stdin)) != 0) {
		return r;
	}
	r = core_panel_declare(run->c, o->panel, id, o->conflict, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	snprintf(msg, sizeof(msg),
		 o->conflict ? "nominee %" PRId64 ": conflict declared, recused"
			     : "nominee %" PRId64 ": no conflict declared",
		 id);
	return print_receipt(msg, &rc);
}

/* ---- score ---- */

struct score_opts {
	struct opt_list criterion;
	const char *opinion, *panel;
};

static const struct opt score_opts[] = {
	OPT_LIST_REQ("criterion", 0, struct score_opts, criterion,
		     "NAME=SCORE", "one score of the panel's sheet"),
	OPT_STRING("opinion", 0, struct score_opts, opinion, "TEXT",
		   "the expert's written opinion"),
	OPT_STRING("panel", 0, struct score_opts, panel, "PANEL",
		   "when the nominee is before more than one of yours"),
	OPT_END(),
};

/*
 * The --criterion NAME=SCORE options as core's scores, each split in a
 * copy of its own in copies (caller frees copies[0..*n)).  0, or 1 after
 * one line.
 */
static int
score_parse(const struct opt_list *l, struct core_score *scores,
	    char **copies, size_t *n)
{
	const char *v, *eq;

	*n = 0;
	if (l->n > CORE_PANEL_MAX_CRITERIA) {
		return cli_fail("--criterion: at most %d",
				CORE_PANEL_MAX_CRITERIA);
	}
	for (size_t i = 0; i < l->n; i++) {
		v = l->v[i];
		if (!(eq = strchr(v, '=')) || eq == v) {
			return cli_fail("--criterion: '%s' is not NAME=SCORE",
					v);
		}
		if (!(copies[*n] = strdup(v))) {
			return cli_fail("out of memory");
		}
		copies[*n][eq - v] = '\0';
		scores[*n].criterion = copies[*n];
		scores[*n].score = copies[*n] + (eq - v) + 1;
		(*n)++;
	}
	return 0;
}

static int
score_run(struct cli_run *run)
{
	const struct score_opts *o = run->opts;
	struct core_score scores[CORE_PANEL_MAX_CRITERIA];
	char *copies[CORE_PANEL_MAX_CRITERIA];
	struct core_receipt rc;
	char msg[128];
	size_t n = 0;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = score_parse(&o->criterion, scores, copies, &n)) != 0) {
		goto out;
	}
	r = core_panel_score(run->c, o->panel, id, scores, n, o->opinion, &rc);
	if (r != 0) {
		r = cli_fail_core(run->c, r);
		goto out;
	}
	snprintf(msg, sizeof(msg), "nominee %" PRId64 ": scores submitted", id);
	r = print_receipt(msg, &rc);
out:
	for (size_t i = 0; i < n; i++) {
		free(copies[i]);
	}
	return r;
}

const struct cli_cmd cli_cmd_assign = {
	.name = "assign",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(assign_opts, struct assign_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = assign_run,
	.help = "put a nominee before a panel's experts",
};

const struct cli_cmd cli_cmd_declare = {
	.name = "declare",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(declare_opts, struct declare_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = declare_run,
	.help = "an expert declares a conflict or none (signed)",
};

const struct cli_cmd cli_cmd_score = {
	.name = "score",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(score_opts, struct score_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = score_run,
	.help = "an expert submits scores",
};
