/*
 * nomdesk [--data DIR] COMMAND ...: the one binary.  The data directory
 * comes from --data, else $NOMDESK_DATA, else ./nomdesk-data.
 */
#include <getopt.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/sshexec.h"
#include "core/core.h"
#include "core/utf8.h"

/* Commands not yet on option arrays: they parse their own argv, and
 * their usage is kept here by hand until they move. */
enum {
	L_SERVE, L_NOMINEE, L_ACT, L_AUDIT, L_WITNESS, L_VETO,
	L_ROUND, L_PANEL, L_ASSIGN, L_DECLARE, L_SCORE,
	L_SSHEXEC, L_N
};
static const struct cli_cmd legacy_cmds[L_N] = {
	[L_SERVE] = {.name = "serve",
	 .legacy = cmd_serve,
	 .help = "serve [--listen ADDR:PORT] [--per-source-max N] "
		 "[--max-startups B:R:F]\n"
		 "      [--max-sessions N] [--max-sessions-per-user N] "
		 "[--max-session-time S]\n"
		 "      [--idle-timeout S] [--password-checks N] "
		 "[--penalty-halflife S]\n"
		 "      [--penalty-max S] [--failure-summary S]   serve the "
		 "TUI over SSH"},
	[L_NOMINEE] = {.name = "nominee",
	 .legacy = cmd_nominee,
	 .help = "nominee add --as LOGIN --name NAME --gender 男|女 "
		 "--birth-date YYYY-MM-DD --title TEXT [--unit CODE]\n"
		 "      [--idempotency-key KEY]   (a retry with KEY adds "
		 "nothing)\n"
		 "  nominee list --as LOGIN [--format text|csv|json]\n"
		 "  nominee show ID --as LOGIN [--format text|json]\n"
		 "  nominee check ID --as LOGIN [--override TEXT] [--format "
		 "text|json]\n"
		 "  nominee edit ID --as LOGIN --FIELD VALUE ... [--condition "
		 "N=TEXT]\n"
		 "  nominee import FILE --as LOGIN [--dry-run]   (CSV, .xls, "
		 ".xlsx)\n"
		 "  nominee item add ID --as LOGIN --kind "
		 "work|research|performance --from DATE [--to DATE] --title "
		 "TEXT [--detail TEXT]\n"
		 "  nominee item list ID --as LOGIN [--format text|csv|json]\n"
		 "  nominee material ID KIND --as LOGIN --copies N "
		 "[--original-sighted]"},
	[L_ACT] = {.name = "act",
	 .legacy = cmd_act,
	 .help = "act ID ACTION --as LOGIN [--reason TEXT]   (act --help)"},
	[L_AUDIT] = {.name = "audit",
	 .legacy = cmd_audit,
	 .help = "audit trail ID --as LOGIN [--format text|json]\n"
		 "  audit export FILE | verify [--bundle FILE] [--log-key B64] "
		 "[--witness FILE]...\n"
		 "  audit prove SEQ [-o FILE] | check-proof FILE --log-key "
		 "B64\n"
		 "  audit log --as LOGIN [--nominee ID] [--actor LOGIN]\n"
		 "  audit witness-request --since SIZE [-o FILE] | checkpoint "
		 "--print\n"
		 "  audit witness-key add VKEY|list | cosign FILE|- [--as "
		 "LOGIN]\n"
		 "  audit rotate-log-key [--as LOGIN]\n"
		 "  audit verify ... [--witness-key VKEY]... [--quorum K]"},
	[L_WITNESS] = {.name = "witness",
	 .legacy = cmd_witness,
	 .help = "witness init DIR --name NAME [--origin ORIGIN --log-key "
		 "BASE64]\n"
		 "  witness add-log DIR --origin ORIGIN --log-key BASE64\n"
		 "  witness cosign DIR (REQUEST | --checkpoint FILE [--proof "
		 "FILE]) [-o FILE]\n"
		 "  witness show DIR [--origin ORIGIN]"},
	[L_VETO] = {.name = "veto-policy",
	 .legacy = cmd_veto_policy,
	 .help = "veto-policy [1|2]          signatures a veto needs "
		 "(console)"},
	[L_ROUND] = {.name = "round",
	 .legacy = cmd_round,
	 .help = "round show [--code CODE] [--format text|json]\n"
		 "  round check [--code CODE] [--format text|csv|json] "
		 "[--warn-only]\n"
		 "  round load FILE|--builtin CODE [--current] [--as LOGIN]"},
	[L_PANEL] = {.name = "panel",
	 .legacy = cmd_panel,
	 .help = "panel create NAME --level local|city --as LOGIN [--rule "
		 "mean|majority] [--threshold N] [--quorum N] [--criteria "
		 "NAME:MAX,...]\n"
		 "  panel add-member PANEL EXPERT_LOGIN --as LOGIN\n"
		 "  panel list|recommend|assignments --as LOGIN [--format "
		 "text|csv|json]\n"
		 "  panel result PANEL --as LOGIN [--format text|csv|json]\n"
		 "  panel scores PANEL ID --as LOGIN [--format text|csv|json]"},
	[L_ASSIGN] = {.name = "assign",
	 .legacy = cmd_assign,
	 .help = "assign ID --panel PANEL --as LOGIN"},
	[L_DECLARE] = {.name = "declare",
	 .legacy = cmd_declare,
	 .help = "declare ID --as EXPERT [--conflict REASON] [--panel PANEL] "
		 "[--passphrase-stdin]"},
	[L_SCORE] = {.name = "score",
	 .legacy = cmd_score,
	 .help = "score ID --as EXPERT --criterion NAME=SCORE ... [--opinion "
		 "TEXT] [--panel PANEL]"},
	[L_SSHEXEC] = {.name = "ssh-exec", .legacy = cmd_sshexec},
};
#define LEGACY(name) (&legacy_cmds[name])

