/*
 * A clerk's day over a real SSH session: add a nominee, open it, edit its
 * dossier (ID number, closed-set fields by digit, a condition with
 * evidence of several lines), save it as one version; take an act through
 * the actions menu, enrolling a signing key on the way, and one that
 * needs a reason of several lines.  A hang-up in the
 * middle of the add form keeps a draft that the next login offers to
 * resume.  Another county's nominee cannot be reached, neither from the
 * list nor by number.
 *
 * The database is read only after the server logged the session's
 * "disconnect" (the UI process has exited and closed it).
 */
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"

#define T_LOGIN 15000
#define T_SCREEN 8000
#define T_SIGN 20000 /* Argon2id at the host's cost, twice */

static struct sshclient_account acc[32];
static size_t n_acc;
static char data[512];

static const struct sshclient_account *
account(const char *login)
{
	for (size_t i = 0; i < n_acc; i++) {
		if (strcmp(acc[i].login, login) == 0) {
			return &acc[i];
		}
	}
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

static void
dump(struct sshclient *c, const char *why)
{
	char buf[8192] = "";

	sshclient_screen_dump(c, buf, sizeof(buf));
	test_fail(__FILE__, __LINE__, "%s; the screen:\n%s", why, buf);
}

/* Waits for text; on timeout records the screen and returns false. */
static bool
see(struct sshclient *c, const char *text)
{
	if (sshclient_wait_text(c, text, T_SCREEN)) {
		return true;
	}
	{
		char why[256];

		snprintf(why, sizeof(why), "no \"%s\" on screen", text);
		dump(c, why);
	}
	return false;
}

static struct sshclient *
login(const struct sshclient_server *srv, const char *who, const char *text)
{
	const struct sshclient_account *a = account(who);
	struct sshclient *c = sshclient_start(srv->port, a->login,
					      a->password, 80, 24);

	CHECK(c != NULL);
	if (!c || !sshclient_wait_text(c, text ? text : a->extra, T_LOGIN)) {
		if (c) {
			dump(c, "no first screen");
		}
		exit(1);
	}
	return c;
}

/* Closes the client (a hang-up) and waits until the server has logged
 * n disconnects in all, so the UI has finished with the database. */
static void
hang_up(const struct sshclient_server *srv, struct sshclient *c, int n)
{
	int64_t deadline = sshclient_now_ms() + T_SCREEN;

	sshclient_close(c);
	for (;;) {
		char *log = sshclient_serve_log(srv), *p = log;
		int seen = 0;

		while ((p = strstr(p, "disconnect peer=")) != NULL) {
			seen++;
			p++;
		}
		free(log);
		if (seen >= n) {
			return;
		}
		if (sshclient_now_ms() >= deadline) {
			test_fail(__FILE__, __LINE__, "no disconnect #%d", n);
			return;
		}
		poll(NULL, 0, 20);
	}
}

static sqlite3 *
db_open(void)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/nomdesk.db", data);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static long long
db_count(const char *sql)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The first column of the first row as text, into out ("" if none). */
static void
db_text(const char *sql, char *out, size_t outsz)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (db && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, outsz, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A valid GB 11643 number for a birth date YYYYMMDD in 平城区. */
static void
id_number(const char *ymd, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
				  3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "140213%s123", ymd);
	for (int i = 0; i < 17; i++) {
		sum += (out[i] - '0') * w[i];
	}
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static void
tabs(struct sshclient *c, int n)
{
	while (n-- > 0) {
		sshclient_key(c, SSHCLIENT_TAB);
	}
}

#define CTRL_S "\x13"

static void
add_nominee(struct sshclient *c)
{
	sshclient_type(c, "a");
	see(c, "姓名");
	sshclient_type(c, "李明");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1"); /* 男 */
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "19750302");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "已保存");
}

