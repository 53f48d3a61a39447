/*
 * nomdesk nominee check ID --as LOGIN [--override TEXT] [--format
 *     text|json]: the verdict on a stored dossier.
 * nomdesk elig check --birth-date DATE --title-level LEVEL
 *     [--title-kind appointment|qualification|unknown] [--title-date DATE]
 *     [--category CATEGORY] [--conditions 1,4] [--evidence N=TEXT]...
 *     [--prior-leader 无|省级|市级] [--override TEXT]
 *     [--round-file FILE] [--format text|json]
 *
 * The eligibility engine on facts given on the command line, against the
 * data directory's current round or a round file.  Stores nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

#define MAX_CLAIMS 32
#define ROUND_FILE_MAX (1024 * 1024)

/* "1,4" or "1、4" or "1 4": numbers separated by anything else. */
static int
parse_conditions(const char *s, struct core_elig_claim *claims, size_t *n)
{
	const char *p = s;

	while (*p) {
		char *end;
		long v;

		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		v = strtol(p, &end, 10);
		if (*n >= MAX_CLAIMS) {
			return -1;
		}
		claims[(*n)++].no = (int)(v > 99 ? 99 : v);
		p = end;
	}
	return *n ? 0 : -1;
}

static int
add_evidence(const char *arg, struct core_elig_claim *claims, size_t *n)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end != '=' || v < 1 || v > 99) {
		return -1;
	}
	for (size_t i = 0; i < *n; i++) {
		if (claims[i].no == (int)v) {
			claims[i].evidence = end + 1;
			return 0;
		}
	}
	if (*n >= MAX_CLAIMS) {
		return -1;
	}
	claims[*n].no = (int)v;
	claims[(*n)++].evidence = end + 1;
	return 0;
}

static void print_rules(const struct core_elig_result *res);

static int
print_result(const struct core_elig_result *res, enum cli_format fmt)
{
	if (fmt == FMT_JSON) {
		char *s = core_elig_json(res, 1);

		if (!s) {
			return cli_fail("elig check: out of memory");
		}
		printf("%s\n", s);
		free(s);
		return 0;
	}
	printf("verdict: %s\n", core_elig_verdict_name(res->verdict));
	print_rules(res);
	return 0;
}

static void
print_rules(const struct core_elig_result *res)
{
	for (size_t i = 0; i < res->n_rules; i++) {
		printf("  %-3s %-9s ", res->rules[i].rule,
		       core_rule_result_name(res->rules[i].result));
		cli_put_text(stdout, res->rules[i].detail);
		printf("\n");
	}
}

struct elig_opts {
	const char *birth_date, *title_level, *title_kind, *title_date;
	const char *category, *prior_leader, *override, *round_file;
	struct opt_list conditions, evidence;
};

static const struct opt elig_opts[] = {
	OPT_STRING_REQ("birth-date", 0, struct elig_opts, birth_date,
		       "YYYY-MM-DD|YYYY-MM", "the nominee's birth date"),
	OPT_STRING_REQ("title-level", 0, struct elig_opts, title_level,
		       "正高|副高|中级|初级|无", "the title's level"),
	OPT_STRING("title-kind", 0, struct elig_opts, title_kind,
		   "appointment|qualification|unknown",
		   "appointed (the default) or only qualified"),
	OPT_STRING("title-date", 0, struct elig_opts, title_date,
		   "YYYY-MM-DD", "since when the title is held"),
	OPT_STRING("category", 0, struct elig_opts, category, "CATEGORY",
		   "the quota category"),
	OPT_LIST("conditions", 0, struct elig_opts, conditions, "1,4",
		 "the achievement conditions claimed"),
	OPT_LIST("evidence", 0, struct elig_opts, evidence, "N=TEXT",
		 "evidence for condition N"),
	OPT_STRING("prior-leader", 0, struct elig_opts, prior_leader,
		   "无|省级|市级", "leader of an earlier round"),
	OPT_STRING("override", 0, struct elig_opts, override, "TEXT",
		   "the justification of an override"),
	OPT_STRING("round-file", 0, struct elig_opts, round_file, "FILE",
		   "a round definition instead of the data directory's"),
	OPT_END(),
};

/* The engine's input from the options; 0 or the exit status. */
static int
elig_input(const struct elig_opts *o, struct core_elig_input *in,
	   struct core_elig_claim *claims)
{
	size_t i, n = 0;

