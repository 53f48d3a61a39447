/*
 * nomdesk audit verify|check-proof: the offline auditor's checks
 * (audit-log.md 2.10-2.12; core/verify.c, proof.c): a whole log, from the
 * data directory or a bundle, or one inclusion proof.
 *
 * Exit status: 0 success; 1 a check failed (verify names the entry and
 * the rule); 2 a command line refused or unreadable input.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9') {
		return -1;
	}
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static void
b64(const uint8_t *p, size_t n, char *out, size_t outsz)
{
	sodium_bin2base64(out, outsz, p, n, sodium_base64_VARIANT_ORIGINAL);
}

static void
print_b64(FILE *f, const uint8_t *p, size_t n)
{
	char b[128];

	b64(p, n, b, sizeof(b));
	fputs(b, f);
}

/* core_act_name() gives the key acts (100-119: enrolment, rotation,
 * revocation, log key, witness key) one name; the counts per act need
 * them apart (one JSON key each). */
static const char *
act_label(int act, char *buf, size_t n)
{
	if (act < 100 || act >= 120) {
		return core_act_name((uint16_t)act);
	}
	snprintf(buf, n, "%s (%d)", core_act_name((uint16_t)act), act);
	return buf;
}

/* Stored text as a JSON string, sanitized like the text output (json-c
 * escapes C0 controls, not bidi or invisible characters). */
static json_object *
jtext(const char *s)
{
	char buf[4096 * 4];

	utf8_sanitize(s, buf, sizeof(buf), 1);
	return json_object_new_string(buf);
}

static json_object *
cosig_json(const struct core_verify_report *rep)
{
	json_object *o = json_object_new_object(), *by = json_object_new_array();

	json_object_object_add(o, "cosignatures",
			       json_object_new_int64((int64_t)rep->n_cosigs));
	json_object_object_add(o, "checkpoints",
			       json_object_new_int64((int64_t)rep->n_cosigned));
	json_object_object_add(o, "newest_size",
			       json_object_new_int64((int64_t)rep->cosigned_size));
	json_object_object_add(o, "by_your_keys",
			       json_object_new_int64((int64_t)rep->n_quorum));
	json_object_object_add(o, "quorum", json_object_new_int(rep->quorum));
	for (size_t i = 0; i < rep->n_cosigners; i++) {
		const struct core_verify_cosigner *w = &rep->cosigners[i];
		json_object *x = json_object_new_object();

		json_object_object_add(x, "name", jtext(w->name));
		json_object_object_add(x, "trusted",
				       json_object_new_boolean(w->trusted));
		json_object_object_add(x, "checkpoints",
				       json_object_new_int64((int64_t)w->n));
		json_object_object_add(x, "last_size",
				       json_object_new_int64((int64_t)w->last_size));
		json_object_object_add(x, "last_time",
				       json_object_new_int64(w->last_time));
		json_object_array_add(by, x);
	}
	json_object_object_add(o, "by", by);
	return o;
}

static void
verify_json(const struct core_verify_report *rep)
{
	json_object *o = json_object_new_object(), *acts, *actors;
	char k64[64];

	json_object_object_add(o, "ok", json_object_new_boolean(rep->ok));
	if (!rep->ok) {
		json_object_object_add(o, "seq",
				       rep->seq >= 0
					       ? json_object_new_int64(rep->seq)
					       : NULL);
		json_object_object_add(o, "rule",
				       json_object_new_string(rep->rule));
		json_object_object_add(o, "message", jtext(rep->message));
	}
	json_object_object_add(o, "origin", jtext(rep->origin));
	json_object_object_add(o, "entries",
			       json_object_new_int64((int64_t)rep->size));
	b64(rep->root, 32, k64, sizeof(k64));
	json_object_object_add(o, "root", json_object_new_string(k64));
	b64(rep->log_key, 32, k64, sizeof(k64));
	json_object_object_add(o, "log_key", json_object_new_string(k64));
	json_object_object_add(
		o, "checkpoints",
		json_object_new_int64((int64_t)rep->n_checkpoints));
	json_object_object_add(
		o, "signatures",
		json_object_new_int64((int64_t)rep->n_signatures));
	json_object_object_add(o, "keys",
			       json_object_new_int64((int64_t)rep->n_keys));
	json_object_object_add(o, "nominees",
			       json_object_new_int64((int64_t)rep->n_nominees));
	json_object_object_add(o, "witnesses",
			       json_object_new_int64((int64_t)rep->n_witnesses));
	b64(rep->log_key_now, 32, k64, sizeof(k64));
	json_object_object_add(o, "log_key_now", json_object_new_string(k64));
	json_object_object_add(o, "log_keys",
			       json_object_new_int64((int64_t)rep->n_log_keys));
	json_object_object_add(o, "cosigned", cosig_json(rep));
	acts = json_object_new_object();
	for (int a = 0; a < 256; a++) {
		char lb[128];

		if (rep->n_by_act[a]) {
			json_object_object_add(
				acts, act_label(a, lb, sizeof(lb)),
				json_object_new_int64(
					(int64_t)rep->n_by_act[a]));
		}
	}
	json_object_object_add(o, "acts", acts);
	actors = json_object_new_object();
	for (size_t i = 0; i < rep->n_actors; i++) {
		char name[512];

		utf8_sanitize(rep->actors[i].actor, name, sizeof(name), 0);
		json_object_object_add(
			actors, name,
			json_object_new_int64((int64_t)rep->actors[i].n));
	}
	json_object_object_add(o, "actors", actors);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
}

