/*
 * panel: the state of the expert panel screens, behind ui->panel
 * (allocated by panel_open on first use, freed by panel_release).
 *
 * Experts (scr_panel.c, scr_panel_declare.c, scr_score.c): their
 * assignments, the no-conflict declaration (回避承诺) or a declared
 * conflict, the score sheet with a written opinion.  Owners and readers
 * (scr_panel.c, scr_panel_view.c, scr_panel_new.c, scr_panel_assign.c):
 * the panels, one panel's configuration and results, creating a panel,
 * adding a member, assigning a nominee with each member's outcome, the
 * committee's ranked list.  Both: the submitted score sheets of a nominee
 * (scr_score_view.c).
 *
 * Nothing here decides who may do what: every list and every act is
 * core's answer, loaded again whenever a screen is entered, so no screen
 * shows what core would not show now (another expert's scores before
 * one's own are in, say).
 */
#ifndef NOMDESK_TUI_PANEL_H
#define NOMDESK_TUI_PANEL_H

#include <stddef.h>
#include <stdint.h>

#include "tui/ui.h"

#define PN_NCOLS 10

/* One row of a table: what it is about, and its cells (sanitized when
 * added, owned). */
struct pn_row {
	int64_t id;       /* nominee number (panel id in the panel list) */
	int64_t panel_id; /* the panel the row belongs to, or 0 */
	char code[16];    /* an assignment's status code, or "" */
	uint64_t seq;     /* an assignment's dossier as listed, or 0 */
	char *cell[PN_NCOLS];
};

/* The columns of an expert's assignments (scr_panel.c), which the
 * declaration and the score sheet take their headings from. */
enum { PN_M_ID, PN_M_NAME, PN_M_UNIT, PN_M_PANEL, PN_M_STATUS, PN_M_STATE,
       PN_M_NCOLS };

/* A table with a selection that scrolls (panel_table.c). */
struct pn_table {
	struct pn_row *rows;
	size_t n, cap;
	struct w_list pos;
	struct w_table t;
};

/* The declaration of one assignment (scr_panel_declare.c). */
struct pn_declare {
	int64_t id;
	int64_t panel_id;
	char who[CORE_NAME_SIZE];  /* the nominee's name, as stored */
	char unit[CORE_NAME_SIZE];
	char panel[CORE_NAME_SIZE];
	struct w_menu choice;      /* 0: no conflict, 1: a conflict */
	int focus;                 /* 0: the choice, 1: the reason */
	struct w_text reason;
	char err[512];
	uint64_t seq;              /* the dossier as listed: what core gets */
};

/* One score sheet being filled in (scr_score.c). */
struct pn_score {
	int64_t id;
	char who[CORE_NAME_SIZE];
	char unit[CORE_NAME_SIZE];
	struct core_panel p;
	struct w_line f[CORE_PANEL_MAX_CRITERIA];
	char err[CORE_PANEL_MAX_CRITERIA + 1][512]; /* last: the opinion */
	struct w_text opinion;
	int cur;   /* field: 0 .. n_criteria-1, n_criteria is the opinion */
	int top;   /* first virtual row shown */
	int armed; /* Ctrl-S or Esc pressed once: the next confirms */
	uint64_t seq; /* the dossier as listed: what core gets */
};

/* The submitted sheets of one nominee on one panel (scr_score_view.c). */
struct pn_sheet {
	char head[CORE_NAME_SIZE * 2];  /* "name (login)", sanitized */
	char when[32];
	int total_x10;
	int score_x10[CORE_PANEL_MAX_CRITERIA];
	size_t n_scores;
	char *opinion; /* sanitized, LF kept; owned */
};

struct pn_sheets {
	int64_t id;
	char who[CORE_NAME_SIZE];
	struct core_panel p;
	struct pn_sheet *s;
	size_t n, cap;
	int top, n_rows;
};

/* The new panel form (scr_panel_new.c). */
enum pn_new_field { PN_NAME, PN_LEVEL, PN_RULE, PN_CRITERIA, PN_THRESHOLD,
		    PN_QUORUM, PN_NEW_N };

struct pn_new {
	struct w_line f[PN_NEW_N]; /* PN_LEVEL, PN_RULE: unused */
	char err[PN_NEW_N][512];
	int level; /* enum core_panel_level */
	int rule;  /* enum core_panel_rule */
	int cur;
};

struct panel_ui {
	/* the panel being looked at (view, members, assignment) */
	struct core_panel cur;
	char cur_ref[32]; /* its id as core takes it */
	struct pn_table mine;    /* an expert's assignments */
	struct pn_table panels;  /* the panels core lets the user see */
	struct pn_table results; /* the current panel's results */
	struct pn_table pick;    /* nominees the current panel may take */
	struct pn_table outcome; /* members' outcomes of an assignment */
	struct pn_table ranked;  /* the committee's ranked list */
	char outcome_head[CORE_NAME_SIZE * 2];
	char ranked_foot[256];
	struct pn_declare decl;
	struct pn_score score;
	struct pn_sheets sheets;
	struct pn_new form;
	struct w_line member;    /* the expert's login to add */
	char member_err[512];
	int64_t select_id;       /* the panel list selects it once */
	uint32_t paste[W_TEXT_SIZE]; /* keys typed or pasted at once */
};

