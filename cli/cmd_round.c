/*
 * nomdesk round show [--code CODE] [--format text|json]
 * nomdesk round check [--code CODE] [--format text|csv|json] [--warn-only]
 * nomdesk round load FILE|--builtin CODE [--current] [--as LOGIN]
 */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	if (uncapped)
		return "uncapped";
	if (limit < 0)
		return "shared";
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
show_text(const struct core_round *r)
{
	const char *min = core_title_level_name(r->title_min);
	char buf[32];

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
		if (q->justification)
			printf(" (justification required)");
		if (!q->enforce)
			printf(" (not enforced)");
		printf("\n");
	}
	printf("materials\n");
	for (size_t i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];

		printf("  ");
		put_fit(m->key, 18);
		if (m->copies >= 0)
			printf(" x%-2d ", m->copies);
		else
			printf(" x?  ");
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
		for (size_t i = 0; i < json_object_array_length(o); i++)
			json_object_array_add(
			    out, json_clean(json_object_array_get_idx(o, i)));
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

	if (!o)
		return cli_fail(
		    "round show: the stored definition is not JSON");
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

static int
round_show_check(struct cli *cli, int argc, char **argv, int check)
{
	static const struct option opts[] = {
	    {"code", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"warn-only", no_argument, NULL, 'w'},
	    {NULL, 0, NULL, 0},
	};
	/* A round is a document of nested parts, not a table: show has
	 * text and JSON; its tables have CSV elsewhere (`round check`,
	 * `quota`).  check lists findings: a table, so CSV too. */
	static const char show_usage[] =
	    "usage: nomdesk round show [--code CODE] [--format text|json] "
	    "(no CSV: a round is a nested document; `round check` and "
	    "`quota` give its tables as CSV)";
	static const char check_usage[] =
	    "usage: nomdesk round check [--code CODE] [--format "
	    "text|csv|json] [--warn-only]";
	enum cli_format fmt = FMT_TEXT;
	const char *code = NULL;
	struct core_round *r = NULL;
	struct core_round_finding *f = NULL;
	struct core *c;
	size_t n = 0;
	int ch, rv, warn_only = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c') {
			code = optarg;
		} else if (ch == 'f' && !check && !strcmp(optarg, "csv")) {
			return cli_fail("--format: must be text or json, not "
			                "'csv' (a round is a nested document, "
			                "not a table; `round check` and `quota` "
			                "give its tables as CSV)");
		} else if (ch == 'f') {
			unsigned ok = check ? CLI_FORMATS_ALL
			                    : CLI_FMT_TEXT | CLI_FMT_JSON;

			if (cli_format_parse(optarg, ok, &fmt) != 0)
				return 1;
		} else if (ch == 'w' && check) {
			warn_only = 1;
		} else {
			return cli_fail("%s", check ? check_usage : show_usage);
		}
	}
	if (optind != argc)
		return cli_fail("round: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = cli_open(cli)))
		return 1;
	if ((rv = core_round_get(c, code, &r)) != 0) {
		rv = cli_fail_core(c, rv);
		core_close(c);
		return rv;
	}
	core_close(c);
	if (!check) {
		if (fmt == FMT_JSON)
			rv = show_json(r);
		else
			show_text(r);
		core_round_free(r);
		return rv;
	}
	if (core_round_check(r, &f, &n) != 0) {
		core_round_free(r);
		return cli_fail("round check: out of memory");
	}
	check_print(fmt, r, f, n);
	rv = 0;
	if (n > 0 && !warn_only) {
		char *safe = cli_sanitize_dup(r->code, 0);

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

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!fp)
		return NULL;
	if (!(buf = malloc(ROUND_FILE_MAX + 1))) {
		fclose(fp);
		return NULL;
	}
	n = fread(buf, 1, ROUND_FILE_MAX + 1, fp);
	fclose(fp);
	if (n > ROUND_FILE_MAX) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
round_load(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"builtin", required_argument, NULL, 'b'},
	    {"current", no_argument, NULL, 'c'},
	    {"as", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *builtin = NULL, *login = NULL;
	struct passwd *pw = getpwuid(getuid());
	struct core_receipt rc;
	struct core *c;
	char *text = NULL;
	size_t len = 0;
	int ch, rv, current = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'b')
			builtin = optarg;
		else if (ch == 'c')
			current = 1;
		else if (ch == 'a')
			login = optarg;
		else
			return cli_fail("usage: nomdesk round load FILE|"
			                "--builtin CODE [--current] [--as "
			                "LOGIN]");
	}
	if ((builtin != NULL) == (optind + 1 == argc) || optind + 1 < argc)
		return cli_fail("round load: give one FILE or --builtin CODE");
	if (!builtin && !(text = read_file(argv[optind], &len)))
		return cli_fail("round load: cannot read '%s' (at most 1 MiB)",
		                argv[optind]);
	c = login ? cli_open_as(cli, login) : cli_open(cli);
	if (!c) {
		free(text);
		return 1;
	}
	if (!login)
		core_act_as_system(c, pw ? pw->pw_name : "?");
	rv = builtin ? core_round_load_builtin(c, builtin, current, &rc)
	             : core_round_load(c, text, len, current, &rc);
	free(text);
	if (rv != 0) {
		rv = cli_fail_core(c, rv);
		core_close(c);
		return rv;
	}
	core_close(c);
	printf("loaded round (entry %" PRIu64 ", checkpoint %" PRIu64 " %s)\n",
	       rc.seq, rc.tree_size, rc.root);
	return 0;
}

int
cmd_round(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return round_show_check(cli, argc - 1, argv + 1, 0);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return round_show_check(cli, argc - 1, argv + 1, 1);
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return round_load(cli, argc - 1, argv + 1);
	return cli_fail("usage: nomdesk round show|check|load ...");
}