/* In the order `nomdesk --help` lists them. */
static const struct cli_cmd *const commands[] = {
	&cli_cmd_init,     LEGACY(L_SERVE),   &cli_cmd_tui,
	&cli_cmd_user,    &cli_cmd_unit,     &cli_cmd_deadline,
	LEGACY(L_NOMINEE), LEGACY(L_ACT),     LEGACY(L_AUDIT),
	LEGACY(L_WITNESS), LEGACY(L_VETO),    LEGACY(L_ROUND),
	&cli_cmd_quota,    &cli_cmd_export,  LEGACY(L_PANEL),
	LEGACY(L_ASSIGN),  LEGACY(L_DECLARE), LEGACY(L_SCORE),
	&cli_cmd_stats,    &cli_cmd_elig,    LEGACY(L_SSHEXEC),
	NULL,
};

static const struct cli_cmd *
cmd_find(const struct cli_cmd *const *t, const char *name)
{
	for (; t && *t; t++) {
		if (strcmp((*t)->name, name) == 0) {
			return *t;
		}
	}
	return NULL;
}

/* "text|csv|json" of the CLI_FMT_* bits. */
static void
formats_put(FILE *f, unsigned formats)
{
	static const char *const names[] = {"text", "csv", "json"};
	int first = 1;

	for (unsigned i = 0; i < 3; i++) {
		if (formats & (1u << i)) {
			fprintf(f, "%s%s", first ? "" : "|", names[i]);
			first = 0;
		}
	}
}

/* One usage line of a table command, without "usage: nomdesk ". */
static void
cmd_put_usage(FILE *f, const char *path, const struct cli_cmd *cmd)
{
	fputs(path, f);
	if (cmd->operands) {
		fprintf(f, " %s", cmd->operands);
	}
	if (cmd->flags & CLI_NEEDS_AS) {
		fputs(" --as LOGIN", f);
	}
	opt_usage(f, cmd->opts);
	if (cmd->flags & CLI_MAY_AS) {
		fputs(" [--as LOGIN]", f);
	}
	if (cmd->formats) {
		fputs(" [--format ", f);
		formats_put(f, cmd->formats);
		fputs("]", f);
	}
	fputc('\n', f);
}

/*
 * Every usage line under cmd, each after lead: its own line if it runs,
 * then its subcommands' (a family's words are the path's prefix).
 * tables_only leaves out the hand-kept lines of legacy commands.
 */
static void
cmd_put_tree(FILE *f, const char *lead, const char *path,
	     const struct cli_cmd *cmd, int tables_only)
{
	char sub[256];

	if (cmd->legacy) {
		if (cmd->help && !tables_only) {
			fprintf(f, "%s%s\n", lead, cmd->help);
		}
		return;
	}
	if (!cmd->help && !cmd->sub) {
		return;
	}
	if (cmd->run) {
		fputs(lead, f);
		cmd_put_usage(f, path, cmd);
	}
	for (const struct cli_cmd *const *s = cmd->sub; s && *s; s++) {
		snprintf(sub, sizeof(sub), "%s %s", path, (*s)->name);
		cmd_put_tree(f, lead, sub, *s, tables_only);
	}
}