static void
test_e2e__tui_flow_clerk_edits_and_acts(void)
{
	struct sshclient_server srv;
	struct sshclient *c;
	char idn[19], sql[256], got[512];
	int64_t t0;

	demo(&srv);
	id_number("19750302", idn);
	c = login(&srv, "pc_clerk", NULL);
	add_nominee(c);

	/* open it from the list: dossier, state and history */
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "工作单位");
	see(c, "草稿");
	sshclient_type(c, "h"); /* down to the history: its first act */
	see(c, "新增被推荐人");

	/* the form: every field in one column, the ID box empty */
	sshclient_type(c, "e");
	see(c, "条件 1-9");
	tabs(c, 3); /* name gender birth_date -> id_number */
	sshclient_type(c, idn);
	tabs(c, 4); /* education degree title -> title_level */
	sshclient_type(c, "1"); /* 正高级 */
	tabs(c, 3); /* title_date system -> channel */
	sshclient_type(c, " "); /* the picker */
	see(c, "行业学术团体举荐");
	sshclient_key(c, SSHCLIENT_ENTER); /* 1 单位推荐, the first */
	tabs(c, 2); /* prior_leader -> quota_category */
	sshclient_type(c, "4"); /* 综合 */
	see(c, "综合");
	tabs(c, 6); /* specialty phone condition.1-3 -> condition.4 */
	sshclient_type(c, "主持市级重点项目");
	sshclient_key(c, SSHCLIENT_ENTER); /* a line break in evidence */
	sshclient_type(c, "验收合格");
	sshclient_type(c, CTRL_S);
	see(c, "已保存：记录");
	/* back on the nominee, showing what was saved, ID masked */
	see(c, "正高级");
	see(c, "单位推荐");
	see(c, "1402**********");
	see(c, "验收合格");

	/* the actions menu is core's: a draft offers the paper pledge */
	sshclient_type(c, "x");
	see(c, "登记纸质承诺书");
	sshclient_type(c, "1");
	see(c, "操作：登记纸质承诺书");
	/* no scan can come over a terminal: the clerk says where the
	 * signed paper form is kept, and answers for it */
	sshclient_type(c, "纸质原件存本单位人事科");
	sshclient_type(c, CTRL_S);
	/* no key yet: enrollment, passphrase twice */
	see(c, "您还没有签名密钥");
	sshclient_type(c, "correct horse 7");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "correct horse 7");
	sshclient_key(c, SSHCLIENT_ENTER);
	t0 = sshclient_now_ms();
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "已完成：登记纸质承诺书", T_SIGN)) {
		dump(c, "no outcome of the signed act");
	}
	CHECK(sshclient_now_ms() - t0 < T_SIGN);
	printf("# enroll, unlock and act: %lld ms\n",
	       (long long)(sshclient_now_ms() - t0));

	/* the first review (首审), signed with the key made above */
	sshclient_type(c, "x");
	see(c, "单位首审");
	sshclient_type(c, "1");
	see(c, "操作：单位首审");
	sshclient_type(c, CTRL_S);
	see(c, "签名口令");
	sshclient_type(c, "correct horse 7");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "已完成：单位首审", T_SIGN)) {
		dump(c, "no outcome of the first review");
	}

	/* an act that needs a reason: refused without, taken with one of
	 * two lines, the receipt shown and the reason in the history */
	sshclient_type(c, "x");
	see(c, "撤回推荐");
	sshclient_type(c, "2");
	see(c, "理由（必填");
	sshclient_type(c, CTRL_S);
	see(c, "此操作必须填写理由");
	sshclient_type(c, "单位决定撤回");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "另行推荐他人");
	sshclient_type(c, CTRL_S);
	see(c, "已完成：撤回推荐。记录 #");
	sshclient_type(c, "G");
	see(c, "另行推荐他人");
	hang_up(&srv, c, 1);

	/* one new dossier version with every changed field */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM nominee WHERE id = 1 AND id_number "
		 "= '%s' AND title_level = '正高级' AND channel = "
		 "'单位推荐' AND quota_category = '综合' AND version = 2",
		 idn);
	CHECK_INT(db_count(sql), 1);
	db_text("SELECT evidence FROM nominee_condition WHERE nominee_id = 1 "
		"AND cond = 4",
		got, sizeof(got));
	CHECK_STR(got, "主持市级重点项目\n验收合格");
	CHECK_INT(db_count("SELECT count(*) FROM log_entry WHERE act = 2 AND "
			   "actor = 'pc_clerk' AND subject = 'nominee:1'"),
		  1);
	/* the signing key was enrolled, by the clerk, as an audited act */
	CHECK_INT(db_count("SELECT count(*) FROM log_entry WHERE act = 100 "
			   "AND actor = 'pc_clerk'"),
		  1);
	CHECK_INT(db_count("SELECT count(*) FROM nominee WHERE id = 1 AND "
			   "state = 'withdrawn'"),
		  1);
	/* nothing was kept as a draft: the form had been saved */
	CHECK_INT(db_count("SELECT count(*) FROM draft"), 0);
	sshclient_serve_stop(&srv, SIGTERM, 15000);
}

