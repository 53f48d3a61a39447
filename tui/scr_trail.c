/*
 * scr_trail: the accountability trail of one nominee (issue #4 item 4,
 * 谁查验、谁负责), as core_audit_trail() reads it from the log's own
 * bytes: every act in log order with its signer, role and unit, the
 * dossier version and digest it covers, and how its signature stands.
 * core decides who may read it (anyone who may read the nominee: the
 * auditor, city HR, the units above it) and which acts attest, which
 * attestations are void and who verified a falsified (vetoed) version.
 *
 * A table that fits 80 columns (the full time, role, unit, digest, key,
 * reason and attachments of the selected act are shown below it, and in
 * full on Enter).  Marks are words and attributes first: the verifiers
 * of the vetoed version are marked "!!" and bold (red where there is
 * colour, as decoration), an invalid signature "x" and underlined, a
 * void attestation "~"; a legend says so on the last row.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/items.h"
#include "tui/text.h"
#include "tui/trail.h"

static const struct w_table_col columns[TR_N] = {
	[TR_MARK] = {N_("Mark"), 2, 4},
	[TR_SEQ] = {N_("No."), 3, 6},
	[TR_TIME] = {N_("Time"), 11, 11},
	[TR_WHO] = {N_("Signer"), 6, 0},
	[TR_ACT] = {N_("Act"), 8, 0},
	[TR_VER] = {N_("Ver."), 2, 5},
	[TR_SIG] = {N_("Signature"), 4, 8},
};

/* snprintf for text that may be cut: what is drawn is fitted by columns
 * anyway, and a cut character is shown as a placeholder. */
