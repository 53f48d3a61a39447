/*
 * Quota accounting (domain.md 1.4) over the current round's quota tree.
 *
 * A nominee holds a slot of (holder, quota_category) from its report to
 * the city onwards (HOLDING below); that pair maps to exactly one leaf of
 * the tree (core/round.c refuses a tree where it would not).  A leaf's
 * count is the slots on it; an inner node's count is the slots on the
 * capped leaves under it: uncapped paths (不限名额) count for nobody's
 * limit.  The check walks from the leaf to the root and refuses at the
 * first enforced node that is full, naming it; every stated figure binds
 * until a round records another reading (enforce: false).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

/* The states in which a nomination holds its slot. */
#define HOLDING_STATES                                                         \
	"'reported', 'hr_checked', 'committee_reviewed', 'hr_approved', "      \
	"'gov_approved', 'public_notice', 'confirmed'"
#define HOLDING                                                                \
	"(n.state IN (" HOLDING_STATES ") OR (n.state = "                      \
	"'under_investigation' AND n.resume_state IN (" HOLDING_STATES "))) "

/* Slots per (category, holder) pair as stored, and where they fall. */
struct slot {
	char category[64]; /* as stored: key or Chinese name */
	char holder[CORE_CODE_SIZE];
	int64_t count;
	int leaf; /* index of the node, -1 if no leaf takes the pair */
};

struct tally {
	struct core_round *r;
	struct slot *slots;
	size_t n_slots;
};

static void
tally_release(struct tally *t)
{
	core_round_free(t->r);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* The leaf of r that (category key, holder) reports under, or -1. */
static int
find_leaf(const struct core_round *r, const char *key, const char *holder)
{
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		if (q->n_children || strcmp(q->category, key) != 0) {
			continue;
		}
		if (q->any_holder) {
			return (int)i;
		}
		for (size_t j = 0; j < q->n_holders; j++) {
			if (strcmp(q->holders[j], holder) == 0) {
				return (int)i;
			}
		}
	}
	return -1;
}

