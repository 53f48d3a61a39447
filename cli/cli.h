/*
 * cli/: main and one file per subcommand family.  The only layer that
 * writes to stdout/stderr for commands; every string from the database
 * goes through utf8_sanitize (and CSV quoting) on its way out.
 */
#ifndef NOMDESK_CLI_H
#define NOMDESK_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "cli/opt.h"

struct core;

struct cli {
	const char *data_dir;
	const char *prog; /* argv[0] as given, for messages */
	char exe[4096];   /* absolute path of this binary, for the server */
};

enum cli_format { FMT_TEXT, FMT_CSV, FMT_JSON };

/*
 * ---- commands as data ----
 * Each command is a struct cli_cmd: its words, operands, option array and
 * what main.c sets up before it runs, so no command parses argv, opens
 * the data directory or resolves --as itself, and the usage text
 * (nomdesk --help, nomdesk CMD --help, refusals) comes from the table.
 */
enum cli_cmd_flag {
	CLI_NEEDS_DATA = 1u << 0, /* main opens the data directory: run->c */
	CLI_NEEDS_AS = 1u << 1,   /* --as LOGIN required; run->c acts as it */
	CLI_MAY_AS = 1u << 2,     /* --as LOGIN optional; run->as NULL without
				     it and run->c acts as nobody yet */
	CLI_CONSOLE = 1u << 3,    /* without --as, the operating system's user
				     acts (core_act_as_system) */
};

/* What a command's run function receives; main.c owns all of it. */
struct cli_run {
	struct cli *cli;
	struct core *c;      /* open with CLI_NEEDS_DATA, else NULL; main
				closes it after run */
	const char *as;      /* --as LOGIN, or NULL */
	enum cli_format fmt; /* --format, FMT_TEXT by default */
	int argc;            /* the operands, options removed */
	char **argv;
	void *opts;          /* the command's options struct, parsed, in
				guarded memory (sodium_malloc: it may hold
				a passphrase); main wipes and frees it */
};

struct cli_cmd {
	const char *name; /* NULL ends a table */
	const char *operands; /* usage of the operands ("ID ACTION"), or NULL */
	int min_args, max_args; /* operands accepted; max -1: any number */
	const struct opt *opts; /* NULL: none but the shared ones */
	size_t opts_size;       /* of the struct opts' offsets point into */
	unsigned flags;         /* enum cli_cmd_flag */
	unsigned formats;       /* CLI_FMT_* --format accepts; 0: no --format */
	/* optional, before the data directory opens: input that comes
	 * first (a password on stdin); 0 or the exit status */
	int (*prepare)(struct cli_run *r);
	int (*run)(struct cli_run *r);
	/* a family's subcommands, NULL-ended; when run is set too, it
	 * takes the words that name none of them */
	const struct cli_cmd *const *sub;
	const char *help;          /* one line; NULL hides the command */
	/* optional: more of `nomdesk CMD --help` after the options (act's
	 * list of actions) */
	void (*help_more)(FILE *f);
	/* optional: why --format refuses a format it does not take */
	const char *formats_note;
	/* the exit status of a refused command line: 0 means 1; the audit
	 * and witness commands keep 1 for a failed check and use 2 */
	int usage_status;
};

/* ".opts = CLI_OPTS(array, type)" sets opts and, positionally the next
 * member, opts_size: the size always comes with the array. */
#define CLI_OPTS(array, type) (array), sizeof(type)

/*
 * Makes this process hold secrets safely: not dumpable (no core dump, and
 * no other process of our uid may read /proc/PID/mem or ptrace us) and
 * RLIMIT_CORE 0.  main() calls it before any command runs.
 */
void cli_harden(void);

/* Prints "nomdesk: <message>" on stderr; returns 1 (the exit status). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the core error (field and rule) and returns 1. */
int cli_fail_core(struct core *c, int err);
/* Opens the data directory or prints why not; NULL on failure. */
struct core *cli_open(const struct cli *cli);
/* Opens and acts as LOGIN; NULL (message printed) on failure. */
struct core *cli_open_as(const struct cli *cli, const char *login);
/* Same as cli_format_parse(s, CLI_FORMATS_ALL, out). */
int cli_parse_format(const char *s, enum cli_format *out);
/* A positive decimal id (nominee numbers); 0 or -1. */
int cli_parse_id(const char *s, int64_t *id);

/* Output of stored text: sanitized for a terminal, or a CSV cell (RFC
 * 4180 quoting, formula-injection guard). */
void cli_put_text(FILE *f, const char *s);
/* Stored text sanitized, fitted into cols display columns ("~" when cut)
 * and padded to them; cols <= 0 writes it whole. */
void cli_put_fit(FILE *f, const char *s, int cols);
void cli_put_csv(FILE *f, const char *s, int last);
/*
 * ---- listings: one output contract ----
 * Every listing takes --format text|csv|json (text by default): text for
 * a terminal (stored strings sanitized, fitted by columns), CSV with a
 * byte order mark and a header row of the column keys (RFC 4180 through
 * cli_put_csv), JSON as an array of objects with the same stable English
 * keys (strings sanitized, so valid UTF-8 without terminal controls).
 */
