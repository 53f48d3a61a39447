/*
 * Exporting lists to CSV and .xlsx: nominees (what the actor may see,
 * every column of domain.md 8 under its Chinese header, so the file is
 * also an import file), the county/department and the city notice lists
 * (公示名单), the recommended list and quota usage.
 *
 * Invariants: rows are read and the export is audited (ACT_VIEW, subject
 * "export:KIND", the row count in the reason) in one transaction, so the
 * log says exactly what left the system; ID numbers leave masked (as
 * core_nominee_get returns them); every string goes through
 * utf8_sanitize(), and cells a spreadsheet would evaluate (= + - @ TAB
 * CR) get a leading apostrophe in CSV and .xlsx alike (one guard,
 * core_cell_needs_guard(); text cells only, never a formula record); the
 * file is written beside its
 * destination, 0600, and renamed into place, so a failed export leaves no
 * half file.  Notice lists end with the line of the checkpoint that covers
 * the export (export_checkpoint_line(), the paper trail's anchor).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/i18n.h"
#include "core/import_int.h"
#include "core/utf8.h"

#define MAX_COLS 20

static const struct {
	enum core_export_kind kind;
	const char *name;
} kinds[] = {
    {CORE_EXPORT_NOMINEES, "nominees"},
    {CORE_EXPORT_LOCAL_NOTICE, "local-notice"},
    {CORE_EXPORT_CITY_NOTICE, "city-notice"},
    {CORE_EXPORT_RECOMMENDED, "recommended"},
    {CORE_EXPORT_QUOTA, "quota"},
};

int
core_export_kind_parse(const char *s, enum core_export_kind *out)
{
	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(s, kinds[i].name) == 0) {
			*out = kinds[i].kind;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *
core_export_kind_name(enum core_export_kind k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kinds[i].kind == k) {
			return kinds[i].name;
		}
	}
	return "?";
}

static const char *const hdr_notice[] = {
    "序号",         "姓名",           "性别",     "出生年月", "工作单位",
    "专业技术职务", "专业或研究方向", "名额类别", NULL,
};
static const char *const hdr_recommended[] = {
    "序号",         "姓名",     "性别",     "出生日期", "工作单位",
    "专业技术职务", "职称级别", "所属系统", "名额类别", "推荐方式",
    "符合条件",     "状态",     NULL,
};
static const char *const hdr_quota[] = {
    "名额节点", "名额类别", "名称", "推荐单位代码", "推荐单位",
    "限额",     "不限名额", "已用", NULL,
};

/* The table to write: sanitized copies of every cell. */
struct xtab {
	const char *sheet;
	const char *headers[MAX_COLS];
	size_t n_cols;
	int numeric[MAX_COLS]; /* written as numbers in .xlsx when digits */
	char **cells;          /* n_rows * n_cols */
	size_t n_rows, cap_rows;
	char title[512];
	char footer[512];
	int oom;
};

static void
xtab_headers(struct xtab *t, const char *const *h)
{
	for (t->n_cols = 0; h[t->n_cols] && t->n_cols < MAX_COLS; t->n_cols++) {
		t->headers[t->n_cols] = h[t->n_cols];
}
}

static void
xtab_release(struct xtab *t)
{
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
		free(t->cells[i]);
	}
	free(t->cells);
	t->cells = NULL;
	t->n_rows = t->cap_rows = 0;
}

static int
xtab_add(struct xtab *t, const char *const *vals)
{
	char buf[CORE_TEXT_SIZE * 4];

	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
		char **p = realloc(t->cells, cap * t->n_cols * sizeof(*p));

		if (!p) {
			t->oom = 1;
			return -1;
		}
		t->cells = p;
		t->cap_rows = cap;
	}
	for (size_t j = 0; j < t->n_cols; j++) {
		char **cell = &t->cells[t->n_rows * t->n_cols + j];

		utf8_sanitize(vals[j] ? vals[j] : "", buf, sizeof(buf), 0);
		if (!(*cell = strdup(buf))) {
			for (size_t k = 0; k < j; k++) {
				free(t->cells[t->n_rows * t->n_cols + k]);
			}
			t->oom = 1;
			return -1;
		}
	}
	t->n_rows++;
	return 0;
}

