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
#include "tui/w_table.h"

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
	void (*enter)(struct ui *ui); /* becoming current: load data */
	void (*draw)(struct ui *ui);  /* the body, rows 1 .. rows-3 */
	/* keys the table does not bind; NULL: ignore them */
	int (*key)(struct ui *ui, const struct tui_key *k);
	const struct tui_binding *keys; /* ends with vk == VK_NONE */
};

extern const struct tui_screen scr_home, scr_list, scr_form, scr_help;

#define LIST_NCOLS 7

struct list_row {
	int64_t id;
	char *cell[LIST_NCOLS]; /* sanitized, owned */
};

struct list_state {
	struct list_row *rows;
	size_t n_rows, cap;
	size_t sel, top;
	int64_t select_id; /* after the next load, select this id (0: none) */
	struct w_table table;
};

enum form_field { FORM_NAME, FORM_GENDER, FORM_BIRTH, FORM_TITLE, FORM_N };

struct form_state {
	struct w_line field[FORM_N];
	char err[FORM_N][256]; /* the message under each field */
	int cur;
	const struct tui_screen *back; /* where Esc returns */
};

struct ui {
	struct core *c;
	const struct core_user *me;
	SCREEN *scr;
	int rows, cols;
	int too_small;
	int colors;         /* has_colors(): decoration only */
	int cursor_ok;      /* curs_set() works */
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
	struct list_state list;
	struct form_state form;
};

/* tui.c */
void ui_switch(struct ui *ui, const struct tui_screen *s);
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
const char *ui_state_label(const char *state);
const char *ui_gender_label(const char *gender);

/* term.c: the only code that talks to the tty */
int term_locale(char *err, size_t errlen);
int term_open(struct ui *ui, char *err, size_t errlen);
void term_close(struct ui *ui, int hung_up);
void term_layout(struct ui *ui);
/* Blocks for the next key; VK_HUP when the terminal is gone. */
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
