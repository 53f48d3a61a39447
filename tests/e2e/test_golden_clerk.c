/*
 * Golden screens of the unit clerk's dossier work (tests/golden/clerk/),
 * as pc_clerk over the real SSH path: the nominee list, the add form,
 * the unsaved-form resume prompt, going to a nominee by number, the
 * dossier, its edit form and value picker, the dated items, the
 * materials checklist, the trail and the help overlays.
 */
#include <stdio.h>

#include "tests/lib/desk.h"
#include "tests/lib/golden.h"
#include "tests/lib/runner.h"

#define CTRL_S "\x13"
#define CTRL_U "\x15"

static struct desk dk;

/* The trail dates its acts "MM-DD HH:MM", today without the year: the
 * common time mask, with the date in front of it, the year optional. */
static const char *const trail_masks[] = {
	"([0-9]{4}-)?[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2})?",
	"[0-9a-f]{12,}",
	NULL,
};

static void
test_e2e__golden_clerk_add_form(void)
{
	struct sshclient *c;

	desk_start(&dk);
	c = desk_login(&dk, "pc_clerk", NULL);
	sshclient_type(c, "l");
	desk_see(c, "暂无被推荐人");
	golden_check(c, "clerk/list-empty-pc_clerk-80x24", NULL);

	sshclient_type(c, "a");
	desk_see(c, "姓名");
	golden_check(c, "clerk/form-empty-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_F1);
	desk_see(c, "按键说明");
	golden_check(c, "clerk/form-help-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "姓名");
	sshclient_type(c, "王芳");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "2");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_type(c, "1980-13-45");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "不是有效的日期");
	golden_check(c, "clerk/form-bad-birth-pc_clerk-80x24", NULL);

	/* the line drops with Chinese typed: the next login offers it */
	desk_hang_up(&dk, c);
	c = desk_login(&dk, "pc_clerk", "恢复上次未保存的表单");
	golden_check(c, "clerk/resume-pc_clerk-80x24", NULL);
	sshclient_type(c, "y");
	desk_see(c, "已恢复草稿");
	golden_check(c, "clerk/form-resumed-pc_clerk-80x24", NULL);
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

/* Two nominees of the clerk's unit: 李明 with most of the dossier filled
 * in, conditions and dated items; 王芳 with only what the add form asks. */
static void
two_nominees(void)
{
	DESK_CLI(&dk, "nominee", "add", "--as", "pc_clerk", "--name", "李明",
		 "--gender", "男", "--birth-date", "1975-03-02", "--title",
		 "主任医师");
	DESK_CLI(&dk, "nominee", "edit", "1", "--as", "pc_clerk",
		 "--id-number", "14021319750302123X", "--education",
		 "研究生", "--degree", "博士", "--title-level", "正高级",
		 "--title-date", "2012-12-01", "--system", "卫生",
		 "--channel", "单位推荐", "--quota-category", "综合",
		 "--prior-leader", "无", "--specialty", "心血管内科",
		 "--phone", "0352-1234567", "--condition",
		 "1=获省科技进步二等奖", "--condition",
		 "4=主持市级重点项目，验收合格");
	DESK_CLI(&dk, "nominee", "item", "add", "1", "--as", "pc_clerk",
		 "--kind", "work", "--from", "2010-07", "--title",
		 "大同市第一人民医院 心内科主任", "--detail",
		 "负责心内科临床\n带教研究生");
	DESK_CLI(&dk, "nominee", "item", "add", "1", "--as", "pc_clerk",
		 "--kind", "research", "--from", "2013-12", "--to", "2016-06",
		 "--title", "心力衰竭早期诊断研究");
	DESK_CLI(&dk, "nominee", "add", "--as", "pc_clerk", "--name", "王芳",
		 "--gender", "女", "--birth-date", "1980-05-06", "--title",
		 "副主任护师");
}

static void
test_e2e__golden_clerk_dossier(void)
{
	struct sshclient *c;

	desk_start(&dk);
	two_nominees();
	c = desk_login(&dk, "pc_clerk", NULL);
	sshclient_type(c, "l");
	desk_see(c, "王芳");
	golden_check(c, "clerk/list-pc_clerk-80x24", NULL);
	sshclient_type(c, "?");
	desk_see(c, "按键说明");
	golden_check(c, "clerk/list-help-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "王芳");

	sshclient_type(c, "g");
	desk_see(c, "被推荐人编号");
	golden_check(c, "clerk/goto-pc_clerk-80x24", NULL);
	sshclient_type(c, "99");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "没有被推荐人 99");
	golden_check(c, "clerk/goto-missing-pc_clerk-80x24", NULL);
	sshclient_type(c, CTRL_U "1");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
	golden_check(c, "clerk/dossier-pc_clerk-80x24", NULL);
	/* one page down is already the bottom of this dossier */
	sshclient_key(c, SSHCLIENT_PGDN);
	desk_see(c, "办理记录");
	golden_check(c, "clerk/dossier-p2-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_HOME);
	desk_see(c, "下方还有");
	sshclient_type(c, "?");
	desk_see(c, "按键说明");
	golden_check(c, "clerk/dossier-help-pc_clerk-80x24", NULL);
	sshclient_type(c, " ");
	desk_see(c, "返回上一界面");
	golden_check(c, "clerk/dossier-help-p2-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "工作单位");

	sshclient_type(c, "e");
	desk_see(c, "条件 1-9");
	golden_check(c, "clerk/edit-p1-pc_clerk-80x24", NULL);
	/* PgDn: five fields on (degree, channel, conditions 1 and 6) */
	for (int p = 0; p < 4; p++) {
		static const char *const seen[] = {
		    "1 博士 2 硕士", "1 单位推荐 2", "（下方还有 16 行）",
		    "（下方还有 6 行）"};
		char name[128];

		sshclient_key(c, SSHCLIENT_PGDN);
		desk_see(c, seen[p]);
		snprintf(name, sizeof(name), "clerk/edit-p%d-pc_clerk-80x24",
			 p + 2);
		golden_check(c, name, NULL);
	}
	sshclient_key(c, SSHCLIENT_F1);
	desk_see(c, "按键说明");
	golden_check(c, "clerk/edit-help-pc_clerk-80x24", NULL);
	sshclient_type(c, " ");
	desk_see(c, "重绘屏幕");
	golden_check(c, "clerk/edit-help-p2-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	/* a key right after Esc would be read as one escape sequence */
	CHECK(sshclient_wait_no_text(c, "按键说明", DESK_T_SCREEN));
	sshclient_key(c, SSHCLIENT_PGUP);
	sshclient_key(c, SSHCLIENT_PGUP); /* condition 6 -> channel */
	sshclient_type(c, " ");
	desk_see(c, "行业学术团体举荐");
	golden_check(c, "clerk/pick-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	CHECK(sshclient_wait_no_text(c, "行业学术团体举荐", DESK_T_SCREEN));
	/* a paste of three lines into condition 3's evidence */
	desk_tabs(c, 7);
	sshclient_type(c, "主持国家自然科学基金面上项目\r"
			  "第一完成人\r结题优秀");
	desk_see(c, "结题优秀");
	golden_check(c, "clerk/edit-paste-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "再按 Esc 放弃修改");
	golden_check(c, "clerk/edit-esc-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "工作单位");

	sshclient_type(c, "t");
	desk_see(c, "责任追溯");
	golden_check(c, "clerk/trail-pc_clerk-80x24", trail_masks);
	sshclient_type(c, "q");
	desk_see(c, "工作单位");
	sshclient_type(c, "w");
	desk_see(c, "心力衰竭早期诊断研究");
	golden_check(c, "clerk/items-pc_clerk-80x24", NULL);
	sshclient_type(c, "q");
	desk_see(c, "工作单位");
	sshclient_type(c, "m");
	desk_see(c, "报送材料清单");
	golden_check(c, "clerk/materials-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "登记：");
	golden_check(c, "clerk/material-set-pc_clerk-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ESC);
	CHECK(sshclient_wait_no_text(c, "收到份数", DESK_T_SCREEN));
	sshclient_type(c, "q");
	desk_see(c, "工作单位");

	/* 王芳 has no items: the empty list and a refused date */
	sshclient_type(c, "q");
	desk_see(c, "王芳");
	sshclient_type(c, "j");
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "副主任护师");
	sshclient_type(c, "w");
	desk_see(c, "尚无带日期条目");
	golden_check(c, "clerk/items-empty-pc_clerk-80x24", NULL);
	sshclient_type(c, "a");
	desk_see(c, "新增带日期条目。");
	golden_check(c, "clerk/item-add-pc_clerk-80x24", NULL);
	sshclient_type(c, "3");
	sshclient_key(c, SSHCLIENT_TAB);
	sshclient_type(c, "2019-13-01");
	desk_tabs(c, 2);
	sshclient_type(c, "市级先进工作者");
	sshclient_type(c, CTRL_S);
	desk_see(c, "不是有效的日期");
	golden_check(c, "clerk/item-add-bad-date-pc_clerk-80x24", NULL);
	/* dropped, or the next login would offer it as a draft */
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "再按 Esc 放弃修改");
	sshclient_key(c, SSHCLIENT_ESC);
	desk_see(c, "尚无带日期条目");
	desk_hang_up(&dk, c);

	c = desk_login_size(&dk, "pc_clerk", NULL, 120, 40);
	sshclient_type(c, "l");
	desk_see(c, "王芳");
	golden_check(c, "clerk/list-pc_clerk-120x40", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
	golden_check(c, "clerk/dossier-pc_clerk-120x40", NULL);
	sshclient_type(c, "e");
	desk_see(c, "条件 1-9");
	golden_check(c, "clerk/edit-pc_clerk-120x40", NULL);
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

/*
 * Below 80x24 only the "too small" line; the applicant's way to the
 * dossier linked to the account; a clerk whose language is English.
 */
static void
test_e2e__golden_clerk_small_applicant_english(void)
{
	const char *const add_en[] = {"user", "add", "clerk_en", "--name",
				      "林华", "--role", "unit_clerk", "--unit",
				      "140213-e001", "--lang", "en",
				      "--password-stdin", NULL};
	struct sshclient *c;

	desk_start(&dk);
	two_nominees();
	DESK_CLI(&dk, "nominee", "applicant", "1", "--as", "pc_clerk",
		 "--user", "applicant_wu");
	CHECK_INT(desk_cli_stdin(&dk, "words of clerk en\n", add_en), 0);

	c = desk_login_size(&dk, "pc_clerk", "窗口太小", 79, 23);
	golden_check(c, "clerk/too-small-pc_clerk-79x23", NULL);
	desk_hang_up(&dk, c);

	/* the home screen is home/applicant_wu-80x24's */
	c = desk_login(&dk, "applicant_wu", NULL);
	sshclient_type(c, "l");
	desk_see(c, "李明");
	golden_check(c, "clerk/list-applicant_wu-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "工作单位");
	golden_check(c, "clerk/dossier-applicant_wu-80x24", NULL);
	desk_hang_up(&dk, c);

	c = sshclient_start(dk.srv.port, "clerk_en", "words of clerk en", 80,
			    24);
	CHECK(c != NULL);
	if (c == NULL) {
		desk_stop(&dk);
		return;
	}
	desk_see(c, "Nominee list");
	golden_check(c, "clerk/home-clerk_en-80x24", NULL);
	sshclient_type(c, "l");
	desk_see(c, "李明");
	golden_check(c, "clerk/list-clerk_en-80x24", NULL);
	sshclient_key(c, SSHCLIENT_ENTER);
	desk_see(c, "0352-1234567");
	golden_check(c, "clerk/dossier-clerk_en-80x24", NULL);
	desk_hang_up(&dk, c);
	desk_stop(&dk);
}

static const struct test_case tests_golden_clerk[] = {
	{"e2e__golden_clerk_add_form", test_e2e__golden_clerk_add_form},
	{"e2e__golden_clerk_dossier", test_e2e__golden_clerk_dossier},
	{"e2e__golden_clerk_small_applicant_english",
	 test_e2e__golden_clerk_small_applicant_english},
	{NULL, NULL},
};
TEST_REGISTER(tests_golden_clerk)
