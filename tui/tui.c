/*
 * tui: tui_run() and the main loop.  Reads a key, finds it in the current
 * screen's key table (or hands it to the screen), acts on the reaction
 * flags, and draws the frame around the screen's body: the title bar, the
 * message line and the key hints.
 * The screens it shows are on the stack of stack.c.
 *
 * Invariants: below 80x24 only the "too small" line is drawn and only
 * 'q' is accepted; a hang-up ends the loop without touching the tty; the
 * help screen is an overlay that its scroll keys move and any other key
 * dismisses.
 *
 * Leaving: after a hang-up, a stop signal or the idle logout, an open
 * form is kept as a draft (draft.c) and any unlocked signing key is
 * locked.  The idle logout (等保 "登录连接超时自动退出") comes after
 * NOMDESK_IDLE_S seconds (default 900) without a key, with a warning on
 * the message line a minute before (a quarter of the time when shorter).
 */
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/tui.h"
#include "tui/ui.h"

attr_t
ui_attr_title(const struct ui *ui)
{
	/* white on blue where there is colour; reverse video where not */
	return ui->colors ? (A_BOLD | COLOR_PAIR(1)) : A_REVERSE;
}

attr_t
ui_attr_error(const struct ui *ui)
{
	return ui->colors ? (A_BOLD | COLOR_PAIR(2)) : A_BOLD;
}

int
ui_body_top(const struct ui *ui)
{
	(void)ui;
	return 1;
}

int
ui_body_bottom(const struct ui *ui)
{
	return ui->rows - 3;
}

void
ui_msg(struct ui *ui, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_err = is_err;
}

int
ui_help(struct ui *ui)
{
	ui->help_for = ui->cur;
	ui->help_top = 0;
	return TUI_REDRAW;
}

void
ui_core_error(struct ui *ui, int err)
{
	const char *m = core_errmsg(ui->c);

	ui_msg(ui, 1, "%s", m[0] ? m : core_strerror(err));
}

int64_t
ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
ui_condition_text(struct ui *ui, int no)
{
	if (!ui->cond_loaded) {
		struct core_round *r = NULL;
		int en = ui->me && strcmp(ui->me->lang, "en") == 0;

		ui->cond_loaded = 1;
		if (core_round_get(ui->c, NULL, &r) == 0) {
			size_t i;

			for (i = 0; i < r->n_conditions; i++) {
				const struct core_round_condition *k =
					&r->conditions[i];
				const char *t = en && k->en && k->en[0]
							? k->en
							: k->zh;

				if (k->no >= 1 && k->no <= 9 && t) {
					text_sanitize(t, ui->cond_text[k->no],
						      sizeof(ui->cond_text[0]));
				}
			}
			core_round_free(r);
		}
	}
	return no >= 1 && no <= 9 ? ui->cond_text[no] : "";
}

static void
draw_title(struct ui *ui)
{
	const char *app = _("Datong academic and technical leaders selection");
	const char *where = ui->help_for ? _("Help") : _(ui->cur->title);
	char right[CORE_NAME_SIZE + 64];
	int rw;

	snprintf(right, sizeof(right), "%s | %s ", where,
		 ui->me ? ui->me->name : "");
	rw = (int)text_width(right);
	if (rw > ui->cols / 2) {
		rw = ui->cols / 2;
	}
	text_draw(stdscr, 0, 0, ui->cols, "", ui_attr_title(ui));
	text_put(stdscr, 0, 1, ui->cols - rw - 2, app, ui_attr_title(ui));
	text_put(stdscr, 0, ui->cols - rw, rw, right, ui_attr_title(ui));
}

/* The bottom line: "key label" pairs from the screen's table. */
static void
draw_hints(struct ui *ui, const struct tui_binding *b)
{
	int x = 1, y = ui->rows - 1;

	text_draw(stdscr, y, 0, ui->cols, "", A_NORMAL);
	for (; b && b->vk != VK_NONE; b++) {
		const char *label;
		int kw, lw;

		if (!b->hint) {
			continue;
		}
		label = _(b->hint);
		kw = (int)text_width(b->keys);
		lw = (int)text_width(label);
		if (x + kw + 1 + lw >= ui->cols) {
			break;
		}
		text_put(stdscr, y, x, kw, b->keys, A_REVERSE);
		text_put(stdscr, y, x + kw + 1, lw, label, A_NORMAL);
		x += kw + 1 + lw + 2;
	}
}