static int
tally_load(struct core *c, struct tally *t, int64_t exclude_id)
{
	sqlite3_stmt *st = NULL;
	int64_t round_id = db_current_round(c);
	int rv, rc;

	memset(t, 0, sizeof(*t));
	if ((rv = core_round_get(c, NULL, &t->r)) != 0) {
		return rv;
	}
	if ((rv = db_query(c, &st,
	                   "SELECT n.quota_category, n.holder, count(*) "
	                   "FROM nominee n WHERE n.round_id = ?1 AND "
	                   "n.id <> ?2 AND n.quota_category <> '' AND "
	                   "n.holder <> '' AND " HOLDING
	                   "GROUP BY n.quota_category, n.holder "
	                   "ORDER BY n.quota_category, n.holder",
	                   "ii", round_id, exclude_id)) != 0) {
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct slot *v =
		    realloc(t->slots, (t->n_slots + 1) * sizeof(*v));
		const struct core_round_category *k;
		struct slot *s;

		if (!v) {
			rv = core_err(c, CORE_EINTERNAL, NULL, "out of memory");
			goto fail;
		}
		t->slots = v;
		s = &t->slots[t->n_slots++];
		db_copy(s->category, sizeof(s->category), st, 0);
		db_copy(s->holder, sizeof(s->holder), st, 1);
		s->count = sqlite3_column_int64(st, 2);
		k = core_round_category_find(t->r, s->category);
		s->leaf = k ? find_leaf(t->r, k->key, s->holder) : -1;
	}
	if (rc != SQLITE_DONE) {
		rv = core_err_sql(c, rc);
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	sqlite3_finalize(st);
	tally_release(t);
	return rv;
}

/* Is node i the node a or under it? */
static int
under(const struct core_round *r, int i, int a)
{
	for (; i >= 0; i = r->nodes[i].parent) {
		if (i == a) {
			return 1;
		}
	}
	return 0;
}

/* Slots counted against node a: on capped leaves under it, or on a
 * itself when it is an uncapped leaf.  holder "" = every holder. */
static int64_t
node_count(const struct tally *t, int a, const char *holder)
{
	int64_t n = 0;

	for (size_t i = 0; i < t->n_slots; i++) {
		const struct slot *s = &t->slots[i];

		if (s->leaf < 0 || !under(t->r, s->leaf, a)) {
			continue;
		}
		if (t->r->nodes[s->leaf].uncapped && s->leaf != a) {
			continue;
		}
		if (*holder && strcmp(holder, s->holder) != 0) {
			continue;
		}
		n += s->count;
	}
	return n;
}

static void
unit_name(struct core *c, const char *code, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;

	snprintf(out, outsz, "%s", code);
	if (db_row(c, &st, "SELECT name FROM unit WHERE code = ?1", "t",
	           code) == 1) {
		db_copy(out, outsz, st, 0);
	}
	sqlite3_finalize(st);
}

/* The category and leaf for (holder, category) or an error naming both. */
static int
resolve(struct core *c, const struct tally *t, const char *holder,
        const char *category, const struct core_round_category **k, int *leaf)
{
	char hname[CORE_NAME_SIZE];

	*leaf = -1;
	if (!holder || !*holder) {
		return core_err(c, CORE_EINVAL, "holder",
		                _("holder: no county, department or channel "
		                  "holds this nomination yet"));
	}
	if (!category || !*category ||
	    !(*k = core_round_category_find(t->r, category))) {
		return core_err(c, CORE_EINVAL, "quota_category",
		                _("quota category: '%s' is not a category of "
		                  "round %s"),
		                category ? category : "", t->r->code);
	}
	if ((*leaf = find_leaf(t->r, (*k)->key, holder)) < 0) {
		unit_name(c, holder, hname, sizeof(hname));
		return core_err(c, CORE_EQUOTA, "quota_category",
		                _("quota: %s (%s) holds no quota in category "
		                  "%s (%s) of round %s"),
		                hname, holder, (*k)->name_zh, (*k)->key,
		                t->r->code);
	}
	return 0;
}

int
core_quota_get(struct core *c, const char *holder, const char *category,
               struct core_quota_status *out)
{
	const struct core_round_category *k = NULL;
	const struct core_quota_node *q;
	struct tally t;
	int leaf, rv;

	core_err_clear(c);
	memset(out, 0, sizeof(*out));
	if ((rv = tally_load(c, &t, 0)) != 0) {
		return rv;
	}
	if ((rv = resolve(c, &t, holder, category, &k, &leaf)) != 0) {
		if (rv == CORE_EQUOTA) {
			rv = CORE_ENOENT;
		}
		goto out;
	}
	q = &t.r->nodes[leaf];
	snprintf(out->node, sizeof(out->node), "%s", q->code);
	snprintf(out->category, sizeof(out->category), "%s", k->key);
	out->limit = q->limit;
	out->uncapped = q->uncapped;
	out->justification = q->justification;
	out->count = node_count(&t, leaf, holder);
	out->leaf_count = node_count(&t, leaf, "");
out:
	tally_release(&t);
	return rv;
}

static int
is_blank(const char *s)
{
	if (!s) {
		return 1;
	}
	for (; *s; s++) {
		if (!strchr(" \t\r\n", *s)) {
			return 0;
		}
	}
	return 1;
}

int
core_quota_check(struct core *c, const char *holder, const char *category,
                 const char *justification, int64_t exclude_id)
{
	const struct core_round_category *k = NULL;
	char hname[CORE_NAME_SIZE];
	struct tally t;
	int leaf, rv;

	core_err_clear(c);
	if ((rv = tally_load(c, &t, exclude_id)) != 0) {
		return rv;
	}
	if ((rv = resolve(c, &t, holder, category, &k, &leaf)) != 0) {
		goto out;
	}
	unit_name(c, holder, hname, sizeof(hname));
	if (t.r->nodes[leaf].justification && is_blank(justification)) {
		rv = core_err(c, CORE_EINVAL, "justification",
		              _("justification: %s (%s) under %s requires one "
		                "for each nominee (%s)"),
		              t.r->nodes[leaf].name_zh, t.r->nodes[leaf].code,
		              k->name_zh, hname);
		goto out;
	}
	if (t.r->nodes[leaf].uncapped) {
		goto out; /* 不限名额: no figure applies on this path */
	}
	for (int a = leaf; a >= 0; a = t.r->nodes[a].parent) {
		const struct core_quota_node *q = &t.r->nodes[a];
		int64_t n;

		if (q->limit < 0 || !q->enforce) {
			continue;
		}
		n = node_count(&t, a, "");
		if (n + 1 > q->limit) {
			rv = core_err(c, CORE_EQUOTA, "quota_category",
			              _("over quota: holder %s (%s), category "
			                "%s: %s %s allows %lld and %lld are "
			                "already reported"),
			              hname, holder, k->name_zh, q->code,
			              q->name_zh, (long long)q->limit,
			              (long long)n);
			goto out;
		}
	}
out:
	tally_release(&t);
	return rv;
}

int
core_quota_check_target(struct core *c, size_t n_recommended)
{
	struct core_round *r = NULL;
	int rv;

	core_err_clear(c);
	if ((rv = core_round_get(c, NULL, &r)) != 0) {
		return rv;
	}
	if (n_recommended > (size_t)r->target) {
		rv = core_err(c, CORE_EQUOTA, NULL,
		              _("the recommended list has %zu names, more than "
		                "the %d seats of round %s"),
		              n_recommended, r->target, r->code);
	}
	core_round_free(r);
	return rv;
}

static int
emit(struct core *c, const struct tally *t, int node, const char *holder,
     int64_t count, int own_limit,
     int (*cb)(void *ctx, const struct core_quota_usage *u), void *ctx)
{
	const struct core_quota_node *q = node >= 0 ? &t->r->nodes[node] : NULL;
	const struct core_round_category *k =
	    q ? core_round_category_find(t->r, q->category) : NULL;
	struct core_quota_usage u;
	char hname[CORE_NAME_SIZE] = "";

	memset(&u, 0, sizeof(u));
	if (*holder) {
		unit_name(c, holder, hname, sizeof(hname));
	}
	u.node = q ? q->code : "";
	u.depth = q ? q->depth : 0;
	u.category = k ? k->key : "";
	u.category_name = k ? k->name_zh : "";
	u.name = q ? q->name_zh : "";
	u.holder = holder;
	u.holder_name = hname;
	u.per_holder = !own_limit;
	u.limit = q && own_limit ? q->limit : -1;
	u.uncapped = q ? q->uncapped : 0;
	u.enforce = q ? q->enforce : 0;
	u.count = count;
	return cb(ctx, &u);
}

int
core_quota_usage(struct core *c,
                 int (*cb)(void *ctx, const struct core_quota_usage *u),
                 void *ctx)
{
	struct tally t;
	int rv;

	core_err_clear(c);
	if (!c->has_actor && !c->is_system) {
		return core_err(c, CORE_EPERM, NULL,
		                _("log in as a user to see quota usage"));
	}
	if ((rv = tally_load(c, &t, 0)) != 0) {
		return rv;
	}
	for (size_t i = 0; i < t.r->n_nodes && rv == 0; i++) {
		const struct core_quota_node *q = &t.r->nodes[i];
		int per_holder =
		    !q->n_children && (q->n_holders > 1 || q->any_holder);

		rv = emit(c, &t, (int)i, q->n_holders == 1 ? q->holders[0] : "",
		          node_count(&t, (int)i, ""), 1, cb, ctx);
		for (size_t j = 0; per_holder && j < q->n_holders && rv == 0;
		     j++) {
			rv = emit(c, &t, (int)i, q->holders[j],
			          node_count(&t, (int)i, q->holders[j]), 0, cb,
			          ctx);
		}
		for (size_t j = 0; q->any_holder && j < t.n_slots && rv == 0;
		     j++) {
			if (t.slots[j].leaf == (int)i) {
				rv = emit(c, &t, (int)i, t.slots[j].holder,
				          t.slots[j].count, 0, cb, ctx);
			}
		}
	}
	for (size_t j = 0; j < t.n_slots && rv == 0; j++) {
		const struct slot *s = &t.slots[j];
		struct core_quota_usage u;
		char hname[CORE_NAME_SIZE];

		if (s->leaf >= 0) {
			continue;
		}
		unit_name(c, s->holder, hname, sizeof(hname));
		memset(&u, 0, sizeof(u));
		u.node = "";
		u.category = s->category;
		u.category_name = s->category;
		u.name = "";
		u.holder = s->holder;
		u.holder_name = hname;
		u.per_holder = 1;
		u.limit = -1;
		u.count = s->count;
		rv = cb(ctx, &u);
	}
	tally_release(&t);
	return rv;
}
