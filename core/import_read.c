/*
 * Reading a spreadsheet into a grid (core/import_int.h), each format
 * through a well-kept Debian library and nothing hand-written: CSV through
 * libcsv (RFC 4180, strict), text encodings through iconv, .xls through
 * freexl, .xlsx through minizip (the zip) and libxml2's streaming reader
 * (the XML; no entity substitution, no network, no DTD loading).
 *
 * Invariants: every row keeps the line (CSV) or row number (.xls, .xlsx)
 * the user sees in their program, so errors can name it; sizes are capped
 * (SHEET_MAX_*) before anything is allocated in proportion to the input,
 * so a crafted file costs a refusal, not the process.  freexl does not
 * keep that promise on hostile files: an .xls is checked at the container
 * level first and read in a child process (sheet_read_xls).
 */
#include <csv.h>
#include <errno.h>
#include <freexl.h>
#include <iconv.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <minizip/unzip.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/import_int.h"
#include "core/utf8.h"

static int sheet_fail(struct sheet *s, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
sheet_fail(struct sheet *s, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->err_line = line ? line : 1;
	return -1;
}

void
sheet_col_name(size_t col, char out[8])
{
	char tmp[8];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < sizeof(tmp) - 1) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++) {
		out[i] = tmp[n - 1 - i];
	}
	out[n] = '\0';
}

static void
row_release(struct sheet_row *r)
{
	for (size_t i = 0; i < r->n_cells; i++) {
		free(r->cells[i].text);
	}
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

void
sheet_release(struct sheet *s)
{
	for (size_t i = 0; i < s->n_rows; i++) {
		row_release(&s->rows[i]);
	}
	free(s->rows);
	s->rows = NULL;
	s->n_rows = s->cap = 0;
}

/* Sets cell col of r to len bytes of text (a copy); 0 or -1 (memory). */
static int
row_set(struct sheet_row *r, size_t col, const char *text, size_t len,
        int is_number, double num)
{
	struct sheet_cell *cell;

	if (col >= SHEET_MAX_COLS) {
		r->too_wide = 1;
		return 0;
	}
	if (col >= r->n_cells) {
		struct sheet_cell *p =
		    realloc(r->cells, (col + 1) * sizeof(*p));

		if (!p) {
			return -1;
		}
		memset(p + r->n_cells, 0, (col + 1 - r->n_cells) * sizeof(*p));
		r->cells = p;
		r->n_cells = col + 1;
	}
	cell = &r->cells[col];
	free(cell->text);
	memset(cell, 0, sizeof(*cell));
	if (len > SHEET_MAX_CELL) {
		cell->too_long = 1;
		len = SHEET_MAX_CELL;
	}
	if (!(cell->text = malloc(len + 1))) {
		return -1;
	}
	memcpy(cell->text, text, len);
	cell->text[len] = '\0';
	cell->len = len;
	cell->is_number = is_number;
	cell->num = num;
	return 0;
}

/* A row with no visible content is dropped, as the user would expect. */
static int
row_blank(const struct sheet_row *r)
{
	if (r->too_wide) {
		return 0;
	}
	for (size_t i = 0; i < r->n_cells; i++) {
		const char *t = r->cells[i].text;

		if (r->cells[i].len > (t ? strlen(t) : 0)) {
			return 0; /* a NUL byte is content (and an error) */
		}
		for (; t && *t; t++) {
			if (!strchr(" \t\r\n", *t)) {
				return 0;
			}
		}
	}
	return 1;
}

/* Moves *r into s (or drops it if blank); 0 or -1 with s->err. */
static int
sheet_push(struct sheet *s, struct sheet_row *r)
{
	if (row_blank(r)) {
		row_release(r);
		return 0;
	}
	if (s->n_rows >= SHEET_MAX_ROWS) {
		size_t line = r->line;

		row_release(r);
		return sheet_fail(s, line,
		                  _("more than %d rows: split the file"),
		                  SHEET_MAX_ROWS - 1);
	}
	if (s->n_rows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct sheet_row *p = realloc(s->rows, cap * sizeof(*p));

		if (!p) {
			row_release(r);
			return sheet_fail(s, r->line, "out of memory");
		}
		s->rows = p;
		s->cap = cap;
	}
	s->rows[s->n_rows++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* A number as a spreadsheet shows it: integers without a decimal point. */
static void
format_number(double v, char *out, size_t outsz)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, outsz, "%.0f", v);
	} else {
		snprintf(out, outsz, "%.15g", v);
}
}

/* ---- CSV ---- */

struct csv_state {
	struct sheet *s;
	struct sheet_row row;
	size_t col;
	size_t cur_line; /* the physical line being fed to libcsv */
	int in_record;
	int failed;
};

static void
csv_field(void *field, size_t len, void *ctx)
{
	struct csv_state *st = ctx;

	if (st->failed) {
		return;
	}
	if (!st->in_record) {
		st->in_record = 1;
		st->row.line = st->cur_line;
	}
	if (len > 0 && row_set(&st->row, st->col, field, len, 0, 0) != 0) {
		st->failed = sheet_fail(st->s, st->row.line, "out of memory");
	}
	st->col++;
}

static void
csv_record(int term, void *ctx)
{
	struct csv_state *st = ctx;

	(void)term;
	if (!st->in_record) {
		st->row.line = st->cur_line;
	}
	st->in_record = 0;
	st->col = 0;
	if (!st->failed && sheet_push(st->s, &st->row) != 0) {
		st->failed = -1;
	}
	row_release(&st->row);
}

