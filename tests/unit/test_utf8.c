/*
 * core/utf8.c: the text rules of docs/SECURITY.md "Text", table-driven.
 * Every class of security.md 3.3 has rows here: CJK (BMP and Extensions B
 * and H), emoji, combining marks (Zalgo), invalid UTF-8, C0/C1/DEL/ESC,
 * bidi controls, zero-width and filler characters, private use.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tests/lib/runner.h"

struct decode_row {
	const char *in;
	size_t len;
	int want_n;
	uint32_t want_cp;
};

static void
test_utf8__decode_strict(void)
{
	static const struct decode_row rows[] = {
		{"A", 1, 1, 'A'},
		{"\xC2\xB7", 2, 2, 0xB7},
		{"\xE4\xB8\xAD", 3, 3, 0x4E2D},           /* 中 */
		{"\xF0\xA0\x80\x80", 4, 4, 0x20000},      /* Ext B */
		{"\xF0\xB1\x8D\x90", 4, 4, 0x31350},      /* Ext H */
		{"\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF},
		{"\xC0\xAF", 2, -1, 0},                   /* overlong '/' */
		{"\xC1\xBF", 2, -1, 0},                   /* overlong */
		{"\xE0\x80\xAF", 3, -1, 0},               /* overlong */
		{"\xF0\x80\x80\xAF", 4, -1, 0},           /* overlong */
		{"\xED\xA0\x80", 3, -1, 0},               /* U+D800 */
		{"\xED\xBF\xBF", 3, -1, 0},               /* U+DFFF */
		{"\xF4\x90\x80\x80", 4, -1, 0},           /* U+110000 */
		{"\xF5\x80\x80\x80", 4, -1, 0},
		{"\xFF", 1, -1, 0},
		{"\x80", 1, -1, 0},                       /* lone continuation */
		{"\xE4\xB8", 2, -1, 0},                   /* truncated */
		{"\xE4\xB8\xAD", 2, -1, 0},               /* len cuts it */
		{"\xE4\x41\xAD", 3, -1, 0},               /* bad continuation */
		{"", 0, -1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t cp = 0;
		int n = utf8_decode(rows[i].in, rows[i].len, &cp);

		if (n != rows[i].want_n ||
		    (n > 0 && cp != rows[i].want_cp)) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: got %d U+%04X, want %d U+%04X", i,
				  n, (unsigned)cp, rows[i].want_n,
				  (unsigned)rows[i].want_cp);
		}
	}
}

static void
test_utf8__encode_round_trip(void)
{
	static const uint32_t cps[] = {0, 'A', 0x7F, 0x80, 0x7FF, 0x800,
				       0x4E2D, 0xFFFD, 0x10000, 0x20000,
				       0x31350, 0x10FFFF};
	size_t i;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char buf[4];
		uint32_t back = 0;
		int n = utf8_encode(cps[i], buf);

		CHECK_INT(utf8_decode(buf, (size_t)n, &back), n);
		CHECK_INT(back, cps[i]);
	}
}

struct check_row {
	const char *in;
	enum utf8_kind kind;
	size_t max_cols;
	int want;          /* 0 or -1 */
	const char *why;   /* substring expected in the reason */
};

