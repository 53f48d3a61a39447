/*
 * nomdesk nominee ...: the family's table, and add, list and applicant.
 * show and edit are cli/cmd_dossier.c's, check cli/cmd_elig.c's, item and
 * material cli/cmd_items.c's, import cli/cmd_import.c's.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/core.h"
#include "core/i18n.h"
#include "core/utf8.h"

struct nominee_add_opts {
	struct core_nominee_new n;
	const char *key;
};

static const struct opt nominee_add_opts[] = {
	OPT_STRING_REQ("name", 0, struct nominee_add_opts, n.name, "NAME",
		       "the nominee's name"),
	OPT_STRING_REQ("gender", 0, struct nominee_add_opts, n.gender,
		       "男|女", "男 or 女"),
	OPT_STRING_REQ("birth-date", 0, struct nominee_add_opts, n.birth_date,
		       "YYYY-MM-DD", "the date of birth"),
	OPT_STRING_REQ("title", 0, struct nominee_add_opts, n.title, "TEXT",
		       "the professional title held now"),
	OPT_STRING("unit", 0, struct nominee_add_opts, n.unit, "CODE",
		   "the employer (default: your own unit)"),
	OPT_STRING("idempotency-key", 0, struct nominee_add_opts, key, "KEY",
		   "a retry with the same KEY adds nothing"),
	OPT_END(),
};

static int
nominee_add(struct cli_run *run)
{
	const struct nominee_add_opts *o = run->opts;
	struct core_receipt rc;
	int64_t id;
	int r, replayed = 0;

	r = core_nominee_add_once(run->c, &o->n, o->key, &id, &rc, &replayed);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("added nominee %" PRId64 " (entry %" PRIu64
	       ", checkpoint %" PRIu64 " %s)\n",
	       id, rc.seq, rc.tree_size, rc.root);
	if (replayed) {
		/* The key is [A-Za-z0-9._-] (core checked): safe to print. */
		printf(_("note: already added by an earlier call with this key "
			 "('%s'); nothing new was written"),
		       o->key);
		putchar('\n');
	}
	return 0;
}

/* A listing in progress: JSON puts a separator before all but the first
 * element. */
struct nominee_list_out {
	enum cli_format fmt;
	int first;
};

static void
put_nominee_json(struct nominee_list_out *out, const struct core_nominee *n)
{
	static const char *const keys[] = {"name",  "gender", "birth_date",
					   "title", "unit",   "unit_name",
					   "state"};
	const char *vals[] = {n->name,	n->gender,    n->birth_date, n->title,
			      n->unit,	n->unit_name, n->state};
	json_object *o = json_object_new_object();
	char safe[CORE_TEXT_SIZE * 2];

	/* Sanitized like every other output; json-c escapes it. */
	json_object_object_add(o, "id", json_object_new_int64(n->id));
	for (size_t i = 0; i < 7; i++) {
		utf8_sanitize(vals[i], safe, sizeof(safe), 0);
		json_object_object_add(o, keys[i],
				       json_object_new_string(safe));
	}
	json_object_object_add(o, "version",
			       json_object_new_int64(n->version));
	printf("%s%s", out->first ? "" : ",\n",
	       json_object_to_json_string_ext(o,
					      JSON_C_TO_STRING_NOSLASHESCAPE));
	out->first = 0;
	json_object_put(o);
}

static void
put_nominee_text(const char *id, const struct core_nominee *n)
{
	char name[CORE_NAME_SIZE * 2], fit[CORE_NAME_SIZE * 2];
	char title[CORE_TEXT_SIZE * 2], tfit[CORE_TEXT_SIZE * 2];
	char uname[CORE_NAME_SIZE * 2], ufit[CORE_NAME_SIZE * 2];
	size_t w1, w2, w3;

	utf8_sanitize(n->name, name, sizeof(name), 0);
	utf8_sanitize(n->title, title, sizeof(title), 0);
	utf8_sanitize(n->unit_name, uname, sizeof(uname), 0);
	w1 = utf8_fit(name, 16, fit, sizeof(fit));
	w2 = utf8_fit(title, 20, tfit, sizeof(tfit));
	w3 = utf8_fit(uname, 30, ufit, sizeof(ufit));
	printf("%-5s %s%*s %s %s %s%*s %s%*s %s\n", id, fit, (int)(16 - w1),
	       "", n->gender, n->birth_date, tfit, (int)(20 - w2), "", ufit,
	       (int)(30 - w3), "", n->state);
}

