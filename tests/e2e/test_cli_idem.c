/*
 * `nomdesk nominee add --idempotency-key KEY` through the real binary
 * (issue 8 item 10): a retry after a lost receipt prints the first call's
 * nominee, entry and checkpoint again with a note, and `nominee list`
 * shows one nominee; the same key with other values is refused naming
 * the key, exit status 1; a malformed key is refused before anything is
 * written.  No server is needed.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/desk.h"
#include "tests/lib/runner.h"

static struct desk dk;

#define RUN(res, ...)                                                          \
	desk_cli(&dk, (res), (const char *const[]){__VA_ARGS__, NULL})

#define KEY "7d3f0c2e-retry.0001"

/* The CLI's language, as cli/main.c picks it. */
static int
english(void)
{
	const char *lang = getenv("LC_ALL");

	if (!lang || !*lang) {
		lang = getenv("LANG");
	}
	return !(lang && strncmp(lang, "zh", 2) == 0);
}

/* Nominees pc_clerk sees, through `nominee list --format json`. */
static int
listed(void)
{
	struct sshclient_cmd res;
	json_object *o;
	int n = -1;

	if (RUN(&res, "nominee", "list", "--as", "pc_clerk", "--format",
		"json") != 0) {
		test_fail(__FILE__, __LINE__, "list: %s", res.err);
	} else if ((o = json_tokener_parse(res.out)) != NULL) {
		if (json_object_is_type(o, json_type_array)) {
			n = (int)json_object_array_length(o);
		}
		json_object_put(o);
	}
	sshclient_cmd_release(&res);
	return n;
}

static void
test_e2e__cli_nominee_add_idempotency_key(void)
{
	struct sshclient_cmd res;
	const char *init[] = {"--data", dk.data, "init", "--demo", NULL};
	char first[512] = "", *nl;

	memset(&dk, 0, sizeof(dk));
	snprintf(dk.data, sizeof(dk.data), "%s/data", test_tmpdir());
	if (sshclient_cli(&res, 60000, init) != 0) {
		test_fail(__FILE__, __LINE__, "init: %s", res.err);
		sshclient_cmd_release(&res);
		return;
	}
	sshclient_cmd_release(&res);

	/* the first call */
	CHECK_INT(RUN(&res, "nominee", "add", "--as", "pc_clerk", "--name",
		      "李明", "--gender", "男", "--birth-date", "1975-03-02",
		      "--title", "主任医师", "--idempotency-key", KEY),
		  0);
	CHECK(res.out && strncmp(res.out, "added nominee 1 (entry ", 23) == 0);
	CHECK(res.out && !strstr(res.out, "note"));
	if (res.out) {
		snprintf(first, sizeof(first), "%s", res.out);
	}
	sshclient_cmd_release(&res);
	CHECK_INT(listed(), 1);

	/* the receipt was lost: the same command again */
	CHECK_INT(RUN(&res, "nominee", "add", "--as", "pc_clerk", "--name",
		      "李明", "--gender", "男", "--birth-date", "1975-03-02",
		      "--title", "主任医师", "--idempotency-key", KEY),
		  0);
	/* the first call's line, word for word, then the note */
	CHECK(first[0] && res.out && strncmp(res.out, first, strlen(first)) == 0);
	nl = res.out ? res.out + strlen(first) : NULL;
	CHECK(nl && strstr(nl, KEY) != NULL);
	if (english()) {
		CHECK(nl && strstr(nl, "note: already added by an earlier call "
				       "with this key") != NULL);
	}
	sshclient_cmd_release(&res);
	CHECK_INT(listed(), 1);
	CHECK_INT(desk_db_count(&dk, "SELECT count(*) FROM idempotency_key"),
		  1);

	/* the same key, other values: refused, naming the key */
	CHECK_INT(RUN(&res, "nominee", "add", "--as", "pc_clerk", "--name",
		      "李明", "--gender", "男", "--birth-date", "1975-03-02",
		      "--title", "副主任医师", "--idempotency-key", KEY),
		  1);
	CHECK(res.err && strstr(res.err, KEY) != NULL);
	CHECK(res.out && res.out[0] == '\0');
	sshclient_cmd_release(&res);
	CHECK_INT(listed(), 1);

	/* a malformed key: refused before anything is written */
	CHECK_INT(RUN(&res, "nominee", "add", "--as", "pc_clerk", "--name",
		      "王芳", "--gender", "女", "--birth-date", "1976-05-17",
		      "--title", "主任医师", "--idempotency-key", "short"),
		  1);
	if (english()) {
		CHECK(res.err && strstr(res.err, "idempotency key") != NULL);
	}
	sshclient_cmd_release(&res);
	CHECK_INT(listed(), 1);

	/* without a key, a repeat is a second nominee, as before */
	CHECK_INT(RUN(&res, "nominee", "add", "--as", "pc_clerk", "--name",
		      "李明", "--gender", "男", "--birth-date", "1975-03-02",
		      "--title", "主任医师"),
		  0);
	sshclient_cmd_release(&res);
	CHECK_INT(listed(), 2);
}

static const struct test_case tests_cli_idem[] = {
	{"e2e__cli_nominee_add_idempotency_key",
	 test_e2e__cli_nominee_add_idempotency_key},
	{NULL, NULL},
};
TEST_REGISTER(tests_cli_idem)
