/*
 * nomdesk audit export|verify|prove|check-proof|log|witness-request|
 * checkpoint: the offline auditor's commands (audit-log.md 2.10-2.12).
 * `audit trail` lives in cli/cmd_audit.c, which hands every other
 * subcommand to cmd_audit_log().
 *
 * Exit status: 0 success; 1 a check failed (verify names the entry and
 * the rule); 2 usage or unreadable input.
 */
#include <fcntl.h>
#include <getopt.h>
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

static const char usage_text[] =
	"usage: nomdesk audit export FILE [--as LOGIN]\n"
	"       nomdesk audit verify [--bundle FILE] [--log-key BASE64] "
	"[--witness FILE]...\n"
	"                            [--witness-key VKEY]... [--quorum K] "
	"[--format text|json]\n"
	"       nomdesk audit prove SEQ [-o FILE]\n"
	"       nomdesk audit check-proof FILE --log-key BASE64\n"
	"       nomdesk audit log --as LOGIN [--nominee ID] [--actor LOGIN] "
	"[--format text|json]\n"
	"       nomdesk audit witness-request --since SIZE [-o FILE]\n"
	"       nomdesk audit checkpoint --print\n"
	"       nomdesk audit witness-key add VKEY [--as LOGIN]\n"
	"       nomdesk audit witness-key list [--as LOGIN] [--format "
	"text|json]\n"
	"       nomdesk audit cosign FILE|- [--as LOGIN]\n"
	"       nomdesk audit rotate-log-key [--as LOGIN]\n"
	"       nomdesk audit trail ID --as LOGIN [--format text|json]\n";

static int
usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* A 32-byte Ed25519 public key in standard padded base64 (alphabet
 * checked first: libsodium 1.0.18 reads bytes >= 0x80 as '/'). */
static int
parse_key(const char *b64, uint8_t pk[32])
{
	size_t n = 0;

	if (!b64 || strlen(b64) != 44 ||
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789+/=") != 44)
		return -1;
	return sodium_base642bin(pk, 32, b64, 44, NULL, &n, NULL,
				 sodium_base64_VARIANT_ORIGINAL) == 0 &&
		       n == 32
		       ? 0
		       : -1;
}

/* Writes text to path (0600, refuses an existing file) or stdout. */
static int
write_out(const char *path, const char *text, size_t len)
{
	FILE *f = stdout;

	if (path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
			      0600);

		if (fd < 0 || !(f = fdopen(fd, "w")))
			return cli_fail("cannot create '%s'", path);
	}
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0) {
		if (f != stdout)
			fclose(f);
		return cli_fail("cannot write '%s'", path ? path : "stdout");
	}
	if (f != stdout && fclose(f) != 0)
		return cli_fail("cannot write '%s'", path);
	return 0;
}

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer. */
static char *
read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	if (!(buf = malloc(max + 1))) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
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

/* ---- export ---- */

