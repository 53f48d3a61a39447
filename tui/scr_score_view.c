/*
 * scr_score_view: the submitted score sheets of one nominee on one
 * panel, as core_panel_scores() gives them: to the panel's owners, city
 * HR and the auditor, and to an assigned expert only once their own sheet
 * is in (core refuses before, and the refusal is all the screen shows).
 * Each sheet: the expert, the total, when, every criterion's score and
 * the opinion in full.  Loaded from core each time it is opened, never
 * kept for later.  The body is a column of rows that scrolls.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/panel.h"
#include "tui/text.h"

static void
sheets_clear(struct pn_sheets *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->s[i].opinion);
	}
	v->n = 0;
}

static int
add_sheet(void *ctx, const struct core_panel_sheet *s)
{
	struct pn_sheets *v = ctx;
	struct pn_sheet *e;
	char who[CORE_NAME_SIZE * 2], buf[TEXT_LINE_SIZE];

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		struct pn_sheet *p = realloc(v->s, cap * sizeof(*p));

		if (!p) {
			term_fatal("out of memory");
		}
		v->s = p;
		v->cap = cap;
	}
	e = &v->s[v->n++];
	memset(e, 0, sizeof(*e));
	snprintf(who, sizeof(who), "%s (%s)", s->expert_name, s->expert);
	text_sanitize(who, e->head, sizeof(e->head));
	ui_time_label(s->submitted_ms, e->when, sizeof(e->when));
	e->total_x10 = s->total_x10;
	e->n_scores = s->n_scores < CORE_PANEL_MAX_CRITERIA
			      ? s->n_scores
			      : CORE_PANEL_MAX_CRITERIA;
	memcpy(e->score_x10, s->score_x10, sizeof(e->score_x10));
	text_sanitize_ml(s->opinion, buf, sizeof(buf));
	if (!(e->opinion = strdup(buf))) {
		term_fatal("out of memory");
	}
	return 0;
}

int
pn_sheets_open(struct ui *ui, int64_t panel_id, int64_t id, const char *who)
{
	struct pn_sheets *v = &pn_state(ui)->sheets;
	char ref[32];
	int r;

	sheets_clear(v);
	snprintf(ref, sizeof(ref), "%" PRId64, panel_id);
	if ((r = core_panel_get(ui->c, ref, &v->p)) != 0 ||
	    (r = core_panel_scores(ui->c, ref, id, add_sheet, v)) != 0) {
		sheets_clear(v);
		ui_core_error(ui, r);
		return r;
	}
	v->id = id;
	snprintf(v->who, sizeof(v->who), "%s", who);
	v->top = 0;
	ui_open(ui, &scr_pn_sheets);
	return 0;
}

/* A column of virtual rows from top, on screen rows y0..y1. */
struct vcol {
	int y0, y1, top, v;
};

static void
vput(const struct ui *ui, struct vcol *c, const char *s, int x, attr_t a)
{
	int skip = c->top > c->v ? c->top - c->v : 0;
	int y = c->y0 + c->v - c->top + skip;
	int rows = c->y1 - y + 1;

	c->v += pn_put_wrapped(s, y, x, rows < 0 ? 0 : rows, ui->cols - x - 1,
			       skip, a);
}

static void
draw_sheet(const struct ui *ui, struct vcol *c, const struct core_panel *p,
	   const struct pn_sheet *e)
{
	char line[CORE_NAME_SIZE * 2 + 128], total[16];
	size_t k, off = 0;

	pn_x10(e->total_x10, total, sizeof(total));
	snprintf(line, sizeof(line), _("%s: total %s, submitted %s"), e->head,
		 total, e->when);
	vput(ui, c, line, 2, A_BOLD);
	line[0] = '\0';
	for (k = 0; k < e->n_scores && k < p->n_criteria && off < sizeof(line);
	     k++) {
		char sc[16], mx[16];

		pn_x10(e->score_x10[k], sc, sizeof(sc));
		pn_x10(p->criteria[k].max_x10, mx, sizeof(mx));
		off += (size_t)snprintf(line + off, sizeof(line) - off,
					"%s%s %s/%s", k ? "   " : "",
					p->criteria[k].label[0]
						? p->criteria[k].label
						: p->criteria[k].name,
					sc, mx);
	}
	vput(ui, c, line, 4, A_NORMAL);
	if (e->opinion[0]) {
		vput(ui, c, _("Opinion:"), 4, A_UNDERLINE);
		vput(ui, c, e->opinion, 6, A_NORMAL);
	} else {
		vput(ui, c, _("(no written opinion)"), 4, A_NORMAL);
	}
	c->v++;
}

