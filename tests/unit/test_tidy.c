/*
 * One tidying for every way in (core_field_tidy): the forms, the CLI
 * and the importer accept the same spellings.  Each spelling a clerk
 * types is brought to its stored form, and what tidy cannot read is left
 * as typed for the check to refuse with the field's rule; then the same
 * spellings through core's own writes (what `nominee add` and `nominee
 * edit` call): 1975/3/2 and 2 are stored as 1975-03-02 and 女.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static void
tidy_is(const char *field, const char *in, const char *want, int line)
{
	char s[256];

	snprintf(s, sizeof(s), "%s", in);
	core_field_tidy(field, s, sizeof(s));
	if (strcmp(s, want) != 0) {
		test_fail(__FILE__, line, "%s '%s' -> '%s', want '%s'", field,
			  in, s, want);
	}
}
#define TIDY(f, in, want) tidy_is((f), (in), (want), __LINE__)

static void
test_tidy__spellings_to_stored_form(void)
{
	TIDY("birth_date", "1975/3/2", "1975-03-02");
	TIDY("birth_date", "1975.03.02", "1975-03-02");
	TIDY("birth_date", "19750302", "1975-03-02");
	TIDY("birth_date", "１９７５－０３－０２", "1975-03-02");
	TIDY("birth_date", "1975年3月2日", "1975-03-02");
	TIDY("birth_date", " 1975-3 ", "1975-03");
	TIDY("birth_date", "197503", "1975-03");
	TIDY("title_date", "2010-09-01 00:00:00", "2010-09-01");
	TIDY("from", "2018.9", "2018-09");
	TIDY("birth_date", "1975-13-02", "1975-13-02"); /* for the check */
	TIDY("birth_date", "yesterday", "yesterday");
	TIDY("gender", "2", "女");
	TIDY("gender", "M", "男");
	TIDY("gender", "female", "女");
	TIDY("gender", "3", "3");
	TIDY("id_number", "１４０２０２１９７５０３０２１２３x",
	     "14020219750302123X");
	TIDY("phone", "0352 123 4567", "03521234567");
	TIDY("title_level", "正高", "正高级");
	TIDY("title_level", "副高", "副高级");
	TIDY("prior_leader", "province", "省级");
	TIDY("name", "\xE3\x80\x80李明 ", "李明");
	TIDY("condition.3", "\nline one\nline two\n ", "line one\nline two");
}

static int64_t
fixed_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL;
}

static void
test_tidy__core_writes_tidy_what_the_cli_passes(void)
{
	char dir[512], err[256];
	struct core_nominee_new n = {"李明", "1", "1975/3/2", "主任医师", NULL};
	struct core_field_value v[] = {{"title_level", "正高"},
				       {"title_date", "2010.9.1"}};
	struct core_dossier d;
	struct core *c;
	int64_t id = 0;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
	c = fixture_open_as(dir, "pc_clerk", fixed_clock);
	CHECK_INT(core_nominee_add(c, &n, &id, NULL), 0);
	CHECK_INT(core_nominee_edit(c, id, v, 2, NULL), 0);
	CHECK_INT(core_nominee_get(c, id, &d), 0);
	CHECK_STR(d.n.gender, "男");
	CHECK_STR(d.n.birth_date, "1975-03-02");
	CHECK_STR(core_dossier_value(&d, "title_level"), "正高级");
	CHECK_STR(core_dossier_value(&d, "title_date"), "2010-09-01");
	/* what tidy cannot read is refused with the field's rule */
	v[0].value = "正髙";
	CHECK_INT(core_nominee_edit(c, id, v, 1, NULL), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "title_level");
	core_close(c);
}

static const struct test_case tests_tidy[] = {
	{"tidy__spellings_to_stored_form", test_tidy__spellings_to_stored_form},
	{"tidy__core_writes_tidy_what_the_cli_passes",
	 test_tidy__core_writes_tidy_what_the_cli_passes},
	{NULL, NULL},
};
TEST_REGISTER(tests_tidy)
