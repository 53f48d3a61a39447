/*
 * The UI-level concurrency suite (issue 8 items 7 and 11): screens that
 * show a dossier while someone else changes it, over real SSH.
 *
 * Every screen carries the version it showed (the nominee's seq) down to
 * core; a save or a signature over a version changed since is refused
 * with "changed by someone else since you opened it; reload", nothing is
 * written or signed, the other side's change survives, and the screen
 * offers to reload, keeping what was typed, after which the save goes
 * through over the version now shown.
 *
 * - an edit form open while the CLI changes the same nominee: Ctrl-S is
 *   refused, the CLI's values stay; Ctrl-R reloads underneath (the
 *   field the CLI changed and the clerk also typed keeps the clerk's
 *   value and says what the CLI wrote; the one only the CLI changed
 *   takes the CLI's value) and the next Ctrl-S saves;
 * - a nominee screen open while the CLI changes the dossier: the actions
 *   menu is not offered over the old version; and a change that comes
 *   while the paper pledge is being signed: the signed act is refused,
 *   nothing is signed, and after r the same act, its reason kept, is
 *   taken over the new version;
 * - the same dossier in two SSH sessions (the unit's clerk and the
 *   county's HR): one saves, the other's save is refused, then reloads
 *   and saves; the materials checklist open in both: one records, the
 *   other's record is refused.
 *
 * The database is read only after the server logged the sessions'
 * "disconnect" (the UI processes have exited and closed it); in between,
 * the CLI answers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/desk.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static struct desk dk;

#define CTRL_S "\x13"
#define CTRL_R "\x12"
#define CTRL_U "\x15"

/* core's refusal, in Chinese (the demo accounts' language) */
#define STALE "在您打开后已被他人修改"

static void
add_nominee(void)
{
	const char *add[] = {"nominee", "add", "--as", "pc_clerk", "--name",
			     "李明", "--gender", "男", "--birth-date",
			     "1975-03-02", "--title", "主任医师", NULL};

	desk_cli_ok_at(&dk, add, NULL, 0, __FILE__, __LINE__);
}

/* `nominee show 1 --format json` as pc_clerk contains text. */
static bool
shown_has(const char *text)
{
	const char *show[] = {"nominee", "show", "1", "--as", "pc_clerk",
			      "--format", "json", NULL};
	static char out[65536];

	desk_cli_ok_at(&dk, show, out, sizeof(out), __FILE__, __LINE__);
	return strstr(out, text) != NULL;
}

/*
 * The message line: a long one takes the row above as well, cut where
 * the width ends, so the refusal is looked for in the screen's rows
 * joined (each row's margin dropped).  Call after desk_see of its end.
 */
#define msg_has(c, text) msg_has_at((c), (text), __LINE__)
static bool
msg_has_at(struct sshclient *c, const char *text, int line)
{
	static char buf[16384], joined[16384];
	size_t i, n = 0;

	sshclient_screen_dump(c, buf, sizeof(buf));
	for (i = 0; buf[i] && n + 1 < sizeof(joined); i++) {
		if (buf[i] == '\n') {
			while (buf[i + 1] == ' ') {
				i++;
			}
			continue;
		}
		joined[n++] = buf[i];
	}
	joined[n] = '\0';
	if (strstr(joined, text)) {
		return true;
	}
	test_fail(__FILE__, line, "no \"%s\" on the message line; the "
				  "screen:\n%s",
		  text, buf);
	return false;
}

