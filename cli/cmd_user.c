/* nomdesk user add|disable|enable LOGIN ... (key: cmd_key.c) */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

struct user_add_opts {
	const char *name, *role, *unit, *lang;
	int password_stdin;
	char pw[256]; /* read by user_add_read; guarded, main wipes it */
};

static const struct opt user_add_opts[] = {
	OPT_STRING_REQ("name", 0, struct user_add_opts, name, "NAME",
		       "the person's name"),
	OPT_STRING_REQ("role", 0, struct user_add_opts, role, "ROLE",
		       "applicant, unit_clerk, county_hr, department, expert, "
		       "city_hr, auditor or admin"),
	OPT_STRING_REQ("unit", 0, struct user_add_opts, unit, "CODE",
		       "the account's unit"),
	OPT_STRING("lang", 0, struct user_add_opts, lang, "zh_CN|en",
		   "the interface's language"),
	OPT_FLAG("password-stdin", 0, struct user_add_opts, password_stdin,
		 "read the password from the first line of stdin"),
	OPT_END(),
};

/* The password first: before the data directory is touched, and so a
 * refusal of the role costs no stdin. */
static int
user_add_read(struct cli_run *run)
{
	struct user_add_opts *o = run->opts;
	enum core_role role;

	if (core_role_parse(o->role, &role) != 0) {
		return cli_fail("user add: --role must be one of applicant "
				"unit_clerk county_hr department expert "
				"city_hr auditor admin");
	}
	if (o->password_stdin && cli_read_secret(o->pw, sizeof(o->pw)) != 0) {
		return cli_fail("user add: no password on stdin");
	}
	return 0;
}

static int
user_add(struct cli_run *run)
{
	struct user_add_opts *o = run->opts;
	struct core_user_new u = {0};
	int r;

	u.login = run->argv[0];
	u.name = o->name;
	u.unit = o->unit;
	u.lang = o->lang;
	(void)core_role_parse(o->role, &u.role); /* user_add_read checked */
	r = core_user_add(run->c, &u, o->password_stdin ? o->pw : NULL);
	sodium_memzero(o->pw, sizeof(o->pw));
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("added user %s\n", u.login);
	return 0;
}

struct user_disable_opts {
	const char *reason;
};

static const struct opt user_disable_opts[] = {
	OPT_STRING_REQ("reason", 0, struct user_disable_opts, reason, "TEXT",
		       "why, for the log"),
	OPT_END(),
};

/*
 * user disable LOGIN --reason TEXT | user enable LOGIN [--as LOGIN]: an
 * administrator's (or the console's) act; the account's running sessions
 * are refused their next act and end (core_session_check).
 */
static int
user_set_disabled(struct cli_run *run, int disable)
{
	const struct user_disable_opts *o = run->opts;
	struct core_receipt rc;
	int r;

	r = core_user_set_disabled(run->c, run->argv[0], disable,
				   disable ? o->reason : NULL, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("%s user %s (entry %llu)\n", disable ? "disabled" : "enabled",
	       run->argv[0], (unsigned long long)rc.seq);
	return 0;
}

static int
user_disable(struct cli_run *run)
{
	return user_set_disabled(run, 1);
}

static int
user_enable(struct cli_run *run)
{
	return user_set_disabled(run, 0);
}

static const struct cli_cmd user_add_cmd = {
	.name = "add",
	.operands = "LOGIN",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(user_add_opts, struct user_add_opts),
	.flags = CLI_NEEDS_DATA | CLI_CONSOLE,
	.prepare = user_add_read,
	.run = user_add,
	.help = "add an account (the console operator)",
};

static const struct cli_cmd user_disable_cmd = {
	.name = "disable",
	.operands = "LOGIN",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(user_disable_opts, struct user_disable_opts),
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.run = user_disable,
	.help = "disable an account; its sessions end",
};

static const struct cli_cmd user_enable_cmd = {
	.name = "enable",
	.operands = "LOGIN",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_MAY_AS | CLI_CONSOLE,
	.run = user_enable,
	.help = "enable a disabled account",
};

static const struct cli_cmd *const user_cmds[] = {
	&user_add_cmd,
	&user_disable_cmd,
	&user_enable_cmd,
	&cli_cmd_user_key, /* cmd_key.c */
	NULL,
};

const struct cli_cmd cli_cmd_user = {.name = "user", .sub = user_cmds};
