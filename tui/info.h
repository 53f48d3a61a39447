/*
 * info: the three read-only screens of the home menu (quota usage, the
 * round, counts), in scr_info.c.  Each is a document of lines built by
 * info_counts.c or info_round.c from core's answers and drawn, scrolled
 * as one column, by info_doc.c.
 *
 * Invariant: every string in a document was sanitized when it was added
 * (stored text and round-file text alike are untrusted), and is fitted
 * by columns again when drawn; a line never holds raw stored text.
 */
#ifndef NOMDESK_TUI_INFO_H
#define NOMDESK_TUI_INFO_H

#include <stddef.h>

#include "tui/ui.h"

enum info_kind {
	INFO_BLANK,
	INFO_TEXT, /* text, wrapped at the screen's width */
	INFO_KV,   /* label, then its value wrapped beside it */
	INFO_HEAD, /* a table's header */
	INFO_ROW,  /* one row of a table */
};

enum info_style {
	INFO_NORMAL,
	INFO_BOLD,
	INFO_SECTION, /* bold, underlined */
	INFO_ALERT,   /* error colour where there is colour, else bold;
	               * never the only sign: the text says it too */
};

/* Places the round screen's jump keys go to. */
enum info_anchor {
	INFO_ANCHOR_NONE,
	INFO_ANCHOR_CONDITIONS,
	INFO_ANCHOR_QUOTAS,
	INFO_ANCHOR_FINDINGS,
	INFO_ANCHOR_N,
};

struct info_line {
	enum info_kind kind;
	enum info_style style;
	enum info_anchor anchor;
	int indent;  /* columns right of the margin */
	int table;   /* HEAD, ROW */
	size_t row;  /* ROW: the row in that table */
	char *label; /* KV: sanitized, owned */
	char *text;  /* TEXT, KV: sanitized (LF kept), owned */
};

#define INFO_MAX_TABLES 8

struct info_table {
	const struct w_table_col *col; /* static */
	size_t n_cols;
	struct w_table t;
	char **cell;          /* n_rows * n_cols, sanitized, owned */
	unsigned char *alert; /* per row: drawn highlighted and marked '!' */
	size_t n_rows, cap;
	int indent;
};

struct info_doc {
	struct info_line *line;
	size_t n, cap;
	struct info_table table[INFO_MAX_TABLES];
	size_t n_tables;
	int top;                       /* first virtual row shown */
	int n_rows;                    /* virtual rows at the last draw */
	int anchor_row[INFO_ANCHOR_N]; /* virtual rows, -1: none */
};

/* The state of the info screens (ui->info). */
struct info_ui {
	struct info_doc doc; /* the screen shown */
	int mine_only;       /* quota: only the user's own holders */
	/* the user's unit and the units above it: the holders that are
	 * "theirs" (loaded with the first quota screen) */
	char chain[8][CORE_CODE_SIZE];
	size_t n_chain;
	int chain_loaded;
};

extern const struct tui_screen scr_info_quota, scr_info_round, scr_info_stats;

/* info_doc.c */
/* Frees every line and table; the scroll position stays. */
void info_doc_clear(struct info_doc *d);
void info_doc_blank(struct info_doc *d);
/* Untrusted text of one or more lines (LF kept), wrapped when drawn. */
void info_doc_text(struct info_doc *d, int indent, enum info_style st,
                   const char *s);
void info_doc_textf(struct info_doc *d, int indent, enum info_style st,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A blank line, then a section title; anchor marks it for a jump key. */
void info_doc_section(struct info_doc *d, const char *title,
                      enum info_anchor anchor);
/* label (translated by the caller) and an untrusted value. */
void info_doc_kv(struct info_doc *d, int indent, enum info_style st,
                 const char *label, const char *value);
/*
 * Starts a table of n_cols columns (col is static, titles N_()) with its
 * header line; returns its number for info_doc_row, or -1 when the
 * document has INFO_MAX_TABLES already.
 */
int info_doc_table(struct info_doc *d, const struct w_table_col *col,
                   size_t n_cols, int indent);
/* Adds a row of n_cols untrusted cells to table (alert: highlighted). */
void info_doc_row(struct info_doc *d, int table, const char *const *cells,
                  int alert);
/* Draws the body (rows ui_body_top .. ui_body_bottom), clamping d->top. */
void info_doc_draw(struct ui *ui, struct info_doc *d);
/* Rows of content on a page (the last body row shows "more"). */
int info_doc_page(const struct ui *ui);
/* Scrolls by delta rows (clamped); returns TUI_REDRAW. */
int info_doc_scroll(struct ui *ui, struct info_doc *d, int delta);
/* Scrolls to an anchor; TUI_REDRAW, or a message if there is none. */
int info_doc_jump(struct ui *ui, struct info_doc *d, enum info_anchor a);

/* info_counts.c: the quota usage and counts documents. */
void info_quota_build(struct ui *ui);
void info_stats_build(struct ui *ui);

/* info_round.c: the round document. */
void info_round_build(struct ui *ui);

/* True if the user's language is English (labels, round-file text). */
int info_lang_en(const struct ui *ui);

#endif