static void
test_e2e__tui_stale_edit_form_keeps_what_was_typed(void)
{
	const char *cli_edit[] = {"nominee", "edit", "1", "--as", "pc_clerk",
				  "--title", "主治医师", "--specialty",
				  "心内科", NULL};
	struct sshclient *c;
	char got[256];

	desk_start(&dk);
	add_nominee();
	c = desk_login(&dk, "pc_clerk", NULL);
	desk_open_nominee(c, "李明", 1);
	sshclient_type(c, "e");
	desk_see(c, "条件 1-9");
	desk_tabs(c, 6); /* name gender birth_date id education degree */
	sshclient_type(c, CTRL_U "主任药师");
	desk_see(c, "主任药师");

	/* the CLI changes the same nominee while the form is open */
	desk_cli_ok_at(&dk, cli_edit, NULL, 0, __FILE__, __LINE__);

	/* Ctrl-S: refused, saying why and how to go on; the form stays
	 * with what was typed, the CLI's values survive */
	sshclient_type(c, CTRL_S);
	desk_see(c, STALE);
	desk_see(c, "Ctrl-R");
	desk_see(c, "主任药师");
	CHECK(shown_has("\"title\":\"主治医师\""));
	CHECK(shown_has("\"specialty\":\"心内科\""));
	CHECK(shown_has("\"version\":2"));

	/* Ctrl-R: the dossier underneath; what was typed is kept and the
	 * field the CLI also changed says what it wrote */
	sshclient_type(c, CTRL_R);
	desk_see(c, "已重新载入第 2 版");
	desk_see(c, "已被他人改为“主治医师”；保留您填写的值");
	desk_see(c, "主任药师");
	desk_tabs(c, 7); /* -> specialty: the CLI's value, marked */
	desk_see(c, "已被他人修改；框中为新值");
	desk_see(c, "心内科");

	/* the next save is over the version now shown */
	sshclient_type(c, CTRL_S);
	desk_see(c, "已保存：记录");
	desk_see(c, "主任药师");
	desk_see(c, "心内科");
	desk_hang_up(&dk, c);

	desk_db_text(&dk, "SELECT title || '|' || specialty || '|' || version "
			  "FROM nominee WHERE id = 1",
		     got, sizeof(got));
	CHECK_STR(got, "主任药师|心内科|3");
	/* two edits in the log: the CLI's and the form's, nothing else */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "act = 2 AND subject = 'nominee:1'"),
		  2);
	desk_stop(&dk);
}

static void
test_e2e__tui_stale_signed_act_is_refused(void)
{
	char idn[19];
	const char *complete[] = {"nominee", "edit", "1", "--as", "pc_clerk",
				  "--id-number", idn, "--title-level",
				  "正高级", "--channel", "单位推荐",
				  "--quota-category", "综合",
				  "--prior-leader", "无", "--condition",
				  "4=市级重点项目负责人", NULL};
	const char *edit1[] = {"nominee", "edit", "1", "--as", "pc_clerk",
			       "--specialty", "心内科", NULL};
	const char *edit2[] = {"nominee", "edit", "1", "--as", "pc_clerk",
			       "--specialty", "心血管内科", NULL};
	struct sshclient *c;

	fixture_id_number("19750302", 7, idn);
	desk_start(&dk);
	add_nominee();
	desk_cli_ok_at(&dk, complete, NULL, 0, __FILE__, __LINE__);
	c = desk_login(&dk, "pc_clerk", NULL);
	desk_open_nominee(c, "李明", 1);
	desk_see(c, "草稿");

	/* the dossier changes under the open nominee screen: its actions
	 * are not offered over the version it shows; r reloads */
	desk_cli_ok_at(&dk, edit1, NULL, 0, __FILE__, __LINE__);
	sshclient_type(c, "x");
	desk_see(c, STALE);
	desk_see(c, "按 r 重新载入");
	CHECK(sshclient_wait_no_text(c, "操作：", 300));
	sshclient_type(c, "r");
	desk_see(c, "心内科");

	/* the change comes while the paper pledge is being signed */
	desk_paper_pledge_enrolling(c, "纸质原件存本单位人事科",
				    "correct horse 7");
	desk_cli_ok_at(&dk, edit2, NULL, 0, __FILE__, __LINE__);
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "保留您填写的理由", DESK_T_SIGN)) {
		desk_see(c, "保留您填写的理由");
	}
	msg_has(c, "登记纸质承诺书：被推荐人 1 " STALE);
	msg_has(c, "按 r 重新载入；再选同一操作时保留您填写的理由");
	/* refused: nothing signed, the CLI's version stands */
	CHECK(shown_has("\"state\":\"draft\""));
	CHECK(shown_has("\"specialty\":\"心血管内科\""));

	/* r, then the same act: its reason kept, signed over the version
	 * now shown */
	sshclient_type(c, "r");
	desk_see(c, "心血管内科");
	sshclient_type(c, "x");
	desk_see(c, "登记纸质承诺书");
	sshclient_type(c, "1");
	desk_see(c, "纸质原件存本单位人事科");
	sshclient_type(c, CTRL_S);
	desk_see(c, "签名口令");
	sshclient_type(c, "correct horse 7");
	sshclient_key(c, SSHCLIENT_ENTER);
	sshclient_key(c, SSHCLIENT_ENTER); /* "this act only", sign */
	if (!sshclient_wait_text(c, "已完成：登记纸质承诺书", DESK_T_SIGN)) {
		desk_see(c, "已完成：登记纸质承诺书");
	}
	desk_hang_up(&dk, c);

	/* one pledge, after the last edit, and the nominee's current act */
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "act = 7 AND subject = 'nominee:1'"),
		  1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee n WHERE "
				     "n.id = 1 AND n.state = 'pledged' AND "
				     "n.seq = (SELECT seq FROM log_entry WHERE "
				     "act = 7) AND n.seq > (SELECT max(seq) "
				     "FROM log_entry WHERE act = 2)"),
		  1);
	desk_stop(&dk);
}

