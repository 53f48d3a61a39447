/*
 * nomdesk [--data DIR] COMMAND ...: the one binary.  The data directory
 * comes from --data, else $NOMDESK_DATA, else ./nomdesk-data.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/sshexec.h"
#include "core/core.h"
#include "core/utf8.h"

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *help;
} commands[] = {
	{"init", cmd_init, "init [--demo]             create the data directory"},
	{"serve", cmd_serve,
	 "serve [--listen ADDR:PORT] [--per-source-max N] [--max-startups "
	 "B:R:F]\n"
	 "      [--max-sessions N] [--max-sessions-per-user N] "
	 "[--max-session-time S]\n"
	 "      [--idle-timeout S] [--password-checks N] "
	 "[--penalty-halflife S]\n"
	 "      [--penalty-max S] [--failure-summary S]   serve the TUI over "
	 "SSH"},
	{"tui", cmd_tui, "tui --as LOGIN             run the TUI on this terminal"},
	{"user", cmd_user, "user add LOGIN --name NAME --role ROLE --unit CODE "
			   "[--lang zh_CN|en] [--password-stdin]\n"
			   "  user disable LOGIN --reason TEXT | user enable "
			   "LOGIN   [--as LOGIN]\n"
			   "  user key init|rotate LOGIN [--passphrase-stdin]\n"
			   "  user key revoke LOGIN --reason TEXT\n"
			   "  user key show LOGIN"},
	{"unit", cmd_unit,
	 "unit list [--format text|csv|json]\n"
	 "  unit add CODE --name NAME --parent CODE [--kind KIND] [--as LOGIN]"},
	{"deadline", cmd_deadline,
	 "deadline extend HOLDER --until YYYY-MM-DD --reason TEXT --as LOGIN"},
	{"nominee", cmd_nominee,
	 "nominee add --as LOGIN --name NAME --gender 男|女 --birth-date "
	 "YYYY-MM-DD --title TEXT [--unit CODE]\n"
	 "      [--idempotency-key KEY]   (a retry with KEY adds nothing)\n"
	 "  nominee list --as LOGIN [--format text|csv|json]\n"
	 "  nominee show ID --as LOGIN [--format text|json]\n"
	 "  nominee check ID --as LOGIN [--override TEXT] [--format text|json]\n"
	 "  nominee edit ID --as LOGIN --FIELD VALUE ... [--condition N=TEXT]\n"
	 "  nominee import FILE --as LOGIN [--dry-run]   (CSV, .xls, .xlsx)\n"
	 "  nominee item add ID --as LOGIN --kind work|research|performance "
	 "--from DATE [--to DATE] --title TEXT [--detail TEXT]\n"
	 "  nominee item list ID --as LOGIN [--format text|csv|json]\n"
	 "  nominee material ID KIND --as LOGIN --copies N [--original-sighted]"},
	{"act", cmd_act, "act ID ACTION --as LOGIN [--reason TEXT]   (act --help)"},
	{"audit", cmd_audit,
	 "audit trail ID --as LOGIN [--format text|json]\n"
	 "  audit export FILE | verify [--bundle FILE] [--log-key B64] "
	 "[--witness FILE]...\n"
	 "  audit prove SEQ [-o FILE] | check-proof FILE --log-key B64\n"
	 "  audit log --as LOGIN [--nominee ID] [--actor LOGIN]\n"
	 "  audit witness-request --since SIZE [-o FILE] | checkpoint --print\n"
	 "  audit witness-key add VKEY|list | cosign FILE|- [--as LOGIN]\n"
	 "  audit rotate-log-key [--as LOGIN]\n"
	 "  audit verify ... [--witness-key VKEY]... [--quorum K]"},
	{"witness", cmd_witness,
	 "witness init DIR --name NAME [--origin ORIGIN --log-key BASE64]\n"
	 "  witness add-log DIR --origin ORIGIN --log-key BASE64\n"
	 "  witness cosign DIR (REQUEST | --checkpoint FILE [--proof FILE]) "
	 "[-o FILE]\n"
	 "  witness show DIR [--origin ORIGIN]"},
	{"veto-policy", cmd_veto_policy,
	 "veto-policy [1|2]          signatures a veto needs (console)"},
	{"round", cmd_round,
	 "round show [--code CODE] [--format text|json]\n"
	 "  round check [--code CODE] [--format text|csv|json] [--warn-only]\n"
	 "  round load FILE|--builtin CODE [--current] [--as LOGIN]"},
	{"quota", cmd_quota,
	 "quota [--as LOGIN] [--format text|csv|json]\n"
	 "  quota check --holder CODE --category CATEGORY "
	 "[--justification TEXT]"},
	{"export", cmd_export,
	 "export nominees|local-notice|city-notice|recommended|quota "
	 "--as LOGIN --format csv|xlsx -o FILE"},
	{"panel", cmd_panel,
	 "panel create NAME --level local|city --as LOGIN [--rule "
	 "mean|majority] [--threshold N] [--quorum N] [--criteria "
	 "NAME:MAX,...]\n"
	 "  panel add-member PANEL EXPERT_LOGIN --as LOGIN\n"
	 "  panel list|recommend|assignments --as LOGIN [--format "
	 "text|csv|json]\n"
	 "  panel result PANEL --as LOGIN [--format text|csv|json]\n"
	 "  panel scores PANEL ID --as LOGIN [--format text|csv|json]"},
	{"assign", cmd_assign, "assign ID --panel PANEL --as LOGIN"},
	{"declare", cmd_declare,
	 "declare ID --as EXPERT [--conflict REASON] [--panel PANEL] "
	 "[--passphrase-stdin]"},
	{"score", cmd_score,
	 "score ID --as EXPERT --criterion NAME=SCORE ... [--opinion TEXT] "
	 "[--panel PANEL]"},
	{"stats", cmd_stats, "stats --as LOGIN [--format text|csv|json]"},
	{"elig", cmd_elig,
	 "elig check --birth-date DATE --title-level LEVEL [--category CAT] "
	 "[--conditions 1,4] [--prior-leader 无|省级|市级] [--override TEXT] "
	 "[--format text|json]"},
	/* hidden (no help): run by the SSH server for exec requests */
	{"ssh-exec", cmd_sshexec, NULL},
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: nomdesk [--data DIR] COMMAND ...\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].help)
			fprintf(f, "  %s\n", commands[i].help);
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
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0; /* full reset for the command's getopt */
			/* every command may hold the log key or a personal
			 * key: no core dump, no reading of our memory by other
			 * processes of our uid, before any key is loaded */
			cli_harden();
			return commands[i].fn(&cli, sub_argc, sub_argv);
		}
	}
	return cli_fail("unknown command '%s' (try --help)", argv[optind]);
}
