/*
 * scr_materials: a nominee's materials checklist (the round's list: the
 * registration form x2, the technical report x5 with its electronic copy,
 * certificates with their originals sighted and returned, the pledge)
 * with what has been recorded of each, and scr_material_set, the small
 * form that records one (copies received; originals sighted and returned
 * by the user).  Each record is one core_material_set_seen(): a new
 * dossier version, audited, naming who saw the originals (谁查验、谁负责),
 * made over the version the checklist showed: if someone else changed
 * the nominee since, core refuses (CORE_ESTALE); r (Ctrl-R in the form,
 * which keeps what was typed) reloads.
 *
 * What was recorded, and who recorded it last, comes from
 * core_material_list (scoped like the dossier).  The round
 * (core_round_get) gives the list, the names and the copies asked for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/items.h"
#include "tui/text.h"

/* When the round has no list: core's materials, in its order. */
static const struct {
	const char *kind, *name; /* name: N_() */
	int needed, originals;
} fallback[] = {
	{"registration_form", N_("registration form"), 2, 0},
	{"technical_report", N_("professional technical report"), 5, 0},
	{"technical_report_electronic",
	 N_("professional technical report: electronic copy"), 1, 0},
	{"certificates", N_("certificates, results, papers, monographs"), 1,
	 1},
	{"pledge", N_("truthfulness pledge for review materials"), -1, 0},
};

enum { M_NAME, M_NEEDED, M_GOT, M_ORIG, M_STATUS, M_N };

static const struct w_table_col columns[M_N] = {
	[M_NAME] = {N_("Material"), 10, 0},
	[M_NEEDED] = {N_("Needed"), 4, 12},
	[M_GOT] = {N_("Received"), 4, 10},
	[M_ORIG] = {N_("Originals"), 4, 16},
	[M_STATUS] = {N_("Status"), 4, 10},
};

static struct mat_row *
add_mat(struct items_ui *s, const char *kind, const char *name,
	const char *note, int needed, int originals)
{
	struct mat_row *m;

	if (s->n_mat >= MAT_MAX) {
		return NULL;
	}
	m = &s->mat[s->n_mat++];
	memset(m, 0, sizeof(*m));
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	text_sanitize(name, m->name, sizeof(m->name));
	text_sanitize_ml(note ? note : "", m->note, sizeof(m->note));
	m->needed = needed;
	m->originals = originals;
	m->copies = -1;
	return m;
}

static void
load_list(struct ui *ui)
{
	struct items_ui *s = ui->items;
	struct core_round *r = NULL;
	int en = ui->me && strcmp(ui->me->lang, "en") == 0;
	size_t i;

	s->n_mat = 0;
	if (core_round_get(ui->c, NULL, &r) != 0 || r->n_materials == 0) {
		core_round_free(r);
		for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
			add_mat(s, fallback[i].kind, _(fallback[i].name), "",
				fallback[i].needed, fallback[i].originals);
		}
		return;
	}
	for (i = 0; i < r->n_materials; i++) {
		const struct core_round_material *m = &r->materials[i];
		const char *name = en && m->name_en && m->name_en[0]
					   ? m->name_en
					   : m->name_zh;
		char kind[32], el[CORE_NAME_SIZE + 64];

		add_mat(s, m->key, name ? name : m->key, m->note, m->copies,
			m->originals);
		if (m->electronic) {
			/* core records the electronic copy on its own */
			snprintf(kind, sizeof(kind), "%s_electronic", m->key);
			snprintf(el, sizeof(el), _("%s: electronic copy"),
				 name ? name : m->key);
			add_mat(s, kind, el, m->note, 1, 0);
		}
	}
	core_round_free(r);
}

