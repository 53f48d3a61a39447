/*
 * cli/: main and one file per subcommand family.  The only layer that
 * writes to stdout/stderr for commands; every string from the database
 * goes through utf8_sanitize (and CSV quoting) on its way out.
 */
#ifndef NOMDESK_CLI_H
#define NOMDESK_CLI_H

#include <stdint.h>
#include <stdio.h>

struct core;

struct cli {
	const char *data_dir;
	const char *prog; /* argv[0] as given, for messages */
	char exe[4096];   /* absolute path of this binary, for the server */
};

enum cli_format { FMT_TEXT, FMT_CSV, FMT_JSON };

/* Prints "nomdesk: <message>" on stderr; returns 1 (the exit status). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the core error (field and rule) and returns 1. */
int cli_fail_core(struct core *c, int err);
/* Opens the data directory or prints why not; NULL on failure. */
struct core *cli_open(const struct cli *cli);
/* Opens and acts as LOGIN; NULL (message printed) on failure. */
struct core *cli_open_as(const struct cli *cli, const char *login);
int cli_parse_format(const char *s, enum cli_format *out);
/* A positive decimal id (nominee numbers); 0 or -1. */
int cli_parse_id(const char *s, int64_t *id);

/* Output of stored text: sanitized for a terminal, or a CSV cell (RFC
 * 4180 quoting, formula-injection guard). */
void cli_put_text(FILE *f, const char *s);
void cli_put_csv(FILE *f, const char *s, int last);
/* Reads one line from stdin (for --password-stdin); 0 or -1. */
int cli_read_secret(char *buf, size_t n);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_tui(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_unit(struct cli *cli, int argc, char **argv);
int cmd_deadline(struct cli *cli, int argc, char **argv);
int cmd_nominee(struct cli *cli, int argc, char **argv);
/* nominee show|edit; -1 if argv[0] is neither. */
int cmd_nominee_more(struct cli *cli, int argc, char **argv);
int cmd_act(struct cli *cli, int argc, char **argv);
/* nominee item add|list, nominee material; -1 if argv[0] is neither. */
int cmd_nominee_items(struct cli *cli, int argc, char **argv);
int cmd_round(struct cli *cli, int argc, char **argv);
int cmd_quota(struct cli *cli, int argc, char **argv);
int cmd_elig(struct cli *cli, int argc, char **argv);
/* nominee import FILE --as LOGIN [--dry-run] (cli/cmd_import.c). */
int cmd_nominee_import(struct cli *cli, int argc, char **argv);
/* export KIND --as LOGIN --format csv|xlsx -o FILE (cli/cmd_export.c). */
int cmd_export(struct cli *cli, int argc, char **argv);

/* ---- issue #4: signing keys, signed acts, the trail (cli/cmd_key.c,
 * cli/cmd_act.c, cli/cmd_audit.c) ---- */
/* user key init|rotate|revoke|show LOGIN (dispatched from cmd_user). */
int cmd_user_key(struct cli *cli, int argc, char **argv);
/* audit trail ID --as LOGIN [--format text|json]; other audit
 * subcommands go to cmd_audit_log (cli/cmd_audit_log.c). */
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_audit_log(struct cli *cli, int argc, char **argv);
/* witness init|add-log|cosign|show DIR ... (cli/cmd_witness.c). */
int cmd_witness(struct cli *cli, int argc, char **argv);
/* veto-policy [1|2] (console). */
int cmd_veto_policy(struct cli *cli, int argc, char **argv);
/* A passphrase: without echo from /dev/tty after prompt, or one line of
 * stdin (read(2), no stdio buffer); 0 or -1. */
int cli_read_passphrase(const char *prompt, char *buf, size_t n,
			int from_stdin);
/* A wiped, guarded buffer for a passphrase (1,100 bytes); NULL when out
 * of memory.  cli_secret_free wipes it; NULL is fine. */
char *cli_secret_new(void);
void cli_secret_free(char *p);
#define CLI_SECRET_SIZE 1100
/* prctl(PR_SET_DUMPABLE, 0) before a passphrase is read. */
void cli_no_core_dumps(void);

/* ---- expert evaluation and statistics (cli/cmd_panel.c, cmd_stats.c) */
/* panel create|add-member|list|result|scores|recommend|assignments. */
int cmd_panel(struct cli *cli, int argc, char **argv);
int cmd_assign(struct cli *cli, int argc, char **argv);
int cmd_declare(struct cli *cli, int argc, char **argv);
int cmd_score(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);

#endif