static int
do_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL;
	struct core_receipt rc;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'a')
			return usage();
		login = optarg;
	}
	if (optind + 1 != argc)
		return usage();
	if (!(c = login ? cli_open_as(cli, login) : cli_open(cli)))
		return 1;
	if (!login)
		core_act_as_system(c, getenv("USER")); /* the console operator */
	if ((r = core_audit_export(c, argv[optind], &rc)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("bundle written to ");
	cli_put_text(stdout, argv[optind]);
	printf(" (export recorded as entry %" PRIu64 ", checkpoint %" PRIu64
	       " %s)\n",
	       rc.seq, rc.tree_size, rc.root);
	return 0;
}

/* ---- verify ---- */

/* core_act_name() gives the key acts (100-119: enrolment, rotation,
 * revocation, log key, witness key) one name; the counts per act need
 * them apart (one JSON key each). */
static const char *
act_label(int act, char *buf, size_t n)
{
	if (act < 100 || act >= 120)
		return core_act_name((uint16_t)act);
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

		if (rep->n_by_act[a])
			json_object_object_add(
				acts, act_label(a, lb, sizeof(lb)),
				json_object_new_int64(
					(int64_t)rep->n_by_act[a]));
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
	if (rep->n_cosigned)
		printf("; newest at size %" PRIu64, rep->cosigned_size);
	if (rep->quorum)
		printf("; %" PRIu64 " by your witness keys there (quorum %d)",
		       rep->n_quorum, rep->quorum);
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
	if (rep->ok)
		printf("audit verify: OK\n");
	else if (rep->seq >= 0)
		printf("audit verify: FAILED at entry %" PRId64 " (rule %s)\n",
		       rep->seq, rep->rule);
	else
		printf("audit verify: FAILED (rule %s)\n", rep->rule);
	if (!rep->ok) {
		printf("  ");
		cli_put_text(stdout, rep->message);
		putchar('\n');
		if (strcmp(rep->rule, "input") == 0)
			return; /* nothing was read */
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

		if (rep->n_by_act[a])
			printf(" %s %" PRIu64 ";", act_label(a, lb, sizeof(lb)),
			       rep->n_by_act[a]);
	}
	printf("\n  actors      ");
	for (size_t i = 0; i < rep->n_actors; i++) {
		putchar(' ');
		cli_put_text(stdout, rep->actors[i].actor);
		printf(" %" PRIu64 ";", rep->actors[i].n);
	}
	putchar('\n');
}

static int
do_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"log-key", required_argument, NULL, 'k'},
		{"witness", required_argument, NULL, 'w'},
		{"witness-key", required_argument, NULL, 'W'},
		{"quorum", required_argument, NULL, 'q'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct core_verify_opts o = {0};
	struct core_verify_report rep;
	enum cli_format fmt = FMT_TEXT;
	const char **wit = NULL, **wkeys = NULL;
	uint64_t q;
	uint8_t key[32];
	int ch, r;

	wit = calloc((size_t)argc, sizeof(*wit));
	wkeys = calloc((size_t)argc, sizeof(*wkeys));
	if (!wit || !wkeys) {
		free(wit);
		free(wkeys);
		return cli_fail("out of memory");
	}
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.bundle = optarg;
			break;
		case 'k':
			if (parse_key(optarg, key) != 0) {
				free(wit);
				cli_fail("--log-key: not the base64 of a "
					 "32-byte Ed25519 key");
				return 2;
			}
			o.log_key = key;
			break;
		case 'w':
			wit[o.n_witness++] = optarg;
			break;
		case 'W':
			wkeys[o.n_witness_keys++] = optarg;
			break;
		case 'q':
			if (parse_u64(optarg, &q) != 0 || q == 0 || q > 100) {
				free(wit);
				free(wkeys);
				cli_fail("--quorum: a number of witnesses, 1 to "
					 "100");
				return 2;
			}
			o.quorum = (int)q;
			break;
		case 'f':
			if (cli_parse_format(optarg, &fmt) != 0 ||
			    fmt == FMT_CSV) {
				free(wit);
				free(wkeys);
				return usage();
			}
			break;
		default:
			free(wit);
			free(wkeys);
			return usage();
		}
	}
	if (optind != argc || (o.quorum && !o.n_witness_keys)) {
		free(wit);
		free(wkeys);
		if (o.quorum && !o.n_witness_keys)
			cli_fail("--quorum needs the witness keys it counts "
				 "(--witness-key VKEY)");
		return usage();
	}
	o.witness = wit;
	o.witness_keys = wkeys;
	if (!o.bundle)
		o.data_dir = cli->data_dir;
	r = core_audit_verify(&o, &rep);
	if (fmt == FMT_JSON)
		verify_json(&rep);
	else
		verify_text(&rep);
	core_verify_report_release(&rep);
	free(wit);
	free(wkeys);
	if (r == 0)
		return 0;
	return r == CORE_ECORRUPT ? 1 : 2;
}

/* ---- prove, check-proof ---- */