/* How many checkpoints witnesses cosigned, and who. */
static void
cosig_text(const struct core_verify_report *rep)
{
	printf("  cosigned     %" PRIu64 " checkpoint(s), %" PRIu64
	       " cosignature(s)",
	       rep->n_cosigned, rep->n_cosigs);
	if (rep->n_cosigned) {
		printf("; newest at size %" PRIu64, rep->cosigned_size);
	}
	if (rep->quorum) {
		printf("; %" PRIu64 " by your witness keys there (quorum %d)",
		       rep->n_quorum, rep->quorum);
	}
	putchar('\n');
	for (size_t i = 0; i < rep->n_cosigners; i++) {
		const struct core_verify_cosigner *w = &rep->cosigners[i];
		time_t t = (time_t)w->last_time;
		char when[32];
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		printf("    %s ", w->trusted ? "trusted   " : "registered");
		cli_put_text(stdout, w->name);
		printf(": %" PRIu64 " checkpoint(s), newest size %" PRIu64
		       " at %s\n",
		       w->n, w->last_size, when);
	}
}

static void
verify_text(const struct core_verify_report *rep)
{
	if (rep->ok) {
		printf("audit verify: OK\n");
	} else if (rep->seq >= 0) {
		printf("audit verify: FAILED at entry %" PRId64 " (rule %s)\n",
		       rep->seq, rep->rule);
	} else {
		printf("audit verify: FAILED (rule %s)\n", rep->rule);
	}
	if (!rep->ok) {
		printf("  ");
		cli_put_text(stdout, rep->message);
		putchar('\n');
		if (strcmp(rep->rule, "input") == 0) {
			return; /* nothing was read */
		}
	}
	printf("  origin       ");
	cli_put_text(stdout, rep->origin);
	printf("\n  entries      %" PRIu64 "%s\n", rep->size,
	       rep->ok ? "" : " (read before the failure)");
	printf("  root         ");
	print_b64(stdout, rep->root, 32);
	printf("\n  log key      ");
	print_b64(stdout, rep->log_key, 32);
	if (rep->n_log_keys > 1) {
		printf("\n  rotated to   ");
		print_b64(stdout, rep->log_key_now, 32);
		printf(" (%" PRIu64 " log keys)", rep->n_log_keys);
	}
	printf("\n  checkpoints  %" PRIu64 "   signatures %" PRIu64
	       "   keys %" PRIu64 "   nominees %" PRIu64 "   witnesses %" PRIu64
	       "\n",
	       rep->n_checkpoints, rep->n_signatures, rep->n_keys,
	       rep->n_nominees, rep->n_witnesses);
	cosig_text(rep);
	printf("  acts        ");
	for (int a = 0; a < 256; a++) {
		char lb[128];

		if (rep->n_by_act[a]) {
			printf(" %s %" PRIu64 ";", act_label(a, lb, sizeof(lb)),
			       rep->n_by_act[a]);
		}
	}
	printf("\n  actors      ");
	for (size_t i = 0; i < rep->n_actors; i++) {
		putchar(' ');
		cli_put_text(stdout, rep->actors[i].actor);
		printf(" %" PRIu64 ";", rep->actors[i].n);
	}
	putchar('\n');
}

struct verify_opts {
	const char *bundle, *log_key, *quorum;
	struct opt_list witness, witness_key;
};

static const struct opt verify_opts[] = {
	OPT_STRING("bundle", 0, struct verify_opts, bundle, "FILE",
		   "a bundle `audit export` wrote (default: the data dir)"),
	OPT_STRING("log-key", 0, struct verify_opts, log_key, "BASE64",
		   "the log key you hold, from the printed checkpoint"),
	OPT_LIST("witness", 0, struct verify_opts, witness, "FILE",
		 "a witness's state file to compare with"),
	OPT_LIST("witness-key", 0, struct verify_opts, witness_key, "VKEY",
		 "a witness key you trust"),
	OPT_STRING("quorum", 0, struct verify_opts, quorum, "K",
		   "cosignatures by your witness keys required"),
	OPT_END(),
};

