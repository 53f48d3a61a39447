/*
 * nomdesk round show|check|load: the round a notice announces (core/
 * round.c, round_check.c).
 * nomdesk round show [--code CODE] [--format text|json]
 * nomdesk round check [--code CODE] [--format text|csv|json] [--warn-only]
 * nomdesk round load FILE|--builtin CODE [--current] [--as LOGIN]
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

#define ROUND_FILE_MAX (1024 * 1024)

static void
put(const char *s)
{
	cli_put_text(stdout, s ? s : "");
}

/* A stored string in cols columns, padded (round-file text is data). */
static void
put_fit(const char *s, int cols)
{
	cli_put_fit(stdout, s ? s : "", cols);
}

static const char *
figure(int64_t limit, int uncapped, char *buf, size_t n)
{
	if (uncapped) {
		return "uncapped";
	}
	if (limit < 0) {
		return "shared";
	}
	snprintf(buf, n, "%" PRId64, limit);
	return buf;
}

static void
show_holders(const struct core_quota_node *q)
{
	if (q->n_children == 0 && q->any_holder) {
		printf("  [any holder]");
	} else if (q->n_children == 0 && q->n_holders <= 3) {
		for (size_t j = 0; j < q->n_holders; j++) {
			printf(j ? ", " : "  [");
			put(q->holders[j]);
			printf(j + 1 == q->n_holders ? "]" : "");
		}
	} else if (q->n_children == 0) {
		printf("  [%zu holders]", q->n_holders);
	}
}

/* Every string of the round file goes out sanitized: a round file is
 * data someone wrote, whatever the loader checked. */
static void
show_head(const struct core_round *r)
{
	const char *min = core_title_level_name(r->title_min);

	printf("round     ");
	put(r->code);
	printf("  (sha256 %.16s...)\n", r->sha256_hex);
	printf("title     ");
	put(r->title_zh);
	printf("\n          ");
	put(r->title_en);
	printf("\nyear %d, batch %d, target %d seats, reports to ", r->year,
	       r->batch, r->target);
	put(r->receiver);
	printf("\ndeadline  ");
	put(r->deadline);
	if (*r->deadline_county || *r->deadline_department) {
		printf(" (county ");
		put(*r->deadline_county ? r->deadline_county : "-");
		printf(", department ");
		put(*r->deadline_department ? r->deadline_department : "-");
		printf(")");
	}
	printf("\nage       at most %d%s in full years at ", r->age_limit,
	       r->age_inclusive ? " (inclusive)" : " (exclusive)");
	put(r->age_ref_date);
	printf("%s\n", r->age_relaxable ? "; may be relaxed for the "
	                                  "particularly outstanding"
	                                : "");
	printf("title     at least %s; counts: %s\n", min ? min : "?",
	       r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT ? "appointment"
	       : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	           ? "qualification"
	           : "either");
	printf("window    %d years back from ", r->window_years);
	put(r->window_ref_date);
	printf("\nexcluded  prior leaders:%s%s\n",
	       r->exclude_province ? " 省级" : "",
	       r->exclude_city ? " 市级" : "");
}

static void
show_rules(const struct core_round *r)
{
	printf("notices\n");
	for (size_t i = 0; i < r->n_notices; i++) {
		const struct core_round_notice *n = &r->notices[i];

		printf("  ");
		put_fit(n->tier, 10);
		printf(" ");
		if (n->days >= 0) {
			printf("%d ", n->days);
			put(*n->day_type ? n->day_type
			                 : "(day type not stated)");
			printf(" days\n");
		} else {
			printf("not stated\n");
		}
	}
	printf("conditions (any one of)\n");
	for (size_t i = 0; i < r->n_conditions; i++) {
		printf("  %d %-11s ", r->conditions[i].no,
		       r->conditions[i].evidence == CORE_EVIDENCE_DOCUMENTARY
		           ? "documentary"
		           : "judgement");
		put(r->conditions[i].zh);
		printf("\n");
	}
	printf("categories\n");
	for (size_t i = 0; i < r->n_categories; i++) {
		const struct core_round_category *k = &r->categories[i];

		printf("  ");
		put_fit(k->key, 12);
		printf(" ");
		put(k->name_zh);
		printf("  relaxes:%s%s%s%s\n",
		       k->relax & CORE_RELAX_TITLE ? " title" : "",
		       k->relax & CORE_RELAX_AGE ? " age" : "",
		       k->relax & CORE_RELAX_CONDITIONS ? " conditions" : "",
		       k->relax ? "" : " nothing");
	}
}

