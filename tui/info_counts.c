/*
 * info_counts: the documents of the quota usage screen
 * (core_quota_usage) and the counts screen (core_stats).  Core decides
 * what each role may see; these only lay it out.
 *
 * Quota usage is one table in the order of the round's quota tree: a row
 * per node with its own limit and the slots held on it, then a row per
 * holder of a shared leaf.  Limits and flags the usage rows do not carry
 * in the user's language (English names, the exceptional path's
 * justification rule) come from the round definition, matched by node
 * code.  A row over its limit is highlighted and says "over by N".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/info.h"
#include "tui/text.h"

int
info_lang_en(const struct ui *ui)
{
	return ui->me && strcmp(ui->me->lang, "en") == 0;
}

/* ---- quota usage ---- */

enum { Q_QUOTA, Q_CAT, Q_HOLDER, Q_LIMIT, Q_USED, Q_LEFT, Q_NOTE, Q_N };

/* Your own rows, out of the tree: each says its category. */
static const struct w_table_col quota_cols[Q_N] = {
    [Q_QUOTA] = {N_("Quota"), 10, 0},  [Q_CAT] = {N_("Category"), 4, 11},
    [Q_HOLDER] = {N_("Holder"), 6, 0}, [Q_LIMIT] = {N_("Limit"), 4, 6},
    [Q_USED] = {N_("Used"), 4, 5},     [Q_LEFT] = {N_("Left"), 4, 5},
    [Q_NOTE] = {N_("Note"), 6, 0},
};

/* The whole tree: its top rows are the categories, so no column for
 * them, and the room goes to the names. */
static const struct w_table_col tree_cols[Q_N - 1] = {
    {N_("Quota"), 10, 0}, {N_("Holder"), 6, 16}, {N_("Limit"), 4, 6},
    {N_("Used"), 4, 5},   {N_("Left"), 4, 5},    {N_("Note"), 6, 0},
};

struct quota_ctx {
	struct ui *ui;
	const struct core_round *r; /* NULL if it could not be read */
	int table;
	size_t shown;
};

/* The user's unit and those above it (its reporting line). */
static void
chain_load(struct ui *ui)
{
	struct info_ui *in = ui->info;
	char code[CORE_CODE_SIZE];

	in->chain_loaded = 1;
	in->n_chain = 0;
	snprintf(code, sizeof(code), "%s", ui->me->unit);
	while (code[0] &&
	       in->n_chain < sizeof(in->chain) / sizeof(in->chain[0])) {
		struct core_unit u;

		snprintf(in->chain[in->n_chain++], sizeof(in->chain[0]), "%s",
		         code);
		if (core_unit_get(ui->c, code, &u) != 0 ||
		    strcmp(u.parent, code) == 0) {
			break;
		}
		snprintf(code, sizeof(code), "%s", u.parent);
	}
}

static int
holder_is_mine(const struct info_ui *in, const char *holder)
{
	size_t i;

	for (i = 0; holder[0] && i < in->n_chain; i++) {
		if (strcmp(in->chain[i], holder) == 0) {
			return 1;
		}
	}
	return 0;
}

static const struct core_quota_node *
node_find(const struct core_round *r, const char *code)
{
	size_t i;

	for (i = 0; r && code[0] && i < r->n_nodes; i++) {
		if (strcmp(r->nodes[i].code, code) == 0) {
			return &r->nodes[i];
		}
	}
	return NULL;
}

static void
note_add(char *note, size_t size, const char *part)
{
	size_t len = strlen(note);

	snprintf(note + len, size - len, "%s%s", len ? "; " : "", part);
}