/* The message line; a message too long for it takes the row above as
 * well (the last body row), so a refusal is read in full. */
static void
draw_msg(struct ui *ui)
{
	attr_t a = ui->msg_err ? ui_attr_error(ui) : A_BOLD;
	char line[sizeof(ui->msg) + 8], clean[2 * sizeof(ui->msg) + 16];
	size_t len, end, next;
	int y = ui->rows - 2;

	if (ui->msg[0] && ui->msg_err) {
		snprintf(line, sizeof(line), "! %s", ui->msg);
	} else {
		snprintf(line, sizeof(line), "%s", ui->msg);
	}
	text_draw(stdscr, y, 0, ui->cols, "", A_NORMAL);
	if (!line[0]) {
		return;
	}
	text_sanitize(line, clean, sizeof(clean));
	len = strlen(clean);
	end = text_wrap_row(clean, len, 0, (size_t)ui->cols - 2, &next);
	if (end < len && y - 1 > ui_body_top(ui)) {
		char first[sizeof(clean)];

		memcpy(first, clean, end);
		first[end] = '\0';
		text_draw(stdscr, y - 1, 0, ui->cols, "", A_NORMAL);
		text_put(stdscr, y - 1, 1, ui->cols - 2, first, a);
		text_put(stdscr, y, 1, ui->cols - 2, clean + next, a);
		return;
	}
	text_put(stdscr, y, 1, ui->cols - 2, clean, a);
}

static void
draw_too_small(struct ui *ui)
{
	const char *msg = _("Terminal too small: need at least 80x24");

	werase(stdscr);
	/* keep the "80x24" part visible however narrow it gets */
	if ((int)text_width(msg) > ui->cols) {
		msg = "80x24";
	}
	text_put(stdscr, 0, 0, ui->cols, msg, A_BOLD);
}

