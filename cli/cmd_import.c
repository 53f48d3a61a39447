/*
 * nomdesk nominee import FILE --as LOGIN [--dry-run]: a CSV, .xls or .xlsx
 * list of nominees (domain.md 8), all rows or none.  Every problem is
 * printed as LINE:COLUMN: field: rule on stderr; the exit status is 1 if
 * anything was wrong (then nothing was imported).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/i18n.h"
#include "core/utf8.h"

static void
put_error(const struct core_import_error *e)
{
	char msg[2048];

	utf8_sanitize(e->message ? e->message : "", msg, sizeof(msg), 0);
	if (e->column[0]) {
		fprintf(stderr, "%zu:%s: %s\n", e->line, e->column, msg);
	} else {
		fprintf(stderr, "%zu: %s\n", e->line, msg);
}
}

struct import_opts {
	int dry_run;
};

static const struct opt import_opts[] = {
	OPT_FLAG("dry-run", 0, struct import_opts, dry_run,
		 "check every row, import nothing"),
	OPT_END(),
};

static void
put_outcome(const struct core_import_report *rep,
	    const struct core_receipt *rc, int dry)
{
	if (dry) {
		printf(_("%zu rows checked (%s%s%s): all valid; nothing "
			 "imported (dry run)"),
		       rep->n_rows, rep->format, rep->encoding[0] ? ", " : "",
		       rep->encoding);
	} else {
		printf(_("imported %zu nominees (%lld-%lld); checkpoint "
			 "%llu %s"),
		       rep->n_imported, (long long)rep->first_id,
		       (long long)rep->last_id,
		       (unsigned long long)rc->tree_size, rc->root);
	}
	putchar('\n');
}

static int
nominee_import(struct cli_run *run)
{
	const struct import_opts *o = run->opts;
	struct core_import_report rep;
	struct core_receipt rc;
	int r;

	memset(&rc, 0, sizeof(rc));
	r = core_import_file(run->c, run->argv[0], o->dry_run, &rep, &rc);
	for (size_t i = 0; i < rep.n_errors; i++) {
		put_error(&rep.errors[i]);
	}
	if (rep.n_errors_dropped) {
		fprintf(stderr, _("... and %zu more problems not listed"),
			rep.n_errors_dropped);
		fputc('\n', stderr);
	}
	if (r != 0) {
		r = cli_fail_core(run->c, r);
	} else {
		put_outcome(&rep, &rc, o->dry_run);
	}
	core_import_report_release(&rep);
	return r;
}

const struct cli_cmd cli_cmd_nominee_import = {
	.name = "import",
	.operands = "FILE",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(import_opts, struct import_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = nominee_import,
	.help = "import nominees from CSV, .xls or .xlsx, all rows or none",
};
