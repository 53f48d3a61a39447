/*
 * A session and the account behind it, over real SSH: disabled by an
 * administrator, a session is refused its next act (nothing written, not
 * even a draft) and ends with the reason on screen; one that only reads
 * notices within the re-check interval.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"
#include "tests/lib/vt.h"

static void
disable(struct desk *d, const char *login)
{
	struct sshclient_cmd res;
	const char *args[] = {"user",	 "disable", login, "--reason",
			      "调离岗位", NULL};

	CHECK_INT(desk_cli(d, &res, args), 0);
	sshclient_cmd_release(&res);
}

/* The form is open when the account is disabled: the save is refused,
 * the session ends and says why, nothing is written. */
static void
test_tui_account__disabled_mid_form(void)
{
	struct desk d;
	struct sshclient *c;
	long long entries;

	desk_start(&d);
	c = desk_login(&d, "pc_clerk", NULL);
	sshclient_type(c, "a");
	desk_see(c, "姓名");
	sshclient_type(c, "账号测");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "男");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1975-03-02");
	sshclient_key(c, SSHCLIENT_ENTER);
	disable(&d, "pc_clerk");
	entries = desk_db_count(&d, "SELECT count(*) FROM log_entry");
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "请重新登录");
	CHECK(sshclient_wait_exit(c, 10000) >= 0);
	desk_hang_up(&d, c);
	/* nothing but the logout: no nominee, no draft */
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM nominee WHERE "
				    "name = '账号测'"),
		  0);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM draft"), 0);
	CHECK_INT(desk_db_count(&d, "SELECT count(*) FROM log_entry"),
		  entries + 1);
	/* and no new session */
	{
		const struct sshclient_account *a = desk_account(&d, "pc_clerk");

		c = sshclient_start(d.srv.port, a->login, a->password, 80, 24);
		CHECK_INT(sshclient_wait_exit(c, 15000), 255);
		CHECK(!vt_contains(sshclient_vt(c), a->extra));
		sshclient_close(c);
	}
	desk_stop(&d);
}

/* A session that only reads notices within the re-check interval (1 s
 * here, a minute by default). */
static void
test_tui_account__noticed_while_idle(void)
{
	struct desk d;
	struct sshclient *c;

	setenv("NOMDESK_ACCOUNT_CHECK_S", "1", 1);
	desk_start(&d);
	c = desk_login(&d, "pc_clerk", NULL);
	sshclient_type(c, "l");
	disable(&d, "pc_clerk");
	desk_see(c, "请重新登录");
	CHECK(sshclient_wait_exit(c, 10000) >= 0);
	desk_hang_up(&d, c);
	CHECK(sshclient_serve_wait_log(&d.srv, "user=pc_clerk end (ui exit",
				       5000));
	desk_stop(&d);
	unsetenv("NOMDESK_ACCOUNT_CHECK_S");
}

static const struct test_case tests_tui_account[] = {
	{"e2e__tui_account_disabled_mid_form",
	 test_tui_account__disabled_mid_form},
	{"e2e__tui_account_noticed_while_idle",
	 test_tui_account__noticed_while_idle},
	{NULL, NULL},
};

TEST_REGISTER(tests_tui_account)
