/*
 * nomdesk audit trail ID --as LOGIN [--format text|json]: the
 * accountability trail of one nominee (core_audit_trail): every act in
 * log order with its signer, role, unit, dossier version and digest and
 * signature status; after a veto, the verifiers of the falsified version
 * are marked.  Other `audit` subcommands (export, verify, prove, log) are
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

int
cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "trail") == 0)
		return audit_trail(cli, argc - 1, argv + 1);
	return cmd_audit_log(cli, argc, argv);
}
