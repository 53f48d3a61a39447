/*
 * The strict reader of a round definition (format "nomdesk-round/1",
 * rounds/<code>.json, docs/domain-notes.md): a JSON path is kept beside
 * the walk so that every refusal names the path and the rule, and a
 * definition is refused whole or accepted whole.  Nothing here derives,
 * corrects or sums a figure: the notice's arithmetic is kept as stated
 * (round_check.c reports on it).
 */
#include <json-c/json.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/round_int.h"
#include "core/utf8.h"

#define ROUND_FORMAT "nomdesk-round/1"

/* ---- sections ---- */

static int
parse_deadlines(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"city", "county", "department",
	                                   NULL};
	static const char *const tier_keys[] = {"at", "text", "reading", NULL};
	static const char *const tiers[] = {"city", "county", "department"};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "deadlines");
	size_t s = jp_key(p, "deadlines");
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0) {
		goto out;
	}
	for (size_t i = 0; i < 3; i++) {
		json_object *t = jp_get(o, tiers[i]);
		size_t s2 = jp_key(p, tiers[i]);
		char *at = NULL, *text = NULL, *reading = NULL;
		char date[11];
		int64_t ms = 0;

		if ((rv = jp_object(p, t, i == 0)) != 0) {
			goto tier;
		}
		if (!t) {
			at = jp_dup(p, "");
			rv = at ? 0 : CORE_EINTERNAL;
			goto tier;
		}
		if ((rv = jp_keys(p, t, tier_keys)) != 0 ||
		    (rv = jp_text(p, t, "at", 1, 0, &at)) != 0 ||
		    (rv = jp_text(p, t, "text", 0, 1, &text)) != 0 ||
		    (rv = jp_text(p, t, "reading", 0, 1, &reading)) != 0) {
			goto tier;
		}
		if (jp_instant(at, &ms, date) != 0) {
			size_t s3 = jp_key(p, "at");

			rv = jp_fail(p, _("must be an instant with its zone, "
			                  "e.g. 2020-12-15T23:59:59+08:00"));
			jp_pop(p, s3);
			goto tier;
		}
		if (i == 0) {
			r->deadline_ms =
			    ms + 999; /* to the end of the second */
			snprintf(r->age_ref_date, sizeof(r->age_ref_date), "%s",
			         date);
			snprintf(r->window_ref_date, sizeof(r->window_ref_date),
			         "%s", date);
		}
	tier:
		if (rv == 0 && i == 0) {
			r->deadline = at;
			r->deadline_reading = reading;
			at = reading = NULL;
		} else if (rv == 0 && i == 1) {
			r->deadline_county = at;
			at = NULL;
		} else if (rv == 0 && i == 2) {
			r->deadline_department = at;
			at = NULL;
		}
		free(at);
		free(text);
		free(reading);
		jp_pop(p, s2);
		if (rv != 0) {
			goto out;
		}
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_notices(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"county", "department", "city",
	                                   NULL};
	static const char *const nkeys[] = {"days", "day_type", "text",
	                                    "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "notices");
	size_t s = jp_key(p, "notices");
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0) {
		goto out;
	}
	if (!(r->notices = calloc(3, sizeof(*r->notices)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < 3; i++) {
		struct core_round_notice *n = &r->notices[i];
		json_object *t = jp_get(o, keys[i]);
		size_t s2 = jp_key(p, keys[i]);
		int64_t days;

		r->n_notices++;
		n->days = -1;
		if (!(n->tier = jp_dup(p, keys[i]))) {
			rv = CORE_EINTERNAL;
		} else if ((rv = jp_object(p, t, 1)) == 0 &&
		           (rv = jp_keys(p, t, nkeys)) == 0 &&
		           (rv = jp_int(p, t, "days", 0, 1, 365, -1, &days)) ==
		               0 &&
		           (rv = jp_code(p, t, "day_type", 0, "",
		                         &n->day_type)) == 0 &&
		           (rv = jp_text(p, t, "text", 0, 1, &n->text)) == 0 &&
		           (rv = jp_text(p, t, "reading", 0, 1, &n->reading)) ==
		               0) {
			n->days = (int)days;
			if (*n->day_type && strcmp(n->day_type, "calendar") &&
			    strcmp(n->day_type, "working")) {
				size_t s3 = jp_key(p, "day_type");

				rv = jp_fail(p, _("must be \"calendar\", "
				                  "\"working\" or null"));
				jp_pop(p, s3);
			}
		}
		jp_pop(p, s2);
		if (rv != 0) {
			break;
		}
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_age(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "limit",   "inclusive", "reference_date", "relaxable", "text",
	    "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "age");
	size_t s = jp_key(p, "age");
	char ref[11], *text = NULL;
	int64_t limit;
	int rv;

	if ((rv = jp_object(p, o, 1)) == 0 && (rv = jp_keys(p, o, keys)) == 0 &&
	    (rv = jp_int(p, o, "limit", 1, 1, 150, 0, &limit)) == 0 &&
	    (rv = jp_bool(p, o, "inclusive", -1, 0, &r->age_inclusive)) == 0 &&
	    (rv = jp_bool(p, o, "relaxable", 0, 0, &r->age_relaxable)) == 0 &&
	    (rv = jp_date(p, o, "reference_date", ref)) == 0 &&
	    (rv = jp_text(p, o, "text", 0, 1, &text)) == 0 &&
	    (rv = jp_text(p, o, "reading", 0, 1, &r->age_reading)) == 0) {
		r->age_limit = (int)limit;
		if (r->age_inclusive < 0) {
			size_t s2 = jp_key(p, "inclusive");

			rv = jp_fail(p, _("is required (does the limit "
			                  "include the number itself?)"));
			jp_pop(p, s2);
		}
		if (*ref) {
			snprintf(r->age_ref_date, sizeof(r->age_ref_date), "%s",
			         ref);
		}
	}
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_title_rule(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"min_level", "counts", "text",
	                                   "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "title_rule");
	size_t s = jp_key(p, "title_rule"), s2;
	char *level = NULL, *counts = NULL, *text = NULL;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_text(p, o, "min_level", 1, 0, &level)) != 0 ||
	    (rv = jp_text(p, o, "counts", 1, 0, &counts)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0 ||
	    (rv = jp_text(p, o, "reading", 0, 1, &r->title_reading)) != 0) {
		goto out;
	}
	if (core_title_level_parse(level, &r->title_min) != 0) {
		s2 = jp_key(p, "min_level");
		rv = jp_fail(p, _("must be one of 正高 副高 中级 初级"));
		jp_pop(p, s2);
		goto out;
	}
	if (strcmp(counts, "appointment") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_APPOINTMENT;
	} else if (strcmp(counts, "qualification") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_QUALIFICATION;
	} else if (strcmp(counts, "either") == 0) {
		r->title_counts = CORE_TITLE_COUNTS_EITHER;
	} else {
		s2 = jp_key(p, "counts");
		rv = jp_fail(p, _("must be \"appointment\", \"qualification\" "
		                  "or \"either\""));
		jp_pop(p, s2);
	}
out:
	free(level);
	free(counts);
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_window(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"years", "reference_date", "text",
	                                   "reading", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "report_window");
	size_t s = jp_key(p, "report_window");
	char ref[11], *text = NULL, *reading = NULL;
	int64_t years;
	int rv;

	if ((rv = jp_object(p, o, 1)) == 0 && (rv = jp_keys(p, o, keys)) == 0 &&
	    (rv = jp_int(p, o, "years", 1, 1, 50, 0, &years)) == 0 &&
	    (rv = jp_date(p, o, "reference_date", ref)) == 0 &&
	    (rv = jp_text(p, o, "text", 0, 1, &text)) == 0 &&
	    (rv = jp_text(p, o, "reading", 0, 1, &reading)) == 0) {
		r->window_years = (int)years;
		if (*ref) {
			snprintf(r->window_ref_date, sizeof(r->window_ref_date),
			         "%s", ref);
		}
	}
	free(text);
	free(reading);
	jp_pop(p, s);
	return rv;
}

static int
parse_exclusion(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"prior_leader", "text", NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "exclusion"), *a;
	size_t s = jp_key(p, "exclusion"), s2;
	char *text = NULL;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0) {
		goto out;
	}
	a = jp_get(o, "prior_leader");
	s2 = jp_key(p, "prior_leader");
	if ((rv = jp_array(p, a, 1, 0)) != 0) {
		jp_pop(p, s2);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		const char *t = json_object_is_type(v, json_type_string)
		                    ? json_object_get_string(v)
		                    : "";
		size_t s3 = jp_index(p, i);

		if (strcmp(t, "省级") == 0 && !r->exclude_province) {
			r->exclude_province = 1;
		} else if (strcmp(t, "市级") == 0 && !r->exclude_city) {
			r->exclude_city = 1;
		} else {
			rv = jp_fail(p, _("must be \"省级\" or \"市级\", "
			                  "each at most once"));
		}
		jp_pop(p, s3);
		if (rv != 0) {
			break;
		}
	}
	jp_pop(p, s2);
out:
	free(text);
	jp_pop(p, s);
	return rv;
}

static int
parse_conditions(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"no",       "zh",   "en",
	                                   "evidence", "note", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "conditions");
	size_t s = jp_key(p, "conditions"), n;
	void *v = NULL;
	int rv;

	if ((rv = jp_list(p, a, 1, 1, 32, sizeof(*r->conditions), &v,
	                  &n)) != 0) {
		goto out;
	}
	r->conditions = v;
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_condition *cd = &r->conditions[i];
		size_t s2 = jp_index(p, i);
		char *ev = NULL;
		int64_t no;

		r->n_conditions++;
		if ((rv = jp_object(p, o, 1)) == 0 &&
		    (rv = jp_keys(p, o, keys)) == 0 &&
		    (rv = jp_int(p, o, "no", 1, 1, 32, 0, &no)) == 0 &&
		    (rv = jp_text(p, o, "zh", 1, 1, &cd->zh)) == 0 &&
		    (rv = jp_text(p, o, "en", 1, 1, &cd->en)) == 0 &&
		    (rv = jp_text(p, o, "evidence", 1, 0, &ev)) == 0 &&
		    (rv = jp_text(p, o, "note", 0, 1, &cd->note)) == 0) {
			size_t s3;

			cd->no = (int)no;
			if (no != (int64_t)i + 1) {
				s3 = jp_key(p, "no");
				rv = jp_fail(p,
				             _("must be %zu (conditions are "
				               "numbered 1, 2, ... in order)"),
				             i + 1);
				jp_pop(p, s3);
			} else if (strcmp(ev, "documentary") == 0) {
				cd->evidence = CORE_EVIDENCE_DOCUMENTARY;
			} else if (strcmp(ev, "judgement") == 0) {
				cd->evidence = CORE_EVIDENCE_JUDGEMENT;
			} else {
				s3 = jp_key(p, "evidence");
				rv = jp_fail(p, _("must be \"documentary\" or "
				                  "\"judgement\""));
				jp_pop(p, s3);
			}
		}
		free(ev);
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_categories(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"key",   "zh",   "en",
	                                   "relax", "text", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "categories");
	size_t s = jp_key(p, "categories"), n;
	void *arr = NULL;
	int rv;

	if ((rv = jp_list(p, a, 1, 1, 64, sizeof(*r->categories), &arr,
	                  &n)) != 0) {
		goto out;
	}
	r->categories = arr;
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i), *rl;
		struct core_round_category *k = &r->categories[i];
		size_t s2 = jp_index(p, i), s3;

		r->n_categories++;
		if ((rv = jp_object(p, o, 1)) != 0 ||
		    (rv = jp_keys(p, o, keys)) != 0 ||
		    (rv = jp_code(p, o, "key", 1, "_", &k->key)) != 0 ||
		    (rv = jp_text(p, o, "zh", 1, 0, &k->name_zh)) != 0 ||
		    (rv = jp_text(p, o, "en", 1, 0, &k->name_en)) != 0 ||
		    (rv = jp_text(p, o, "text", 0, 1, &k->text)) != 0) {
			goto next;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(r->categories[j].key, k->key) == 0 ||
			    strcmp(r->categories[j].name_zh, k->name_zh) == 0) {
				rv = jp_fail(p,
				             _("key or name repeats "
				               "categories[%zu]"),
				             j);
				goto next;
			}
		}
		rl = jp_get(o, "relax");
		s3 = jp_key(p, "relax");
		if ((rv = jp_array(p, rl, 1, 0)) == 0) {
			for (size_t j = 0; j < json_object_array_length(rl);
			     j++) {
				json_object *v =
				    json_object_array_get_idx(rl, j);
				const char *t =
				    json_object_is_type(v, json_type_string)
				        ? json_object_get_string(v)
				        : "";
				unsigned bit =
				    strcmp(t, "title") == 0 ? CORE_RELAX_TITLE
				    : strcmp(t, "age") == 0 ? CORE_RELAX_AGE
				    : strcmp(t, "conditions") == 0
				        ? CORE_RELAX_CONDITIONS
				        : 0;
				size_t s4 = jp_index(p, j);

				if (bit == 0 || (k->relax & bit)) {
					rv =
					    jp_fail(p, _("must be \"title\", "
					                 "\"age\" or "
					                 "\"conditions\", each "
					                 "at most once"));
				}
				k->relax |= bit;
				jp_pop(p, s4);
				if (rv != 0) {
					break;
				}
			}
		}
		jp_pop(p, s3);
	next:
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_materials(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "key",       "zh",       "en",   "copies", "electronic",
	    "originals", "required", "note", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "materials");
	size_t s = jp_key(p, "materials"), n;
	void *v = NULL;
	int rv;

	if ((rv = jp_list(p, a, 1, 0, 64, sizeof(*r->materials), &v,
	                  &n)) != 0) {
		goto out;
	}
	r->materials = v;
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_material *m = &r->materials[i];
		size_t s2 = jp_index(p, i);
		int64_t copies;

		r->n_materials++;
		if ((rv = jp_object(p, o, 1)) == 0 &&
		    (rv = jp_keys(p, o, keys)) == 0 &&
		    (rv = jp_code(p, o, "key", 1, "_", &m->key)) == 0 &&
		    (rv = jp_text(p, o, "zh", 1, 0, &m->name_zh)) == 0 &&
		    (rv = jp_text(p, o, "en", 1, 0, &m->name_en)) == 0 &&
		    (rv = jp_int(p, o, "copies", 0, 1, 100, -1, &copies)) ==
		        0 &&
		    (rv = jp_bool(p, o, "electronic", 0, 0, &m->electronic)) ==
		        0 &&
		    (rv = jp_bool(p, o, "originals", 0, 0, &m->originals)) ==
		        0 &&
		    (rv = jp_bool(p, o, "required", 1, 0, &m->required)) == 0 &&
		    (rv = jp_text(p, o, "note", 0, 1, &m->note)) == 0) {
			m->copies = (int)copies;
			for (size_t j = 0; j < i && rv == 0; j++) {
				if (strcmp(r->materials[j].key, m->key) == 0) {
					rv = jp_fail(p,
					             _("key '%s' repeats "
					               "materials[%zu]"),
					             m->key, j);
				}
			}
		}
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
node_index(const struct core_round *r, const char *code)
{
	for (size_t i = 0; i < r->n_nodes; i++) {
		if (strcmp(r->nodes[i].code, code) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static int
parse_readings(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"issue",     "kind",    "node",
	                                   "text",      "reading", "chosen_by",
	                                   "chosen_at", NULL};
	static const char *const kinds[] = {"parts", "breakdown", "itemised",
	                                    "total", NULL};
	struct core_round *r = p->r;
	json_object *a = jp_get(root, "readings");
	size_t s = jp_key(p, "readings"), n;
	void *v = NULL;
	int rv;

	if ((rv = jp_list(p, a, 0, 0, 256, sizeof(*r->readings), &v,
	                  &n)) != 0) {
		goto out;
	}
	r->readings = v;
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		struct core_round_reading *g = &r->readings[i];
		size_t s2 = jp_index(p, i), s3;

		r->n_readings++;
		if ((rv = jp_object(p, o, 1)) != 0 ||
		    (rv = jp_keys(p, o, keys)) != 0 ||
		    (rv = jp_text(p, o, "issue", 1, 0, &g->issue)) != 0 ||
		    (rv = jp_code(p, o, "kind", 0, "", &g->kind)) != 0 ||
		    (rv = jp_code(p, o, "node", 0, "._-", &g->node)) != 0 ||
		    (rv = jp_text(p, o, "text", 1, 1, &g->text)) != 0 ||
		    (rv = jp_text(p, o, "reading", 1, 1, &g->reading)) != 0 ||
		    (rv = jp_text(p, o, "chosen_by", 0, 0, &g->chosen_by)) !=
		        0 ||
		    (rv = jp_text(p, o, "chosen_at", 0, 0, &g->chosen_at)) != 0) {
			goto next;
		}
		if (strlen(g->issue) > 15) {
			s3 = jp_key(p, "issue");
			rv = jp_fail(p, _("must be at most 15 bytes"));
			jp_pop(p, s3);
			goto next;
		}
		if (*g->kind) {
			size_t k;

			for (k = 0; kinds[k]; k++) {
				if (strcmp(kinds[k], g->kind) == 0) {
					break;
				}
			}
			if (!kinds[k]) {
				s3 = jp_key(p, "kind");
				rv =
				    jp_fail(p, _("must be \"parts\", "
				                 "\"breakdown\", \"itemised\", "
				                 "\"total\" or null"));
				jp_pop(p, s3);
				goto next;
			}
		}
		if (*g->node && node_index(r, g->node) < 0) {
			s3 = jp_key(p, "node");
			rv = jp_fail(p,
			             _("'%s' is not the code of a quota node"),
			             g->node);
			jp_pop(p, s3);
		}
	next:
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_root(struct jp *p, json_object *root)
{
	static const char *const keys[] = {
	    "format",        "code",      "year",       "batch",
	    "title",         "source",    "target",     "receiver",
	    "deadlines",     "notices",   "age",        "title_rule",
	    "report_window", "exclusion", "conditions", "categories",
	    "quotas",        "materials", "readings",   NULL};
	struct core_round *r = p->r;
	char *format = NULL;
	int64_t year, batch, target;
	int rv;

	if ((rv = jp_object(p, root, 1)) != 0 ||
	    (rv = jp_keys(p, root, keys)) != 0 ||
	    (rv = jp_text(p, root, "format", 1, 0, &format)) != 0) {
		goto out;
	}
	if (strcmp(format, ROUND_FORMAT) != 0) {
		size_t s = jp_key(p, "format");

		rv = jp_fail(p, _("must be \"%s\""), ROUND_FORMAT);
		jp_pop(p, s);
		goto out;
	}
	if ((rv = jp_code(p, root, "code", 1, "-", &r->code)) != 0 ||
	    (rv = jp_int(p, root, "year", 1, 1949, 2200, 0, &year)) != 0 ||
	    (rv = jp_int(p, root, "batch", 1, 1, 1000, 0, &batch)) != 0 ||
	    (rv = jp_names(p, root, "title", &r->title_zh, &r->title_en)) !=
	        0 ||
	    (rv = jp_text(p, root, "source", 0, 1, &r->source)) != 0 ||
	    (rv = jp_int(p, root, "target", 1, 1, MAX_FIGURE, 0, &target)) !=
	        0 ||
	    (rv = jp_code(p, root, "receiver", 1, "._-", &r->receiver)) != 0 ||
	    (rv = parse_deadlines(p, root)) != 0 ||
	    (rv = parse_notices(p, root)) != 0 ||
	    (rv = parse_age(p, root)) != 0 ||
	    (rv = parse_title_rule(p, root)) != 0 ||
	    (rv = parse_window(p, root)) != 0 ||
	    (rv = parse_exclusion(p, root)) != 0 ||
	    (rv = parse_conditions(p, root)) != 0 ||
	    (rv = parse_categories(p, root)) != 0 ||
	    (rv = round_parse_quotas(p, root)) != 0 ||
	    (rv = parse_materials(p, root)) != 0 ||
	    (rv = parse_readings(p, root)) != 0) {
		goto out;
	}
	r->year = (int)year;
	r->batch = (int)batch;
	r->target = (int)target;
out:
	free(format);
	return rv;
}

int
core_round_parse(const char *json, size_t len, struct core_round **out,
                 char *err, size_t errlen)
{
	struct json_tokener *tok = NULL;
	json_object *root = NULL;
	struct core_round *r = NULL;
	struct jp p;
	const char *canon;
	uint8_t h[32];
	size_t end;
	int rv = CORE_EINTERNAL;

	*out = NULL;
	if (errlen) {
		err[0] = '\0';
	}
	memset(&p, 0, sizeof(p));
	snprintf(p.path, sizeof(p.path), "$");
	p.len = 1;
	p.err = err;
	p.errlen = errlen;
	if (!json || len == 0 || len > 1024 * 1024 || memchr(json, '\0', len)) {
		snprintf(err, errlen,
		         _("$: a round definition is 1 byte to "
		           "1 MiB of JSON text"));
		return CORE_EINVAL;
	}
	if (!(tok = json_tokener_new()) || !(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, json, (int)len);
	end = json_tokener_get_parse_end(tok);
	while (root && end < len && strchr(" \t\r\n", json[end])) {
		end++; /* trailing white space is fine */
	}
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    end != len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		snprintf(err, errlen, _("$: not valid JSON at byte %zu: %s"),
		         end,
		         e == json_tokener_success
		             ? _("text after the end of the definition")
		             : json_tokener_error_desc(e));
		rv = CORE_EINVAL;
		goto out;
	}
	p.r = r;
	if ((rv = parse_root(&p, root)) != 0) {
		if (p.oom || rv == CORE_EINTERNAL) {
			snprintf(err, errlen, "out of memory");
			rv = CORE_EINTERNAL;
		}
		goto out;
	}
	canon = json_object_to_json_string_ext(
	    root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!canon || !(r->json = strdup(canon))) {
		snprintf(err, errlen, "out of memory");
		rv = CORE_EINTERNAL;
		goto out;
	}
	crypto_hash_sha256(h, (const unsigned char *)r->json, strlen(r->json));
	sodium_bin2hex(r->sha256_hex, sizeof(r->sha256_hex), h, sizeof(h));
	*out = r;
	r = NULL; /* transferred */
	rv = 0;
out:
	core_round_free(r);
	json_object_put(root);
	if (tok) {
		json_tokener_free(tok);
	}
	return rv;
}

void
core_round_free(struct core_round *r)
{
	if (!r) {
		return;
	}
	free(r->code);
	free(r->title_zh);
	free(r->title_en);
	free(r->source);
	free(r->receiver);
	free(r->deadline);
	free(r->deadline_county);
	free(r->deadline_department);
	free(r->deadline_reading);
	free(r->age_reading);
	free(r->title_reading);
	for (size_t i = 0; i < r->n_conditions; i++) {
		free(r->conditions[i].zh);
		free(r->conditions[i].en);
		free(r->conditions[i].note);
	}
	free(r->conditions);
	for (size_t i = 0; i < r->n_categories; i++) {
		free(r->categories[i].key);
		free(r->categories[i].name_zh);
		free(r->categories[i].name_en);
		free(r->categories[i].text);
	}
	free(r->categories);
	for (size_t i = 0; i < r->n_nodes; i++) {
		struct core_quota_node *q = &r->nodes[i];

		free(q->code);
		free(q->path);
		free(q->category);
		free(q->name_zh);
		free(q->name_en);
		free(q->channel);
		for (size_t j = 0; j < q->n_holders; j++) {
			free(q->holders[j]);
		}
		free(q->holders);
		free(q->text);
		free(q->note);
	}
	free(r->nodes);
	for (size_t i = 0; i < r->n_materials; i++) {
		free(r->materials[i].key);
		free(r->materials[i].name_zh);
		free(r->materials[i].name_en);
		free(r->materials[i].note);
	}
	free(r->materials);
	for (size_t i = 0; i < r->n_notices; i++) {
		free(r->notices[i].tier);
		free(r->notices[i].day_type);
		free(r->notices[i].text);
		free(r->notices[i].reading);
	}
	free(r->notices);
	for (size_t i = 0; i < r->n_readings; i++) {
		struct core_round_reading *g = &r->readings[i];

		free(g->issue);
		free(g->kind);
		free(g->node);
		free(g->text);
		free(g->reading);
		free(g->chosen_by);
		free(g->chosen_at);
	}
	free(r->readings);
	free(r->json);
	free(r);
}
