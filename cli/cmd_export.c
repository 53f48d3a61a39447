/*
 * nomdesk export KIND --as LOGIN --format csv|xlsx -o FILE
 * KIND: nominees, local-notice, city-notice, recommended, quota.  The
 * format defaults to the file's extension (.csv or .xlsx).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/i18n.h"

#define EXPORT_USAGE                                                           \
	"usage: nomdesk export nominees|local-notice|city-notice|"             \
	"recommended|quota --as LOGIN --format csv|xlsx -o FILE"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	const char *login = NULL, *out = NULL, *format = NULL;
	enum core_export_kind kind;
	enum core_sheet_format fmt;
	struct core_receipt rc;
	struct core *c;
	size_t n = 0;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f')
			format = optarg;
		else if (ch == 'o')
			out = optarg;
		else
			return cli_fail(EXPORT_USAGE);
	}
	if (optind + 1 != argc || !out)
		return cli_fail(EXPORT_USAGE);
	if (core_export_kind_parse(argv[optind], &kind) != 0)
		return cli_fail("export: unknown list '%s' (%s)", argv[optind],
		                EXPORT_USAGE);
	if (!format)
		format = ends_with(out, ".xlsx")  ? "xlsx"
		         : ends_with(out, ".csv") ? "csv"
		                                  : NULL;
	if (format && strcmp(format, "csv") == 0)
		fmt = CORE_SHEET_CSV;
	else if (format && strcmp(format, "xlsx") == 0)
		fmt = CORE_SHEET_XLSX;
	else
		return cli_fail("export: --format must be csv or xlsx");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	memset(&rc, 0, sizeof(rc));
	r = core_export(c, kind, fmt, out, &n, &rc);
	if (r != 0) {
		r = cli_fail_core(c, r);
	} else {
		printf(_("exported %zu rows to %s (entry %llu, checkpoint "
		         "%llu %s)"),
		       n, out, (unsigned long long)rc.seq,
		       (unsigned long long)rc.tree_size, rc.root);
		putchar('\n');
	}
	core_close(c);
	return r;
}