static void
show_quotas(const struct core_round *r)
{
	char buf[32];

	printf("quotas (as the notice states them%s)\n",
	       r->stated_parts ? "; see `nomdesk round check`" : "");
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		printf("  %*s", q->depth * 2, "");
		put_fit(q->code, 28 - q->depth * 2);
		printf(" %8s ",
		       figure(q->limit, q->uncapped, buf, sizeof(buf)));
		put(q->name_zh);
		show_holders(q);
		if (*q->channel) {
			printf(" channel ");
			put(q->channel);
		}
		if (q->justification) {
			printf(" (justification required)");
		}
		if (!q->enforce) {
			printf(" (not enforced)");
		}
		printf("\n");
	}
}

static void
show_materials(const struct core_round *r)
{
	printf("materials\n");
	for (size_t i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];

		printf("  ");
		put_fit(m->key, 18);
		if (m->copies >= 0) {
			printf(" x%-2d ", m->copies);
		} else {
			printf(" x?  ");
		}
		put(m->name_zh);
		printf("%s%s%s\n", m->electronic ? " +electronic" : "",
		       m->originals ? " +originals" : "",
		       m->required ? "" : " (optional)");
	}
	printf("readings\n");
	for (size_t i = 0; i < r->n_readings; i++) {
		const struct core_round_reading *g = &r->readings[i];

		printf("  ");
		put_fit(g->issue, 5);
		printf(" ");
		put(g->reading);
		printf(" [%s]\n", *g->chosen_by ? "signed" : "unsigned");
	}
}

static void
show_text(const struct core_round *r)
{
	show_head(r);
	show_rules(r);
	show_quotas(r);
	show_materials(r);
}

/* A copy of a parsed JSON value with every string sanitized. */
static json_object *
json_clean(json_object *o)
{
	json_object *out;

	switch (json_object_get_type(o)) {
	case json_type_string:
		return cli_json_string(json_object_get_string(o));
	case json_type_array:
		out = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			json_object_array_add(
			    out, json_clean(json_object_array_get_idx(o, i)));
		}
		return out;
	case json_type_object:
		out = json_object_new_object();
		json_object_object_foreach(o, key, val)
		{
			char *k = cli_sanitize_dup(key, 0);

			json_object_object_add(out, k, json_clean(val));
			free(k);
		}
		return out;
	default:
		return json_object_get(o); /* numbers, booleans, null */
	}
}

static int
show_json(const struct core_round *r)
{
	json_object *o = json_tokener_parse(r->json);

	if (!o) {
		return cli_fail(
		    "round show: the stored definition is not JSON");
	}
	cli_json_print(json_clean(o));
	json_object_put(o);
	return 0;
}

static const char *const finding_cols[] = {"issue",  "kind", "node",
                                           "stated", "sum",  "message"};
static const int finding_width[] = {5, 9, 0, 0, 0, 0};
static const enum cli_col_type finding_type[] = {
    CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,
    CLI_COL_NUM, CLI_COL_NUM, CLI_COL_STR};

