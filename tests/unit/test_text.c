/*
 * tui/text.c and the line editor (tui/w_line.c): columns, never bytes.
 * Tables of CJK (BMP, Extensions B and H), emoji, combining marks, invalid
 * UTF-8 and control characters; drawing is checked cell by cell on a
 * curses window whose terminal output goes to /dev/null.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tests/lib/runner.h"
#include "tui/text.h"
#include "tui/w_line.h"

struct fit_row {
	const char *in;
	size_t cols;
	const char *want;
	size_t want_used;
};

static void
test_text__fit_pad_exact_columns(void)
{
	static const struct fit_row rows[] = {
		{"abc", 5, "abc  ", 3},
		{"张三", 6, "张三  ", 4},
		{"张三丰", 5, "张三~", 5},
		{"张三丰", 4, "张~ ", 3}, /* no wide char in the last column */
		{"ab张", 3, "ab~", 3},
		{"\xF0\xB1\x8D\x90x", 3, "\xF0\xB1\x8D\x90x", 3},  /* Ext H */
		{"\xF0\xA0\x80\x80\xF0\xA0\x80\x80", 3, "\xF0\xA0\x80\x80~", 3},
		{"\xF0\x9F\x98\x80!", 2, "~ ", 1},                   /* emoji */
		{"x\xCC\x81\xCC\x82y", 2, "x\xCC\x81\xCC\x82y", 2},
		{"a\x1b[2J", 12, "a<U+001B>[2J", 12},
		{"a\x1b[2J", 6, "a<U+0~", 6},
		{"H\rX", 10, "H<U+000D>X", 10},
		{"a\nb", 3, "a b", 3},
		{"\xE2\x80\xAE", 8, "<U+202E>", 8},
		{"\xFF", 2, "\xEF\xBF\xBD ", 1},
		{"", 3, "   ", 0},
		{NULL, 2, "  ", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[128];
		size_t used = text_fit_pad(rows[i].in, rows[i].cols, out,
					   sizeof(out));

		if (strcmp(out, rows[i].want) != 0 ||
		    used != rows[i].want_used) {
			test_fail(__FILE__, __LINE__,
				  "row %zu: \"%s\" %zu, want \"%s\" %zu", i,
				  out, used, rows[i].want, rows[i].want_used);
		}
		if (utf8_width(out) != rows[i].cols) {
			test_fail(__FILE__, __LINE__, "row %zu: %zu columns", i,
				  utf8_width(out));
		}
	}
}

static void
test_text__width_of_untrusted(void)
{
	CHECK_INT(text_width("张三"), 4);
	CHECK_INT(text_width("\x1b"), 8);         /* "<U+001B>" */
	CHECK_INT(text_width("\xE2\x80\x8B"), 8); /* ZWSP made visible */
	CHECK_INT(text_width("\xFF"), 1);         /* U+FFFD */
	CHECK_INT(text_width(NULL), 0);
}

static void
test_text__clusters(void)
{
	/* 张 | x+2 marks | 𠀀 (Ext B) | a */
	static const char s[] = "张x\xCC\x81\xCC\x82\xF0\xA0\x80\x80" "a";
	size_t len = strlen(s);

	CHECK_INT(text_cluster_next(s, len, 0), 3);
	CHECK_INT(text_cluster_next(s, len, 3), 8);
	CHECK_INT(text_cluster_next(s, len, 8), 12);
	CHECK_INT(text_cluster_next(s, len, 12), 13);
	CHECK_INT(text_cluster_next(s, len, 13), 13);
	CHECK_INT(text_cluster_prev(s, len, 13), 12);
	CHECK_INT(text_cluster_prev(s, len, 12), 8);
	CHECK_INT(text_cluster_prev(s, len, 8), 3);
	CHECK_INT(text_cluster_prev(s, len, 3), 0);
	CHECK_INT(text_cluster_prev(s, len, 0), 0);
	CHECK_INT(text_width_range(s, 0, len), 6);
	CHECK_INT(text_width_range(s, 3, 8), 1);
}

/* A curses screen writing to /dev/null, for reading cells back. */
static WINDOW *
test_window(void)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;

	setlocale(LC_ALL, "C.UTF-8");
	if (!out || !in ||
	    !(scr = newterm("xterm-256color", out, in))) {
		test_fail(__FILE__, __LINE__, "newterm failed");
		return NULL;
	}
	set_term(scr);
	return newwin(3, 30, 0, 0);
}

/* The character in cell (y, x), or 0 for the right half of a wide one. */
static wchar_t
cell(WINDOW *w, int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1] = {0};
	attr_t a;
	short pair;

	if (mvwin_wch(w, y, x, &cc) == ERR) {
		return (wchar_t)-1;
	}
	getcchar(&cc, wch, &a, &pair, NULL);
	return wch[0];
}

