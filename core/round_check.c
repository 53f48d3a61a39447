/*
 * The notice's own arithmetic (domain.md "inconsistencies"): sub-quotas
 * that sum to more than their stated total, category totals that do not
 * match.  core_round_check() reports each finding; it never corrects the
 * data, which stays exactly as the notice states it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

/* ---- the notice's arithmetic ---- */

/* Does every child that is not uncapped carry a figure (and is there
 * one)?  Then the node has a breakdown to compare with its own figure. */
static int
has_breakdown(const struct core_round *r, size_t i, int *shared)
{
	int capped = 0;

	*shared = 0;
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++) {
		const struct core_quota_node *ch = &r->nodes[j];

		if (ch->parent != (int)i || ch->uncapped) {
			continue;
		}
		if (ch->limit >= 0) {
			capped = 1;
		} else {
			*shared = 1;
		}
	}
	return capped;
}

/* The figure a node's leaves add up to (its own where it has none). */
static int64_t
itemised(const struct core_round *r, size_t i)
{
	int shared;
	int64_t sum = 0;

	if (!has_breakdown(r, i, &shared) || shared) {
		return r->nodes[i].limit;
	}
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++) {
		if (r->nodes[j].parent == (int)i && !r->nodes[j].uncapped) {
			sum += itemised(r, j);
		}
	}
	return sum;
}

/* Sum of the children's stated figures, and "name 20 + name 20 ..." */
static int64_t
children_sum(const struct core_round *r, size_t i, int use_itemised, char *list,
             size_t listsz)
{
	int64_t sum = 0;
	size_t len = 0;

	list[0] = '\0';
	for (size_t j = i + 1;
	     j < r->n_nodes && r->nodes[j].depth > r->nodes[i].depth; j++) {
		const struct core_quota_node *ch = &r->nodes[j];
		int64_t v;
		int n;

		if (ch->parent != (int)i || ch->uncapped || ch->limit < 0) {
			continue;
		}
		v = use_itemised ? itemised(r, j) : ch->limit;
		sum += v;
		n = snprintf(list + len, listsz - len, "%s%s %lld",
		             len ? " + " : "", ch->name_zh, (long long)v);
		if (n > 0 && (size_t)n < listsz - len) {
			len += (size_t)n;
		}
	}
	return sum;
}

static void
label(const struct core_round *r, struct core_round_finding *f)
{
	for (size_t i = 0; i < r->n_readings; i++) {
		const struct core_round_reading *g = &r->readings[i];

		if (!*g->kind && !*g->node) {
			continue;
		}
		if ((*g->kind && strcmp(g->kind, f->kind) != 0) ||
		    (*g->node && strcmp(g->node, f->node) != 0)) {
			continue;
		}
		snprintf(f->issue, sizeof(f->issue), "%s", g->issue);
		return;
	}
}

struct findings {
	struct core_round_finding *v;
	size_t n, cap;
};

static struct core_round_finding *
finding_add(struct findings *fs, const struct core_round *r, const char *kind,
            const char *node, int64_t stated, int64_t sum)
{
	struct core_round_finding *f;

	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct core_round_finding *v = realloc(fs->v, cap * sizeof(*v));

		if (!v) {
			return NULL;
		}
		fs->v = v;
		fs->cap = cap;
	}
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	snprintf(f->node, sizeof(f->node), "%s", node);
	f->stated = stated;
	f->sum = sum;
	label(r, f);
	return f;
}