#define CLI_FMT_TEXT (1u << FMT_TEXT)
#define CLI_FMT_CSV (1u << FMT_CSV)
#define CLI_FMT_JSON (1u << FMT_JSON)
#define CLI_FORMATS_ALL (CLI_FMT_TEXT | CLI_FMT_CSV | CLI_FMT_JSON)

/*
 * Parses a --format value among the allowed ones (CLI_FMT_* bits): 0 and
 * *out set, or 1 (the exit status) after one line on stderr naming the
 * allowed values: "--format: must be text or json, not 'csv'".
 */
int cli_format_parse(const char *s, unsigned allowed, enum cli_format *out);

struct json_object;

/* What a column holds, for JSON ("" becomes null for numbers). */
enum cli_col_type {
	CLI_COL_STR,
	CLI_COL_NUM,  /* a decimal number: "12", "-1", "3.50" */
	CLI_COL_BOOL, /* "1" or "0" (kept so in CSV) */
};

/*
 * A listing printed row by row in one of the three formats.  Fill in
 * fmt, cols (the keys), width (text: columns of each; 0 for the last,
 * unpadded; may be NULL for formats other than text), type (NULL: all
 * strings) and n_cols; title is a text-only line above the header.  The
 * header goes out with the first row or at cli_table_end, so a refusal
 * before any row leaves stdout empty.
 */
struct cli_table {
	enum cli_format fmt;
	const char *const *cols;
	const int *width;
	const enum cli_col_type *type;
	size_t n_cols;
	struct json_object *arr; /* JSON rows so far; owned */
	int started;
	char title[512];
};
/* Prints (or, for JSON, keeps) one row of n_cols stored strings. */
void cli_table_row(struct cli_table *t, const char *const *v);
/* Finishes the listing: the header if no row came, the JSON array. */
void cli_table_end(struct cli_table *t);
/* Drops what is kept without printing it (after an error). */
void cli_table_drop(struct cli_table *t);

/* Prints a JSON value (pretty, UTF-8 as is, '/' unescaped) and a newline,
 * then releases it; NULL prints nothing. */
void cli_json_print(struct json_object *o);
/* A JSON string of stored text, sanitized (line breaks kept); never
 * NULL (exits on out of memory). */
struct json_object *cli_json_string(const char *s);
/* Stored text sanitized for a terminal into a new string (LF kept if
 * keep_lf); exits on out of memory.  Caller frees. */
char *cli_sanitize_dup(const char *s, int keep_lf);

/* Reads one line from stdin (for --password-stdin); 0 or -1. */
int cli_read_secret(char *buf, size_t n);

/* A nominee number operand: 0 and *id, or 1 after one line naming it. */
int cli_operand_id(const char *s, int64_t *id);
/* --expect-seq SEQ (a nominee's seq as `nominee show` prints it): 0 and
 * *seq (0 for s NULL: act on the current version), or 1 after one line. */
int cli_parse_seq(const char *s, uint64_t *seq);
/* cli_format_parse, and note (or NULL) appended to the refusal of a
 * format the command does not take ("a round is a nested document"). */
int cli_format_parse_note(const char *s, unsigned allowed, const char *note,
			  enum cli_format *out);

/* The commands, each defined in its family's file; main.c lists them. */
extern const struct cli_cmd cli_cmd_init, cli_cmd_serve, cli_cmd_tui,
    cli_cmd_user, cli_cmd_unit, cli_cmd_deadline, cli_cmd_nominee,
    cli_cmd_act, cli_cmd_audit, cli_cmd_witness, cli_cmd_veto_policy,
    cli_cmd_round, cli_cmd_quota, cli_cmd_export, cli_cmd_panel,
    cli_cmd_assign, cli_cmd_declare, cli_cmd_score, cli_cmd_stats,
    cli_cmd_elig, cli_cmd_ssh_exec;
/* Subcommands a family's file takes from another file. */
extern const struct cli_cmd cli_cmd_user_key, cli_cmd_nominee_show,
    cli_cmd_nominee_edit, cli_cmd_nominee_check, cli_cmd_nominee_import,
    cli_cmd_nominee_item, cli_cmd_nominee_material, cli_cmd_audit_export,
    cli_cmd_audit_verify, cli_cmd_audit_prove, cli_cmd_audit_check_proof,
    cli_cmd_audit_log, cli_cmd_audit_witness_request,
    cli_cmd_audit_checkpoint, cli_cmd_panel_result, cli_cmd_panel_scores,
    cli_cmd_panel_recommend;

/* ---- signing keys (cli/cmd_key.c) ---- */
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
/*
 * Reads login's signing passphrase (from stdin, or the terminal) and
 * unlocks the key in c for one act, what naming the act in the refusal.
 * 0, or the exit status after a one-line message.
 */
int cli_unlock_for_act(struct core *c, const char *login, const char *what,
		       int from_stdin);

/* A 32-byte Ed25519 public key in standard padded base64 into pk: 0, or
 * -1 for anything else (the caller names the option). */
int cli_parse_pubkey(const char *b64, uint8_t pk[32]);

/* A whole file, or standard input for "-", of at most max bytes, as a
 * NUL-terminated buffer the caller frees; *len its length.  NULL when it
 * cannot be read or is longer than max. */
char *cli_read_file(const char *path, size_t max, size_t *len);

#endif