/* "usage: nomdesk LINE", or "usage:" and one indented line each. */
static void
cmd_put_usages(FILE *f, const char *path, const struct cli_cmd *cmd)
{
	if (cmd->sub || cmd->legacy) {
		fputs("usage:\n", f);
		cmd_put_tree(f, "  nomdesk ", path, cmd, 0);
	} else {
		cmd_put_tree(f, "usage: nomdesk ", path, cmd, 0);
	}
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: nomdesk [--data DIR] COMMAND ...\n");
	for (const struct cli_cmd *const *c = commands; *c; c++) {
		cmd_put_tree(f, "  ", (*c)->name, *c, 0);
	}
}

/* nomdesk --synopsis (hidden): the table commands' usage lines, one a
 * line, for scripts/lint.sh to hold the man page to. */
static int
synopsis(void)
{
	for (const struct cli_cmd *const *c = commands; *c; c++) {
		cmd_put_tree(stdout, "", (*c)->name, *c, 1);
	}
	return 0;
}

/* nomdesk CMD --help: the usage, what it does, its options. */
static int
cmd_put_help(const char *path, const struct cli_cmd *cmd)
{
	static const struct opt shared[] = {
		{"as", 0, OPT_KIND_STRING, 0, "LOGIN", "act as LOGIN", 0},
		OPT_END(),
	};

	cmd_put_usages(stdout, path, cmd);
	if (cmd->help && cmd->run) {
		printf("\n%s\n", cmd->help);
	}
	if (cmd->run && (cmd->opts || (cmd->flags & (CLI_NEEDS_AS |
						    CLI_MAY_AS)))) {
		printf("\noptions:\n");
		if (cmd->flags & (CLI_NEEDS_AS | CLI_MAY_AS)) {
			opt_help(stdout, shared);
		}
		opt_help(stdout, cmd->opts);
	}
	return 0;
}

/* A refusal of the command line: one line (every refusal is one line,
 * docs/nomdesk.1), the reason and where the usage is. */
static int
cmd_refuse(const char *path, const char *why)
{
	return cli_fail("%s: %s (see nomdesk %s --help)", path, why, path);
}

/* A family without a subcommand: "usage: nomdesk unit list|add ...". */
static int
cmd_refuse_family(const char *path, const struct cli_cmd *cmd)
{
	char words[256] = "";
	size_t len;

	for (const struct cli_cmd *const *s = cmd->sub; *s; s++) {
		len = strlen(words);
		snprintf(words + len, sizeof(words) - len, "%s%s",
			 s == cmd->sub ? "" : "|", (*s)->name);
	}
	return cli_fail("usage: nomdesk %s %s ... (see nomdesk %s --help)",
			path, words, path);
}

struct shared_opts {
	const char *as;
	const char *format;
};

static const struct opt opts_as[] = {
	OPT_STRING("as", 0, struct shared_opts, as, "LOGIN", NULL),
	OPT_END(),
};
static const struct opt opts_format[] = {
	OPT_STRING("format", 0, struct shared_opts, format, "FORMAT", NULL),
	OPT_END(),
};

/* Opens what the command's flags ask for; 0 or the exit status. */
static int
cmd_setup(struct cli_run *run, const struct cli_cmd *cmd)
{
	struct passwd *pw;

	if (!(cmd->flags & CLI_NEEDS_DATA)) {
		return 0;
	}
	if ((cmd->flags & CLI_NEEDS_AS) || run->as) {
		run->c = cli_open_as(run->cli, run->as);
	} else {
		run->c = cli_open(run->cli);
	}
	if (!run->c) {
		return 1;
	}
	if ((cmd->flags & CLI_CONSOLE) && !run->as) {
		pw = getpwuid(getuid());
		core_act_as_system(run->c, pw ? pw->pw_name : "?");
	}
	return 0;
}

/*
 * Runs a table command on argv (the words after its path): the options
 * into a fresh options struct, the shared --as and --format, the operand
 * count, the data directory; then cmd->run.  Returns the exit status.
 */