/* What core has recorded of a material of the list. */
static int
take_record(void *ctx, const struct core_material *r)
{
	struct items_ui *s = ctx;

	for (size_t i = 0; i < s->n_mat; i++) {
		struct mat_row *m = &s->mat[i];

		if (strcmp(m->kind, r->kind) != 0) {
			continue;
		}
		m->copies = r->copies;
		m->sighted = r->original_sighted;
		text_sanitize(r->by, m->by, sizeof(m->by));
		m->at_ms = r->at_ms;
		m->seq = r->seq;
	}
	return 0;
}

static void
copies_label(char *out, size_t outsz, int n)
{
	if (n == 1) {
		snprintf(out, outsz, "%s", _("1 copy"));
	} else {
		snprintf(out, outsz, _("%d copies"), n);
	}
}

static int
complete(const struct mat_row *m)
{
	int need = m->needed > 0 ? m->needed : 1;

	return m->copies >= need && (!m->originals || m->sighted);
}

static void
fill_cells(struct mat_row *m)
{
	int electronic = strstr(m->kind, "_electronic") != NULL;

	snprintf(m->cell[M_NAME], sizeof(m->cell[M_NAME]), "%s", m->name);
	if (electronic) {
		snprintf(m->cell[M_NEEDED], sizeof(m->cell[0]), "%s",
			 _("a file"));
	} else if (m->needed > 0) {
		copies_label(m->cell[M_NEEDED], sizeof(m->cell[0]), m->needed);
	} else {
		snprintf(m->cell[M_NEEDED], sizeof(m->cell[0]), "%s",
			 _("not stated"));
	}
	if (m->copies < 0) {
		snprintf(m->cell[M_GOT], sizeof(m->cell[0]), "-");
	} else if (electronic) {
		snprintf(m->cell[M_GOT], sizeof(m->cell[0]), "%s",
			 m->copies > 0 ? _("received") : _("none"));
	} else {
		copies_label(m->cell[M_GOT], sizeof(m->cell[0]), m->copies);
	}
	if (m->sighted) {
		snprintf(m->cell[M_ORIG], sizeof(m->cell[0]), "%s",
			 _("sighted, returned"));
	} else {
		snprintf(m->cell[M_ORIG], sizeof(m->cell[0]), "%s",
			 m->originals ? _("not sighted") : "-");
	}
	snprintf(m->cell[M_STATUS], sizeof(m->cell[0]), "%s",
		 complete(m)	    ? _("complete")
		 : m->copies > 0 ? _("incomplete")
				 : _("missing"));
}

static int
mat_load(struct ui *ui, int64_t id)
{
	struct items_ui *s;
	size_t i;
	int r;

	if ((r = items_load(ui, id)) != 0) {
		return r;
	}
	s = ui->items;
	load_list(ui);
	if ((r = core_material_list(ui->c, id, take_record, s)) != 0) {
		ui_core_error(ui, r);
		return r;
	}
	for (i = 0; i < s->n_mat; i++) {
		fill_cells(&s->mat[i]);
	}
	s->mtable.col = columns;
	s->mtable.n_cols = M_N;
	w_list_show(&s->mpos, s->n_mat, (int)s->n_mat);
	return 0;
}

int
materials_open(struct ui *ui, int64_t id)
{
	if (mat_load(ui, id) != 0) {
		return TUI_REDRAW; /* the nominee stays, core's reason shown */
	}
	ui_open(ui, &scr_materials);
	return TUI_REDRAW;
}

/* Records m as copies and sighted; back on the checklist, reloaded, with
 * the receipt or core's refusal.  0 or core's error. */
