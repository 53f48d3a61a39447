/*
 * core/draft.c through the public API: one draft per user that survives
 * the session, saved and cleared as audited acts whose entries never
 * carry the draft's content, and never visible to another user.  And
 * tui/draft.c's body format: any typed value survives the round trip.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/lib/runner.h"
#include "tui/ui.h"

static char dir[512];

static void
make_dir(void)
{
	char err[256];

	snprintf(dir, sizeof(dir), "%s/data", test_tmpdir());
	if (core_init_dir(dir, 1, NULL, NULL, err, sizeof(err)) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", err);
		exit(1);
	}
}

static struct core *
as(const char *login)
{
	struct core *c = NULL;
	char err[256];

	if (core_open(&c, dir, err, sizeof(err)) != 0 ||
	    (login && core_act_as(c, login) != 0)) {
		test_fail(__FILE__, __LINE__, "open as %s", login);
		exit(1);
	}
	return c;
}

static long long
count(const char *sql)
{
	char path[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/nomdesk.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static const char body1[] = "v=1\nf.name=李明\nf.title=主任\\n医师\n";

static void
test_draft__save_load_clear_round_trip(void)
{
	struct core *c;
	char form[33];
	char *text = NULL;

	make_dir();
	c = as("pc_clerk");
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), CORE_ENOENT);
	CHECK(text == NULL);
	CHECK_STR(form, "");
	CHECK_INT(core_draft_save(c, "add", body1), 0);
	core_close(c);

	/* a new session (the next login) finds it */
	c = as("pc_clerk");
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), 0);
	CHECK_STR(form, "add");
	CHECK_STR(text, body1);
	free(text);
	text = NULL;

	/* one per user: a second save replaces the first */
	CHECK_INT(core_draft_save(c, "edit", "v=1\nid=7\n"), 0);
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), 0);
	CHECK_STR(form, "edit");
	CHECK_STR(text, "v=1\nid=7\n");
	free(text);
	text = NULL;
	CHECK_INT(count("SELECT count(*) FROM draft"), 1);

	CHECK_INT(core_draft_clear(c), 0);
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), CORE_ENOENT);
	CHECK(text == NULL);
	CHECK_INT(count("SELECT count(*) FROM draft"), 0);
	core_close(c);
}

static void
test_draft__every_change_is_audited_without_content(void)
{
	struct core *c;
	long long before, after_save, after_clear;

	make_dir();
	before = count("SELECT count(*) FROM log_entry");
	c = as("pc_clerk");
	CHECK_INT(core_draft_save(c, "add", body1), 0);
	after_save = count("SELECT count(*) FROM log_entry");
	CHECK_INT(after_save, before + 1);
	CHECK_INT(count("SELECT count(*) FROM log_entry WHERE act = 120 AND "
			"actor = 'pc_clerk' AND subject = 'draft:pc_clerk'"),
		  1);
	/* the row points at its entry */
	CHECK_INT(count("SELECT count(*) FROM draft d JOIN log_entry e ON "
			"e.seq = d.seq WHERE e.subject = 'draft:pc_clerk'"),
		  1);
	CHECK_INT(core_draft_clear(c), 0);
	after_clear = count("SELECT count(*) FROM log_entry");
	CHECK_INT(after_clear, after_save + 1);
	/* clearing nothing is not a mutation: no entry */
	CHECK_INT(core_draft_clear(c), 0);
	CHECK_INT(count("SELECT count(*) FROM log_entry"), after_clear);
	/* what was typed never reaches the log */
	CHECK_INT(count("SELECT count(*) FROM log_entry WHERE instr(entry, "
			"CAST('李明' AS BLOB)) > 0 OR instr(entry, "
			"CAST('医师' AS BLOB)) > 0"),
		  0);
	/* every checkpoint still covers the log */
	CHECK_INT(count("SELECT max(size) FROM log_checkpoint"), after_clear);
	core_close(c);
}