static void
put(char *out, size_t outsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
put(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
}

static struct trail_ui *
state(struct ui *ui)
{
	if (!ui->trail && !(ui->trail = calloc(1, sizeof(*ui->trail)))) {
		term_fatal("out of memory");
	}
	return ui->trail;
}

static void
rows_free(struct trail_ui *t)
{
	size_t i;

	for (i = 0; i < t->n_rows; i++) {
		free(t->rows[i].reason);
		free(t->rows[i].attach);
	}
	t->n_rows = 0;
}

void
trail_release(struct ui *ui)
{
	if (!ui->trail) {
		return;
	}
	rows_free(ui->trail);
	free(ui->trail->rows);
	free(ui->trail);
	ui->trail = NULL;
}

static char *
dup_clean_ml(const char *s)
{
	char buf[TEXT_LINE_SIZE * 2];
	char *p;

	text_sanitize_ml(s, buf, sizeof(buf));
	if (!(p = strdup(buf))) {
		term_fatal("out of memory");
	}
	return p;
}

/* While loading: the struct ui and the label of an action. */
struct load {
	struct ui *ui;
};

static int
take_head(void *ctx, const struct core_trail_head *h)
{
	struct trail_ui *t = ((struct load *)ctx)->ui->trail;

	text_sanitize(h->name, t->name, sizeof(t->name));
	snprintf(t->state, sizeof(t->state), "%s", h->state);
	t->version = h->version;
	snprintf(t->digest, sizeof(t->digest), "%.16s", h->digest_hex);
	t->vetoed = h->vetoed;
	t->veto_version = h->veto_version;
	snprintf(t->veto_digest, sizeof(t->veto_digest), "%.16s",
		 h->veto_digest_hex);
	t->n_verifiers = h->n_verifiers;
	return 0;
}

static const char *
unit_label(struct ui *ui, const char *code)
{
	struct trail_ui *t = ui->trail;
	struct core_unit u;

	if (strcmp(t->unit_code, code) != 0) {
		snprintf(t->unit_code, sizeof(t->unit_code), "%s", code);
		t->unit_name[0] = '\0';
		if (code[0] && core_unit_get(ui->c, code, &u) == 0) {
			snprintf(t->unit_name, sizeof(t->unit_name), "%s",
				 u.name);
		}
	}
	return t->unit_name;
}

static void
fill_sig(struct trail_row *r, const struct core_trail_item *it)
{
	char detail[sizeof(it->sig_detail) * 2];

	r->sig_status = it->sig;
	switch (it->sig) {
	case CORE_SIG_VALID:
		snprintf(r->cell[TR_SIG], sizeof(r->cell[0]), "%s",
			 _("valid"));
		snprintf(r->sig, sizeof(r->sig), "%s",
			 _("Signature: the signer's own key, valid at that "
			   "entry, verifies"));
		break;
	case CORE_SIG_INVALID:
		text_sanitize(it->sig_detail, detail, sizeof(detail));
		snprintf(r->cell[TR_SIG], sizeof(r->cell[0]), "%s",
			 _("INVALID"));
		snprintf(r->sig, sizeof(r->sig), _("Signature: INVALID (%s)"),
			 detail);
		break;
	default:
		snprintf(r->cell[TR_SIG], sizeof(r->cell[0]), "-");
		snprintf(r->sig, sizeof(r->sig), "%s",
			 _("Signature: none of the signer's own (the log's "
			   "signature only)"));
		break;
	}
}

static int
take_item(void *ctx, const struct core_trail_item *it)
{
	struct load *l = ctx;
	struct ui *ui = l->ui;
	struct trail_ui *t = ui->trail;
	struct trail_row *r;
	char who[CORE_NAME_SIZE + 80], unit[CORE_CODE_SIZE * 2], when[32];
	const char *role, *un, *dec, *rest = it->reason;

	if (t->n_rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct trail_row *p = realloc(t->rows, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		t->rows = p;
		t->cap = cap;
	}
	r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	r->verifier = it->verifier;
	r->voided = it->voided;
	r->attests = it->attests;
	snprintf(r->cell[TR_MARK], sizeof(r->cell[0]), "%s",
		 it->verifier		     ? "!!"
		 : it->sig == CORE_SIG_INVALID ? "x"
		 : it->voided		     ? "~"
					     : " ");
	snprintf(r->cell[TR_SEQ], sizeof(r->cell[0]), "#%" PRIu64, it->seq);
	ui_time_label(it->time_ms, when, sizeof(when));
	snprintf(r->when, sizeof(r->when), "%s", when);
	snprintf(r->cell[TR_TIME], sizeof(r->cell[0]), "%s",
		 strlen(when) > 5 ? when + 5 : when); /* MM-DD HH:MM */
	text_sanitize(it->actor_name[0] ? it->actor_name : it->actor, who,
		      sizeof(who));
	put(r->cell[TR_WHO], sizeof(r->cell[0]), "%s", who);

	/* named as the history names it (core_entry_label) */
	snprintf(r->cell[TR_ACT], sizeof(r->cell[0]), "%s",
		 core_entry_label(it->act, it->reason, &rest));
	dec = ui_decision_label(it->decision);
	put(r->act, sizeof(r->act), "%s%s%s", r->cell[TR_ACT],
		 dec[0] ? " · " : "", dec);
	snprintf(r->cell[TR_VER], sizeof(r->cell[0]), "v%" PRIu32,
		 it->version);

	role = it->role < 0 ? _("the system (console)")
			    : ui_role_label((enum core_role)it->role);
	text_sanitize(it->unit, unit, sizeof(unit));
	un = unit_label(ui, it->unit);
	if (it->actor_name[0]) {
		char login[sizeof(it->actor) * 2];

		text_sanitize(it->actor, login, sizeof(login));
		put(r->signer, sizeof(r->signer), "%s (%s) · %s · %s%s%s%s",
			 who, login, role, un, un[0] ? " (" : "", unit,
			 un[0] ? ")" : "");
	} else {
		put(r->signer, sizeof(r->signer), "%s · %s · %s%s%s%s",
			 who, role, un, un[0] ? " (" : "", unit,
			 un[0] ? ")" : "");
	}
	snprintf(r->version, sizeof(r->version),
		 _("Dossier version %u, digest %.16s, key %s"),
		 (unsigned)it->version, it->digest_hex,
		 it->key_id_hex[0] && strspn(it->key_id_hex, "0") !=
						strlen(it->key_id_hex)
			 ? it->key_id_hex
			 : "-");
	fill_sig(r, it);
	r->reason = dup_clean_ml(rest);
	{
		char buf[16 * 70 + 1];
		size_t off = 0;
		uint16_t i;

		buf[0] = '\0';
		for (i = 0; i < it->n_attach && i < 16; i++) {
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"%s%s", i ? "\n" : "",
						it->attach_hex[i]);
		}
		r->attach = dup_clean_ml(buf);
	}
	return 0;
}

static int table_rows(const struct ui *ui);

static int
trail_load(struct ui *ui, int64_t id)
{
	struct trail_ui *t = state(ui);
	struct load l = {ui};
	int r;

	rows_free(t);
	if (t->id != id) {
		t->pos = (struct w_list){0, 0};
	}
	t->id = id;
	t->full = 0;
	if ((r = core_audit_trail(ui->c, id, take_head, take_item, &l)) !=
	    0) {
		rows_free(t);
		ui_core_error(ui, r);
		return r;
	}
	t->table.col = columns;
	t->table.n_cols = TR_N;
	w_list_show(&t->pos, t->n_rows, table_rows(ui));
	return 0;
}

int
trail_open(struct ui *ui, int64_t id)
{
	if (trail_load(ui, id) != 0) {
		return TUI_REDRAW; /* the nominee stays, core's reason shown */
	}
	ui_open(ui, &scr_trail);
	return TUI_REDRAW;
}

/* ---- drawing ---- */

#define PANE_ROWS 7

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct trail_ui *t = ctx;

	return t->rows[row].cell[col];
}