static int
add_usage(void *ctx, const struct core_quota_usage *u)
{
	struct quota_ctx *q = ctx;
	struct info_ui *in = q->ui->info;
	const struct core_quota_node *node = node_find(q->r, u->node);
	const struct core_round_category *k =
	    q->r && u->category[0] ? core_round_category_find(q->r, u->category)
	                           : NULL;
	int en = info_lang_en(q->ui), own = !u->per_holder, over = 0;
	char quota[CORE_NAME_SIZE + 32], holder[CORE_NAME_SIZE];
	char limit[32], used[24], left[24], note[256], part[96];
	const char *name, *cells[Q_N];

	if (in->mine_only && !holder_is_mine(in, u->holder)) {
		return 0;
	}
	name = node && en && node->name_en && node->name_en[0] ? node->name_en
	                                                       : u->name;
	if (!u->node[0]) {
		snprintf(quota, sizeof(quota), "%s",
		         _("(not in the round's quotas)"));
	} else if (own || in->mine_only) {
		/* the tree's depth as indentation; a holder's own row
		 * names its node when shown on its own */
		snprintf(quota, sizeof(quota), "%*s%s",
		         in->mine_only ? 0 : u->depth * 2, "", name);
	} else {
		snprintf(quota, sizeof(quota), "%*s-", u->depth * 2 + 2, "");
	}
	if (u->holder[0]) {
		snprintf(holder, sizeof(holder), "%s",
		         u->holder_name[0] ? u->holder_name : u->holder);
	} else if (node && node->any_holder) {
		snprintf(holder, sizeof(holder), "%s", _("any holder"));
	} else if (node && node->n_holders > 1) {
		snprintf(holder, sizeof(holder), _("%zu holders"),
		         node->n_holders);
	} else {
		holder[0] = '\0';
	}
	snprintf(used, sizeof(used), "%" PRId64, u->count);
	limit[0] = left[0] = note[0] = '\0';
	/* the limit column holds figures only, so it stays narrow; what a
	 * missing figure means is in the note */
	if (u->uncapped) {
		snprintf(limit, sizeof(limit), "-");
		if (own) {
			note_add(note, sizeof(note), _("uncapped"));
		}
	} else if (own && u->limit >= 0) {
		int64_t l = u->limit - u->count;

		snprintf(limit, sizeof(limit), "%" PRId64, u->limit);
		snprintf(left, sizeof(left), "%" PRId64, l > 0 ? l : 0);
		if (l < 0) {
			over = 1;
			snprintf(part, sizeof(part), _("over by %lld"),
			         (long long)-l);
			note_add(note, sizeof(note), part);
		} else if (l == 0) {
			note_add(note, sizeof(note), _("full"));
		}
	} else if (own && u->node[0]) {
		snprintf(limit, sizeof(limit), "-");
		note_add(note, sizeof(note), _("shares the pool above"));
	}
	if (own && node && node->justification) {
		note_add(note, sizeof(note),
		         _("exceptional path: a justification is required"));
	}
	if (own && u->node[0] && !u->enforce) {
		note_add(note, sizeof(note), _("not enforced"));
	}
	cells[Q_QUOTA] = quota;
	/* English names of categories are long: the key says it */
	cells[Q_CAT] = en                    ? u->category
	               : k                   ? k->name_zh
	               : u->category_name[0] ? u->category_name
	                                     : u->category;
	cells[Q_HOLDER] = holder;
	cells[Q_LIMIT] = limit;
	cells[Q_USED] = used;
	cells[Q_LEFT] = left;
	cells[Q_NOTE] = note;
	if (!in->mine_only) {
		/* the tree's columns: all but the category */
		memmove(&cells[Q_CAT], &cells[Q_CAT + 1],
		        (Q_N - Q_CAT - 1) * sizeof(cells[0]));
	}
	info_doc_row(&in->doc, q->table, cells, over);
	q->shown++;
	return 0;
}

void
info_quota_build(struct ui *ui)
{
	struct info_ui *in = ui->info;
	struct info_doc *d = &in->doc;
	struct core_round *r = NULL;
	struct quota_ctx q;
	int rv;

	if (!in->chain_loaded) {
		chain_load(ui);
	}
	info_doc_clear(d);
	if (core_round_get(ui->c, NULL, &r) == 0) {
		info_doc_textf(d, 0, INFO_BOLD, _("Round %s: %s"), r->code,
		               info_lang_en(ui) && r->title_en && r->title_en[0]
		                   ? r->title_en
		                   : r->title_zh);
	}
	info_doc_text(d, 0, INFO_NORMAL,
	              _("A nominee holds a slot from the report to the city "
	                "onwards. ! marks a row over its limit."));
	info_doc_text(d, 0, INFO_NORMAL,
	              in->mine_only
	                  ? _("Showing your unit's rows only (m: show all).")
	                  : _("Showing all holders (m: only your unit's "
	                      "rows)."));
	info_doc_blank(d);
	q.ui = ui;
	q.r = r;
	q.shown = 0;
	q.table = in->mine_only ? info_doc_table(d, quota_cols, Q_N, 0)
	                        : info_doc_table(d, tree_cols, Q_N - 1, 0);
	if ((rv = core_quota_usage(ui->c, add_usage, &q)) != 0) {
		ui_core_error(ui, rv);
		info_doc_text(d, 2, INFO_ALERT, ui->msg);
	} else if (q.shown == 0) {
		info_doc_text(d, 2, INFO_BOLD,
		              in->mine_only
		                  ? _("No quota of the round is held by "
		                      "your unit.")
		                  : _("The round has no quotas."));
	}
	core_round_free(r);
}

