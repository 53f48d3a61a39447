/*
 * nomdesk audit trail ID --as LOGIN [--format text|json]: the
 * accountability trail of one nominee (core_audit_trail): every act in
 * log order with its signer, role, unit, dossier version and digest and
 * signature status; after a veto, the verifiers of the falsified version
 * are marked.
 *
 * Witnesses and the log key (audit-log.md 2.12, 2.13):
 *   nomdesk audit witness-key add VKEY [--as LOGIN]
 *   nomdesk audit witness-key list [--as LOGIN] [--format text|json]
 *   nomdesk audit cosign FILE|- [--as LOGIN]
 *   nomdesk audit rotate-log-key [--as LOGIN]
 * Without --as the console operator acts (the host's administrator).
 *
 * Other `audit` subcommands (export, verify, prove, log, ...) are
 * cmd_audit_log's (cli/cmd_audit_log.c).
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

#define NOTE_MAX 65536

static const char *const decisions[] = {"", "pass", "return", "reject",
					"veto"};

static const char *
sig_name(enum core_sig_status s)
{
	switch (s) {
	case CORE_SIG_VALID:
		return "valid";
	case CORE_SIG_INVALID:
		return "INVALID";
	default:
		return "unsigned-by-person";
	}
}

static void
when(int64_t ms, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
jstr(json_object *o, const char *k, const char *v)
{
	char safe[4096];

	utf8_sanitize(v, safe, sizeof(safe), 1);
	json_object_object_add(o, k, json_object_new_string(safe));
}

struct out {
	json_object *root;
	json_object *acts;
};

static int
head_text(void *ctx, const struct core_trail_head *h)
{
	(void)ctx;
	printf("nominee %" PRId64 "  ", h->id);
	cli_put_text(stdout, h->name);
	printf("  state %s  version %u\n  current digest %s\n", h->state,
	       h->version, h->digest_hex);
	if (h->vetoed)
		printf("  VETOED: the veto names version %u (digest %.16s…); "
		       "%zu verifier(s) of that version marked >>> "
		       "(谁查验、谁负责)\n",
		       h->veto_version, h->veto_digest_hex, h->n_verifiers);
	printf("  marks: >>> verifier of the vetoed version, (void) attested "
	       "an earlier version\n");
	return 0;
}

static int
item_text(void *ctx, const struct core_trail_item *t)
{
	char w[32];
	const char *role = t->role < 0 ? "system"
					: core_role_name((enum core_role)t->role);

	(void)ctx;
	when(t->time_ms, w, sizeof(w));
	printf("%s #%-5" PRIu64 " %s  ", t->verifier ? ">>>" : "   ", t->seq,
	       w);
	cli_put_text(stdout, t->actor);
	if (t->actor_name[0]) {
		printf(" (");
		cli_put_text(stdout, t->actor_name);
		printf(")");
	}
	printf(" %s ", role ? role : "?");
	cli_put_text(stdout, t->unit);
	printf("  %s", t->action[0] ? t->action : core_act_name(t->act));
	if (t->decision && t->decision < 5)
		printf(" [%s]", decisions[t->decision]);
	printf("  v%u %.16s  sig %s%s%s", t->version, t->digest_hex,
	       sig_name(t->sig), t->sig_detail[0] ? ": " : "", t->sig_detail);
	if (t->voided)
		printf("  (void)");
	putchar('\n');
	for (uint16_t i = 0; i < t->n_attach && i < 16; i++)
		printf("        attachment %s\n", t->attach_hex[i]);
	return 0;
}

static int
head_json(void *ctx, const struct core_trail_head *h)
{
	struct out *o = ctx;

	json_object_object_add(o->root, "id", json_object_new_int64(h->id));
	jstr(o->root, "name", h->name);
	jstr(o->root, "state", h->state);
	json_object_object_add(o->root, "version",
			       json_object_new_int64(h->version));
	jstr(o->root, "digest", h->digest_hex);
	json_object_object_add(o->root, "vetoed",
			       json_object_new_boolean(h->vetoed));
	if (h->vetoed) {
		json_object_object_add(o->root, "veto_version",
				       json_object_new_int64(h->veto_version));
		jstr(o->root, "veto_digest", h->veto_digest_hex);
	}
	json_object_object_add(o->root, "verifiers",
			       json_object_new_int64((int64_t)h->n_verifiers));
	return 0;
}

static int
item_json(void *ctx, const struct core_trail_item *t)
{
	struct out *o = ctx;
	json_object *a = json_object_new_object();
	json_object *att = json_object_new_array();
	const char *role = t->role < 0 ? "system"
					: core_role_name((enum core_role)t->role);
	char w[32];

	when(t->time_ms, w, sizeof(w));
	json_object_object_add(a, "seq", json_object_new_int64((int64_t)t->seq));
	jstr(a, "time", w);
	jstr(a, "actor", t->actor);
	jstr(a, "actor_name", t->actor_name);
	jstr(a, "role", role ? role : "?");
	jstr(a, "unit", t->unit);
	jstr(a, "act", core_act_name(t->act));
	jstr(a, "action", t->action);
	jstr(a, "decision", t->decision < 5 ? decisions[t->decision] : "?");
	json_object_object_add(a, "version", json_object_new_int64(t->version));
	jstr(a, "digest", t->digest_hex);
	jstr(a, "key_id", t->key_id_hex);
	jstr(a, "signature", t->sig == CORE_SIG_VALID     ? "valid"
			     : t->sig == CORE_SIG_INVALID ? "invalid"
							  : "unsigned");
	jstr(a, "signature_detail", t->sig_detail);
	jstr(a, "reason", t->reason);
	for (uint16_t i = 0; i < t->n_attach && i < 16; i++)
		json_object_array_add(att,
				      json_object_new_string(t->attach_hex[i]));
	json_object_object_add(a, "attachments", att);
	json_object_object_add(a, "current",
			       json_object_new_boolean(t->current));
	json_object_object_add(a, "attests",
			       json_object_new_boolean(t->attests));
	json_object_object_add(a, "voided", json_object_new_boolean(t->voided));
	json_object_object_add(a, "verifier",
			       json_object_new_boolean(t->verifier));
	json_object_array_add(o->acts, a);
	return 0;
}

static int
audit_trail(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	enum cli_format fmt = FMT_TEXT;
	const char *login = NULL;
	struct out o = {0};
	struct core *c;
	int64_t id;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			login = optarg;
		else if (ch == 'f' && cli_parse_format(optarg, &fmt) == 0 &&
			 fmt != FMT_CSV)
			continue;
		else
			return cli_fail("usage: nomdesk audit trail ID --as "
					"LOGIN [--format text|json]");
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_fail("usage: nomdesk audit trail ID --as LOGIN "
				"[--format text|json]");
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (fmt == FMT_JSON) {
		o.root = json_object_new_object();
		o.acts = json_object_new_array();
		r = core_audit_trail(c, id, head_json, item_json, &o);
		json_object_object_add(o.root, "acts", o.acts);
		if (r == 0)
			printf("%s\n",
			       json_object_to_json_string_ext(
				       o.root, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o.root);
	} else {
		r = core_audit_trail(c, id, head_text, item_text, NULL);
	}
	if (r != 0)
		r = cli_fail_core(c, r);
	core_close(c);
	return r;
}

/* ---- witness keys, cosignatures, the log key ---- */