static void
test_utf8__check_rules(void)
{
	static const struct check_row rows[] = {
		{"张三", UTF8_LINE, 64, 0, NULL},
		{"Zhang San", UTF8_LINE, 64, 0, NULL},
		{"阿依古丽·买买提", UTF8_LINE, 64, 0, NULL},
		{"主任医师", UTF8_LINE, 200, 0, NULL},
		{"\xF0\xA0\x80\x80", UTF8_LINE, 64, 0, NULL},      /* Ext B */
		{"王\xF0\xB1\x8D\x90", UTF8_LINE, 64, 0, NULL},    /* Ext H */
		{"\xF0\x9F\x98\x80", UTF8_LINE, 64, 0, NULL},      /* emoji */
		{"x\xCC\x81\xCC\x82", UTF8_LINE, 0, 0, NULL},      /* 2 marks */
		{"x\xCC\x81\xCC\x82\xCC\x83", UTF8_LINE, 0, -1,
		 "U+0303, a third combining mark"},                /* Zalgo */
		{"\xCC\x81x", UTF8_LINE, 0, -1, "without a base"},
		{"a\nb", UTF8_MULTI, 0, 0, NULL},
		{"a\nb", UTF8_LINE, 0, -1, "U+000A"},
		{"a\r\nb", UTF8_MULTI, 0, -1, "U+000D, a carriage return"},
		{"a\tb", UTF8_LINE, 0, -1, "U+0009, a tab"},
		{"a\x1b[2Jb", UTF8_LINE, 0, -1, "U+001B, a control"},
		{"a\x7f", UTF8_LINE, 0, -1, "U+007F, a control"},
		{"a\xC2\x9B", UTF8_LINE, 0, -1, "U+009B, a C1 control"},
		{"ab\xE2\x80\xAE" "cd", UTF8_LINE, 0, -1,
		 "U+202E, a bidirectional control"},
		{"\xE2\x81\xA6x", UTF8_LINE, 0, -1,
		 "U+2066, a bidirectional control"},
		{"\xD8\x9C", UTF8_LINE, 0, -1, "U+061C, a bidirectional"},
		{"张\xE2\x80\x8B三", UTF8_LINE, 0, -1,
		 "U+200B, an invisible character"},
		{"\xEF\xBB\xBF张三", UTF8_LINE, 0, -1, "U+FEFF, an invisible"},
		{"\xE3\x85\xA4", UTF8_LINE, 0, -1, "U+3164, a Hangul filler"},
		{"a\xC2\xAD" "b", UTF8_LINE, 0, -1, "U+00AD"},
		{"\xE2\x9D\xA4\xEF\xB8\x8F", UTF8_LINE, 0, -1,
		 "U+FE0F, an invisible"},
		/* Mongolian free variation selectors, vowel separator */
		{"\xE1\xA0\xA0\xE1\xA0\x8B", UTF8_LINE, 0, -1,
		 "U+180B, an invisible"},
		{"张\xE1\xA0\x8C三", UTF8_LINE, 0, -1, "U+180C, an invisible"},
		{"a\n\xE1\xA0\x8D", UTF8_MULTI, 0, -1, "U+180D, an invisible"},
		{"\xE1\xA0\x8E", UTF8_LINE, 0, -1, "U+180E, an invisible"},
		{"\xE1\xA0\xA0\xE1\xA0\x8F", UTF8_LINE, 0, -1,
		 "U+180F, an invisible"},
		{"\xE1\xA0\x8A\xE1\xA0\xA0", UTF8_LINE, 0, 0, NULL},
		{"\xEE\x80\x80", UTF8_LINE, 0, -1, "U+E000, a private-use"},
		{"\xF3\xB0\x80\x80", UTF8_LINE, 0, -1, "U+F0000, a private"},
		{"\xEF\xB7\x90", UTF8_LINE, 0, -1, "U+FDD0, a noncharacter"},
		{"\xEF\xBF\xBE", UTF8_LINE, 0, -1, "U+FFFE, a noncharacter"},
		{"\xCD\xB8", UTF8_LINE, 0, -1, "U+0378, an unassigned"},
		{"\xE2\x80\xA8", UTF8_LINE, 0, -1, "U+2028, a line"},
		{"\xC0\xAF", UTF8_LINE, 0, -1, "not valid UTF-8 (byte 1)"},
		{"ab\xED\xA0\x80", UTF8_LINE, 0, -1, "byte 3"},
		{"ab\xE4\xB8", UTF8_LINE, 0, -1, "not valid UTF-8"},
		{"\xF4\x90\x80\x80", UTF8_LINE, 0, -1, "not valid UTF-8"},
		{"e\xCC\x81", UTF8_LINE, 0, -1, "normalization form C"},
		{"\xEF\xA4\x80", UTF8_LINE, 0, -1, "normalization"}, /* U+F900 */
		{"一二三四", UTF8_LINE, 8, 0, NULL},
		{"一二三四五", UTF8_LINE, 8, -1, "10 columns wide, more than 8"},
		{"", UTF8_LINE, 64, 0, NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char why[128] = "x";
		int r = utf8_check(rows[i].in, rows[i].kind, rows[i].max_cols,
				   why, sizeof(why));

		if (r != rows[i].want) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: got %d (%s), want %d", i, r, why,
				  rows[i].want);
		} else if (r == 0 && why[0] != '\0') {
			test_fail(__FILE__, __LINE__,
				  "row %zu: why not cleared: %s", i, why);
		} else if (rows[i].why && !strstr(why, rows[i].why)) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: why \"%s\", want \"%s\"", i, why,
				  rows[i].why);
		}
	}
}

