/*
 * Golden screens of the expert panels and their scoring, over the real
 * SSH path (tests/golden/panel/).
 *
 * The owner's side, as pingcheng_hr: the panels list empty, the new-panel
 * form empty and refused, the panel just created, the add-member form
 * empty and refusing an account that is no expert, the nominee to
 * assign, each member's outcome with the automatic recusal (e_own works
 * at the nominee's own unit), the panel view and the list with the
 * panel; the list and the view at 120x40; city HR's list and its ranked
 * list.
 *
 * The expert's side, as expert_zhou: the assignments, the other sheets
 * still closed, the declaration form (and its refusal of a conflict
 * without a reason), the assignments once declared, the score sheet
 * empty, at 120x40, refusing a score over the maximum, with its help,
 * filled in with a two-line opinion and asking for the second Ctrl-S,
 * and the sheets once submitted; then the owner's view of the result.
 *
 * The nomination and most of the panel are prepared with the CLI, which
 * is faster than the TUI and not what is pinned here.
 */
#include <stdlib.h>

#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/golden.h"
#include "tests/lib/runner.h"

#define CTRL_S "\x13"
#define CTRL_U "\x15"
#define PASS "clerk passphrase 7\n"

/*
 * Nominee 1 (王五 of 平城区中心医院) submitted to 平城区; experts
 * e_own (at the nominee's own unit, so recused on assignment) and e_b.
 */
static void
prepare_nominee(struct desk *d)
{
	const char *const key[] = {"user", "key", "init", "pc_clerk",
				   "--passphrase-stdin", NULL};
	const char *const pledge[] = {"act", "1", "pledge_paper", "--as",
				      "pc_clerk", "--reason",
				      "纸质原件存本单位人事科",
				      "--passphrase-stdin", NULL};
	const char *const review[] = {"act", "1", "unit_review", "--as",
				      "pc_clerk", "--passphrase-stdin", NULL};
	char idn[19];

	/* the clerk's and the experts' keys sign in seconds, not minutes */
	setenv("NOMDESK_KDF", "interactive", 1);
	desk_start(d);
	fixture_id_number("19760504", 7, idn);
	DESK_CLI(d, "nominee", "add", "--as", "pc_clerk", "--name", "王五",
		 "--gender", "男", "--birth-date", "1976-05-04", "--title",
		 "主任医师");
	DESK_CLI(d, "nominee", "edit", "1", "--as", "pc_clerk",
		 "--id-number", idn, "--title-level", "正高级", "--channel",
		 "单位推荐", "--quota-category", "综合", "--condition",
		 "4=市级重点项目负责人", "--prior-leader", "无");
	CHECK_INT(desk_cli_stdin(d, PASS PASS, key), 0);
	CHECK_INT(desk_cli_stdin(d, PASS, pledge), 0);
	CHECK_INT(desk_cli_stdin(d, PASS, review), 0);
	DESK_CLI(d, "act", "1", "submit", "--as", "pc_clerk");
	DESK_CLI(d, "user", "add", "e_own", "--name", "钱专家", "--role",
		 "expert", "--unit", "140213-e001");
	DESK_CLI(d, "user", "add", "e_b", "--name", "孙专家", "--role",
		 "expert", "--unit", "140214-e001");
}

/* From the home screen to the panels (or, for an expert, the
 * assignments). */
static struct sshclient *
panels_at(struct desk *d, const char *login, const char *text, int cols,
	  int rows)
{
	struct sshclient *c = desk_login_size(d, login, NULL, cols, rows);

	sshclient_type(c, "p");
	desk_see(c, text);
	return c;
}