extern const struct tui_screen scr_pn_mine, scr_pn_list, scr_pn_view,
	scr_pn_new, scr_pn_member, scr_pn_pick, scr_pn_outcome,
	scr_pn_declare, scr_pn_score, scr_pn_sheets, scr_pn_ranked;

/* ---- panel_table.c ---- */

/* Empties t (its rows' cells freed), keeps the selection's index. */
void pn_table_clear(struct pn_table *t);
void pn_table_free(struct pn_table *t);
/* Adds a row of n cells (sanitized and copied); the row, borrowed until
 * the next add.  Ends the session when out of memory. */
struct pn_row *pn_table_add(struct pn_table *t, int64_t id,
			    const char *const *cells, size_t n);
/* The selected row, or NULL when the table is empty. */
struct pn_row *pn_table_sel(struct pn_table *t);
/* Selects the row about id (and panel_id, unless 0), if there is one. */
void pn_table_select(struct pn_table *t, int64_t id, int64_t panel_id);
/* Moves the selection by delta rows, clamped, and keeps it within page
 * rows of view; reaction flags. */
int pn_table_move(struct pn_table *t, long delta, int page);
/* Draws header and rows on screen rows y0..y1 across the screen; empty:
 * the header and the line none (translated by the caller). */
void pn_table_draw(struct ui *ui, struct pn_table *t,
		   const struct w_table_col *cols, size_t n_cols, int y0,
		   int y1, const char *none);

/* What an expert who declared a conflict is told on trying to go on. */
const char *pn_recused_msg(void);
/* Translated names of what core stores. */
const char *pn_status_label(const char *status);
const char *pn_level_label(enum core_panel_level l);
const char *pn_rule_label(enum core_panel_rule r);
const char *pn_outcome_label(enum core_panel_outcome o);
/* A recusal reason as core records it ("own unit X"...), in words. */
void pn_reason_label(const char *reason, char *out, size_t outsz);
/* "40.0" for tenths; "82.50" for hundredths. */
void pn_x10(int x10, char *out, size_t outsz);
void pn_x100(int64_t x100, char *out, size_t outsz);
/* The criteria "学术水平 40.0, 创新能力 30.0" of p. */
void pn_sheet_label(const struct core_panel *p, char *out, size_t outsz);

/*
 * A character was typed: it and whatever was pasted with it go into
 * pn->paste; returns how many, or 0 with a message in why when the paste
 * was longer than any field takes (nothing is to be inserted).
 */
size_t pn_typed(struct ui *ui, uint32_t first, char *why, size_t whylen);
/* The state, allocated on first use (ends the session out of memory). */
struct panel_ui *pn_state(struct ui *ui);
/* Draws a screen's intro (untrusted parts allowed) wrapped in two rows
 * at most under the title; returns the row after it and a blank one. */
int pn_intro(struct ui *ui, const char *s);
/* Draws text of several lines (untrusted) wrapped at (y, x) in at most
 * rows rows of cols; returns the rows it needs in all (>= 1), drawing
 * only those from skip on. */
int pn_put_wrapped(const char *s, int y, int x, int rows, int cols,
		   int skip, attr_t a);

/* ---- entries between the screens ---- */

/*
 * Two kinds: the *_open functions that key tables call return reaction
 * flags (TUI_REDRAW), whatever happened; pn_cur_load, pn_view_open and
 * pn_sheets_open return 0 or a core error (shown on the message line),
 * never to be handed to the main loop as flags.
 */

/* scr_panel.c: back to the expert's assignments or the panel list. */
int pn_home(struct ui *ui);
/* scr_panel_view.c: loads panel_id as the current panel (core_panel_get);
 * 0, or a core error. */
int pn_cur_load(struct ui *ui, int64_t panel_id);
/* scr_panel_view.c: shows panel_id; 0 or a core error. */
int pn_view_open(struct ui *ui, int64_t panel_id);
/*
 * scr_panel.c: the acting expert's assignment of nominee id on panel_id
 * as core lists it now (the dossier's seq, state), for a declaration or
 * score sheet refused as stale (Ctrl-R); 0, or a core error (on the
 * message line; CORE_ENOENT when it is no longer listed).
 */
int pn_assignment_get(struct ui *ui, int64_t panel_id, int64_t id,
		      struct core_panel_assignment *out);
/* scr_panel_declare.c / scr_score.c: the expert's acts on a row of
 * their assignments (flags).  Each acts on the dossier's version the row
 * listed (pn_row.seq): if someone else changed it since, core refuses
 * (CORE_ESTALE) and Ctrl-R takes the version listed now, keeping what was
 * typed. */
int pn_declare_open(struct ui *ui, const struct pn_row *row);
int pn_score_open(struct ui *ui, const struct pn_row *row);
/* scr_score_view.c: the sheets of nominee id on panel_id, read from core
 * now; Esc returns to the screen that opened them.  0 or a core error
 * (the screen is then not shown). */
int pn_sheets_open(struct ui *ui, int64_t panel_id, int64_t id,
		   const char *who);
/* scr_panel_new.c / scr_panel_assign.c: a new panel; a member for, or a
 * nominee assigned to, the current panel.  Each returns to the screen
 * that opened it (flags). */
int pn_new_open(struct ui *ui);
int pn_member_open(struct ui *ui);
int pn_pick_open(struct ui *ui);
/* scr_panel_view.c: the committee's ranked list (flags). */
int pn_ranked_open(struct ui *ui);

#endif
