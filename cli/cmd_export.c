/*
 * nomdesk export KIND --as LOGIN --format csv|xlsx -o FILE
 * KIND: nominees, local-notice, city-notice, recommended, quota.  The
 * format defaults to the file's extension (.csv or .xlsx).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/i18n.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

struct export_opts {
	const char *format, *output;
};

/* --format here is the file's, not a listing's: not the shared one. */
static const struct opt export_opts[] = {
	OPT_STRING("format", 0, struct export_opts, format, "csv|xlsx",
		   "the file's format (default: from its extension)"),
	{"output", 'o', OPT_KIND_STRING, offsetof(struct export_opts, output),
	 "FILE", "the file to write", OPT_REQ},
	OPT_END(),
};

/* The sheet format from --format, else the file's extension; 0 or -1. */
static int
export_format(const struct export_opts *o, enum core_sheet_format *fmt)
{
	const char *f = o->format;

	if (!f) {
		f = ends_with(o->output, ".xlsx")  ? "xlsx"
		    : ends_with(o->output, ".csv") ? "csv"
						   : "";
	}
	if (strcmp(f, "csv") == 0) {
		*fmt = CORE_SHEET_CSV;
	} else if (strcmp(f, "xlsx") == 0) {
		*fmt = CORE_SHEET_XLSX;
	} else {
		return -1;
	}
	return 0;
}

static int
export_run(struct cli_run *run)
{
	const struct export_opts *o = run->opts;
	enum core_export_kind kind;
	enum core_sheet_format fmt;
	struct core_receipt rc;
	size_t n = 0;
	int r;

	if (core_export_kind_parse(run->argv[0], &kind) != 0) {
		return cli_fail("export: unknown list '%s' (nominees, "
				"local-notice, city-notice, recommended or "
				"quota)",
				run->argv[0]);
	}
	if (export_format(o, &fmt) != 0) {
		return cli_fail("export: --format must be csv or xlsx");
	}
	memset(&rc, 0, sizeof(rc));
	if ((r = core_export(run->c, kind, fmt, o->output, &n, &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf(_("exported %zu rows to %s (entry %llu, checkpoint "
		 "%llu %s)"),
	       n, o->output, (unsigned long long)rc.seq,
	       (unsigned long long)rc.tree_size, rc.root);
	putchar('\n');
	return 0;
}

const struct cli_cmd cli_cmd_export = {
	.name = "export",
	.operands = "KIND",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(export_opts, struct export_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = export_run,
	.help = "write a list (nominees, local-notice, city-notice, "
		"recommended, quota) as a spreadsheet",
};
