/*
 * ui: the state of one TUI process and the contract between the main loop
 * (tui.c), the terminal layer (term.c) and the screens (scr_*.c).
 *
 * A screen is a const table: how to enter it, how to draw it, and its key
 * map (htop's actions, tmux's command tables).  Actions return reaction
 * flags; only tui.c acts on them.  Screens draw with text.c and the
 * widgets, never with raw curses string calls.
 */
#ifndef NOMDESK_TUI_UI_H
#define NOMDESK_TUI_UI_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "tui/curses.h"
#include "tui/keys.h"
#include "tui/w_line.h"
#include "tui/w_list.h"
#include "tui/w_menu.h"
#include "tui/w_table.h"
#include "tui/w_text.h"

/* What an action asks of the main loop (htop's Htop_Reaction). */
enum {
	TUI_KEEP = 0,        /* nothing changed on screen */
	TUI_REDRAW = 1 << 0, /* draw the current screen again */
	TUI_QUIT = 1 << 1,   /* leave tui_run() with 0 */
};

/* The smallest terminal we lay out for. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

struct ui;

struct tui_binding {
	enum tui_vk vk;
	uint32_t ch; /* VK_CHAR: the character; VK_CTRL: the letter */
	/* NULL: listed for help, handled by the screen's key function */
	int (*fn)(struct ui *ui);
	const char *keys; /* how help names the key(s): "j, Down" */
	const char *help; /* N_(); NULL: an alias, not listed again */
	const char *hint; /* N_() short label for the bottom line, or NULL */
};

struct tui_screen {
	const char *title; /* N_() */
	/* becoming current, opened or come back to: load data */
	void (*enter)(struct ui *ui);
	void (*leave)(struct ui *ui); /* another screen becomes current */
	void (*draw)(struct ui *ui);  /* the body, rows 1 .. rows-3 */
	/* keys the table does not bind; NULL: ignore them */
	int (*key)(struct ui *ui, const struct tui_key *k);
	const struct tui_binding *keys; /* ends with vk == VK_NONE */
	/* a prompt or form that only leads on: the screen it opens takes
	 * its place, so back from there skips it (the number prompt gives
	 * way to the nominee, a saved form to what it made) */
	int transient;
};

/* Screens open at once, each over the one that opened it. */
#define UI_STACK_MAX 16

extern const struct tui_screen scr_home, scr_list, scr_form, scr_help,
	scr_detail, scr_edit, scr_pick, scr_act, scr_confirm, scr_sign,
	scr_goto, scr_resume;

#define LIST_NCOLS 7

struct list_row {
	int64_t id;
	char *cell[LIST_NCOLS]; /* sanitized, owned */
};

struct list_state {
	struct list_row *rows;
	size_t n_rows, cap;
	struct w_list pos;
	int64_t select_id; /* after the next load, select this id (0: none) */
	struct w_table table;
};

enum form_field { FORM_NAME, FORM_GENDER, FORM_BIRTH, FORM_TITLE, FORM_N };

struct form_state {
	struct w_line field[FORM_N];
	char err[FORM_N][256]; /* the message under each field */
	int cur;
};

/* One act in the detail screen's history, with its cells ready. */
struct detail_hist {
	char cell[5][96]; /* time, actor, act, decision, version */
	char *reason;     /* sanitized, LF kept; owned */
};

struct detail_state {
	int64_t id;
	struct core_dossier d;
	char holder_name[CORE_NAME_SIZE]; /* "" if none */
	char id_full[24];  /* the unmasked ID number once revealed, or "" */
	struct detail_hist *hist;
	size_t n_hist, cap;
	struct w_table table; /* history columns */
	int top;      /* first virtual row shown */
	int n_rows;   /* virtual rows at the last draw */
	int hist_row; /* virtual row where the history starts */
};

#define EDIT_MAX 32 /* scalar fields and the nine conditions */

struct edit_field {
	char name[24]; /* core's field name or "condition.N" */
	const char *const *choices; /* closed set (NULL-terminated) or NULL */
	int is_text;   /* evidence: several rows (text), else line */
	int locked;    /* the stored value cannot be edited here */
	struct w_line line;
	struct w_text text;
	char orig[CORE_TEXT_SIZE]; /* the stored value */
	char err[256];
	/* set by a reload (Ctrl-R): someone else changed the stored value
	 * under the form; shown under the field when err is empty */
	char note[256];
};