/* Table rows: the body less the head (2), the header, a gap, the
 * details (at least PANE_ROWS) and the legend. */
static int
table_rows(const struct ui *ui)
{
	int n = ui_body_bottom(ui) - ui_body_top(ui) + 1 - 3 - 1 -
		PANE_ROWS - 1;

	return n < 3 ? 3 : n;
}

static void
keep_visible(struct ui *ui)
{
	w_list_show(&ui->trail->pos, ui->trail->n_rows, table_rows(ui));
}

static void
draw_act(struct ui *ui, struct item_pane *p, const struct trail_row *r)
{
	const char *lr = _("Reason:"), *la = _("Attachments:");
	int lw = (int)text_width(lr), y;
	char line[512];

	if ((int)text_width(la) > lw) {
		lw = (int)text_width(la);
	}
	put(line, sizeof(line), "%s  %s  %s", r->cell[TR_SEQ], r->when,
		 r->act);
	if ((y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, line, A_BOLD);
	}
	item_pane_text(p, 0, 0, NULL, A_NORMAL, 2, ui->cols - 4, r->signer,
		       A_NORMAL);
	if ((y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, r->version, A_NORMAL);
	}
	if ((y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, r->sig,
			 r->sig_status == CORE_SIG_INVALID
				 ? (A_BOLD | A_UNDERLINE)
				 : A_NORMAL);
	}
	if (r->verifier) {
		snprintf(line, sizeof(line), "!! %s",
			 _("attested the version the veto names: answerable "
			   "for it (谁查验、谁负责)"));
	} else if (r->voided) {
		snprintf(line, sizeof(line), "~ %s",
			 _("attested an earlier version: void, the dossier "
			   "changed since"));
	} else if (r->attests) {
		snprintf(line, sizeof(line), "%s",
			 _("attests to the current version"));
	} else {
		line[0] = '\0';
	}
	if (line[0] && (y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, line,
			 r->verifier ? ui_attr_error(ui) : A_NORMAL);
	}
	if (r->reason[0]) {
		item_pane_text(p, 2, lw, lr, A_NORMAL, 2 + lw + 1,
			       ui->cols - 5 - lw, r->reason, A_NORMAL);
	}
	if (r->attach[0]) {
		item_pane_text(p, 2, lw, la, A_NORMAL, 2 + lw + 1,
			       ui->cols - 5 - lw, r->attach, A_NORMAL);
	}
}

