/*
 * nomdesk act ID ACTION --as LOGIN [--reason TEXT]
 * nomdesk nominee show ID --as LOGIN [--format text|json]
 * nomdesk nominee edit ID --as LOGIN --FIELD VALUE ... [--condition N=TEXT]
 */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int
print_action(void *ctx, const char *action, const char *label,
	     int needs_reason)
{
	FILE *f = ctx;

	fprintf(f, "  %-20s %s%s\n", action, label,
		needs_reason ? " (--reason required)" : "");
	return 0;
}

int
cmd_act(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL, *reason = NULL;
	struct core_receipt rc;
	struct core *c;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'h':
			printf("usage: nomdesk act ID ACTION --as LOGIN "
			       "[--reason TEXT]\nactions:\n");
			core_action_list(print_action, stdout);
			return 0;
		default:
			return cli_fail("usage: nomdesk act ID ACTION --as LOGIN "
					"[--reason TEXT]");
		}
	}
	if (optind + 2 != argc || parse_id(argv[optind], &id) != 0)
		return cli_fail("usage: nomdesk act ID ACTION --as LOGIN "
				"[--reason TEXT]");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_act(c, id, argv[optind + 1], reason, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("nominee %" PRId64 ": %s (entry %" PRIu64 ", checkpoint %" PRIu64
	       " %s)\n",
	       id, argv[optind + 1], rc.seq, rc.tree_size, rc.root);
	return 0;
}

static const char *const decisions[] = {"", "pass", "return", "reject",
					"veto"};

static int
print_history(void *ctx, const struct core_history_item *h)
{
	json_object *arr = ctx;
	char when[32];
	time_t t = (time_t)(h->time_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (arr) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "seq", json_object_new_int64(
							 (int64_t)h->seq));
		json_object_object_add(o, "time", json_object_new_string(when));
		json_object_object_add(o, "actor",
				       json_object_new_string(h->actor));
		json_object_object_add(o, "act", json_object_new_string(
							 core_act_name(h->act)));
		json_object_object_add(
			o, "decision",
			json_object_new_string(
				h->decision < 5 ? decisions[h->decision] : "?"));
		json_object_object_add(o, "version",
				       json_object_new_int64(h->version));
		json_object_object_add(o, "digest",
				       json_object_new_string(h->digest_hex));
		json_object_object_add(o, "reason",
				       json_object_new_string(h->reason));
		json_object_array_add(arr, o);
		return 0;
	}
	printf("  #%-6" PRIu64 " %s  ", h->seq, when);
	cli_put_text(stdout, h->actor);
	printf("  %s", core_act_name(h->act));
	if (h->decision && h->decision < 5)
		printf(" [%s]", decisions[h->decision]);
	printf("  v%u %s", h->version, h->digest_hex);
	if (h->reason[0]) {
		printf("  ");
		cli_put_text(stdout, h->reason);
	}
	putchar('\n');
	return 0;
}

static void
add_str(json_object *o, const char *k, const char *v)
{
	char safe[4096];

	utf8_sanitize(v, safe, sizeof(safe), 1);
	json_object_object_add(o, k, json_object_new_string(safe));
}