/* ---- what goes in ---- */

struct xctx {
	struct core *c;
	enum core_export_kind kind;
	int reveal;
	struct xtab *t;
	struct core_dossier *d;
};

/* "1、4" */
static void
conditions_text(const struct core_dossier *d, char *out, size_t outsz)
{
	size_t off = 0;

	out[0] = '\0';
	for (int k = 1; k <= 9; k++) {
		if (!d->has_condition[k]) {
			continue;
		}
		off += (size_t)snprintf(out + off, outsz - off, "%s%d",
		                        off ? "、" : "", k);
		if (off >= outsz) {
			break;
		}
	}
}

static int
wanted_state(enum core_export_kind kind, const char *state, const char *resume)
{
	int s = core_state_parse(state);

	switch (kind) {
	case CORE_EXPORT_LOCAL_NOTICE:
		return core_state_has(state, CORE_STF_NOTICE_LOCAL);
	case CORE_EXPORT_CITY_NOTICE:
		return core_state_has(state, CORE_STF_NOTICE_CITY);
	case CORE_EXPORT_RECOMMENDED:
		/* from the committee's recommendation up the ladder */
		if (s == CORE_ST_UNDER_INVESTIGATION) {
			s = core_state_parse(resume);
		}
		return s >= CORE_ST_COMMITTEE_REVIEWED && s <= CORE_ST_CONFIRMED;
	default:
		return 1;
	}
}

static int
add_dossier(struct xctx *x, size_t no)
{
	const struct core_dossier *d = x->d;
	char seq[24], conds[64], month[8];
	const char *v[MAX_COLS];

	conditions_text(d, conds, sizeof(conds));
	snprintf(seq, sizeof(seq), "%zu", no);
	snprintf(month, sizeof(month), "%.7s", d->n.birth_date);
	memset(v, 0, sizeof(v));
	switch (x->kind) {
	case CORE_EXPORT_NOMINEES: {
		const struct sheet_column *sc = sheet_columns();

		for (size_t j = 0; sc[j].key && j < MAX_COLS; j++) {
			const char *k = sc[j].key;

			if (strcmp(k, "unit") == 0) {
				v[j] = d->n.unit_name;
			} else if (strcmp(k, "conditions") == 0) {
				v[j] = conds;
			} else if (strcmp(k, "state") == 0) {
				v[j] = core_state_label(d->n.state);
			} else {
				v[j] = core_dossier_value(d, k);
			}
		}
		break;
	}
	case CORE_EXPORT_LOCAL_NOTICE:
	case CORE_EXPORT_CITY_NOTICE:
		v[0] = seq, v[1] = d->n.name, v[2] = d->n.gender;
		v[3] = month, v[4] = d->n.unit_name, v[5] = d->n.title;
		v[6] = d->specialty, v[7] = d->quota_category;
		break;
	default:
		v[0] = seq, v[1] = d->n.name, v[2] = d->n.gender;
		v[3] = d->n.birth_date, v[4] = d->n.unit_name;
		v[5] = d->n.title, v[6] = d->title_level, v[7] = d->system;
		v[8] = d->quota_category, v[9] = d->channel, v[10] = conds;
		v[11] = core_state_label(d->n.state);
		break;
	}
	return xtab_add(x->t, v);
}

/* May the actor have the full ID number of d (as
 * core_nominee_reveal_id)? */
static int
may_reveal(struct core *c, const struct core_dossier *d)
{
	int ok = authz_nominee_write(c, d) == 0 ||
	         c->actor.role == CORE_ROLE_CITY_HR;

	core_err_clear(c);
	return ok;
}

