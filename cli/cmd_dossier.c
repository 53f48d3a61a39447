/*
 * nomdesk nominee show|edit: one nominee's dossier, its fields and its
 * history, and changes to its fields (core/dossier.c, nominee_edit.c).
 *
 * --expect-seq SEQ: the write happens only if the nominee is still the
 * version `nominee show` printed as "seq SEQ" (core's *_seen(), issue 8
 * item 7); without it the command acts on the current version, its read
 * and write being one call.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/utf8.h"

static const char *const decisions[] = {"", "pass", "return", "reject",
					"veto"};

static void
add_str(json_object *o, const char *k, const char *v)
{
	char safe[4096];

	utf8_sanitize(v, safe, sizeof(safe), 1);
	json_object_object_add(o, k, json_object_new_string(safe));
}

static void
put_history_json(json_object *arr, const struct core_history_item *h,
		 const char *when)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "seq", json_object_new_int64((int64_t)h->seq));
	json_object_object_add(o, "time", json_object_new_string(when));
	json_object_object_add(o, "actor", json_object_new_string(h->actor));
	json_object_object_add(o, "act",
			       json_object_new_string(core_act_name(h->act)));
	json_object_object_add(
		o, "decision",
		json_object_new_string(h->decision < 5 ? decisions[h->decision]
						       : "?"));
	json_object_object_add(o, "version",
			       json_object_new_int64(h->version));
	json_object_object_add(o, "digest",
			       json_object_new_string(h->digest_hex));
	json_object_object_add(o, "reason", json_object_new_string(h->reason));
	json_object_array_add(arr, o);
}

/* One act of the history: into the JSON array ctx, or a text line. */
static int
put_history(void *ctx, const struct core_history_item *h)
{
	char when[32];
	time_t t = (time_t)(h->time_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (ctx) {
		put_history_json(ctx, h, when);
		return 0;
	}
	printf("  #%-6" PRIu64 " %s  ", h->seq, when);
	cli_put_text(stdout, h->actor);
	printf("  %s", core_act_name(h->act));
	if (h->decision && h->decision < 5) {
		printf(" [%s]", decisions[h->decision]);
	}
	printf("  v%u %s", h->version, h->digest_hex);
	if (h->reason[0]) {
		printf("  ");
		cli_put_text(stdout, h->reason);
	}
	putchar('\n');
	return 0;
}

static int
show_json(struct core *c, int64_t id, const struct core_dossier *d)
{
	const char *const *fields = core_dossier_fields();
	json_object *o = json_object_new_object();
	json_object *h = json_object_new_array();
	char val[CORE_TEXT_SIZE];
	int r;

	json_object_object_add(o, "id", json_object_new_int64(id));
	add_str(o, "unit", d->n.unit);
	add_str(o, "unit_name", d->n.unit_name);
	add_str(o, "state", d->n.state);
	json_object_object_add(o, "version",
			       json_object_new_int64(d->n.version));
	/* what --expect-seq takes */
	json_object_object_add(o, "seq",
			       json_object_new_int64((int64_t)d->n.seq));
	add_str(o, "holder", d->holder);
	add_str(o, "quota_category", d->quota_category);
	for (size_t i = 0; fields[i]; i++) {
		snprintf(val, sizeof(val), "%s",
			 core_dossier_value(d, fields[i]));
		add_str(o, fields[i], val);
	}
	if ((r = core_nominee_history(c, id, put_history, h)) != 0) {
		json_object_put(h);
		json_object_put(o);
		return cli_fail_core(c, r);
	}
	json_object_object_add(o, "history", h);
	printf("%s\n", json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PRETTY |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static int
show_text(struct core *c, int64_t id, const struct core_dossier *d)
{
	const char *const *fields = core_dossier_fields();
	char val[CORE_TEXT_SIZE];
	int r;

	printf("nominee %" PRId64 "  state %s  version %u  seq %" PRIu64
	       "  unit %s ",
	       id, d->n.state, d->n.version, d->n.seq, d->n.unit);
	cli_put_text(stdout, d->n.unit_name);
	printf("\n");
	if (d->holder[0]) {
		printf("  with %s\n", d->holder);
	}
	for (size_t i = 0; fields[i]; i++) {
		snprintf(val, sizeof(val), "%s",
			 core_dossier_value(d, fields[i]));
		printf("  %-14s ", fields[i]);
		cli_put_text(stdout, val);
		putchar('\n');
	}
	for (int k = 1; k <= 9; k++) {
		if (!d->has_condition[k]) {
			continue;
		}
		printf("  condition.%d    ", k);
		cli_put_text(stdout, d->condition[k]);
		putchar('\n');
	}
	printf("history:\n");
	r = core_nominee_history(c, id, put_history, NULL);
	return r != 0 ? cli_fail_core(c, r) : 0;
}

static int
nominee_show(struct cli_run *run)
{
	struct core_dossier *d = NULL;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0) {
		goto out;
	}
	if (!(d = calloc(1, sizeof(*d)))) {
		r = cli_fail("out of memory");
		goto out;
	}
	if ((r = core_nominee_get(run->c, id, d)) != 0) {
		r = cli_fail_core(run->c, r);
		goto out;
	}
	r = run->fmt == FMT_JSON ? show_json(run->c, id, d)
				 : show_text(run->c, id, d);
out:
	free(d);
	return r;
}

struct nominee_edit_opts {
	struct opt_list condition;
	const char *expect_seq;
	struct opt_other fields;
};

/* The dossier's field names are core's (core_dossier_fields), so the
 * options are too: --title-level 正高级 sets title_level. */
static const struct opt nominee_edit_opts[] = {
	OPT_LIST("condition", 0, struct nominee_edit_opts, condition,
		 "N=TEXT", "evidence of condition N (1-9); N= removes it"),
	OPT_STRING("expect-seq", 0, struct nominee_edit_opts, expect_seq,
		   "SEQ", "only if still the version `nominee show` printed"),
	OPT_OTHER("FIELD", struct nominee_edit_opts, fields, "VALUE",
		  "a dossier field as `nominee show` names it"),
	OPT_END(),
};

/* core's name of the field --name (- for _), or NULL. */
static const char *
edit_field(const char *name, size_t len)
{
	char field[64];

	if (len >= sizeof(field)) {
		return NULL;
	}
	memcpy(field, name, len);
	field[len] = '\0';
	for (char *p = field; *p; p++) {
		if (*p == '-') {
			*p = '_';
		}
	}
	for (const char *const *f = core_dossier_fields(); *f; f++) {
		if (strcmp(*f, field) == 0) {
			return *f;
		}
	}
	return NULL;
}

/* The options as core's field values; n set; 0 or 1 after one line.
 * cond holds the "condition.N" names the values point to. */
static int
edit_values(const struct nominee_edit_opts *o, struct core_field_value *vals,
	    char (*cond)[16], size_t *n)
{
	const char *v;

	*n = 0;
	for (size_t i = 0; i < o->fields.n; i++) {
		vals[*n].field = edit_field(o->fields.v[i].name,
					    o->fields.v[i].name_len);
		if (!vals[*n].field) {
			return cli_fail("nominee edit: unknown field '--%.*s'",
					(int)o->fields.v[i].name_len,
					o->fields.v[i].name);
		}
		vals[(*n)++].value = o->fields.v[i].value;
	}
	for (size_t i = 0; i < o->condition.n; i++) {
		v = o->condition.v[i];
		if (!(v[0] >= '1' && v[0] <= '9') ||
		    (v[1] != '=' && v[1] != '\0')) {
			return cli_fail("nominee edit: --condition takes "
					"N=EVIDENCE (N 1-9), or N= to remove");
		}
		snprintf(cond[i], sizeof(cond[i]), "condition.%c", v[0]);
		vals[*n].field = cond[i];
		vals[(*n)++].value = v[1] ? v + 2 : "";
	}
	return 0;
}

static int
nominee_edit(struct cli_run *run)
{
	const struct nominee_edit_opts *o = run->opts;
	struct core_field_value vals[OPT_OTHER_MAX + OPT_LIST_MAX];
	char cond[OPT_LIST_MAX][16];
	struct core_receipt rc;
	uint64_t seen;
	int64_t id;
	size_t n;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = cli_parse_seq(o->expect_seq, &seen)) != 0 ||
	    (r = edit_values(o, vals, cond, &n)) != 0) {
		return r;
	}
	if ((r = core_nominee_edit_seen(run->c, id, seen, vals, n, &rc)) != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("nominee %" PRId64 " edited (entry %" PRIu64 ", checkpoint %" PRIu64
	       ")\n",
	       id, rc.seq, rc.tree_size);
	return 0;
}

const struct cli_cmd cli_cmd_nominee_show = {
	.name = "show",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FMT_TEXT | CLI_FMT_JSON,
	.run = nominee_show,
	.help = "one nominee's dossier and history",
};

const struct cli_cmd cli_cmd_nominee_edit = {
	.name = "edit",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(nominee_edit_opts, struct nominee_edit_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = nominee_edit,
	.help = "change dossier fields",
};
