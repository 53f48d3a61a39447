/*
 * A clerk adds a nominee through the form over a real SSH session; the
 * nominee is on the clerk's screen, in the database with its audit entry,
 * and invisible to a clerk of another county.  Bad input is refused with
 * the field's rule on screen and nothing written.
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"

#define T_LOGIN 15000
#define T_SCREEN 8000

static struct sshclient_account acc[32];
static size_t n_acc;
static char data[512];

static const struct sshclient_account *
account(const char *login)
{
	for (size_t i = 0; i < n_acc; i++)
		if (strcmp(acc[i].login, login) == 0)
			return &acc[i];
	test_fail(__FILE__, __LINE__, "no demo account %s", login);
	exit(1);
}

static void
demo(struct sshclient_server *srv)
{
	struct sshclient_cmd res;
	const char *args[] = {"--data", data, "init", "--demo", NULL};

	snprintf(data, sizeof(data), "%s/data", test_tmpdir());
	CHECK_INT(sshclient_cli(&res, 60000, args), 0);
	n_acc = sshclient_parse_accounts(res.out, acc, 32);
	sshclient_cmd_release(&res);
	CHECK(n_acc >= 8);
	if (sshclient_serve_start(srv, data, 20000) != 0) {
		test_fail(__FILE__, __LINE__, "serve did not start");
		exit(1);
	}
}

static struct sshclient *
login(const struct sshclient_server *srv, const char *who)
{
	const struct sshclient_account *a = account(who);
	struct sshclient *c = sshclient_start(srv->port, a->login,
					      a->password, 80, 24);

	CHECK(c != NULL);
	if (!c || !sshclient_wait_text(c, a->extra, T_LOGIN)) {
		char buf[4096] = "";

		if (c)
			sshclient_screen_dump(c, buf, sizeof(buf));
		test_fail(__FILE__, __LINE__, "%s: no home screen:\n%s", who,
			  buf);
		exit(1);
	}
	return c;
}

static long long
db_count(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", data);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_busy_timeout(db, 10000) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
fill_form(struct sshclient *c, const char *name, const char *date)
{
	sshclient_type(c, "a");
	CHECK(sshclient_wait_text(c, "姓名", T_SCREEN));
	sshclient_type(c, name);
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "男");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, date);
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
}

static void
test_e2e__form_adds_nominee_seen_only_in_scope(void)
{
	struct sshclient_server srv;
	struct sshclient *c;
	struct sshclient_cmd res;
	const char *list[] = {"--data", data, "nominee", "list", "--as",
			      "pc_clerk", "--format", "csv", NULL};
	long long entries;

	demo(&srv);
	entries = db_count("SELECT count(*) FROM log_entry");
	c = login(&srv, "pc_clerk");
	fill_form(c, "李明", "1975-03-02");
	CHECK(sshclient_wait_text(c, "已保存", T_SCREEN));
	CHECK(sshclient_wait_text(c, "李明", T_SCREEN));
	CHECK(sshclient_wait_text(c, "1975-03-02", T_SCREEN));
	sshclient_close(c);
	/* the hung-up session may still be closing the database */
	CHECK(sshclient_serve_wait_log(&srv, "disconnect", T_SCREEN));

	/* in the real database, with its audit entry */
	CHECK_INT(db_count("SELECT count(*) FROM nominee WHERE name = '李明' "
			   "AND unit = '140213-e001'"),
		  1);
	CHECK(db_count("SELECT count(*) FROM log_entry WHERE act = 1 AND "
		       "actor = 'pc_clerk' AND subject = 'nominee:1'") == 1);
	CHECK(db_count("SELECT count(*) FROM log_entry") > entries);
	CHECK_INT(sshclient_cli(&res, 20000, list), 0);
	CHECK(res.out && strstr(res.out, "李明") != NULL);
	sshclient_cmd_release(&res);
	{
		const char *json[] = {"--data", data, "nominee", "list", "--as",
				      "pingcheng_hr", "--format", "json", NULL};
		const char *bad[] = {"--data", data, "serve",
				     "--per-source-max", "0", NULL};

		CHECK_INT(sshclient_cli(&res, 20000, json), 0);
		CHECK(res.out && res.out[0] == '[' &&
		      strstr(res.out, "\"name\":\"李明\"") != NULL);
		sshclient_cmd_release(&res);
		CHECK(sshclient_cli(&res, 20000, bad) != 0);
		CHECK(res.err && strstr(res.err, "per-source-max") != NULL);
		sshclient_cmd_release(&res);
	}

	/* the county above sees it; another county does not */
	c = login(&srv, "pingcheng_hr");
	sshclient_type(c, "l");
	CHECK(sshclient_wait_text(c, "李明", T_SCREEN));
	sshclient_close(c);
	c = login(&srv, "yungang_hr");
	sshclient_type(c, "l");
	CHECK(sshclient_wait_text(c, "暂无被推荐人", T_SCREEN));
	CHECK(sshclient_wait_no_text(c, "李明", 500));
	sshclient_close(c);
	sshclient_serve_stop(&srv, SIGTERM, 15000);
}

static void
test_e2e__form_refuses_bad_date_by_field(void)
{
	struct sshclient_server srv;
	struct sshclient *c;
	char screen[8192];

	demo(&srv);
	c = login(&srv, "pc_clerk");
	fill_form(c, "王芳", "1975-02-30");
	CHECK(sshclient_wait_text(c, "出生日期", T_SCREEN));
	CHECK(sshclient_wait_text(c, "1975-02-30", T_SCREEN));
	sshclient_screen_dump(c, screen, sizeof(screen));
	CHECK(strstr(screen, "已保存") == NULL);
	sshclient_close(c);
	CHECK(sshclient_serve_wait_log(&srv, "disconnect", T_SCREEN));
	CHECK_INT(db_count("SELECT count(*) FROM nominee"), 0);
	sshclient_serve_stop(&srv, SIGTERM, 15000);
}

static const struct test_case tests_form[] = {
	{"e2e__form_adds_nominee_seen_only_in_scope",
	 test_e2e__form_adds_nominee_seen_only_in_scope},
	{"e2e__form_refuses_bad_date_by_field",
	 test_e2e__form_refuses_bad_date_by_field},
	{NULL, NULL},
};
TEST_REGISTER(tests_form)