/* ---- counts ---- */

enum { S_NAME, S_CODE, S_COUNT };

static const struct w_table_col unit_cols[] = {
    [S_NAME] = {N_("Unit"), 8, 0},
    [S_CODE] = {N_("Code"), 6, 20},
    [S_COUNT] = {N_("Nominees"), 4, 8},
};

static const struct w_table_col category_cols[] = {
    {N_("Quota category"), 8, 0},
    {N_("Nominees"), 4, 8},
};

static const struct w_table_col state_cols[] = {
    {N_("State"), 8, 0},
    {N_("Nominees"), 4, 8},
};

struct stat_row {
	char dim[16];
	char *key, *label;
	int64_t count;
};

struct stats_ctx {
	struct stat_row *row;
	size_t n, cap;
	int64_t total;
	int has_total;
};

static char *
dup_or_die(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		term_fatal("out of memory");
	}
	return p;
}

static int
keep_stat(void *ctx, const struct core_stats_row *s)
{
	struct stats_ctx *st = ctx;
	struct stat_row *r;

	if (strcmp(s->dimension, "total") == 0) {
		st->total = s->count;
		st->has_total = 1;
		return 0;
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		struct stat_row *p = realloc(st->row, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		st->row = p;
		st->cap = cap;
	}
	r = &st->row[st->n++];
	snprintf(r->dim, sizeof(r->dim), "%s", s->dimension);
	r->key = dup_or_die(s->key);
	r->label = dup_or_die(s->label);
	r->count = s->count;
	return 0;
}

/* One section: the rows of dimension dim. */
static void
stats_section(struct info_doc *d, const struct stats_ctx *st, const char *dim,
              const char *title, const struct w_table_col *cols, size_t n_cols)
{
	int t = -1;
	size_t i;

	info_doc_section(d, title, INFO_ANCHOR_NONE);
	for (i = 0; i < st->n; i++) {
		const struct stat_row *r = &st->row[i];
		char count[24];
		const char *cells[3], *label;

		if (strcmp(r->dim, dim) != 0) {
			continue;
		}
		if (t < 0) {
			t = info_doc_table(d, cols, n_cols, 2);
		}
		snprintf(count, sizeof(count), "%" PRId64, r->count);
		if (strcmp(dim, "state") == 0) {
			label = core_state_label(r->key);
		} else if (!r->key[0]) {
			label = _("(none chosen yet)");
		} else {
			label = r->label[0] ? r->label : r->key;
		}
		cells[0] = label;
		cells[1] = n_cols == 3 ? r->key : count;
		cells[2] = count;
		info_doc_row(d, t, cells, 0);
	}
	if (t < 0) {
		info_doc_text(d, 2, INFO_NORMAL, _("(none)"));
	}
}

void
info_stats_build(struct ui *ui)
{
	struct info_doc *d = &ui->info->doc;
	struct stats_ctx st;
	size_t i;
	int rv;

	memset(&st, 0, sizeof(st));
	info_doc_clear(d);
	if ((rv = core_stats(ui->c, keep_stat, &st)) != 0) {
		ui_core_error(ui, rv);
		info_doc_text(d, 0, INFO_ALERT, ui->msg);
		goto out;
	}
	info_doc_textf(d, 0, INFO_BOLD,
	               _("Nominees of the current round you may see: %lld"),
	               (long long)st.total);
	stats_section(d, &st, "unit", _("By employing unit"), unit_cols, 3);
	stats_section(d, &st, "category", _("By quota category"), category_cols,
	              2);
	stats_section(d, &st, "state", _("By state"), state_cols, 2);
out:
	for (i = 0; i < st.n; i++) {
		free(st.row[i].key);
		free(st.row[i].label);
	}
	free(st.row);
}
