/*
 * A dossier read before BEGIN may be stale by the time the write
 * transaction holds the lock: another session edited, acted or added an
 * item in between.  Every nominee write checks, inside its transaction,
 * that the row is still the one it read (nominee_unchanged), so a stale
 * read is refused instead of overwriting the newer version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/core_int.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

static void
test_stale__write_after_another_session_is_refused(void)
{
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct core_field_value v = {"education", "研究生"};
	static struct core_dossier d;
	struct core *a, *b;
	uint8_t salt[32];
	char dir[512], err[256];
	int64_t id = 0;

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		return;
	}
	a = fixture_open_as(dir, "pc_clerk", NULL);
	b = fixture_open_as(dir, "pc_clerk", NULL);
	CHECK_INT(core_nominee_add(a, &n, &id, NULL), 0);

	/* a reads; nothing changed yet: the check passes */
	CHECK_INT(nominee_load(a, id, &d, salt, 1), 0);
	CHECK_INT(tx_begin(a), 0);
	CHECK_INT(nominee_unchanged(a, &d), 0);
	tx_rollback(a);

	/* b writes in between; a's read is now stale and refused, naming
	 * the nominee */
	CHECK_INT(core_nominee_edit(b, id, &v, 1, NULL), 0);
	CHECK_INT(tx_begin(a), 0);
	CHECK_INT(nominee_unchanged(a, &d), CORE_ESTATE);
	CHECK(strstr(core_errmsg(a), "1") != NULL);
	tx_rollback(a);

	/* a fresh read is fine again */
	CHECK_INT(nominee_load(a, id, &d, salt, 1), 0);
	CHECK_INT(tx_begin(a), 0);
	CHECK_INT(nominee_unchanged(a, &d), 0);
	tx_rollback(a);
	core_close(a);
	core_close(b);
}

static const struct test_case tests_stale[] = {
	{"stale__write_after_another_session_is_refused",
	 test_stale__write_after_another_session_is_refused},
	{NULL, NULL},
};
TEST_REGISTER(tests_stale)
