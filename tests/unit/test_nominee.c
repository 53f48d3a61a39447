/*
 * Adding nominees through core (issue 8 item 10): an add retried with its
 * idempotency key after a lost receipt gets the first call's nominee and
 * receipt and writes nothing (no nominee, no log entry, no checkpoint);
 * the same key with another request is refused naming the key; keys are
 * per user; a malformed key is refused before anything happens; a key is
 * stored only with the nominee it created.  And the name field refuses
 * the Mongolian free variation selectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/fixture.h"
#include "tests/lib/runner.h"

/* 2020-11-02 10:00 +08:00, inside the demo round */
static int64_t
test_clock(void *ctx)
{
	(void)ctx;
	return 1604282400000LL;
}

static void
make_dir(char *dir, size_t dirsz)
{
	char err[256];

	snprintf(dir, dirsz, "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

static struct core *
as(const char *dir, const char *login)
{
	return fixture_open_as(dir, login, test_clock);
}

/* What an add may change: nominees, entries, checkpoints, keys. */
struct tally {
	long long nominees, entries, checkpoints, keys;
};

static struct tally
tally(const char *dir)
{
	struct tally t = {
		fixture_db_count(dir, "SELECT count(*) FROM nominee"),
		fixture_db_count(dir, "SELECT count(*) FROM log_entry"),
		fixture_db_count(dir, "SELECT count(*) FROM log_checkpoint"),
		fixture_db_count(dir, "SELECT count(*) FROM idempotency_key"),
	};

	return t;
}

#define CHECK_TALLY(a, b)                                                 \
	do {                                                              \
		CHECK_INT((a).nominees, (b).nominees);                    \
		CHECK_INT((a).entries, (b).entries);                      \
		CHECK_INT((a).checkpoints, (b).checkpoints);              \
		CHECK_INT((a).keys, (b).keys);                            \
	} while (0)

static void
test_nominee__idempotent_retry_returns_first(void)
{
	char dir[512];
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct core_nominee_new other = {"王芳", "女", "1976-05-17",
					 "副主任医师", NULL};
	struct core_receipt rc1, rc2, rc3;
	struct tally t0, t1, t2;
	int64_t id1 = 0, id2 = 0, id3 = 0;
	int replayed = -1;
	struct core *c;

	make_dir(dir, sizeof(dir));
	t0 = tally(dir);
	c = as(dir, "pc_clerk");
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id1, &rc1,
					&replayed),
		  0);
	CHECK_INT(replayed, 0);
	CHECK(id1 > 0);
	t1 = tally(dir);
	CHECK_INT(t1.nominees, t0.nominees + 1);
	CHECK_INT(t1.entries, t0.entries + 1);
	CHECK_INT(t1.keys, 1);
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM idempotency_key k JOIN "
			     "log_entry e ON e.seq = k.seq WHERE "
			     "e.subject = 'nominee:' || k.nominee_id"),
		  1);

	/* the receipt was lost: the same call again */
	memset(&rc2, 0, sizeof(rc2));
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id2, &rc2,
					&replayed),
		  0);
	CHECK_INT(replayed, 1);
	CHECK_INT(id2, id1);
	CHECK_INT(rc2.seq, rc1.seq);
	CHECK_INT(rc2.tree_size, rc1.tree_size);
	CHECK_STR(rc2.root, rc1.root);
	t2 = tally(dir);
	CHECK_TALLY(t2, t1);

	/* later acts move the log on; the replay still names the first
	 * call's entry and checkpoint, from a fresh handle too */
	CHECK_INT(core_nominee_add_once(c, &other, "retry-0002", &id3, NULL,
					NULL),
		  0);
	core_close(c);
	c = as(dir, "pc_clerk");
	t1 = tally(dir);
	memset(&rc3, 0, sizeof(rc3));
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id3, &rc3,
					&replayed),
		  0);
	CHECK_INT(replayed, 1);
	CHECK_INT(id3, id1);
	CHECK_INT(rc3.seq, rc1.seq);
	CHECK_INT(rc3.tree_size, rc1.tree_size);
	CHECK_STR(rc3.root, rc1.root);
	CHECK_TALLY(tally(dir), t1);
	core_close(c);
}

/* The request is compared after normalization: the same name typed in
 * decomposed form and the unit spelled out are the same request. */
static void
test_nominee__idempotent_retry_normalized(void)
{
	char dir[512];
	struct core_nominee_new a = {"José 李", "男", "1975-03-02",
				     "主任医师", NULL};
	struct core_nominee_new b = {"Jose\xCC\x81 李", "男", "1975-03-02",
				     "主任医师", "140213-e001"};
	int64_t id1 = 0, id2 = 0;
	int replayed = 0;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	CHECK_INT(core_nominee_add_once(c, &a, "k.norm_01", &id1, NULL, NULL),
		  0);
	CHECK_INT(core_nominee_add_once(c, &b, "k.norm_01", &id2, NULL,
					&replayed),
		  0);
	CHECK_INT(replayed, 1);
	CHECK_INT(id2, id1);
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM nominee"), 1);
	core_close(c);
}

static void
test_nominee__idempotency_key_other_request_refused(void)
{
	char dir[512];
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct core_nominee_new m = {"李明", "男", "1975-03-02", "副主任医师",
				     NULL};
	struct tally t1;
	int64_t id = 0, id2 = 77;
	int replayed = -1;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id, NULL, NULL),
		  0);
	t1 = tally(dir);
	CHECK_INT(core_nominee_add_once(c, &m, "retry-0001", &id2, NULL,
					&replayed),
		  CORE_EEXIST);
	CHECK_INT(id2, 0);
	CHECK_INT(replayed, 0);
	CHECK_STR(core_errfield(c), "idempotency_key");
	CHECK(strstr(core_errmsg(c), "'retry-0001'") != NULL);
	CHECK(strstr(core_errmsg(c), "different") != NULL);
	CHECK_TALLY(tally(dir), t1);
	/* and without a key, the same request is simply a new nominee */
	CHECK_INT(core_nominee_add(c, &m, &id2, NULL), 0);
	CHECK(id2 != id);
	core_close(c);
}

