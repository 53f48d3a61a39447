/*
 * Expert evaluation from the command line (issue #3 items 7 and 9):
 *
 * nomdesk panel create NAME --level local|city --as LOGIN [--rule mean|
 *         majority] [--threshold N] [--quorum N] [--criteria NAME:MAX,...]
 * nomdesk panel add-member PANEL EXPERT_LOGIN --as LOGIN
 * nomdesk panel list --as LOGIN [--format text|csv|json]
 * nomdesk panel result PANEL --as LOGIN [--format text|csv|json]
 * nomdesk panel scores PANEL ID --as LOGIN [--format text|csv|json]
 * nomdesk panel recommend --as LOGIN [--format text|csv|json]
 * nomdesk panel assignments --as EXPERT [--format text|csv|json]
 * nomdesk assign ID --panel PANEL --as LOGIN
 * nomdesk declare ID --as EXPERT [--conflict REASON] [--panel PANEL]
 *     [--passphrase-stdin]
 * nomdesk score ID --as EXPERT --criterion NAME=SCORE ... [--opinion TEXT]
 *         [--panel PANEL]
 *
 * Every refusal is one line on stderr and a non-zero exit.
 */
#include <getopt.h>
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

static void
x100_text(int64_t x100, char *out, size_t n)
{
	snprintf(out, n, "%" PRId64 ".%02" PRId64, x100 / 100, x100 % 100);
}

/* Common options: --as, --format; returns 0 or prints usage. */
struct common {
	const char *login;
	enum cli_format fmt;
};

static int
print_receipt(const char *what, const struct core_receipt *rc)
{
	printf("%s (entry %" PRIu64 ", checkpoint %" PRIu64 " %s)\n", what,
	       rc->seq, rc->tree_size, rc->root);
	return 0;
}

/* ---- panel create ---- */

static int
panel_create(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"level", required_argument, NULL, 'l'},
	    {"rule", required_argument, NULL, 'r'},
	    {"threshold", required_argument, NULL, 't'},
	    {"quorum", required_argument, NULL, 'q'},
	    {"criteria", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	static const char usage[] =
	    "usage: nomdesk panel create NAME --level local|city --as "
	    "LOGIN [--rule mean|majority] [--threshold N] [--quorum N] "
	    "[--criteria NAME:MAX,...]";
	struct core_panel_new p = {0};
	struct core_receipt rc;
	const char *login = NULL, *level = NULL;
	struct core *c;
	char msg[400];
	int64_t id = 0;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'l':
			level = optarg;
			break;
		case 'r':
			if (core_panel_rule_parse(optarg, &p.rule) != 0)
				return cli_fail("--rule: must be mean or "
				                "majority, not '%s'",
				                optarg);
			break;
		case 't':
			p.threshold = optarg;
			break;
		case 'q':
			p.quorum = atoi(optarg);
			if (p.quorum <= 0)
				return cli_fail("--quorum: must be a number "
				                "from 1 to 99");
			break;
		case 'c':
			p.criteria = optarg;
			break;
		default:
			return cli_fail("%s", usage);
		}
	}
	if (optind + 1 != argc || !level)
		return cli_fail("%s", usage);
	if (core_panel_level_parse(level, &p.level) != 0)
		return cli_fail("--level: must be local or city, not '%s'",
		                level);
	p.name = argv[optind];
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_panel_create(c, &p, &id, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	snprintf(msg, sizeof(msg), "panel %" PRId64 " created", id);
	return print_receipt(msg, &rc);
}

/* ---- panel add-member ---- */

static int
panel_add_member(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct core_receipt rc;
	const char *login = NULL;
	struct core *c;
	char msg[300], who[64];
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else
			return cli_fail("usage: nomdesk panel add-member PANEL "
			                "EXPERT_LOGIN --as LOGIN");
	}
	if (optind + 2 != argc)
		return cli_fail("usage: nomdesk panel add-member PANEL "
		                "EXPERT_LOGIN --as LOGIN");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_panel_add_member(c, argv[optind], argv[optind + 1],
	                               &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	utf8_sanitize(argv[optind + 1], who, sizeof(who), 0);
	snprintf(msg, sizeof(msg), "%s added", who);
	return print_receipt(msg, &rc);
}

