/*
 * nomdesk audit export|prove|log|witness-request|checkpoint: the log
 * read out (audit-log.md 2.10-2.12; core/auditlog.c, proof.c).  The
 * family's table is cli/cmd_audit.c's; verify and check-proof are
 * cli/cmd_audit_verify.c's.
 *
 * Exit status: 0 success; 1 refused; 2 a command line refused.
 */
#include <fcntl.h>
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
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9') {
		return -1;
	}
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Writes text to path (0600, refuses an existing file) or stdout. */
static int
write_out(const char *path, const char *text, size_t len)
{
	FILE *f = stdout;

	if (path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
			      0600);

		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			return cli_fail("cannot create '%s'", path);
		}
	}
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0) {
		if (f != stdout) {
			fclose(f);
		}
		return cli_fail("cannot write '%s'", path ? path : "stdout");
	}
	if (f != stdout && fclose(f) != 0) {
		return cli_fail("cannot write '%s'", path);
	}
	return 0;
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

/* ---- export ---- */

/* Without --as the console operator exports. */
static int
do_export(struct cli_run *run)
{
	struct core_receipt rc;
	int r;

	if ((r = core_audit_export(run->c, run->argv[0], &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("bundle written to ");
	cli_put_text(stdout, run->argv[0]);
	printf(" (export recorded as entry %" PRIu64 ", checkpoint %" PRIu64
	       " %s)\n",
	       rc.seq, rc.tree_size, rc.root);
	return 0;
}

/* ---- prove ---- */

struct out_opts {
	const char *out;
};

static const struct opt out_opts[] = {
	OPT_STRING("out", 'o', struct out_opts, out, "FILE",
		   "write it to FILE (a new file), not stdout"),
	OPT_END(),
};

static int
do_prove(struct cli_run *run)
{
	const struct out_opts *o = run->opts;
	char *text = NULL;
	uint64_t seq;
	size_t len;
	int r;

	if (parse_u64(run->argv[0], &seq) != 0) {
		cli_fail("audit prove: '%s' is not an entry number",
			 run->argv[0]);
		return 2;
	}
	if ((r = core_audit_prove(run->c, seq, &text, &len)) != 0) {
		return cli_fail_core(run->c, r);
	}
	r = write_out(o->out, text, len);
	free(text);
	return r;
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
	if (it->decision && it->decision < 5) {
		printf(" [%s]", decisions[it->decision]);
	}
	if (it->subject[0]) {
		printf("  ");
		cli_put_text(stdout, it->subject);
	}
	if (it->version) {
		printf("  v%u %s", it->version, it->digest_hex);
	}
	printf("  sigs %d", it->n_sigs);
	if (it->reason[0]) {
		printf("  ");
		cli_put_text(stdout, it->reason);
	}
	putchar('\n');
	return 0;
}

struct log_opts {
	const char *nominee, *actor;
};

static const struct opt log_opts[] = {
	OPT_STRING("nominee", 0, struct log_opts, nominee, "ID",
		   "only the entries about this nominee"),
	OPT_STRING("actor", 0, struct log_opts, actor, "LOGIN",
		   "only this person's entries"),
	OPT_END(),
};

static int
do_log(struct cli_run *run)
{
	const struct log_opts *o = run->opts;
	struct log_ctx lc = {0};
	uint64_t nominee = 0;
	int r;

	if (o->nominee && (parse_u64(o->nominee, &nominee) != 0 ||
			   nominee == 0 || nominee > INT64_MAX)) {
		return cli_fail("--nominee: not a nominee id");
	}
	if (run->fmt == FMT_JSON) {
		lc.arr = json_object_new_array();
	}
	r = core_audit_log(run->c, (int64_t)nominee, o->actor, print_item,
			   &lc);
	if (r != 0) {
		json_object_put(lc.arr);
		return cli_fail_core(run->c, r);
	}
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

struct request_opts {
	const char *since, *out;
};

static const struct opt request_opts[] = {
	OPT_STRING_REQ("since", 0, struct request_opts, since, "SIZE",
		       "the tree size the witness holds"),
	OPT_STRING("out", 'o', struct request_opts, out, "FILE",
		   "write it to FILE (a new file), not stdout"),
	OPT_END(),
};

static int
do_witness_request(struct cli_run *run)
{
	const struct request_opts *o = run->opts;
	uint64_t since = 0;
	char *text;
	size_t len;
	int r;

	if (parse_u64(o->since, &since) != 0) {
		return cli_fail("--since: not a tree size");
	}
	r = core_audit_witness_request(run->c, since, &text, &len);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	r = write_out(o->out, text, len);
	free(text);
	return r;
}

struct checkpoint_opts {
	int print;
};

static const struct opt checkpoint_opts[] = {
	OPT_FLAG("print", 0, struct checkpoint_opts, print,
		 "a page to print, seal and sign"),
	OPT_END(),
};

static int
do_checkpoint(struct cli_run *run)
{
	const struct checkpoint_opts *o = run->opts;
	char *note, fp[24], when[64];
	time_t t = time(NULL);
	uint64_t size;
	struct tm tm;
	int r;

	if ((r = core_audit_checkpoint(run->c, &note, &size)) != 0) {
		return cli_fail_core(run->c, r);
	}
	if (!o->print) {
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

const struct cli_cmd cli_cmd_audit_export = {
	.name = "export",
	.operands = "FILE",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.run = do_export,
	.help = "write the bundle an offline auditor verifies",
	.usage_status = 2,
};

const struct cli_cmd cli_cmd_audit_prove = {
	.name = "prove",
	.operands = "SEQ",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(out_opts, struct out_opts),
	.flags = CLI_NEEDS_DATA,
	.run = do_prove,
	.help = "an inclusion proof of entry SEQ",
	.usage_status = 2,
};

const struct cli_cmd cli_cmd_audit_log = {
	.name = "log",
	.opts = CLI_OPTS(log_opts, struct log_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = do_log,
	.help = "the log entries you may see",
	.usage_status = 2,
};

const struct cli_cmd cli_cmd_audit_witness_request = {
	.name = "witness-request",
	.opts = CLI_OPTS(request_opts, struct request_opts),
	.flags = CLI_NEEDS_DATA,
	.run = do_witness_request,
	.help = "the request a witness cosigns",
	.usage_status = 2,
};

const struct cli_cmd cli_cmd_audit_checkpoint = {
	.name = "checkpoint",
	.opts = CLI_OPTS(checkpoint_opts, struct checkpoint_opts),
	.flags = CLI_NEEDS_DATA,
	.run = do_checkpoint,
	.help = "the newest signed checkpoint",
	.usage_status = 2,
};