static void
test_utf8__check_null_why(void)
{
	CHECK_INT(utf8_check("a\x1b", UTF8_LINE, 0, NULL, 0), -1);
	CHECK_INT(utf8_check("ok", UTF8_LINE, 0, NULL, 0), 0);
}

struct norm_row {
	const char *in;
	const char *want; /* NULL: -1 */
};

static void
test_utf8__normalize(void)
{
	static const struct norm_row rows[] = {
		{"e\xCC\x81", "\xC3\xA9"},                     /* NFC */
		{"\xEF\xA4\x80", "\xE8\xB1\x88"},              /* U+F900 */
		{"a\r\nb", "a\nb"},
		{"a\tb", "a b"},
		{"a\rb", "a\rb"},                              /* check rejects */
		{"a\r\r\nb", "a\nb"},
		/* middle dot look-alikes between letters become U+00B7 */
		{"阿依古丽\xE3\x83\xBB买买提", "阿依古丽·买买提"},  /* U+30FB */
		{"阿\xE2\x80\xA7凡", "阿·凡"},                 /* U+2027 */
		{"Jean\xEF\xBC\x8EPaul", "Jean·Paul"},          /* U+FF0E */
		{"\xE3\x83\xBB" "a", "\xE3\x83\xBB" "a"},       /* not between */
		{"1\xEF\xBC\x8E" "5", "1\xEF\xBC\x8E" "5"},     /* digits */
		{"\xF0\xB1\x8D\x90", "\xF0\xB1\x8D\x90"},       /* Ext H kept */
		{"\xC0\xAF", NULL},
		{"ab\xE4\xB8", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[64];
		int r = utf8_normalize(rows[i].in, out, sizeof(out));

		if (!rows[i].want) {
			CHECK_INT(r, -1);
			continue;
		}
		CHECK_INT(r, 0);
		if (r == 0 && strcmp(out, rows[i].want) != 0) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: \"%s\", want \"%s\"", i, out,
				  rows[i].want);
		}
	}
}

static void
test_utf8__normalize_out_too_small(void)
{
	char out[4];

	CHECK_INT(utf8_normalize("abc", out, sizeof(out)), 0);
	CHECK_STR(out, "abc");
	CHECK_INT(utf8_normalize("abcd", out, sizeof(out)), -1);
	CHECK_INT(utf8_normalize("中中", out, sizeof(out)), -1);
	CHECK_INT(utf8_normalize("a", out, 0), -1);
}

