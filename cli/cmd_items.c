/*
 * nomdesk nominee item add ID --as LOGIN --kind K --from DATE [--to DATE]
 *                         --title TEXT [--detail TEXT] [--expect-seq SEQ]
 * nomdesk nominee item list ID --as LOGIN [--format text|csv|json]
 * nomdesk nominee material ID KIND --as LOGIN --copies N [--original-sighted]
 *                          [--expect-seq SEQ]
 *
 * --expect-seq SEQ: only if the nominee is still the version `nominee
 * show` printed as "seq SEQ" (core's *_seen(), issue 8 item 7).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

/* --expect-seq SEQ: a nominee's seq as `nominee show` prints it. */
static int
parse_seq(const char *s, uint64_t *seq)
{
	int64_t v = 0;

	if (cli_parse_id(s, &v) != 0) {
		return cli_fail("--expect-seq: '%s' is not a seq (the number "
				"`nominee show` prints after \"seq\")",
				s ? s : "");
	}
	*seq = (uint64_t)v;
	return 0;
}

static int
item_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"kind", required_argument, NULL, 'k'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"title", required_argument, NULL, 'T'},
		{"detail", required_argument, NULL, 'd'},
		{"expect-seq", required_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	struct core_item *it = calloc(1, sizeof(*it));
	const char *login = NULL;
	struct core_receipt rc;
	struct core *c = NULL;
	uint64_t seen = 0;
	int64_t id;
	int ch, r = 1;

	if (!it)
		return cli_fail("out of memory");
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *dst = NULL;
		size_t n = 0;

		switch (ch) {
		case 'a':
			login = optarg;
			continue;
		case 'k':
			dst = it->kind, n = sizeof(it->kind);
			break;
		case 'f':
			dst = it->date_from, n = sizeof(it->date_from);
			break;
		case 't':
			dst = it->date_to, n = sizeof(it->date_to);
			break;
		case 'T':
			dst = it->title, n = sizeof(it->title);
			break;
		case 'd':
			dst = it->detail, n = sizeof(it->detail);
			break;
		case 'x':
			if (parse_seq(optarg, &seen) != 0) {
				free(it);
				return 1;
			}
			continue;
		default:
			free(it);
			return cli_fail("usage: nomdesk nominee item add ID --as "
					"LOGIN --kind work|research|performance "
					"--from DATE [--to DATE] --title TEXT "
					"[--detail TEXT] [--expect-seq SEQ]");
		}
		if (strlen(optarg) >= n) {
			free(it);
			return cli_fail("nominee item add: %s is too long",
					argv[optind - 2]);
		}
		snprintf(dst, n, "%s", optarg);
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0) {
		free(it);
		return cli_fail("usage: nomdesk nominee item add ID --as LOGIN "
				"...");
	}
	if (!(c = cli_open_as(cli, login)))
		goto out;
	if ((r = core_item_add_seen(c, id, seen, it, &rc)) != 0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	printf("nominee %" PRId64 ": %s item added (entry %" PRIu64 ")\n", id,
	       it->kind, rc.seq);
	r = 0;
out:
	core_close(c);
	free(it);
	return r;
}

static const char *const item_cols[] = {"id",    "kind",   "from",
                                        "to",    "title",  "detail",
                                        "outside_window"};
static const enum cli_col_type item_type[] = {
    CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,
    CLI_COL_STR, CLI_COL_STR, CLI_COL_BOOL};

static int
put_item(void *ctx, const struct core_item *it)
{
	struct cli_table *t = ctx;
	char id[24];

	if (t->fmt != FMT_TEXT) {
		const char *v[7];

		snprintf(id, sizeof(id), "%" PRId64, it->id);
		v[0] = id;
		v[1] = it->kind;
		v[2] = it->date_from;
		v[3] = it->date_to;
		v[4] = it->title;
		v[5] = it->detail;
		v[6] = it->outside_window ? "1" : "0";
		cli_table_row(t, v);
		return 0;
	}
	/* every stored string sanitized, the short codes too */
	printf("  ");
	cli_put_fit(stdout, it->kind, 11);
	printf(" ");
	cli_put_fit(stdout, it->date_from, 10);
	printf(" ");
	cli_put_fit(stdout, it->date_to[0] ? it->date_to : "-", 10);
	printf(" ");
	cli_put_text(stdout, it->title);
	if (it->outside_window)
		printf("  [outside the report window]");
	putchar('\n');
	return 0;
}

static int
item_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	static const char usage[] = "usage: nomdesk nominee item list ID --as "
				    "LOGIN [--format text|csv|json]";
	struct cli_table t = {.cols = item_cols,
			      .type = item_type,
			      .n_cols = 7};
	const char *login = NULL;
	struct core *c;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a') {
			login = optarg;
		} else if (ch == 'f') {
			if (cli_format_parse(optarg, CLI_FORMATS_ALL, &t.fmt) !=
			    0)
				return 1;
		} else {
			return cli_fail("%s", usage);
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail("%s", usage);
	if (!(c = cli_open_as(cli, login)))
		return 1;
	r = core_item_list(c, id, put_item, &t);
	if (r != 0) {
		cli_table_drop(&t);
		r = cli_fail_core(c, r);
	} else if (t.fmt != FMT_TEXT) {
		cli_table_end(&t);
	}
	core_close(c);
	return r;
}

static int
material(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"copies", required_argument, NULL, 'c'},
		{"original-sighted", no_argument, NULL, 'o'},
		{"expect-seq", required_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL;
	struct core_receipt rc;
	struct core *c;
	uint64_t seen = 0;
	int64_t id;
	int copies = -1, sighted = 0, ch, r;
	char *end;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a') {
			login = optarg;
		} else if (ch == 'c') {
			copies = (int)strtol(optarg, &end, 10);
			if (*end != '\0')
				copies = -1;
		} else if (ch == 'o') {
			sighted = 1;
		} else if (ch == 'x') {
			if (parse_seq(optarg, &seen) != 0) {
				return 1;
			}
		} else {
			return cli_fail("usage: nomdesk nominee material ID KIND "
					"--as LOGIN --copies N "
					"[--original-sighted] [--expect-seq "
					"SEQ]");
		}
	}
	if (optind + 2 != argc || cli_parse_id(argv[optind], &id) != 0 ||
	    copies < 0)
		return cli_fail("usage: nomdesk nominee material ID KIND --as "
				"LOGIN --copies N [--original-sighted] "
				"[--expect-seq SEQ]");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	r = core_material_set_seen(c, id, seen, argv[optind + 1], copies,
				   sighted, &rc);
	if (r != 0)
		r = cli_fail_core(c, r);
	else
		printf("nominee %" PRId64 ": %s recorded (entry %" PRIu64 ")\n",
		       id, argv[optind + 1], rc.seq);
	core_close(c);
	return r;
}

int
cmd_nominee_items(struct cli *cli, int argc, char **argv)
{
	if (strcmp(argv[0], "material") == 0)
		return material(cli, argc, argv);
	if (strcmp(argv[0], "item") != 0)
		return -1;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return item_add(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return item_list(cli, argc - 1, argv + 1);
	return cli_fail("usage: nomdesk nominee item add|list ...");
}
