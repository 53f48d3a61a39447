/*
 * Expert evaluation over real SSH sessions (issue #3 item 7).
 *
 * A nomination is brought to the county with the CLI (the clerk's signed
 * acts take the passphrase on stdin); two more experts are added with
 * `user add`, one of them at the nominee's own unit.  Then, in the TUI:
 * the county HR creates a panel, adds members (an account that is no
 * expert is refused), assigns the nominee and sees the automatic recusal
 * and its reason; expert_zhou finds the dossier closed before the
 * declaration and the other expert's sheet closed before their own,
 * declares, opens the dossier, scores with a two-line opinion, is
 * refused a score over the maximum naming the criterion, submits, and
 * then sees the other sheet; the county HR sees the result.  In a second
 * run expert_zhou declares a conflict instead (its reason is required)
 * and stays shut out; city HR sees the panel and its counts but may not
 * change its members, and sees the committee's (empty) ranked list.
 *
 * What the screens say is checked on screen; what was stored (scores,
 * statuses, the opinion's line break, the audit entries) in SQLite once
 * the sessions are over.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static struct desk dk;

#define CTRL_S "\x13"
#define CTRL_U "\x15"
#define PASS "clerk passphrase 7\n"

#define CLI(...)                                                          \
	do {                                                              \
		const char *const a_[] = {__VA_ARGS__, NULL};             \
		desk_cli_ok_at(&dk, a_, NULL, 0, __FILE__, __LINE__);     \
	} while (0)

/*
 * Nominee 1 (王五 of 平城区中心医院) submitted to 平城区; experts
 * e_own (平城区中心医院, the nominee's own unit) and e_b (云冈区).
 */
static void
setup(void)
{
	char idn[19];

	setenv("NOMDESK_KDF", "interactive", 1); /* signing in seconds */
	desk_start(&dk);
	fixture_id_number("19760504", 7, idn);
	CLI("nominee", "add", "--as", "pc_clerk", "--name", "王五",
	    "--gender", "男", "--birth-date", "1976-05-04", "--title",
	    "主任医师");
	CLI("nominee", "edit", "1", "--as", "pc_clerk", "--id-number", idn,
	    "--title-level", "正高级", "--channel", "单位推荐",
	    "--quota-category", "综合", "--condition", "4=市级重点项目负责人",
	    "--prior-leader", "无");
	{
		const char *const key[] = {"user", "key", "init", "pc_clerk",
					   "--passphrase-stdin", NULL};
		const char *const pledge[] = {
			"act", "1", "pledge_paper", "--as", "pc_clerk",
			"--reason", "纸质原件存本单位人事科",
			"--passphrase-stdin", NULL};
		const char *const review[] = {"act", "1", "unit_review",
					      "--as", "pc_clerk",
					      "--passphrase-stdin", NULL};

		CHECK_INT(desk_cli_stdin(&dk, PASS PASS, key), 0);
		CHECK_INT(desk_cli_stdin(&dk, PASS, pledge), 0);
		CHECK_INT(desk_cli_stdin(&dk, PASS, review), 0);
	}
	CLI("act", "1", "submit", "--as", "pc_clerk");
	CLI("user", "add", "e_own", "--name", "钱专家", "--role", "expert",
	    "--unit", "140213-e001");
	CLI("user", "add", "e_b", "--name", "孙专家", "--role", "expert",
	    "--unit", "140214-e001");
}

/* As pingcheng_hr: a panel of three with quorum 2, nominee 1 assigned. */
static void
owner_sets_up_panel(void)
{
	struct sshclient *c = desk_login(&dk, "pingcheng_hr", NULL);

	sshclient_type(c, "p");
	desk_see(c, "本批次没有您可查看的评审组");
	sshclient_type(c, "n");
	desk_see(c, "新建本批次的专家评审组");
	sshclient_type(c, "平城区评审组");
	desk_tabs(c, 5); /* level, rule, criteria, pass mark -> quorum */
	sshclient_type(c, "2");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已新建评审组 1");
	desk_see(c, "至少 2 份评分表；0 名成员");

	/* members: an account that is no expert is refused, by core */
	sshclient_type(c, "m");
	desk_see(c, "专家登录名");
	sshclient_type(c, "pc_clerk");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "不是专家");
	sshclient_type(c, CTRL_U "expert_zhou");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "expert_zhou 已加入评审组");
	sshclient_type(c, "m");
	desk_see(c, "专家登录名");
	sshclient_type(c, "e_own");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "e_own 已加入评审组");
	sshclient_type(c, "m");
	desk_see(c, "专家登录名");
	sshclient_type(c, "e_b");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "3 名成员");

	/* the assignment: every member's outcome, the recusal and why */
	sshclient_type(c, "a");
	desk_see(c, "王五");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "各成员情况");
	desk_see(c, "在被推荐人所在单位工作（140213-e001）");
	desk_see(c, "已分配");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "待评分齐");
	desk_hang_up(&dk, c);
}

