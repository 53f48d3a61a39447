/*
 * The screen stack of tui/tui.c (ui_open, ui_back, ui_root): back returns
 * to the screen that opened this one, a transient screen gives its place
 * to what it opens, and enter/leave run as the screens come and go.
 * Screens here are stand-ins that count their hooks; no terminal.
 */
#include <string.h>

#include "tests/lib/runner.h"
#include "tui/ui.h"

static int n_enter[4], n_leave[4]; /* a, b, c, t */
static void count_enter(struct ui *ui);
static void count_leave(struct ui *ui);

static const struct tui_screen a = {.enter = count_enter,
				    .leave = count_leave};
static const struct tui_screen b = {.enter = count_enter,
				    .leave = count_leave};
static const struct tui_screen c = {.enter = count_enter,
				    .leave = count_leave};
/* a prompt: what it opens takes its place */
static const struct tui_screen t = {.leave = count_leave, .transient = 1};

static int
slot(const struct tui_screen *s)
{
	return s == &a ? 0 : s == &b ? 1 : s == &c ? 2 : 3;
}

/* The hooks see the screen they belong to as current. */
static void
count_enter(struct ui *ui)
{
	n_enter[slot(ui->cur)]++;
}

static void
count_leave(struct ui *ui)
{
	n_leave[slot(ui->cur)]++;
}

static struct ui ui;

static void
reset(void)
{
	static const struct tui_screen *const root[] = {&a};

	memset(&ui, 0, sizeof(ui));
	ui_root(&ui, root, 1);
	memset(n_enter, 0, sizeof(n_enter));
	memset(n_leave, 0, sizeof(n_leave));
}

static void
test_ui_stack__back_returns_to_the_opener(void)
{
	reset();
	ui_open(&ui, &b);
	ui_open(&ui, &c);
	CHECK_INT(ui.depth, 3);
	CHECK(ui.cur == &c);
	CHECK(ui_opener(&ui) == &b);
	ui_back(&ui);
	CHECK(ui.cur == &b);
	CHECK_INT(n_leave[2], 1);
	CHECK_INT(n_enter[1], 2); /* opened, then come back to */
	ui_back(&ui);
	CHECK(ui.cur == &a);
	ui_back(&ui); /* the bottom stays */
	CHECK(ui.cur == &a);
	CHECK_INT(ui.depth, 1);
	CHECK(ui_opener(&ui) == NULL);
}

static void
test_ui_stack__open_of_an_open_screen_goes_back_to_it(void)
{
	reset();
	ui_open(&ui, &b);
	ui_open(&ui, &c);
	ui_open(&ui, &a);
	CHECK_INT(ui.depth, 1);
	CHECK(ui.cur == &a);
	/* only the current screen leaves: the others left when covered */
	CHECK_INT(n_leave[2], 1);
	CHECK_INT(n_leave[1], 1);
	CHECK_INT(n_enter[0], 1);
}

static void
test_ui_stack__open_of_the_current_screen_reloads_it(void)
{
	reset();
	ui_open(&ui, &b);
	ui_open(&ui, &b);
	CHECK_INT(ui.depth, 2);
	CHECK_INT(n_enter[1], 2);
	CHECK_INT(n_leave[1], 0);
}

static void
test_ui_stack__transient_gives_its_place(void)
{
	reset();
	ui_open(&ui, &t);
	CHECK(ui_opener(&ui) == &a);
	ui_open(&ui, &c);
	CHECK_INT(ui.depth, 2);
	CHECK(ui_opener(&ui) == &a);
	CHECK_INT(n_leave[3], 1);
	CHECK_INT(n_enter[0], 0); /* passed over, not come back to */
	ui_back(&ui);
	CHECK(ui.cur == &a);

	/* a transient screen opening one already open: back to it */
	ui_open(&ui, &b);
	ui_open(&ui, &t);
	ui_open(&ui, &b);
	CHECK_INT(ui.depth, 2);
	CHECK(ui.cur == &b);
}

static void
test_ui_stack__root_enters_only_the_top(void)
{
	static const struct tui_screen *const path[] = {&a, &b, &c};

	reset();
	ui_open(&ui, &t);
	ui_root(&ui, path, 3);
	CHECK_INT(n_leave[3], 1);
	CHECK_INT(n_enter[0] + n_enter[1], 0);
	CHECK_INT(n_enter[2], 1);
	ui_back(&ui);
	CHECK(ui.cur == &b);
	CHECK_INT(n_enter[1], 1);
}

static const struct test_case tests_ui_stack[] = {
	{"ui_stack__back_returns_to_the_opener",
	 test_ui_stack__back_returns_to_the_opener},
	{"ui_stack__open_of_an_open_screen_goes_back_to_it",
	 test_ui_stack__open_of_an_open_screen_goes_back_to_it},
	{"ui_stack__open_of_the_current_screen_reloads_it",
	 test_ui_stack__open_of_the_current_screen_reloads_it},
	{"ui_stack__transient_gives_its_place",
	 test_ui_stack__transient_gives_its_place},
	{"ui_stack__root_enters_only_the_top",
	 test_ui_stack__root_enters_only_the_top},
	{NULL, NULL},
};
TEST_REGISTER(tests_ui_stack)
