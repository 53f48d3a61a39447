/*
 * The state table is the one vocabulary of the workflow: every code
 * parses back to its state; one label per state, distinct, in both
 * languages; no Chinese label is wider than the list's state column
 * (14 columns), so none is clipped at 80x24; the flags say what the
 * modules used to spell out (editable states, the pledge an edit voids,
 * the notices); and unknown codes are shown as they are.
 */
#include <string.h>

#include "core/core.h"
#include "core/utf8.h"
#include "tests/lib/runner.h"

static void
labels_distinct(void)
{
	for (int i = 0; i < CORE_ST_N; i++) {
		const char *a = core_state_label(core_state_code(i));

		CHECK(a[0] != '\0');
		for (int j = i + 1; j < CORE_ST_N; j++) {
			if (strcmp(a, core_state_label(core_state_code(j))) ==
			    0) {
				test_fail(__FILE__, __LINE__,
					  "states %s and %s share the label %s",
					  core_state_code(i),
					  core_state_code(j), a);
			}
		}
	}
}

static void
test_state__table_round_trips_and_labels(void)
{
	for (int i = 0; i < CORE_ST_N; i++) {
		const char *code = core_state_code(i);

		CHECK_INT(core_state_parse(code), i);
		CHECK(core_state_get(i) != NULL);
	}
	CHECK_INT(core_state_parse("nonsense"), -1);
	CHECK_INT(core_state_parse(NULL), -1);
	CHECK_STR(core_state_code(CORE_ST_N), "");
	CHECK_STR(core_state_label("nonsense"), "nonsense");

	core_i18n_init("en");
	labels_distinct();
	CHECK_STR(core_state_label("unit_reviewed"), "reviewed by unit");
	core_i18n_init("zh_CN");
	labels_distinct();
	/* the one label the list and the dossier both show */
	CHECK_STR(core_state_label("unit_reviewed"), "单位已首审");
	CHECK_STR(core_state_label("under_investigation"), "核查中");
	CHECK_STR(core_state_label("hr_checked"), "市局已初审");
	for (int i = 0; i < CORE_ST_N; i++) {
		const char *l = core_state_label(core_state_code(i));

		if (utf8_width(l) > 14) {
			test_fail(__FILE__, __LINE__, "%s is %zu columns",
				  l, utf8_width(l));
		}
	}
}

static void
test_state__flags_say_the_rules(void)
{
	static const char *const editable[] = {"draft", "pledged", "returned"};

	for (int i = 0; i < CORE_ST_N; i++) {
		const char *code = core_state_code(i);
		int want = 0;

		for (size_t k = 0; k < 3; k++) {
			want |= strcmp(code, editable[k]) == 0;
		}
		CHECK_INT(core_state_has(code, CORE_STF_EDITABLE), want);
		CHECK_STR(core_state_after_edit(code),
			  strcmp(code, "pledged") == 0 ? "draft" : code);
	}
	CHECK(core_state_has("local_notice", CORE_STF_NOTICE_LOCAL));
	CHECK(core_state_has("public_notice", CORE_STF_NOTICE_CITY));
	CHECK(!core_state_has("public_notice", CORE_STF_NOTICE_LOCAL));
	CHECK(!core_state_has("nonsense", 0));
	CHECK_STR(core_panel_stage(CORE_PANEL_LOCAL), "submitted");
	CHECK_STR(core_panel_stage(CORE_PANEL_CITY), "hr_checked");
}

static const struct test_case tests_state[] = {
	{"state__table_round_trips_and_labels",
	 test_state__table_round_trips_and_labels},
	{"state__flags_say_the_rules", test_state__flags_say_the_rules},
	{NULL, NULL},
};
TEST_REGISTER(tests_state)
