/*
 * cli/opt.c: the option arrays every command parses with.  Linked alone
 * into the unit tests (it needs only libc), so refusals are checked word
 * for word here and the commands' e2e tests need not repeat them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "tests/lib/runner.h"

struct t_opts {
	const char *name;
	const char *out;
	int demo;
	long long n;
	struct opt_list witness;
};

static const struct opt t_table[] = {
	OPT_STRING_REQ("name", 0, struct t_opts, name, "NAME", "the name"),
	OPT_FLAG("demo", 0, struct t_opts, demo, "demo accounts too"),
	OPT_INT("max", 0, struct t_opts, n, "N", "at most N"),
	OPT_LIST("witness", 0, struct t_opts, witness, "FILE", NULL),
	OPT_STRING("out", 'o', struct t_opts, out, "FILE", "write FILE"),
	OPT_END(),
};

/* Parses a NULL-ended word list into *o; the count or -1, err set. */
static int
parse(struct t_opts *o, char **words, char *err, size_t errsz)
{
	const struct opt_group g[] = {{t_table, o}, {NULL, NULL}};
	int n = 0;

	while (words[n]) {
		n++;
	}
	memset(o, 0, sizeof(*o));
	return opt_parse(g, n, words, err, errsz);
}

static void
test_cli_opt__mixed_operands_kept_in_order(void)
{
	char *w[] = {"A", "--name", "x", "B", "--demo", "-o", "f", "--",
		     "--max", NULL};
	struct t_opts o;
	char err[128];

	CHECK_INT(parse(&o, w, err, sizeof(err)), 3);
	CHECK_STR(w[0], "A");
	CHECK_STR(w[1], "B");
	CHECK_STR(w[2], "--max"); /* after "--": an operand */
	CHECK_STR(o.name, "x");
	CHECK_STR(o.out, "f");
	CHECK_INT(o.demo, 1);
	CHECK_INT(o.n, 0);
}

static void
test_cli_opt__equals_attached_and_repeated(void)
{
	char *w[] = {"--name=a=b", "-ofile", "--max=-3", "--witness", "w1",
		     "--witness=w2", "-", NULL};
	struct t_opts o;
	char err[128];

	CHECK_INT(parse(&o, w, err, sizeof(err)), 1);
	CHECK_STR(w[0], "-");
	CHECK_STR(o.name, "a=b");
	CHECK_STR(o.out, "file");
	CHECK_INT(o.n, -3);
	CHECK_INT(o.witness.n, 2);
	CHECK_STR(o.witness.v[0], "w1");
	CHECK_STR(o.witness.v[1], "w2");
}

struct refusal_row {
	char *words[4];
	const char *want;
};

static void
test_cli_opt__refusals_name_the_option(void)
{
	static const struct refusal_row rows[] = {
		{{"--nme", "x", NULL}, "unknown option '--nme'"},
		{{"--nam", "x", NULL}, "unknown option '--nam'"}, /* no prefixes */
		{{"-x", NULL}, "unknown option '-x'"},
		{{"--name", NULL}, "option '--name' needs an argument (NAME)"},
		{{"--name", "a", "-o", NULL},
		 "option '-o' needs an argument (FILE)"},
		{{"--name", "a", "--max", "7x"},
		 "option '--max' takes a number, not '7x'"},
		{{"--name", "a", "--max="}, "option '--max' takes a number, not ''"},
		{{"--name", "a", "--demo=1", NULL},
		 "option '--demo' takes no argument"},
		{{"--demo", NULL}, "missing option '--name NAME'"},
	};
	struct t_opts o;
	char err[128], *w[5];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(w, rows[i].words, sizeof(rows[i].words));
		w[4] = NULL;
		CHECK_INT(parse(&o, w, err, sizeof(err)), -1);
		CHECK_STR(err, rows[i].want);
	}
}

static void
test_cli_opt__list_has_a_limit(void)
{
	char *w[2 * OPT_LIST_MAX + 5];
	struct t_opts o;
	char err[128];
	int i, n = 0;

	w[n++] = "--name";
	w[n++] = "x";
	for (i = 0; i <= OPT_LIST_MAX; i++) {
		w[n++] = "--witness";
		w[n++] = "f";
	}
	w[n] = NULL;
	CHECK_INT(parse(&o, w, err, sizeof(err)), -1);
	CHECK(strstr(err, "'--witness'") != NULL);
}

struct t_edit {
	const char *as;
	struct opt_other fields;
};

static const struct opt t_edit_table[] = {
	OPT_STRING("as", 0, struct t_edit, as, "LOGIN", NULL),
	OPT_OTHER("FIELD", struct t_edit, fields, "VALUE", "set FIELD"),
	OPT_END(),
};

/* Options named at run time: whatever no entry names, named in full. */
static void
test_cli_opt__other_takes_unnamed_long_options(void)
{
	char *w[] = {"7", "--title-level", "x", "--as", "me", "--name=y=z",
		     "-q", NULL};
	struct t_edit e;
	const struct opt_group gg[] = {{t_edit_table, &e}, {NULL, NULL}};
	char err[128], *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&e, 0, sizeof(e));
	CHECK_INT(opt_parse(gg, 6, w, err, sizeof(err)), 1);
	CHECK_STR(e.as, "me");
	CHECK_INT(e.fields.n, 2);
	CHECK_INT(e.fields.v[0].name_len, 11);
	CHECK(strncmp(e.fields.v[0].name, "title-level", 11) == 0);
	CHECK_STR(e.fields.v[0].value, "x");
	CHECK_INT(e.fields.v[1].name_len, 4);
	CHECK_STR(e.fields.v[1].value, "y=z");
	memset(&e, 0, sizeof(e));
	CHECK_INT(opt_parse(gg, 1, w + 6, err, sizeof(err)), -1);
	CHECK_STR(err, "unknown option '-q'"); /* only long ones */
	f = open_memstream(&buf, &len);
	opt_usage(f, t_edit_table);
	fclose(f);
	CHECK_STR(buf, " [--as LOGIN] [--FIELD VALUE]...");
	free(buf);
}

/* The usage line and help come from the same array as the parse. */
static void
test_cli_opt__usage_from_the_array(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	opt_usage(f, t_table);
	fclose(f);
	CHECK_STR(buf, " --name NAME [--demo] [--max N] [--witness FILE]... "
		       "[-o FILE]");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	opt_help(f, t_table);
	fclose(f);
	CHECK(strstr(buf, "  --name NAME                  the name\n") != NULL);
	CHECK(strstr(buf, "  -o, --out FILE               write FILE\n") !=
	      NULL);
	CHECK(strstr(buf, "witness") == NULL); /* no help: not listed */
	free(buf);
}

static const struct test_case tests_cli_opt[] = {
	{"cli_opt__mixed_operands_kept_in_order",
	 test_cli_opt__mixed_operands_kept_in_order},
	{"cli_opt__equals_attached_and_repeated",
	 test_cli_opt__equals_attached_and_repeated},
	{"cli_opt__refusals_name_the_option",
	 test_cli_opt__refusals_name_the_option},
	{"cli_opt__list_has_a_limit", test_cli_opt__list_has_a_limit},
	{"cli_opt__usage_from_the_array", test_cli_opt__usage_from_the_array},
	{"cli_opt__other_takes_unnamed_long_options",
	 test_cli_opt__other_takes_unnamed_long_options},
	{NULL, NULL},
};
TEST_REGISTER(tests_cli_opt)
