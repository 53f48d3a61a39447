/*
 * scr_sign: the signing passphrase for an act that carries the user's
 * personal signature, and how long the unlocked key stays usable: for
 * this act only, or for this session (until logout or the idle logout,
 * which locks it).  A user without a key enrolls one here first: the
 * passphrase twice, then core_key_enroll() and the same unlock.
 *
 * Secrets: the passphrase is typed into ui->act.pass, sodium_malloc
 * memory tui_run allocates for the session (never into a
 * widget that copies it), shown as one '*' per character, handed to core
 * and wiped with sodium_memzero() on every way out: success, failure,
 * Esc, leaving the screen, the end of the process.  Help lists F1 and
 * Ctrl-G, not '?', since '?' may be part of a passphrase.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/ui.h"

void
sign_wipe(struct ui *ui)
{
	struct act_state *a = &ui->act;

	if (a->pass != NULL) {
		sodium_memzero(a->pass, 2 * PASS_SIZE);
	}
	a->pass_len[0] = a->pass_len[1] = 0;
	a->pass_chars[0] = a->pass_chars[1] = 0;
}

static void
sign_leave(struct ui *ui)
{
	sign_wipe(ui);
}

static int
n_pass(const struct ui *ui)
{
	return ui->act.enroll ? 2 : 1;
}

/* Equal passphrases, compared in time independent of where they differ
 * (the buffers are zero past their lengths). */
static int
same_pass(const struct act_state *a)
{
	unsigned char d = (unsigned char)(a->pass_len[0] != a->pass_len[1]);
	size_t i;

	for (i = 0; i < PASS_SIZE; i++) {
		d |= (unsigned char)(a->pass[0][i] ^ a->pass[1][i]);
	}
	return d == 0;
}

static int
fail(struct ui *ui, const char *msg)
{
	struct act_state *a = &ui->act;

	sign_wipe(ui);
	snprintf(a->err, sizeof(a->err), "%s", msg);
	a->focus = 0;
	return TUI_REDRAW;
}

static int
act_submit(struct ui *ui)
{
	struct act_state *a = &ui->act;
	int r;

	if (a->pass_len[0] == 0) {
		return fail(ui, _("type your signing passphrase"));
	}
	if (a->enroll) {
		if (!same_pass(a)) {
			return fail(ui, _("the two passphrases differ; type "
					  "them again"));
		}
		memset(&a->enroll_rc, 0, sizeof(a->enroll_rc));
		r = core_key_enroll(ui->c, ui->me->login, a->pass[0],
				    &a->enroll_rc);
		if (r != 0) {
			return fail(ui, core_errmsg(ui->c)[0]
						? core_errmsg(ui->c)
						: core_strerror(r));
		}
		a->enrolled = 1;
		a->enroll = 0;
	}
	r = core_key_unlock(ui->c, a->pass[0], a->for_session);
	sign_wipe(ui);
	if (r != 0) {
		return fail(ui, core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
						      : core_strerror(r));
	}
	a->lock_after = !a->for_session;
	a->err[0] = '\0';
	return a->sign_done ? a->sign_done(ui) : act_commit(ui);
}

static int
act_enter(struct ui *ui)
{
	struct act_state *a = &ui->act;

	if (a->focus == 2) {
		return act_submit(ui);
	}
	a->focus = a->focus + 1 < n_pass(ui) ? a->focus + 1 : 2;
	return TUI_REDRAW;
}

static int
act_next(struct ui *ui)
{
	struct act_state *a = &ui->act;

	a->focus = a->focus == 2 ? 0
				 : a->focus + 1 < n_pass(ui) ? a->focus + 1
							     : 2;
	return TUI_REDRAW;
}

static int
act_prev(struct ui *ui)
{
	struct act_state *a = &ui->act;

	a->focus = a->focus == 0 ? 2 : a->focus == 2 ? n_pass(ui) - 1 : 0;
	return TUI_REDRAW;
}

static int
act_cancel(struct ui *ui)
{
	sign_wipe(ui);
	ui->act.err[0] = '\0';
	ui_back(ui);
	return TUI_REDRAW;
}

static int
sign_key(struct ui *ui, const struct tui_key *k)
{
	struct act_state *a = &ui->act;

	if (a->focus == 2) {
		if ((k->vk == VK_CHAR && k->ch == ' ') || k->vk == VK_LEFT ||
		    k->vk == VK_RIGHT) {
			a->for_session = !a->for_session;
		} else if (k->vk == VK_CHAR && (k->ch == '1' || k->ch == '2')) {
			a->for_session = k->ch == '2';
		} else {
			return TUI_KEEP;
		}
		return TUI_REDRAW;
	}
	if (k->vk == VK_CHAR) {
		char enc[4];
		int m = utf8_encode(k->ch, enc);
		size_t *len = &a->pass_len[a->focus];

		if (utf8_cp_reject(k->ch) && k->ch != ' ') {
			snprintf(a->err, sizeof(a->err), "%s",
				 _("that character cannot be part of a "
				   "passphrase"));
		} else if (*len + (size_t)m + 1 > PASS_SIZE) {
			snprintf(a->err, sizeof(a->err), "%s",
				 _("the passphrase is too long"));
		} else {
			memcpy(a->pass[a->focus] + *len, enc, (size_t)m);
			*len += (size_t)m;
			a->pass_chars[a->focus]++;
			a->err[0] = '\0';
		}
		sodium_memzero(enc, sizeof(enc));
		return TUI_REDRAW;
	}
	if (k->vk == VK_BS) {
		size_t *len = &a->pass_len[a->focus];

		if (*len > 0) {
			/* back over one code point */
			do {
				(*len)--;
			} while (*len > 0 &&
				 ((unsigned char)a->pass[a->focus][*len] &
				  0xC0) == 0x80);
			sodium_memzero(a->pass[a->focus] + *len,
				       PASS_SIZE - *len);
			a->pass_chars[a->focus]--;
		}
		return TUI_REDRAW;
	}
	if (k->vk == VK_CTRL && k->ch == 'u') {
		sodium_memzero(a->pass[a->focus], PASS_SIZE);
		a->pass_len[a->focus] = a->pass_chars[a->focus] = 0;
		return TUI_REDRAW;
	}
	return TUI_KEEP;
}

