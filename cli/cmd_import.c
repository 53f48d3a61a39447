/*
 * nomdesk nominee import FILE --as LOGIN [--dry-run]: a CSV, .xls or .xlsx
 * list of nominees (domain.md 8), all rows or none.  Every problem is
 * printed as LINE:COLUMN: field: rule on stderr; the exit status is 1 if
 * anything was wrong (then nothing was imported).
 */
#include <getopt.h>
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
	if (e->column[0])
		fprintf(stderr, "%zu:%s: %s\n", e->line, e->column, msg);
	else
		fprintf(stderr, "%zu: %s\n", e->line, msg);
}

int
cmd_nominee_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct core_import_report rep;
	struct core_receipt rc;
	const char *login = NULL, *file = NULL;
	struct core *c;
	int ch, r, dry = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'n')
			dry = 1;
		else
			return cli_fail("usage: nomdesk nominee import FILE "
			                "--as LOGIN [--dry-run]");
	}
	if (optind + 1 != argc)
		return cli_fail("usage: nomdesk nominee import FILE --as "
		                "LOGIN [--dry-run]");
	file = argv[optind];
	if (!(c = cli_open_as(cli, login)))
		return 1;
	memset(&rc, 0, sizeof(rc));
	r = core_import_file(c, file, dry, &rep, &rc);
	for (size_t i = 0; i < rep.n_errors; i++)
		put_error(&rep.errors[i]);
	if (rep.n_errors_dropped) {
		fprintf(stderr, _("... and %zu more problems not listed"),
		        rep.n_errors_dropped);
		fputc('\n', stderr);
	}
	if (r != 0) {
		r = cli_fail_core(c, r);
	} else if (dry) {
		printf(_("%zu rows checked (%s%s%s): all valid; nothing "
		         "imported (dry run)"),
		       rep.n_rows, rep.format, rep.encoding[0] ? ", " : "",
		       rep.encoding);
		putchar('\n');
	} else {
		printf(_("imported %zu nominees (%lld-%lld); checkpoint "
		         "%llu %s"),
		       rep.n_imported, (long long)rep.first_id,
		       (long long)rep.last_id, (unsigned long long)rc.tree_size,
		       rc.root);
		putchar('\n');
	}
	core_import_report_release(&rep);
	core_close(c);
	return r;
}
