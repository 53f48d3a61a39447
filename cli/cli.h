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
/*
 * Reads login's signing passphrase (from stdin, or the terminal) and
 * unlocks the key in c for one act, what naming the act in the refusal.
 * 0, or the exit status after a one-line message.
 */
int cli_unlock_for_act(struct core *c, const char *login, const char *what,
		       int from_stdin);

/* ---- expert evaluation and statistics (cli/cmd_panel.c, cmd_stats.c) */
/* panel create|add-member|list|result|scores|recommend|assignments. */
int cmd_panel(struct cli *cli, int argc, char **argv);
int cmd_assign(struct cli *cli, int argc, char **argv);
int cmd_declare(struct cli *cli, int argc, char **argv);
int cmd_score(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);

#endif
