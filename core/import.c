/*
 * Importing nominees from a spreadsheet (domain.md 8): the header row maps
 * Chinese or English headers, in any order, to dossier fields; each row's
 * values are brought to their stored form (dates, gender, ID numbers,
 * units, conditions...) and then checked by the dossier's own rules
 * (core_nominee_check_field, the same the TUI's form uses) and the same
 * authorization as core_nominee_add (authz_nominate).
 *
 * All rows or none: the whole file is checked inside one write
 * transaction; any problem rolls it back and every problem is reported
 * with its line and column.  Otherwise each row becomes a nominee through
 * nominee_create(), each with its own "nominee created" entry, and one
 * commit signs the checkpoint that covers them all.
 *
 * Condition numbers ("1、4") become condition rows with empty evidence:
 * core_nominee_check_field() accepts an empty evidence text for
 * "condition.N", and eligibility counts the claim as made ("no evidence
 * recorded"); the evidence is added later with `nominee edit`.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/import_int.h"
#include "core/utf8.h"

#define MAX_ERRORS 100000
#define NOCOL ((size_t)-1)
#define MAX_VALS 32
#define VALUE_SIZE 4096

static const struct sheet_column columns[] = {
    {"name", "姓名", NULL, 1, 0},
    {"gender", "性别", NULL, 1, 0},
    {"birth_date", "出生日期", "出生年月", 1, 0},
    {"id_number", "身份证号", "身份证号码", 0, 0},
    {"unit", "工作单位", NULL, 1, 0},
    {"title", "专业技术职务", NULL, 1, 0},
    {"title_level", "职称级别", NULL, 1, 0},
    {"title_date", "聘任时间", NULL, 0, 0},
    {"education", "学历", NULL, 0, 0},
    {"degree", "学位", NULL, 0, 0},
    {"system", "所属系统", NULL, 0, 0},
    {"quota_category", "名额类别", NULL, 0, 0},
    {"channel", "推荐方式", NULL, 0, 0},
    {"conditions", "符合条件", NULL, 0, 0},
    {"prior_leader", "已入选带头人", NULL, 0, 0},
    {"specialty", "专业或研究方向", NULL, 0, 0},
    {"phone", "联系电话", NULL, 0, 0},
    /* Exports add the state; an import ignores it (a new nominee is
     * always a draft). */
    {"state", "状态", NULL, 0, 1},
    {NULL, NULL, NULL, 0, 0},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]) - 1)

const struct sheet_column *
sheet_columns(void)
{
	return columns;
}

/* One row ready to become a nominee. */
struct prow {
	size_t line;
	char unit[CORE_CODE_SIZE];
	struct core_field_value vals[MAX_VALS];
	char *owned[MAX_VALS];
	size_t n_vals;
};

/* ID numbers seen in the file: open addressing, the line of the first. */
struct idset {
	char (*id)[20];
	size_t *line;
	size_t cap;
};

struct imp {
	struct core *c;
	struct core_import_report *out;
	size_t cap_errors;
	int oom;
	int denied; /* an authorization refusal among the errors */
	struct core_round *round; /* for category names; NULL until needed */
	int round_tried;
	int64_t round_id;
	int date1904;
	int colmap[SHEET_MAX_COLS]; /* index into columns[], or -1 */
	char header[SHEET_MAX_COLS][64];
	int headerless_reported[SHEET_MAX_COLS];
	size_t n_header;
	size_t header_line;
	struct prow *rows;
	size_t n_rows;
	struct idset ids;
	char unit_in[CORE_NAME_SIZE], unit_code[CORE_CODE_SIZE];
	int unit_ok;
};

/* Copies s into d (n bytes), cut at n - 1 bytes if longer. */
static void
scopy(char *d, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n) {
		len = n - 1;
	}
	memcpy(d, s, len);
	d[len] = '\0';
}