static int
usage_witness(void)
{
	fputs("usage: nomdesk audit witness-key add VKEY [--as LOGIN]\n"
	      "       nomdesk audit witness-key list [--as LOGIN] "
	      "[--format text|json]\n"
	      "       nomdesk audit cosign FILE|- [--as LOGIN]\n"
	      "       nomdesk audit rotate-log-key [--as LOGIN]\n",
	      stderr);
	return 2;
}

/* Options --as and --format; the rest stays in argv[optind..]. */
static int
parse_as(int argc, char **argv, const char **login, enum cli_format *fmt)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	*login = NULL;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			*login = optarg;
		else if (ch == 'f' && fmt && cli_parse_format(optarg, fmt) == 0 &&
			 *fmt != FMT_CSV)
			continue;
		else
			return -1;
	}
	return 0;
}

/* The handle acting as login, or as the console operator without one. */
static struct core *
open_actor(struct cli *cli, const char *login)
{
	struct core *c = login ? cli_open_as(cli, login) : cli_open(cli);

	if (c && !login)
		core_act_as_system(c, getenv("USER"));
	return c;
}

static int
key_text(void *ctx, const struct core_witness_key *k)
{
	time_t t = (time_t)(k->added_ms / 1000);
	char w[32];
	struct tm tm;

	(void)ctx;
	localtime_r(&t, &tm);
	strftime(w, sizeof(w), "%Y-%m-%d %H:%M", &tm);
	cli_put_text(stdout, k->vkey);
	printf("\n    added %s by ", w);
	cli_put_text(stdout, k->added_by);
	printf(" (entry %" PRIu64 "); %" PRIu64 " cosignature(s)", k->seq,
	       k->n_cosigs);
	if (k->n_cosigs)
		printf(", newest at size %" PRIu64, k->last_size);
	putchar('\n');
	return 0;
}