struct edit_state {
	int64_t id;
	uint32_t version; /* of the dossier the form was filled from */
	uint64_t seq;     /* its seq: what saving passes to core */
	char name[CORE_NAME_SIZE];
	char id_masked[24];
	size_t n;
	struct edit_field f[EDIT_MAX];
	int cur;
	int top;        /* first virtual row shown */
	int esc_armed;  /* Esc pressed once with changes */
	int box_y, box_x; /* where the current field's box was drawn */
	struct w_menu pick; /* the value picker (scr_pick) */
};

#define ACT_MAX 24
#define PASS_SIZE 256

struct act_item {
	char action[32];
	char label[160];
	int needs_reason;
	int is_signed;
};

struct act_state {
	int64_t id;
	uint64_t seq; /* the version the nominee screen showed (core_act_seen) */
	char who[CORE_NAME_SIZE]; /* the nominee's name */
	char state[32];
	/* refused as stale: choosing this action on this nominee again keeps
	 * the reason typed ("" and 0: nothing kept) */
	char kept_action[32];
	int64_t kept_id;
	struct act_item item[ACT_MAX];
	struct w_menu menu;
	int chosen;       /* index into item */
	struct w_text reason;
	char err[512];    /* on the confirm or sign screen */
	/* scr_sign: enroll (two passphrases) or unlock (one) */
	int enroll;
	int focus;        /* 0, 1: passphrase fields; 2: the scope choice */
	int for_session;  /* the scope chosen */
	/* in sodium_malloc memory (guarded, locked, not in a core dump;
	 * tui_run owns it), wiped after use */
	char (*pass)[PASS_SIZE];
	size_t pass_len[2];
	size_t pass_chars[2];
	int lock_after;   /* unlocked for this act only: lock once done */
	int enrolled;     /* a key was enrolled on the way */
	struct core_receipt enroll_rc;
	/* another screen's signed act (the expert's declaration): what to
	 * do once unlocked; NULL: the actions menu's */
	int (*sign_done)(struct ui *ui);
};

struct goto_state {
	struct w_line line;
	char err[512];
};

struct resume_state {
	char form[33]; /* "add" or "edit" */
	char *text;    /* the draft body; owned */
	char what[1024]; /* what the draft is, for the prompt */
};

struct ui {
	struct core *c;
	const struct core_user *me;
	SCREEN *scr;
	int rows, cols;
	int too_small;
	int colors;         /* has_colors(): decoration only */
	int cursor_ok;      /* curs_set() works */
	/* the open screens, bottom first; back pops the top (tui.c alone
	 * writes them and keeps cur == stack[depth - 1]) */
	const struct tui_screen *stack[UI_STACK_MAX];
	int depth;
	const struct tui_screen *cur;
	const struct tui_screen *help_for; /* the screen whose help shows */
	int cursor_y, cursor_x; /* where the screen wants the cursor; -1 */
	char msg[512];      /* the message line (untrusted parts sanitized) */
	int msg_err;
	struct tui_key pending; /* a key read ahead by a burst read */
	int has_pending;
	int hung_up;        /* the tty is gone: do not write to it */
	int stop_signal;    /* SIGTERM or SIGINT arrived (the number) */
	int home_sel;
	int help_top;       /* first help row shown */
	int help_more;      /* the help did not fit: rows left below */
	/* idle logout (等保): times are monotonic milliseconds */
	int idle_s;         /* NOMDESK_IDLE_S, default 900 */
	int64_t last_key_ms;
	int64_t tick_at;    /* term_read_key returns VK_TICK then; 0: never */
	int idle_warned;
	int timed_out;
	/* the account re-check (core_session_check), at least once a minute */
	int64_t check_at;
	int account_changed; /* the session ends: disabled or changed */
	int draft_exists;   /* a stored draft this session may replace */
	int cond_loaded;
	char cond_text[10][512]; /* the round's conditions 1-9, sanitized */
	struct list_state list;
	struct form_state form;
	struct detail_state detail;
	struct edit_state edit;
	struct act_state act;
	struct goto_state go;
	struct resume_state resume;
	/* Screens added since keep their state behind a pointer they own
	 * (allocated on first open, freed by their release hook). */
	struct items_ui *items;   /* scr_items.c: dated items, materials */
	struct trail_ui *trail;   /* scr_trail.c: the accountability trail */
	struct panel_ui *panel;   /* scr_panel.c: panels, declaring, scoring */
	struct info_ui *info;     /* scr_info.c: quotas, the round, stats */
};