/* Keys are per user: another clerk's "retry-0001" is another request. */
static void
test_nominee__idempotency_key_per_actor(void)
{
	char dir[512];
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     "140213-e001"};
	int64_t id1 = 0, id2 = 0;
	int replayed = -1;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id1, NULL, NULL),
		  0);
	core_close(c);
	c = as(dir, "pingcheng_hr");
	CHECK_INT(core_nominee_add_once(c, &n, "retry-0001", &id2, NULL,
					&replayed),
		  0);
	CHECK_INT(replayed, 0);
	CHECK(id2 != id1 && id2 > 0);
	core_close(c);
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM idempotency_key WHERE "
			     "key = 'retry-0001'"),
		  2);
}

static void
test_nominee__idempotency_key_grammar(void)
{
	static const char *const bad[] = {
		"",
		"short7c",
		"has space1",
		"semi;colon",
		"ключ-12345",
		"0123456789012345678901234567890123456789012345678901234567890"
		"1234", /* 65 */
		"tab\there1",
	};
	static const char *const good[] = {
		"abcdefgh",
		"A.b_c-9Z",
		"0123456789012345678901234567890123456789012345678901234567890"
		"123", /* 64 */
	};
	char dir[512];
	struct core_nominee_new n = {"李明", "男", "1975-03-02", "主任医师",
				     NULL};
	struct tally t0;
	int64_t id = 0;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	t0 = tally(dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = core_nominee_add_once(c, &n, bad[i], &id, NULL, NULL);

		if (r != CORE_EINVAL ||
		    strcmp(core_errfield(c), "idempotency_key") != 0) {
			test_fail(__FILE__, __LINE__, "key \"%s\": %d %s",
				  bad[i], r, core_errmsg(c));
		}
	}
	CHECK_TALLY(tally(dir), t0);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (core_nominee_add_once(c, &n, good[i], &id, NULL, NULL) !=
		    0) {
			test_fail(__FILE__, __LINE__, "key \"%s\": %s",
				  good[i], core_errmsg(c));
		}
	}
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM idempotency_key"), 3);
	core_close(c);
}

/* A refused add stores no key: the key is written in the transaction
 * that creates the nominee, or not at all. */
static void
test_nominee__idempotency_key_only_with_its_nominee(void)
{
	char dir[512];
	struct core_nominee_new bad = {"李明", "X", "1975-03-02", "主任医师",
				       NULL};
	struct core_nominee_new good = {"李明", "男", "1975-03-02",
					"主任医师", NULL};
	struct tally t0;
	int64_t id = 0;
	int replayed = -1;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	t0 = tally(dir);
	CHECK_INT(core_nominee_add_once(c, &bad, "retry-0001", &id, NULL,
					NULL),
		  CORE_EINVAL);
	CHECK_TALLY(tally(dir), t0);
	CHECK_INT(core_nominee_add_once(c, &good, "retry-0001", &id, NULL,
					&replayed),
		  0);
	CHECK_INT(replayed, 0);
	CHECK(id > 0);
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM nominee"),
		  t0.nominees + 1);
	core_close(c);
}

/* The name field (and so every field through utf8_check) refuses
 * U+180B-180F; before, 180B-180D and 180F passed as combining marks. */
static void
test_nominee__name_refuses_mongolian_selectors(void)
{
	static const char *const names[] = {
		"张\xE1\xA0\x8B三", "张\xE1\xA0\x8C三", "张\xE1\xA0\x8D三",
		"张\xE1\xA0\x8E三", "张\xE1\xA0\x8F三",
	};
	char dir[512];
	int64_t id = 0;
	struct core *c;

	make_dir(dir, sizeof(dir));
	c = as(dir, "pc_clerk");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct core_nominee_new n = {names[i], "男", "1975-03-02",
					     "主任医师", NULL};
		char want[16];
		int r = core_nominee_add(c, &n, &id, NULL);

		snprintf(want, sizeof(want), "U+180%c", "BCDEF"[i]);
		if (r != CORE_EINVAL || !strstr(core_errmsg(c), want)) {
			test_fail(__FILE__, __LINE__, "%s: %d %s", want, r,
				  core_errmsg(c));
		}
		CHECK_INT(core_nominee_check_field(c, "title", names[i]),
			  CORE_EINVAL);
	}
	CHECK_INT(fixture_db_count(dir, "SELECT count(*) FROM nominee"), 0);
	core_close(c);
}

static const struct test_case tests_nominee[] = {
	{"nominee__idempotent_retry_returns_first",
	 test_nominee__idempotent_retry_returns_first},
	{"nominee__idempotent_retry_normalized",
	 test_nominee__idempotent_retry_normalized},
	{"nominee__idempotency_key_other_request_refused",
	 test_nominee__idempotency_key_other_request_refused},
	{"nominee__idempotency_key_per_actor",
	 test_nominee__idempotency_key_per_actor},
	{"nominee__idempotency_key_grammar",
	 test_nominee__idempotency_key_grammar},
	{"nominee__idempotency_key_only_with_its_nominee",
	 test_nominee__idempotency_key_only_with_its_nominee},
	{"nominee__name_refuses_mongolian_selectors",
	 test_nominee__name_refuses_mongolian_selectors},
	{NULL, NULL},
};
TEST_REGISTER(tests_nominee)