static void
test_e2e__tui_flow_hangup_keeps_a_draft(void)
{
	struct sshclient_server srv;
	struct sshclient *c;
	char form[64];

	demo(&srv);
	c = login(&srv, "pc_clerk", NULL);
	sshclient_type(c, "a");
	see(c, "姓名");
	sshclient_type(c, "王芳");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "女");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1980-05-06");
	see(c, "1980-05-06");
	/* the line drops in the middle of the form */
	hang_up(&srv, c, 1);
	CHECK_INT(db_count("SELECT count(*) FROM draft d JOIN user u ON "
			   "u.id = d.user_id WHERE u.login = 'pc_clerk'"),
		  1);
	db_text("SELECT form FROM draft", form, sizeof(form));
	CHECK_STR(form, "add");
	CHECK_INT(db_count("SELECT count(*) FROM log_entry WHERE act = 120 "
			   "AND subject = 'draft:pc_clerk'"),
		  1);
	/* the draft's content is not in the log */
	CHECK_INT(db_count("SELECT count(*) FROM log_entry WHERE instr(entry, "
			   "CAST('王芳' AS BLOB)) > 0"),
		  0);
	CHECK_INT(db_count("SELECT count(*) FROM nominee"), 0);

	/* the next login offers it; resuming brings the values back */
	c = login(&srv, "pc_clerk", "恢复上次未保存的表单");
	see(c, "新增被推荐人 王芳");
	sshclient_type(c, "y");
	see(c, "已恢复草稿");
	see(c, "王芳");
	see(c, "女");
	see(c, "1980-05-06");
	/* the cursor is back in the birth date: go on and save */
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "已保存");
	hang_up(&srv, c, 2);
	CHECK_INT(db_count("SELECT count(*) FROM nominee WHERE name = '王芳' "
			   "AND gender = '女' AND birth_date = '1980-05-06'"),
		  1);
	/* saving dropped the draft, and that too is recorded */
	CHECK_INT(db_count("SELECT count(*) FROM draft"), 0);
	CHECK_INT(db_count("SELECT count(*) FROM log_entry WHERE act = 120 "
			   "AND subject = 'draft:pc_clerk'"),
		  2);
	sshclient_serve_stop(&srv, SIGTERM, 15000);
}

static void
test_e2e__tui_flow_other_county_unreachable(void)
{
	struct sshclient_server srv;
	struct sshclient *c;

	demo(&srv);
	c = login(&srv, "pc_clerk", NULL);
	add_nominee(c);
	hang_up(&srv, c, 1);

	/* 云冈区 does not see 平城区's nominee: not listed ... */
	c = login(&srv, "yungang_hr", NULL);
	sshclient_type(c, "l");
	see(c, "暂无被推荐人");
	/* ... and not by number: the answer of a missing number */
	sshclient_type(c, "g");
	see(c, "被推荐人编号");
	sshclient_type(c, "1");
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "没有被推荐人 1");
	sshclient_type(c, "\x15" "99"); /* Ctrl-U, then a missing one */
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "没有被推荐人 99");
	CHECK(sshclient_wait_no_text(c, "李明", 200));
	hang_up(&srv, c, 2);
	/* the county above the unit reaches it both ways */
	c = login(&srv, "pingcheng_hr", NULL);
	sshclient_type(c, "l");
	see(c, "李明");
	sshclient_type(c, "g1");
	sshclient_key(c, SSHCLIENT_ENTER);
	see(c, "工作单位");
	hang_up(&srv, c, 3);
	sshclient_serve_stop(&srv, SIGTERM, 15000);
}

static const struct test_case tests_tui_flow[] = {
	{"e2e__tui_flow_clerk_edits_and_acts",
	 test_e2e__tui_flow_clerk_edits_and_acts},
	{"e2e__tui_flow_hangup_keeps_a_draft",
	 test_e2e__tui_flow_hangup_keeps_a_draft},
	{"e2e__tui_flow_other_county_unreachable",
	 test_e2e__tui_flow_other_county_unreachable},
	{NULL, NULL},
};
TEST_REGISTER(tests_tui_flow)