	memset(in, 0, sizeof(*in));
	in->birth_date = o->birth_date;
	in->title_date = o->title_date;
	in->category = o->category;
	in->justification = o->override;
	if (core_title_level_parse(o->title_level, &in->title_level)) {
		return cli_fail("elig check: --title-level must be 正高, 副高, "
				"中级, 初级 or 无, not '%s'",
				o->title_level);
	}
	/* the dossier records the appointed title (所聘职称及聘任时间) */
	in->title_kind = CORE_TITLE_KIND_APPOINTMENT;
	if (o->title_kind && strcmp(o->title_kind, "qualification") == 0) {
		in->title_kind = CORE_TITLE_KIND_QUALIFICATION;
	} else if (o->title_kind && strcmp(o->title_kind, "unknown") == 0) {
		in->title_kind = CORE_TITLE_KIND_UNKNOWN;
	} else if (o->title_kind &&
		   strcmp(o->title_kind, "appointment") != 0) {
		return cli_fail("elig check: --title-kind must be appointment, "
				"qualification or unknown");
	}
	for (i = 0; i < o->conditions.n; i++) {
		if (parse_conditions(o->conditions.v[i], claims, &n) != 0) {
			return cli_fail("elig check: --conditions: numbers 1 "
					"to 9, e.g. 1,4");
		}
	}
	for (i = 0; i < o->evidence.n; i++) {
		if (add_evidence(o->evidence.v[i], claims, &n) != 0) {
			return cli_fail("elig check: --evidence: N=TEXT for a "
					"condition N");
		}
	}
	if (o->prior_leader &&
	    core_prior_leader_parse(o->prior_leader, &in->prior_leader)) {
		return cli_fail("elig check: --prior-leader must be 无, 省级 "
				"or 市级");
	}
	in->claims = claims;
	in->n_claims = n;
	return 0;
}

/* Against a round file: no data directory needed. */
static int
elig_on_file(const char *round_file, const struct core_elig_input *in,
	     struct core_elig_result *res)
{
	struct core_round *r = NULL;
	char err[512], *text;
	size_t len = 0;
	int rv;

	if (!(text = cli_read_file(round_file, ROUND_FILE_MAX, &len))) {
		return cli_fail("elig check: cannot read '%s' (at most 1 MiB)",
				round_file);
	}
	rv = core_round_parse(text, len, &r, err, sizeof(err));
	free(text);
	if (rv != 0) {
		return cli_fail("%s: %s", round_file, err);
	}
	rv = core_elig_evaluate(r, in, res);
	core_round_free(r);
	return rv != 0 ? cli_fail("%s", res->errmsg) : 0;
}

/* Opens the data directory itself: only without --round-file. */
static int
elig_check(struct cli_run *run)
{
	const struct elig_opts *o = run->opts;
	struct core_elig_claim claims[MAX_CLAIMS];
	struct core_elig_input in;
	struct core_elig_result res;
	struct core *c;
	int rv;

	memset(claims, 0, sizeof(claims));
	if ((rv = elig_input(o, &in, claims)) != 0) {
		return rv;
	}
	if (o->round_file) {
		rv = elig_on_file(o->round_file, &in, &res);
	} else if (!(c = cli_open(run->cli))) {
		rv = 1;
	} else {
		if ((rv = core_elig_check(c, &in, &res)) != 0) {
			rv = cli_fail_core(c, rv);
		}
		core_close(c);
	}
	return rv != 0 ? rv : print_result(&res, run->fmt);
}

static const struct cli_cmd elig_check_cmd = {
	.name = "check",
	.opts = CLI_OPTS(elig_opts, struct elig_opts),
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = elig_check,
	.help = "the eligibility verdict on facts given here; stores nothing",
};

struct nominee_check_opts {
	const char *override;
};

static const struct opt nominee_check_opts[] = {
	OPT_STRING("override", 0, struct nominee_check_opts, override, "TEXT",
		   "the justification a soft rule needs"),
	OPT_END(),
};

static int
nominee_check(struct cli_run *run)
{
	const struct nominee_check_opts *o = run->opts;
	struct core_elig_result *res = NULL;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0) {
		goto out;
	}
	if (!(res = calloc(1, sizeof(*res)))) {
		r = cli_fail("out of memory");
		goto out;
	}
	if ((r = core_nominee_check(run->c, id, o->override, res)) != 0) {
		r = cli_fail_core(run->c, r);
		goto out;
	}
	if (run->fmt == FMT_JSON) {
		r = print_result(res, FMT_JSON);
		goto out;
	}
	printf("nominee %" PRId64 ": %s\n", id,
	       core_elig_verdict_name(res->verdict));
	print_rules(res);
	r = 0;
out:
	free(res);
	return r;
}

const struct cli_cmd cli_cmd_nominee_check = {
	.name = "check",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(nominee_check_opts, struct nominee_check_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = nominee_check,
	.help = "the eligibility verdict on a nominee's dossier",
};

static const struct cli_cmd *const elig_cmds[] = {
	&elig_check_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_elig = {.name = "elig", .sub = elig_cmds};