/* Only spaces, tabs and line ends: libcsv starts no record here. */
static int
line_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strchr(" \t\r\n", p[i])) {
			return 0;
		}
	}
	return 1;
}

static int
utf8_valid(const char *p, size_t len, size_t *bad_at)
{
	uint32_t cp;
	size_t i = 0;
	int n;

	while (i < len) {
		if ((unsigned char)p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) < 0) {
			if (bad_at) {
				*bad_at = i;
			}
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

static size_t
line_of(const char *p, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++) {
		if (p[i] == '\n') {
			line++;
		}
	}
	return line;
}

/*
 * GB18030 (a superset of GBK and GB2312) to UTF-8 through iconv.  *out is
 * malloc'd; -1 with s->err naming the line of the first bad byte.
 */
static int
from_gb18030(struct sheet *s, const char *in, size_t len, char **out,
             size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t cap = len * 2 + 16, left_in = len, left_out;
	char *buf, *ip = (char *)in, *op;
	int r = -1;

	*out = NULL;
	if (cd == (iconv_t)-1) {
		return sheet_fail(s, 1,
		                  _("this system cannot convert "
		                    "GB18030 text (iconv)"));
	}
	if (!(buf = malloc(cap))) {
		iconv_close(cd);
		return sheet_fail(s, 1, "out of memory");
	}
	op = buf;
	left_out = cap - 1;
	/* Each GB18030 character (1, 2 or 4 bytes) is at most 4 bytes of
	 * UTF-8 and at least 1 byte in, so 2x + 16 is always enough... except
	 * for 1-byte input becoming 3 bytes (0x80 -> U+20AC); retry bigger. */
	while (iconv(cd, &ip, &left_in, &op, &left_out) == (size_t)-1) {
		if (errno == E2BIG) {
			size_t used = (size_t)(op - buf);
			char *p;

			cap *= 2;
			if (cap > (size_t)SHEET_MAX_FILE * 4 ||
			    !(p = realloc(buf, cap))) {
				sheet_fail(s, 1, "out of memory");
				goto out;
			}
			buf = p;
			op = buf + used;
			left_out = cap - 1 - used;
			continue;
		}
		sheet_fail(s, line_of(in, (size_t)(ip - in)),
		           _("the text is neither UTF-8 nor GB18030 (save "
		             "the file as CSV UTF-8)"));
		goto out;
	}
	*op = '\0';
	*outlen = (size_t)(op - buf);
	*out = buf;
	buf = NULL;
	r = 0;
out:
	free(buf);
	iconv_close(cd);
	return r;
}

int
sheet_read_csv(struct sheet *s, const void *data, size_t len)
{
	const char *p = data, *end;
	char *conv = NULL;
	size_t conv_len = 0, bad = 0;
	struct csv_parser parser;
	struct csv_state st;
	int r = -1;

	snprintf(s->format, sizeof(s->format), "csv");
	snprintf(s->encoding, sizeof(s->encoding), "UTF-8");
	if (len > SHEET_MAX_FILE) {
		return sheet_fail(s, 1, _("the file is larger than %u MiB"),
		                  SHEET_MAX_FILE >> 20);
	}
	if (len >= 2 && ((p[0] == '\xFF' && p[1] == '\xFE') ||
	                 (p[0] == '\xFE' && p[1] == '\xFF'))) {
		return sheet_fail(s, 1,
		                  _("UTF-16 text is not read: save the "
		                    "file as CSV UTF-8"));
	}
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
		snprintf(s->encoding, sizeof(s->encoding), "UTF-8 BOM");
		if (!utf8_valid(p, len, &bad)) {
			return sheet_fail(s, line_of(p, bad),
			                  _("the file says UTF-8 (BOM) but "
			                    "this line is not UTF-8"));
		}
	} else if (!utf8_valid(p, len, NULL)) {
		if (from_gb18030(s, p, len, &conv, &conv_len) != 0) {
			return -1;
		}
		snprintf(s->encoding, sizeof(s->encoding), "GB18030");
		p = conv;
		len = conv_len;
		if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			len -= 3;
		}
	}
	end = p + len;
	{
		const char *q = p;

		while (q < end && strchr(" \t\r\n", *q)) {
			q++;
		}
		if (q < end && *q == '<') {
			/* p may point into conv: take the line first */
			sheet_fail(s, line_of(p, (size_t)(q - p)),
			           _("this is a web page or XML, not a "
			             "spreadsheet: open it in Excel or WPS and "
			             "save it as .xlsx or CSV"));
			free(conv);
			return -1;
		}
	}

	memset(&st, 0, sizeof(st));
	st.s = s;
	st.cur_line = 1;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(conv);
		return sheet_fail(s, 1, "out of memory");
	}
	while (p < end && !st.failed) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (!st.in_record && !line_blank(p, n)) {
			st.in_record = 1;
			st.row.line = st.cur_line;
		}
		if (csv_parse(&parser, p, n, csv_field, csv_record, &st) != n) {
			if (!st.failed) {
				sheet_fail(
				    s, st.cur_line,
				    _("CSV: %s (a quote inside an "
				      "unquoted cell, or text after a "
				      "closing quote)"),
				    csv_error(&parser) == CSV_EPARSE
				        ? _("malformed quoting")
				        : csv_strerror(csv_error(&parser)));
			}
			goto out;
		}
		p += n;
		if (nl) {
			st.cur_line++; /* a last line without LF stays */
		}
	}
	if (st.failed) {
		goto out;
	}
	if (csv_fini(&parser, csv_field, csv_record, &st) != 0) {
		sheet_fail(s, st.row.line ? st.row.line : st.cur_line,
		           _("CSV: a quoted cell is never closed"));
		goto out;
	}
	r = st.failed ? -1 : 0;