static void
draw_head(struct ui *ui)
{
	const struct trail_ui *t = ui->trail;
	int y = ui_body_top(ui);
	char line[CORE_NAME_SIZE + 256];

	snprintf(line, sizeof(line),
		 _("No. %lld  %s   accountability trail   State: %s   "
		   "Version: %u"),
		 (long long)t->id, t->name, core_state_label(t->state),
		 (unsigned)t->version);
	text_put(stdscr, y, 2, ui->cols - 4, line, A_BOLD);
	if (t->vetoed) {
		snprintf(line, sizeof(line),
			 _("Vetoed (version %u, digest %.8s): %zu acts vouched "
			   "for it, marked !!"),
			 (unsigned)t->veto_version, t->veto_digest,
			 t->n_verifiers);
		text_put(stdscr, y + 1, 2, ui->cols - 4, line,
			 ui_attr_error(ui));
	} else {
		snprintf(line, sizeof(line),
			 _("%zu acts, oldest first; current digest %s; no veto "
			   "in effect"),
			 t->n_rows, t->digest);
		text_put(stdscr, y + 1, 2, ui->cols - 4, line, A_NORMAL);
	}
}

static void
draw_more(struct ui *ui, int y, const char *s)
{
	int w = (int)text_width(s);

	text_draw(stdscr, y, ui->cols - 2 - w, w, s, A_REVERSE);
}

static void
draw_full(struct ui *ui)
{
	struct trail_ui *t = ui->trail;
	struct item_pane p = {ui_body_top(ui) + 2, ui_body_top(ui) + 1, 0, 0};
	int page = ui_body_bottom(ui) - p.y0;
	char more[64];

	draw_act(ui, &p, &t->rows[t->pos.sel]); /* count */
	t->n_full = p.vy;
	if (t->ftop > t->n_full - page) {
		t->ftop = t->n_full - page;
	}
	if (t->ftop < 0) {
		t->ftop = 0;
	}
	p.y1 = ui_body_bottom(ui) - 1;
	p.top = t->ftop;
	p.vy = 0;
	draw_act(ui, &p, &t->rows[t->pos.sel]);
	if (t->ftop + page < t->n_full) {
		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 t->n_full - t->ftop - page);
		draw_more(ui, ui_body_bottom(ui), more);
	}
}

static void
trail_draw(struct ui *ui)
{
	struct trail_ui *t = ui->trail;
	int y = ui_body_top(ui) + 2, avail = ui->cols - 4, n, i;
	attr_t attrs[TR_N];

	draw_head(ui);
	if (t->n_rows == 0) {
		text_put(stdscr, y + 1, 4, ui->cols - 6,
			 _("No acts recorded."), A_BOLD);
		return;
	}
	if (t->full) {
		draw_full(ui);
		return;
	}
	keep_visible(ui);
	w_table_layout(&t->table, avail, t->n_rows, cell_of, t);
	w_table_draw_header(&t->table, stdscr, y++, 2, avail);
	n = table_rows(ui);
	for (i = 0; i < n && t->pos.top + (size_t)i < t->n_rows; i++) {
		const struct trail_row *r = &t->rows[t->pos.top + (size_t)i];
		attr_t row = r->verifier ? ui_attr_error(ui) : A_NORMAL;
		const char *cells[TR_N];
		size_t c;

		for (c = 0; c < TR_N; c++) {
			cells[c] = r->cell[c];
			attrs[c] = row;
		}
		if (r->sig_status == CORE_SIG_INVALID) {
			attrs[TR_SIG] |= A_BOLD | A_UNDERLINE;
			attrs[TR_MARK] |= A_BOLD;
		}
		item_table_row(&t->table, y + i, 2, avail, cells, attrs,
			       t->pos.top + (size_t)i == t->pos.sel);
	}
	if (t->pos.top + (size_t)n < t->n_rows) {
		char more[64];

		snprintf(more, sizeof(more), _("(%zu more)"),
			 t->n_rows - t->pos.top - (size_t)n);
		draw_more(ui, y + n, more);
	} else {
		n = i; /* the details take the rows the table leaves */
	}
	{
		/* the row above the legend is kept for the "more" marker */
		struct item_pane p = {y + n + 1, ui_body_bottom(ui) - 2, 0, 0};

		draw_act(ui, &p, &t->rows[t->pos.sel]);
		if (p.vy > p.y1 - p.y0 + 1) {
			draw_more(ui, ui_body_bottom(ui) - 1,
				  _("(Enter: the whole act)"));
		}
	}
	text_put(stdscr, ui_body_bottom(ui), 2, ui->cols - 4,
		 _("!! verifier of the vetoed version (bold)  ~ void  "
		   "x bad signature  - unsigned"),
		 A_NORMAL);
}