/* tui.c */
/*
 * The screen stack.  Each call runs the current screen's leave when
 * another becomes current, then the new current screen's enter; screens
 * beneath keep their state until they come back.  Screens call these
 * from their key actions and *_open functions.
 */
/* A screen opens s: s goes on top (a transient current screen gives its
 * place to it); if s is already open, the screens above it close and s
 * comes back; if s is current, its enter runs again (a reload). */
void ui_open(struct ui *ui, const struct tui_screen *s);
/* The current screen closes; the one that opened it comes back.  The
 * bottom screen stays (it has nowhere to go back to). */
void ui_back(struct ui *ui);
/* The stack becomes path[0..n-1], bottom first; only path[n-1] is
 * entered now, the others when they come back (start, a draft resumed,
 * a nominee that can no longer be shown).  1 <= n <= UI_STACK_MAX. */
void ui_root(struct ui *ui, const struct tui_screen *const *path, int n);
/* ui_root() with the home screen alone. */
void ui_home(struct ui *ui);
/* The screen back would return to, or NULL at the bottom. */
const struct tui_screen *ui_opener(const struct ui *ui);
/* Shows core's last error (or err's phrase) on the message line. */
void ui_core_error(struct ui *ui, int err);
/* Monotonic milliseconds. */
int64_t ui_now_ms(void);
/* The round's text of condition no (1-9), sanitized; "" if unknown. */
const char *ui_condition_text(struct ui *ui, int no);
void ui_msg(struct ui *ui, int is_err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ui_help(struct ui *ui);
/* Colour-or-attribute for a role of text (monochrome first). */
attr_t ui_attr_title(const struct ui *ui);
attr_t ui_attr_error(const struct ui *ui);
/* First and last body rows. */
int ui_body_top(const struct ui *ui);
int ui_body_bottom(const struct ui *ui);

/* labels.c: translated names of stored codes; never NULL */
const char *ui_role_label(enum core_role role);
const char *ui_gender_label(const char *gender);
/* On opening a form: the message line warns that saving voids the
 * pledge, when an edit would (core_state_after_edit). */
void ui_warn_edit_voids_pledge(struct ui *ui, const char *state);
/* A history decision (0 none, 1 pass, 2 return, 3 reject, 4 veto). */
const char *ui_decision_label(int decision);
/* "2020-11-02 10:00" for ms since the epoch, in China time (+08:00). */
void ui_time_label(int64_t ms, char *out, size_t outsz);


/* scr_detail.c: loads nominee id and shows it; 0, or a core error
 * (CORE_ENOENT...) on the message line with the screen unchanged. */
int detail_open(struct ui *ui, int64_t id);
/* scr_detail.c: from a screen the nominee opened (actions, edit, items,
 * trail): back to nominee id, reloaded; if it can no longer be shown,
 * to the nominee list.  For key actions; returns TUI_REDRAW. */
int detail_return(struct ui *ui, int64_t id);
/* scr_list.c: the nominee list over the home screen, whatever was open
 * (a nominee that vanished); the list reloads. */
void list_show(struct ui *ui);
/* scr_edit.c: fills the edit form from nominee id; 0 or a core error
 * (on the message line). */
int edit_load(struct ui *ui, int64_t id);
/* scr_detail.c: what the message line adds when core refused a write as
 * stale (CORE_ESTALE): how to reload, on a screen that shows (form 0: r)
 * or in a form (1: Ctrl-R, what was typed is kept).  Static text. */
const char *ui_stale_hint(int form);
/* scr_edit.c: the picker chose value for the current field. */
void edit_choose(struct ui *ui, const char *value);
/* scr_act.c: builds the actions menu of nominee id as the nominee screen
 * showed it (seen_seq, its seq) and shows it, or says on the message line
 * that there is none, or that the nominee changed since (r reloads);
 * returns reaction flags. */
int act_open(struct ui *ui, int64_t id, uint64_t seen_seq);
/* scr_act.c: takes the chosen action (ui->act) now; back to the nominee
 * with the receipt, or core's refusal, on the message line. */
int act_commit(struct ui *ui);
/* scr_sign.c: wipes the passphrases typed. */
void sign_wipe(struct ui *ui);

/*
 * Screens reached from the home menu or a nominee.  Each *_open shows its
 * screen (or says on the message line why not) and returns reaction
 * flags; each *_release frees the screen's state at exit.
 */
/* scr_items.c: nominee id's dated work, research and performance items;
 * its materials checklist. */
int items_open(struct ui *ui, int64_t id);
int materials_open(struct ui *ui, int64_t id);
void items_release(struct ui *ui);
/* scr_trail.c: every act on nominee id, signers and signature status. */
int trail_open(struct ui *ui, int64_t id);
void trail_release(struct ui *ui);
/* scr_panel.c: the panels the user sits on or runs; the expert's
 * assignments, declarations and scores. */
int panel_open(struct ui *ui);
void panel_release(struct ui *ui);
/* scr_info.c: quota usage, the round, counts by unit/category/state. */
int info_open_quota(struct ui *ui);
int info_open_round(struct ui *ui);
int info_open_stats(struct ui *ui);
void info_release(struct ui *ui);

/* draft.c: drafts of the open form (core/draft.c keeps them) */
/* Which form is open: "add", "edit" or NULL. */
const char *draft_form_open(const struct ui *ui);
/* Keeps the open form, if anything was typed, as the user's draft.  Never
 * touches the terminal (called after a hang-up). */
void draft_keep(struct ui *ui);
/* The open form was saved or discarded: drops the stored draft. */
void draft_drop(struct ui *ui);
/* Around a form's save: the draft goes in the save's own transaction
 * (one act, not two), and stays when the save fails.  Call
 * draft_save_begin before the core write and draft_save_end with its
 * result after. */
void draft_save_begin(struct ui *ui);
void draft_save_end(struct ui *ui, int r);
/* At start: a stored draft is offered (scr_resume); 1 if there is one. */
int draft_offer(struct ui *ui);
/* scr_resume: brings the form of the draft back. */
int draft_resume(struct ui *ui);

/* A growing text buffer for draft bodies (term_fatal when out of memory). */
struct draft_buf {
	char *p;
	size_t len, cap;
};
/* Appends "key=value\n" with value escaped (see draft.c). */
void draft_put(struct draft_buf *b, const char *key, const char *value);
/* Calls cb for each key and unescaped value; stops at a non-zero return. */
int draft_parse(const char *text,
		int (*cb)(void *ctx, const char *key, const char *value),
		void *ctx);
/* Form parts of drafts: scr_form.c and scr_edit.c. */
int form_draft_changed(const struct ui *ui);
void form_draft_write(const struct ui *ui, struct draft_buf *b);
void form_draft_apply(struct ui *ui, const char *key, const char *value);
int edit_draft_changed(const struct ui *ui);
void edit_draft_write(const struct ui *ui, struct draft_buf *b);
void edit_draft_apply(struct ui *ui, const char *key, const char *value);

/* term.c: the only code that talks to the tty */
int term_locale(char *err, size_t errlen);
int term_open(struct ui *ui, char *err, size_t errlen);
void term_close(struct ui *ui, int hung_up);
void term_layout(struct ui *ui);
/*
 * Blocks for the next key; VK_HUP when the terminal is gone, VK_TICK when
 * ui->tick_at (monotonic ms, 0: never) has come.
 */
void term_read_key(struct ui *ui, struct tui_key *k);
/*
 * After a VK_CHAR: reads the characters typed or pasted with it that are
 * already waiting, up to max into cps; *total counts all of them.  The
 * first key that is not a character is kept in ui->pending.
 */
size_t term_read_burst(struct ui *ui, uint32_t *cps, size_t max,
		       size_t *total);
/* Logs nothing, restores the terminal, exits: out of memory and such. */
void term_fatal(const char *what) __attribute__((noreturn));

#endif