static void
test_e2e__tui_panel_assign_declare_score(void)
{
	struct sshclient *c;
	char got[256];

	setup();
	owner_sets_up_panel();
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM panel WHERE name = "
				     "'平城区评审组' AND quorum = 2 AND "
				     "level = 'local'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM panel_assignment a "
				     "JOIN user u ON u.id = a.expert_id "
				     "WHERE u.login = 'e_own' AND a.status = "
				     "'recused' AND a.reason = 'own unit "
				     "140213-e001'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM panel_assignment "
				     "WHERE status = 'assigned'"),
		  2);
	/* the panel, three members and three assignment acts, audited */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "subject = 'panel:1' AND actor = "
				     "'pingcheng_hr'"),
		  4);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "subject = 'panel:1/nominee:1'"),
		  3);

	/* the other expert scores first, at the console */
	{
		const char *const key[] = {"user", "key", "init", "e_b",
					   "--passphrase-stdin", NULL};
		const char *const decl[] = {"declare", "1", "--as", "e_b",
					    "--passphrase-stdin", NULL};

		CHECK_INT(desk_cli_stdin(&dk, "e_b phrase 8\ne_b phrase 8\n", key), 0);
		CHECK_INT(desk_cli_stdin(&dk, "e_b phrase 8\n", decl), 0);
	}
	CLI("score", "1", "--as", "e_b", "--criterion", "academic=30",
	    "--criterion", "innovation=20", "--criterion", "contribution=20",
	    "--opinion", "创新不足，业绩尚可");

	c = desk_login(&dk, "expert_zhou", NULL);
	sshclient_type(c, "p");
	desk_see(c, "王五");
	desk_see(c, "待声明");
	/* closed before the declaration: the dossier ... */
	sshclient_type(c, "v");
	desk_see(c, "没有被推荐人 1：签署无利益冲突声明");
	/* ... and the other expert's sheet */
	sshclient_type(c, "c");
	desk_see(c, "请先提交您对被推荐人 1 的评分");
	CHECK(sshclient_wait_no_text(c, "创新不足", 100));

	sshclient_type(c, "d");
	desk_see(c, "回避承诺");
	sshclient_key(c, SSHCLIENT_ENTER); /* choice 1: no conflict */
	/* 回避承诺 carries the expert's own signature: no key yet, so
	 * one is enrolled on the way, passphrase twice, this act only */
	desk_see(c, "您还没有签名密钥");
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER);
	if (!sshclient_wait_text(c, "已声明与编号 1 无利益冲突", DESK_T_SIGN))
		desk_see(c, "已声明与编号 1 无利益冲突");
	desk_see(c, "待评分");
	sshclient_type(c, "v");
	desk_see(c, "工作单位");
	desk_see(c, "主任医师");
	sshclient_type(c, "q"); /* back where the dossier was opened */
	desk_see(c, "我的评审");
	desk_see(c, "待评分");

	/* the sheet: a score over the maximum is core's to refuse */
	sshclient_type(c, "s");
	desk_see(c, "学术水平 (academic)");
	desk_see(c, "满分 40.0");
	sshclient_type(c, "45\t25\t\t"); /* contribution left empty */
	sshclient_type(c, "材料翔实");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "建议通过");
	sshclient_type(c, CTRL_S);
	desk_see(c, "再按 Ctrl-S 提交");
	sshclient_type(c, CTRL_S);
	desk_see(c, "评分项“academic”：分数必须是 0 到 40.0");
	/* the cursor is on academic now: a valid score; the next refusal
	 * names the criterion not scored, and the cursor goes there */
	sshclient_type(c, CTRL_U "35" CTRL_S CTRL_S);
	desk_see(c, "评分项：“contribution”（业绩贡献）未评分");
	sshclient_type(c, "25");
	sshclient_key(c, SSHCLIENT_UP);
	sshclient_key(c, SSHCLIENT_UP); /* back on academic */
	sshclient_type(c, CTRL_U "45" CTRL_S CTRL_S);
	desk_see(c, "评分项“academic”：分数必须是 0 到 40.0");
	CHECK(sshclient_wait_no_text(c, "创新不足", 100));
	/* the cursor went back to academic: correct it, submit */
	sshclient_type(c, CTRL_U "35");
	sshclient_type(c, CTRL_S);
	desk_see(c, "再按 Ctrl-S 提交");
	sshclient_type(c, CTRL_S);
	desk_see(c, "已提交：您对编号 1 的评分已确定");
	/* now, and only now, the other sheet */
	desk_see(c, "创新不足，业绩尚可");
	desk_see(c, "孙专家 (e_b)：总分 70.0");
	desk_see(c, "周立 (expert_zhou)：总分 85.0");
	desk_see(c, "建议通过");
	sshclient_type(c, "q");
	desk_see(c, "已提交");
	desk_hang_up(&dk, c);

	CHECK_INT(desk_db_count(&dk, "SELECT sum(s.score_x10) FROM panel_score "
				     "s JOIN user u ON u.id = s.expert_id "
				     "WHERE u.login = 'expert_zhou'"),
		  850);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM panel_score s JOIN "
				     "user u ON u.id = s.expert_id WHERE "
				     "u.login = 'expert_zhou' AND "
				     "s.criterion = 'academic' AND "
				     "s.score_x10 = 350"),
		  1);
	desk_db_text(&dk, "SELECT a.opinion FROM panel_assignment a JOIN user "
			  "u ON u.id = a.expert_id WHERE u.login = "
			  "'expert_zhou' AND a.status = 'scored'",
		     got, sizeof(got));
	CHECK_STR(got, "材料翔实\n建议通过");
	/* the declaration (a pledge) and the sheet (a review), audited */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "actor = 'expert_zhou' AND subject = "
				     "'panel:1/nominee:1' AND act = 6"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "actor = 'expert_zhou' AND subject = "
				     "'panel:1/nominee:1' AND act = 4"),
		  1);
	/* the refused sheet left nothing behind */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "actor = 'expert_zhou' AND act = 4"),
		  1);

	/* the owner sees the result, and the sheets */
	c = desk_login(&dk, "pingcheng_hr", NULL);
	sshclient_type(c, "p");
	desk_see(c, "平城区评审组");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "2/2");
	desk_see(c, "77.50");
	desk_see(c, "通过");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "已提交 2 份评分表");
	desk_see(c, "建议通过");
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

