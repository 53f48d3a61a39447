/*
 * Spreadsheets inside core/: the grid every reader produces (CSV through
 * libcsv, .xls through freexl, .xlsx through minizip and libxml2) and the
 * columns of domain.md 8 that the importer and the exporter share.  Private
 * to core/import*.c and core/export.c.
 */
#ifndef NOMDESK_IMPORT_INT_H
#define NOMDESK_IMPORT_INT_H

#include <stddef.h>

#include "core/core_int.h"

/* Limits: a file to import is a list of nominees, not a database. */
#define SHEET_MAX_FILE (64u << 20) /* bytes of a file, or of one zip entry */
#define SHEET_MAX_ROWS 100001      /* rows, the header included */
#define SHEET_MAX_COLS 64
#define SHEET_MAX_CELL 8192 /* bytes of one cell */

struct sheet_cell {
	char *text;    /* NUL-terminated copy; NULL for an empty cell */
	size_t len;    /* bytes before the first NUL of the source (a NUL inside
	                * a cell makes strlen(text) < len) */
	int is_number; /* a numeric spreadsheet cell (text is its rendering) */
	double num;
	int too_long; /* longer than SHEET_MAX_CELL (text cut) */
};

struct sheet_row {
	size_t line; /* CSV: the line the record starts on; else the row */
	size_t n_cells;
	struct sheet_cell *cells; /* index = column */
	int too_wide;             /* had a value beyond SHEET_MAX_COLS */
};

struct sheet {
	struct sheet_row *rows; /* non-blank rows, in file order */
	size_t n_rows, cap;
	int date1904; /* the workbook counts dates from 1904 */
	char format[8];
	char encoding[16];
	/* A failure of the file as a whole: the line and a message. */
	size_t err_line;
	char err[512];
};

/*
 * Readers: fill s (zeroed by the caller) or return -1 with s->err and
 * s->err_line (>= 1) set.  Blank rows are dropped.  Release with
 * sheet_release() in every case.
 */
int sheet_read_csv(struct sheet *s, const void *data, size_t len);
int sheet_read_xls(struct sheet *s, const char *path);
int sheet_read_xlsx(struct sheet *s, const char *path);
void sheet_release(struct sheet *s);

/* "A", "B", ... "Z", "AA" ... for a 0-based column. */
void sheet_col_name(size_t col, char out[8]);

/* One column of domain.md 8. */
struct sheet_column {
	const char *key;    /* dossier field, "unit", "conditions", "state" */
	const char *zh;     /* the header exports write */
	const char *zh_alt; /* another accepted Chinese header, or NULL */
	int required;       /* must be present (and set) in an import */
	int ignored;        /* written by exports, ignored by imports */
};

/* The columns in export order, terminated by a NULL key. */
const struct sheet_column *sheet_columns(void);

#endif