out:
	row_release(&st.row);
	csv_free(&parser);
	free(conv);
	return r;
}

/* ---- .xls (BIFF, through freexl) ---- */

/*
 * The compound-file container (MS-CFB) of an .xls, checked before freexl
 * sees it.  freexl 1.0.6 (Debian 12) converts a directory entry's name
 * with the length the file states, up to 65 535 bytes of a 64-byte field
 * on its stack: a crafted file made it read far past it (found by
 * tests/fuzz/fuzz_sheet; regression input
 * regress-cfb-name-overread.xls).  Here every directory entry on the
 * directory's sector chain must state a name length that fits (0..64
 * bytes, even), and the chain and the FAT that holds it must stay inside
 * the file.  This is not a reader: it refuses what the reader would
 * mishandle, nothing more.
 */
#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_MAX_SECTORS (SHEET_MAX_FILE / 512u)

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The file offset of sector sec, or 0 when the sector is not wholly
 * inside the file (sector sec starts at (sec + 1) << shift). */
static size_t
cfb_sector(size_t len, unsigned shift, uint32_t sec)
{
	size_t at;

	if (sec >= CFB_MAX_SECTORS) {
		return 0;
	}
	at = ((size_t)sec + 1) << shift;
	return at + ((size_t)1 << shift) <= len ? at : 0;
}

/* FAT entry i of the file (buf, len, sectors of 1 << shift bytes), read
 * through the header's DIFAT and the DIFAT sector chain; 0 or -1 when it
 * lies outside the file. */
static int
cfb_fat(const unsigned char *buf, size_t len, unsigned shift, uint32_t i,
        uint32_t *out)
{
	size_t per = ((size_t)1 << shift) / 4;
	size_t fat_sector = i / per, at, k, steps = 0;
	uint32_t sec, difat = le32(buf + 0x44);

	if (fat_sector < 109) {
		sec = le32(buf + 0x4C + 4 * fat_sector);
	} else {
		/* DIFAT sectors: per - 1 entries each, the last one links */
		for (k = fat_sector - 109; k >= per - 1; k -= per - 1) {
			at = cfb_sector(len, shift, difat);
			if (!at || ++steps > CFB_MAX_SECTORS) {
				return -1;
			}
			difat = le32(buf + at + 4 * (per - 1));
		}
		if (!(at = cfb_sector(len, shift, difat))) {
			return -1;
		}
		sec = le32(buf + at + 4 * k);
	}
	if (!(at = cfb_sector(len, shift, sec))) {
		return -1;
	}
	*out = le32(buf + at + 4 * (i % per));
	return 0;
}

/* 0 when the container is one freexl may be given; -1 otherwise. */
static int
cfb_check(const unsigned char *buf, size_t len)
{
	unsigned shift;
	size_t ssz, steps = 0;
	uint32_t sec;

	if (len < 512) {
		return -1;
	}
	shift = le16(buf + 0x1E);
	if ((shift != 9 && shift != 12) || le16(buf + 0x1C) != 0xFFFE) {
		return -1;
	}
	ssz = (size_t)1 << shift;
	for (sec = le32(buf + 0x30); sec != CFB_ENDOFCHAIN;) {
		size_t at = cfb_sector(len, shift, sec);

		if (!at || ++steps > len / ssz) {
			return -1; /* outside the file, or a loop */
		}
		for (size_t e = 0; e < ssz; e += 128) {
			uint16_t n = le16(buf + at + e + 0x40);

			if (n > 64 || n % 2 != 0) {
				return -1;
			}
		}
		if (cfb_fat(buf, len, shift, sec, &sec) != 0) {
			return -1;
		}
	}
	return 0;
}

/* The file at path, read whole and checked by cfb_check; 0, or -1 with
 * s->err. */
static int
xls_precheck(struct sheet *s, const char *path)
{
	unsigned char *buf = NULL;
	struct stat sb;
	size_t n = 0;
	FILE *f = fopen(path, "rb");
	int r = -1;

	if (!f || fstat(fileno(f), &sb) != 0 || sb.st_size < 0 ||
	    (size_t)sb.st_size > SHEET_MAX_FILE ||
	    !(buf = malloc((size_t)sb.st_size + 1))) {
		sheet_fail(s, 1, _("not a readable Excel 97-2003 (.xls) file"));
		goto out;
	}
	n = fread(buf, 1, (size_t)sb.st_size + 1, f);
	if (ferror(f) || n > (size_t)sb.st_size || cfb_check(buf, n) != 0) {
		sheet_fail(s, 1,
		           _("not a readable Excel 97-2003 (.xls) file "
		             "(its container is damaged)"));
		goto out;
	}
	r = 0;
out:
	free(buf);
	if (f) {
		fclose(f);
	}
	return r;
}

/* The worksheet through freexl, in this process (the child's half of
 * sheet_read_xls). */
