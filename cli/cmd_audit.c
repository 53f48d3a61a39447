/*
 * nomdesk audit ...: the family's table (the offline auditor's commands
 * are cli/cmd_audit_log.c's and cli/cmd_audit_verify.c's), and:
 *
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
 * Exit status: 0 success; 1 refused; 2 a command line refused.
 */
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
	if (h->vetoed) {
		printf("  VETOED: the veto names version %u (digest %.16s…); "
		       "%zu verifier(s) of that version marked >>> "
		       "(谁查验、谁负责)\n",
		       h->veto_version, h->veto_digest_hex, h->n_verifiers);
	}
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
	if (t->decision && t->decision < 5) {
		printf(" [%s]", decisions[t->decision]);
	}
	printf("  v%u %.16s  sig %s%s%s", t->version, t->digest_hex,
	       sig_name(t->sig), t->sig_detail[0] ? ": " : "", t->sig_detail);
	if (t->voided) {
		printf("  (void)");
	}
	putchar('\n');
	for (uint16_t i = 0; i < t->n_attach && i < 16; i++) {
		printf("        attachment %s\n", t->attach_hex[i]);
	}
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
	for (uint16_t i = 0; i < t->n_attach && i < 16; i++) {
		json_object_array_add(att,
				      json_object_new_string(t->attach_hex[i]));
	}
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
audit_trail(struct cli_run *run)
{
	struct out o = {0};
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0) {
		return r;
	}
	if (run->fmt != FMT_JSON) {
		r = core_audit_trail(run->c, id, head_text, item_text, NULL);
		return r != 0 ? cli_fail_core(run->c, r) : 0;
	}
	o.root = json_object_new_object();
	o.acts = json_object_new_array();
	r = core_audit_trail(run->c, id, head_json, item_json, &o);
	json_object_object_add(o.root, "acts", o.acts);
	if (r == 0) {
		printf("%s\n", json_object_to_json_string_ext(
				       o.root, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(o.root);
	return r != 0 ? cli_fail_core(run->c, r) : 0;
}

/* ---- witness keys, cosignatures, the log key ---- */

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
	if (k->n_cosigs) {
		printf(", newest at size %" PRIu64, k->last_size);
	}
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
witness_key_add(struct cli_run *run)
{
	struct core_receipt rc;
	int r;

	if ((r = core_witness_key_add(run->c, run->argv[0], &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("witness key registered (entry %" PRIu64 "): ", rc.seq);
	cli_put_text(stdout, run->argv[0]);
	printf("\nits cosignatures are kept from now on (`nomdesk "
	       "audit cosign`)\n");
	return 0;
}

static int
witness_key_list(struct cli_run *run)
{
	json_object *a;
	int r;

	if (run->fmt != FMT_JSON) {
		r = core_witness_key_list(run->c, key_text, NULL);
		return r != 0 ? cli_fail_core(run->c, r) : 0;
	}
	a = json_object_new_array();
	if ((r = core_witness_key_list(run->c, key_json, a)) == 0) {
		printf("%s\n", json_object_to_json_string_ext(
				       a, JSON_C_TO_STRING_PRETTY |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(a);
	return r != 0 ? cli_fail_core(run->c, r) : 0;
}

/* Reads FILE (or stdin for "-"), at most NOTE_MAX bytes. */
static char *
read_note(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		return NULL;
	}
	buf = malloc(NOTE_MAX + 2);
	n = buf ? fread(buf, 1, NOTE_MAX + 1, f) : 0;
	if (f != stdin) {
		fclose(f);
	}
	if (!buf || n > NOTE_MAX) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
cosign(struct cli_run *run)
{
	size_t len, n = 0;
	char *note;
	int r;

	if (!(note = read_note(run->argv[0], &len))) {
		return cli_fail("cannot read '%s' (a cosigned checkpoint of at "
				"most 64 KiB)",
				run->argv[0]);
	}
	r = core_cosig_submit(run->c, note, len, &n);
	free(note);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("%zu new cosignature(s) stored\n", n);
	return 0;
}

static int
rotate_log_key(struct cli_run *run)
{
	char retired[4200];
	struct core_receipt rc;
	int r;

	retired[0] = '\0';
	r = core_audit_rotate_log_key(run->c, &rc, retired, sizeof(retired));
	if (r != 0) {
		/* retired set: committed, the files not switched; say so,
		 * fail all the same */
		cli_fail_core(run->c, r);
		return 1;
	}
	printf("log key rotated at entry %" PRIu64 " (checkpoint %" PRIu64
	       " %s, signed by both keys)\nthe old key is kept as ",
	       rc.seq, rc.tree_size, rc.root);
	cli_put_text(stdout, retired);
	printf("\nrestart `nomdesk serve`; witnesses must add the new key "
	       "(`nomdesk audit verify` prints it)\n");
	return 0;
}

/* Without --as the console operator (the host's administrator) acts. */
#define AUDIT_CONSOLE (CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE)

static const struct cli_cmd audit_trail_cmd = {
	.name = "trail",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = audit_trail,
	.help = "one nominee's acts, signers and signatures",
	.usage_status = 2,
};

static const struct cli_cmd witness_key_add_cmd = {
	.name = "add",
	.operands = "VKEY",
	.min_args = 1,
	.max_args = 1,
	.flags = AUDIT_CONSOLE,
	.run = witness_key_add,
	.help = "register a witness's key (an audited act)",
	.usage_status = 2,
};

static const struct cli_cmd witness_key_list_cmd = {
	.name = "list",
	.flags = AUDIT_CONSOLE,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = witness_key_list,
	.help = "the registered witness keys and their cosignatures",
	.usage_status = 2,
};

static const struct cli_cmd *const witness_key_cmds[] = {
	&witness_key_add_cmd,
	&witness_key_list_cmd,
	NULL,
};

static const struct cli_cmd witness_key_cmd = {
	.name = "witness-key",
	.sub = witness_key_cmds,
	.usage_status = 2,
};

static const struct cli_cmd cosign_cmd = {
	.name = "cosign",
	.operands = "FILE|-",
	.min_args = 1,
	.max_args = 1,
	.flags = AUDIT_CONSOLE,
	.run = cosign,
	.help = "store a checkpoint's cosignatures from a witness",
	.usage_status = 2,
};

static const struct cli_cmd rotate_log_key_cmd = {
	.name = "rotate-log-key",
	.flags = AUDIT_CONSOLE,
	.run = rotate_log_key,
	.help = "replace the log key (signed by both keys)",
	.usage_status = 2,
};

static const struct cli_cmd *const audit_cmds[] = {
	&audit_trail_cmd,
	&cli_cmd_audit_export,
	&cli_cmd_audit_verify,
	&cli_cmd_audit_prove,
	&cli_cmd_audit_check_proof,
	&cli_cmd_audit_log,
	&cli_cmd_audit_witness_request,
	&cli_cmd_audit_checkpoint,
	&witness_key_cmd,
	&cosign_cmd,
	&rotate_log_key_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_audit = {
	.name = "audit",
	.sub = audit_cmds,
	.usage_status = 2,
};