static void
test_utf8__normalize_long_text_in_chunks(void)
{
	/* longer than one NFC chunk: 600 x "é" decomposed, with spaces */
	static char in[600 * 4 + 1], out[sizeof(in)], want[sizeof(in)];
	size_t i, n = 0, m = 0;

	for (i = 0; i < 600; i++) {
		memcpy(in + n, i % 7 == 6 ? " " : "e\xCC\x81", i % 7 == 6 ? 1 : 3);
		n += i % 7 == 6 ? 1 : 3;
		memcpy(want + m, i % 7 == 6 ? " " : "\xC3\xA9", i % 7 == 6 ? 1 : 2);
		m += i % 7 == 6 ? 1 : 2;
	}
	in[n] = want[m] = '\0';
	CHECK_INT(utf8_normalize(in, out, sizeof(out)), 0);
	CHECK(strcmp(out, want) == 0);
	CHECK_INT(utf8_check(out, UTF8_LINE, 0, NULL, 0), 0);
	CHECK_INT(utf8_check(in, UTF8_LINE, 0, NULL, 0), -1);
}

static void
test_utf8__normalize_then_check_accepts_names(void)
{
	static const char *const names[] = {
		"张三", "欧阳\xF0\xA0\x80\x80", "阿依古丽\xE3\x83\xBB买买提",
		"José", "Jose\xCC\x81", "李\xF0\xB1\x8D\x90",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char out[64], why[128];

		CHECK_INT(utf8_normalize(names[i], out, sizeof(out)), 0);
		if (utf8_check(out, UTF8_LINE, 64, why, sizeof(why)) != 0) {
			test_fail(__FILE__, __LINE__, "%s: %s", names[i], why);
		}
	}
}

static void
test_utf8__fold_width(void)
{
	char out[64];

	CHECK_INT(utf8_fold_width("１９７５－０３－０２", out, sizeof(out)), 0);
	CHECK_STR(out, "1975-03-02");
	CHECK_INT(utf8_fold_width("张\xE3\x80\x80三", out, sizeof(out)), 0);
	CHECK_STR(out, "张 三");
	CHECK_INT(utf8_fold_width("\xFF", out, sizeof(out)), -1);
	CHECK_INT(utf8_fold_width("abcdef", out, 4), -1);
}

struct san_row {
	const char *in;
	int keep_lf;
	const char *want;
};

static void
test_utf8__sanitize_classes(void)
{
	static const struct san_row rows[] = {
		{"张三", 0, "张三"},
		{"\xF0\xA0\x80\x80\xF0\xB1\x8D\x90", 0,
		 "\xF0\xA0\x80\x80\xF0\xB1\x8D\x90"},
		{"\x1b]0;pwned\x07", 0, "<U+001B>]0;pwned<U+0007>"},
		{"\x1b[2J", 0, "<U+001B>[2J"},
		{"a\x7f" "b", 0, "a<U+007F>b"},
		{"a\xC2\x9B" "b", 0, "a<U+009B>b"},
		{"H\rX", 0, "H<U+000D>X"},
		{"a\r\nb", 1, "a\nb"},
		{"a\r\nb", 0, "a b"},
		{"a\nb", 0, "a b"},
		{"a\nb", 1, "a\nb"},
		{"a\tb", 0, "a b"},
		{"a\bb", 0, "a<U+0008>b"},
		{"ab\xE2\x80\xAE" "cd", 0, "ab<U+202E>cd"},
		{"\xE2\x81\xA6x\xE2\x81\xA9", 0, "<U+2066>x<U+2069>"},
		{"张\xE2\x80\x8B三", 0, "张<U+200B>三"},
		{"\xEF\xBB\xBFx", 0, "<U+FEFF>x"},
		{"\xE1\xA0\xA0\xE1\xA0\x8B", 0, "\xE1\xA0\xA0<U+180B>"},
		{"张\xE1\xA0\x8F三", 0, "张<U+180F>三"},
		{"\xE1\xA0\x8Ex", 0, "<U+180E>x"},
		{"x\xEF\xB8\x80", 0, "x<U+FE00>"},
		{"\xE3\x85\xA4", 0, "<U+3164>"},
		{"\xEE\x80\x80", 0, "<U+E000>"},
		{"\xEF\xBF\xBE", 0, "<U+FFFE>"},
		{"\xCD\xB8", 0, "<U+0378>"},
		{"\xFF\xFE", 0, "\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"a\xC0\xAF" "b", 0, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b"},
		{"\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"ab\xE4\xB8", 0, "ab\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"e\xCC\x81\xCC\x82", 0, "e\xCC\x81\xCC\x82"},
		{"e\xCC\x81\xCC\x82\xCC\x83\xCC\x84", 0,
		 "e\xCC\x81\xCC\x82<U+0303><U+0304>"},
		{"\xCC\x81x", 0, "<U+0301>x"},
		{"a\n\xCC\x81", 1, "a\n<U+0301>"},
		{"a\n\xCC\x81", 0, "a \xCC\x81"},
		{"e\xCC\x81", 0, "e\xCC\x81"}, /* not NFC, but harmless */
		{"", 0, ""},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[128];
		size_t n = utf8_sanitize(rows[i].in, out, sizeof(out),
					 rows[i].keep_lf);

		if (strcmp(out, rows[i].want) != 0 || n != strlen(out)) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: \"%s\" (%zu), want \"%s\"", i, out,
				  n, rows[i].want);
		}
	}
}

