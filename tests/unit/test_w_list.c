/*
 * tui/w_list.c: the selection and the view of every list, table and menu
 * (rows, pages, the ends, reloads that shrink the list, resizes) and the
 * scrolling of documents.
 */
#include "tests/lib/runner.h"
#include "tui/w_list.h"

static void
test_w_list__rows_and_ends(void)
{
	struct w_list l = {0, 0};

	CHECK_INT(w_list_move(&l, 0, 1, 5), 0); /* nothing to select */
	CHECK(l.sel == 0 && l.top == 0);
	CHECK_INT(w_list_move(&l, 12, 1, 5), 1);
	CHECK(l.sel == 1 && l.top == 0);
	CHECK_INT(w_list_move(&l, 12, 5, 5), 1);
	CHECK(l.sel == 6 && l.top == 2); /* the view follows, no more */
	CHECK_INT(w_list_move(&l, 12, -1, 5), 1);
	CHECK(l.sel == 5 && l.top == 2); /* still in view: it stays */
	CHECK_INT(w_list_move(&l, 12, 12, 5), 1); /* End */
	CHECK(l.sel == 11 && l.top == 7);
	CHECK_INT(w_list_move(&l, 12, -12, 5), 1); /* Home */
	CHECK(l.sel == 0 && l.top == 0);
	CHECK_INT(w_list_move(&l, 12, -1, 5), 1); /* already first */
	CHECK(l.sel == 0 && l.top == 0);
	CHECK_INT(w_list_move(&l, 3, 1, 0), 1); /* page < 1 counts as 1 */
	CHECK(l.sel == 1 && l.top == 1);
}

static void
test_w_list__page_keeps_the_row_on_screen(void)
{
	struct w_list l = {2, 0};

	CHECK_INT(w_list_page(&l, 20, 5, 5), 1);
	CHECK(l.sel == 7 && l.top == 5); /* third row then, third row now */
	CHECK_INT(w_list_page(&l, 20, 5, 5), 1);
	CHECK(l.sel == 12 && l.top == 10);
	CHECK_INT(w_list_page(&l, 20, 5, 5), 1);
	CHECK(l.sel == 17 && l.top == 15); /* the last page, not past it */
	CHECK_INT(w_list_page(&l, 20, 5, 5), 1);
	CHECK(l.sel == 19 && l.top == 15);
	CHECK_INT(w_list_page(&l, 20, -5, 5), 1);
	CHECK(l.sel == 14 && l.top == 10);
	CHECK_INT(w_list_page(&l, 20, -50, 5), 1);
	CHECK(l.sel == 0 && l.top == 0);
	CHECK_INT(w_list_page(&l, 3, 5, 5), 1); /* all fit: view stays */
	CHECK(l.sel == 2 && l.top == 0);
	CHECK_INT(w_list_page(&l, 0, 5, 5), 0);
	CHECK(l.sel == 0 && l.top == 0);
}

static void
test_w_list__show_after_reload_and_resize(void)
{
	struct w_list l = {15, 12};

	w_list_show(&l, 10, 4); /* the list shrank under the selection */
	CHECK(l.sel == 9 && l.top == 9);
	w_list_show(&l, 10, 4);
	CHECK(l.sel == 9 && l.top == 9); /* shown: nothing moves */
	l.top = 2;
	w_list_show(&l, 10, 4); /* a smaller screen */
	CHECK(l.sel == 9 && l.top == 6);
	w_list_show(&l, 0, 4);
	CHECK(l.sel == 0 && l.top == 0);
	w_list_select(&l, 30, 20, 4);
	CHECK(l.sel == 20 && l.top == 17);
	w_list_select(&l, 30, 99, 4);
	CHECK(l.sel == 29 && l.top == 26);
	w_list_select(&l, 30, 3, 4);
	CHECK(l.sel == 3 && l.top == 3);
}

static void
test_w_list__scroll_a_document(void)
{
	int top = 0;

	w_list_scroll(&top, 3, 10, 4);
	CHECK_INT(top, 3);
	w_list_scroll(&top, 100, 10, 4);
	CHECK_INT(top, 6); /* the last page, not past it */
	w_list_scroll(&top, -100, 10, 4);
	CHECK_INT(top, 0);
	w_list_scroll(&top, 5, 3, 4); /* everything fits */
	CHECK_INT(top, 0);
}

static const struct test_case tests_w_list[] = {
	{"w_list__rows_and_ends", test_w_list__rows_and_ends},
	{"w_list__page_keeps_the_row_on_screen",
	 test_w_list__page_keeps_the_row_on_screen},
	{"w_list__show_after_reload_and_resize",
	 test_w_list__show_after_reload_and_resize},
	{"w_list__scroll_a_document", test_w_list__scroll_a_document},
	{NULL, NULL},
};
TEST_REGISTER(tests_w_list)
