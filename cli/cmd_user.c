/* nomdesk user add|disable|enable LOGIN ... (key: cmd_key.c) */
#include <getopt.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"

static int
user_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"role", required_argument, NULL, 'r'},
		{"unit", required_argument, NULL, 'u'},
		{"lang", required_argument, NULL, 'l'},
		{"password-stdin", no_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	struct core_user_new u = {0};
	const char *role = NULL;
	char pw[256];
	struct passwd *pwent = getpwuid(getuid());
	struct core *c;
	int pw_stdin = 0, ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			u.name = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'u':
			u.unit = optarg;
			break;
		case 'l':
			u.lang = optarg;
			break;
		case 'p':
			pw_stdin = 1;
			break;
		default:
			return cli_fail("usage: nomdesk user add LOGIN --name "
					"NAME --role ROLE --unit CODE [--lang "
					"zh_CN|en] [--password-stdin]");
		}
	}
	if (optind + 1 != argc)
		return cli_fail("user add: exactly one LOGIN is required");
	u.login = argv[optind];
	if (!u.name)
		return cli_fail("user add: --name is required");
	if (!role || core_role_parse(role, &u.role) != 0)
		return cli_fail("user add: --role must be one of applicant "
				"unit_clerk county_hr department expert "
				"city_hr auditor admin");
	if (!u.unit)
		return cli_fail("user add: --unit is required");
	if (pw_stdin && cli_read_secret(pw, sizeof(pw)) != 0)
		return cli_fail("user add: no password on stdin");
	if (!(c = cli_open(cli)))
		return 1;
	core_act_as_system(c, pwent ? pwent->pw_name : "?");
	r = core_user_add(c, &u, pw_stdin ? pw : NULL);
	sodium_memzero(pw, sizeof(pw));
	if (r != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("added user %s\n", u.login);
	return 0;
}

/*
 * user disable LOGIN --reason TEXT | user enable LOGIN [--as LOGIN]: an
 * administrator's (or the console's) act; the account's running sessions
 * are refused their next act and end (core_session_check).
 */
static int
user_disable(struct cli *cli, int argc, char **argv, int disable)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'},
		{"as", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	struct passwd *pwent = getpwuid(getuid());
	struct core_receipt rc;
	const char *reason = NULL, *as = NULL;
	struct core *c;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r' && disable) {
			reason = optarg;
		} else if (ch == 'a') {
			as = optarg;
		} else {
			return cli_fail(disable ? "usage: nomdesk user disable "
						  "LOGIN --reason TEXT [--as "
						  "LOGIN]"
						: "usage: nomdesk user enable "
						  "LOGIN [--as LOGIN]");
		}
	}
	if (optind + 1 != argc) {
		return cli_fail("user %s: exactly one LOGIN is required",
				disable ? "disable" : "enable");
	}
	if (disable && reason == NULL) {
		return cli_fail("user disable: --reason is required");
	}
	c = as ? cli_open_as(cli, as) : cli_open(cli);
	if (c == NULL) {
		return 1;
	}
	if (as == NULL) {
		core_act_as_system(c, pwent ? pwent->pw_name : "?");
	}
	r = core_user_set_disabled(c, argv[optind], disable, reason, &rc);
	if (r != 0) {
		r = cli_fail_core(c, r);
		core_close(c);
		return r;
	}
	core_close(c);
	printf("%s user %s (entry %llu)\n", disable ? "disabled" : "enabled",
	       argv[optind], (unsigned long long)rc.seq);
	return 0;
}

int
cmd_user(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "disable") == 0) {
		return user_disable(cli, argc - 1, argv + 1, 1);
	}
	if (argc >= 2 && strcmp(argv[1], "enable") == 0) {
		return user_disable(cli, argc - 1, argv + 1, 0);
	}
	if (argc >= 2 && strcmp(argv[1], "key") == 0)
		return cmd_user_key(cli, argc - 1, argv + 1); /* cmd_key.c */
	return cli_fail("usage: nomdesk user add LOGIN ...");
}
