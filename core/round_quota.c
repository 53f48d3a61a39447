/*
 * round_quota: the quota tree of a round definition: holders, nested
 * allocations with their figures exactly as the notice states them (no
 * sums are derived here), categories per node, uncapped extras.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/round_int.h"
#include "core/utf8.h"

static int
category_index(const struct core_round *r, const char *key)
{
	for (size_t i = 0; i < r->n_categories; i++) {
		if (strcmp(r->categories[i].key, key) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static size_t
count_nodes(json_object *a, int depth)
{
	size_t n = 0;

	if (!a || !json_object_is_type(a, json_type_array) || depth > MAX_DEPTH) {
		return 0;
	}
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i), *ch = NULL;

		n++;
		if (json_object_is_type(o, json_type_object) &&
		    json_object_object_get_ex(o, "children", &ch)) {
			n += count_nodes(ch, depth + 1);
		}
	}
	return n;
}

static int parse_nodes(struct jp *p, json_object *a, int parent, int depth,
                       size_t cap);

static int
parse_holders(struct jp *p, json_object *o, struct core_quota_node *q)
{
	json_object *a = jp_get(o, "holders");
	size_t s = jp_key(p, "holders"), n;
	int rv;

	if ((rv = jp_array(p, a, 0, 1)) != 0 || !a) {
		goto out;
	}
	n = json_object_array_length(a);
	if (!(q->holders = calloc(n, sizeof(*q->holders)))) {
		rv = CORE_EINTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n && rv == 0; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		const char *t = json_object_is_type(v, json_type_string)
		                    ? json_object_get_string(v)
		                    : NULL;
		size_t s2 = jp_index(p, i);

		if (!t || *t == '\0' || strlen(t) >= CORE_CODE_SIZE ||
		    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		              "VWXYZ0123456789._-") != strlen(t)) {
			rv = jp_fail(p, _("must be a unit code"));
		} else {
			for (size_t j = 0; j < q->n_holders; j++) {
				if (strcmp(q->holders[j], t) == 0) {
					rv = jp_fail(
					    p, _("repeats holders[%zu]"), j);
				}
			}
			if (rv == 0 &&
			    !(q->holders[q->n_holders++] = jp_dup(p, t))) {
				rv = CORE_EINTERNAL;
			}
		}
		jp_pop(p, s2);
	}
out:
	jp_pop(p, s);
	return rv;
}

static int
parse_node(struct jp *p, json_object *o, int parent, int depth, size_t cap)
{
	static const char *const keys[] = {
	    "code",       "category",       "name",    "limit",
	    "uncapped",   "reserved_seats", "enforce", "justification",
	    "any_holder", "channel",        "holders", "text",
	    "note",       "children",       NULL};
	struct core_round *r = p->r;
	struct core_quota_node *q;
	json_object *ch;
	int idx, rv;
	size_t s;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0) {
		return rv;
	}
	if (r->n_nodes >= cap) {
		return jp_fail(p, _("the quota tree is too large"));
	}
	idx = (int)r->n_nodes++;
	q = &r->nodes[idx];
	q->parent = parent;
	q->depth = depth;
	q->limit = -1;
	if (!(q->path = jp_dup(p, p->path))) {
		return CORE_EINTERNAL;
	}
	if ((rv = jp_code(p, o, "code", 1, "._-", &q->code)) != 0 ||
	    (rv = jp_code(p, o, "category", parent < 0, "_", &q->category)) !=
	        0 ||
	    (rv = jp_names(p, o, "name", &q->name_zh, &q->name_en)) != 0 ||
	    (rv = jp_int(p, o, "limit", 0, 0, MAX_FIGURE, -1, &q->limit)) !=
	        0 ||
	    (rv = jp_bool(p, o, "uncapped", 0, 0, &q->uncapped)) != 0 ||
	    (rv = jp_bool(p, o, "reserved_seats", -1, 1, &q->reserved)) != 0 ||
	    (rv = jp_bool(p, o, "enforce", 1, 0, &q->enforce)) != 0 ||
	    (rv = jp_bool(p, o, "justification", 0, 0, &q->justification)) !=
	        0 ||
	    (rv = jp_bool(p, o, "any_holder", 0, 0, &q->any_holder)) != 0 ||
	    (rv = jp_code(p, o, "channel", 0, "_", &q->channel)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &q->text)) != 0 ||
	    (rv = jp_text(p, o, "note", 0, 1, &q->note)) != 0 ||
	    (rv = parse_holders(p, o, q)) != 0) {
		return rv;
	}
	for (int i = 0; i < idx; i++) {
		if (strcmp(r->nodes[i].code, q->code) == 0) {
			s = jp_key(p, "code");
			rv = jp_fail(p, _("'%s' is already the code of %s"),
			             q->code, r->nodes[i].path);
			jp_pop(p, s);
			return rv;
		}
	}
	if (*q->category == '\0') {
		free(q->category);
		if (!(q->category = jp_dup(p, r->nodes[parent].category))) {
			return CORE_EINTERNAL;
		}
	} else if (category_index(r, q->category) < 0) {
		s = jp_key(p, "category");
		rv = jp_fail(p, _("'%s' is not a key of $.categories"),
		             q->category);
		jp_pop(p, s);
		return rv;
	}
	if (q->uncapped && q->limit >= 0) {
		s = jp_key(p, "limit");
		rv = jp_fail(p, _("a node with \"uncapped\": true has no "
		                  "limit"));
		jp_pop(p, s);
		return rv;
	}
	ch = jp_get(o, "children");
	s = jp_key(p, "children");
	if ((rv = jp_array(p, ch, 0, 1)) == 0 && ch) {
		if (depth + 1 >= MAX_DEPTH) {
			rv = jp_fail(p, _("the quota tree is deeper than %d"),
			             MAX_DEPTH);
		} else {
			rv = parse_nodes(p, ch, idx, depth + 1, cap);
		}
	}
	jp_pop(p, s);
	if (rv != 0) {
		return rv;
	}
	q = &r->nodes[idx];
	if (ch) {
		q->n_children = json_object_array_length(ch);
		if (q->n_holders > 0 || q->any_holder) {
			s = jp_key(p, q->any_holder ? "any_holder" : "holders");
			rv = jp_fail(p, _("only a leaf (a node without "
			                  "children) has holders"));
			jp_pop(p, s);
		}
		return rv;
	}
	if ((q->n_holders > 0) == (q->any_holder != 0)) {
		s = jp_key(p, "holders");
		rv = jp_fail(p, _("a leaf needs either holders or "
		                  "\"any_holder\": true"));
		jp_pop(p, s);
		return rv;
	}
	if (q->limit < 0 && !q->uncapped) {
		int capped = 0;

		for (int a = q->parent; a >= 0; a = r->nodes[a].parent) {
			if (r->nodes[a].limit >= 0) {
				capped = 1;
			}
		}
		if (!capped) {
			s = jp_key(p, "limit");
			rv = jp_fail(p, _("a leaf needs a limit, \"uncapped\": "
			                  "true, or a parent with a limit "
			                  "whose pool it shares"));
			jp_pop(p, s);
		}
	}
	return rv;
}

static int
parse_nodes(struct jp *p, json_object *a, int parent, int depth, size_t cap)
{
	int rv = 0;

	for (size_t i = 0; i < json_object_array_length(a) && rv == 0; i++) {
		size_t s = jp_index(p, i);

		rv = parse_node(p, json_object_array_get_idx(a, i), parent,
		                depth, cap);
		jp_pop(p, s);
	}
	return rv;
}

/* No two leaves of a category share a holder; an any-holder leaf is its
 * category's only leaf; every category is used. */
