/*
 * Shared helpers of the subcommands: opening, errors, and output: stored
 * text sanitized for a terminal, CSV cells, and the one listing printer
 * (cli_table) behind every --format text|csv|json.
 */
#include <errno.h>
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

#if defined(__SANITIZE_ADDRESS__)
/* LeakSanitizer's exit check stops the world with ptrace, which a
 * non-dumpable process refuses; let it in at exit. */
static void
dumpable_again(void)
{
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}
#endif

void
cli_harden(void)
{
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#if defined(__SANITIZE_ADDRESS__)
	atexit(dumpable_again);
#endif
}

int
cli_fail_core(struct core *c, int err)
{
	const char *msg = core_errmsg(c);

	return cli_fail("%s", msg && *msg ? msg : core_strerror(err));
}

struct core *
cli_open(const struct cli *cli)
{
	struct core *c = NULL;
	char err[512];

	if (core_open(&c, cli->data_dir, err, sizeof(err)) != 0) {
		cli_fail("%s", err);
		return NULL;
	}
	return c;
}

struct core *
cli_open_as(const struct cli *cli, const char *login)
{
	struct core *c;
	int r;

	if (!login) {
		cli_fail("--as LOGIN is required");
		return NULL;
	}
	if (!(c = cli_open(cli))) {
		return NULL;
	}
	if ((r = core_act_as(c, login)) != 0) {
		cli_fail_core(c, r);
		core_close(c);
		return NULL;
	}
	return c;
}

static const char *const format_name[] = {
	[FMT_TEXT] = "text",
	[FMT_CSV] = "csv",
	[FMT_JSON] = "json",
};

int
cli_format_parse_note(const char *s, unsigned allowed, const char *note,
		      enum cli_format *out)
{
	char list[64] = "";
	size_t i, n = 0, k = 0, len;

	for (i = 0; i < 3; i++) {
		if ((allowed & (1u << i)) && strcmp(s, format_name[i]) == 0) {
			*out = (enum cli_format)i;
			return 0;
		}
		n += (allowed & (1u << i)) != 0;
	}
	/* "text, csv or json" / "text or json" */
	for (i = 0; i < 3; i++) {
		if (!(allowed & (1u << i))) {
			continue;
		}
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
			 k == 0 ? "" : k + 1 == n ? " or " : ", ",
			 format_name[i]);
		k++;
	}
	for (i = 0; note && i < 3; i++) {
		if (strcmp(s, format_name[i]) == 0) {
			return cli_fail("--format: must be %s, not '%s' (%s)",
					list, s, note);
		}
	}
	return cli_fail("--format: must be %s, not '%s'", list, s);
}

int
cli_format_parse(const char *s, unsigned allowed, enum cli_format *out)
{
	return cli_format_parse_note(s, allowed, NULL, out);
}

int
cli_operand_id(const char *s, int64_t *id)
{
	if (cli_parse_id(s, id) != 0) {
		return cli_fail("'%s' is not a nominee number", s);
	}
	return 0;
}

int
cli_parse_seq(const char *s, uint64_t *seq)
{
	int64_t v = 0;

	*seq = 0;
	if (!s) {
		return 0;
	}
	if (cli_parse_id(s, &v) != 0) {
		return cli_fail("--expect-seq: '%s' is not a seq (the number "
				"`nominee show` prints after \"seq\")",
				s);
	}
	*seq = (uint64_t)v;
	return 0;
}


int
cli_parse_format(const char *s, enum cli_format *out)
{
	return cli_format_parse(s, CLI_FORMATS_ALL, out);
}

char *
cli_sanitize_dup(const char *s, int keep_lf)
{
	size_t size = strlen(s ? s : "") * 8 + 1; /* "<U+001B>" per byte */
	char *p = malloc(size);

	if (!p) {
		fputs("nomdesk: out of memory\n", stderr);
		exit(1);
	}
	utf8_sanitize(s ? s : "", p, size, keep_lf);
	return p;
}

void
cli_put_text(FILE *f, const char *s)
{
	char *safe = cli_sanitize_dup(s, 0);

	fputs(safe, f);
	free(safe);
}

void
cli_put_csv(FILE *f, const char *s, int last)
{
	char *buf = cli_sanitize_dup(s, 1);
	const char *p;

	fputc('"', f);
	/* A cell a spreadsheet would evaluate is kept as text (the one
	 * guard, shared with core's exports). */
	if (core_cell_needs_guard(buf)) {
		fputc('\'', f);
	}
	for (p = buf; *p; p++) {
		if (*p == '"') {
			fputc('"', f);
		}
		fputc(*p, f);
	}
	fputc('"', f);
	fputs(last ? "\r\n" : ",", f);
	free(buf);
}

/* ---- listings ---- */

struct json_object *
cli_json_string(const char *s)
{
	char *safe = cli_sanitize_dup(s, 1);
	json_object *o = json_object_new_string(safe);

	free(safe);
	if (!o) {
		fputs("nomdesk: out of memory\n", stderr);
		exit(1);
	}
	return o;
}

