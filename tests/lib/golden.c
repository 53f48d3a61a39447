/*
 * golden: the screen as a file, compared cell by cell (see golden.h).
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lib/golden.h"
#include "tests/lib/runner.h"
#include "tests/lib/sshclient.h"
#include "tests/lib/vt.h"

#define GOLDEN_MAX_COLS 512
#define GOLDEN_BUF (1 << 18)

const char *const golden_masks_common[] = {
	/* a time of day, with its date and zone when shown */
	"([0-9]{4}-[0-9]{2}-[0-9]{2}[ T])?[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
	"( ?(UTC|CST|[+-][0-9]{2}:?[0-9]{2}))?",
	/* digests, fingerprints, nonces */
	"[0-9a-f]{12,}",
	NULL,
};

struct cell {
	char text[32];
	int width; /* 1 or 2; 0 for the right half of a wide character */
	char spec[48];
};

static void
cell_spec(const struct vt *vt, int row, int col, char *out, size_t size)
{
	static const struct {
		int bit;
		const char *name;
	} names[] = {
		{VT_BOLD, "b"},    {VT_UNDERLINE, "u"}, {VT_REVERSE, "r"},
		{VT_ITALIC, "i"}, {VT_BLINK, "k"},
	};
	int a = vt_attrs(vt, row, col), fg, bg;
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (a & names[i].bit) {
			n += (size_t)snprintf(out + n, size - n, "%s%s",
					      n ? "," : "", names[i].name);
		}
	}
	vt_colors(vt, row, col, &fg, &bg);
	if (fg >= 0 && n < size) {
		n += (size_t)snprintf(out + n, size - n, "%sf%d", n ? "," : "",
				      fg);
	}
	if (bg >= 0 && n < size) {
		snprintf(out + n, size - n, "%sg%d", n ? "," : "", bg);
	}
}

/* Replaces the cells a mask's match covers by '#' per column. */
static void
row_mask(struct cell *cells, int cols, const regex_t *re, size_t nre)
{
	char text[GOLDEN_MAX_COLS * 32];
	int start[GOLDEN_MAX_COLS * 32 / 1];

	for (size_t m = 0; m < nre; m++) {
		size_t n = 0, off = 0;
		regmatch_t pm;

		for (int c = 0; c < cols; c++) {
			size_t k = strlen(cells[c].text);

			for (size_t j = 0; j < k; j++) {
				start[n + j] = c;
			}
			memcpy(text + n, cells[c].text, k);
			n += k;
		}
		text[n] = '\0';
		while (off < n &&
		       regexec(&re[m], text + off, 1, &pm,
			       off ? REG_NOTBOL : 0) == 0) {
			size_t so = off + (size_t)pm.rm_so,
			       eo = off + (size_t)pm.rm_eo;

			if (eo == so) {
				off = so + 1;
				continue;
			}
			for (int c = start[so]; c <= start[eo - 1]; c++) {
				if (cells[c].width == 2 && c + 1 < cols) {
					snprintf(cells[c + 1].text,
						 sizeof(cells[c + 1].text), "#");
					cells[c + 1].width = 1;
				}
				if (cells[c].width != 0) {
					snprintf(cells[c].text,
						 sizeof(cells[c].text), "#");
					cells[c].width = 1;
				}
			}
			off = eo;
		}
	}
}

/* Appends s at n, truncating to fit; returns the new length. */
static size_t
put(char *buf, size_t size, size_t n, const char *s)
{
	size_t k = strlen(s);

	if (n + k >= size) {
		k = n + 1 < size ? size - n - 1 : 0;
	}
	memcpy(buf + n, s, k);
	buf[n + k] = '\0';
	return n + k;
}

static size_t
row_render(const struct vt *vt, int row, int cols, const regex_t *re,
	   size_t nre, char *buf, size_t size, size_t n)
{
	struct cell cells[GOLDEN_MAX_COLS];
	size_t end = 0, line;
	char run[64];
	int c0;

	for (int c = 0; c < cols; c++) {
		cells[c].width = vt_cell(vt, row, c, cells[c].text,
					 sizeof(cells[c].text));
		if (cells[c].width < 0) {
			cells[c].width = 1;
			snprintf(cells[c].text, sizeof(cells[c].text), " ");
		}
		if (cells[c].width == 0 && c > 0) {
			/* the right half is drawn as its left half is */
			cells[c].text[0] = '\0';
			memcpy(cells[c].spec, cells[c - 1].spec,
			       sizeof(cells[c].spec));
			continue;
		}
		cell_spec(vt, row, c, cells[c].spec, sizeof(cells[c].spec));
	}
	row_mask(cells, cols, re, nre);
	n = put(buf, size, n, "|");
	line = n;
	for (int c = 0; c < cols; c++) {
		n = put(buf, size, n, cells[c].text);
		if (strcmp(cells[c].text, " ") != 0 && cells[c].text[0]) {
			end = n;
		}
	}
	n = end > line ? end : line; /* trailing blanks dropped */
	n = put(buf, size, n, "\n");
	for (int c = 0; c < cols; c = c0) {
		c0 = c + 1;
		if (cells[c].spec[0] == '\0') {
			continue;
		}
		while (c0 < cols && strcmp(cells[c0].spec, cells[c].spec) == 0) {
			c0++;
		}
		if (buf[n - 1] == '\n') {
			n = put(buf, size, n, "@");
		}
		snprintf(run, sizeof(run), " %d-%d:", c, c0 - 1);
		n = put(buf, size, n, run);
		n = put(buf, size, n, cells[c].spec);
	}
	if (buf[n - 1] != '\n') {
		n = put(buf, size, n, "\n");
	}
	return n;
}

