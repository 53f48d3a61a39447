/*
 * nomdesk act ID ACTION --as LOGIN [--reason TEXT] [--scan FILE]
 *     [--evidence FILE]... [--passphrase-stdin] [--expect-seq SEQ]
 * nomdesk nominee show ID --as LOGIN [--format text|json]
 * nomdesk nominee edit ID --as LOGIN --FIELD VALUE ... [--condition N=TEXT]
 *     [--expect-seq SEQ]
 * nomdesk nominee applicant ID --as LOGIN --user APPLICANT [--expect-seq SEQ]
 * nomdesk veto-policy [1|2]
 *
 * A signed action (core_action_signed) asks for the actor's signing
 * passphrase and unlocks the key for this one act.  --scan and --evidence
 * files are stored content-addressed (DATA/docs/<sha256>) and the act
 * names their SHA-256.
 *
 * --expect-seq SEQ: the write happens only if the nominee is still the
 * version `nominee show` printed as "seq SEQ" (core's *_seen(), issue 8
 * item 7); without it a command acts on the current version, its read
 * and write being one call.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static int
print_action(void *ctx, const char *action, const char *label,
	     int needs_reason)
{
	FILE *f = ctx;

	fprintf(f, "  %-20s %s%s%s\n", action, label,
		needs_reason ? " (--reason required)" : "",
		core_action_signed(action) ? " [signed]" : "");
	return 0;
}

#define ACT_USAGE                                                          \
	"usage: nomdesk act ID ACTION --as LOGIN [--reason TEXT] [--scan "  \
	"FILE] [--evidence FILE]... [--passphrase-stdin] [--expect-seq SEQ]"

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

/* Reads FILE whole and stores it in the document store. */
static int
store_file(struct core *c, const char *path, uint8_t digest[32])
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, k;
	int r;

	if (!f)
		return cli_fail("cannot open '%s': %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			unsigned char *p;

			cap = cap ? cap * 2 : 65536;
			if (cap > (256u << 20) + 65536 ||
			    !(p = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				return cli_fail("'%s': too large (at most 256 "
						"MiB)",
						path);
			}
			buf = p;
		}
		k = fread(buf + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return cli_fail("cannot read '%s'", path);
	}
	fclose(f);
	r = core_doc_store(c, buf, len, digest);
	free(buf);
	if (r != 0)
		return cli_fail_core(c, r);
	return 0;
}

