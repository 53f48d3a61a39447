/*
 * items: the state of the screens behind a nominee's dated items and
 * materials checklist (scr_items.c, scr_item_add.c, scr_materials.c),
 * kept behind ui->items: allocated by the first items_open() or
 * materials_open(), freed by items_release().  Everything a row shows is
 * copied and sanitized when it is loaded, so drawing never sees stored
 * text raw.
 */
#ifndef NOMDESK_TUI_ITEMS_H
#define NOMDESK_TUI_ITEMS_H

#include <stddef.h>
#include <stdint.h>

#include "tui/ui.h"

extern const struct tui_screen scr_items, scr_item_add, scr_materials,
	scr_material_set;

/* One dated item as listed; strings sanitized. */
struct items_row {
	int kind;       /* index into items_kinds */
	char from[16];
	char to[16];    /* "" when ongoing or a single date */
	char *title;    /* one line; owned */
	char *detail;   /* LF kept (text_sanitize_ml); owned */
	int outside;    /* research/performance outside the report window */
	char flag[64];  /* the flag's cell text ("" when inside) */
};

enum item_field { IF_KIND, IF_FROM, IF_TO, IF_TITLE, IF_DETAIL, IF_N };

/* One line of the materials checklist. */
struct mat_row {
	char kind[32];   /* core's name of the material */
	char name[CORE_NAME_SIZE]; /* the round's words, sanitized */
	char note[CORE_TEXT_SIZE]; /* the round's note, sanitized */
	int needed;      /* copies asked for; -1 when not stated */
	int originals;   /* originals are to be sighted and returned */
	int copies;      /* copies recorded; -1 never recorded */
	int sighted;     /* originals sighted and returned (recorded) */
	char by[64];     /* who recorded it last (login, sanitized) */
	int64_t at_ms;   /* and when */
	uint64_t seq;    /* the log entry */
	char cell[5][96]; /* the table's cells */
};

#define MAT_MAX 16

struct items_ui {
	int64_t id;
	char name[CORE_NAME_SIZE]; /* the nominee's, raw (sanitized when drawn) */
	char state[32];
	uint32_t version;
	uint64_t seq; /* the version shown: what writes pass to core */
	/* 近5年: the round's report window, "" when the round has none */
	int window_years;
	char window_from[16], window_to[16];

	struct items_row *rows; /* by kind (work, research, performance) */
	size_t n_rows, cap;
	struct w_list pos;
	struct w_table table;
	int full;   /* Enter: the selected item alone */
	int ftop;   /* its first row shown */
	int n_full; /* its rows at the last draw */

	/* the add form (scr_item_add) */
	int kind;                 /* -1: not chosen yet */
	struct w_line from, to, title;
	struct w_text detail;
	char err[IF_N][256];
	int cur;                  /* enum item_field */
	int esc_armed;

	/* the checklist (scr_materials) and its form (scr_material_set) */
	struct mat_row mat[MAT_MAX];
	size_t n_mat;
	struct w_list mpos; /* the checklist shows whole: top stays 0 */
	struct w_table mtable;
	struct w_line copies;
	int set_sighted;
	int mcur;                 /* 0: copies, 1: originals */
	char merr[256];
};

/* The closed set of item kinds in core's words, NULL-terminated, and
 * their labels (translated). */
extern const char *const items_kinds[];
const char *items_kind_label(int kind);

/* scr_items.c: loads nominee id's items into ui->items (allocating it);
 * 0 or core's error (on the message line). */
int items_load(struct ui *ui, int64_t id);
/* Back to the nominee (or the list if it cannot be shown any more). */
int items_back(struct ui *ui);
/* Allocates ui->items on first use. */
struct items_ui *items_state(struct ui *ui);
/* scr_item_add.c: opens the add form for the loaded nominee. */
int item_add_open(struct ui *ui);

/*
 * core's message about field, with the field named by label when core
 * named it by its code ("date_from: ..."): into out.
 */
void items_field_msg(const char *msg, const char *field, const char *label,
		     char *out, size_t outsz);

/* item_pane.c: a column of rows of text, scrolled, for the details under
 * a table and the full views (the vd of scr_detail.c). */
struct item_pane {
	int y0, y1; /* body rows to draw on; y1 < y0 only counts */
	int top;    /* first virtual row shown */
	int vy;     /* next virtual row */
};
/* The screen row of the next virtual row, or -1 when it is not shown. */
int item_pane_row(struct item_pane *p);
/*
 * Untrusted text of several lines, wrapped into rows of cols at x; the
 * first row also carries label (lw columns at lx, may be NULL).
 */
void item_pane_text(struct item_pane *p, int lx, int lw, const char *label,
		    attr_t la, int x, int cols, const char *s, attr_t a);
/*
 * One row of t (laid out by w_table_layout) at (y, x) in avail columns,
 * each cell in its own attribute (attrs may be NULL); a selected row is
 * reverse video and marked '>' (never colour alone).
 */
void item_table_row(const struct w_table *t, int y, int x, int avail,
		    const char *const *cells, const attr_t *attrs,
		    int selected);

#endif