static int
xls_read(struct sheet *s, const char *path)
{
	const void *h = NULL;
	unsigned int n_rows = 0, info = 0;
	unsigned short n_cols = 0;
	struct sheet_row row;
	int r = -1, rc;

	snprintf(s->format, sizeof(s->format), "xls");
	memset(&row, 0, sizeof(row));
	if (xls_precheck(s, path) != 0) {
		goto out;
	}
	if ((rc = freexl_open(path, &h)) != FREEXL_OK) {
		sheet_fail(s, 1,
		           _("not a readable Excel 97-2003 (.xls) file "
		             "(freexl error %d)"),
		           rc);
		goto out;
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED) {
		sheet_fail(s, 1, _("the workbook is password-protected"));
		goto out;
	}
	if (freexl_get_info(h, FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_DATEMODE_1904) {
		s->date1904 = 1;
	}
	if (freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &n_rows, &n_cols) != FREEXL_OK) {
		sheet_fail(s, 1, _("the workbook has no readable worksheet"));
		goto out;
	}
	for (unsigned int i = 0; i < n_rows; i++) {
		row.line = (size_t)i + 1;
		for (unsigned short j = 0; j < n_cols; j++) {
			FreeXL_CellValue v;
			char num[64];
			const char *t = NULL;
			int isnum = 0;
			double d = 0;

			if (freexl_get_cell_value(h, i, j, &v) != FREEXL_OK) {
				sheet_fail(s, row.line,
				           _("cell %u,%u cannot be read"),
				           i + 1, (unsigned)j + 1);
				goto out;
			}
			switch (v.type) {
			case FREEXL_CELL_INT:
				d = v.value.int_value;
				isnum = 1;
				break;
			case FREEXL_CELL_DOUBLE:
				d = v.value.double_value;
				isnum = 1;
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				t = v.value.text_value;
				break;
			default:
				continue;
			}
			if (isnum) {
				format_number(d, num, sizeof(num));
				t = num;
			}
			if (!t || (!*t && !isnum)) {
				continue;
			}
			if (row_set(&row, j, t, strlen(t), isnum, d) != 0) {
				sheet_fail(s, row.line, "out of memory");
				goto out;
			}
		}
		if (sheet_push(s, &row) != 0) {
			goto out;
		}
	}
	r = 0;
out:
	row_release(&row);
	if (h) {
		freexl_close(h);
	}
	return r;
}

/*
 * freexl runs in a child process.  The container check above stops the
 * directory-name over-read, but freexl 1.0.6 also copies a BIFF string
 * with the character count the file states past the end of its record
 * buffer (a heap over-read of up to 128 KiB; tests/fuzz/fuzz_sheet,
 * regression input regress-biff-string-overread.xls), and what else a
 * hostile .xls does to it is not known.  In a child, a crash or a
 * runaway costs a refusal, not the CLI or session process; the child
 * writes the grid to a pipe and the parent rebuilds it under the same
 * limits (row_set, sheet_push).  What an over-read copies into a cell
 * still comes from this process's memory: .xls files from clerks must
 * not be read in a process that holds what they may not see.
 *
 * The stream: 'D' date1904; per row 'R' line n_cells too_wide, then per
 * cell 'C' col is_number too_long num len text; last 'E' rc err_line
 * len err.  Integers are host-endian (same machine).
 */
struct xls_wire {
	int fd;
	int bad;
};

static void
wire_put(struct xls_wire *w, const void *p, size_t n)
{
	const char *b = p;

	while (n > 0 && !w->bad) {
		ssize_t k = write(w->fd, b, n);

		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			w->bad = 1;
			return;
		}
		b += k;
		n -= (size_t)k;
	}
}

static void
xls_child(int fd, const char *path)
{
	struct xls_wire w = {fd, 0};
	struct rlimit lim = {30, 30};
	struct sheet s;
	uint64_t u;
	uint32_t n;
	int32_t rc;

	/* a runaway parse ends; no core file of this process's memory */
	(void)setrlimit(RLIMIT_CPU, &lim);
	lim.rlim_cur = lim.rlim_max = 0;
	(void)setrlimit(RLIMIT_CORE, &lim);
	memset(&s, 0, sizeof(s));
	rc = (int32_t)xls_read(&s, path);
	wire_put(&w, "D", 1);
	wire_put(&w, &s.date1904, sizeof(s.date1904));
	for (size_t i = 0; i < s.n_rows; i++) {
		const struct sheet_row *r = &s.rows[i];

		u = r->line;
		n = (uint32_t)r->n_cells;
		wire_put(&w, "R", 1);
		wire_put(&w, &u, sizeof(u));
		wire_put(&w, &n, sizeof(n));
		wire_put(&w, &r->too_wide, sizeof(r->too_wide));
		for (size_t j = 0; j < r->n_cells; j++) {
			const struct sheet_cell *c = &r->cells[j];

			if (!c->text) {
				continue;
			}
			n = (uint32_t)j;
			wire_put(&w, "C", 1);
			wire_put(&w, &n, sizeof(n));
			wire_put(&w, &c->is_number, sizeof(c->is_number));
			wire_put(&w, &c->too_long, sizeof(c->too_long));
			wire_put(&w, &c->num, sizeof(c->num));
			n = (uint32_t)c->len;
			wire_put(&w, &n, sizeof(n));
			wire_put(&w, c->text, c->len);
		}
	}
	u = s.err_line;
	n = (uint32_t)strnlen(s.err, sizeof(s.err));
	wire_put(&w, "E", 1);
	wire_put(&w, &rc, sizeof(rc));
	wire_put(&w, &u, sizeof(u));
	wire_put(&w, &n, sizeof(n));
	wire_put(&w, s.err, n);
	_exit(w.bad ? 1 : 0);
}

static int
wire_get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -1;
}

/* Rebuilds the child's grid into s; the child's rc, or -2 when the
 * stream is cut or malformed. */
