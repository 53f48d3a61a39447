/*
 * tui_act: the acts on pc_clerk's desk, typed as a clerk would: add
 * through the form, edit the title, the signed paper pledge, withdraw,
 * or hang up and log in again.
 *
 * Each act is prepared up to its last key (step.c sends that key at the
 * same moment as the CLI act starts, so the two race).  A session kill
 * on a form may be armed as the form opens, so it lands while the form
 * is typed and the UI keeps a draft on its SIGHUP; a session kill on a
 * login may be armed at the hang-up before it, while the session writes
 * its logout record.  Starts and ends on the nominee list.
 */
#include <signal.h>
#include <stdio.h>

#include "tests/soak/soak.h"

/* From the list to n's detail screen. */
static bool
tui_goto(const struct nom *n)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)n->id);
	sshclient_type(tui, "g");
	if (!tui_wait("被推荐人编号", T_SCREEN)) {
		return false;
	}
	sshclient_type(tui, num);
	sshclient_key(tui, SSHCLIENT_ENTER);
	return tui_wait(M_DETAIL, T_SCREEN) && tui_wait(n->name, T_SCREEN);
}

/* A login: hang up (the kill perhaps armed at it), then the floor its
 * record must come after. */
static const char *
prep_login(struct op *o)
{
	sqlite3 *db;

	if (K.want_at_hangup && tui) {
		killer_arm_at_hangup(o);
		kill(sshclient_pid(tui), SIGHUP);
		killer_wait();
		tui_close();
	} else {
		int64_t t0 = sshclient_now_ms();

		/* the hang-up's logout record is written once the session
		 * has ended, which tui_close waits for */
		tui_close();
		est_hangup_add(sshclient_now_ms() - t0);
	}
	/* the login's record comes after this floor */
	if ((db = db_open()) == NULL) {
		snprintf(o->why, sizeof(o->why), "no database");
		return NULL;
	}
	o->floor = q_int(db,
			 sqlite3_mprintf("SELECT max(seq) FROM log_entry"),
			 -1);
	sqlite3_close(db);
	return "login";
}

static const char *
prep_add(struct op *o, const struct nom *n)
{
	char date[9];

	snprintf(date, sizeof(date), "%.4s%.2s%.2s", n->birth, n->birth + 5,
		 n->birth + 8);
	sshclient_type(tui, "a");
	if (!tui_wait("姓名", T_SCREEN)) {
		return NULL;
	}
	killer_arm_mid_form(o);
	sshclient_type(tui, n->name);
	sshclient_key(tui, SSHCLIENT_ENTER);
	sshclient_type(tui, "1"); /* 男 */
	sshclient_key(tui, SSHCLIENT_ENTER);
	sshclient_type(tui, date);
	sshclient_key(tui, SSHCLIENT_ENTER);
	sshclient_type(tui, n->title);
	return tui_wait(n->title, T_SCREEN) ? "\r" : NULL;
}

static const char *
prep_edit(struct op *o, const struct nom *n)
{
	if (!tui_goto(n)) {
		return NULL;
	}
	sshclient_type(tui, "e");
	if (!tui_wait("条件 1-9", T_SCREEN)) {
		return NULL;
	}
	killer_arm_mid_form(o);
	desk_tabs(tui, 6); /* name gender birth id edu degree -> title */
	sshclient_type(tui, "\x15"); /* Ctrl-U */
	sshclient_type(tui, o->arg);
	return tui_wait(o->arg, T_SCREEN) ? "\x13" /* Ctrl-S */ : NULL;
}

/* The pledge or the withdrawal, through the detail screen's act menu. */
static const char *
prep_workflow(struct op *o, const struct nom *n)
{
	const char *label =
		o->kind == K_PLEDGE ? "登记纸质承诺书" : "撤回推荐";
	char key[2] = {0, 0};

	if (!tui_goto(n)) {
		return NULL;
	}
	sshclient_type(tui, "x");
	if (!tui_wait(M_MENU, T_SCREEN) || !tui_wait(label, T_SCREEN) ||
	    (key[0] = menu_digit(label)) == 0) {
		return NULL;
	}
	sshclient_type(tui, key);
	if (!tui_wait(o->kind == K_PLEDGE ? "操作：登记纸质承诺书"
					  : "理由（必填",
		      T_SCREEN)) {
		return NULL;
	}
	if (o->kind == K_WITHDRAW) {
		sshclient_type(tui, REASON_WITHDRAW);
		return tui_wait(REASON_WITHDRAW, T_SCREEN) ? "\x13" : NULL;
	}
	sshclient_type(tui, REASON_PLEDGE);
	sshclient_type(tui, "\x13");
	if (!tui_wait("签名口令", T_SCREEN)) {
		return NULL;
	}
	sshclient_type(tui, PASSPHRASE);
	sshclient_key(tui, SSHCLIENT_ENTER); /* -> the scope row */
	tui_wait("> 有效范围", 2000);
	return "\r"; /* "this act only", and sign */
}

const char *
tui_prepare(struct op *o)
{
	const struct nom *n = o->kind == K_LOGIN ? NULL : &noms[o->nom];
	const char *last = NULL;
	char what[64];

	switch (o->kind) {
	case K_LOGIN:
		last = prep_login(o);
		break;
	case K_ADD:
		last = prep_add(o, n);
		break;
	case K_EDIT:
		last = prep_edit(o, n);
		break;
	case K_PLEDGE:
	case K_WITHDRAW:
		last = prep_workflow(o, n);
		break;
	default:
		break;
	}
	if (!last && !o->why[0]) {
		snprintf(what, sizeof(what), "desk %s: a screen did not come",
			 kind_name[o->kind]);
		screen_why(o->why, sizeof(o->why), what);
	}
	return last;
}

const char *
tui_receipt_prefix(const struct op *o)
{
	switch (o->kind) {
	case K_PLEDGE:
		return "已完成：登记纸质承诺书。记录 #";
	case K_WITHDRAW:
		return "已完成：撤回推荐。记录 #";
	default:
		return M_SAVED;
	}
}