/* Body rows on screen. */
static int
page_rows(const struct ui *ui)
{
	return ui_body_bottom(ui) - ui_body_top(ui) + 1;
}

static void
sheets_draw(struct ui *ui)
{
	struct pn_sheets *v = &pn_state(ui)->sheets;
	struct vcol c;
	char line[CORE_NAME_SIZE * 3 + 64];
	size_t i;

	c.y0 = ui_body_top(ui);
	c.y1 = ui_body_bottom(ui);
	c.top = v->top;
	c.v = 0;
	snprintf(line, sizeof(line),
		 _("No. %lld %s; panel %s: %zu score sheets in (quorum %d)"),
		 (long long)v->id, v->who, v->p.name, v->n, v->p.quorum);
	vput(ui, &c, line, 2, A_BOLD);
	c.v++;
	if (v->n == 0) {
		vput(ui, &c, _("No score sheet is in yet."), 4, A_NORMAL);
	}
	for (i = 0; i < v->n; i++) {
		draw_sheet(ui, &c, &v->p, &v->s[i]);
	}
	v->n_rows = c.v;
	if (v->top + page_rows(ui) < v->n_rows) {
		char more[64];

		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 v->n_rows - v->top - page_rows(ui));
		text_draw(stdscr, c.y1, ui->cols - 2 - (int)text_width(more),
			  (int)text_width(more), more, A_REVERSE);
	}
}

static int
scroll_by(struct ui *ui, int delta)
{
	struct pn_sheets *v = &pn_state(ui)->sheets;
	w_list_scroll(&v->top, delta, v->n_rows, page_rows(ui));
	return TUI_REDRAW;
}

static int
act_down(struct ui *ui)
{
	return scroll_by(ui, 1);
}

static int
act_up(struct ui *ui)
{
	return scroll_by(ui, -1);
}

static int
act_pgdn(struct ui *ui)
{
	return scroll_by(ui, page_rows(ui) - 1);
}

static int
act_pgup(struct ui *ui)
{
	return scroll_by(ui, -(page_rows(ui) - 1));
}

static int
act_top(struct ui *ui)
{
	pn_state(ui)->sheets.top = 0;
	return TUI_REDRAW;
}

static int
act_bottom(struct ui *ui)
{
	return scroll_by(ui, pn_state(ui)->sheets.n_rows);
}

static int
act_back(struct ui *ui)
{
	ui_back(ui);
	return TUI_REDRAW;
}

static const struct tui_binding sheets_keys[] = {
	{VK_DOWN, 0, act_down, "j, Down", N_("scroll down a row"), NULL},
	{VK_CHAR, 'j', act_down, "j", NULL, NULL},
	{VK_UP, 0, act_up, "k, Up", N_("scroll up a row"), NULL},
	{VK_CHAR, 'k', act_up, "k", NULL, NULL},
	{VK_PGDN, 0, act_pgdn, "Space, PgDn", N_("next page"), NULL},
	{VK_CHAR, ' ', act_pgdn, "Space", NULL, NULL},
	{VK_PGUP, 0, act_pgup, "b, PgUp", N_("previous page"), NULL},
	{VK_CHAR, 'b', act_pgup, "b", NULL, NULL},
	{VK_HOME, 0, act_top, "Home", N_("to the top"), NULL},
	{VK_END, 0, act_bottom, "G, End", N_("to the bottom"), NULL},
	{VK_CHAR, 'G', act_bottom, "G", NULL, NULL},
	{VK_CHAR, '?', ui_help, "?, F1", N_("show the keys of this screen"),
	 N_("help")},
	{VK_F1, 0, ui_help, "F1", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_CHAR, 'q', act_back, "q, Esc", N_("back"), N_("back")},
	{VK_ESC, 0, act_back, "Esc", NULL, NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_sheets = {
	.title = N_("Score sheets"),
	.enter = NULL,
	.draw = sheets_draw,
	.key = NULL,
	.keys = sheets_keys,
};