static int
mat_save(struct ui *ui, size_t i, int copies, int sighted)
{
	struct items_ui *s = ui->items;
	struct core_receipt rc;
	char kind[32], was[32], name[CORE_NAME_SIZE];
	int r;

	snprintf(kind, sizeof(kind), "%s", s->mat[i].kind);
	snprintf(name, sizeof(name), "%s", s->mat[i].name);
	snprintf(was, sizeof(was), "%s", s->state);
	memset(&rc, 0, sizeof(rc));
	if ((r = core_material_set_seen(ui->c, s->id, s->seq, kind, copies,
					sighted, &rc)) != 0) {
		return r;
	}
	if (mat_load(ui, s->id) != 0) {
		(void)items_back(ui); /* recorded, but no longer shown */
		return 0;
	}
	if (core_state_has(was, CORE_STF_EDIT_VOIDS_PLEDGE) &&
	    strcmp(s->state, was) != 0) {
		ui_msg(ui, 0,
		       _("Recorded %s as dossier version %u (entry #%llu); "
			 "the pledge is void and must be recorded again."),
		       name, (unsigned)s->version, (unsigned long long)rc.seq);
	} else {
		ui_msg(ui, 0,
		       _("Recorded %s as dossier version %u: entry #%llu, "
			 "checkpoint %llu"),
		       name, (unsigned)s->version, (unsigned long long)rc.seq,
		       (unsigned long long)rc.tree_size);
	}
	return 0;
}

/* ---- the checklist ---- */

static const char *
cell_of(void *ctx, size_t row, size_t col)
{
	const struct items_ui *s = ctx;

	return s->mat[row].cell[col];
}

static void
draw_mat(struct ui *ui, struct item_pane *p, const struct mat_row *m)
{
	const char *ln = _("Note:");
	int lw = (int)text_width(ln), y;
	char line[CORE_NAME_SIZE + 128], when[32];

	item_pane_text(p, 0, 0, NULL, A_NORMAL, 2, ui->cols - 4, m->name,
		       A_BOLD);
	if (m->note[0]) {
		item_pane_text(p, 2, lw, ln, A_NORMAL, 2 + lw + 1,
			       ui->cols - 5 - lw, m->note, A_NORMAL);
	}
	if (m->copies < 0) {
		snprintf(line, sizeof(line), "%s", _("Not recorded yet."));
	} else {
		ui_time_label(m->at_ms, when, sizeof(when));
		snprintf(line, sizeof(line),
			 _("Last recorded by %s at %s (entry #%llu)%s"), m->by,
			 when, (unsigned long long)m->seq,
			 m->sighted ? _("; the originals were sighted and "
					"returned")
				    : "");
	}
	if ((y = item_pane_row(p)) >= 0) {
		text_put(stdscr, y, 2, ui->cols - 4, line, A_NORMAL);
	}
}

static void
mat_draw_table(struct ui *ui, int *after)
{
	struct items_ui *s = ui->items;
	int y = ui_body_top(ui), avail = ui->cols - 4;
	char line[CORE_NAME_SIZE + 128];
	attr_t attrs[M_N] = {0};
	size_t i;

	snprintf(line, sizeof(line),
		 _("No. %lld  %s   materials checklist   State: %s   "
		   "Version: %u"),
		 (long long)s->id, s->name, core_state_label(s->state),
		 (unsigned)s->version);
	text_put(stdscr, y++, 2, ui->cols - 4, line, A_BOLD);
	text_put(stdscr, y++, 2, ui->cols - 4,
		 _("Each record is a new dossier version in the audit log."),
		 A_NORMAL);
	w_table_layout(&s->mtable, avail, s->n_mat, cell_of, s);
	w_table_draw_header(&s->mtable, stdscr, y++, 2, avail);
	for (i = 0; i < s->n_mat && y < ui_body_bottom(ui) - 4; i++, y++) {
		const struct mat_row *m = &s->mat[i];
		const char *cells[M_N];
		size_t c;

		for (c = 0; c < M_N; c++) {
			cells[c] = m->cell[c];
		}
		attrs[M_STATUS] = complete(m) ? A_NORMAL : A_BOLD;
		item_table_row(&s->mtable, y, 2, avail, cells, attrs,
			       i == s->mpos.sel);
	}
	*after = y + 1;
}