static int
nominee_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = FMT_TEXT;
	const char *login = NULL;
	struct core_dossier *d = NULL;
	const char *const *fields = core_dossier_fields();
	struct core *c = NULL;
	int64_t id;
	int ch, r = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f' && cli_parse_format(optarg, &fmt) == 0)
			continue;
		else
			return cli_fail("usage: nomdesk nominee show ID --as "
					"LOGIN [--format text|json]");
	}
	if (optind + 1 != argc || parse_id(argv[optind], &id) != 0)
		return cli_fail("usage: nomdesk nominee show ID --as LOGIN");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (!(d = calloc(1, sizeof(*d)))) {
		r = cli_fail("out of memory");
		goto out;
	}
	if ((r = core_nominee_get(c, id, d)) != 0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	if (fmt == FMT_JSON) {
		json_object *o = json_object_new_object();
		json_object *h = json_object_new_array();
		char val[CORE_TEXT_SIZE];

		json_object_object_add(o, "id", json_object_new_int64(id));
		add_str(o, "unit", d->n.unit);
		add_str(o, "unit_name", d->n.unit_name);
		add_str(o, "state", d->n.state);
		json_object_object_add(o, "version",
				       json_object_new_int64(d->n.version));
		add_str(o, "holder", d->holder);
		add_str(o, "quota_category", d->quota_category);
		for (size_t i = 0; fields[i]; i++) {
			snprintf(val, sizeof(val), "%s", core_dossier_value(d, fields[i]));
			add_str(o, fields[i], val);
		}
		if ((r = core_nominee_history(c, id, print_history, h)) != 0) {
			json_object_put(h);
			json_object_put(o);
			r = cli_fail_core(c, r);
			goto out;
		}
		json_object_object_add(o, "history", h);
		printf("%s\n", json_object_to_json_string_ext(
				       o, JSON_C_TO_STRING_PRETTY |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		r = 0;
		goto out;
	}
	printf("nominee %" PRId64 "  state %s  version %u  unit %s ", id,
	       d->n.state, d->n.version, d->n.unit);
	cli_put_text(stdout, d->n.unit_name);
	printf("\n");
	if (d->holder[0])
		printf("  with %s\n", d->holder);
	for (size_t i = 0; fields[i]; i++) {
		char val[CORE_TEXT_SIZE];

		snprintf(val, sizeof(val), "%s", core_dossier_value(d, fields[i]));
		printf("  %-14s ", fields[i]);
		cli_put_text(stdout, val);
		putchar('\n');
	}
	for (int k = 1; k <= 9; k++) {
		if (!d->has_condition[k])
			continue;
		printf("  condition.%d    ", k);
		cli_put_text(stdout, d->condition[k]);
		putchar('\n');
	}
	printf("history:\n");
	r = core_nominee_history(c, id, print_history, NULL);
	if (r != 0)
		r = cli_fail_core(c, r);
out:
	free(d);
	core_close(c);
	return r;
}

static int
nominee_edit(struct cli *cli, int argc, char **argv)
{
	struct core_field_value vals[64];
	const char *login = NULL;
	char cond[64][16];
	struct core_receipt rc;
	struct core *c;
	size_t n = 0, n_cond = 0;
	int64_t id = 0;
	int r, i;

	/* Options are the dossier's own field names: --title-level 正高级. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char field[64];

		if (strncmp(a, "--", 2) != 0) {
			if (id || parse_id(a, &id) != 0)
				return cli_fail("nominee edit: unexpected "
						"argument '%s'",
						a);
			continue;
		}
		if (i + 1 >= argc)
			return cli_fail("nominee edit: %s needs a value", a);
		snprintf(field, sizeof(field), "%s", a + 2);
		for (char *p = field; *p; p++)
			if (*p == '-')
				*p = '_';
		if (strcmp(field, "as") == 0) {
			login = argv[++i];
		} else if (strcmp(field, "condition") == 0) {
			const char *v = argv[++i];

			if (n_cond >= 64 || !(v[0] >= '1' && v[0] <= '9') ||
			    (v[1] != '=' && v[1] != '\0'))
				return cli_fail("nominee edit: --condition "
						"takes N=EVIDENCE (N 1-9), or "
						"N= to remove");
			snprintf(cond[n_cond], sizeof(cond[0]),
				 "condition.%c", v[0]);
			vals[n].field = cond[n_cond++];
			vals[n].value = v[1] ? v + 2 : "";
			n++;
		} else if (n < 64) {
			snprintf(cond[n_cond], sizeof(cond[0]), "%s", "");
			vals[n].field = NULL;
			vals[n].value = argv[++i];
			/* keep the name: find it in the field table */
			for (const char *const *f = core_dossier_fields(); *f;
			     f++)
				if (strcmp(*f, field) == 0)
					vals[n].field = *f;
			if (!vals[n].field)
				return cli_fail("nominee edit: unknown field "
						"'%s'",
						a);
			n++;
		}
	}
	if (!id)
		return cli_fail("usage: nomdesk nominee edit ID --as LOGIN "
				"--FIELD VALUE ...");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_nominee_edit(c, id, vals, n, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("nominee %" PRId64 " edited (entry %" PRIu64 ", checkpoint %" PRIu64
	       ")\n",
	       id, rc.seq, rc.tree_size);
	return 0;
}

int
cmd_nominee_more(struct cli *cli, int argc, char **argv)
{
	if (strcmp(argv[0], "show") == 0)
		return nominee_show(cli, argc, argv);
	if (strcmp(argv[0], "edit") == 0)
		return nominee_edit(cli, argc, argv);
	return -1;
}