static int
collect_nominees(struct xctx *x)
{
	struct core *c = x->c;
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, no = 0;
	int county = c->actor.role == CORE_ROLE_COUNTY_HR ||
	             c->actor.role == CORE_ROLE_DEPARTMENT;
	int r, rc;

	if ((r = db_query(c, &st,
	                  "SELECT id, state, resume_state FROM nominee "
	                  "WHERE round_id = ?1 ORDER BY id",
	                  "i", (int64_t)db_current_round(c))) != 0) {
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!wanted_state(x->kind, db_text(st, 1), db_text(st, 2))) {
			continue;
		}
		if (n == cap) {
			int64_t *p;

			cap = cap ? cap * 2 : 256;
			if (!(p = realloc(ids, cap * sizeof(*p)))) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				goto out;
			}
			ids = p;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		r = core_err_sql(c, rc);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < n; i++) {
		uint8_t salt[32];

		r = core_nominee_get(c, ids[i], x->d);
		if (r == CORE_ENOENT) {
			continue; /* not the actor's to see */
		}
		if (r != 0) {
			goto out;
		}
		/* A notice list is the holder's document: a county or
		 * department exports its own. */
		if (x->kind == CORE_EXPORT_LOCAL_NOTICE && county &&
		    !authz_unit_under(c, x->d->holder, c->actor.unit)) {
			continue;
		}
		if (x->reveal && may_reveal(c, x->d)) {
			struct core_dossier *full = malloc(sizeof(*full));

			if (!full) {
				r = core_err(c, CORE_EINTERNAL, NULL,
				             "out of memory");
				goto out;
			}
			r = nominee_load(c, ids[i], full, salt, 1);
			if (r == 0) {
				memcpy(x->d->id_number, full->id_number,
				       sizeof(x->d->id_number));
			}
			sodium_memzero(full, sizeof(*full));
			free(full);
			if (r != 0) {
				goto out;
			}
		}
		if (add_dossier(x, ++no) != 0) {
			r = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
			goto out;
		}
	}
	r = 0;
out:
	sqlite3_finalize(st);
	free(ids);
	if (r == 0) {
		core_err_clear(c);
	}
	return r;
}

static int
put_quota(void *ctx, const struct core_quota_usage *u)
{
	struct xctx *x = ctx;
	char limit[24], count[24];
	const char *v[MAX_COLS] = {0};

	if (u->limit >= 0) {
		snprintf(limit, sizeof(limit), "%lld", (long long)u->limit);
	} else {
		limit[0] = '\0';
	}
	snprintf(count, sizeof(count), "%lld", (long long)u->count);
	v[0] = u->node;
	v[1] = u->category_name;
	v[2] = u->name;
	v[3] = u->holder;
	v[4] = u->holder_name;
	v[5] = u->per_holder ? "" : limit;
	v[6] = u->uncapped ? "是" : "";
	v[7] = count;
	return xtab_add(x->t, v) == 0
	           ? 0
	           : core_err(x->c, CORE_EINTERNAL, NULL, "out of memory");
}

/* ---- what comes out ---- */

int
export_checkpoint_line(struct core *c, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;
	char note[1024], size[32] = "", root[64] = "";
	int r;

	out[0] = '\0';
	if ((r = db_row(c, &st,
	                "SELECT note FROM log_checkpoint ORDER BY size "
	                "DESC LIMIT 1",
	                NULL)) < 0) {
		return r;
	}
	if (r == 0) {
		return CORE_ENOENT;
	}
	db_copy(note, sizeof(note), st, 0);
	sqlite3_finalize(st);
	/* A signed note: origin, size and root, one a line. */
	if (sscanf(note, "%*[^\n]\n%31[0-9]\n%63[A-Za-z0-9+/=]", size, root) !=
	    2) {
		return core_err(c, CORE_ECORRUPT, NULL,
		                "the latest checkpoint is malformed");
	}
	snprintf(out, outsz, _("log checkpoint: size %s, root %s"), size, root);
	return 0;
}

