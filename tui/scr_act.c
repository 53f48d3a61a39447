/*
 * scr_act: the actions the user may take on one nominee now.  The menu
 * is exactly what core_actions_available() offers, with core's labels:
 * the UI never decides what is allowed (core_act checks again anyway).
 *
 * The path of one act: this menu, then scr_confirm (the reason, required
 * or optional), then for an act that carries a personal signature
 * scr_sign (the signing passphrase, or enrolling a key first), then
 * act_commit(): core_act_seen(), and back to the nominee with the receipt
 * or core's refusal on the message line.
 *
 * The act is on the version the nominee screen showed (its seq, kept in
 * ui->act.seq from act_open to act_commit): if someone else changed the
 * nominee since, the menu is not offered, or core refuses the act
 * (CORE_ESTALE) and nothing is signed; the nominee screen then still
 * shows what the user acted on, r reloads it, and choosing the same
 * action again keeps the reason typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

#define REASON_MAX 4000 /* bytes and columns: core's limit for reasons */

static int
add_item(void *ctx, const char *action, const char *label, int needs_reason)
{
	struct act_state *a = ctx;
	struct act_item *it;

	if (a->menu.n >= ACT_MAX) {
		return 0;
	}
	it = &a->item[a->menu.n++];
	snprintf(it->action, sizeof(it->action), "%s", action);
	snprintf(it->label, sizeof(it->label), "%s", label);
	it->needs_reason = needs_reason;
	it->is_signed = core_action_signed(action) == 1;
	return 0;
}

