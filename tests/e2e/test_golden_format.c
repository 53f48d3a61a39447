/*
 * The golden format itself: a screen fed to the emulator renders to the
 * text a golden holds, cell by cell: a wide character once, attribute
 * and colour runs by column (a wide character's right half with its
 * left), masks by columns, trailing blanks dropped; and a one-cell
 * change (an attribute or a character) changes the rendering.
 */
#include <stdio.h>
#include <string.h>

#include "tests/lib/golden.h"
#include "tests/lib/runner.h"
#include "tests/lib/vt.h"

static void
render(const char *bytes, const char *const *masks, char *out, size_t size)
{
	struct vt *vt = vt_new(3, 20);

	vt_feed(vt, bytes, strlen(bytes));
	golden_render(vt, masks, out, size);
	vt_free(vt);
}

static void
test_e2e__golden_format_cells(void)
{
	static const char *const none[] = {NULL};
	static const char *const hex[] = {"[0-9a-f]{4,}", NULL};
	char a[2048], b[2048];

	/* row 0: bold 平城 in white on blue, then plain x; row 1: reverse */
	render("\x1b[1;37;44m平城\x1b[0mx\r\n\x1b[7mab\x1b[0m  c", none, a,
	       sizeof(a));
	CHECK_STR(a, "# 20x3 cursor 1,5\n"
		     "|平城x\n"
		     "@ 0-3:b,f7,g4\n"
		     "|ab  c\n"
		     "@ 0-1:r\n"
		     "|\n");

	/* a mask covers the columns of its match, two per wide cell */
	render("id 00ab12 王 ok", hex, a, sizeof(a));
	CHECK_STR(a, "# 20x3 cursor 0,15\n|id ###### 王 ok\n|\n|\n");
	render("id 00ab12 王 ok", (const char *const[]){"王", NULL}, a,
	       sizeof(a));
	CHECK_STR(a, "# 20x3 cursor 0,15\n|id 00ab12 ## ok\n|\n|\n");

	/* one cell's attribute, or one character, is a difference */
	render("abc", none, a, sizeof(a));
	render("a\x1b[4mb\x1b[0mc", none, b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
	render("abd", none, b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
	render("a\x1b[31mb\x1b[0mc", none, b, sizeof(b));
	CHECK(strstr(b, "@ 1-1:f1\n") != NULL);
}

static const struct test_case tests_golden_format[] = {
	{"e2e__golden_format_cells", test_e2e__golden_format_cells},
	{NULL, NULL},
};
TEST_REGISTER(tests_golden_format)