static int
key_json(void *ctx, const struct core_witness_key *k)
{
	json_object *a = ctx, *o = json_object_new_object();

	jstr(o, "name", k->name);
	jstr(o, "vkey", k->vkey);
	jstr(o, "added_by", k->added_by);
	json_object_object_add(o, "added_ms", json_object_new_int64(k->added_ms));
	json_object_object_add(o, "seq", json_object_new_int64((int64_t)k->seq));
	json_object_object_add(o, "cosignatures",
			       json_object_new_int64((int64_t)k->n_cosigs));
	json_object_object_add(o, "last_size",
			       json_object_new_int64((int64_t)k->last_size));
	json_object_array_add(a, o);
	return 0;
}

static int
witness_key(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = FMT_TEXT;
	struct core_receipt rc;
	const char *login, *sub;
	struct core *c;
	int r;

	if (argc < 2)
		return usage_witness();
	sub = argv[1];
	argc--;
	argv++;
	optind = 0;
	if (parse_as(argc, argv, &login, &fmt) != 0)
		return usage_witness();
	if (strcmp(sub, "add") == 0) {
		if (optind + 1 != argc || fmt != FMT_TEXT)
			return usage_witness();
		if (!(c = open_actor(cli, login)))
			return 1;
		if ((r = core_witness_key_add(c, argv[optind], &rc)) != 0) {
			r = cli_fail_core(c, r);
			core_close(c);
			return r;
		}
		core_close(c);
		printf("witness key registered (entry %" PRIu64 "): ", rc.seq);
		cli_put_text(stdout, argv[optind]);
		printf("\nits cosignatures are kept from now on (`nomdesk "
		       "audit cosign`)\n");
		return 0;
	}
	if (strcmp(sub, "list") != 0 || optind != argc)
		return usage_witness();
	if (!(c = open_actor(cli, login)))
		return 1;
	if (fmt == FMT_JSON) {
		json_object *a = json_object_new_array();

		if ((r = core_witness_key_list(c, key_json, a)) == 0)
			printf("%s\n", json_object_to_json_string_ext(
					       a, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(a);
	} else {
		r = core_witness_key_list(c, key_text, NULL);
	}
	if (r != 0)
		r = cli_fail_core(c, r);
	core_close(c);
	return r;
}

/* Reads FILE (or stdin for "-"), at most NOTE_MAX bytes. */
static char *
read_note(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(NOTE_MAX + 2);
	n = buf ? fread(buf, 1, NOTE_MAX + 1, f) : 0;
	if (f != stdin)
		fclose(f);
	if (!buf || n > NOTE_MAX) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
cosign(struct cli *cli, int argc, char **argv)
{
	const char *login;
	struct core *c;
	size_t len, n = 0;
	char *note;
	int r;

	optind = 0;
	if (parse_as(argc, argv, &login, NULL) != 0 || optind + 1 != argc)
		return usage_witness();
	if (!(note = read_note(argv[optind], &len)))
		return cli_fail("cannot read '%s' (a cosigned checkpoint of at "
				"most 64 KiB)",
				argv[optind]);
	if (!(c = open_actor(cli, login))) {
		free(note);
		return 1;
	}
	r = core_cosig_submit(c, note, len, &n);
	free(note);
	if (r != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("%zu new cosignature(s) stored\n", n);
	return 0;
}

static int
rotate_log_key(struct cli *cli, int argc, char **argv)
{
	char retired[4200];
	struct core_receipt rc;
	const char *login;
	struct core *c;
	int r;

	optind = 0;
	if (parse_as(argc, argv, &login, NULL) != 0 || optind != argc)
		return usage_witness();
	if (!(c = open_actor(cli, login)))
		return 1;
	r = core_audit_rotate_log_key(c, &rc, retired, sizeof(retired));
	if (r != 0 && !retired[0]) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	if (r != 0) {
		/* Committed, the files not switched: say so, fail. */
		cli_fail_core(c, r);
		core_close(c);
		return 1;
	}
	core_close(c);
	printf("log key rotated at entry %" PRIu64 " (checkpoint %" PRIu64
	       " %s, signed by both keys)\nthe old key is kept as ",
	       rc.seq, rc.tree_size, rc.root);
	cli_put_text(stdout, retired);
	printf("\nrestart `nomdesk serve`; witnesses must add the new key "
	       "(`nomdesk audit verify` prints it)\n");
	return 0;
}

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "trail") == 0)
		return audit_trail(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "witness-key") == 0)
		return witness_key(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "cosign") == 0)
		return cosign(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "rotate-log-key") == 0)
		return rotate_log_key(cli, argc - 1, argv + 1);
	return cmd_audit_log(cli, argc, argv);
}