struct obuf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
obuf_add(struct obuf *b, const char *s, size_t n)
{
	if (b->oom) {
		return;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n) {
			cap *= 2;
		}
		if (!(p = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

int
core_cell_needs_guard(const char *s)
{
	return s && *s && strchr("=+-@\t\r", *s) != NULL;
}

/* One RFC 4180 cell, always quoted; s is sanitized already. */
static void
csv_cell(struct obuf *b, const char *s, int last)
{
	obuf_add(b, "\"", 1);
	if (core_cell_needs_guard(s)) {
		obuf_add(b, "'", 1);
	}
	for (const char *p = s; *p; p++) {
		if (*p == '"') {
			obuf_add(b, "\"", 1);
		}
		obuf_add(b, p, 1);
	}
	obuf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

/* A line of its own (title, checkpoint): one cell. */
static void
csv_line(struct obuf *b, const char *s)
{
	char buf[1024];

	utf8_sanitize(s, buf, sizeof(buf), 0);
	csv_cell(b, buf, 1);
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
write_csv(const struct xtab *t, int fd)
{
	struct obuf b = {0};
	int r;

	obuf_add(&b, "\xEF\xBB\xBF", 3);
	if (t->title[0]) {
		csv_line(&b, t->title);
	}
	for (size_t j = 0; j < t->n_cols; j++) {
		csv_cell(&b, t->headers[j], j + 1 == t->n_cols);
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t j = 0; j < t->n_cols; j++) {
			csv_cell(&b, t->cells[i * t->n_cols + j],
			         j + 1 == t->n_cols);
		}
	}
	if (t->footer[0]) {
		csv_line(&b, t->footer);
	}
	r = b.oom ? -1 : write_all(fd, b.p, b.len);
	free(b.p);
	return r;
}

static int
all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 15;
}

/*
 * Writes s as a text cell at (row, col), merged across to last_col when it
 * is greater, with the same guard as a CSV cell: a string record is never
 * evaluated when the file opens, but it is once a user edits the cell or
 * saves the sheet as CSV.  0, or -1 (out of memory, or libxlsxwriter
 * refused the cell).
 */
static int
xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_col_t last_col,
          const char *s, lxw_format *f)
{
	char *g = NULL;
	lxw_error e;

	if (core_cell_needs_guard(s)) {
		size_t n = strlen(s);

		if (!(g = malloc(n + 2))) {
			return -1;
		}
		g[0] = '\'';
		memcpy(g + 1, s, n + 1);
		s = g;
	}
	if (last_col > col) {
		e = worksheet_merge_range(ws, row, col, row, last_col, s, f);
	} else {
		e = worksheet_write_string(ws, row, col, s, f);
	}
	free(g);
	return e == LXW_NO_ERROR ? 0 : -1;
}

static int
write_xlsx(const struct xtab *t, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *body, *title, *foot;
	double width[MAX_COLS];
	lxw_row_t row = 0;
	lxw_col_t last = (lxw_col_t)(t->n_cols ? t->n_cols - 1 : 0);
	int bad = 0;

	if (!wb) {
		return -1;
	}
	ws = workbook_add_worksheet(wb, t->sheet);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xE0E0E0);
	format_set_align(head, LXW_ALIGN_CENTER);
	body = workbook_add_format(wb);
	format_set_border(body, LXW_BORDER_THIN);
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	foot = workbook_add_format(wb);
	format_set_font_size(foot, 9);
	if (!ws || !head || !body || !title || !foot) {
		workbook_close(wb);
		return -1;
	}
	/* Widths in character cells: a Chinese character is 2. */
	for (size_t j = 0; j < t->n_cols; j++) {
		width[j] = (double)utf8_width(t->headers[j]);
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t j = 0; j < t->n_cols; j++) {
			double w =
			    (double)utf8_width(t->cells[i * t->n_cols + j]);

			if (w > width[j]) {
				width[j] = w;
			}
		}
	}
	for (size_t j = 0; j < t->n_cols; j++) {
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
		                     width[j] + 2 < 6    ? 6
		                     : width[j] + 2 > 50 ? 50
		                                         : width[j] + 2,
		                     NULL);
	}
	if (t->title[0]) {
		bad |= xlsx_text(ws, 0, 0, last, t->title, title);
		worksheet_set_row(ws, 0, 30, NULL);
		row = 1;
	}
	for (size_t j = 0; j < t->n_cols; j++) {
		bad |= xlsx_text(ws, row, (lxw_col_t)j, 0, t->headers[j], head);
	}
	worksheet_freeze_panes(ws, row + 1, 0);
	worksheet_repeat_rows(ws, 0, row);
	row++;
	for (size_t i = 0; i < t->n_rows; i++, row++) {
		for (size_t j = 0; j < t->n_cols; j++) {
			const char *s = t->cells[i * t->n_cols + j];

			if (t->numeric[j] && all_digits(s)) {
				worksheet_write_number(ws, row, (lxw_col_t)j,
				                       strtod(s, NULL), body);
			} else {
				bad |= xlsx_text(ws, row, (lxw_col_t)j, 0, s,
				                 body);
			}
		}
	}
	if (t->footer[0]) {
		row++;
		bad |= xlsx_text(ws, row, 0, last, t->footer, foot);
	}
	worksheet_set_paper(ws, 9); /* A4 */
	if (t->n_cols > 8) {
		worksheet_set_landscape(ws);
	}
	worksheet_fit_to_pages(ws, 1, 0);
	if (workbook_close(wb) != LXW_NO_ERROR || bad) {
		return -1;
	}
	return 0;
}

