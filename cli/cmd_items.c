/*
 * nomdesk nominee item add|list, nominee material: a nominee's work,
 * research and performance items and the paper materials seen
 * (core/items.c).
 *
 * --expect-seq SEQ: only if the nominee is still the version `nominee
 * show` printed as "seq SEQ" (core's *_seen(), issue 8 item 7).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"

struct item_add_opts {
	const char *kind, *from, *to, *title, *detail, *expect_seq;
};

static const struct opt item_add_opts[] = {
	OPT_STRING_REQ("kind", 0, struct item_add_opts, kind,
		       "work|research|performance", "what the item is"),
	OPT_STRING_REQ("from", 0, struct item_add_opts, from, "DATE",
		       "when it began"),
	OPT_STRING("to", 0, struct item_add_opts, to, "DATE",
		   "when it ended (open if not given)"),
	OPT_STRING_REQ("title", 0, struct item_add_opts, title, "TEXT",
		       "the item's title"),
	OPT_STRING("detail", 0, struct item_add_opts, detail, "TEXT",
		   "what was done"),
	OPT_STRING("expect-seq", 0, struct item_add_opts, expect_seq, "SEQ",
		   "only if still the version `nominee show` printed"),
	OPT_END(),
};

/* Copies the option into dst (n bytes); 0, or 1 naming the option. */
static int
item_copy(char *dst, size_t n, const char *v, const char *name)
{
	if (!v) {
		return 0;
	}
	if (strlen(v) >= n) {
		return cli_fail("nominee item add: --%s is too long", name);
	}
	snprintf(dst, n, "%s", v);
	return 0;
}

static int
item_fill(const struct item_add_opts *o, struct core_item *it)
{
	int r;

	if ((r = item_copy(it->kind, sizeof(it->kind), o->kind, "kind")) ||
	    (r = item_copy(it->date_from, sizeof(it->date_from), o->from,
			   "from")) ||
	    (r = item_copy(it->date_to, sizeof(it->date_to), o->to, "to")) ||
	    (r = item_copy(it->title, sizeof(it->title), o->title, "title")) ||
	    (r = item_copy(it->detail, sizeof(it->detail), o->detail,
			   "detail"))) {
		return r;
	}
	return 0;
}

static int
item_add(struct cli_run *run)
{
	const struct item_add_opts *o = run->opts;
	struct core_item *it = NULL;
	struct core_receipt rc;
	uint64_t seen;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = cli_parse_seq(o->expect_seq, &seen)) != 0) {
		goto out;
	}
	if (!(it = calloc(1, sizeof(*it)))) {
		r = cli_fail("out of memory");
		goto out;
	}
	if ((r = item_fill(o, it)) != 0) {
		goto out;
	}
	if ((r = core_item_add_seen(run->c, id, seen, it, &rc)) != 0) {
		r = cli_fail_core(run->c, r);
		goto out;
	}
	printf("nominee %" PRId64 ": %s item added (entry %" PRIu64 ")\n", id,
	       it->kind, rc.seq);
	r = 0;
out:
	free(it);
	return r;
}

static const char *const item_cols[] = {"id",    "kind",   "from",
					"to",    "title",  "detail",
					"outside_window"};
static const enum cli_col_type item_type[] = {
	CLI_COL_NUM, CLI_COL_STR, CLI_COL_STR, CLI_COL_STR,
	CLI_COL_STR, CLI_COL_STR, CLI_COL_BOOL};

static int
put_item(void *ctx, const struct core_item *it)
{
	struct cli_table *t = ctx;
	char id[24];

	if (t->fmt != FMT_TEXT) {
		const char *v[7];

		snprintf(id, sizeof(id), "%" PRId64, it->id);
		v[0] = id;
		v[1] = it->kind;
		v[2] = it->date_from;
		v[3] = it->date_to;
		v[4] = it->title;
		v[5] = it->detail;
		v[6] = it->outside_window ? "1" : "0";
		cli_table_row(t, v);
		return 0;
	}
	/* every stored string sanitized, the short codes too */
	printf("  ");
	cli_put_fit(stdout, it->kind, 11);
	printf(" ");
	cli_put_fit(stdout, it->date_from, 10);
	printf(" ");
	cli_put_fit(stdout, it->date_to[0] ? it->date_to : "-", 10);
	printf(" ");
	cli_put_text(stdout, it->title);
	if (it->outside_window) {
		printf("  [outside the report window]");
	}
	putchar('\n');
	return 0;
}

static int
item_list(struct cli_run *run)
{
	struct cli_table t = {.fmt = run->fmt,
			      .cols = item_cols,
			      .type = item_type,
			      .n_cols = 7};
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0) {
		return r;
	}
	if ((r = core_item_list(run->c, id, put_item, &t)) != 0) {
		cli_table_drop(&t);
		return cli_fail_core(run->c, r);
	}
	if (t.fmt != FMT_TEXT) {
		cli_table_end(&t);
	}
	return 0;
}

struct material_opts {
	const char *copies, *expect_seq;
	int original_sighted;
};

static const struct opt material_opts[] = {
	OPT_STRING_REQ("copies", 0, struct material_opts, copies, "N",
		       "copies handed in"),
	OPT_FLAG("original-sighted", 0, struct material_opts,
		 original_sighted, "the original was seen"),
	OPT_STRING("expect-seq", 0, struct material_opts, expect_seq, "SEQ",
		   "only if still the version `nominee show` printed"),
	OPT_END(),
};

static int
material(struct cli_run *run)
{
	const struct material_opts *o = run->opts;
	const char *kind = run->argv[1];
	struct core_receipt rc;
	uint64_t seen;
	int64_t id;
	long copies;
	char *end;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = cli_parse_seq(o->expect_seq, &seen)) != 0) {
		return r;
	}
	errno = 0;
	copies = strtol(o->copies, &end, 10);
	if (!o->copies[0] || *end != '\0' || errno != 0 || copies < 0 ||
	    copies > 1000000) {
		return cli_fail("--copies: a number of copies, not '%s'",
				o->copies);
	}
	r = core_material_set_seen(run->c, id, seen, kind, (int)copies,
				   o->original_sighted, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("nominee %" PRId64 ": %s recorded (entry %" PRIu64 ")\n", id,
	       kind, rc.seq);
	return 0;
}

static const struct cli_cmd item_add_cmd = {
	.name = "add",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(item_add_opts, struct item_add_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = item_add,
	.help = "add a work, research or performance item",
};

static const struct cli_cmd item_list_cmd = {
	.name = "list",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = item_list,
	.help = "a nominee's items",
};

static const struct cli_cmd *const item_cmds[] = {
	&item_add_cmd,
	&item_list_cmd,
	NULL,
};

const struct cli_cmd cli_cmd_nominee_item = {.name = "item",
					     .sub = item_cmds};

const struct cli_cmd cli_cmd_nominee_material = {
	.name = "material",
	.operands = "ID KIND",
	.min_args = 2,
	.max_args = 2,
	.opts = CLI_OPTS(material_opts, struct material_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = material,
	.help = "record a paper material handed in",
};
