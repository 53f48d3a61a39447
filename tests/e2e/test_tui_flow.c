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
#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"

static struct desk dk;

#define CTRL_S "\x13"

static void
add_nominee(struct sshclient *c)
{
	sshclient_type(c, "a");
	desk_see(c, "姓名");
	sshclient_type(c, "李明");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1"); /* 男 */
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "19750302");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "已保存");
}

static void
test_e2e__tui_flow_clerk_edits_and_acts(void)
{
		struct sshclient *c;
	char idn[19], sql[256], got[512];
	int64_t t0;

	desk_start(&dk);
	fixture_id_number("19750302", 123, idn);
	c = desk_login(&dk, "pc_clerk", NULL);
	add_nominee(c);

	/* open it from the list: dossier, state and history */
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
	desk_see(c, "草稿");
	sshclient_type(c, "h"); /* down to the history: its first act */
	desk_see(c, "新增被推荐人");

	/* the form: every field in one column, the ID box empty */
	sshclient_type(c, "e");
	desk_see(c, "条件 1-9");
	desk_tabs(c, 3); /* name gender birth_date -> id_number */
	sshclient_type(c, idn);
	desk_tabs(c, 4); /* education degree title -> title_level */
	sshclient_type(c, "1"); /* 正高级 */
	desk_tabs(c, 3); /* title_date system -> channel */
	sshclient_type(c, " "); /* the picker */
	desk_see(c, "行业学术团体举荐");
	sshclient_key(c, SSHCLIENT_ENTER); /* 1 单位推荐, the first */
	desk_tabs(c, 1); /* -> prior_leader: unstated until the clerk says */
	sshclient_type(c, "1"); /* 无 */
	desk_tabs(c, 1); /* -> quota_category */
	sshclient_type(c, "4"); /* 综合 */
	desk_see(c, "综合");
	desk_tabs(c, 6); /* specialty phone condition.1-3 -> condition.4 */
	sshclient_type(c, "主持市级重点项目");
	sshclient_key(c, SSHCLIENT_ENTER); /* a line break in evidence */
	sshclient_type(c, "验收合格");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已保存：记录");
	/* back on the nominee, showing what was saved, ID masked */
	desk_see(c, "正高级");
	desk_see(c, "单位推荐");
	desk_see(c, "1402**********");
	desk_see(c, "验收合格");

	/* the actions menu is core's: a draft offers the paper pledge */
	desk_paper_pledge_enrolling(c, "纸质原件存本单位人事科",
				    "correct horse 7");
	t0 = sshclient_now_ms();
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "已完成：登记纸质承诺书", DESK_T_SIGN)) {
		desk_see(c, "已完成：登记纸质承诺书");
	}
	CHECK(sshclient_now_ms() - t0 < DESK_T_SIGN);
	printf("# enroll, unlock and act: %lld ms\n",
	       (long long)(sshclient_now_ms() - t0));

	/* the first review (首审), signed with the key made above */
	sshclient_type(c, "x");
	desk_see(c, "单位首审");
	sshclient_type(c, "1");
	desk_see(c, "操作：单位首审");
	sshclient_type(c, CTRL_S);
	desk_see(c, "签名口令");
	sshclient_type(c, "correct horse 7");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "已完成：单位首审", DESK_T_SIGN)) {
		desk_see(c, "已完成：单位首审");
	}

	/* an act that needs a reason: refused without, taken with one of
	 * two lines, the receipt shown and the reason in the history */
	sshclient_type(c, "x");
	desk_see(c, "撤回推荐");
	sshclient_type(c, "2");
	desk_see(c, "理由（必填");
	sshclient_type(c, CTRL_S);
	desk_see(c, "此操作必须填写理由");
	sshclient_type(c, "单位决定撤回");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "另行推荐他人");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已完成：撤回推荐。记录 #");
	sshclient_type(c, "G");
	desk_see(c, "另行推荐他人");
	desk_hang_up(&dk, c);

	/* one new dossier version with every changed field */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM nominee WHERE id = 1 AND id_number "
		 "= '%s' AND title_level = '正高级' AND channel = "
		 "'单位推荐' AND quota_category = '综合' AND prior_leader = "
		 "'无' AND version = 2",
		 idn);
	CHECK_INT(desk_db_count(&dk, sql), 1);
	desk_db_text(&dk, "SELECT evidence FROM nominee_condition WHERE nominee_id = 1 "
		"AND cond = 4",
		got, sizeof(got));
	CHECK_STR(got, "主持市级重点项目\n验收合格");
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE act = 2 AND "
			   "actor = 'pc_clerk' AND subject = 'nominee:1'"),
		  1);
	/* the signing key was enrolled, by the clerk, as an audited act */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE act = 100 "
			   "AND actor = 'pc_clerk'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee WHERE id = 1 AND "
			   "state = 'withdrawn'"),
		  1);
	/* nothing was kept as a draft: the form had been saved */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM draft"), 0);
	desk_stop(&dk);
}

