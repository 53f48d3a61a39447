/*
 * nomdesk [--data DIR] COMMAND ...: the one binary.  The data directory
 * comes from --data, else $NOMDESK_DATA, else ./nomdesk-data.
 */
#include <getopt.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

/* In the order `nomdesk --help` lists them. */
static const struct cli_cmd *const commands[] = {
	&cli_cmd_init,    &cli_cmd_serve,       &cli_cmd_tui,
	&cli_cmd_user,    &cli_cmd_unit,        &cli_cmd_deadline,
	&cli_cmd_nominee, &cli_cmd_act,         &cli_cmd_audit,
	&cli_cmd_witness, &cli_cmd_veto_policy, &cli_cmd_round,
	&cli_cmd_quota,   &cli_cmd_export,      &cli_cmd_panel,
	&cli_cmd_assign,  &cli_cmd_declare,     &cli_cmd_score,
	&cli_cmd_stats,   &cli_cmd_elig,        &cli_cmd_ssh_exec,
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
 * Commands without help (ssh-exec, run by the server) stay out.
 */
static void
cmd_put_tree(FILE *f, const char *lead, const char *path,
	     const struct cli_cmd *cmd)
{
	char sub[256];

	if (!cmd->help && !cmd->sub) {
		return;
	}
	if (cmd->run) {
		fputs(lead, f);
		cmd_put_usage(f, path, cmd);
	}
	for (const struct cli_cmd *const *s = cmd->sub; s && *s; s++) {
		snprintf(sub, sizeof(sub), "%s %s", path, (*s)->name);
		cmd_put_tree(f, lead, sub, *s);
	}
}

/* "usage: nomdesk LINE", or "usage:" and one indented line each. */
static void
cmd_put_usages(FILE *f, const char *path, const struct cli_cmd *cmd)
{
	if (cmd->sub) {
		fputs("usage:\n", f);
		cmd_put_tree(f, "  nomdesk ", path, cmd);
	} else {
		cmd_put_tree(f, "usage: nomdesk ", path, cmd);
	}
}

/* "  PATH   what it does", one line per runnable command under cmd (the
 * overview; each command's own --help has its options). */
static void
cmd_put_summaries(FILE *f, const char *path, const struct cli_cmd *cmd)
{
	char sub[256];

	if (!cmd->help && !cmd->sub) {
		return;
	}
	if (cmd->run && cmd->help) {
		if (strlen(path) > 22) {
			fprintf(f, "  %s\n  %-22s  %s\n", path, "", cmd->help);
		} else {
			fprintf(f, "  %-22s  %s\n", path, cmd->help);
		}
	}
	for (const struct cli_cmd *const *s = cmd->sub; s && *s; s++) {
		snprintf(sub, sizeof(sub), "%s %s", path, (*s)->name);
		cmd_put_summaries(f, sub, *s);
	}
}

/* The overview: every command and what it does, at 80 columns; the
 * full usage lines are each command's --help (and --synopsis). */
static void
usage(FILE *f)
{
	fprintf(f, "usage: nomdesk [--data DIR] COMMAND ...\n\n");
	for (const struct cli_cmd *const *c = commands; *c; c++) {
		cmd_put_summaries(f, (*c)->name, *c);
	}
	fprintf(f, "\nnomdesk COMMAND --help shows a command's options.\n");
}

/* nomdesk --synopsis (hidden): every usage line, one a line, for
 * scripts/man-check.sh to hold the man page to. */
static int
synopsis(void)
{
	for (const struct cli_cmd *const *c = commands; *c; c++) {
		cmd_put_tree(stdout, "", (*c)->name, *c);
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
	if (cmd->run && cmd->help_more) {
		cmd->help_more(stdout);
	}
	return 0;
}

/* A refusal of the command line: one line (every refusal is one line,
 * docs/nomdesk.1), the reason and where the usage is; the exit status. */
static int
cmd_refuse(const char *path, const struct cli_cmd *cmd, const char *why)
{
	cli_fail("%s: %s (see nomdesk %s --help)", path, why, path);
	return cmd->usage_status ? cmd->usage_status : 1;
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
	cli_fail("usage: nomdesk %s %s ... (see nomdesk %s --help)", path,
		 words, path);
	return cmd->usage_status ? cmd->usage_status : 1;
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
 * The options struct in guarded memory (a prepare step may read a
 * passphrase into it), zeroed; its size rounded up because sodium_malloc
 * aligns the end of the block, not its start.  NULL when out of memory.
 */
static void *
cmd_opts_new(size_t size)
{
	size_t align = _Alignof(max_align_t);
	void *p;

	size = (size + align - 1) / align * align;
	if (sodium_init() < 0 || !(p = sodium_malloc(size))) {
		return NULL;
	}
	memset(p, 0, size);
	return p;
}

/*
 * Parses argv (the words after the command's path) into run: the
 * command's options, the shared --as and --format, the operand count.
 * 0, or the exit status after one line.
 */
static int
cmd_parse(struct cli_run *run, const char *path, const struct cli_cmd *cmd,
	  int argc, char **argv)
{
	struct shared_opts so = {0};
	struct opt_group g[4];
	char err[256];
	int n = 0;

	if (cmd->opts) {
		g[n++] = (struct opt_group){cmd->opts, run->opts};
	}
	if (cmd->flags & (CLI_NEEDS_AS | CLI_MAY_AS)) {
		g[n++] = (struct opt_group){opts_as, &so};
	}
	if (cmd->formats) {
		g[n++] = (struct opt_group){opts_format, &so};
	}
	g[n] = (struct opt_group){NULL, NULL};
	if ((run->argc = opt_parse(g, argc, argv, err, sizeof(err))) < 0) {
		return cmd_refuse(path, cmd, err);
	}
	run->argv = argv;
	run->as = so.as;
	if (run->argc < cmd->min_args) {
		snprintf(err, sizeof(err), "expected %s",
			 cmd->operands ? cmd->operands : "nothing");
		return cmd_refuse(path, cmd, err);
	}
	if (cmd->max_args >= 0 && run->argc > cmd->max_args) {
		snprintf(err, sizeof(err), "unexpected argument '%s'",
			 argv[cmd->max_args]);
		return cmd_refuse(path, cmd, err);
	}
	if (so.format && cli_format_parse_note(so.format, cmd->formats,
					       cmd->formats_note,
					       &run->fmt) != 0) {
		return cmd->usage_status ? cmd->usage_status : 1;
	}
	return 0;
}

/*
 * Runs a table command on argv (the words after its path): the command
 * line, the prepare step, the data directory; then cmd->run.  Returns
 * the exit status.
 */
static int
cmd_exec(struct cli *cli, const char *path, const struct cli_cmd *cmd,
	 int argc, char **argv)
{
	struct cli_run run = {.cli = cli};
	int r = 1;

	if (argc > 0 && strcmp(argv[0], "--help") == 0) {
		return cmd_put_help(path, cmd);
	}
	if (cmd->opts_size && !(run.opts = cmd_opts_new(cmd->opts_size))) {
		return cli_fail("out of memory");
	}
	if ((r = cmd_parse(&run, path, cmd, argc, argv)) != 0) {
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
	sodium_free(run.opts); /* wipes; NULL is fine */
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

	if (!lang || !*lang) {
		lang = getenv("LANG");
	}
	core_i18n_init(lang && strncmp(lang, "zh", 2) == 0 ? "zh_CN" : "en");
	cli.prog = argv[0];
	cli.data_dir = getenv("NOMDESK_DATA");
	if (!cli.data_dir || !*cli.data_dir) {
		cli.data_dir = "./nomdesk-data";
	}
	n = readlink("/proc/self/exe", cli.exe, sizeof(cli.exe) - 1);
	if (n > 0) {
		cli.exe[n] = '\0';
	} else {
		snprintf(cli.exe, sizeof(cli.exe), "%s", argv[0]);
	}

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
	/* every command may hold the log key or a personal key: no core
	 * dump, no reading of our memory by other processes of our uid,
	 * before any key is loaded */
	cli_harden();
	return cmd_dispatch(&cli, commands, argc, argv);
}