static void add_error(struct imp *im, size_t line, size_t col,
                      const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
add_error(struct imp *im, size_t line, size_t col, const char *field,
          const char *fmt, ...)
{
	struct core_import_report *o = im->out;
	struct core_import_error *e;
	char msg[1024];
	va_list ap;

	if (o->n_errors >= MAX_ERRORS) {
		o->n_errors_dropped++;
		return;
	}
	if (o->n_errors == im->cap_errors) {
		size_t cap = im->cap_errors ? im->cap_errors * 2 : 16;
		struct core_import_error *p =
		    realloc(o->errors, cap * sizeof(*p));

		if (!p) {
			im->oom = 1;
			o->n_errors_dropped++;
			return;
		}
		o->errors = p;
		im->cap_errors = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e = &o->errors[o->n_errors];
	memset(e, 0, sizeof(*e));
	e->line = line ? line : 1;
	if (col != NOCOL) {
		sheet_col_name(col, e->column);
		if (col < SHEET_MAX_COLS) {
			snprintf(e->header, sizeof(e->header), "%s",
			         im->header[col]);
		}
	}
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	if (!(e->message = strdup(msg))) {
		im->oom = 1;
		o->n_errors_dropped++;
		return;
	}
	o->n_errors++;
}

/* The last core error, as an import error. */
static void
add_core_error(struct imp *im, size_t line, size_t col, const char *field)
{
	const char *m = core_errmsg(im->c);

	add_error(im, line, col, field, "%s", *m ? m : _("is not valid"));
}

static const char *
label(const char *key)
{
	if (!*key) {
		return _("Column header");
	}
	if (strcmp(key, "unit") == 0) {
		return _("Unit");
	}
	if (strcmp(key, "conditions") == 0) {
		return _("Conditions");
	}
	return core_field_label(key);
}

/* ---- ID numbers seen ---- */

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	}
	return h;
}

/* 0 if new (recorded), else the line it was first seen on. */
static size_t
idset_add(struct imp *im, const char *id, size_t line)
{
	struct idset *s = &im->ids;
	size_t i;

	if (!s->cap) {
		s->cap = 1;
		while (s->cap < im->n_rows * 2 + 16) {
			s->cap *= 2;
		}
		s->id = calloc(s->cap, sizeof(*s->id));
		s->line = calloc(s->cap, sizeof(*s->line));
		if (!s->id || !s->line) {
			im->oom = 1;
			return 0;
		}
	}
	for (i = fnv1a(id) & (s->cap - 1); s->line[i];
	     i = (i + 1) & (s->cap - 1)) {
		if (strcmp(s->id[i], id) == 0) {
			return s->line[i];
		}
	}
	scopy(s->id[i], sizeof(s->id[i]), id);
	s->line[i] = line;
	return 0;
}

/* ---- values ---- */

static void
trim(char *s)
{
	size_t n = strlen(s), a = 0;

	for (;;) {
		if (n - a >= 1 && strchr(" \t\r\n", s[a]) && s[a]) {
			a++;
		} else if (n - a >= 3 && memcmp(s + a, "\xE3\x80\x80", 3) == 0) {
			a += 3; /* U+3000 ideographic space */
		} else {
			break;
		}
	}
	for (;;) {
		if (n > a && strchr(" \t\r\n", s[n - 1])) {
			n--;
		} else if (n >= a + 3 &&
		         memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) {
			n -= 3;
		} else {
			break;
		}
	}
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
}

/* The cell's text, normalized (NFC...) and trimmed; an export's
 * formula guard (a leading ' before = + - @) taken off again.
 * 0, or -1 with the error added. */
static int
cell_text(struct imp *im, size_t line, size_t col, const char *key,
          const struct sheet_cell *cell, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!cell || !cell->text) {
		return 0;
	}
	if (cell->too_long) {
		add_error(im, line, col, key, _("%s: longer than %d bytes"),
		          label(key), SHEET_MAX_CELL);
		return -1;
	}
	if (strlen(cell->text) != cell->len) {
		add_error(im, line, col, key, _("%s: contains a NUL character"),
		          label(key));
		return -1;
	}
	if (utf8_normalize(cell->text, out, outsz) != 0) {
		add_error(im, line, col, key,
		          _("%s: is not valid UTF-8 text or is too long"),
		          label(key));
		out[0] = '\0';
		return -1;
	}
	trim(out);
	if (out[0] == '\'' && out[1] && strchr("=+-@\t\r", out[1])) {
		memmove(out, out + 1, strlen(out));
	}
	return 0;
}