static void
test_e2e__tui_panel_conflict_and_readers(void)
{
	struct sshclient *c;

	setup();
	owner_sets_up_panel();

	/* expert_zhou declares a conflict; its reason is required */
	CLI("user", "add", "e_c", "--name", "李专家", "--role", "expert",
	    "--unit", "140213-e002");
	c = desk_login(&dk, "expert_zhou", NULL);
	sshclient_type(c, "p");
	desk_see(c, "待声明");
	/* every key has its help */
	sshclient_type(c, "?");
	desk_see(c, "签署无利益冲突声明，或声明利益冲突");
	desk_see(c, "已提交的评分表（提交您自己的评分之后）");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "您的评审任务");
	sshclient_key(c, SSHCLIENT_ENTER); /* the next step: declare */
	desk_see(c, "回避承诺");
	sshclient_type(c, "2"); /* a conflict: to the reason */
	sshclient_type(c, CTRL_S);
	desk_see(c, "请填写利益冲突的理由");
	sshclient_type(c, "被推荐人是我的");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "博士生导师");
	sshclient_type(c, CTRL_S);
	/* signed too: Esc on the passphrase goes back to the form, kept */
	desk_see(c, "您还没有签名密钥");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "博士生导师");
	sshclient_type(c, CTRL_S);
	desk_see(c, "您还没有签名密钥");
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER);
	if (!sshclient_wait_text(c, "已声明利益冲突：您已回避编号 1",
				 DESK_T_SIGN))
		desk_see(c, "已声明利益冲突：您已回避编号 1");
	desk_see(c, "已回避");
	/* recused: the dossier stays closed, the sheet too */
	sshclient_type(c, "v");
	desk_see(c, "没有被推荐人 1");
	sshclient_type(c, "s");
	desk_see(c, "您已声明与该被推荐人存在利益冲突");
	desk_hang_up(&dk, c);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM expert_conflict x "
				     "JOIN user u ON u.id = x.expert_id "
				     "WHERE u.login = 'expert_zhou' AND "
				     "x.nominee_id = 1 AND x.reason = "
				     "'被推荐人是我的\n博士生导师'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "actor = 'expert_zhou' AND subject = "
				     "'panel:1/nominee:1' AND act = 11"),
		  1);

	/* city HR sees every panel, but this one is not theirs to run */
	c = desk_login(&dk, "city_hr", NULL);
	sshclient_type(c, "p");
	desk_see(c, "平城区评审组");
	desk_see(c, "县区/部门");
	sshclient_type(c, "m");
	desk_see(c, "专家登录名");
	sshclient_type(c, "e_c");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "只有评审组“平城区评审组”的组建单位可以调整其成员");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "本批次的专家评审组");
	/* its results: both recusals counted, no sheet yet */
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "待评分齐");
	desk_see(c, "0/2");
	sshclient_type(c, "q");
	/* the committee's ranked list: nobody has passed it yet */
	sshclient_type(c, "c");
	desk_see(c, "推荐 0 人，名额 44 个");
	desk_hang_up(&dk, c);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM panel_member m "
				     "JOIN user u ON u.id = m.expert_id "
				     "WHERE u.login = 'e_c'"),
		  0);
	desk_stop(&dk);
}

static const struct test_case tests_tui_panel[] = {
	{"e2e__tui_panel_assign_declare_score",
	 test_e2e__tui_panel_assign_declare_score},
	{"e2e__tui_panel_conflict_and_readers",
	 test_e2e__tui_panel_conflict_and_readers},
	{NULL, NULL},
};
TEST_REGISTER(tests_tui_panel)