static int
do_prove(struct cli *cli, int argc, char **argv)
{
	const char *out_path = NULL;
	struct core *c;
	uint64_t seq;
	char *text = NULL;
	size_t len;
	int ch, r;

	while ((ch = getopt(argc, argv, "o:")) != -1) {
		if (ch != 'o')
			return usage();
		out_path = optarg;
	}
	if (optind + 1 != argc || parse_u64(argv[optind], &seq) != 0)
		return usage();
	if (!(c = cli_open(cli)))
		return 1;
	if ((r = core_audit_prove(c, seq, &text, &len)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	r = write_out(out_path, text, len);
	free(text);
	return r;
}

static int
do_check_proof(int argc, char **argv)
{
	static const struct option opts[] = {
		{"log-key", required_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	struct core_proof_info info;
	const char *kb64 = NULL;
	uint8_t key[32];
	char err[256], *text;
	size_t len;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'k')
			return usage();
		kb64 = optarg;
	}
	if (optind + 1 != argc || !kb64)
		return usage();
	if (parse_key(kb64, key) != 0) {
		cli_fail("--log-key: not the base64 of a 32-byte Ed25519 key");
		return 2;
	}
	if (!(text = read_file(argv[optind], 1 << 20, &len)))
		return cli_fail("cannot read '%s'", argv[optind]);
	r = core_proof_check(text, len, key, &info, err, sizeof(err));
	free(text);
	if (r != 0) {
		printf("check-proof: FAILED: ");
		cli_put_text(stdout, err);
		putchar('\n');
		return r == CORE_EINVAL ? 2 : 1;
	}
	printf("check-proof: OK: entry %" PRIu64 " (%s by ", info.index,
	       core_act_name(info.act));
	cli_put_text(stdout, info.actor);
	if (info.subject[0]) {
		printf(" on ");
		cli_put_text(stdout, info.subject);
	}
	printf(") is in the log ");
	cli_put_text(stdout, info.origin);
	printf(" at size %" PRIu64 ", root ", info.size);
	print_b64(stdout, info.root, 32);
	printf("\n  signatures: %d, of which %d by the log key, verified; "
	       "personal signatures need the key registry (audit verify)\n",
	       info.n_sigs, info.n_sigs_checked);
	return 0;
}

/* ---- log ---- */

static const char *const decisions[] = {"", "pass", "return", "reject",
					"veto"};

struct log_ctx {
	json_object *arr;
	size_t n;
};

static int
print_item(void *ctx, const struct core_audit_item *it)
{
	struct log_ctx *lc = ctx;
	time_t t = (time_t)(it->time_ms / 1000);
	char when[32];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	lc->n++;
	if (lc->arr) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "seq",
				       json_object_new_int64((int64_t)it->seq));
		json_object_object_add(o, "time", json_object_new_string(when));
		json_object_object_add(o, "act", json_object_new_string(
							 core_act_name(it->act)));
		json_object_object_add(o, "act_code",
				       json_object_new_int(it->act));
		json_object_object_add(o, "actor",
				       jtext(it->actor));
		json_object_object_add(
			o, "role",
			json_object_new_string(
				it->role >= 0
					? core_role_name((enum core_role)it->role)
					: "system"));
		json_object_object_add(o, "unit",
				       jtext(it->unit));
		json_object_object_add(o, "subject",
				       jtext(it->subject));
		json_object_object_add(o, "version",
				       json_object_new_int64(it->version));
		json_object_object_add(
			o, "decision",
			json_object_new_string(
				it->decision < 5 ? decisions[it->decision] : "?"));
		json_object_object_add(o, "digest",
				       json_object_new_string(it->digest_hex));
		json_object_object_add(o, "signatures",
				       json_object_new_int(it->n_sigs));
		json_object_object_add(o, "reason",
				       jtext(it->reason));
		json_object_array_add(lc->arr, o);
		return 0;
	}
	printf("#%-6" PRIu64 " %s  ", it->seq, when);
	cli_put_text(stdout, it->actor);
	printf("  %s", core_act_name(it->act));
	if (it->decision && it->decision < 5)
		printf(" [%s]", decisions[it->decision]);
	if (it->subject[0]) {
		printf("  ");
		cli_put_text(stdout, it->subject);
	}
	if (it->version)
		printf("  v%u %s", it->version, it->digest_hex);
	printf("  sigs %d", it->n_sigs);
	if (it->reason[0]) {
		printf("  ");
		cli_put_text(stdout, it->reason);
	}
	putchar('\n');
	return 0;
}