static void
draw(struct ui *ui)
{
	ui->cursor_y = ui->cursor_x = -1;
	werase(stdscr);
	if (ui->too_small) {
		draw_too_small(ui);
	} else {
		draw_title(ui);
		if (ui->help_for) {
			scr_help.draw(ui);
		} else {
			ui->cur->draw(ui);
		}
		draw_msg(ui);
		draw_hints(ui, ui->help_for ? scr_help.keys : ui->cur->keys);
	}
	if (ui->cursor_ok) {
		curs_set(ui->cursor_y >= 0 ? 1 : 0);
	}
	if (ui->cursor_y >= 0) {
		wmove(stdscr, ui->cursor_y, ui->cursor_x);
	} else {
		wmove(stdscr, ui->rows - 1, 0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int
key_matches(const struct tui_binding *b, const struct tui_key *k)
{
	if (b->vk != k->vk) {
		return 0;
	}
	return (k->vk != VK_CHAR && k->vk != VK_CTRL) || b->ch == k->ch;
}

static int
dispatch(struct ui *ui, const struct tui_key *k)
{
	const struct tui_binding *b;

	for (b = ui->cur->keys; b && b->vk != VK_NONE; b++) {
		if (b->fn && key_matches(b, k)) {
			return b->fn(ui);
		}
	}
	return ui->cur->key ? ui->cur->key(ui, k) : TUI_KEEP;
}

/* Seconds of the idle warning before the logout. */
static int
warn_before_s(const struct ui *ui)
{
	return ui->idle_s / 4 < 60 ? ui->idle_s / 4 : 60;
}

/* How often a session that only reads re-checks its account: a minute,
 * or NOMDESK_ACCOUNT_CHECK_S seconds (1 to 60; tests). */
static int64_t
check_every_ms(void)
{
	const char *v = getenv("NOMDESK_ACCOUNT_CHECK_S");
	int n = v != NULL ? atoi(v) : 0;

	return (n >= 1 && n <= 60 ? n : 60) * (int64_t)1000;
}

static void
set_tick(struct ui *ui)
{
	int64_t end = ui->last_key_ms + (int64_t)ui->idle_s * 1000;

	ui->tick_at = ui->idle_warned ? end
				      : end - (int64_t)warn_before_s(ui) * 1000;
	if (ui->check_at > 0 && ui->check_at < ui->tick_at) {
		ui->tick_at = ui->check_at;
	}
	if (ui->tick_at <= 0) {
		ui->tick_at = 1;
	}
}

/* The account re-check: 0 while the account is as it was at login. */
static int
check_account(struct ui *ui)
{
	int r;

	ui->check_at = ui_now_ms() + check_every_ms();
	r = core_session_check(ui->c);
	if (r == CORE_EACCOUNT) {
		ui->account_changed = 1;
		return -1;
	}
	/* a read error is not a reason to end the session; and whatever
	 * screen saw an act refused for the account, the loop ends it
	 * (core_account_gone) */
	return 0;
}

/* The time set_tick() chose has come: warn, or log out. */
static int
on_tick(struct ui *ui)
{
	int64_t end = ui->last_key_ms + (int64_t)ui->idle_s * 1000;
	int64_t left = end - ui_now_ms();

	if (ui_now_ms() >= ui->check_at && check_account(ui) != 0) {
		return TUI_QUIT;
	}
	if (!ui->idle_warned &&
	    left > (int64_t)warn_before_s(ui) * 1000) {
		return TUI_KEEP; /* only the account check was due */
	}

	if (left <= 0) {
		ui->timed_out = 1;
		return TUI_QUIT;
	}
	ui->idle_warned = 1;
	ui_msg(ui, 1,
	       _("No input for a while: logging out in %d seconds (an open "
		 "form is kept as a draft). Press a key to stay."),
	       (int)((left + 999) / 1000));
	return TUI_REDRAW;
}

/* Keys of the help overlay: scroll it while it can, else leave it. */
static int
help_key(struct ui *ui, const struct tui_key *k)
{
	int page = ui_body_bottom(ui) - ui_body_top(ui) - 4;
	int down = k->vk == VK_DOWN || k->vk == VK_PGDN ||
		   (k->vk == VK_CHAR && (k->ch == 'j' || k->ch == ' '));
	int up = k->vk == VK_UP || k->vk == VK_PGUP ||
		 (k->vk == VK_CHAR && (k->ch == 'k' || k->ch == 'b'));
	int by = k->vk == VK_PGDN || k->vk == VK_PGUP ||
			 (k->vk == VK_CHAR && (k->ch == ' ' || k->ch == 'b'))
		 ? (page > 1 ? page : 1)
		 : 1;

	if (down && ui->help_more > 0) {
		ui->help_top += by < ui->help_more ? by : ui->help_more;
	} else if (up && ui->help_top > 0) {
		ui->help_top = ui->help_top > by ? ui->help_top - by : 0;
	} else {
		ui->help_for = NULL;
	}
	return TUI_REDRAW;
}

static int
loop(struct ui *ui)
{
	int flags = TUI_REDRAW;

	ui->last_key_ms = ui_now_ms();
	ui->check_at = ui->last_key_ms + check_every_ms();
	for (;;) {
		struct tui_key k;

		if (ui->account_changed || core_account_gone(ui->c)) {
			ui->account_changed = 1;
			return -1;
		}
		if (flags & TUI_QUIT) {
			return ui->timed_out || ui->account_changed ? -1 : 0;
		}
		if (flags & TUI_REDRAW) {
			draw(ui);
		}
		set_tick(ui);
		term_read_key(ui, &k);
		flags = TUI_KEEP;
		if (k.vk == VK_HUP) {
			return -1;
		}
		if (k.vk == VK_TICK) {
			flags = on_tick(ui);
			continue;
		}
		if (k.vk == VK_RESIZE) {
			term_layout(ui);
			flags = TUI_REDRAW;
			continue;
		}
		ui->last_key_ms = ui_now_ms();
		if (ui->idle_warned) {
			/* this key only says "I am here" */
			ui->idle_warned = 0;
			ui->msg[0] = '\0';
			flags = TUI_REDRAW;
			continue;
		}
		if (k.vk == VK_CTRL && k.ch == 'l') {
			clearok(curscr, TRUE);
			flags = TUI_REDRAW;
			continue;
		}
		if (ui->too_small) {
			if (k.vk == VK_CHAR && (k.ch == 'q' || k.ch == 'Q')) {
				flags = TUI_QUIT;
			}
			continue;
		}
		if (ui->help_for) {
			flags = help_key(ui, &k);
			continue;
		}
		ui->msg[0] = '\0';
		flags = dispatch(ui, &k) | TUI_REDRAW;
	}
}

static void
ui_release(struct ui *ui)
{
	size_t i, c;

	if (ui->cur && ui->cur->leave) {
		ui->cur->leave(ui); /* wipes a revealed ID, passphrases */
	}
	for (i = 0; i < ui->list.n_rows; i++) {
		for (c = 0; c < LIST_NCOLS; c++) {
			free(ui->list.rows[i].cell[c]);
		}
	}
	free(ui->list.rows);
	memset(&ui->list, 0, sizeof(ui->list));
	for (i = 0; i < ui->detail.n_hist; i++) {
		free(ui->detail.hist[i].reason);
	}
	free(ui->detail.hist);
	ui->detail.hist = NULL;
	ui->detail.n_hist = ui->detail.cap = 0;
	free(ui->resume.text);
	ui->resume.text = NULL;
	items_release(ui);
	trail_release(ui);
	panel_release(ui);
	info_release(ui);
}

/* NOMDESK_IDLE_S: whole seconds, 1 to a day; else the default. */
static int
idle_seconds(void)
{
	const char *v = getenv("NOMDESK_IDLE_S");
	char *end = NULL;
	long n;

	if (!v || !*v) {
		return 15 * 60;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1 || n > 86400) {
		return 15 * 60;
	}
	return (int)n;
}

int
tui_run(struct core *c, char *err, size_t errlen)
{
	static struct ui ui; /* one per process; big, so not on the stack */
	int r;

	memset(&ui, 0, sizeof(ui));
	ui.c = c;
	ui.me = core_actor(c);
	if (!ui.me) {
		snprintf(err, errlen, "no user to run the interface as");
		return -1;
	}
	if (term_locale(err, errlen) != 0) {
		return -1;
	}
	/* the passphrase buffer: guarded pages, locked out of swap */
	if (sodium_init() < 0 ||
	    (ui.act.pass = sodium_malloc(2 * PASS_SIZE)) == NULL) {
		snprintf(err, errlen, "cannot allocate secure memory");
		return -1;
	}
	sodium_memzero(ui.act.pass, 2 * PASS_SIZE);
	core_i18n_init(ui.me->lang);
	ui.idle_s = idle_seconds();
	if (term_open(&ui, err, errlen) != 0) {
		sodium_free(ui.act.pass);
		ui.act.pass = NULL;
		return -1;
	}
	if (!draft_offer(&ui)) {
		ui_home(&ui);
	}
	r = loop(&ui);
	if (r != 0 && !ui.account_changed) {
		/* hang-up, stop signal or idle logout: keep what was typed,
		 * and no key stays unlocked behind an unattended session.
		 * (A changed account may not write, not even a draft.) */
		draft_keep(&ui);
	}
	core_key_lock(c);
	term_close(&ui, ui.hung_up);
	ui_release(&ui);
	sodium_free(ui.act.pass); /* wipes it */
	ui.act.pass = NULL;
	if (r != 0) {
		if (ui.account_changed) {
			snprintf(err, errlen, "%s",
				 _("your account was changed by an "
				   "administrator (disabled, a new role or "
				   "unit, or a new password) since you logged "
				   "in; log in again"));
		} else if (ui.timed_out) {
			snprintf(err, errlen,
				 _("logged out after %d minutes without "
				   "input"),
				 (ui.idle_s + 59) / 60);
		} else if (ui.hung_up) {
			snprintf(err, errlen, "the terminal hung up");
		} else if (ui.stop_signal == SIGINT) {
			return 0; /* Ctrl-C: the user left */
		} else {
			snprintf(err, errlen, "stopped by signal %d",
				 ui.stop_signal);
		}
		return -1;
	}
	return 0;
}