static void
mat_draw(struct ui *ui)
{
	struct items_ui *s = ui->items;
	struct item_pane p;
	int y;

	mat_draw_table(ui, &y);
	if (s->n_mat == 0) {
		return;
	}
	p.y0 = y;
	p.y1 = ui_body_bottom(ui);
	p.top = 0;
	p.vy = 0;
	draw_mat(ui, &p, &s->mat[s->mpos.sel]);
}

static int
act_down(struct ui *ui)
{
	struct items_ui *s = ui->items;

	(void)w_list_move(&s->mpos, s->n_mat, 1, (int)s->n_mat);
	return TUI_REDRAW;
}

static int
act_up(struct ui *ui)
{
	struct items_ui *s = ui->items;

	(void)w_list_move(&s->mpos, s->n_mat, -1, (int)s->n_mat);
	return TUI_REDRAW;
}

static int
act_set(struct ui *ui)
{
	struct items_ui *s = ui->items;
	const struct mat_row *m;
	char num[16];

	if (s->n_mat == 0) {
		return TUI_KEEP;
	}
	m = &s->mat[s->mpos.sel];
	/* core decides at save time; this only spares typing in vain */
	if (!core_state_has(s->state, CORE_STF_EDITABLE)) {
		ui_msg(ui, 1,
		       _("nominee %lld is %s: only a dossier with its unit "
			 "(draft, pledged or returned) can be edited"),
		       (long long)s->id, core_state_label(s->state));
		return TUI_REDRAW;
	}
	/* what is usually handed in: the copies asked for */
	snprintf(num, sizeof(num), "%d",
		 m->copies >= 0 ? m->copies : m->needed > 0 ? m->needed : 1);
	w_line_init(&s->copies, 2, 2);
	w_line_set(&s->copies, num);
	s->set_sighted = m->sighted;
	s->mcur = 0;
	s->merr[0] = '\0';
	ui_warn_edit_voids_pledge(ui, s->state);
	ui_open(ui, &scr_material_set);
	return TUI_REDRAW;
}

/* A record refused on the checklist: core's reason; when stale, how to
 * reload. */
static void
mat_refused(struct ui *ui, int r)
{
	if (r == CORE_ESTALE) {
		ui_msg(ui, 1, "%s %s", core_errmsg(ui->c), ui_stale_hint(0));
		return;
	}
	ui_core_error(ui, r);
}

/* Space: received in full, or back to none. */
static int
act_toggle(struct ui *ui)
{
	struct items_ui *s = ui->items;
	const struct mat_row *m;
	int need, r;

	if (s->n_mat == 0) {
		return TUI_KEEP;
	}
	m = &s->mat[s->mpos.sel];
	need = m->needed > 0 ? m->needed : 1;
	if ((r = mat_save(ui, s->mpos.sel, m->copies >= need ? 0 : need,
			  m->sighted)) != 0) {
		mat_refused(ui, r);
	}
	return TUI_REDRAW;
}

/* o: the originals sighted and returned, or not. */
static int
act_originals(struct ui *ui)
{
	struct items_ui *s = ui->items;
	const struct mat_row *m;
	int r;

	if (s->n_mat == 0) {
		return TUI_KEEP;
	}
	m = &s->mat[s->mpos.sel];
	if ((r = mat_save(ui, s->mpos.sel, m->copies > 0 ? m->copies : 0,
			  !m->sighted)) != 0) {
		mat_refused(ui, r);
	}
	return TUI_REDRAW;
}

static int
act_reload(struct ui *ui)
{
	(void)mat_load(ui, ui->items->id);
	return TUI_REDRAW;
}

static int
act_back(struct ui *ui)
{
	return items_back(ui);
}

