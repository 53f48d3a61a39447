/*
 * nomdesk round show [--code CODE] [--format text|json]
 * nomdesk round check [--code CODE] [--format text|json] [--warn-only]
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
#include "core/utf8.h"

#define ROUND_FILE_MAX (1024 * 1024)

static void
put(const char *s)
{
	cli_put_text(stdout, s ? s : "");
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
	printf("\nage       at most %d%s in full years at %s%s\n", r->age_limit,
	       r->age_inclusive ? " (inclusive)" : " (exclusive)",
	       r->age_ref_date,
	       r->age_relaxable ? "; may be relaxed for the particularly "
	                          "outstanding"
	                        : "");
	printf("title     at least %s; counts: %s\n", min ? min : "?",
	       r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT ? "appointment"
	       : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	           ? "qualification"
	           : "either");
	printf("window    %d years back from %s\n", r->window_years,
	       r->window_ref_date);
	printf("excluded  prior leaders:%s%s\n",
	       r->exclude_province ? " 省级" : "",
	       r->exclude_city ? " 市级" : "");
	printf("notices\n");
	for (size_t i = 0; i < r->n_notices; i++) {
		const struct core_round_notice *n = &r->notices[i];

		printf("  %-10s ", n->tier);
		if (n->days >= 0)
			printf("%d %s days\n", n->days,
			       *n->day_type ? n->day_type
			                    : "(day type not "
			                      "stated)");
		else
			printf("not stated\n");
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

		printf("  %-12s ", k->key);
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

		printf("  %*s%-*s %8s ", q->depth * 2, "", 28 - q->depth * 2,
		       q->code,
		       figure(q->limit, q->uncapped, buf, sizeof(buf)));
		put(q->name_zh);
		if (q->n_children == 0 && q->any_holder)
			printf("  [any holder]");
		else if (q->n_children == 0 && q->n_holders <= 3)
			for (size_t j = 0; j < q->n_holders; j++) {
				printf(j ? ", " : "  [");
				put(q->holders[j]);
				printf(j + 1 == q->n_holders ? "]" : "");
			}
		else if (q->n_children == 0)
			printf("  [%zu holders]", q->n_holders);
		if (*q->channel)
			printf(" channel %s", q->channel);
		if (q->justification)
			printf(" (justification required)");
		if (!q->enforce)
			printf(" (not enforced)");
		printf("\n");
	}
	printf("materials\n");
	for (size_t i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];

		printf("  %-18s ", m->key);
		if (m->copies >= 0)
			printf("x%-2d ", m->copies);
		else
			printf("x?  ");
		put(m->name_zh);
		printf("%s%s%s\n", m->electronic ? " +electronic" : "",
		       m->originals ? " +originals" : "",
		       m->required ? "" : " (optional)");
	}
	printf("readings\n");
	for (size_t i = 0; i < r->n_readings; i++) {
		const struct core_round_reading *g = &r->readings[i];

		printf("  %-5s ", g->issue);
		put(g->reading);
		printf(" [%s]\n", *g->chosen_by ? "signed" : "unsigned");
	}
}

static int
show_json(const struct core_round *r)
{
	json_object *o = json_tokener_parse(r->json);
	const char *s;

	if (!o)
		return cli_fail(
		    "round show: the stored definition is not JSON");
	s = json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	           JSON_C_TO_STRING_NOSLASHESCAPE);
	printf("%s\n", s ? s : "");
	json_object_put(o);
	return 0;
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
	enum cli_format fmt = FMT_TEXT;
	const char *code = NULL;
	struct core_round *r = NULL;
	struct core_round_finding *f = NULL;
	struct core *c;
	size_t n = 0;
	int ch, rv, warn_only = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			code = optarg;
		else if (ch == 'f' && cli_parse_format(optarg, &fmt) == 0)
			continue;
		else if (ch == 'w' && check)
			warn_only = 1;
		else
			return cli_fail(check ? "usage: nomdesk round check "
			                        "[--code CODE] [--format "
			                        "text|json] [--warn-only]"
			                      : "usage: nomdesk round show "
			                        "[--code CODE] [--format "
			                        "text|json]");
	}
	if (optind != argc)
		return cli_fail("round: unexpected argument '%s'",
		                argv[optind]);
	if (fmt == FMT_CSV)
		return cli_fail("round: --format must be text or json");
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
	if (fmt == FMT_JSON) {
		json_object *a = json_object_new_array();

		for (size_t i = 0; a && i < n; i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(
			    o, "issue", json_object_new_string(f[i].issue));
			json_object_object_add(
			    o, "kind", json_object_new_string(f[i].kind));
			json_object_object_add(
			    o, "node", json_object_new_string(f[i].node));
			json_object_object_add(
			    o, "stated", json_object_new_int64(f[i].stated));
			json_object_object_add(o, "sum",
			                       json_object_new_int64(f[i].sum));
			json_object_object_add(
			    o, "message", json_object_new_string(f[i].message));
			json_object_array_add(a, o);
		}
		printf("%s\n", a ? json_object_to_json_string_ext(
		                       a, JSON_C_TO_STRING_PRETTY |
		                              JSON_C_TO_STRING_SPACED |
		                              JSON_C_TO_STRING_NOSLASHESCAPE)
		                 : "[]");
		json_object_put(a);
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%-5s %-9s ", *f[i].issue ? f[i].issue : "-",
			       f[i].kind);
			put(f[i].message);
			printf("\n");
		}
		if (n == 0)
			printf("round %s: the quota figures add up\n", r->code);
	}
	rv = 0;
	if (n > 0 && !warn_only)
		rv = cli_fail("round check: %zu inconsistencies in the "
		              "notice's arithmetic of round %s (stated "
		              "figures kept as they are)",
		              n, r->code);
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