static void
sign_draw(struct ui *ui)
{
	struct act_state *a = &ui->act;
	const char *labels[3] = {_("Signing passphrase"), _("Type it again"),
				 _("Valid for")};
	int y = ui_body_top(ui) + 1, lw = 0, i, fx;
	char line[CORE_NAME_SIZE + 600];

	for (i = 0; i < 3; i++) {
		int w = (int)text_width(labels[i]);

		lw = w > lw ? w : lw;
	}
	fx = 4 + lw + 2;
	snprintf(line, sizeof(line), _("Action: %s  (No. %lld %s)"),
		 a->item[a->chosen].label, (long long)a->id, a->who);
	text_put(stdscr, y++, 2, ui->cols - 4, line, A_BOLD);
	y++;
	if (a->enroll) {
		text_put(stdscr, y++, 2, ui->cols - 4,
			 _("You have no signing key yet. Choose a signing "
			   "passphrase to create one;"),
			 A_NORMAL);
		text_put(stdscr, y++, 2, ui->cols - 4,
			 _("it is never stored, and nobody can reset it for "
			   "you, so keep it safe."),
			 A_NORMAL);
	} else {
		text_put(stdscr, y++, 2, ui->cols - 4,
			 _("This act is signed with your personal key. Type "
			   "your signing passphrase."),
			 A_NORMAL);
	}
	y++;
	for (i = 0; i < n_pass(ui); i++, y += 2) {
		char stars[PASS_SIZE + 1];
		size_t n = a->pass_chars[i] < 40 ? a->pass_chars[i] : 40;

		memset(stars, '*', n);
		stars[n] = '\0';
		text_put(stdscr, y, 2, 1, a->focus == i ? ">" : " ", A_BOLD);
		text_put(stdscr, y, 4, lw, labels[i],
			 a->focus == i ? A_BOLD : A_NORMAL);
		text_draw(stdscr, y, fx, 42, stars,
			  A_UNDERLINE | (a->focus == i ? A_BOLD : A_NORMAL));
		if (a->focus == i) {
			ui->cursor_y = y;
			ui->cursor_x = fx + (int)n;
		}
	}
	text_put(stdscr, y, 2, 1, a->focus == 2 ? ">" : " ", A_BOLD);
	text_put(stdscr, y, 4, lw, labels[2],
		 a->focus == 2 ? A_BOLD : A_NORMAL);
	snprintf(line, sizeof(line), "%s %s    %s %s",
		 a->for_session ? "( )" : "(*)", _("1 this act only"),
		 a->for_session ? "(*)" : "( )", _("2 this session"));
	text_put(stdscr, y, fx, ui->cols - fx - 2, line,
		 a->focus == 2 ? A_BOLD : A_NORMAL);
	y += 2;
	if (a->err[0]) {
		snprintf(line, sizeof(line), "! %s", a->err);
		text_put(stdscr, y, 4, ui->cols - 6, line, ui_attr_error(ui));
	}
	text_put(stdscr, ui_body_bottom(ui), 2, ui->cols - 4,
		 _("Enter: next, and sign on the last row.  Tab: next row.  "
		   "Esc: back."),
		 A_NORMAL);
}

static const struct tui_binding sign_keys[] = {
	{VK_ENTER, 0, act_enter, "Enter",
	 N_("next row; on the last row, sign and take the action"),
	 N_("next/sign")},
	{VK_CTRL, 's', act_submit, "Ctrl-S, F2",
	 N_("sign and take the action from any row"), N_("sign")},
	{VK_F2, 0, act_submit, "F2", NULL, NULL},
	{VK_TAB, 0, act_next, "Tab, Down", N_("next row"), NULL},
	{VK_DOWN, 0, act_next, "Down", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab, Up", N_("previous row"), NULL},
	{VK_UP, 0, act_prev, "Up", NULL, NULL},
	{VK_CHAR, ' ', NULL, "Space, 1, 2",
	 N_("on the last row: this act only, or this session"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the last character"), NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the passphrase"), NULL},
	{VK_ESC, 0, act_cancel, "Esc", N_("back (nothing is signed)"),
	 N_("back")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_sign = {
	.title = N_("Sign"),
	.enter = NULL,
	.leave = sign_leave,
	.draw = sign_draw,
	.key = sign_key,
	.keys = sign_keys,
};