static int
do_log(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'},
		{"nominee", required_argument, NULL, 'n'},
		{"actor", required_argument, NULL, 'u'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL, *actor = NULL;
	enum cli_format fmt = FMT_TEXT;
	struct log_ctx lc = {0};
	struct core *c;
	uint64_t nominee = 0;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			login = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, &nominee) != 0 || nominee == 0 ||
			    nominee > INT64_MAX)
				return cli_fail("--nominee: not a nominee id");
			break;
		case 'u':
			actor = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, &fmt) != 0 ||
			    fmt == FMT_CSV)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!(c = cli_open_as(cli, login)))
		return 1;
	if (fmt == FMT_JSON)
		lc.arr = json_object_new_array();
	r = core_audit_log(c, (int64_t)nominee, actor, print_item, &lc);
	if (r != 0) {
		json_object_put(lc.arr);
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	if (lc.arr) {
		puts(json_object_to_json_string_ext(lc.arr,
						    JSON_C_TO_STRING_PRETTY));
		json_object_put(lc.arr);
	} else if (lc.n == 0) {
		printf("(no entries you may see)\n");
	}
	return 0;
}

/* ---- witness-request, checkpoint ---- */

static int
do_witness_request(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"since", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	const char *out_path = NULL;
	uint64_t since = 0;
	int have_since = 0, ch, r;
	struct core *c;
	char *text;
	size_t len;

	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (parse_u64(optarg, &since) != 0)
				return cli_fail("--since: not a tree size");
			have_since = 1;
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc || !have_since)
		return usage();
	if (!(c = cli_open(cli)))
		return 1;
	if ((r = core_audit_witness_request(c, since, &text, &len)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	r = write_out(out_path, text, len);
	free(text);
	return r;
}

static int
do_checkpoint(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"print", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	int print = 0, ch, r;
	struct core *c;
	char *note, fp[24], when[64];
	uint64_t size;
	time_t t = time(NULL);
	struct tm tm;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'p')
			return usage();
		print = 1;
	}
	if (optind != argc)
		return usage();
	if (!(c = cli_open(cli)))
		return 1;
	if ((r = core_audit_checkpoint(c, &note, &size)) != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	if (!print) {
		fputs(note, stdout);
		free(note);
		return 0;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M %z", &tm);
	core_checkpoint_fingerprint(note, fp);
	printf("nomdesk log checkpoint, printed %s\n"
	       "------------------------------------------------------------\n",
	       when);
	/* Our own signed note: origin, digits, base64 and the dash. */
	fputs(note, stdout);
	printf("------------------------------------------------------------\n"
	       "entries      %" PRIu64 "\n"
	       "fingerprint  %s\n"
	       "(first 80 bits of SHA-256 of the three lines above the blank "
	       "line, base32)\n"
	       "Seal and sign below; an auditor asks the host for a "
	       "consistency proof\nfrom this checkpoint to the newest one.\n",
	       size, fp);
	free(note);
	return 0;
}

int
cmd_audit_log(struct cli *cli, int argc, char **argv)
{
	const char *sub;

	if (argc < 2)
		return usage();
	sub = argv[1];
	argc--;
	argv++;
	optind = 0;
	if (strcmp(sub, "export") == 0)
		return do_export(cli, argc, argv);
	if (strcmp(sub, "verify") == 0)
		return do_verify(cli, argc, argv);
	if (strcmp(sub, "prove") == 0)
		return do_prove(cli, argc, argv);
	if (strcmp(sub, "check-proof") == 0)
		return do_check_proof(argc, argv);
	if (strcmp(sub, "log") == 0)
		return do_log(cli, argc, argv);
	if (strcmp(sub, "witness-request") == 0)
		return do_witness_request(cli, argc, argv);
	if (strcmp(sub, "checkpoint") == 0)
		return do_checkpoint(cli, argc, argv);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	return usage();
}