static int
cmd_exec(struct cli *cli, const char *path, const struct cli_cmd *cmd,
	 int argc, char **argv)
{
	struct shared_opts so = {0};
	struct opt_group g[4];
	struct cli_run run = {.cli = cli};
	char err[256];
	int n = 0, r = 1;

	if (argc > 0 && strcmp(argv[0], "--help") == 0) {
		return cmd_put_help(path, cmd);
	}
	if (cmd->opts_size && !(run.opts = calloc(1, cmd->opts_size))) {
		return cli_fail("out of memory");
	}
	if (cmd->opts) {
		g[n++] = (struct opt_group){cmd->opts, run.opts};
	}
	if (cmd->flags & (CLI_NEEDS_AS | CLI_MAY_AS)) {
		g[n++] = (struct opt_group){opts_as, &so};
	}
	if (cmd->formats) {
		g[n++] = (struct opt_group){opts_format, &so};
	}
	g[n] = (struct opt_group){NULL, NULL};
	if ((run.argc = opt_parse(g, argc, argv, err, sizeof(err))) < 0) {
		r = cmd_refuse(path, err);
		goto out;
	}
	run.argv = argv;
	run.as = so.as;
	if (run.argc < cmd->min_args) {
		snprintf(err, sizeof(err), "expected %s",
			 cmd->operands ? cmd->operands : "nothing");
		r = cmd_refuse(path, err);
		goto out;
	}
	if (cmd->max_args >= 0 && run.argc > cmd->max_args) {
		r = cli_fail("%s: unexpected argument '%s'", path,
			     argv[cmd->max_args]);
		goto out;
	}
	if (so.format && cli_format_parse(so.format, cmd->formats,
					  &run.fmt) != 0) {
		goto out;
	}
	if (cmd->prepare && (r = cmd->prepare(&run)) != 0) {
		goto out;
	}
	if ((r = cmd_setup(&run, cmd)) != 0) {
		goto out;
	}
	r = cmd->run(&run);
out:
	if (run.c) {
		core_close(run.c);
	}
	if (run.opts) {
		sodium_memzero(run.opts, cmd->opts_size);
	}
	free(run.opts);
	return r;
}

/*
 * Finds the command argv[0] names in t, descending into families, and
 * runs it; cli_fail for a word no table knows.  Returns the exit status.
 */
static int
cmd_dispatch(struct cli *cli, const struct cli_cmd *const *t, int argc,
	     char **argv)
{
	const struct cli_cmd *cmd = cmd_find(t, argv[0]), *s;
	char path[256];
	int skip = 1;

	if (!cmd) {
		return cli_fail("unknown command '%s' (try --help)", argv[0]);
	}
	if (cmd->legacy) {
		return cmd->legacy(cli, argc, argv);
	}
	snprintf(path, sizeof(path), "%s", cmd->name);
	while (cmd->sub) {
		s = argc > skip ? cmd_find(cmd->sub, argv[skip]) : NULL;
		if (!s && cmd->run) {
			break;
		}
		if (!s) {
			if (argc > skip && strcmp(argv[skip], "--help") == 0) {
				return cmd_put_help(path, cmd);
			}
			return cmd_refuse_family(path, cmd);
		}
		cmd = s;
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 " %s", cmd->name);
		skip++;
	}
	return cmd_exec(cli, path, cmd, argc - skip, argv + skip);
}

int
cli_fail(const char *fmt, ...)
{
	char msg[1024], safe[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_sanitize(msg, safe, sizeof(safe), 0);
	fprintf(stderr, "nomdesk: %s\n", safe);
	return 1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"data", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"synopsis", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli = {0};
	const char *lang = getenv("LC_ALL");
	ssize_t n;
	int ch;

	if (!lang || !*lang)
		lang = getenv("LANG");
	core_i18n_init(lang && strncmp(lang, "zh", 2) == 0 ? "zh_CN" : "en");
	cli.prog = argv[0];
	cli.data_dir = getenv("NOMDESK_DATA");
	if (!cli.data_dir || !*cli.data_dir)
		cli.data_dir = "./nomdesk-data";
	n = readlink("/proc/self/exe", cli.exe, sizeof(cli.exe) - 1);
	if (n > 0)
		cli.exe[n] = '\0';
	else
		snprintf(cli.exe, sizeof(cli.exe), "%s", argv[0]);

	/* '+': stop at the command; its own options are parsed there. */
	while ((ch = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli.data_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 's':
			return synopsis();
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	argc -= optind;
	argv += optind;
	optind = 0; /* full reset for the getopt of commands not on tables */
	/* every command may hold the log key or a personal key: no core
	 * dump, no reading of our memory by other processes of our uid,
	 * before any key is loaded */
	cli_harden();
	return cmd_dispatch(&cli, commands, argc, argv);
}