size_t
golden_render(const struct vt *vt, const char *const *masks, char *buf,
	      size_t size)
{
	regex_t re[16];
	size_t nre = 0, n = 0;
	int rows, cols, cr, cc;
	char head[96];

	if (masks == NULL) {
		masks = golden_masks_common;
	}
	for (; masks[nre] != NULL && nre < 16; nre++) {
		if (regcomp(&re[nre], masks[nre], REG_EXTENDED) != 0) {
			test_fail(__FILE__, __LINE__, "bad mask %s",
				  masks[nre]);
			exit(1);
		}
	}
	vt_size(vt, &rows, &cols);
	vt_cursor(vt, &cr, &cc);
	if (cols > GOLDEN_MAX_COLS) {
		cols = GOLDEN_MAX_COLS;
	}
	snprintf(head, sizeof(head), "# %dx%d cursor %d,%d\n", cols, rows, cr,
		 cc);
	n = put(buf, size, n, head);
	for (int r = 0; r < rows; r++) {
		n = row_render(vt, r, cols, re, nre, buf, size, n);
	}
	for (size_t i = 0; i < nre; i++) {
		regfree(&re[i]);
	}
	return n;
}

static void
golden_path(const char *name, const char *suffix, char *out, size_t size)
{
	const char *dir = getenv("NOMDESK_GOLDEN_DIR");

	snprintf(out, size, "%s/%s%s", dir ? dir : "tests/golden", name,
		 suffix);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long len;

	if (f == NULL) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	s = malloc((size_t)len + 1);
	if (s != NULL) {
		s[fread(s, 1, (size_t)len, f)] = '\0';
	}
	fclose(f);
	return s;
}

static int
spit(const char *path, const char *text)
{
	char dir[1024], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			return -1;
		}
		*slash = '/';
	}
	if ((f = fopen(path, "w")) == NULL) {
		return -1;
	}
	fputs(text, f);
	return fclose(f);
}

/* Every line that differs, want and got, for the failure message. */
static void
report(const char *want, const char *got, char *out, size_t size)
{
	size_t n = 0;
	int line = 0, shown = 0;

	out[0] = '\0';
	while ((*want || *got) && shown < 12) {
		size_t lw = strcspn(want, "\n"), lg = strcspn(got, "\n");

		if (lw != lg || memcmp(want, got, lw) != 0) {
			int k = snprintf(out + n, size - n,
					 "  line %d\n    want %.*s\n    got  %.*s\n",
					 line + 1, (int)lw, want, (int)lg, got);

			n += k > 0 ? (size_t)k : 0;
			if (n >= size) {
				return;
			}
			shown++;
		}
		want += lw + (want[lw] == '\n');
		got += lg + (got[lg] == '\n');
		line++;
	}
}

bool
golden_check_at(struct sshclient *c, const char *name,
		const char *const *masks, const char *file, int line)
{
	char path[1024], *want, *got = malloc(GOLDEN_BUF), *prev = NULL;
	int update = getenv("NOMDESK_GOLDEN_UPDATE") != NULL &&
		     strcmp(getenv("NOMDESK_GOLDEN_UPDATE"), "0") != 0;
	int64_t deadline = sshclient_now_ms() + 5000;
	bool ok = false;

	golden_path(name, ".txt", path, sizeof(path));
	want = update ? NULL : slurp(path);
	if (!update && want == NULL) {
		test_fail(file, line, "no golden %s (run make golden)", path);
		free(got);
		return false;
	}
	for (;;) {
		sshclient_pump(c, update ? 300 : 100);
		golden_render(sshclient_vt(c), masks, got, GOLDEN_BUF);
		if (!update && strcmp(want, got) == 0) {
			ok = true;
			break;
		}
		if (update && prev != NULL && strcmp(prev, got) == 0) {
			ok = spit(path, got) == 0;
			if (!ok) {
				test_fail(file, line, "cannot write %s", path);
			}
			break;
		}
		if (sshclient_now_ms() > deadline) {
			break;
		}
		free(prev);
		prev = strdup(got);
	}
	if (!ok && !update) {
		char *diff = malloc(16384), actual[1024];
		const char *dir = getenv("NOMDESK_GOLDEN_ACTUAL");

		snprintf(actual, sizeof(actual), "%s/%s.txt",
			 dir ? dir : "/tmp/nomdesk-golden-actual", name);
		spit(actual, got);
		report(want, got, diff, 16384);
		test_fail(file, line, "screen differs from %s (seen: %s):\n%s",
			  path, actual, diff);
		free(diff);
	}
	free(prev);
	free(want);
	free(got);
	return ok;
}