static void
test_e2e__golden_panel_owner(void)
{
	struct desk dk;
	struct sshclient *c;

	prepare_nominee(&dk);
	c = panels_at(&dk, "pingcheng_hr", "本批次没有您可查看的评审组", 80,
		      24);
	golden_check(c, "panel/list-empty-pingcheng_hr-80x24", NULL);

	sshclient_type(c, "n");
	desk_see(c, "新建本批次的专家评审组");
	golden_check(c, "panel/new-empty-pingcheng_hr-80x24", NULL);
	/* a number is no name: core's refusal, under the field */
	sshclient_type(c, "2024" CTRL_S);
	desk_see(c, "评审组名称：不能是纯数字");
	golden_check(c, "panel/new-refused-pingcheng_hr-80x24", NULL);
	sshclient_type(c, CTRL_U "平城区评审组");
	desk_tabs(c, 5); /* level, rule, criteria, pass mark -> quorum */
	sshclient_type(c, "2" CTRL_S);
	desk_see(c, "已新建评审组 1");
	golden_check(c, "panel/view-created-pingcheng_hr-80x24", NULL);

	sshclient_type(c, "m");
	desk_see(c, "专家登录名");
	golden_check(c, "panel/member-empty-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "pc_clerk");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "不是专家");
	golden_check(c, "panel/member-not-expert-pingcheng_hr-80x24", NULL);
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

	sshclient_type(c, "a");
	desk_see(c, "王五");
	golden_check(c, "panel/pick-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "在被推荐人所在单位工作（140213-e001）");
	golden_check(c, "panel/outcome-pingcheng_hr-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "待评分齐");
	golden_check(c, "panel/view-pingcheng_hr-80x24", NULL);
	sshclient_type(c, "q");
	desk_see(c, "最少评分数");
	golden_check(c, "panel/list-pingcheng_hr-80x24", NULL);
	desk_hang_up(&dk, c);

	c = panels_at(&dk, "pingcheng_hr", "平城区评审组", 120, 40);
	golden_check(c, "panel/list-pingcheng_hr-120x40", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "待评分齐");
	golden_check(c, "panel/view-pingcheng_hr-120x40", NULL);
	desk_hang_up(&dk, c);

	/* city HR sees every panel; the committee has passed nobody yet */
	c = panels_at(&dk, "city_hr", "平城区评审组", 80, 24);
	golden_check(c, "panel/list-city_hr-80x24", NULL);
	sshclient_type(c, "c");
	desk_see(c, "推荐 0 人，名额 44 个");
	golden_check(c, "panel/ranked-city_hr-80x24", NULL);
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

/* The other expert's sheet, at the console, so there is one to see. */
static void
e_b_scores(struct desk *d)
{
	const char *const key[] = {"user", "key", "init", "e_b",
				   "--passphrase-stdin", NULL};
	const char *const decl[] = {"declare", "1", "--as", "e_b",
				    "--passphrase-stdin", NULL};

	CHECK_INT(desk_cli_stdin(d, "e_b phrase 8\ne_b phrase 8\n", key), 0);
	CHECK_INT(desk_cli_stdin(d, "e_b phrase 8\n", decl), 0);
	DESK_CLI(d, "score", "1", "--as", "e_b", "--criterion", "academic=30",
		 "--criterion", "innovation=20", "--criterion",
		 "contribution=20", "--opinion", "创新不足，业绩尚可");
}

/* The sheet as the refused one had it: 45 over the maximum of 40, the
 * last criterion empty, an opinion of two lines. */
static void
fill_sheet(struct sshclient *c)
{
	sshclient_type(c, "45\t25\t\t材料翔实");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "建议通过");
}

static void
test_e2e__golden_panel_expert(void)
{
	struct desk dk;
	struct sshclient *c;

	prepare_nominee(&dk);
	DESK_CLI(&dk, "panel", "create", "平城区评审组", "--level", "local",
		 "--as", "pingcheng_hr", "--quorum", "2");
	DESK_CLI(&dk, "panel", "add-member", "1", "expert_zhou", "--as",
		 "pingcheng_hr");
	DESK_CLI(&dk, "panel", "add-member", "1", "e_own", "--as",
		 "pingcheng_hr");
	DESK_CLI(&dk, "panel", "add-member", "1", "e_b", "--as",
		 "pingcheng_hr");
	DESK_CLI(&dk, "assign", "1", "--panel", "1", "--as", "pingcheng_hr");
	e_b_scores(&dk);

	c = panels_at(&dk, "expert_zhou", "待声明", 80, 24);
	golden_check(c, "panel/mine-expert_zhou-80x24", NULL);
	sshclient_type(c, "c");
	desk_see(c, "请先提交您对被推荐人 1 的评分");
	golden_check(c, "panel/sheets-closed-expert_zhou-80x24", NULL);

	sshclient_type(c, "d");
	desk_see(c, "回避承诺");
	golden_check(c, "panel/declare-expert_zhou-80x24", NULL);
	sshclient_type(c, "2" CTRL_S);
	desk_see(c, "请填写利益冲突的理由");
	golden_check(c, "panel/declare-no-reason-expert_zhou-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "您的评审任务");
	sshclient_type(c, "d");
	desk_see(c, "回避承诺");
	sshclient_key(c, SSHCLIENT_ENTER); /* choice 1: no conflict */
	/* no key yet: one is enrolled on the way, for this act only */
	desk_see(c, "您还没有签名密钥");
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "zhou passphrase 9");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER);
	if (!sshclient_wait_text(c, "已声明与编号 1 无利益冲突", DESK_T_SIGN)) {
		desk_see(c, "已声明与编号 1 无利益冲突");
	}
	desk_see(c, "待评分");
	golden_check(c, "panel/mine-declared-expert_zhou-80x24", NULL);

	sshclient_type(c, "s");
	desk_see(c, "学术水平 (academic)");
	golden_check(c, "panel/score-empty-expert_zhou-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC); /* nothing typed: straight back */
	desk_see(c, "您的评审任务");
	desk_hang_up(&dk, c);

	c = panels_at(&dk, "expert_zhou", "待评分", 120, 40);
	sshclient_type(c, "s");
	desk_see(c, "学术水平 (academic)");
	fill_sheet(c);
	desk_see(c, "建议通过");
	golden_check(c, "panel/score-filled-expert_zhou-120x40", NULL);
	desk_hang_up(&dk, c);

	c = panels_at(&dk, "expert_zhou", "待评分", 80, 24);
	sshclient_type(c, "s");
	desk_see(c, "学术水平 (academic)");
	fill_sheet(c);
	sshclient_type(c, CTRL_S CTRL_S);
	desk_see(c, "评分项“academic”：分数必须是 0 到 40.0");
	golden_check(c, "panel/score-over-max-expert_zhou-80x24", NULL);
	sshclient_key(c, SSHCLIENT_F1);
	desk_see(c, "按键说明：评分表");
	golden_check(c, "panel/score-help-expert_zhou-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "学术水平 (academic)");
	/* the cursor is on academic: correct it, then the empty one */
	sshclient_type(c, CTRL_U "35");
	sshclient_key(c, SSHCLIENT_DOWN);
	sshclient_key(c, SSHCLIENT_DOWN);
	sshclient_type(c, "25" CTRL_S);
	desk_see(c, "再按 Ctrl-S 提交");
	golden_check(c, "panel/score-confirm-expert_zhou-80x24", NULL);
	sshclient_type(c, CTRL_S);
	desk_see(c, "孙专家 (e_b)：总分 70.0");
	golden_check(c, "panel/sheets-expert_zhou-80x24", NULL);
	desk_hang_up(&dk, c);

	/* the owner sees the result */
	c = panels_at(&dk, "pingcheng_hr", "平城区评审组", 80, 24);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "77.50");
	golden_check(c, "panel/view-scored-pingcheng_hr-80x24", NULL);
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

static const struct test_case tests_golden_panel[] = {
	{"e2e__golden_panel_owner", test_e2e__golden_panel_owner},
	{"e2e__golden_panel_expert", test_e2e__golden_panel_expert},
	{NULL, NULL},
};
TEST_REGISTER(tests_golden_panel)
