/*
 * nomdesk stats --as LOGIN [--format text|csv|json]: counts of the
 * current round's nominees by unit, quota category and state, within the
 * actor's scope (core_stats decides it, as for `nominee list`).
 */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

struct stats_out {
	enum cli_format fmt;
	json_object *root; /* {"unit": [...], "category": [...], ...} */
	char last_dim[16];
	int header; /* CSV header written */
};

static int
put_stat(void *ctx, const struct core_stats_row *s)
{
	struct stats_out *o = ctx;
	char count[24], safe[1024], fit[1024];
	size_t w;

	snprintf(count, sizeof(count), "%" PRId64, s->count);
	if (o->fmt == FMT_CSV) {
		if (!o->header++)
			printf("\xEF\xBB\xBF\"dimension\",\"key\",\"label\","
			       "\"count\"\r\n");
		cli_put_csv(stdout, s->dimension, 0);
		cli_put_csv(stdout, s->key, 0);
		cli_put_csv(stdout, s->label, 0);
		cli_put_csv(stdout, count, 1);
		return 0;
	}
	if (o->fmt == FMT_JSON) {
		json_object *arr = NULL, *row;

		if (strcmp(s->dimension, "total") == 0) {
			json_object_object_add(o->root, "total",
			                       json_object_new_int64(s->count));
			return 0;
		}
		if (!json_object_object_get_ex(o->root, s->dimension, &arr)) {
			arr = json_object_new_array();
			json_object_object_add(o->root, s->dimension, arr);
		}
		row = json_object_new_object();
		utf8_sanitize(s->key, safe, sizeof(safe), 0);
		json_object_object_add(row, "key",
		                       json_object_new_string(safe));
		utf8_sanitize(s->label, safe, sizeof(safe), 0);
		json_object_object_add(row, "label",
		                       json_object_new_string(safe));
		json_object_object_add(row, "count",
		                       json_object_new_int64(s->count));
		json_object_array_add(arr, row);
		return 0;
	}
	if (strcmp(o->last_dim, s->dimension) != 0) {
		snprintf(o->last_dim, sizeof(o->last_dim), "%s", s->dimension);
		if (strcmp(s->dimension, "total") != 0)
			printf("%s:\n", s->dimension);
	}
	if (strcmp(s->dimension, "total") == 0) {
		printf("total: %s\n", count);
		return 0;
	}
	printf("  ");
	utf8_sanitize(s->key, safe, sizeof(safe), 0);
	w = utf8_fit(safe, 20, fit, sizeof(fit));
	printf("%s%*s ", fit, (int)(20 - w), "");
	utf8_sanitize(s->label, safe, sizeof(safe), 0);
	w = utf8_fit(safe, 36, fit, sizeof(fit));
	printf("%s%*s %6s\n", fit, (int)(36 - w), "", count);
	return 0;
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct stats_out o = {FMT_TEXT, NULL, "", 0};
	const char *login = NULL;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f' && cli_parse_format(optarg, &o.fmt) == 0)
			continue;
		else
			return cli_fail("usage: nomdesk stats --as LOGIN "
			                "[--format text|csv|json]");
	}
	if (optind != argc)
		return cli_fail("stats: unexpected argument '%s'",
		                argv[optind]);
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (o.fmt == FMT_JSON)
		o.root = json_object_new_object();
	if ((r = core_stats(c, put_stat, &o)) != 0) {
		r = cli_fail_core(c, r);
	} else if (o.root) {
		puts(json_object_to_json_string_ext(
		    o.root,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(o.root);
	core_close(c);
	return r;
}