static void
test_draft__scoped_to_the_user(void)
{
	struct core *a, *b;
	char form[33];
	char *text = NULL;

	make_dir();
	a = as("pc_clerk");
	b = as("yg_clerk");
	CHECK_INT(core_draft_save(a, "add", body1), 0);
	CHECK_INT(core_draft_load(b, form, sizeof(form), &text), CORE_ENOENT);
	CHECK(text == NULL);
	/* b's clear and save leave a's draft alone */
	CHECK_INT(core_draft_clear(b), 0);
	CHECK_INT(core_draft_save(b, "add", "v=1\nf.name=孙\n"), 0);
	CHECK_INT(core_draft_load(a, form, sizeof(form), &text), 0);
	CHECK_STR(text, body1);
	free(text);
	text = NULL;
	CHECK_INT(core_draft_load(b, form, sizeof(form), &text), 0);
	CHECK_STR(text, "v=1\nf.name=孙\n");
	free(text);
	CHECK_INT(count("SELECT count(*) FROM draft"), 2);
	core_close(a);
	core_close(b);
}

static void
test_draft__refuses_bad_input_and_the_console(void)
{
	struct core *c;
	char *big, *text = NULL;
	char form[33];

	make_dir();
	c = as("pc_clerk");
	CHECK_INT(core_draft_save(c, "", "x"), CORE_EINVAL);
	CHECK_INT(core_draft_save(c, "Add Form", "x"), CORE_EINVAL);
	CHECK_INT(core_draft_save(c, NULL, "x"), CORE_EINVAL);
	CHECK_INT(core_draft_save(c, "add", NULL), CORE_EINVAL);
	CHECK_INT(core_draft_save(c, "add", "bad \xff byte"), CORE_EINVAL);
	CHECK_STR(core_errfield(c), "text");
	big = malloc(CORE_DRAFT_MAX + 2);
	memset(big, 'a', CORE_DRAFT_MAX + 1);
	big[CORE_DRAFT_MAX + 1] = '\0';
	CHECK_INT(core_draft_save(c, "add", big), CORE_EINVAL);
	big[CORE_DRAFT_MAX] = '\0';
	CHECK_INT(core_draft_save(c, "add", big), 0);
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), 0);
	CHECK(text && strlen(text) == CORE_DRAFT_MAX);
	free(text);
	free(big);
	core_close(c);

	/* the console operator has no drafts */
	c = as(NULL);
	CHECK_INT(core_act_as_system(c, "root"), 0);
	CHECK_INT(core_draft_save(c, "add", "x"), CORE_EPERM);
	CHECK_INT(core_draft_load(c, form, sizeof(form), &text), CORE_EPERM);
	CHECK_INT(core_draft_clear(c), CORE_EPERM);
	core_close(c);
}

struct kv {
	char key[8][40];
	char val[8][256];
	int n;
};

static int
collect_kv(void *ctx, const char *key, const char *value)
{
	struct kv *kv = ctx;

	if (kv->n < 8) {
		snprintf(kv->key[kv->n], sizeof(kv->key[0]), "%s", key);
		snprintf(kv->val[kv->n], sizeof(kv->val[0]), "%s", value);
		kv->n++;
	}
	return 0;
}