int
act_open(struct ui *ui, int64_t id, uint64_t seen_seq)
{
	static struct core_dossier d; /* big; one screen at a time */
	struct act_state *a = &ui->act;
	int r;

	if ((r = core_nominee_get(ui->c, id, &d)) != 0) {
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	if (d.n.seq != seen_seq) {
		/* the menu would be about a version the screen does not show;
		 * core would refuse its acts anyway */
		char m[256];

		snprintf(m, sizeof(m),
			 _("nominee %lld was changed by someone else since "
			   "you opened it; reload and try again"),
			 (long long)id);
		ui_msg(ui, 1, "%s %s", m, ui_stale_hint(0));
		return TUI_REDRAW;
	}
	sign_wipe(ui);
	a->id = id;
	a->seq = seen_seq;
	snprintf(a->who, sizeof(a->who), "%s", d.n.name);
	snprintf(a->state, sizeof(a->state), "%s", d.n.state);
	memset(&a->menu, 0, sizeof(a->menu));
	a->chosen = -1;
	a->err[0] = '\0';
	if ((r = core_actions_available(ui->c, id, add_item, a)) != 0) {
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	if (a->menu.n == 0) {
		ui_msg(ui, 0,
		       _("No action is open to you on this nominee now (it "
			 "is %s)."),
		       core_state_label(d.n.state));
		return TUI_REDRAW;
	}
	ui_open(ui, &scr_act);
	return TUI_REDRAW;
}

int
act_commit(struct ui *ui)
{
	struct act_state *a = &ui->act;
	const struct act_item *it = &a->item[a->chosen];
	struct core_receipt rc;
	char reason[W_TEXT_SIZE], key[160] = "", m[512];
	int r;

	snprintf(reason, sizeof(reason), "%s", a->reason.buf);
	core_field_tidy("condition.0", reason, sizeof(reason)); /* NFC, trim */
	memset(&rc, 0, sizeof(rc));
	r = core_act_seen(ui->c, a->id, a->seq, it->action,
			  reason[0] ? reason : NULL, NULL, &rc);
	if (a->lock_after) {
		core_key_lock(ui->c);
		a->lock_after = 0;
	}
	if (a->enrolled) {
		/* the key was made on the way: say so whatever comes next */
		snprintf(key, sizeof(key),
			 _("Signing key created (entry #%llu). "),
			 (unsigned long long)a->enroll_rc.seq);
		a->enrolled = 0;
	}
	if (r == CORE_ESTALE) {
		/* back to the version the user acted on (not reloaded: they
		 * see what they signed nothing over), the reason kept */
		snprintf(m, sizeof(m), "%s",
			 core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
					       : core_strerror(r));
		snprintf(a->kept_action, sizeof(a->kept_action), "%s",
			 it->action);
		a->kept_id = a->id;
		ui_open(ui, &scr_detail); /* back to it, not reloaded */
		snprintf(reason, sizeof(reason), _("%s: %s"), it->label, m);
		ui_msg(ui, 1, "%s%s %s", key, reason,
		       a->reason.len
			       ? _("r reloads it; the same action keeps the "
				   "reason you typed.")
			       : ui_stale_hint(0));
		return TUI_REDRAW;
	}
	if (r != 0) {
		snprintf(m, sizeof(m), "%s",
			 core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
					       : core_strerror(r));
		if (strcmp(core_errfield(ui->c), "reason") == 0 ||
		    strcmp(core_errfield(ui->c), "justification") == 0) {
			/* something to fix in the reason: back to it */
			snprintf(a->err, sizeof(a->err), "%s", m);
			ui_open(ui, &scr_confirm);
			ui_msg(ui, 1, "%s%s", key, m);
			return TUI_REDRAW;
		}
		(void)detail_return(ui, a->id);
		snprintf(reason, sizeof(reason), _("%s: %s"), it->label, m);
		ui_msg(ui, 1, "%s%s", key, reason);
		return TUI_REDRAW;
	}
	(void)detail_return(ui, a->id);
	ui_msg(ui, 0, _("%sDone: %s. Entry #%llu, checkpoint %llu."), key,
	       it->label, (unsigned long long)rc.seq,
	       (unsigned long long)rc.tree_size);
	return TUI_REDRAW;
}

static int
choose(struct ui *ui, size_t i)
{
	struct act_state *a = &ui->act;

	if (i >= a->menu.n) {
		return TUI_KEEP;
	}
	a->chosen = (int)i;
	a->menu.pos.sel = i;
	a->err[0] = '\0';
	/* after a refusal as stale, the same act keeps its reason */
	if (a->kept_id != a->id ||
	    strcmp(a->kept_action, a->item[i].action) != 0) {
		w_text_init(&a->reason, REASON_MAX, REASON_MAX, 1);
	}
	a->kept_action[0] = '\0';
	a->kept_id = 0;
	ui_open(ui, &scr_confirm);
	return TUI_REDRAW;
}

static int
act_choose(struct ui *ui)
{
	return choose(ui, ui->act.menu.pos.sel);
}

static int
act_down(struct ui *ui)
{
	w_menu_move(&ui->act.menu, 1);
	return TUI_REDRAW;
}

static int
act_up(struct ui *ui)
{
	w_menu_move(&ui->act.menu, -1);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	return detail_return(ui, ui->act.id);
}

static int
menu_key(struct ui *ui, const struct tui_key *k)
{
	if (k->vk == VK_CHAR && k->ch >= '1' && k->ch <= '9') {
		return choose(ui, k->ch - '1');
	}
	return TUI_KEEP;
}

static void
menu_draw(struct ui *ui)
{
	struct act_state *a = &ui->act;
	const char *labels[ACT_MAX];
	char disp[ACT_MAX][256], head[CORE_NAME_SIZE + 128];
	int y = ui_body_top(ui) + 1;
	size_t i;

	snprintf(head, sizeof(head), _("No. %lld  %s  (%s)"),
		 (long long)a->id, a->who, core_state_label(a->state));
	text_put(stdscr, y, 2, ui->cols - 4, head, A_BOLD);
	y += 2;
	text_put(stdscr, y, 2, ui->cols - 4,
		 _("What you may do now (a digit or Enter chooses):"),
		 A_NORMAL);
	y += 2;
	for (i = 0; i < a->menu.n; i++) {
		const struct act_item *it = &a->item[i];

		snprintf(disp[i], sizeof(disp[i]), "%s%s%s", it->label,
			 it->is_signed ? _("  [personal signature]") : "",
			 it->needs_reason ? _("  [reason required]") : "");
		labels[i] = disp[i];
	}
	w_menu_draw(&a->menu, stdscr, y, 4, ui_body_bottom(ui) - y + 1,
		    ui->cols - 6, labels, 1);
}

static const struct tui_binding menu_keys[] = {
	{VK_ENTER, 0, act_choose, "Enter, 1-9", N_("take the selected action"),
	 N_("choose")},
	{VK_CHAR, '1', NULL, "1-9", NULL, NULL},
	{VK_DOWN, 0, act_down, "j, Down", N_("next action"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous action"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back to the nominee"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_act = {
	.title = N_("Actions"),
	.enter = NULL,
	.draw = menu_draw,
	.key = menu_key,
	.keys = menu_keys,
};