static void
test_e2e__tui_stale_two_sessions_same_dossier(void)
{
	struct sshclient *a, *b;
	char got[256];

	desk_start(&dk);
	add_nominee();
	a = desk_login(&dk, "pc_clerk", NULL);
	b = desk_login(&dk, "pingcheng_hr", NULL);
	desk_open_nominee(a, "李明", 1);
	desk_open_nominee(b, "李明", 1);
	sshclient_type(a, "e");
	desk_see(a, "条件 1-9");
	sshclient_type(b, "e");
	desk_see(b, "条件 1-9");

	/* the unit's clerk saves first */
	desk_tabs(a, 14); /* -> phone */
	sshclient_type(a, "0352-5021111");
	sshclient_type(a, CTRL_S);
	desk_see(a, "已保存：记录");

	/* the county's save over the version its form showed: refused */
	desk_tabs(b, 14);
	sshclient_type(b, "0352-5022222");
	sshclient_type(b, CTRL_S);
	desk_see(b, STALE);
	CHECK(shown_has("\"phone\":\"0352-5021111\""));
	sshclient_type(b, CTRL_R);
	desk_see(b, "已被他人改为“0352-5021111”");
	desk_see(b, "0352-5022222");
	sshclient_type(b, CTRL_S);
	desk_see(b, "已保存：记录");

	/* the checklist open in both: one records, the other is refused */
	sshclient_type(a, "r");
	desk_see(a, "0352-5022222");
	sshclient_type(a, "m");
	desk_see(a, "报送材料清单");
	sshclient_type(b, "m");
	desk_see(b, "报送材料清单");
	sshclient_type(a, " ");
	desk_see(a, "已登记");
	sshclient_type(b, " ");
	desk_see(b, STALE);
	desk_see(b, "按 r 重新载入");
	sshclient_type(b, "r");
	desk_see(b, "齐全");
	desk_hang_up(&dk, a);
	desk_hang_up(&dk, b);

	desk_db_text(&dk, "SELECT phone || '|' || version FROM nominee WHERE "
			  "id = 1",
		     got, sizeof(got));
	CHECK_STR(got, "0352-5022222|4");
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM log_entry WHERE "
				     "act = 2 AND subject = 'nominee:1'"),
		  3);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM nominee_material "
				     "WHERE nominee_id = 1"),
		  1);
	desk_stop(&dk);
}

static const struct test_case tests_tui_stale[] = {
	{"e2e__tui_stale_edit_form_keeps_what_was_typed",
	 test_e2e__tui_stale_edit_form_keeps_what_was_typed},
	{"e2e__tui_stale_signed_act_is_refused",
	 test_e2e__tui_stale_signed_act_is_refused},
	{"e2e__tui_stale_two_sessions_same_dossier",
	 test_e2e__tui_stale_two_sessions_same_dossier},
	{NULL, NULL},
};
TEST_REGISTER(tests_tui_stale)