static void
fill(WINDOW *w, int y)
{
	int x;

	for (x = 0; x < 30; x++) {
		mvwaddch(w, y, x, 'X');
	}
}

static void
test_text__draw_fits_pads_and_stays_inside(void)
{
	WINDOW *w = test_window();

	if (!w) {
		return;
	}
	fill(w, 0);
	CHECK_INT(text_draw(w, 0, 2, 5, "张三丰", A_NORMAL), 5);
	CHECK(cell(w, 0, 1) == L'X');
	CHECK(cell(w, 0, 2) == L'张');
	CHECK(cell(w, 0, 4) == L'三');
	CHECK(cell(w, 0, 6) == L'~');
	CHECK(cell(w, 0, 7) == L'X'); /* nothing past the 5 columns */

	fill(w, 1);
	CHECK_INT(text_draw(w, 1, 0, 4, "张三丰", A_NORMAL), 3);
	CHECK(cell(w, 1, 0) == L'张');
	CHECK(cell(w, 1, 2) == L'~');
	CHECK(cell(w, 1, 3) == L' '); /* padded, not a half character */
	CHECK(cell(w, 1, 4) == L'X');

	/* a short value leaves no tail of the longer one before it */
	fill(w, 2);
	text_draw(w, 2, 0, 10, "abcdefghij", A_NORMAL);
	text_draw(w, 2, 0, 10, "ab", A_NORMAL);
	CHECK(cell(w, 2, 2) == L' ');
	CHECK(cell(w, 2, 9) == L' ');
	CHECK(cell(w, 2, 10) == L'X');
	endwin();
}

static void
test_text__draw_hostile_is_visible(void)
{
	WINDOW *w = test_window();

	if (!w) {
		return;
	}
	fill(w, 0);
	/* CR, ESC and RLO are drawn as text; the layout does not move */
	CHECK_INT(text_draw(w, 0, 0, 20, "H\rX\x1b\xE2\x80\xAE", A_NORMAL),
		  20);
	CHECK(cell(w, 0, 0) == L'H');
	CHECK(cell(w, 0, 1) == L'<');
	CHECK(cell(w, 0, 9) == L'X');
	CHECK(cell(w, 0, 10) == L'<');
	CHECK(cell(w, 0, 19) == L'~');
	CHECK(cell(w, 0, 20) == L'X');
	endwin();
}

static void
test_text__draw_ext_h_keeps_two_columns(void)
{
	WINDOW *w = test_window();
	wchar_t c0;

	if (!w) {
		return;
	}
	fill(w, 0);
	/* 李 + Ext H U+31350 + Ext B U+20000 */
	CHECK_INT(text_draw(w, 0, 0, 6, "李\xF0\xB1\x8D\x90\xF0\xA0\x80\x80",
			    A_NORMAL),
		  6);
	CHECK(cell(w, 0, 0) == L'李');
	c0 = cell(w, 0, 2);
	/* drawn as itself where the C library knows it, else U+FFFD + pad */
	if (wcwidth((wchar_t)0x31350) == 2) {
		CHECK(c0 == (wchar_t)0x31350);
	} else {
		CHECK(c0 == (wchar_t)0xFFFD);
		CHECK(cell(w, 0, 3) == L' ');
	}
	CHECK(cell(w, 0, 4) == (wchar_t)0x20000);
	CHECK(cell(w, 0, 6) == L'X');
	endwin();
}

static void
test_text__draw_combining_in_one_cell(void)
{
	WINDOW *w = test_window();
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1] = {0};
	attr_t a;
	short pair;

	if (!w) {
		return;
	}
	fill(w, 0);
	CHECK_INT(text_draw(w, 0, 0, 3, "x\xCC\x81\xCC\x82y", A_NORMAL), 2);
	mvwin_wch(w, 0, 0, &cc);
	getcchar(&cc, wch, &a, &pair, NULL);
	CHECK(wch[0] == L'x' && wch[1] == 0x301 && wch[2] == 0x302);
	CHECK(cell(w, 0, 1) == L'y');
	CHECK(cell(w, 0, 2) == L' ');
	CHECK(cell(w, 0, 3) == L'X');
	endwin();
}

static size_t
insert_str(struct w_line *l, const char *s, char *why, size_t whylen)
{
	uint32_t cps[256];
	size_t n = 0, i = 0, len = strlen(s);

	while (i < len && n < 256) {
		int k = utf8_decode(s + i, len - i, &cps[n]);

		if (k < 0) {
			break;
		}
		i += (size_t)k;
		n++;
	}
	return w_line_insert(l, cps, n, why, whylen) == 0 ? n : 0;
}