/* Writes t to path through a 0600 temporary file beside it. */
static int
write_file(struct core *c, const struct xtab *t, enum core_sheet_format fmt,
           const char *path)
{
	char tmp[4096];
	int fd, r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    (int)sizeof(tmp)) {
		return core_err(c, CORE_EINVAL, "file",
		                _("the file name is too long"));
	}
	if ((fd = mkstemp(tmp)) < 0) {
		return core_err(c, CORE_EIO, "file",
		                _("cannot create a file next to '%s': %s"),
		                path, strerror(errno));
	}
	if (fmt == CORE_SHEET_CSV) {
		r = write_csv(t, fd);
		if (r == 0 && fsync(fd) != 0) {
			r = -1;
		}
		if (close(fd) != 0) {
			r = -1;
		}
	} else {
		close(fd);
		r = write_xlsx(t, tmp);
	}
	if (r == 0 && rename(tmp, path) != 0) {
		r = -1;
	}
	if (r != 0) {
		int e = errno;

		unlink(tmp);
		return core_err(c, CORE_EIO, "file", _("cannot write '%s': %s"),
		                path, e ? strerror(e) : _("write failed"));
	}
	return 0;
}

/* The roles that may export kind; 0 or CORE_EPERM. */
static int
may_export(struct core *c, enum core_export_kind kind)
{
	enum core_role role = c->actor.role;

	switch (kind) {
	case CORE_EXPORT_LOCAL_NOTICE:
		if (role == CORE_ROLE_COUNTY_HR ||
		    role == CORE_ROLE_DEPARTMENT || role == CORE_ROLE_CITY_HR ||
		    role == CORE_ROLE_AUDITOR) {
			return 0;
		}
		return core_err(c, CORE_EPERM, NULL,
		                _("the county/department notice list is "
		                  "exported by county HR, departments, city "
		                  "HR or auditors"));
	case CORE_EXPORT_CITY_NOTICE:
		if (role == CORE_ROLE_CITY_HR || role == CORE_ROLE_AUDITOR) {
			return 0;
		}
		return core_err(c, CORE_EPERM, NULL,
		                _("the city notice list is exported by city "
		                  "HR or auditors"));
	case CORE_EXPORT_QUOTA:
		return 0;
	default:
		return 0; /* scoped row by row, like nominee list */
	}
}

static void
make_title(struct core *c, enum core_export_kind kind, char *out, size_t outsz)
{
	struct core_round *r = NULL;
	const char *rt = "";

	if (core_round_get(c, NULL, &r) == 0 && r->title_zh) {
		rt = r->title_zh;
	}
	if (kind == CORE_EXPORT_LOCAL_NOTICE &&
	    (c->actor.role == CORE_ROLE_COUNTY_HR ||
	     c->actor.role == CORE_ROLE_DEPARTMENT)) {
		snprintf(out, outsz, "%s公示名单（%s）", rt,
		         c->actor.unit_name);
	} else {
		snprintf(out, outsz, "%s公示名单", rt);
	}
	core_round_free(r);
	core_err_clear(c);
}