/* Parses --as and --format and no other option. */
static int
parse_common(int argc, char **argv, struct common *o, const char *usage)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	o->login = NULL;
	o->fmt = FMT_TEXT;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			o->login = optarg;
		else if (ch == 'f' &&
		         cli_format_parse(optarg, CLI_FORMATS_ALL, &o->fmt) != 0)
			return 1; /* one line naming the formats */
		else if (ch != 'f')
			return cli_fail("%s", usage);
	}
	return 0;
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
	for (size_t i = 0; i < p->n_criteria && off < sizeof(sheet); i++)
		off += (size_t)snprintf(
		    sheet + off, sizeof(sheet) - off, "%s%s:%d.%d",
		    i ? "," : "", p->criteria[i].name,
		    p->criteria[i].max_x10 / 10, p->criteria[i].max_x10 % 10);
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
panel_list(struct cli *cli, int argc, char **argv)
{
	static const char *const cols[] = {"id",     "name",    "level",
	                                   "owner",  "rule",    "threshold",
	                                   "quorum", "members", "criteria"};
	static const int width[] = {4, 20, 6, 12, 9, 9, 6, 7, 0};
	static const enum cli_col_type num[] = {
	    CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,
	    CLI_COL_NUM, CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};
	struct cli_table t = {0};
	struct common o;
	struct core *c;
	int r;

	if (parse_common(argc, argv, &o,
	                 "usage: nomdesk panel list --as LOGIN [--format "
	                 "text|csv|json]") != 0)
		return 1;
	if (optind != argc)
		return cli_fail("panel list: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = cli_open_as(cli, o.login)))
		return 1;
	t = (struct cli_table){.fmt = o.fmt,
	                   .cols = cols,
	                   .width = width,
	                   .type = num,
	                   .n_cols = 9};
	r = core_panel_list(c, put_panel, &t);
	if (r != 0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&t);
	}
	core_close(c);
	return r;
}

/* ---- panel result ---- */