static void
test_utf8__sanitize_idempotent(void)
{
	static const char *const in[] = {
		"e\xCC\x81\xCC\x82\xCC\x83\xCC\x84x\xCC\x81",
		"\xE2\x80\xAE\xCC\x81\xCC\x81\xCC\x81",
		"\xFF\xCC\x81\xCC\x81\xCC\x81",
		"a\r\n\r\xCC\x81\t\x01",
		"\n\n\xCC\x81",
	};
	size_t i;
	int lf;

	for (lf = 0; lf <= 1; lf++) {
		for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			char a[256], b[256];

			utf8_sanitize(in[i], a, sizeof(a), lf);
			utf8_sanitize(a, b, sizeof(b), lf);
			if (strcmp(a, b) != 0) {
				test_fail(__FILE__, __LINE__,
					  "row %zu lf %d: \"%s\" -> \"%s\"", i,
					  lf, a, b);
			}
		}
	}
}

static void
test_utf8__sanitize_truncates_at_code_point(void)
{
	char out[8];

	/* "中文字" is 9 bytes: 7 bytes of room keep two characters */
	CHECK_INT(utf8_sanitize("中文字", out, sizeof(out), 0), 6);
	CHECK_STR(out, "中文");
	/* a placeholder is all or nothing */
	CHECK_INT(utf8_sanitize("ab\x1b", out, sizeof(out), 0), 2);
	CHECK_STR(out, "ab");
	CHECK_INT(utf8_sanitize("abc", out, 1, 0), 0);
	CHECK_STR(out, "");
	CHECK_INT(utf8_sanitize("abc", out, 0, 0), 0);
}

struct width_row {
	uint32_t cp;
	int want;
};

static void
test_utf8__cp_width(void)
{
	static const struct width_row rows[] = {
		{'A', 1},       {0xB7, 1},      {0x4E2D, 2},   {0x3400, 2},
		{0x20000, 2},   {0x2A700, 2},   {0x30000, 2},  {0x31350, 2},
		{0x323AF, 2},   {0xFF21, 2},    {0x3000, 2},   {0x1F600, 2},
		{0x0301, 0},    {0x200B, 0},    {0x1B, 0},     {0x9B, 0},
		{0xAC00, 2},    {0x0E01, 1},    {0x1100, 2},   {0x1161, 0},
		{0x11A8, 0},    {0x2EBF0, 2},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int w = utf8_cp_width(rows[i].cp);

		if (w != rows[i].want) {
			test_fail(__FILE__, __LINE__, "U+%04X: %d, want %d",
				  (unsigned)rows[i].cp, w, rows[i].want);
		}
	}
}