int
export_run(struct core *c, enum core_export_kind kind,
           enum core_sheet_format fmt, const char *path, int reveal_ids,
           size_t *n_rows, struct core_receipt *rc)
{
	struct xtab t;
	struct xctx x;
	char reason[128];
	int notice =
	    kind == CORE_EXPORT_LOCAL_NOTICE || kind == CORE_EXPORT_CITY_NOTICE;
	int r;

	core_err_clear(c);
	if (n_rows) {
		*n_rows = 0;
	}
	memset(&t, 0, sizeof(t));
	memset(&x, 0, sizeof(x));
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
		                _("log in as a user to export"));
	}
	if (!path || !*path) {
		return core_err(c, CORE_EINVAL, "file",
		                _("an output file is required"));
	}
	if ((r = may_export(c, kind)) != 0) {
		return r;
	}
	switch (kind) {
	case CORE_EXPORT_NOMINEES: {
		const struct sheet_column *sc = sheet_columns();
		const char *h[MAX_COLS + 1] = {0};

		for (size_t j = 0; sc[j].key && j < MAX_COLS; j++) {
			h[j] = sc[j].zh;
		}
		xtab_headers(&t, h);
		t.sheet = "人选";
		break;
	}
	case CORE_EXPORT_LOCAL_NOTICE:
	case CORE_EXPORT_CITY_NOTICE:
		xtab_headers(&t, hdr_notice);
		t.numeric[0] = 1;
		t.sheet = "公示名单";
		break;
	case CORE_EXPORT_RECOMMENDED:
		xtab_headers(&t, hdr_recommended);
		t.numeric[0] = 1;
		t.sheet = "推荐人选";
		break;
	case CORE_EXPORT_QUOTA:
		xtab_headers(&t, hdr_quota);
		t.numeric[5] = t.numeric[7] = 1;
		t.sheet = "名额使用";
		break;
	default:
		return core_err(c, CORE_EINVAL, NULL, _("unknown export"));
	}
	if (!(x.d = malloc(sizeof(*x.d)))) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	x.c = c;
	x.kind = kind;
	x.reveal = reveal_ids;
	x.t = &t;

	if ((r = tx_begin(c)) != 0) {
		goto out;
	}
	if (kind == CORE_EXPORT_QUOTA) {
		r = core_quota_usage(c, put_quota, &x);
	} else {
		r = collect_nominees(&x);
	}
	if (r != 0) {
		goto fail;
	}
	snprintf(reason, sizeof(reason), "exported %zu rows as %s%s", t.n_rows,
	         fmt == CORE_SHEET_CSV ? "csv" : "xlsx",
	         reveal_ids ? ", ID numbers unmasked" : "");
	if ((r = audit_record(c, ACT_VIEW, NULL, reason, "export:%s",
	                      core_export_kind_name(kind))) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto out;
	}
	if (notice) {
		make_title(c, kind, t.title, sizeof(t.title));
		if (export_checkpoint_line(c, t.footer, sizeof(t.footer)) != 0) {
			t.footer[0] = '\0';
		}
	}
	if ((r = write_file(c, &t, fmt, path)) != 0) {
		goto out;
	}
	if (n_rows) {
		*n_rows = t.n_rows;
	}
	r = 0;
	goto out;
fail:
	tx_rollback(c);
out:
	if (x.d) {
		sodium_memzero(x.d, sizeof(*x.d));
	}
	free(x.d);
	xtab_release(&t);
	return r;
}

int
core_export(struct core *c, enum core_export_kind kind,
            enum core_sheet_format fmt, const char *path, size_t *n_rows,
            struct core_receipt *rc)
{
	return export_run(c, kind, fmt, path, 0, n_rows, rc);
}