static int
check_leaves(struct jp *p)
{
	struct core_round *r = p->r;

	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *a = &r->nodes[i];

		if (a->n_children) {
			continue;
		}
		for (size_t j = i + 1; j < r->n_nodes; j++) {
			const struct core_quota_node *b = &r->nodes[j];

			if (b->n_children || strcmp(a->category, b->category)) {
				continue;
			}
			if (a->any_holder || b->any_holder) {
				snprintf(p->err, p->errlen,
				         _("%s: %s is the any-holder path of "
				           "category '%s' and must be its only "
				           "leaf (also %s)"),
				         b->path,
				         a->any_holder ? a->code : b->code,
				         a->category,
				         a->any_holder ? b->code : a->code);
				return CORE_EINVAL;
			}
			for (size_t x = 0; x < a->n_holders; x++) {
				for (size_t y = 0; y < b->n_holders; y++) {
					if (strcmp(a->holders[x],
					           b->holders[y]) == 0) {
						snprintf(p->err, p->errlen,
						         _("%s.holders[%zu]: "
						           "'%s' already holds "
						           "category '%s' at "
						           "%s"),
						         b->path, y,
						         b->holders[y],
						         b->category, a->code);
						return CORE_EINVAL;
					}
				}
			}
		}
	}
	for (size_t k = 0; k < r->n_categories; k++) {
		size_t used = 0;

		for (size_t i = 0; i < r->n_nodes; i++) {
			if (strcmp(r->nodes[i].category,
			           r->categories[k].key) == 0) {
				used++;
			}
		}
		if (!used) {
			snprintf(p->err, p->errlen,
			         _("$.categories[%zu]: category '%s' is not "
			           "used by any quota node"),
			         k, r->categories[k].key);
			return CORE_EINVAL;
		}
	}
	return 0;
}

int
round_parse_quotas(struct jp *p, json_object *root)
{
	static const char *const keys[] = {"stated_parts", "text", "parts",
	                                   NULL};
	struct core_round *r = p->r;
	json_object *o = jp_get(root, "quotas"), *parts;
	size_t s = jp_key(p, "quotas"), s2, cap;
	char *text = NULL;
	int64_t stated;
	int rv;

	if ((rv = jp_object(p, o, 1)) != 0 || (rv = jp_keys(p, o, keys)) != 0 ||
	    (rv = jp_int(p, o, "stated_parts", 0, 1, 100, 0, &stated)) != 0 ||
	    (rv = jp_text(p, o, "text", 0, 1, &text)) != 0) {
		goto out;
	}
	r->stated_parts = (int)stated;
	parts = jp_get(o, "parts");
	s2 = jp_key(p, "parts");
	if ((rv = jp_array(p, parts, 1, 1)) == 0) {
		cap = count_nodes(parts, 0);
		if (cap == 0 || cap > MAX_NODES) {
			rv = jp_fail(p, _("must hold 1 to %d quota nodes"),
			             MAX_NODES);
		} else if (!(r->nodes = calloc(cap, sizeof(*r->nodes)))) {
			rv = CORE_EINTERNAL;
		} else {
			rv = parse_nodes(p, parts, -1, 0, cap);
		}
	}
	jp_pop(p, s2);
	if (rv == 0) {
		rv = check_leaves(p);
	}
out:
	free(text);
	jp_pop(p, s);
	return rv;
}