static void
test_utf8__width_of_text(void)
{
	CHECK_INT(utf8_width(""), 0);
	CHECK_INT(utf8_width("abc"), 3);
	CHECK_INT(utf8_width("张三"), 4);
	CHECK_INT(utf8_width("Zhang 张三"), 10);
	CHECK_INT(utf8_width("e\xCC\x81\xCC\x82"), 1);
	CHECK_INT(utf8_width("\xF0\xA0\x80\x80\xF0\xB1\x8D\x90"), 4);
	CHECK_INT(utf8_width("\xF0\x9F\x98\x80"), 2);
	CHECK_INT(utf8_width("\xFF" "a"), 2);
	CHECK_INT(utf8_width("阿依古丽·买买提"), 15);
}

struct fit_row {
	const char *in;
	size_t cols;
	const char *want;
	size_t want_cols;
};

static void
test_utf8__fit_by_columns(void)
{
	static const struct fit_row rows[] = {
		{"abc", 3, "abc", 3},
		{"abc", 5, "abc", 3},
		{"abcd", 3, "ab~", 3},
		{"张三", 4, "张三", 4},
		{"张三丰", 4, "张~", 3},   /* a wide char never in the last col */
		{"张三丰", 5, "张三~", 5},
		{"ab张三", 4, "ab~", 3},
		{"ab张三", 5, "ab张~", 5},
		{"张三", 1, "~", 1},
		{"张三", 2, "~", 1},
		{"张三", 3, "张~", 3},
		{"abc", 0, "", 0},
		{"", 0, "", 0},
		{"e\xCC\x81\xCC\x82" "fg", 2, "e\xCC\x81\xCC\x82~", 2},
		{"xe\xCC\x81" "fg", 2, "x~", 2},
		{"\xF0\xA0\x80\x80\xF0\xB1\x8D\x90z", 4,
		 "\xF0\xA0\x80\x80~", 3},
		{"\xF0\xA0\x80\x80\xF0\xB1\x8D\x90", 4,
		 "\xF0\xA0\x80\x80\xF0\xB1\x8D\x90", 4},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[64];
		size_t c = utf8_fit(rows[i].in, rows[i].cols, out, sizeof(out));

		if (strcmp(out, rows[i].want) != 0 || c != rows[i].want_cols) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: \"%s\" %zu, want \"%s\" %zu", i,
				  out, c, rows[i].want, rows[i].want_cols);
		}
		if (utf8_width(out) != c) {
			test_fail(__FILE__, __LINE__, "row %zu: width %zu != %zu",
				  i, utf8_width(out), c);
		}
	}
}

static void
test_utf8__fit_small_buffer(void)
{
	char out[5];

	/* 80 columns of room, 4 bytes of buffer: "中" + "~" */
	CHECK_INT(utf8_fit("中文字", 80, out, sizeof(out)), 3);
	CHECK_STR(out, "中~");
	CHECK_INT(utf8_fit("abcd", 80, out, sizeof(out)), 4);
	CHECK_STR(out, "abcd");
	CHECK_INT(utf8_fit("abcde", 80, out, sizeof(out)), 4);
	CHECK_STR(out, "abc~");
	CHECK_INT(utf8_fit("abc", 80, out, 1), 0);
	CHECK_STR(out, "");
}

static void
test_utf8__cp_reject_classes(void)
{
	CHECK(utf8_cp_reject('a') == NULL);
	CHECK(utf8_cp_reject(0x4E2D) == NULL);
	CHECK(utf8_cp_reject(0x31350) == NULL);
	CHECK(utf8_cp_reject(0x2EBF0) == NULL); /* Ext I: whitelisted */
	CHECK(utf8_cp_reject(0xB7) == NULL);
	CHECK(utf8_cp_reject(0x3000) == NULL);
	CHECK(utf8_cp_reject(0x0A) != NULL);
	CHECK(utf8_cp_reject(0x202E) != NULL);
	CHECK(utf8_cp_reject(0x2800) != NULL);
	CHECK(utf8_cp_reject(0x180B) != NULL);
	CHECK(utf8_cp_reject(0x180F) != NULL);
	CHECK(utf8_cp_reject(0xFE00) != NULL);
	CHECK(utf8_cp_reject(0xE0041) != NULL);
	CHECK(utf8_cp_reject(0x110000) != NULL);
	CHECK(utf8_cp_is_mark(0x0301));
	CHECK(!utf8_cp_is_mark('a'));
	CHECK(utf8_is_cjk(0x20000));
	CHECK(!utf8_is_cjk(0xAC00));
}

