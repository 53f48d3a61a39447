/*
 * nomdesk ssh-exec --as LOGIN -- WORD...: the commands a witness runs over
 * the SSH login (cli/sshexec.h), exec'd by the server's session process
 * without a shell or a terminal, stdin/stdout/stderr on pipes to the SSH
 * channel.  Hidden from the usage text: people run `ssh HOST COMMAND`.
 *
 * The server decided already (cmd_serve.c, with sshexec_parse); this
 * checks the words again itself, so a bug in the server's plumbing cannot
 * widen the list.  Output is protocol text (signed notes, proofs) and
 * goes out byte for byte; errors are one line on stderr.
 *
 * Exit status: 0 done; 1 refused by core (bad size, unknown witness, bad
 * signature, over-long input); 2 not an allowed command.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/sshexec.h"
#include "core/core.h"
#include "core/i18n.h"

/* Longer than any allowed command; the server refuses 128 and more. */
#define LINE_MAX_LEN 128

static const struct {
	enum sshexec_kind kind;
	const char *name;
	int takes_size;
} table[] = {
	{SSHEXEC_CHECKPOINT, "checkpoint", 0},
	{SSHEXEC_WITNESS_REQUEST, "witness-request", 1},
	{SSHEXEC_WITNESS_SUBMIT, "witness-submit", 0},
};

const char *
sshexec_name(enum sshexec_kind kind)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].kind == kind) {
			return table[i].name;
		}
	}
	return "?";
}

/* A tree size: 1-20 digits, no leading zero (but "0"), fits 64 bits. */
static int
parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (s[0] == '0' && s[1] != '\0') {
		return -1;
	}
	for (; *s; s++, n++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9' || n >= 20 ||
		    v > (UINT64_MAX - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	if (n == 0) {
		return -1;
	}
	*out = v;
	return 0;
}

int
sshexec_parse(const char *line, struct sshexec_cmd *out)
{
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!line || strnlen(line, LINE_MAX_LEN) >= LINE_MAX_LEN) {
		return -1;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		len = strlen(table[i].name);
		if (strncmp(line, table[i].name, len) != 0) {
			continue;
		}
		out->kind = table[i].kind;
		if (line[len] == '\0') {
			return 0;
		}
		if (line[len] == ' ' && table[i].takes_size) {
			return parse_size(line + len + 1, &out->size);
		}
		return -1;
	}
	return -1;
}

static int
do_checkpoint(struct core *c)
{
	uint64_t size;
	char *note;
	int r;

	if ((r = core_audit_checkpoint(c, &note, &size)) != 0) {
		return cli_fail_core(c, r);
	}
	fputs(note, stdout);
	free(note);
	return 0;
}

static int
do_request(struct core *c, uint64_t since)
{
	char *text;
	size_t len;
	int r;

	if ((r = core_audit_witness_request(c, since, &text, &len)) != 0) {
		return cli_fail_core(c, r);
	}
	r = fwrite(text, 1, len, stdout) == len ? 0 : 1;
	free(text);
	return r;
}

/* All of stdin, at most max bytes (read(2): no stdio buffer to guess
 * about); NULL on a read error or past max (*over set). */
static char *
read_input(size_t max, size_t *len, int *over)
{
	char *buf = malloc(max + 1);
	size_t n = 0;

	*over = 0;
	if (!buf) {
		return NULL;
	}
	for (;;) {
		ssize_t k = read(STDIN_FILENO, buf + n, max + 1 - n);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k < 0) {
			free(buf);
			return NULL;
		}
		if (k == 0) {
			break;
		}
		n += (size_t)k;
		if (n > max) {
			*over = 1;
			free(buf);
			return NULL;
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
do_submit(struct core *c)
{
	size_t len = 0, stored = 0;
	int over, r;
	char *note = read_input(SSHEXEC_SUBMIT_MAX, &len, &over);

	if (!note) {
		if (over) {
			return cli_fail(_("witness-submit: input over %u bytes "
					  "refused"),
					SSHEXEC_SUBMIT_MAX);
		}
		return cli_fail(_("witness-submit: cannot read the input"));
	}
	r = core_cosig_submit(c, note, len, &stored);
	free(note);
	if (r != 0) {
		return cli_fail_core(c, r);
	}
	printf(_("cosignatures stored: %zu"), stored);
	putchar('\n');
	return 0;
}

static int
not_allowed(void)
{
	cli_fail(_("not an allowed command"));
	return 2;
}

struct sshexec_opts {
	const char *as;
};

/* Its own --as, not CLI_NEEDS_AS: a command line without it is refused
 * with exit status 2 like any other not allowed. */
static const struct opt sshexec_opts[] = {
	OPT_STRING_REQ("as", 0, struct sshexec_opts, as, "LOGIN",
		       "the login the server authenticated"),
	OPT_END(),
};

/* The words after "--" as one line, as the client sent it; 0 or -1. */
static int
sshexec_line(int argc, char **argv, char *line, size_t size)
{
	size_t o = 0;
	int w;

	line[0] = '\0';
	for (int i = 0; i < argc; i++) {
		w = snprintf(line + o, size - o, "%s%s", i > 0 ? " " : "",
			     argv[i]);
		if (w < 0 || (size_t)w >= size - o) {
			return -1;
		}
		o += (size_t)w;
	}
	return 0;
}

static int
sshexec_run(struct cli_run *run)
{
	const struct sshexec_opts *o = run->opts;
	struct sshexec_cmd cmd;
	char line[LINE_MAX_LEN];
	struct core *c;
	int r;

	if (sshexec_line(run->argc, run->argv, line, sizeof(line)) != 0 ||
	    sshexec_parse(line, &cmd) != 0) {
		return not_allowed();
	}
	if (!(c = cli_open_as(run->cli, o->as))) {
		return 1;
	}
	core_i18n_init(core_actor(c)->lang);
	switch (cmd.kind) {
	case SSHEXEC_CHECKPOINT:
		r = do_checkpoint(c);
		break;
	case SSHEXEC_WITNESS_REQUEST:
		r = do_request(c, cmd.size);
		break;
	case SSHEXEC_WITNESS_SUBMIT:
		r = do_submit(c);
		break;
	default:
		r = not_allowed();
		break;
	}
	core_close(c);
	if (fflush(stdout) != 0 && r == 0) {
		r = 1;
	}
	return r;
}

/* No help: hidden from the usage text; run by the server only. */
const struct cli_cmd cli_cmd_ssh_exec = {
	.name = "ssh-exec",
	.operands = "-- COMMAND...",
	.min_args = 1,
	.max_args = -1,
	.opts = CLI_OPTS(sshexec_opts, struct sshexec_opts),
	.run = sshexec_run,
	.usage_status = 2,
};