void
cli_json_print(struct json_object *o)
{
	if (!o) {
		return;
	}
	puts(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* A decimal number as JSON, or NULL if v is not one ("" is null). */
static json_object *
json_number(const char *v)
{
	char *end;
	long long i;

	if (!v[0]) {
		return NULL;
	}
	errno = 0;
	i = strtoll(v, &end, 10);
	if (*end == '\0' && errno == 0) {
		return json_object_new_int64(i);
	}
	errno = 0;
	(void)strtod(v, &end);
	/* plain decimals only: strtod also takes "inf" and hex */
	if (*end == '\0' && errno == 0 &&
	    v[strspn(v, "-0123456789.")] == '\0') {
		/* kept as written: "3.50" stays "3.50" */
		return json_object_new_double_s(strtod(v, NULL), v);
	}
	return cli_json_string(v);
}

static json_object *
json_cell(const struct cli_table *t, size_t i, const char *v)
{
	switch (t->type ? t->type[i] : CLI_COL_STR) {
	case CLI_COL_NUM:
		return json_number(v);
	case CLI_COL_BOOL:
		return v[0] ? json_object_new_boolean(strcmp(v, "0") != 0)
			    : NULL;
	case CLI_COL_STR:
		break;
	}
	return cli_json_string(v);
}

static void
table_begin(struct cli_table *t)
{
	size_t i;

	if (t->started) {
		return;
	}
	t->started = 1;
	if (t->fmt == FMT_JSON) {
		t->arr = json_object_new_array();
		return;
	}
	if (t->fmt == FMT_CSV) {
		fputs("\xEF\xBB\xBF", stdout);
		for (i = 0; i < t->n_cols; i++) {
			cli_put_csv(stdout, t->cols[i], i + 1 == t->n_cols);
		}
		return;
	}
	if (t->title[0]) {
		printf("%s\n", t->title);
	}
	for (i = 0; i < t->n_cols; i++) {
		int w = t->width && i + 1 < t->n_cols ? t->width[i] : 0;

		printf("%-*s%s", w, t->cols[i],
		       i + 1 == t->n_cols ? "\n" : " ");
	}
}

void
cli_put_fit(FILE *f, const char *s, int cols)
{
	char *safe = cli_sanitize_dup(s, 0), *fit;
	size_t w, size;

	if (cols <= 0) {
		fputs(safe, f);
		free(safe);
		return;
	}
	size = strlen(safe) + 8;
	if (!(fit = malloc(size))) {
		fputs("nomdesk: out of memory\n", stderr);
		exit(1);
	}
	w = utf8_fit(safe, (size_t)cols, fit, size);
	fprintf(f, "%s%*s", fit, (int)((size_t)cols - w), "");
	free(fit);
	free(safe);
}

void
cli_table_row(struct cli_table *t, const char *const *v)
{
	size_t i;

	table_begin(t);
	if (t->fmt == FMT_JSON) {
		json_object *o = json_object_new_object();

		for (i = 0; i < t->n_cols; i++) {
			json_object_object_add(o, t->cols[i],
					       json_cell(t, i, v[i]));
		}
		json_object_array_add(t->arr, o);
		return;
	}
	for (i = 0; i < t->n_cols; i++) {
		int last = i + 1 == t->n_cols;

		if (t->fmt == FMT_CSV) {
			cli_put_csv(stdout, v[i], last);
			continue;
		}
		cli_put_fit(stdout, v[i],
			    t->width && !last ? t->width[i] : 0);
		fputs(last ? "\n" : " ", stdout);
	}
}

void
cli_table_end(struct cli_table *t)
{
	table_begin(t);
	if (t->fmt == FMT_JSON) {
		cli_json_print(t->arr);
		t->arr = NULL;
	}
}

void
cli_table_drop(struct cli_table *t)
{
	json_object_put(t->arr);
	t->arr = NULL;
}

int
cli_read_secret(char *buf, size_t n)
{
	size_t len;

	if (!fgets(buf, (int)n, stdin)) {
		return -1;
	}
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
		buf[--len] = '\0';
	}
	return 0;
}

int
cli_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s || !*s) {
		return -1;
	}
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0) {
		return -1;
	}
	*id = v;
	return 0;
}

/* A 32-byte Ed25519 public key in standard padded base64 (alphabet
 * checked first: libsodium 1.0.18 reads bytes >= 0x80 as '/'). */
int
cli_parse_pubkey(const char *b64, uint8_t pk[32])
{
	size_t n = 0;

	if (!b64 || strlen(b64) != 44 ||
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789+/=") != 44) {
		return -1;
	}
	return sodium_base642bin(pk, 32, b64, 44, NULL, &n, NULL,
				 sodium_base64_VARIANT_ORIGINAL) == 0 &&
		       n == 32
		       ? 0
		       : -1;
}

char *
cli_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		return NULL;
	}
	if (!(buf = malloc(max + 1))) {
		if (f != stdin) {
			fclose(f);
		}
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	if (f != stdin) {
		fclose(f);
	}
	if (n > max) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