static void
check_print(enum cli_format fmt, const struct core_round *r,
            const struct core_round_finding *f, size_t n)
{
	struct cli_table t = {.fmt = fmt,
	                      .cols = finding_cols,
	                      .width = finding_width,
	                      .type = finding_type,
	                      .n_cols = 6};

	if (fmt == FMT_TEXT) {
		for (size_t i = 0; i < n; i++) {
			put_fit(*f[i].issue ? f[i].issue : "-", 5);
			printf(" ");
			put_fit(f[i].kind, 9);
			printf(" ");
			put(f[i].message);
			printf("\n");
		}
		if (n == 0) {
			printf("round ");
			put(r->code);
			printf(": the quota figures add up\n");
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char stated[24], sum[24];
		const char *v[6];

		snprintf(stated, sizeof(stated), "%" PRId64, f[i].stated);
		snprintf(sum, sizeof(sum), "%" PRId64, f[i].sum);
		v[0] = f[i].issue;
		v[1] = f[i].kind;
		v[2] = f[i].node;
		v[3] = stated;
		v[4] = sum;
		v[5] = f[i].message;
		cli_table_row(&t, v);
	}
	cli_table_end(&t);
}

struct round_opts {
	const char *code;
	int warn_only;
};

static const struct opt round_show_opts[] = {
	OPT_STRING("code", 0, struct round_opts, code, "CODE",
		   "the round (default: the current one)"),
	OPT_END(),
};

static const struct opt round_check_opts[] = {
	OPT_STRING("code", 0, struct round_opts, code, "CODE",
		   "the round (default: the current one)"),
	OPT_FLAG("warn-only", 0, struct round_opts, warn_only,
		 "exit 0 even with inconsistencies"),
	OPT_END(),
};

/* The round --code names (or the current one); NULL after one line. */
static struct core_round *
round_get(struct cli_run *run)
{
	const struct round_opts *o = run->opts;
	struct core_round *r = NULL;
	int rv;

	if ((rv = core_round_get(run->c, o->code, &r)) != 0) {
		cli_fail_core(run->c, rv);
		return NULL;
	}
	return r;
}

static int
round_show(struct cli_run *run)
{
	struct core_round *r = round_get(run);
	int rv = 0;

	if (!r) {
		return 1;
	}
	if (run->fmt == FMT_JSON) {
		rv = show_json(r);
	} else {
		show_text(r);
	}
	core_round_free(r);
	return rv;
}

static int
round_check(struct cli_run *run)
{
	const struct round_opts *o = run->opts;
	struct core_round *r = round_get(run);
	struct core_round_finding *f = NULL;
	size_t n = 0;
	char *safe;
	int rv = 0;

	if (!r) {
		return 1;
	}
	if (core_round_check(r, &f, &n) != 0) {
		core_round_free(r);
		return cli_fail("round check: out of memory");
	}
	check_print(run->fmt, r, f, n);
	if (n > 0 && !o->warn_only) {
		safe = cli_sanitize_dup(r->code, 0);
		rv = cli_fail("round check: %zu inconsistencies in the "
			      "notice's arithmetic of round %s (stated "
			      "figures kept as they are)",
			      n, safe);
		free(safe);
	}
	free(f);
	core_round_free(r);
	return rv;
}

struct round_load_opts {
	const char *builtin;
	int current;
};

static const struct opt round_load_opts[] = {
	OPT_STRING("builtin", 0, struct round_load_opts, builtin, "CODE",
		   "a round built into nomdesk instead of FILE"),
	OPT_FLAG("current", 0, struct round_load_opts, current,
		 "make it the current round"),
	OPT_END(),
};

/* Before the data directory opens: FILE or --builtin, not both. */
static int
round_load_check(struct cli_run *run)
{
	const struct round_load_opts *o = run->opts;

	if ((o->builtin != NULL) == (run->argc == 1)) {
		return cli_fail("round load: give one FILE or --builtin CODE");
	}
	return 0;
}

/* Without --as the console operator loads it. */
static int
round_load(struct cli_run *run)
{
	const struct round_load_opts *o = run->opts;
	struct core_receipt rc;
	char *text = NULL;
	size_t len = 0;
	int rv;

	if (!o->builtin &&
	    !(text = cli_read_file(run->argv[0], ROUND_FILE_MAX, &len))) {
		return cli_fail("round load: cannot read '%s' (at most 1 MiB)",
				run->argv[0]);
	}
	rv = o->builtin ? core_round_load_builtin(run->c, o->builtin,
						  o->current, &rc)
			: core_round_load(run->c, text, len, o->current, &rc);
	free(text);
	if (rv != 0) {
		return cli_fail_core(run->c, rv);
	}
	printf("loaded round (entry %" PRIu64 ", checkpoint %" PRIu64 " %s)\n",
	       rc.seq, rc.tree_size, rc.root);
	return 0;
}

/* A round is a document of nested parts, not a table: show has text and
 * JSON; its tables have CSV elsewhere (`round check`, `quota`). */
static const struct cli_cmd round_show_cmd = {
	.name = "show",
	.opts = CLI_OPTS(round_show_opts, struct round_opts),
	.flags = CLI_NEEDS_DATA,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.formats_note = "a round is a nested document, not a table; `round "
			"check` and `quota` give its tables as CSV",
	.run = round_show,
	.help = "the round: dates, categories, quotas, rules",
};

static const struct cli_cmd round_check_cmd = {
	.name = "check",
	.opts = CLI_OPTS(round_check_opts, struct round_opts),
	.flags = CLI_NEEDS_DATA,
	.formats = CLI_FORMATS_ALL,
	.run = round_check,
	.help = "check the notice's arithmetic; exit 1 on inconsistencies",
};

static const struct cli_cmd round_load_cmd = {
	.name = "load",
	.operands = "[FILE]",
	.min_args = 0,
	.max_args = 1,
	.opts = CLI_OPTS(round_load_opts, struct round_load_opts),
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.prepare = round_load_check,
	.run = round_load,
	.help = "load a round from FILE or a built-in one",
};

static const struct cli_cmd *const round_cmds[] = {
	&round_show_cmd,
	&round_check_cmd,
	&round_load_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_round = {.name = "round", .sub = round_cmds};