/* The options as core's; 0, or 2 after one line naming the option. */
static int
verify_fill(const struct verify_opts *o, struct core_verify_opts *v,
	    uint8_t key[32])
{
	uint64_t q;

	if (o->log_key) {
		if (cli_parse_pubkey(o->log_key, key) != 0) {
			cli_fail("--log-key: not the base64 of a 32-byte "
				 "Ed25519 key");
			return 2;
		}
		v->log_key = key;
	}
	if (o->quorum) {
		if (parse_u64(o->quorum, &q) != 0 || q == 0 || q > 100) {
			cli_fail("--quorum: a number of witnesses, 1 to 100");
			return 2;
		}
		v->quorum = (int)q;
	}
	if (v->quorum && o->witness_key.n == 0) {
		cli_fail("--quorum needs the witness keys it counts "
			 "(--witness-key VKEY)");
		return 2;
	}
	v->bundle = o->bundle;
	v->witness = o->witness.v;
	v->n_witness = o->witness.n;
	v->witness_keys = o->witness_key.v;
	v->n_witness_keys = o->witness_key.n;
	return 0;
}

/* Reads the data directory itself (or the bundle), never through an
 * open handle: what it checks is the files. */
static int
do_verify(struct cli_run *run)
{
	struct core_verify_opts v = {0};
	struct core_verify_report rep;
	uint8_t key[32];
	int r;

	if ((r = verify_fill(run->opts, &v, key)) != 0) {
		return r;
	}
	if (!v.bundle) {
		v.data_dir = run->cli->data_dir;
	}
	r = core_audit_verify(&v, &rep);
	if (run->fmt == FMT_JSON) {
		verify_json(&rep);
	} else {
		verify_text(&rep);
	}
	core_verify_report_release(&rep);
	if (r == 0) {
		return 0;
	}
	return r == CORE_ECORRUPT ? 1 : 2;
}

struct check_proof_opts {
	const char *log_key;
};

static const struct opt check_proof_opts[] = {
	OPT_STRING_REQ("log-key", 0, struct check_proof_opts, log_key,
		       "BASE64", "the log key you hold"),
	OPT_END(),
};

static void
put_proof(const struct core_proof_info *info)
{
	printf("check-proof: OK: entry %" PRIu64 " (%s by ", info->index,
	       core_act_name(info->act));
	cli_put_text(stdout, info->actor);
	if (info->subject[0]) {
		printf(" on ");
		cli_put_text(stdout, info->subject);
	}
	printf(") is in the log ");
	cli_put_text(stdout, info->origin);
	printf(" at size %" PRIu64 ", root ", info->size);
	print_b64(stdout, info->root, 32);
	printf("\n  signatures: %d, of which %d by the log key, verified; "
	       "personal signatures need the key registry (audit verify)\n",
	       info->n_sigs, info->n_sigs_checked);
}

static int
do_check_proof(struct cli_run *run)
{
	const struct check_proof_opts *o = run->opts;
	struct core_proof_info info;
	uint8_t key[32];
	char err[256], *text;
	size_t len;
	int r;

	if (cli_parse_pubkey(o->log_key, key) != 0) {
		cli_fail("--log-key: not the base64 of a 32-byte Ed25519 key");
		return 2;
	}
	if (!(text = cli_read_file(run->argv[0], 1 << 20, &len))) {
		return cli_fail("cannot read '%s'", run->argv[0]);
	}
	r = core_proof_check(text, len, key, &info, err, sizeof(err));
	free(text);
	if (r != 0) {
		printf("check-proof: FAILED: ");
		cli_put_text(stdout, err);
		putchar('\n');
		return r == CORE_EINVAL ? 2 : 1;
	}
	put_proof(&info);
	return 0;
}

const struct cli_cmd cli_cmd_audit_verify = {
	.name = "verify",
	.opts = CLI_OPTS(verify_opts, struct verify_opts),
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = do_verify,
	.help = "verify the whole log: data dir or bundle, witnesses",
	.usage_status = 2,
};

const struct cli_cmd cli_cmd_audit_check_proof = {
	.name = "check-proof",
	.operands = "FILE",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(check_proof_opts, struct check_proof_opts),
	.run = do_check_proof,
	.help = "check one inclusion proof against the log key",
	.usage_status = 2,
};
