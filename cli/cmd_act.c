/*
 * nomdesk act ID ACTION --as LOGIN [--reason TEXT] [--scan FILE]
 *     [--evidence FILE]... [--passphrase-stdin] [--expect-seq SEQ]
 * nomdesk veto-policy [1|2]
 * nomdesk deadline extend HOLDER --as LOGIN --until DATE --reason TEXT
 * (core/workflow.c, workflow_state.c, veto.c)
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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

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

/* nomdesk act --help: after the options, the actions. */
static void
act_help_more(FILE *f)
{
	fprintf(f, "\nactions ([signed]: asks for your signing passphrase):\n");
	core_action_list(print_action, f);
}

/* Reads FILE whole and stores it in the document store. */
static int
store_file(struct core *c, const char *path, uint8_t digest[32])
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, k;
	int r;

	if (!f) {
		return cli_fail("cannot open '%s': %s", path, strerror(errno));
	}
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
		if (k == 0) {
			break;
		}
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return cli_fail("cannot read '%s'", path);
	}
	fclose(f);
	r = core_doc_store(c, buf, len, digest);
	free(buf);
	return r != 0 ? cli_fail_core(c, r) : 0;
}

/* --scan and --evidence fill one list: the act names the files in the
 * order given. */
struct act_opts {
	const char *reason, *expect_seq;
	struct opt_list files;
	int passphrase_stdin;
};

static const struct opt act_opts[] = {
	OPT_STRING("reason", 0, struct act_opts, reason, "TEXT",
		   "why (some actions require it)"),
	OPT_LIST("scan", 0, struct act_opts, files, "FILE",
		 "a scanned document the act names"),
	OPT_LIST("evidence", 0, struct act_opts, files, "FILE",
		 "evidence the act names"),
	OPT_FLAG("passphrase-stdin", 0, struct act_opts, passphrase_stdin,
		 "read the signing passphrase from stdin"),
	OPT_STRING("expect-seq", 0, struct act_opts, expect_seq, "SEQ",
		   "only if still the version `nominee show` printed"),
	OPT_END(),
};

#define ACT_MAX_FILES 15

/* The --scan and --evidence files into the store, digests in order. */
static int
act_store_files(struct core *c, const struct act_opts *o,
		uint8_t digests[ACT_MAX_FILES][32], size_t *n)
{
	int r;

	*n = 0;
	if (o->files.n > ACT_MAX_FILES) {
		return cli_fail("at most 15 --scan/--evidence files");
	}
	for (size_t i = 0; i < o->files.n; i++) {
		if ((r = store_file(c, o->files.v[i], digests[(*n)++])) != 0) {
			return r;
		}
	}
	return 0;
}

static int
act_run(struct cli_run *run)
{
	const struct act_opts *o = run->opts;
	const char *action = run->argv[1];
	uint8_t digests[ACT_MAX_FILES][32];
	struct core_act_opts ao = {0};
	struct core_receipt rc;
	uint64_t seen;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = cli_parse_seq(o->expect_seq, &seen)) != 0 ||
	    (r = act_store_files(run->c, o, digests, &ao.n_attach)) != 0) {
		return r;
	}
	ao.attach = (const uint8_t(*)[32])digests;
	if (core_action_signed(action) &&
	    (r = cli_unlock_for_act(run->c, run->as, action,
				    o->passphrase_stdin)) != 0) {
		return r;
	}
	r = core_act_seen(run->c, id, seen, action, o->reason, &ao, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("nominee %" PRId64 ": %s (entry %" PRIu64 ", checkpoint %" PRIu64
	       " %s)\n",
	       id, action, rc.seq, rc.tree_size, rc.root);
	return 0;
}

const struct cli_cmd cli_cmd_act = {
	.name = "act",
	.operands = "ID ACTION",
	.min_args = 2,
	.max_args = 2,
	.opts = CLI_OPTS(act_opts, struct act_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = act_run,
	.help = "act on a nominee (nomdesk act --help lists the actions)",
	.help_more = act_help_more,
};

/* Without an operand, prints the policy; with 1 or 2, sets it. */
static int
veto_policy(struct cli_run *run)
{
	struct core_receipt rc;
	int r, n;

	if (run->argc == 0) {
		printf("a veto needs %d signature(s)\n",
		       core_veto_policy_get(run->c));
		return 0;
	}
	if (strcmp(run->argv[0], "1") != 0 && strcmp(run->argv[0], "2") != 0) {
		return cli_fail("veto-policy: 1 or 2, not '%s'", run->argv[0]);
	}
	n = run->argv[0][0] - '0';
	if ((r = core_veto_policy_set(run->c, n, &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("a veto now needs %d signature(s) (entry %" PRIu64 ")\n", n,
	       rc.seq);
	return 0;
}

const struct cli_cmd cli_cmd_veto_policy = {
	.name = "veto-policy",
	.operands = "[1|2]",
	.min_args = 0,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_CONSOLE,
	.run = veto_policy,
	.help = "signatures a veto needs (the console operator)",
};

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
