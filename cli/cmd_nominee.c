/* nomdesk nominee add|list --as LOGIN ... */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/i18n.h"
#include "core/utf8.h"

static int
nominee_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"name", required_argument, NULL, 'n'},
		{"gender", required_argument, NULL, 'g'},
		{"birth-date", required_argument, NULL, 'b'},
		{"title", required_argument, NULL, 't'},
		{"unit", required_argument, NULL, 'u'},
		{"idempotency-key", required_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	struct core_nominee_new n = {0};
	struct core_receipt rc;
	const char *login = NULL, *key = NULL;
	struct core *c;
	int64_t id;
	int ch, r, replayed = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'n':
			n.name = optarg;
			break;
		case 'g':
			n.gender = optarg;
			break;
		case 'b':
			n.birth_date = optarg;
			break;
		case 't':
			n.title = optarg;
			break;
		case 'u':
			n.unit = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		default:
			return cli_fail("usage: nomdesk nominee add --as LOGIN "
					"--name NAME --gender 男|女 "
					"--birth-date YYYY-MM-DD --title TEXT "
					"[--unit CODE] [--idempotency-key KEY]");
		}
	}
	if (optind != argc)
		return cli_fail("nominee add: unexpected argument '%s'",
				argv[optind]);
	if (!(c = cli_open_as(cli, login)))
		return 1;
	r = core_nominee_add_once(c, &n, key, &id, &rc, &replayed);
	if (r != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("added nominee %" PRId64 " (entry %" PRIu64
	       ", checkpoint %" PRIu64 " %s)\n",
	       id, rc.seq, rc.tree_size, rc.root);
	if (replayed) {
		/* The key is [A-Za-z0-9._-] (core checked): safe to print. */
		printf(_("note: already added by an earlier call with this key "
			 "('%s'); nothing new was written"),
		       key);
		putchar('\n');
	}
	return 0;
}

/* One JSON array per listing: the separator goes before all but the
 * first element. */
static int json_first;

static int
put_nominee(void *ctx, const struct core_nominee *n)
{
	const enum cli_format *fmt = ctx;
	char id[24], name[CORE_NAME_SIZE * 2], fit[CORE_NAME_SIZE * 2];
	char title[CORE_TEXT_SIZE * 2], tfit[CORE_TEXT_SIZE * 2];
	char uname[CORE_NAME_SIZE * 2], ufit[CORE_NAME_SIZE * 2];
	size_t w1, w2, w3;

	snprintf(id, sizeof(id), "%" PRId64, n->id);
	if (*fmt == FMT_JSON) {
		/* Sanitized like every other output; json-c escapes it. */
		static const char *const keys[] = {"name",  "gender",
						   "birth_date", "title",
						   "unit", "unit_name",
						   "state"};
		const char *vals[] = {n->name, n->gender, n->birth_date,
				      n->title, n->unit, n->unit_name,
				      n->state};
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(n->id));
		for (size_t i = 0; i < 7; i++) {
			utf8_sanitize(vals[i], title, sizeof(title), 0);
			json_object_object_add(o, keys[i],
					       json_object_new_string(title));
		}
		json_object_object_add(o, "version",
				       json_object_new_int64(n->version));
		printf("%s%s", json_first ? "" : ",\n",
		       json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_NOSLASHESCAPE));
		json_first = 0;
		json_object_put(o);
		return 0;
	}
	if (*fmt == FMT_CSV) {
		cli_put_csv(stdout, id, 0);
		cli_put_csv(stdout, n->name, 0);
		cli_put_csv(stdout, n->gender, 0);
		cli_put_csv(stdout, n->birth_date, 0);
		cli_put_csv(stdout, n->title, 0);
		cli_put_csv(stdout, n->unit, 0);
		cli_put_csv(stdout, n->unit_name, 0);
		cli_put_csv(stdout, n->state, 1);
		return 0;
	}
	utf8_sanitize(n->name, name, sizeof(name), 0);
	utf8_sanitize(n->title, title, sizeof(title), 0);
	utf8_sanitize(n->unit_name, uname, sizeof(uname), 0);
	w1 = utf8_fit(name, 16, fit, sizeof(fit));
	w2 = utf8_fit(title, 20, tfit, sizeof(tfit));
	w3 = utf8_fit(uname, 30, ufit, sizeof(ufit));
	printf("%-5s %s%*s %s %s %s%*s %s%*s %s\n", id, fit, (int)(16 - w1),
	       "", n->gender, n->birth_date, tfit, (int)(20 - w2), "", ufit,
	       (int)(30 - w3), "", n->state);
	return 0;
}

static int
nominee_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = FMT_TEXT;
	const char *login = NULL;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f') {
			if (cli_format_parse(optarg, CLI_FORMATS_ALL, &fmt) != 0)
				return 1;
		}
		else
			return cli_fail("usage: nomdesk nominee list --as "
					"LOGIN [--format text|csv|json]");
	}
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (fmt == FMT_JSON) {
		json_first = 1;
		printf("[");
	}
	if (fmt == FMT_CSV)
		printf("\xEF\xBB\xBF\"id\",\"name\",\"gender\",\"birth_date\","
		       "\"title\",\"unit\",\"unit_name\",\"state\"\r\n");
	r = core_nominee_list(c, put_nominee, &fmt);
	if (fmt == FMT_JSON)
		printf("]\n");
	if (r != 0)
		r = cli_fail_core(c, r);
	core_close(c);
	return r;
}

int
cmd_nominee(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return nominee_add(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return nominee_list(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cmd_nominee_import(cli, argc - 1, argv + 1);
	if (argc >= 2) {
		int r = cmd_nominee_more(cli, argc - 1, argv + 1);

		if (r >= 0)
			return r;
	}
	return cli_fail("usage: nomdesk nominee add|list|show|edit ...");
}