/* ---- keys ---- */

static int
move_by(struct ui *ui, long delta)
{
	struct trail_ui *t = ui->trail;

	if (t->full) {
		t->ftop += (int)delta;
		if (t->ftop < 0) {
			t->ftop = 0;
		}
		return TUI_REDRAW; /* the draw clamps the bottom */
	}
	return w_list_move(&t->pos, t->n_rows, delta, table_rows(ui))
		       ? TUI_REDRAW
		       : TUI_KEEP;
}

static int
act_down(struct ui *ui)
{
	return move_by(ui, 1);
}

static int
act_up(struct ui *ui)
{
	return move_by(ui, -1);
}

static int
page(const struct ui *ui)
{
	return ui->trail->full ? ui->rows - 7 : table_rows(ui);
}

static int
act_pgdn(struct ui *ui)
{
	return move_by(ui, page(ui));
}

static int
act_pgup(struct ui *ui)
{
	return move_by(ui, -page(ui));
}

static int
act_home(struct ui *ui)
{
	return move_by(ui, -(long)ui->trail->n_rows - 100000L);
}

static int
act_end(struct ui *ui)
{
	return move_by(ui, (long)ui->trail->n_rows + 100000L);
}

/* The next (or previous) verifier of the vetoed version. */
static int
next_verifier(struct ui *ui, int dir)
{
	struct trail_ui *t = ui->trail;
	long i;

	if (t->full || t->n_rows == 0) {
		return TUI_KEEP;
	}
	for (i = (long)t->pos.sel + dir; i >= 0 && i < (long)t->n_rows; i += dir) {
		if (t->rows[i].verifier) {
			t->pos.sel = (size_t)i;
			keep_visible(ui);
			return TUI_REDRAW;
		}
	}
	ui_msg(ui, 0, "%s", _("No further verifier of a vetoed version."));
	return TUI_REDRAW;
}

static int
act_next_verifier(struct ui *ui)
{
	return next_verifier(ui, 1);
}

static int
act_prev_verifier(struct ui *ui)
{
	return next_verifier(ui, -1);
}

static int
act_full(struct ui *ui)
{
	struct trail_ui *t = ui->trail;

	if (t->n_rows == 0) {
		return TUI_KEEP;
	}
	t->full = !t->full;
	t->ftop = 0;
	return TUI_REDRAW;
}

static int
act_reload(struct ui *ui)
{
	(void)trail_load(ui, ui->trail->id);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	struct trail_ui *t = ui->trail;

	if (t->full) {
		t->full = 0;
		return TUI_REDRAW;
	}
	return detail_return(ui, t->id);
}

static const struct tui_binding trail_keys[] = {
	{VK_DOWN, 0, act_down, "j, Down",
	 N_("next act (in the whole act: scroll)"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous act (in the whole act: "
				       "scroll)"),
	 NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
	{VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
	{VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
	{VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
	{VK_HOME, 0, act_home, "Home", N_("the first act"), NULL},
	{VK_END, 0, act_end, "G, End", N_("the last act"), NULL},
	{VK_CHAR, 'G', act_end, "G", NULL, NULL},
	{VK_CHAR, 'j', NULL, "j/k", NULL, N_("move")},
	{VK_CHAR, 'n', act_next_verifier, "n, N",
	 N_("the next (N: previous) verifier of the vetoed version"),
	 N_("verifier")},
	{VK_CHAR, 'N', act_prev_verifier, "N", NULL, NULL},
	{VK_ENTER, 0, act_full, "Enter",
	 N_("the whole act, or back to the table"), N_("whole act")},
	{VK_CHAR, 'r', act_reload, "r", N_("reload"), NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back to the nominee"),
	 N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_trail = {
	.title = N_("Accountability trail"),
	.enter = NULL,
	.draw = trail_draw,
	.key = NULL,
	.keys = trail_keys,
};