int
core_round_check(const struct core_round *r, struct core_round_finding **out,
                 size_t *n_out)
{
	struct findings fs = {0};
	struct core_round_finding *f;
	char list[512], list2[512], parts[512];
	int64_t headline = 0, item = 0, onelevel = 0, reserved = 0;
	size_t n_parts = 0, n_uncapped = 0, n_unstated = 0, plen = 0;
	int shared;

	*out = NULL;
	*n_out = 0;
	parts[0] = '\0';
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];

		if (q->uncapped) {
			n_uncapped++;
		}
		if (q->depth == 0) {
			int nn = snprintf(parts + plen, sizeof(parts) - plen,
			                  "%s%s", plen ? ", " : "", q->name_zh);

			if (nn > 0 && (size_t)nn < sizeof(parts) - plen) {
				plen += (size_t)nn;
			}
			n_parts++;
			if (q->limit >= 0) {
				int64_t one = q->limit;

				if (has_breakdown(r, i, &shared) && !shared) {
					one = children_sum(r, i, 0, list,
					                   sizeof(list));
				}
				headline += q->limit;
				item += itemised(r, i);
				onelevel += one;
			}
			if (q->reserved < 0) {
				n_unstated++;
			} else if (q->reserved > 0 && q->limit > 0) {
				reserved += q->limit;
			}
		}
	}
	if (r->stated_parts > 0 && (size_t)r->stated_parts != n_parts) {
		if (!(f = finding_add(&fs, r, "parts", "", r->stated_parts,
		                      (int64_t)n_parts))) {
			goto oom;
		}
		snprintf(f->message, sizeof(f->message),
		         _("quotas: the notice states %d parts, %zu are listed "
		           "(%s)"),
		         r->stated_parts, n_parts, parts);
	}
	for (size_t i = 0; i < r->n_nodes; i++) {
		const struct core_quota_node *q = &r->nodes[i];
		int64_t sum, isum;

		if (q->limit < 0 || !has_breakdown(r, i, &shared)) {
			continue;
		}
		sum = children_sum(r, i, 0, list, sizeof(list));
		if (shared) {
			if (sum <= q->limit) {
				continue;
			}
			if (!(f = finding_add(&fs, r, "breakdown", q->code,
			                      q->limit, sum))) {
				goto oom;
			}
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, the sub-quotas of "
			           "its shared pool add up to %lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)sum, list);
			continue;
		}
		if (sum != q->limit) {
			if (!(f = finding_add(&fs, r, "breakdown", q->code,
			                      q->limit, sum))) {
				goto oom;
			}
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, its parts add up to "
			           "%lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)sum, list);
		}
		isum = children_sum(r, i, 1, list2, sizeof(list2));
		if (isum != sum && isum != q->limit) {
			if (!(f = finding_add(&fs, r, "itemised", q->code,
			                      q->limit, isum))) {
				goto oom;
			}
			snprintf(f->message, sizeof(f->message),
			         _("%s (%s): stated %lld, its itemised "
			           "breakdown adds up to %lld (%s)"),
			         q->code, q->name_zh, (long long)q->limit,
			         (long long)isum, list2);
		}
	}
	if (headline != item || headline != onelevel ||
	    (n_uncapped == 0 && (item < r->target || onelevel < r->target)) ||
	    reserved > r->target) {
		char res[160];

		if (n_unstated) {
			snprintf(res, sizeof(res),
			         _("not stated for %zu of %zu parts (read as "
			           "recommendation slots only)"),
			         n_unstated, n_parts);
		} else {
			snprintf(res, sizeof(res), "%lld", (long long)reserved);
		}
		if (!(f = finding_add(&fs, r, "total", "", r->target,
		                      headline))) {
			goto oom;
		}
		snprintf(f->message, sizeof(f->message),
		         _("round: target %d seats; the quotas add up to %lld "
		           "as stated, %lld itemised, %lld by the stated "
		           "sub-totals (%.2f, %.2f, %.2f per seat), plus %zu "
		           "uncapped paths; reserved seats: %s"),
		         r->target, (long long)headline, (long long)item,
		         (long long)onelevel, (double)headline / r->target,
		         (double)item / r->target, (double)onelevel / r->target,
		         n_uncapped, res);
	}
	*out = fs.v;
	*n_out = fs.n;
	return 0;
oom:
	free(fs.v);
	return CORE_EINTERNAL;
}