static int
xls_parent(struct sheet *s, FILE *f)
{
	struct sheet_row row;
	char *text = NULL;
	int r = -2;

	memset(&row, 0, sizeof(row));
	if (!(text = malloc(SHEET_MAX_CELL + 1))) {
		goto out;
	}
	for (;;) {
		char tag;
		uint64_t u;
		uint32_t n, col;
		int isnum, toolong;
		double num;
		int32_t rc;

		if (wire_get(f, &tag, 1) != 0) {
			goto out;
		}
		if (tag == 'D') {
			if (wire_get(f, &s->date1904, sizeof(s->date1904))) {
				goto out;
			}
		} else if (tag == 'R') {
			if ((row.n_cells || row.line) &&
			    sheet_push(s, &row) != 0) {
				r = -1;
				goto out;
			}
			row_release(&row);
			if (wire_get(f, &u, sizeof(u)) ||
			    wire_get(f, &n, sizeof(n)) ||
			    wire_get(f, &row.too_wide, sizeof(row.too_wide))) {
				goto out;
			}
			row.line = (size_t)u;
		} else if (tag == 'C') {
			if (wire_get(f, &col, sizeof(col)) ||
			    wire_get(f, &isnum, sizeof(isnum)) ||
			    wire_get(f, &toolong, sizeof(toolong)) ||
			    wire_get(f, &num, sizeof(num)) ||
			    wire_get(f, &n, sizeof(n)) || n > SHEET_MAX_CELL ||
			    wire_get(f, text, n)) {
				goto out;
			}
			if (row_set(&row, col, text, n, isnum, num) != 0) {
				r = sheet_fail(s, row.line, "out of memory");
				goto out;
			}
			if (col < row.n_cells && toolong) {
				row.cells[col].too_long = 1;
			}
		} else if (tag == 'E') {
			if ((row.n_cells || row.line) &&
			    sheet_push(s, &row) != 0) {
				r = -1;
				goto out;
			}
			if (wire_get(f, &rc, sizeof(rc)) ||
			    wire_get(f, &u, sizeof(u)) ||
			    wire_get(f, &n, sizeof(n)) || n >= sizeof(s->err) ||
			    wire_get(f, s->err, n)) {
				goto out;
			}
			s->err[n] = '\0';
			s->err_line = (size_t)u;
			r = rc == 0 ? 0 : -1;
			if (r != 0 && (!s->err[0] || s->err_line < 1)) {
				r = -2;
			}
			goto out;
		} else {
			goto out;
		}
	}
out:
	row_release(&row);
	free(text);
	return r;
}

int
sheet_read_xls(struct sheet *s, const char *path)
{
	FILE *f = NULL;
	pid_t pid;
	int fds[2], st = 0, r;

	snprintf(s->format, sizeof(s->format), "xls");
	if (pipe(fds) != 0) {
		return sheet_fail(s, 1, _("the .xls file cannot be read: %s"),
		                  strerror(errno));
	}
	fflush(NULL); /* the child leaves with _exit: nothing twice */
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return sheet_fail(s, 1, _("the .xls file cannot be read: %s"),
		                  strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		xls_child(fds[1], path);
	}
	close(fds[1]);
	if ((f = fdopen(fds[0], "rb"))) {
		r = xls_parent(s, f);
		fclose(f);
	} else {
		close(fds[0]);
		r = -2;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
		continue;
	}
	if (r == -2 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* the rows a dead child sent are not a file's rows */
		sheet_release(s);
		s->date1904 = 0;
		return sheet_fail(s, 1,
		                  _("not a readable Excel 97-2003 (.xls) file "
		                    "(the reader stopped on it: the file is "
		                    "damaged or not a spreadsheet)"));
	}
	return r;
}

/* ---- .xlsx (zip of XML parts: minizip and libxml2) ---- */

/* The uncompressed bytes of entry name (NUL-terminated); 1 if absent. */
static int
zip_entry(struct sheet *s, unzFile z, const char *name, char **out,
          size_t *outlen)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = NULL;
	int n, r = -1;

	*out = NULL;
	*outlen = 0;
	if (unzLocateFile(z, name, 1) != UNZ_OK) {
		return 1;
	}
	if (unzOpenCurrentFile(z) != UNZ_OK) {
		return sheet_fail(s, 1,
		                  _("%s: cannot be opened in the zip "
		                    "(encrypted?)"),
		                  name);
	}
	if (!(buf = malloc(cap))) {
		goto nomem;
	}
	for (;;) {
		if (cap - len < (1 << 15)) {
			char *p;

			if (cap >= SHEET_MAX_FILE) {
				sheet_fail(s, 1,
				           _("%s: larger than %u MiB "
				             "uncompressed"),
				           name, SHEET_MAX_FILE >> 20);
				goto out;
			}
			cap *= 2;
			if (!(p = realloc(buf, cap))) {
				goto nomem;
			}
			buf = p;
		}
		n = unzReadCurrentFile(z, buf + len, (unsigned)(cap - len - 1));
		if (n < 0) {
			sheet_fail(s, 1, _("%s: the zip data is damaged"),
			           name);
			goto out;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
	}
	if (unzCloseCurrentFile(z) != UNZ_OK) {
		sheet_fail(s, 1, _("%s: the zip data is damaged"), name);
		goto out_closed;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
nomem:
	sheet_fail(s, 1, "out of memory");
out:
	unzCloseCurrentFile(z);
out_closed:
	free(buf);
	return r;
}

static void
xml_quiet(void *arg, const char *msg, xmlParserSeverities sev,
          xmlTextReaderLocatorPtr loc)
{
	(void)arg;
	(void)msg;
	(void)sev;
	(void)loc;
}

static xmlTextReaderPtr
xml_open(const char *buf, size_t len)
{
	xmlTextReaderPtr rd;

	if (len > (size_t)SHEET_MAX_FILE) {
		return NULL;
	}
	/* No XML_PARSE_NOENT or DTDLOAD: entities are never expanded from
	 * outside, and the network is never asked. */
	rd = xmlReaderForMemory(buf, (int)len, NULL, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	if (rd) {
		xmlTextReaderSetErrorHandler(rd, xml_quiet, NULL);
	}
	return rd;
}

static int
name_is(xmlTextReaderPtr rd, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(rd);

	return n && strcmp((const char *)n, local) == 0;
}

/* The value of attribute local (any namespace when ns is NULL, else one
 * with a namespace); a malloc'd copy or NULL. */
static char *
attr(xmlTextReaderPtr rd, const char *local, int want_ns)
{
	char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(rd) != 1) {
		return NULL;
	}
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(rd);
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);

		if (n && strcmp((const char *)n, local) == 0 &&
		    (!want_ns || (ns && *ns))) {
			const xmlChar *val = xmlTextReaderConstValue(rd);

			v = strdup(val ? (const char *)val : "");
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(rd) == 1);
	xmlTextReaderMoveToElement(rd);
	return v;
}