static void
test_e2e__tui_flow_hangup_keeps_a_draft(void)
{
		struct sshclient *c;
	char form[64];

	desk_start(&dk);
	c = desk_login(&dk, "pc_clerk", NULL);
	sshclient_type(c, "a");
	desk_see(c, "姓名");
	sshclient_type(c, "王芳");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "女");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1980-05-06");
	desk_see(c, "1980-05-06");
	/* the line drops in the middle of the form */
	desk_hang_up(&dk, c);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM draft d JOIN user u ON "
			   "u.id = d.user_id WHERE u.login = 'pc_clerk'"),
		  1);
	desk_db_text(&dk, "SELECT form FROM draft", form, sizeof(form));
	CHECK_STR(form, "add");
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE act = 120 "
			   "AND subject = 'draft:pc_clerk'"),
		  1);
	/* the draft's content is not in the log */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE instr(entry, "
			   "CAST('王芳' AS BLOB)) > 0"),
		  0);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee"), 0);

	/* the next login offers it; resuming brings the values back */
	c = desk_login(&dk, "pc_clerk", "恢复上次未保存的表单");
	desk_see(c, "新增被推荐人 王芳");
	sshclient_type(c, "y");
	desk_see(c, "已恢复草稿");
	desk_see(c, "王芳");
	desk_see(c, "女");
	desk_see(c, "1980-05-06");
	/* the cursor is back in the birth date: go on and save */
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "主任医师");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "已保存");
	desk_hang_up(&dk, c);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee WHERE name = '王芳' "
			   "AND gender = '女' AND birth_date = '1980-05-06'"),
		  1);
	/* saving dropped the draft, and that too is recorded */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM draft"), 0);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE act = 120 "
			   "AND subject = 'draft:pc_clerk'"),
		  2);
	desk_stop(&dk);
}

static void
test_e2e__tui_flow_other_county_unreachable(void)
{
		struct sshclient *c;

	desk_start(&dk);
	c = desk_login(&dk, "pc_clerk", NULL);
	add_nominee(c);
	desk_hang_up(&dk, c);

	/* 云冈区 does not see 平城区's nominee: not listed ... */
	c = desk_login(&dk, "yungang_hr", NULL);
	sshclient_type(c, "l");
	desk_see(c, "暂无被推荐人");
	/* ... and not by number: the answer of a missing number */
	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	sshclient_type(c, "1");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "没有被推荐人 1");
	sshclient_type(c, "\x15" "99"); /* Ctrl-U, then a missing one */
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "没有被推荐人 99");
	CHECK(sshclient_wait_no_text(c, "李明", 200));
	desk_hang_up(&dk, c);
	/* the county above the unit reaches it both ways */
	c = desk_login(&dk, "pingcheng_hr", NULL);
	sshclient_type(c, "l");
	desk_see(c, "李明");
	sshclient_type(c, "g1");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
	desk_hang_up(&dk, c);
	desk_stop(&dk);
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