static void
result_cells(const struct core_panel_result *r, char id[24], char cnt[4][16],
             char mean[24], const char *v[])
{
	snprintf(id, 24, "%" PRId64, r->nominee_id);
	snprintf(cnt[0], 16, "%d", r->n_assigned);
	snprintf(cnt[1], 16, "%d", r->n_recused);
	snprintf(cnt[2], 16, "%d/%d", r->n_submitted, r->quorum);
	snprintf(cnt[3], 16, "%d", r->yes);
	if (r->n_submitted)
		x100_text(r->mean_x100, mean, 24);
	else
		mean[0] = '\0';
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

static int
panel_result(struct cli *cli, int argc, char **argv)
{
	struct cli_table t;
	struct common o;
	struct core_panel p;
	struct core *c;
	int r;

	if (parse_common(argc, argv, &o,
	                 "usage: nomdesk panel result PANEL --as LOGIN "
	                 "[--format text|csv|json]") != 0)
		return 1;
	if (optind + 1 != argc)
		return cli_fail("usage: nomdesk panel result PANEL --as LOGIN "
		                "[--format text|csv|json]");
	if (!(c = cli_open_as(cli, o.login)))
		return 1;
	if ((r = core_panel_get(c, argv[optind], &p)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	t = (struct cli_table){.fmt = o.fmt,
	                   .cols = result_cols,
	                   .width = result_width,
	                   .type = result_num,
	                   .n_cols = 10};
	{
		char thr[16], name[CORE_NAME_SIZE];

		x10_text(p.threshold_x10, thr, sizeof(thr));
		utf8_sanitize(p.name, name, sizeof(name), 0);
		snprintf(t.title, sizeof(t.title),
		         "panel %" PRId64 " %s (%s, %s >= %s, quorum %d)", p.id,
		         name, core_panel_level_name(p.level),
		         core_panel_rule_name(p.rule), thr, p.quorum);
	}
	if ((r = core_panel_result(c, argv[optind], put_result, &t)) != 0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&t);
	}
	core_close(c);
	return r;
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
	     k++)
		off += (size_t)snprintf(
		    scores + off, sizeof(scores) - off, "%s%s=%d.%d",
		    k ? " " : "", sc->p->criteria[k].name, s->score_x10[k] / 10,
		    s->score_x10[k] % 10);
	v[0] = s->expert;
	v[1] = s->expert_name;
	v[2] = scores;
	v[3] = total;
	v[4] = s->opinion;
	cli_table_row(&sc->t, v);
	return 0;
}

static int
panel_scores(struct cli *cli, int argc, char **argv)
{
	static const char *const cols[] = {"expert", "name", "scores", "total",
	                                   "opinion"};
	static const int width[] = {14, 8, 40, 6, 0};
	static const enum cli_col_type num[] = {
	    CLI_COL_STR, CLI_COL_STR, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR};
	static const char usage[] = "usage: nomdesk panel scores PANEL ID --as "
	                            "LOGIN [--format text|csv|json]";
	struct scores_ctx sc;
	struct core_panel p;
	struct common o;
	struct core *c;
	int64_t id;
	int r;

	if (parse_common(argc, argv, &o, usage) != 0)
		return 1;
	if (optind + 2 != argc || cli_parse_id(argv[optind + 1], &id) != 0)
		return cli_fail("%s", usage);
	if (!(c = cli_open_as(cli, o.login)))
		return 1;
	if ((r = core_panel_get(c, argv[optind], &p)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	sc.p = &p;
	sc.t = (struct cli_table){.fmt = o.fmt,
	                      .cols = cols,
	                      .width = width,
	                      .type = num,
	                      .n_cols = 5};
	if ((r = core_panel_scores(c, argv[optind], id, put_sheet, &sc)) != 0) {
		cli_table_drop(&sc.t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&sc.t);
	}
	core_close(c);
	return r;
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
panel_recommend(struct cli *cli, int argc, char **argv)
{
	static const char *const cols[] = {"rank", "recommended", "nominee",
	                                   "name", "unit",        "mean",
	                                   "yes",  "panel"};
	static const int width[] = {4, 11, 7, 10, 24, 7, 3, 0};
	static const enum cli_col_type num[] = {
	    CLI_COL_NUM, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR,
	    CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};
	struct cli_table t;
	struct common o;
	struct core *c;
	size_t n_rec = 0;
	int target = 0, r;

	if (parse_common(argc, argv, &o,
	                 "usage: nomdesk panel recommend --as LOGIN "
	                 "[--format text|csv|json]") != 0)
		return 1;
	if (optind != argc)
		return cli_fail("panel recommend: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = cli_open_as(cli, o.login)))
		return 1;
	t = (struct cli_table){.fmt = o.fmt,
	                   .cols = cols,
	                   .width = width,
	                   .type = num,
	                   .n_cols = 8};
	if ((r = core_panel_recommend(c, put_recommend, &t, &target, &n_rec)) !=
	    0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&t);
		if (o.fmt == FMT_TEXT)
			printf("%zu recommended of %d seats\n", n_rec, target);
	}
	core_close(c);
	return r;
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
panel_assignments(struct cli *cli, int argc, char **argv)
{
	static const char *const cols[] = {
	    "panel_id", "panel", "nominee", "name", "unit", "status", "state"};
	static const int width[] = {8, 16, 7, 10, 24, 9, 0};
	static const enum cli_col_type num[] = {
	    CLI_COL_NUM, CLI_COL_STR, CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR,
	    CLI_COL_STR, CLI_COL_STR};
	struct cli_table t;
	struct common o;
	struct core *c;
	int r;

	if (parse_common(argc, argv, &o,
	                 "usage: nomdesk panel assignments --as EXPERT "
	                 "[--format text|csv|json]") != 0)
		return 1;
	if (optind != argc)
		return cli_fail("panel assignments: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = cli_open_as(cli, o.login)))
		return 1;
	t = (struct cli_table){.fmt = o.fmt,
	                   .cols = cols,
	                   .width = width,
	                   .type = num,
	                   .n_cols = 7};
	if ((r = core_panel_assignments(c, put_assignment, &t)) != 0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else {
		cli_table_end(&t);
	}
	core_close(c);
	return r;
}

int
cmd_panel(struct cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cli *, int, char **);
	} subs[] = {
	    {"create", panel_create},
	    {"add-member", panel_add_member},
	    {"list", panel_list},
	    {"result", panel_result},
	    {"scores", panel_scores},
	    {"recommend", panel_recommend},
	    {"assignments", panel_assignments},
	};

	if (argc >= 2)
		for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
			if (strcmp(argv[1], subs[i].name) == 0)
				return subs[i].fn(cli, argc - 1, argv + 1);
	return cli_fail("usage: nomdesk panel create|add-member|list|result|"
	                "scores|recommend|assignments ... (see nomdesk "
	                "--help)");
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

int
cmd_assign(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"panel", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	static const char usage[] =
	    "usage: nomdesk assign ID --panel PANEL --as LOGIN";
	const char *login = NULL, *panel = NULL;
	struct assign_out out = {0, NULL, 0};
	struct core_receipt rc;
	struct core *c;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'p')
			panel = optarg;
		else
			return cli_fail("%s", usage);
	}
	if (optind + 1 != argc || !panel || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail("%s", usage);
	if (!(c = cli_open_as(cli, login)))
		return 1;
	out.id = id;
	out.panel = panel;
	if ((r = core_panel_assign(c, panel, id, put_assigned, &out, &rc)) !=
	    0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	return print_receipt("assigned", &rc);
}

/* ---- declare ---- */

int
cmd_declare(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"conflict", required_argument, NULL, 'c'},
	    {"panel", required_argument, NULL, 'p'},
	    {"passphrase-stdin", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	static const char usage[] = "usage: nomdesk declare ID --as EXPERT "
	                            "[--conflict REASON] [--panel PANEL] "
	                            "[--passphrase-stdin]";
	const char *login = NULL, *conflict = NULL, *panel = NULL;
	struct core_receipt rc;
	struct core *c;
	char msg[128];
	int64_t id;
	int ch, r, from_stdin = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'c')
			conflict = optarg;
		else if (ch == 'p')
			panel = optarg;
		else if (ch == 's')
			from_stdin = 1;
		else
			return cli_fail("%s", usage);
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail("%s", usage);
	if (conflict && !*conflict)
		return cli_fail("--conflict: give the reason");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	/* the declaration (回避承诺) carries the expert's own signature */
	if ((r = cli_unlock_for_act(c, login ? login : "?", "declare",
	                            from_stdin)) != 0) {
		core_close(c);
		return r;
	}
	if ((r = core_panel_declare(c, panel, id, conflict, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	if (conflict)
		snprintf(msg, sizeof(msg),
		         "nominee %" PRId64 ": conflict declared, recused", id);
	else
		snprintf(msg, sizeof(msg),
		         "nominee %" PRId64 ": no conflict declared", id);
	return print_receipt(msg, &rc);
}

/* ---- score ---- */

int
cmd_score(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"criterion", required_argument, NULL, 'c'},
	    {"opinion", required_argument, NULL, 'o'},
	    {"panel", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	static const char usage[] =
	    "usage: nomdesk score ID --as EXPERT --criterion NAME=SCORE ... "
	    "[--opinion TEXT] [--panel PANEL]";
	const char *login = NULL, *opinion = NULL, *panel = NULL;
	struct core_score scores[CORE_PANEL_MAX_CRITERIA];
	char *copies[CORE_PANEL_MAX_CRITERIA];
	size_t n = 0;
	struct core_receipt rc;
	struct core *c = NULL;
	char msg[128];
	int64_t id;
	int ch, r = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *eq;

		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'o':
			opinion = optarg;
			break;
		case 'p':
			panel = optarg;
			break;
		case 'c':
			if (n == CORE_PANEL_MAX_CRITERIA) {
				r = cli_fail("--criterion: at most %d",
				             CORE_PANEL_MAX_CRITERIA);
				goto out;
			}
			if (!(eq = strchr(optarg, '=')) || eq == optarg) {
				r = cli_fail("--criterion: '%s' is not "
				             "NAME=SCORE",
				             optarg);
				goto out;
			}
			if (!(copies[n] = strdup(optarg))) {
				r = cli_fail("out of memory");
				goto out;
			}
			copies[n][eq - optarg] = '\0';
			scores[n].criterion = copies[n];
			scores[n].score = copies[n] + (eq - optarg) + 1;
			n++;
			break;
		default:
			r = cli_fail("%s", usage);
			goto out;
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0 || n == 0) {
		r = cli_fail("%s", usage);
		goto out;
	}
	if (!(c = cli_open_as(cli, login)))
		goto out;
	if ((r = core_panel_score(c, panel, id, scores, n, opinion, &rc)) !=
	    0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	snprintf(msg, sizeof(msg), "nominee %" PRId64 ": scores submitted", id);
	r = print_receipt(msg, &rc);
out:
	core_close(c);
	for (size_t i = 0; i < n; i++)
		free(copies[i]);
	return r;
}