static void
test_draft__body_escapes_round_trip(void)
{
	static const char *const vals[] = {
		"李明",
		"line one\nline two\n",
		"back\\slash \\n not a newline",
		"tab\tcr\r\x01\x1f\x7f del",
		"key=value = more",
		"",
	};
	struct draft_buf b = {NULL, 0, 0};
	struct kv kv;
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char key[16];

		snprintf(key, sizeof(key), "f.k%zu", i);
		draft_put(&b, key, vals[i]);
	}
	/* one line per key, whatever the values hold */
	{
		size_t lines = 0;

		for (i = 0; i < b.len; i++) {
			lines += b.p[i] == '\n';
			CHECK((unsigned char)b.p[i] >= 0x20 || b.p[i] == '\n');
			CHECK(b.p[i] != 0x7f);
		}
		CHECK_INT(lines, sizeof(vals) / sizeof(vals[0]));
	}
	memset(&kv, 0, sizeof(kv));
	CHECK_INT(draft_parse(b.p, collect_kv, &kv), 0);
	CHECK_INT(kv.n, sizeof(vals) / sizeof(vals[0]));
	for (i = 0; i < (size_t)kv.n; i++) {
		char key[32];

		snprintf(key, sizeof(key), "f.k%zu", i);
		CHECK_STR(kv.key[i], key);
		CHECK_STR(kv.val[i], vals[i]);
	}
	/* and through the store unchanged */
	make_dir();
	{
		struct core *c = as("pc_clerk");
		char form[33], *text = NULL;

		CHECK_INT(core_draft_save(c, "add", b.p), 0);
		CHECK_INT(core_draft_load(c, form, sizeof(form), &text), 0);
		CHECK_STR(text, b.p);
		free(text);
		core_close(c);
	}
	free(b.p);
}

/*
 * A saved form and its dropped draft are one act: the nominee's entry
 * and the draft's commit together (one checkpoint covers both, none
 * between); a save that is refused keeps the draft, and the flag does
 * not outlive the attempt.
 */
static void
test_draft__dropped_in_the_saves_transaction(void)
{
	struct core_nominee_new bad = {"李明", "男", "1975-13-02", "主任医师",
				       NULL},
				good = {"李明", "男", "1975-03-02", "主任医师",
					NULL};
	struct core_receipt rc;
	struct core *c;
	long long cps, entries;
	int64_t id = 0;

	make_dir();
	c = as("pc_clerk");
	CHECK_INT(core_draft_save(c, "add", body1), 0);
	/* refused before its transaction: the draft stays */
	core_draft_drop_with_next_write(c, 1);
	CHECK_INT(core_nominee_add(c, &bad, &id, NULL), CORE_EINVAL);
	core_draft_drop_with_next_write(c, 0);
	CHECK_INT(count("SELECT count(*) FROM draft"), 1);
	cps = count("SELECT count(*) FROM log_checkpoint");
	entries = count("SELECT count(*) FROM log_entry");
	core_draft_drop_with_next_write(c, 1);
	CHECK_INT(core_nominee_add(c, &good, &id, &rc), 0);
	CHECK_INT(count("SELECT count(*) FROM draft"), 0);
	CHECK_INT(count("SELECT count(*) FROM log_entry"), entries + 2);
	CHECK_INT(count("SELECT count(*) FROM log_checkpoint"), cps + 1);
	CHECK_INT(count("SELECT count(*) FROM log_entry WHERE subject = "
			"'draft:pc_clerk' AND seq > (SELECT max(seq) - 2 FROM "
			"log_entry)"),
		  1);
	/* the flag went with that commit: the next write keeps a draft */
	CHECK_INT(core_draft_save(c, "add", body1), 0);
	(void)core_nominee_add(c, &good, &id, NULL);
	CHECK_INT(count("SELECT count(*) FROM draft"), 1);
	core_close(c);
}

static const struct test_case tests_draft[] = {
	{"draft__dropped_in_the_saves_transaction",
	 test_draft__dropped_in_the_saves_transaction},
	{"draft__save_load_clear_round_trip",
	 test_draft__save_load_clear_round_trip},
	{"draft__every_change_is_audited_without_content",
	 test_draft__every_change_is_audited_without_content},
	{"draft__scoped_to_the_user", test_draft__scoped_to_the_user},
	{"draft__refuses_bad_input_and_the_console",
	 test_draft__refuses_bad_input_and_the_console},
	{"draft__body_escapes_round_trip", test_draft__body_escapes_round_trip},
	{NULL, NULL},
};
TEST_REGISTER(tests_draft)