int
cmd_act(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"reason", required_argument, NULL, 'r'},
		{"scan", required_argument, NULL, 's'},
		{"evidence", required_argument, NULL, 'e'},
		{"passphrase-stdin", no_argument, NULL, 'p'},
		{"expect-seq", required_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL, *reason = NULL, *files[15];
	uint8_t digests[15][32];
	struct core_act_opts o = {0};
	struct core_receipt rc;
	struct core *c = NULL;
	size_t n_files = 0;
	uint64_t seen = 0;
	int64_t id;
	int ch, r = 1, from_stdin = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 's':
		case 'e':
			if (n_files >= 15)
				return cli_fail("at most 15 --scan/--evidence "
						"files");
			files[n_files++] = optarg;
			break;
		case 'p':
			from_stdin = 1;
			break;
		case 'x':
			if (parse_seq(optarg, &seen) != 0) {
				return 1;
			}
			break;
		case 'h':
			printf(ACT_USAGE "\nactions ([signed]: asks for your "
					 "signing passphrase):\n");
			core_action_list(print_action, stdout);
			return 0;
		default:
			return cli_fail(ACT_USAGE);
		}
	}
	if (optind + 2 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail(ACT_USAGE);
	if (!(c = cli_open_as(cli, login)))
		return 1;
	for (size_t i = 0; i < n_files; i++)
		if ((r = store_file(c, files[i], digests[i])) != 0)
			goto out;
	o.attach = (const uint8_t(*)[32])digests;
	o.n_attach = n_files;
	if (core_action_signed(argv[optind + 1]) &&
	    (r = cli_unlock_for_act(c, login, argv[optind + 1], from_stdin)) !=
		    0)
		goto out;
	if ((r = core_act_seen(c, id, seen, argv[optind + 1], reason, &o,
			       &rc)) != 0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	printf("nominee %" PRId64 ": %s (entry %" PRIu64 ", checkpoint %" PRIu64
	       " %s)\n",
	       id, argv[optind + 1], rc.seq, rc.tree_size, rc.root);
	r = 0;
out:
	core_close(c);
	return r;
}

int
cmd_veto_policy(struct cli *cli, int argc, char **argv)
{
	struct passwd *pw = getpwuid(getuid());
	struct core_receipt rc;
	struct core *c;
	int r, n;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "1") != 0 &&
			 strcmp(argv[1], "2") != 0))
		return cli_fail("usage: nomdesk veto-policy [1|2]");
	if (!(c = cli_open(cli)))
		return 1;
	core_act_as_system(c, pw ? pw->pw_name : "?");
	if (argc == 1) {
		printf("a veto needs %d signature(s)\n",
		       core_veto_policy_get(c));
		core_close(c);
		return 0;
	}
	n = argv[1][0] - '0';
	if ((r = core_veto_policy_set(c, n, &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("a veto now needs %d signature(s) (entry %" PRIu64 ")\n", n,
	       rc.seq);
	return 0;
}

static int
nominee_applicant(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"user", required_argument, NULL, 'u'},
		{"expect-seq", required_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL, *user = NULL;
	struct core_receipt rc;
	struct core *c;
	uint64_t seen = 0;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a') {
			login = optarg;
		} else if (ch == 'u') {
			user = optarg;
		} else if (ch == 'x') {
			if (parse_seq(optarg, &seen) != 0) {
				return 1;
			}
		} else {
			return cli_fail("usage: nomdesk nominee applicant ID "
					"--as LOGIN --user APPLICANT "
					"[--expect-seq SEQ]");
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0 || !user)
		return cli_fail("usage: nomdesk nominee applicant ID --as "
				"LOGIN --user APPLICANT [--expect-seq SEQ]");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_nominee_set_applicant_seen(c, id, seen, user, &rc)) !=
	    0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("nominee %" PRId64 ": applicant account %s linked (entry %" PRIu64
	       ")\n",
	       id, user, rc.seq);
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
		else if (ch == 'f') {
			if (cli_format_parse(optarg, CLI_FMT_TEXT | CLI_FMT_JSON, &fmt) != 0)
				return 1;
		}
		else
			return cli_fail("usage: nomdesk nominee show ID --as "
					"LOGIN [--format text|json]");
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
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
		/* what --expect-seq takes */
		json_object_object_add(o, "seq",
				       json_object_new_int64((int64_t)d->n.seq));
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
	printf("nominee %" PRId64 "  state %s  version %u  seq %" PRIu64
	       "  unit %s ",
	       id, d->n.state, d->n.version, d->n.seq, d->n.unit);
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
	uint64_t seen = 0;
	int64_t id = 0;
	int r, i;

	/* Options are the dossier's own field names: --title-level 正高级. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char field[64];

		if (strncmp(a, "--", 2) != 0) {
			if (id || cli_parse_id(a, &id) != 0)
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
		} else if (strcmp(field, "expect_seq") == 0) {
			if (parse_seq(argv[++i], &seen) != 0) {
				return 1;
			}
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
				"--FIELD VALUE ... [--expect-seq SEQ]");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if ((r = core_nominee_edit_seen(c, id, seen, vals, n, &rc)) != 0) {
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

/* nomdesk nominee check ID --as LOGIN [--override TEXT] [--format json] */
static int
nominee_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"override", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = FMT_TEXT;
	const char *login = NULL, *just = NULL;
	struct core_elig_result *res = NULL;
	struct core *c = NULL;
	char *json = NULL;
	int64_t id;
	int ch, r = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'o')
			just = optarg;
		else if (ch == 'f') {
			if (cli_format_parse(optarg, CLI_FMT_TEXT | CLI_FMT_JSON, &fmt) != 0)
				return 1;
		}
		else
			return cli_fail("usage: nomdesk nominee check ID --as "
					"LOGIN [--override TEXT] [--format "
					"text|json]");
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail("usage: nomdesk nominee check ID --as LOGIN");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (!(res = calloc(1, sizeof(*res)))) {
		r = cli_fail("out of memory");
		goto out;
	}
	if ((r = core_nominee_check(c, id, just, res)) != 0) {
		r = cli_fail_core(c, r);
		goto out;
	}
	if (fmt == FMT_JSON) {
		if (!(json = core_elig_json(res, 1))) {
			r = cli_fail("out of memory");
			goto out;
		}
		printf("%s\n", json);
	} else {
		printf("nominee %" PRId64 ": %s\n", id,
		       core_elig_verdict_name(res->verdict));
		for (size_t i = 0; i < res->n_rules; i++) {
			printf("  %-3s %-9s ", res->rules[i].rule,
			       core_rule_result_name(res->rules[i].result));
			cli_put_text(stdout, res->rules[i].detail);
			putchar('\n');
		}
	}
	r = 0;
out:
	free(json);
	free(res);
	core_close(c);
	return r;
}

int
cmd_nominee_more(struct cli *cli, int argc, char **argv)
{
	int r = cmd_nominee_items(cli, argc, argv);

	if (r >= 0)
		return r;
	if (strcmp(argv[0], "check") == 0)
		return nominee_check(cli, argc, argv);
	if (strcmp(argv[0], "show") == 0)
		return nominee_show(cli, argc, argv);
	if (strcmp(argv[0], "edit") == 0)
		return nominee_edit(cli, argc, argv);
	if (strcmp(argv[0], "applicant") == 0)
		return nominee_applicant(cli, argc, argv);
	return -1;
}

struct deadline_opts {
	const char *until, *reason;
};

static const struct opt deadline_opts[] = {
	OPT_STRING_REQ("until", 0, struct deadline_opts, until, "YYYY-MM-DD",
		       "the new deadline"),
	OPT_STRING_REQ("reason", 0, struct deadline_opts, reason, "TEXT",
		       "why, for the log"),
	OPT_END(),
};

static int
deadline_extend(struct cli_run *run)
{
	const struct deadline_opts *o = run->opts;
	struct core_receipt rc;
	int r;

	r = core_deadline_extend(run->c, run->argv[0], o->until, o->reason,
				 &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("deadline for %s extended to %s (entry %" PRIu64 ")\n",
	       run->argv[0], o->until, rc.seq);
	return 0;
}

static const struct cli_cmd deadline_extend_cmd = {
	.name = "extend",
	.operands = "HOLDER",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.opts = CLI_OPTS(deadline_opts, struct deadline_opts),
	.run = deadline_extend,
	.help = "city HR extends one county's or department's deadline",
};

static const struct cli_cmd *const deadline_cmds[] = {
	&deadline_extend_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_deadline = {.name = "deadline",
					 .sub = deadline_cmds};