/*
 * U+180B-180D and U+180F are combining marks (Mn): before the fix they
 * rode on any base, through every field and onto every screen.  Each is
 * refused at input, after a Mongolian letter, a CJK ideograph, a Latin
 * letter and at the start, in both kinds of text, and shown as a
 * placeholder; the neighbours U+180A and U+1810 stay allowed.
 */
static void
test_utf8__mongolian_variation_selectors(void)
{
	static const char *const bases[] = {"\xE1\xA0\xA0", "张", "a", ""};
	uint32_t cp;
	size_t i;

	for (cp = 0x180B; cp <= 0x180F; cp++) {
		char enc[5], in[32], out[64], want[32], why[128];
		int n = utf8_encode(cp, enc);

		enc[n] = '\0';
		CHECK(utf8_cp_reject(cp) != NULL);
		for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
			snprintf(in, sizeof(in), "%s%s", bases[i], enc);
			if (utf8_check(in, UTF8_LINE, 64, why, sizeof(why)) !=
				    -1 ||
			    utf8_check(in, UTF8_MULTI, 0, NULL, 0) != -1) {
				test_fail(__FILE__, __LINE__,
					  "U+%04X after \"%s\" accepted",
					  (unsigned)cp, bases[i]);
			}
			snprintf(want, sizeof(want), "U+%04X, an invisible",
				 (unsigned)cp);
			if (!strstr(why, want)) {
				test_fail(__FILE__, __LINE__, "why \"%s\"",
					  why);
			}
			utf8_sanitize(in, out, sizeof(out), 0);
			snprintf(want, sizeof(want), "%s<U+%04X>", bases[i],
				 (unsigned)cp);
			CHECK_STR(out, want);
		}
	}
	CHECK(utf8_cp_reject(0x180A) == NULL); /* nirugu: visible */
	CHECK(utf8_cp_reject(0x1810) == NULL); /* digit zero */
	CHECK(utf8_cp_reject(0x1820) == NULL); /* letter a */
}

static const struct test_case tests_utf8[] = {
	{"utf8__decode_strict", test_utf8__decode_strict},
	{"utf8__encode_round_trip", test_utf8__encode_round_trip},
	{"utf8__check_rules", test_utf8__check_rules},
	{"utf8__check_null_why", test_utf8__check_null_why},
	{"utf8__normalize", test_utf8__normalize},
	{"utf8__normalize_out_too_small", test_utf8__normalize_out_too_small},
	{"utf8__normalize_long_text_in_chunks",
	 test_utf8__normalize_long_text_in_chunks},
	{"utf8__normalize_then_check_accepts_names",
	 test_utf8__normalize_then_check_accepts_names},
	{"utf8__fold_width", test_utf8__fold_width},
	{"utf8__sanitize_classes", test_utf8__sanitize_classes},
	{"utf8__sanitize_idempotent", test_utf8__sanitize_idempotent},
	{"utf8__sanitize_truncates_at_code_point",
	 test_utf8__sanitize_truncates_at_code_point},
	{"utf8__cp_width", test_utf8__cp_width},
	{"utf8__width_of_text", test_utf8__width_of_text},
	{"utf8__fit_by_columns", test_utf8__fit_by_columns},
	{"utf8__fit_small_buffer", test_utf8__fit_small_buffer},
	{"utf8__cp_reject_classes", test_utf8__cp_reject_classes},
	{"utf8__mongolian_variation_selectors",
	 test_utf8__mongolian_variation_selectors},
	{NULL, NULL},
};
TEST_REGISTER(tests_utf8)
