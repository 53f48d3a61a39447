/*
 * nomdesk elig check --birth-date DATE --title-level LEVEL
 *     [--title-kind appointment|qualification|unknown] [--title-date DATE]
 *     [--category CATEGORY] [--conditions 1,4] [--evidence N=TEXT]...
 *     [--prior-leader 无|省级|市级] [--override TEXT]
 *     [--round-file FILE] [--format text|json]
 *
 * The eligibility engine on facts given on the command line, against the
 * data directory's current round or a round file.  Stores nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

#define MAX_CLAIMS 32
#define ROUND_FILE_MAX (1024 * 1024)

static const char usage[] =
    "usage: nomdesk elig check --birth-date YYYY-MM-DD|YYYY-MM "
    "--title-level 正高|副高|中级|初级|无 [--title-kind "
    "appointment|qualification|unknown] [--title-date YYYY-MM-DD] "
    "[--category CATEGORY] [--conditions 1,4] [--evidence N=TEXT] "
    "[--prior-leader 无|省级|市级] [--override TEXT] [--round-file FILE] "
    "[--format text|json]";

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
		if (*n >= MAX_CLAIMS)
			return -1;
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

	if (end == arg || *end != '=' || v < 1 || v > 99)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		if (claims[i].no == (int)v) {
			claims[i].evidence = end + 1;
			return 0;
		}
	}
	if (*n >= MAX_CLAIMS)
		return -1;
	claims[*n].no = (int)v;
	claims[(*n)++].evidence = end + 1;
	return 0;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!fp)
		return NULL;
	if ((buf = malloc(ROUND_FILE_MAX + 1)) != NULL) {
		n = fread(buf, 1, ROUND_FILE_MAX + 1, fp);
		if (n > ROUND_FILE_MAX) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = n;
		}
	}
	fclose(fp);
	return buf;
}

static int
print_result(const struct core_elig_result *res, enum cli_format fmt)
{
	if (fmt == FMT_JSON) {
		char *s = core_elig_json(res, 1);

		if (!s)
			return cli_fail("elig check: out of memory");
		printf("%s\n", s);
		free(s);
		return 0;
	}
	printf("verdict: %s\n", core_elig_verdict_name(res->verdict));
	for (size_t i = 0; i < res->n_rules; i++) {
		printf("  %-3s %-9s ", res->rules[i].rule,
		       core_rule_result_name(res->rules[i].result));
		cli_put_text(stdout, res->rules[i].detail);
		printf("\n");
	}
	return 0;
}

static int
elig_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"birth-date", required_argument, NULL, 'b'},
	    {"title-level", required_argument, NULL, 'l'},
	    {"title-kind", required_argument, NULL, 'k'},
	    {"title-date", required_argument, NULL, 'd'},
	    {"category", required_argument, NULL, 'c'},
	    {"conditions", required_argument, NULL, 'n'},
	    {"evidence", required_argument, NULL, 'e'},
	    {"prior-leader", required_argument, NULL, 'p'},
	    {"override", required_argument, NULL, 'o'},
	    {"round-file", required_argument, NULL, 'r'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct core_elig_claim claims[MAX_CLAIMS];
	struct core_elig_input in;
	struct core_elig_result res;
	enum cli_format fmt = FMT_TEXT;
	const char *round_file = NULL;
	int ch, rv, have_level = 0;
	size_t n = 0;

	memset(claims, 0, sizeof(claims));
	memset(&in, 0, sizeof(in));
	/* the dossier records the appointed title (所聘职称及聘任时间) */
	in.title_kind = CORE_TITLE_KIND_APPOINTMENT;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			in.birth_date = optarg;
			break;
		case 'l':
			if (core_title_level_parse(optarg, &in.title_level))
				return cli_fail(
				    "elig check: --title-level "
				    "must be 正高, 副高, 中级, 初级 "
				    "or 无, not '%s'",
				    optarg);
			have_level = 1;
			break;
		case 'k':
			if (strcmp(optarg, "appointment") == 0)
				in.title_kind = CORE_TITLE_KIND_APPOINTMENT;
			else if (strcmp(optarg, "qualification") == 0)
				in.title_kind = CORE_TITLE_KIND_QUALIFICATION;
			else if (strcmp(optarg, "unknown") == 0)
				in.title_kind = CORE_TITLE_KIND_UNKNOWN;
			else
				return cli_fail("elig check: --title-kind must "
				                "be appointment, qualification "
				                "or unknown");
			break;
		case 'd':
			in.title_date = optarg;
			break;
		case 'c':
			in.category = optarg;
			break;
		case 'n':
			if (parse_conditions(optarg, claims, &n) != 0)
				return cli_fail("elig check: --conditions: "
				                "numbers 1 to 9, e.g. 1,4");
			break;
		case 'e':
			if (add_evidence(optarg, claims, &n) != 0)
				return cli_fail(
				    "elig check: --evidence: N=TEXT "
				    "for a condition N");
			break;
		case 'p':
			if (core_prior_leader_parse(optarg, &in.prior_leader))
				return cli_fail("elig check: --prior-leader "
				                "must be 无, 省级 or 市级");
			break;
		case 'o':
			in.justification = optarg;
			break;
		case 'r':
			round_file = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, &fmt) != 0)
				return 1;
			break;
		default:
			return cli_fail("%s", usage);
		}
	}
	if (optind != argc)
		return cli_fail("elig check: unexpected argument '%s'",
		                argv[optind]);
	if (!in.birth_date || !have_level)
		return cli_fail("%s", usage);
	if (fmt == FMT_CSV)
		return cli_fail("elig check: --format must be text or json");
	in.claims = claims;
	in.n_claims = n;
	if (round_file) {
		struct core_round *r = NULL;
		char err[512], *text;
		size_t len = 0;

		if (!(text = read_file(round_file, &len)))
			return cli_fail("elig check: cannot read '%s' (at most "
			                "1 MiB)",
			                round_file);
		rv = core_round_parse(text, len, &r, err, sizeof(err));
		free(text);
		if (rv != 0)
			return cli_fail("%s: %s", round_file, err);
		rv = core_elig_evaluate(r, &in, &res);
		core_round_free(r);
		if (rv != 0)
			return cli_fail("%s", res.errmsg);
	} else {
		struct core *c = cli_open(cli);

		if (!c)
			return 1;
		rv = core_elig_check(c, &in, &res);
		if (rv != 0) {
			rv = cli_fail_core(c, rv);
			core_close(c);
			return rv;
		}
		core_close(c);
	}
	return print_result(&res, fmt);
}

int
cmd_elig(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return elig_check(cli, argc - 1, argv + 1);
	return cli_fail("%s", usage);
}