static void
test_text__line_erase_is_width_aware(void)
{
	static struct w_line l;
	struct tui_key bs = {VK_BS, 0}, left = {VK_LEFT, 0};
	struct tui_key del = {VK_DEL, 0}, home = {VK_HOME, 0};
	char why[160];

	w_line_init(&l, 255, 64);
	CHECK_INT(insert_str(&l, "张三x\xCC\x81", why, sizeof(why)), 4);
	CHECK_INT(utf8_width(l.buf), 5);
	w_line_key(&l, &bs); /* the whole "x" + mark */
	CHECK_STR(l.buf, "张三");
	w_line_key(&l, &bs); /* both columns of 三 */
	CHECK_STR(l.buf, "张");
	CHECK_INT(l.cur, 3);
	insert_str(&l, "丰", why, sizeof(why));
	w_line_key(&l, &left);
	CHECK_INT(l.cur, 3);
	insert_str(&l, "a", why, sizeof(why));
	CHECK_STR(l.buf, "张a丰");
	w_line_key(&l, &home);
	w_line_key(&l, &del);
	CHECK_STR(l.buf, "a丰");
	CHECK_INT(l.cur, 0);
}

static void
test_text__line_rejects_what_text_rules_refuse(void)
{
	static struct w_line l;
	char why[160];

	w_line_init(&l, 255, 64);
	CHECK_INT(insert_str(&l, "a\xE2\x80\xAE", why, sizeof(why)), 0);
	CHECK(strstr(why, "U+202E") != NULL);
	CHECK_STR(l.buf, ""); /* all or nothing */
	CHECK_INT(insert_str(&l, "\xE2\x80\x8B", why, sizeof(why)), 0);
	CHECK_INT(insert_str(&l, "\x1b", why, sizeof(why)), 0);
	CHECK_INT(insert_str(&l, "\xEE\x80\x80", why, sizeof(why)), 0);
	CHECK_INT(insert_str(&l, "\xCC\x81", why, sizeof(why)), 0);
	CHECK_INT(insert_str(&l, "x\xCC\x81\xCC\x82", why, sizeof(why)), 3);
	CHECK_INT(insert_str(&l, "\xCC\x83", why, sizeof(why)), 0);
	CHECK_INT(insert_str(&l, "\xF0\xB1\x8D\x90", why, sizeof(why)), 1);
	CHECK_INT(utf8_width(l.buf), 3);
}

static void
test_text__line_refuses_long_paste_whole(void)
{
	static struct w_line l;
	char why[160];
	char big[3 * 40 + 1];
	int i;

	for (i = 0; i < 40; i++) {
		memcpy(big + 3 * i, "长", 3);
	}
	big[120] = '\0';
	w_line_init(&l, 255, 64);
	insert_str(&l, "李", why, sizeof(why));
	/* 2 + 80 columns > 64: refused, not truncated */
	CHECK_INT(insert_str(&l, big, why, sizeof(why)), 0);
	CHECK_STR(l.buf, "李");
	CHECK(strstr(why, "64") != NULL);
	/* the byte cap holds too */
	w_line_init(&l, 6, 64);
	CHECK_INT(insert_str(&l, "张三", why, sizeof(why)), 2);
	CHECK_INT(insert_str(&l, "a", why, sizeof(why)), 0);
}

static void
test_text__line_scrolls_to_cursor(void)
{
	static struct w_line l;
	WINDOW *w = test_window();
	char why[160];
	int cx;

	if (!w) {
		return;
	}
	w_line_init(&l, 255, 64);
	insert_str(&l, "一二三四五六七八九十", why, sizeof(why)); /* 20 cols */
	cx = w_line_draw(&l, w, 0, 0, 8, A_NORMAL);
	CHECK(cx <= 7);
	CHECK_INT(text_width_range(l.buf, l.scroll, l.cur), (size_t)cx);
	CHECK(cell(w, 0, cx - 2) == L'十');
	endwin();
}

static const struct test_case tests_text[] = {
	{"text__fit_pad_exact_columns", test_text__fit_pad_exact_columns},
	{"text__width_of_untrusted", test_text__width_of_untrusted},
	{"text__clusters", test_text__clusters},
	{"text__draw_fits_pads_and_stays_inside",
	 test_text__draw_fits_pads_and_stays_inside},
	{"text__draw_hostile_is_visible", test_text__draw_hostile_is_visible},
	{"text__draw_ext_h_keeps_two_columns",
	 test_text__draw_ext_h_keeps_two_columns},
	{"text__draw_combining_in_one_cell",
	 test_text__draw_combining_in_one_cell},
	{"text__line_erase_is_width_aware",
	 test_text__line_erase_is_width_aware},
	{"text__line_rejects_what_text_rules_refuse",
	 test_text__line_rejects_what_text_rules_refuse},
	{"text__line_refuses_long_paste_whole",
	 test_text__line_refuses_long_paste_whole},
	{"text__line_scrolls_to_cursor", test_text__line_scrolls_to_cursor},
	{NULL, NULL},
};
TEST_REGISTER(tests_text)