static int
fold(char *s, size_t sz)
{
	char tmp[VALUE_SIZE];

	if (utf8_fold_width(s, tmp, sizeof(tmp)) != 0) {
		return -1;
	}
	scopy(s, sz, tmp);
	return 0;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A date column's value; 0 (out set, maybe "") or -1 (error added). */
static int
conv_date(struct imp *im, size_t line, size_t col, const char *key,
          const struct sheet_cell *cell, char *v, size_t vsz)
{
	char text[64];

	if (!*v) {
		return 0;
	}
	if (cell->is_number) {
		double n = cell->num;
		long long days = (long long)floor(n);
		int y, m, d;

		if (n >= 19000101 && n <= 22001231 && n == floor(n)) {
			snprintf(text, sizeof(text), "%.0f", n);
			if (core_date_parse(text, v, vsz) == 0) {
				return 0;
			}
		} else if (n >= 1 && n < 2200) {
			add_error(im, line, col, key,
			          _("%s: the spreadsheet holds the number %s, "
			            "not a date (a year.month typed as a "
			            "number loses its trailing zero): format "
			            "the column as text or as a date"),
			          label(key), cell->text);
			return -1;
		} else if (n >= 2200 && n < 2958466 &&
		           !(days == 60 && !im->date1904)) {
			/* An Excel serial: days from 1899-12-30 (the 1900
			 * system, after its phantom 1900-02-29) or from
			 * 1904-01-01. */
			if (im->date1904) {
				days += -24107;
			} else {
				days += -25569;
			}
			civil_from_days(days, &y, &m, &d);
			snprintf(v, vsz, "%04d-%02d-%02d", y, m, d);
			return 0;
		}
	}
	scopy(text, sizeof(text), v);
	if (fold(text, sizeof(text)) == 0 && core_date_parse(text, v, vsz) == 0) {
		return 0;
	}
	add_error(im, line, col, key,
	          _("%s: '%s' is not a date (write 1975-03-02, 1975/3/2, "
	            "1975年3月2日 or 1975.03.02; the month alone as 1975-03)"),
	          label(key), cell->text);
	return -1;
}

static int
conv_id(struct imp *im, size_t line, size_t col, const struct sheet_cell *cell,
        char *v, size_t vsz)
{
	if (!*v) {
		return 0;
	}
	if (cell->is_number && fabs(cell->num) >= 1e15) {
		add_error(im, line, col, "id_number",
		          _("ID number: stored as a number, which keeps only "
		            "15 digits: format the column as text and type "
		            "the number again"));
		return -1;
	}
	core_field_tidy("id_number", v, vsz); /* the check names problems */
	if (strchr(v, '*')) {
		add_error(im, line, col, "id_number",
		          _("ID number: '%s' is masked (as lists show it); "
		            "the full number is needed"),
		          v);
		return -1;
	}
	return 0;
}

static void
conv_category(struct imp *im, char *v, size_t vsz)
{
	const struct core_round_category *k;

	/* The round's definition is parsed once, when first needed. */
	if (!im->round && !im->round_tried) {
		im->round_tried = 1;
		if (core_round_get(im->c, NULL, &im->round) != 0) {
			im->round = NULL; /* nothing to map; the rule stays */
		}
	}
	if (im->round && (k = core_round_category_find(im->round, v)) &&
	    k->name_zh) {
		snprintf(v, vsz, "%s", k->name_zh);
}
}

/* The employing unit by code, else by exact name; 0 or -1 (error
 * added).  The last answer is kept: a file is mostly one unit. */
static int
conv_unit(struct imp *im, size_t line, size_t col, const char *v, char *code,
          size_t codesz)
{
	struct core_unit u;
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (im->unit_ok && strcmp(v, im->unit_in) == 0) {
		snprintf(code, codesz, "%s", im->unit_code);
		return 0;
	}
	im->unit_ok = 0;
	if (core_unit_get(im->c, v, &u) == 0) {
		snprintf(code, codesz, "%s", u.code);
	} else {
		if (db_query(im->c, &st,
		             "SELECT code FROM unit WHERE name = ?1 "
		             "LIMIT 2",
		             "t", v) != 0) {
			add_core_error(im, line, col, "unit");
			return -1;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (n++ == 0) {
				db_copy(code, codesz, st, 0);
			}
		}
		sqlite3_finalize(st);
		if (n != 1) {
			add_error(im, line, col, "unit",
			          n == 0 ? _("Unit: no unit has the code or "
			                     "name '%s' (see nomdesk unit "
			                     "list)")
			                 : _("Unit: several units are named "
			                     "'%s': give the unit's code"),
			          v);
			return -1;
		}
	}
	if (strlen(v) < sizeof(im->unit_in)) {
		scopy(im->unit_in, sizeof(im->unit_in), v);
		scopy(im->unit_code, sizeof(im->unit_code), code);
		im->unit_ok = 1;
	}
	return 0;
}

static int
prow_add(struct imp *im, struct prow *pr, const char *field, const char *value)
{
	char *dup;

	if (pr->n_vals >= MAX_VALS || !(dup = strdup(value))) {
		im->oom = 1;
		return -1;
	}
	pr->owned[pr->n_vals] = dup;
	pr->vals[pr->n_vals].field = field;
	pr->vals[pr->n_vals].value = dup;
	pr->n_vals++;
	return 0;
}

static void
prow_release(struct prow *pr)
{
	for (size_t i = 0; i < pr->n_vals; i++) {
		free(pr->owned[i]);
	}
	pr->n_vals = 0;
}

/* "1、4" (or 1,4 1;4 1 4): each number 1-9 becomes condition.N with no
 * evidence yet.  0 or -1 (error added). */
static int
conv_conditions(struct imp *im, size_t line, size_t col, const char *text,
                struct prow *pr)
{
	static const char *const names[] = {
	    "",
	    "condition.1",
	    "condition.2",
	    "condition.3",
	    "condition.4",
	    "condition.5",
	    "condition.6",
	    "condition.7",
	    "condition.8",
	    "condition.9",
	};
	char v[VALUE_SIZE], *tok, *save = NULL;
	int seen[10] = {0}, bad = 0;

	snprintf(v, sizeof(v), "%s", text);
	if (fold(v, sizeof(v)) != 0) {
		bad = 1;
	}
	/* 、 (U+3001) as a plain separator. */
	for (char *p = v; !bad && (p = strstr(p, "\xE3\x80\x81"));) {
		memcpy(p, "  ,", 3);
	}
	for (tok = strtok_r(v, " ,;\t", &save); tok && !bad;
	     tok = strtok_r(NULL, " ,;\t", &save)) {
		if (strlen(tok) != 1 || tok[0] < '1' || tok[0] > '9') {
			bad = 1;
			break;
		}
		seen[tok[0] - '0'] = 1;
	}
	if (bad) {
		add_error(im, line, col, "conditions",
		          _("Conditions: '%s' is not a list of condition "
		            "numbers 1 to 9 (separate them with 、 , ; or "
		            "spaces)"),
		          text);
		return -1;
	}
	for (int k = 1; k <= 9; k++) {
		if (!seen[k]) {
			continue;
		}
		if (core_nominee_check_field(im->c, names[k], "") != 0) {
			add_core_error(im, line, col, "conditions");
			return -1;
		}
		if (prow_add(im, pr, names[k], "") != 0) {
			return -1;
		}
	}
	return 0;
}

/* ---- header ---- */

static int
match_header(const char *h)
{
	char en[64];
	size_t i;

	for (i = 0; i < N_COLUMNS; i++) {
		if (strcmp(h, columns[i].zh) == 0 ||
		    (columns[i].zh_alt && strcmp(h, columns[i].zh_alt) == 0)) {
			return (int)i;
		}
	}
	/* English: the key, in any case, with spaces or dashes for '_'. */
	for (i = 0; h[i] && i + 1 < sizeof(en); i++) {
		char ch = h[i];

		en[i] = ch == ' ' || ch == '-'   ? '_'
		        : ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a')
		                                 : ch;
	}
	en[i] = '\0';
	if (h[i]) {
		return -1;
	}
	for (i = 0; i < N_COLUMNS; i++) {
		if (strcmp(en, columns[i].key) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static void
read_header(struct imp *im, const struct sheet_row *r)
{
	int seen_at[N_COLUMNS];
	char v[VALUE_SIZE];

	im->header_line = r->line;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		seen_at[i] = -1;
	}
	for (size_t col = 0; col < SHEET_MAX_COLS; col++) {
		im->colmap[col] = -1;
	}
	if (r->too_wide) {
		add_error(im, r->line, NOCOL, "",
		          _("the header has more than %d columns"),
		          SHEET_MAX_COLS);
	}
	for (size_t col = 0; col < r->n_cells; col++) {
		int k;

		if (cell_text(im, r->line, col, "", &r->cells[col], v,
		              sizeof(v)) != 0 ||
		    !*v) {
			continue;
		}
		scopy(im->header[col], sizeof(im->header[col]), v);
		if ((k = match_header(v)) < 0) {
			add_error(im, r->line, col, "",
			          _("unknown column header '%s' (headers: "
			            "姓名 性别 出生日期 身份证号 工作单位 "
			            "专业技术职务 职称级别 聘任时间 学历 学位 "
			            "所属系统 名额类别 推荐方式 符合条件 "
			            "已入选带头人 专业或研究方向 联系电话, or "
			            "their English keys)"),
			          v);
			continue;
		}
		if (seen_at[k] >= 0) {
			char first[8];

			sheet_col_name((size_t)seen_at[k], first);
			add_error(im, r->line, col, columns[k].key,
			          _("column header '%s' appears twice (also "
			            "in column %s)"),
			          v, first);
			continue;
		}
		seen_at[k] = (int)col;
		im->colmap[col] = k;
	}
	for (size_t k = 0; k < N_COLUMNS; k++) {
		if (columns[k].required && seen_at[k] < 0) {
			add_error(im, r->line, NOCOL, columns[k].key,
			          _("%s: the required column is missing "
			            "(header %s or %s)"),
			          label(columns[k].key), columns[k].zh,
			          columns[k].key);
}
	}
}

/* ---- rows ---- */

static void
read_row(struct imp *im, const struct sheet_row *r, struct prow *pr)
{
	size_t n_err = im->out->n_errors;
	char v[VALUE_SIZE];

	memset(pr, 0, sizeof(*pr));
	pr->line = r->line;
	if (r->too_wide) {
		add_error(im, r->line, NOCOL, "",
		          _("the row has values beyond column %d"),
		          SHEET_MAX_COLS);
	}
	for (size_t col = 0; col < r->n_cells; col++) {
		if (im->colmap[col] < 0 && r->cells[col].text &&
		    !im->header[col][0] && !im->headerless_reported[col]) {
			char t[VALUE_SIZE];

			if (cell_text(im, r->line, col, "", &r->cells[col], t,
			              sizeof(t)) == 0 &&
			    *t) {
				im->headerless_reported[col] = 1;
				add_error(im, r->line, col, "",
				          _("a value in a column that has no "
				            "header"));
			}
		}
	}
	for (size_t col = 0; col < SHEET_MAX_COLS; col++) {
		const struct sheet_column *sc;
		const struct sheet_cell *cell;
		const char *key;

		if (im->colmap[col] < 0) {
			continue;
		}
		sc = &columns[im->colmap[col]];
		key = sc->key;
		if (sc->ignored) {
			continue;
		}
		cell = col < r->n_cells ? &r->cells[col] : NULL;
		if (cell_text(im, r->line, col, key, cell, v, sizeof(v)) != 0) {
			continue;
		}
		if (*v) {
			if (strcmp(key, "birth_date") == 0 ||
			    strcmp(key, "title_date") == 0) {
				if (conv_date(im, r->line, col, key, cell, v,
				              sizeof(v)) != 0) {
					continue;
				}
			} else if (strcmp(key, "id_number") == 0) {
				if (conv_id(im, r->line, col, cell, v,
				            sizeof(v)) != 0) {
					continue;
				}
			} else if (strcmp(key, "quota_category") == 0) {
				conv_category(im, v, sizeof(v));
			} else {
				/* as the forms and the CLI tidy it */
				core_field_tidy(key, v, sizeof(v));
			}
		}
		if (!*v) {
			if (sc->required) {
				add_error(im, r->line, col, key,
				          _("%s: is required"), label(key));
			}
			continue;
		}
		if (strcmp(key, "unit") == 0) {
			if (conv_unit(im, r->line, col, v, pr->unit,
			              sizeof(pr->unit)) != 0) {
				continue;
			}
			if (authz_nominate(im->c, pr->unit) != 0) {
				im->denied = 1;
				add_core_error(im, r->line, col, key);
			}
			continue;
		}
		if (strcmp(key, "conditions") == 0) {
			conv_conditions(im, r->line, col, v, pr);
			continue;
		}
		if (core_nominee_check_field(im->c, key, v) != 0) {
			add_core_error(im, r->line, col, key);
			continue;
		}
		if (strcmp(key, "id_number") == 0) {
			size_t first = idset_add(im, v, r->line);

			if (first) {
				add_error(im, r->line, col, key,
				          _("ID number: the same person as on "
				            "line %zu (one nomination per "
				            "person)"),
				          first);
				continue;
			}
			if (nominee_id_taken(im->c, im->round_id, v)) {
				add_error(im, r->line, col, key,
				          _("ID number: this person is "
				            "already nominated in this round "
				            "(one nomination per person)"));
				continue;
			}
		}
		prow_add(im, pr, key, v);
	}
	if (im->out->n_errors != n_err || im->out->n_errors_dropped) {
		prow_release(pr);
}
}

static int
import_sheet(struct imp *im, const struct sheet *s, int dry_run)
{
	struct core *c = im->c;
	struct core_import_report *o = im->out;
	uint64_t seq;
	char reason[64];
	int r;

	snprintf(o->format, sizeof(o->format), "%s", s->format);
	snprintf(o->encoding, sizeof(o->encoding), "%s", s->encoding);
	im->date1904 = s->date1904;
	if (s->n_rows == 0) {
		add_error(im, 1, NOCOL, "", _("the file is empty"));
		return CORE_EINVAL;
	}
	read_header(im, &s->rows[0]);
	im->n_rows = s->n_rows - 1;
	if (im->n_rows == 0) {
		add_error(im, im->header_line, NOCOL, "",
		          _("there are no rows below the header"));
	}
	if (im->n_rows && !(im->rows = calloc(im->n_rows, sizeof(*im->rows)))) {
		im->oom = 1;
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	for (size_t i = 0; i < im->n_rows && !im->oom; i++) {
		read_row(im, &s->rows[i + 1], &im->rows[i]);
	}
	o->n_rows = im->n_rows;
	if (im->oom) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if (o->n_errors || o->n_errors_dropped) {
		return CORE_EINVAL;
	}
	if (dry_run) {
		return 0;
	}
	for (size_t i = 0; i < im->n_rows; i++) {
		int64_t id = 0;

		snprintf(reason, sizeof(reason), "imported, line %zu",
		         im->rows[i].line);
		if ((r = nominee_create(c, im->round_id, im->rows[i].unit,
		                        im->rows[i].vals, im->rows[i].n_vals,
		                        reason, &id, &seq)) != 0) {
			add_core_error(im, im->rows[i].line, NOCOL,
			               core_errfield(c));
			return r;
		}
		if (i == 0) {
			o->first_id = id;
		}
		o->last_id = id;
	}
	return 0;
}

/* Shared by the file and buffer entry points: s is read already (or
 * failed: s->err). */
static int
import_run(struct core *c, struct sheet *s, int read_rc, int dry_run,
           struct core_import_report *out, struct core_receipt *rc)
{
	struct imp im;
	int r;

	memset(&im, 0, sizeof(im));
	im.c = c;
	im.out = out;
	if (!c->has_actor) {
		return authz_nominate(c, "");
	}
	/* A role that may not nominate at all is told once, not per row. */
	if ((r = authz_nominate(c, c->actor.unit)) != 0) {
		return r;
	}
	if ((im.round_id = db_current_round(c)) == 0) {
		return core_err(c, CORE_ESTATE, NULL, _("no round is open"));
	}
	if (read_rc != 0) {
		add_error(&im, s->err_line, NOCOL, "", "%s", s->err);
		snprintf(out->format, sizeof(out->format), "%s", s->format);
		r = CORE_EINVAL;
		goto out;
	}
	if (!dry_run && (r = tx_begin(c)) != 0) {
		goto out;
	}
	r = import_sheet(&im, s, dry_run);
	if (r == 0 && !dry_run) {
		if ((r = tx_commit(c, rc)) == 0) {
			out->n_imported = im.n_rows;
		}
	} else if (!dry_run) {
		tx_rollback(c);
	}
out:
	for (size_t i = 0; i < im.n_rows && im.rows; i++) {
		prow_release(&im.rows[i]);
	}
	free(im.rows);
	free(im.ids.id);
	free(im.ids.line);
	core_round_free(im.round);
	if (r == CORE_EINVAL || (r != 0 && out->n_errors)) {
		if (im.denied) {
			r = CORE_EPERM;
		}
		out->first_id = out->last_id = 0;
		core_err(c, r, "",
		         _("%zu problem(s) in the file; nothing was "
		           "imported"),
		         out->n_errors + out->n_errors_dropped);
	} else if (r == 0) {
		core_err_clear(c);
	}
	return r;
}

static void
report_init(struct core_import_report *out)
{
	memset(out, 0, sizeof(*out));
}

void
core_import_report_release(struct core_import_report *r)
{
	if (!r) {
		return;
	}
	for (size_t i = 0; i < r->n_errors; i++) {
		free(r->errors[i].message);
	}
	free(r->errors);
	r->errors = NULL;
	r->n_errors = 0;
}

int
core_import_csv(struct core *c, const void *data, size_t len, int dry_run,
                struct core_import_report *out, struct core_receipt *rc)
{
	struct sheet s;
	int read_rc, r;

	core_err_clear(c);
	report_init(out);
	memset(&s, 0, sizeof(s));
	read_rc = sheet_read_csv(&s, data ? data : "", data ? len : 0);
	r = import_run(c, &s, read_rc, dry_run, out, rc);
	sheet_release(&s);
	return r;
}

int
core_import_file(struct core *c, const char *path, int dry_run,
                 struct core_import_report *out, struct core_receipt *rc)
{
	unsigned char magic[8] = {0};
	struct sheet s;
	struct stat sb;
	char *data = NULL;
	size_t n = 0;
	FILE *f;
	int read_rc, r;

	core_err_clear(c);
	report_init(out);
	memset(&s, 0, sizeof(s));
	if (!path || !(f = fopen(path, "rb"))) {
		return core_err(c, CORE_EIO, "file", _("cannot open '%s'"),
		                path ? path : "");
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return core_err(c, CORE_EIO, "file",
		                _("'%s' is not a regular file"), path);
	}
	if ((size_t)sb.st_size > SHEET_MAX_FILE) {
		fclose(f);
		return core_err(c, CORE_EINVAL, "file",
		                _("'%s' is larger than %u MiB"), path,
		                SHEET_MAX_FILE >> 20);
	}
	n = fread(magic, 1, sizeof(magic), f);
	if (n >= 4 && memcmp(magic, "PK\x03\x04", 4) == 0) {
		fclose(f);
		read_rc = sheet_read_xlsx(&s, path);
	} else if (n == 8 &&
	           memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		fclose(f);
		read_rc = sheet_read_xls(&s, path);
	} else {
		rewind(f);
		if (!(data = malloc((size_t)sb.st_size + 1))) {
			fclose(f);
			return core_err(c, CORE_EINTERNAL, NULL,
			                "out of memory");
		}
		n = fread(data, 1, (size_t)sb.st_size, f);
		if (ferror(f)) {
			fclose(f);
			free(data);
			return core_err(c, CORE_EIO, "file",
			                _("cannot read '%s'"), path);
		}
		fclose(f);
		read_rc = sheet_read_csv(&s, data, n);
		free(data);
	}
	r = import_run(c, &s, read_rc, dry_run, out, rc);
	sheet_release(&s);
	return r;
}