static const struct tui_binding mat_keys[] = {
	{VK_DOWN, 0, act_down, "j, Down", N_("next material"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("previous material"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_CHAR, 'j', NULL, "j/k", NULL, N_("move")},
	{VK_ENTER, 0, act_set, "Enter, e",
	 N_("record the copies received and the originals sighted"),
	 N_("record")},
	{VK_CHAR, 'e', act_set, "e", NULL, NULL},
	{VK_CHAR, ' ', act_toggle, "Space",
	 N_("received in full, or none (recorded at once)"),
	 N_("received")},
	{VK_CHAR, 'o', act_originals, "o",
	 N_("originals sighted and returned by you, or not (recorded at "
	    "once)"),
	 N_("originals")},
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

const struct tui_screen scr_materials = {
	.title = N_("Materials checklist"),
	.enter = NULL,
	.draw = mat_draw,
	.key = NULL,
	.keys = mat_keys,
};

/* ---- the record form ---- */

static int
shows_originals(const struct items_ui *s)
{
	const struct mat_row *m = &s->mat[s->mpos.sel];

	return m->originals || m->sighted;
}

static void
set_draw(struct ui *ui)
{
	struct items_ui *s = ui->items;
	const struct mat_row *m = &s->mat[s->mpos.sel];
	const char *lc = _("Copies received"), *lo = _("Originals");
	int y, lw = (int)text_width(lc), bx, cx;
	char line[CORE_NAME_SIZE + 128];

	if ((int)text_width(lo) > lw) {
		lw = (int)text_width(lo);
	}
	bx = 4 + lw + 2;
	mat_draw_table(ui, &y);
	snprintf(line, sizeof(line), _("Record: %s"), m->name);
	text_put(stdscr, y++, 2, ui->cols - 4, line, A_BOLD);
	text_put(stdscr, y, 2, 1, s->mcur == 0 ? ">" : " ", A_BOLD);
	text_put(stdscr, y, 4, lw, lc, s->mcur == 0 ? A_BOLD : A_NORMAL);
	cx = w_line_draw(&s->copies, stdscr, y, bx, 4,
			 A_UNDERLINE | (s->mcur == 0 ? A_BOLD : A_NORMAL));
	if (s->mcur == 0) {
		ui->cursor_y = y;
		ui->cursor_x = bx + cx;
	}
	snprintf(line, sizeof(line), _("(needed: %s)"), m->cell[M_NEEDED]);
	text_put(stdscr, y, bx + 6, ui->cols - bx - 8, line, A_NORMAL);
	y++;
	if (shows_originals(s)) {
		snprintf(line, sizeof(line), "[%s] %s",
			 s->set_sighted ? "x" : " ",
			 _("sighted and returned by you (Space)"));
		text_put(stdscr, y, 2, 1, s->mcur == 1 ? ">" : " ", A_BOLD);
		text_put(stdscr, y, 4, lw, lo,
			 s->mcur == 1 ? A_BOLD : A_NORMAL);
		text_put(stdscr, y, bx, ui->cols - bx - 2, line,
			 s->mcur == 1 ? A_BOLD : A_NORMAL);
		y++;
	}
	if (s->merr[0]) {
		snprintf(line, sizeof(line), "! %s", s->merr);
		text_put(stdscr, y, bx, ui->cols - bx - 2, line,
			 ui_attr_error(ui));
	}
	y++;
	text_put(stdscr, y, 2, ui->cols - 4,
		 _("Enter or Ctrl-S: record it (a new dossier version, "
		   "audited); Esc: cancel"),
		 A_NORMAL);
}

static int
set_save(struct ui *ui)
{
	struct items_ui *s = ui->items;
	const char *m;
	char *end = NULL, num[16];
	long copies;
	int r;

	if (utf8_fold_width(s->copies.buf, num, sizeof(num)) != 0 ||
	    !num[0] || (copies = strtol(num, &end, 10)) < 0 || *end) {
		snprintf(s->merr, sizeof(s->merr), "%s",
			 _("copies: type a number from 0 to 99"));
		s->mcur = 0;
		return TUI_REDRAW;
	}
	if ((r = mat_save(ui, s->mpos.sel, (int)copies, s->set_sighted)) != 0) {
		m = core_errmsg(ui->c);
		snprintf(s->merr, sizeof(s->merr), "%s",
			 m[0] ? m : core_strerror(r));
		if (r == CORE_ESTALE) {
			ui_msg(ui, 1, "%s %s", s->merr, ui_stale_hint(1));
		} else {
			ui_msg(ui, 1, "%s", s->merr);
		}
		return TUI_REDRAW;
	}
	if (ui->cur == &scr_material_set) {
		ui_back(ui);
	}
	return TUI_REDRAW;
}

/* Ctrl-R: the checklist again under the form (the copies typed and the
 * originals' box are kept): the next record is over this version. */
static int
set_reload(struct ui *ui)
{
	struct items_ui *s = ui->items;

	if (mat_load(ui, s->id) != 0) {
		return TUI_REDRAW; /* core's reason on the message line */
	}
	s->merr[0] = '\0';
	ui_msg(ui, 0,
	       _("Reloaded version %u; what you typed is kept. Ctrl-S "
		 "saves."),
	       (unsigned)s->version);
	return TUI_REDRAW;
}

static int
set_cancel(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static int
set_next(struct ui *ui)
{
	struct items_ui *s = ui->items;

	s->mcur = shows_originals(s) ? !s->mcur : 0;
	return TUI_REDRAW;
}

static int
set_key(struct ui *ui, const struct tui_key *k)
{
	struct items_ui *s = ui->items;

	if (s->mcur == 1) {
		if (k->vk == VK_CHAR &&
		    (k->ch == ' ' || k->ch == 'x' || k->ch == 'y')) {
			s->set_sighted = k->ch == ' ' ? !s->set_sighted : 1;
		} else if (k->vk == VK_CHAR && k->ch == 'n') {
			s->set_sighted = 0;
		} else {
			return TUI_KEEP;
		}
		return TUI_REDRAW;
	}
	if (k->vk == VK_CHAR) {
		uint32_t cp = k->ch;

		if (cp >= 0xFF10 && cp <= 0xFF19) {
			cp = '0' + (cp - 0xFF10); /* full-width digits */
		}
		if (cp < '0' || cp > '9') {
			snprintf(s->merr, sizeof(s->merr), "%s",
				 _("copies: type a number from 0 to 99"));
			return TUI_REDRAW;
		}
		if (w_line_insert(&s->copies, &cp, 1, s->merr,
				  sizeof(s->merr)) == 0) {
			s->merr[0] = '\0';
		}
		return TUI_REDRAW;
	}
	return w_line_key(&s->copies, k) ? TUI_REDRAW : TUI_KEEP;
}

static const struct tui_binding set_keys[] = {
	{VK_ENTER, 0, set_save, "Enter, Ctrl-S",
	 N_("record it (a new dossier version, audited)"), N_("record")},
	{VK_CTRL, 's', set_save, "Ctrl-S", NULL, NULL},
	{VK_CTRL, 'r', set_reload, "Ctrl-R",
	 N_("reload the dossier underneath (what you typed is kept)"),
	 NULL},
	{VK_F2, 0, set_save, "F2", NULL, NULL},
	{VK_TAB, 0, set_next, "Tab, Up, Down",
	 N_("between the copies and the originals"), N_("next")},
	{VK_BTAB, 0, set_next, "Shift-Tab", NULL, NULL},
	{VK_DOWN, 0, set_next, "Down", NULL, NULL},
	{VK_UP, 0, set_next, "Up", NULL, NULL},
	{VK_CHAR, ' ', NULL, "Space",
	 N_("originals sighted and returned: yes or no"), NULL},
	{VK_ESC, 0, set_cancel, "Esc", N_("cancel (nothing is recorded)"),
	 N_("cancel")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_material_set = {
	.title = N_("Record a material"),
	.enter = NULL,
	.draw = set_draw,
	.key = set_key,
	.keys = set_keys,
};
