/*
 * scr_panel_declare: an expert's declaration on one assignment: the
 * no-conflict declaration (回避承诺), which opens the dossier to them
 * and lets them score, or a conflict with its reason, which recuses them
 * from the nominee on this and every later panel.  The wording declared
 * is on the screen; core_panel_declare() records the act (bound to the
 * dossier's version and digest) and is the only judge of whether it may
 * be made.  A conflict is never sent without its reason: core would read
 * an empty one as the no-conflict declaration.
 *
 * The declaration is over the dossier's version the assignments listed
 * (core_panel_declare_seen): if someone else changed the nominee since,
 * core refuses it (CORE_ESTALE) and nothing is signed; Ctrl-R takes the
 * version listed now, keeping the choice and the reason typed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

#define CONFLICT_COLS 500 /* core's rule for the reason */

static const char *const choices[] = {
	N_("I have no conflict of interest with this nominee: sign the "
	   "declaration"),
	N_("I have a conflict of interest: recuse me (give the reason "
	   "below)"),
};

int
pn_declare_open(struct ui *ui, const struct pn_row *row)
{
	struct pn_declare *d = &pn_state(ui)->decl;

	memset(d, 0, sizeof(*d));
	d->id = row->id;
	d->panel_id = row->panel_id;
	d->seq = row->seq;
	/* the row's cells: sanitized already */
	snprintf(d->who, sizeof(d->who), "%s", row->cell[PN_M_NAME]);
	snprintf(d->unit, sizeof(d->unit), "%s", row->cell[PN_M_UNIT]);
	snprintf(d->panel, sizeof(d->panel), "%s", row->cell[PN_M_PANEL]);
	d->choice.n = 2;
	w_text_init(&d->reason, CORE_TEXT_SIZE - 1, CONFLICT_COLS, 1);
	ui_open(ui, &scr_pn_declare);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

/* The declaration itself, the key unlocked (directly, or by scr_sign on
 * the way, which then calls this). */
static int
declare_commit(struct ui *ui)
{
	struct pn_declare *d = &pn_state(ui)->decl;
	struct act_state *a = &ui->act;
	char reason[W_TEXT_SIZE], ref[32], key[160] = "";
	int conflict = d->choice.pos.sel == 1, r;
	struct core_receipt rc;

	snprintf(reason, sizeof(reason), "%s", d->reason.buf);
	core_field_tidy("condition.0", reason, sizeof(reason)); /* NFC, trim */
	snprintf(ref, sizeof(ref), "%" PRId64, d->panel_id);
	memset(&rc, 0, sizeof(rc));
	r = core_panel_declare_seen(ui->c, ref, d->id, d->seq,
				    conflict ? reason : NULL, &rc);
	if (a->lock_after) {
		core_key_lock(ui->c);
		a->lock_after = 0;
	}
	if (a->enrolled) {
		snprintf(key, sizeof(key),
			 _("Signing key created (entry #%llu). "),
			 (unsigned long long)a->enroll_rc.seq);
		a->enrolled = 0;
	}
	a->sign_done = NULL;
	if (r != 0) {
		snprintf(d->err, sizeof(d->err), "%s",
			 core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
					       : core_strerror(r));
		if (strcmp(core_errfield(ui->c), "conflict") == 0) {
			d->focus = 1;
		}
		ui_open(ui, &scr_pn_declare); /* back from scr_sign */
		ui_msg(ui, 1, "%s%s%s%s", key, d->err, r == CORE_ESTALE ? " " : "",
		       r == CORE_ESTALE ? ui_stale_hint(1) : "");
		return TUI_REDRAW;
	}
	ui_open(ui, &scr_pn_mine);
	if (conflict) {
		ui_msg(ui, 0,
		       _("%sConflict declared: you are recused from No. %lld. "
			 "Entry #%llu, checkpoint %llu."),
		       key, (long long)d->id, (unsigned long long)rc.seq,
		       (unsigned long long)rc.tree_size);
	} else {
		ui_msg(ui, 0,
		       _("%sDeclared: no conflict with No. %lld (entry #%llu, "
			 "checkpoint %llu). The dossier is open to you (v); "
			 "score next (s)."),
		       key, (long long)d->id, (unsigned long long)rc.seq,
		       (unsigned long long)rc.tree_size);
	}
	return TUI_REDRAW;
}

static int
act_submit(struct ui *ui)
{
	struct pn_declare *d = &pn_state(ui)->decl;
	struct act_state *a = &ui->act;
	char reason[W_TEXT_SIZE];
	int conflict = d->choice.pos.sel == 1, unlocked = 0, enrolled;

	snprintf(reason, sizeof(reason), "%s", d->reason.buf);
	core_field_tidy("condition.0", reason, sizeof(reason)); /* NFC, trim */
	if (conflict && !reason[0]) {
		snprintf(d->err, sizeof(d->err), "%s",
			 _("give the reason for the conflict"));
		d->focus = 1;
		return TUI_REDRAW;
	}
	d->err[0] = '\0';
	/* 回避承诺 is signed with the expert's own key, like a pledge */
	enrolled = core_key_enrolled(ui->c, &unlocked);
	if (enrolled < 0) {
		ui_core_error(ui, enrolled);
		return TUI_REDRAW;
	}
	if (enrolled && unlocked) {
		return declare_commit(ui); /* unlocked for this session */
	}
	sign_wipe(ui);
	memset(a->item, 0, sizeof(a->item));
	snprintf(a->item[0].label, sizeof(a->item[0].label), "%s",
		 conflict ? _("declare a conflict (回避)")
			  : _("no-conflict declaration (回避承诺)"));
	a->item[0].is_signed = 1;
	a->chosen = 0;
	a->id = d->id;
	snprintf(a->who, sizeof(a->who), "%s", d->who);
	a->err[0] = '\0';
	a->enroll = !enrolled;
	a->enrolled = 0;
	a->focus = 0;
	a->for_session = 0;
	a->lock_after = 0;
	a->sign_done = declare_commit;
	ui_open(ui, &scr_sign);
	return TUI_REDRAW;
}

/* Ctrl-R: the assignment as core lists it now; the choice and the reason
 * typed stay. */
static int
act_reload(struct ui *ui)
{
	static struct core_panel_assignment now; /* big; one at a time */
	struct pn_declare *d = &pn_state(ui)->decl;

	if (pn_assignment_get(ui, d->panel_id, d->id, &now) != 0) {
		return TUI_REDRAW; /* why, on the message line */
	}
	d->seq = now.seq;
	d->err[0] = '\0';
	ui_msg(ui, 0,
	       _("Reloaded: No. %lld is %s, dossier version %u; what you "
		 "typed is kept. Ctrl-S submits."),
	       (long long)d->id, core_state_label(now.state),
	       (unsigned)now.version);
	return TUI_REDRAW;
}

static int
act_focus(struct ui *ui)
{
	struct pn_declare *d = &pn_state(ui)->decl;

	d->focus = !d->focus;
	if (d->focus) {
		d->choice.pos.sel = 1; /* a reason is for a conflict */
	}
	return TUI_REDRAW;
}

static int
choice_key(struct ui *ui, const struct tui_key *k)
{
	struct pn_declare *d = &pn_state(ui)->decl;

	if (k->vk == VK_DOWN || (k->vk == VK_CHAR && k->ch == 'j')) {
		w_menu_move(&d->choice, 1);
	} else if (k->vk == VK_UP || (k->vk == VK_CHAR && k->ch == 'k')) {
		w_menu_move(&d->choice, -1);
	} else if (k->vk == VK_CHAR && (k->ch == '1' || k->ch == '2')) {
		d->choice.pos.sel = k->ch - '1';
		if (d->choice.pos.sel == 1) {
			d->focus = 1;
		}
	} else if (k->vk == VK_ENTER) {
		if (d->choice.pos.sel == 0) {
			return act_submit(ui);
		}
		d->focus = 1;
	} else if (k->vk == VK_CHAR && k->ch == 'q') {
		return act_back(ui);
	} else {
		return TUI_KEEP;
	}
	d->err[0] = '\0';
	return TUI_REDRAW;
}

static int
declare_key(struct ui *ui, const struct tui_key *k)
{
	struct pn_declare *d = &pn_state(ui)->decl;
	size_t n;

	if (d->focus == 0) {
		return choice_key(ui, k);
	}
	if (k->vk == VK_CHAR) {
		n = pn_typed(ui, k->ch, d->err, sizeof(d->err));
		if (n && w_text_insert(&d->reason, pn_state(ui)->paste, n,
				       d->err, sizeof(d->err)) == 0) {
			d->err[0] = '\0';
		}
		return TUI_REDRAW;
	}
	if (w_text_key(&d->reason, k)) {
		return TUI_REDRAW;
	}
	if (k->vk == VK_UP) {
		d->focus = 0; /* up from the first row: to the choice */
		return TUI_REDRAW;
	}
	return TUI_KEEP;
}

static void
declare_draw(struct ui *ui)
{
	struct pn_declare *d = &pn_state(ui)->decl;
	const char *labels[2] = {_(choices[0]), _(choices[1])};
	int y = ui_body_top(ui) + 1, bottom = ui_body_bottom(ui);
	int w = ui->cols - 4, rows, cy = -1, cx = -1;
	char line[CORE_NAME_SIZE * 3 + 64];

	snprintf(line, sizeof(line), _("No. %lld %s, %s; panel %s"),
		 (long long)d->id, d->who, d->unit, d->panel);
	text_put(stdscr, y++, 2, w, line, A_BOLD);
	y++;
	y += pn_put_wrapped(
		_("I declare that I have no conflict of interest with this "
		  "nominee: I am not a close relative of theirs, I do not work "
		  "for the same employer, and I have no other tie that could "
		  "keep me from judging fairly. I will keep the dossier and "
		  "the panel's deliberations confidential, and declare at "
		  "once any conflict I learn of."),
		y, 4, 5, ui->cols - 8, 0, A_NORMAL);
	y++;
	w_menu_draw(&d->choice, stdscr, y, 2, 2, w, labels, 1);
	y += 3;
	text_put(stdscr, y++, 2, w,
		 _("Reason for the conflict (choice 2; recorded, and heeded "
		   "on later panels):"),
		 d->focus ? A_BOLD : A_NORMAL);
	rows = bottom - y - 1;
	rows = rows > 4 ? 4 : rows < 1 ? 1 : rows;
	w_text_draw(&d->reason, stdscr, y, 4, rows, ui->cols - 8,
		    A_UNDERLINE | (d->focus ? A_BOLD : A_NORMAL), d->focus,
		    &cy, &cx);
	if (d->focus) {
		ui->cursor_y = cy;
		ui->cursor_x = cx;
	}
	y += rows;
	if (d->err[0] && y <= bottom) {
		snprintf(line, sizeof(line), "! %s", d->err);
		text_put(stdscr, y, 4, ui->cols - 6, line, ui_attr_error(ui));
	}
}

static const struct tui_binding declare_keys[] = {
	{VK_CTRL, 's', act_submit, "Ctrl-S, F2",
	 N_("sign and submit the choice"), N_("submit")},
	{VK_F2, 0, act_submit, "F2", NULL, NULL},
	{VK_CTRL, 'r', act_reload, "Ctrl-R",
	 N_("reload the assignment (what you typed is kept)"), NULL},
	{VK_CHAR, '1', NULL, "1, 2",
	 N_("choose: no conflict, or a conflict"), NULL},
	{VK_DOWN, 0, NULL, "j/k, arrows",
	 N_("move between the choices; in the reason, move in the text"),
	 NULL},
	{VK_ENTER, 0, NULL, "Enter",
	 N_("on choice 1: submit; on choice 2: to the reason; in the "
	    "reason: a new line"),
	 NULL},
	{VK_TAB, 0, act_focus, "Tab", N_("between the choice and the reason"),
	 N_("reason")},
	{VK_BTAB, 0, act_focus, "Shift-Tab", NULL, NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the reason"), NULL},
	{VK_ESC, 0, act_back, "Esc, q",
	 N_("back: nothing is declared (q only on the choice)"), N_("back")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_declare = {
	.title = N_("Declaration"),
	.enter = NULL,
	.draw = declare_draw,
	.key = declare_key,
	.keys = declare_keys,
};