static int
put_nominee(void *ctx, const struct core_nominee *n)
{
	struct nominee_list_out *out = ctx;
	char id[24];

	snprintf(id, sizeof(id), "%" PRId64, n->id);
	if (out->fmt == FMT_JSON) {
		put_nominee_json(out, n);
	} else if (out->fmt == FMT_CSV) {
		cli_put_csv(stdout, id, 0);
		cli_put_csv(stdout, n->name, 0);
		cli_put_csv(stdout, n->gender, 0);
		cli_put_csv(stdout, n->birth_date, 0);
		cli_put_csv(stdout, n->title, 0);
		cli_put_csv(stdout, n->unit, 0);
		cli_put_csv(stdout, n->unit_name, 0);
		cli_put_csv(stdout, n->state, 1);
	} else {
		put_nominee_text(id, n);
	}
	return 0;
}

static int
nominee_list(struct cli_run *run)
{
	struct nominee_list_out out = {run->fmt, 1};
	int r;

	if (out.fmt == FMT_JSON) {
		printf("[");
	}
	if (out.fmt == FMT_CSV) {
		printf("\xEF\xBB\xBF\"id\",\"name\",\"gender\",\"birth_date\","
		       "\"title\",\"unit\",\"unit_name\",\"state\"\r\n");
	}
	r = core_nominee_list(run->c, put_nominee, &out);
	if (out.fmt == FMT_JSON) {
		printf("]\n");
	}
	return r != 0 ? cli_fail_core(run->c, r) : 0;
}

struct nominee_applicant_opts {
	const char *user, *expect_seq;
};

static const struct opt nominee_applicant_opts[] = {
	OPT_STRING_REQ("user", 0, struct nominee_applicant_opts, user,
		       "APPLICANT", "the applicant's own account"),
	OPT_STRING("expect-seq", 0, struct nominee_applicant_opts, expect_seq,
		   "SEQ", "only if still the version `nominee show` printed"),
	OPT_END(),
};

static int
nominee_applicant(struct cli_run *run)
{
	const struct nominee_applicant_opts *o = run->opts;
	struct core_receipt rc;
	uint64_t seen;
	int64_t id;
	int r;

	if ((r = cli_operand_id(run->argv[0], &id)) != 0 ||
	    (r = cli_parse_seq(o->expect_seq, &seen)) != 0) {
		return r;
	}
	r = core_nominee_set_applicant_seen(run->c, id, seen, o->user, &rc);
	if (r != 0) {
		return cli_fail_core(run->c, r);
	}
	printf("nominee %" PRId64 ": applicant account %s linked (entry %" PRIu64
	       ")\n",
	       id, o->user, rc.seq);
	return 0;
}

static const struct cli_cmd nominee_add_cmd = {
	.name = "add",
	.opts = CLI_OPTS(nominee_add_opts, struct nominee_add_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = nominee_add,
	.help = "add a nominee at a unit",
};

static const struct cli_cmd nominee_list_cmd = {
	.name = "list",
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.formats = CLI_FORMATS_ALL,
	.run = nominee_list,
	.help = "the nominees you may see",
};

static const struct cli_cmd nominee_applicant_cmd = {
	.name = "applicant",
	.operands = "ID",
	.min_args = 1,
	.max_args = 1,
	.opts = CLI_OPTS(nominee_applicant_opts,
			 struct nominee_applicant_opts),
	.flags = CLI_NEEDS_DATA | CLI_NEEDS_AS,
	.run = nominee_applicant,
	.help = "link the applicant's own account to the dossier",
};

static const struct cli_cmd *const nominee_cmds[] = {
	&nominee_add_cmd,	    &nominee_list_cmd,
	&cli_cmd_nominee_show,	    &cli_cmd_nominee_check,
	&cli_cmd_nominee_edit,	    &nominee_applicant_cmd,
	&cli_cmd_nominee_import,    &cli_cmd_nominee_item,
	&cli_cmd_nominee_material,  NULL,
};

const struct cli_cmd cli_cmd_nominee = {.name = "nominee",
					.sub = nominee_cmds};