/* A growable text buffer. */
struct tbuf {
	char *p;
	size_t len, cap;
	int overflow;
};

static int
tbuf_add(struct tbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		if (cap > SHEET_MAX_CELL * 2) {
			b->overflow = 1;
			return 0;
		}
		if (!(p = realloc(b->p, cap))) {
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
	return 0;
}

static const char *
tbuf_str(const struct tbuf *b)
{
	return b->p ? b->p : "";
}

struct sst {
	char **s;
	size_t n, cap;
};

static void
sst_release(struct sst *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->s[i]);
	}
	free(t->s);
	memset(t, 0, sizeof(*t));
}

static int
sst_push(struct sst *t, const char *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **p = realloc(t->s, cap * sizeof(*p));

		if (!p) {
			return -1;
		}
		t->s = p;
		t->cap = cap;
	}
	if (!(t->s[t->n] = strdup(s))) {
		return -1;
	}
	t->n++;
	return 0;
}

/* xl/sharedStrings.xml: each <si> is the text of its <t> elements, the
 * phonetic runs (<rPh>) left out. */
static int
read_sst(struct sheet *s, const char *buf, size_t len, struct sst *t)
{
	xmlTextReaderPtr rd = xml_open(buf, len);
	struct tbuf b = {0};
	int in_si = 0, in_t = 0, rph = 0, rc, r = -1;

	if (!rd) {
		return sheet_fail(s, 1, _("sharedStrings.xml: not XML"));
	}
	while ((rc = xmlTextReaderRead(rd)) == 1) {
		int type = xmlTextReaderNodeType(rd);
		int empty = xmlTextReaderIsEmptyElement(rd);

		if (type == XML_READER_TYPE_ELEMENT) {
			if (name_is(rd, "si")) {
				in_si = 1;
				b.len = 0;
				if (b.p) {
					b.p[0] = '\0';
				}
				if (empty) {
					in_si = 0;
					if (sst_push(t, "") != 0) {
						goto out;
					}
				}
			} else if (name_is(rd, "rPh") && !empty) {
				rph++;
			} else if (name_is(rd, "t") && !empty) {
				in_t = 1;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (name_is(rd, "si") && in_si) {
				in_si = 0;
				if (sst_push(t, tbuf_str(&b)) != 0) {
					goto out;
				}
			} else if (name_is(rd, "rPh") && rph > 0) {
				rph--;
			} else if (name_is(rd, "t")) {
				in_t = 0;
			}
		} else if ((type == XML_READER_TYPE_TEXT ||
		            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		            type == XML_READER_TYPE_CDATA) &&
		           in_si && in_t && !rph) {
			const xmlChar *v = xmlTextReaderConstValue(rd);

			if (v && tbuf_add(&b, (const char *)v) != 0) {
				goto out;
			}
		}
	}
	if (rc < 0) {
		sheet_fail(s, 1, _("sharedStrings.xml: malformed XML"));
		goto out;
	}
	r = 0;
out:
	if (r != 0 && !s->err[0]) {
		sheet_fail(s, 1, "out of memory");
	}
	free(b.p);
	xmlFreeTextReader(rd);
	return r;
}

/* "BC12" -> column 54 (0-based) and row 12; -1 if malformed. */
static int
cell_ref(const char *ref, size_t *col, size_t *row)
{
	size_t c = 0, r = 0;
	const char *p = ref;

	if (!ref) {
		return -1;
	}
	for (; *p >= 'A' && *p <= 'Z'; p++) {
		c = c * 26 + (size_t)(*p - 'A' + 1);
		if (c > 16384) {
			return -1;
		}
	}
	if (c == 0 || p == ref) {
		return -1;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		r = r * 10 + (size_t)(*p - '0');
		if (r > 1048576) {
			return -1;
		}
	}
	if (*p || r == 0) {
		return -1;
	}
	*col = c - 1;
	*row = r;
	return 0;
}

struct xcell {
	size_t col;
	char type[16];
	struct tbuf v;  /* <v> */
	struct tbuf is; /* <is><t> */
	int in_v, in_is_t, rph;
};

/* Stores the finished cell c into row. */
static int
put_cell(struct sheet *s, struct sheet_row *row, struct xcell *c,
         const struct sst *t)
{
	const char *v = tbuf_str(&c->v);
	char num[64];
	double d;
	char *end;

	if (c->v.overflow || c->is.overflow) {
		if (row_set(row, c->col, "", 0, 0, 0) != 0) {
			return -1;
		}
		if (c->col < row->n_cells) {
			row->cells[c->col].too_long = 1;
		}
		return 0;
	}
	if (strcmp(c->type, "s") == 0) {
		unsigned long i = strtoul(v, &end, 10);

		if (!*v || *end || i >= t->n) {
			return sheet_fail(s, row->line,
			                  _("a cell refers to a shared string "
			                    "that does not exist"));
		}
		return row_set(row, c->col, t->s[i], strlen(t->s[i]), 0, 0);
	}
	if (strcmp(c->type, "inlineStr") == 0) {
		return row_set(row, c->col, tbuf_str(&c->is), c->is.len, 0, 0);
	}
	if (strcmp(c->type, "str") == 0 || strcmp(c->type, "e") == 0) {
		return row_set(row, c->col, v, c->v.len, 0, 0);
	}
	if (strcmp(c->type, "b") == 0) {
		return row_set(row, c->col,
		               strcmp(v, "1") == 0 ? "TRUE" : "FALSE",
		               strcmp(v, "1") == 0 ? 4 : 5, 0, 0);
	}
	if (strcmp(c->type, "d") == 0) { /* ISO 8601: keep the date part */
		return row_set(row, c->col, v, c->v.len > 10 ? 10 : c->v.len, 0,
		               0);
	}
	if (!*v) {
		return 0;
	}
	d = strtod(v, &end);
	if (*end || !isfinite(d)) {
		return row_set(row, c->col, v, c->v.len, 0, 0);
	}
	format_number(d, num, sizeof(num));
	return row_set(row, c->col, num, strlen(num), 1, d);
}

static void
xcell_release(struct xcell *c)
{
	free(c->v.p);
	free(c->is.p);
	memset(c, 0, sizeof(*c));
}

/* The first worksheet: <row r="N"><c r="B3" t="..."><v>..</v> or
 * <is><t>..</t></is></c></row>. */
static int
read_worksheet(struct sheet *s, const char *buf, size_t len,
               const struct sst *t)
{
	xmlTextReaderPtr rd = xml_open(buf, len);
	struct sheet_row row;
	struct xcell cell;
	size_t next_row = 1, next_col = 0;
	int in_row = 0, in_c = 0, rc, r = -1;

	memset(&row, 0, sizeof(row));
	memset(&cell, 0, sizeof(cell));
	if (!rd) {
		return sheet_fail(s, 1, _("the worksheet is not XML"));
	}
	while ((rc = xmlTextReaderRead(rd)) == 1) {
		int type = xmlTextReaderNodeType(rd);
		int empty = xmlTextReaderIsEmptyElement(rd);

		if (type == XML_READER_TYPE_ELEMENT && name_is(rd, "row")) {
			char *rr = attr(rd, "r", 0);
			char *end = NULL;
			unsigned long n = rr ? strtoul(rr, &end, 10) : 0;

			if (in_row && sheet_push(s, &row) != 0) {
				goto out;
			}
			row_release(&row);
			row.line = rr && *rr && !*end && n > 0 && n <= 1048576
			               ? n
			               : next_row;
			free(rr);
			next_row = row.line + 1;
			next_col = 0;
			in_row = !empty;
			if (empty) {
				row_release(&row);
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT &&
		           name_is(rd, "row")) {
			if (in_row && sheet_push(s, &row) != 0) {
				goto out;
			}
			row_release(&row);
			in_row = 0;
		} else if (type == XML_READER_TYPE_ELEMENT &&
		           name_is(rd, "c") && in_row) {
			char *ref = attr(rd, "r", 0), *ty = attr(rd, "t", 0);
			size_t col = next_col, rown = 0;

			if (ref && cell_ref(ref, &col, &rown) != 0) {
				sheet_fail(s, row.line,
				           _("a cell has a malformed "
				             "reference"));
				free(ref);
				free(ty);
				goto out;
			}
			xcell_release(&cell);
			cell.col = col;
			snprintf(cell.type, sizeof(cell.type), "%s",
			         ty ? ty : "n");
			free(ref);
			free(ty);
			next_col = col + 1;
			in_c = !empty;
		} else if (type == XML_READER_TYPE_END_ELEMENT &&
		           name_is(rd, "c") && in_c) {
			in_c = 0;
			if (put_cell(s, &row, &cell, t) != 0) {
				goto out;
			}
		} else if (in_c && type == XML_READER_TYPE_ELEMENT && !empty) {
			if (name_is(rd, "v")) {
				cell.in_v = 1;
			} else if (name_is(rd, "rPh")) {
				cell.rph++;
			} else if (name_is(rd, "t")) {
				cell.in_is_t = 1;
			}
		} else if (in_c && type == XML_READER_TYPE_END_ELEMENT) {
			if (name_is(rd, "v")) {
				cell.in_v = 0;
			} else if (name_is(rd, "rPh") && cell.rph > 0) {
				cell.rph--;
			} else if (name_is(rd, "t")) {
				cell.in_is_t = 0;
			}
		} else if (in_c &&
		           (type == XML_READER_TYPE_TEXT ||
		            type == XML_READER_TYPE_CDATA ||
		            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
			const xmlChar *v = xmlTextReaderConstValue(rd);

			if (v && cell.in_v &&
			    tbuf_add(&cell.v, (const char *)v) != 0) {
				goto nomem;
			}
			if (v && cell.in_is_t && !cell.rph &&
			    tbuf_add(&cell.is, (const char *)v) != 0) {
				goto nomem;
			}
		}
		if (s->err[0]) {
			goto out;
		}
	}
	if (rc < 0) {
		sheet_fail(s, row.line ? row.line : 1,
		           _("the worksheet is malformed XML"));
		goto out;
	}
	if (in_row && sheet_push(s, &row) != 0) {
		goto out;
	}
	r = 0;
	goto out;
nomem:
	sheet_fail(s, row.line, "out of memory");
out:
	if (r != 0 && !s->err[0]) {
		sheet_fail(s, row.line, "out of memory");
	}
	xcell_release(&cell);
	row_release(&row);
	xmlFreeTextReader(rd);
	return r;
}

/* workbook.xml: the first sheet's relationship id and the date system. */
static int
read_workbook(struct sheet *s, const char *buf, size_t len, char **rid)
{
	xmlTextReaderPtr rd = xml_open(buf, len);
	int rc;

	*rid = NULL;
	if (!rd) {
		return sheet_fail(s, 1, _("workbook.xml: not XML"));
	}
	while ((rc = xmlTextReaderRead(rd)) == 1) {
		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT) {
			continue;
		}
		if (name_is(rd, "workbookPr")) {
			char *v = attr(rd, "date1904", 0);

			s->date1904 = v && (strcmp(v, "1") == 0 ||
			                    strcmp(v, "true") == 0);
			free(v);
		} else if (name_is(rd, "sheet") && !*rid) {
			*rid = attr(rd, "id", 1);
		}
	}
	xmlFreeTextReader(rd);
	if (rc < 0 || !*rid) {
		return sheet_fail(s, 1, _("workbook.xml: no worksheet"));
	}
	return 0;
}

/* workbook.xml.rels: the targets of the sheet rid and the shared
 * strings, as paths in the zip. */
static int
read_rels(struct sheet *s, const char *buf, size_t len, const char *rid,
          char *sheet, size_t sheetsz, char *sst, size_t sstsz)
{
	xmlTextReaderPtr rd = xml_open(buf, len);
	int rc;

	if (!rd) {
		return sheet_fail(s, 1, _("workbook.xml.rels: not XML"));
	}
	while ((rc = xmlTextReaderRead(rd)) == 1) {
		char *id, *type, *target;
		const char *tg;
		size_t tl;

		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT ||
		    !name_is(rd, "Relationship")) {
			continue;
		}
		id = attr(rd, "Id", 0);
		type = attr(rd, "Type", 0);
		target = attr(rd, "Target", 0);
		tg = target ? target : "";
		/* Targets are relative to xl/, or absolute from the root. */
		if (*tg == '/') {
			tg++;
		}
		tl = strlen(type ? type : "");
		if (id && rid && strcmp(id, rid) == 0) {
			snprintf(sheet, sheetsz, "%s%s",
			         target && *target == '/' ? "" : "xl/", tg);
		} else if (tl >= 14 &&
		         strcmp(type + tl - 14, "/sharedStrings") == 0) {
			snprintf(sst, sstsz, "%s%s",
			         target && *target == '/' ? "" : "xl/", tg);
		}
		free(id);
		free(type);
		free(target);
	}
	xmlFreeTextReader(rd);
	if (rc < 0) {
		return sheet_fail(s, 1, _("workbook.xml.rels: malformed"));
	}
	return 0;
}

int
sheet_read_xlsx(struct sheet *s, const char *path)
{
	char sheet_path[512] = "xl/worksheets/sheet1.xml";
	char sst_path[512] = "xl/sharedStrings.xml";
	char *buf = NULL, *rid = NULL;
	struct sst t = {0};
	unzFile z;
	size_t len;
	int r = -1, e;

	snprintf(s->format, sizeof(s->format), "xlsx");
	xmlInitParser();
	if (!(z = unzOpen64(path))) {
		return sheet_fail(s, 1,
		                  _("not a readable .xlsx file (the "
		                    "zip cannot be opened)"));
	}
	if ((e = zip_entry(s, z, "xl/workbook.xml", &buf, &len)) != 0) {
		if (e > 0) {
			sheet_fail(s, 1,
			           _("not an .xlsx workbook (no "
			             "xl/workbook.xml)"));
		}
		goto out;
	}
	if (read_workbook(s, buf, len, &rid) != 0) {
		goto out;
	}
	free(buf);
	buf = NULL;
	if ((e = zip_entry(s, z, "xl/_rels/workbook.xml.rels", &buf, &len)) < 0) {
		goto out;
	}
	if (e == 0 &&
	    read_rels(s, buf, len, rid, sheet_path, sizeof(sheet_path),
	              sst_path, sizeof(sst_path)) != 0) {
		goto out;
	}
	free(buf);
	buf = NULL;
	if ((e = zip_entry(s, z, sst_path, &buf, &len)) < 0) {
		goto out;
	}
	if (e == 0 && read_sst(s, buf, len, &t) != 0) {
		goto out;
	}
	free(buf);
	buf = NULL;
	if ((e = zip_entry(s, z, sheet_path, &buf, &len)) != 0) {
		if (e > 0) {
			sheet_fail(s, 1,
			           _("the first worksheet (%s) is "
			             "missing from the file"),
			           sheet_path);
		}
		goto out;
	}
	r = read_worksheet(s, buf, len, &t);
out:
	free(buf);
	free(rid);
	sst_release(&t);
	unzClose(z);
	return r;
}
