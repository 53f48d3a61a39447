/*
 * The commands a witness may run over the SSH login (audit-log.md 2.12),
 * shared by the server's allow-list (cli/cmd_serve.c, asked by ssh/ for
 * every exec request) and the hidden `ssh-exec` command that runs them
 * (cli/cmd_sshexec.c), which checks them again.  Any authenticated user
 * may run them: they hand out only hashes and signatures, and what
 * witness-submit stores must verify against a witness key registered on
 * the host (core decides).  Exactly:
 *     checkpoint
 *     witness-request [SIZE]      SIZE decimal, no sign, no leading zero
 *     witness-submit              (stdin: the cosigned checkpoint)
 * single spaces, nothing else.
 */
#ifndef NOMDESK_CLI_SSHEXEC_H
#define NOMDESK_CLI_SSHEXEC_H

#include <stddef.h>
#include <stdint.h>


/* Input witness-submit accepts: a checkpoint with its cosignatures. */
#define SSHEXEC_SUBMIT_MAX (1u << 20)

enum sshexec_kind {
	SSHEXEC_CHECKPOINT,
	SSHEXEC_WITNESS_REQUEST,
	SSHEXEC_WITNESS_SUBMIT,
};

struct sshexec_cmd {
	enum sshexec_kind kind;
	uint64_t size; /* witness-request: the witness's tree size */
};

/* Parses a command line as the client sent it; 0 or -1 (not allowed).
 * Only the canonical spelling parses, so what is logged is what runs. */
int sshexec_parse(const char *line, struct sshexec_cmd *out);

/* The command's name ("witness-request"); static. */
const char *sshexec_name(enum sshexec_kind kind);


#endif
