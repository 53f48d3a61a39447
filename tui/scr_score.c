/*
 * scr_score: an expert's score sheet for one nominee: a box per
 * criterion of the panel's sheet (its label, its name as core's messages
 * give it, and its maximum) and the written opinion, of several lines.
 * Tab and Shift-Tab (or Down and Up) move between fields; Ctrl-S asks
 * once more, since a sheet is final, and the second Ctrl-S submits it
 * with core_panel_score().  core judges every score (a number from 0 to
 * the maximum, one decimal at most, every criterion once): its refusal
 * names the criterion, the message goes under that box and the cursor
 * there.  After submitting, the submitted sheets (the others' included)
 * are shown: core opens them now, and not before.
 *
 * The sheet is over the dossier's version the assignments listed
 * (core_panel_score_seen): if someone else changed the nominee since,
 * core refuses it (CORE_ESTALE) and Ctrl-R takes the version listed now,
 * keeping every score and the opinion typed.
 *
 * The body is a column of rows that scrolls to keep the current field in
 * view, so twelve criteria fit 80x24 too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/panel.h"
#include "tui/text.h"

#define OPINION_COLS 2000 /* core's rule for the opinion */
#define OPINION_ROWS 5
#define HEAD_ROWS 3

/* pn_score.armed: a key pressed once that the next press confirms */
enum { ARMED_NONE, ARMED_SUBMIT, ARMED_ESC };

static int
n_fields(const struct pn_score *s)
{
	return (int)s->p.n_criteria + 1; /* the opinion last */
}

static int
is_opinion(const struct pn_score *s, int i)
{
	return i == (int)s->p.n_criteria;
}

int
pn_score_open(struct ui *ui, const struct pn_row *row)
{
	struct pn_score *s = &pn_state(ui)->score;
	char ref[32];
	size_t k;
	int r;

	if (strcmp(row->code, "assigned") == 0) {
		pn_declare_open(ui, row);
		ui_msg(ui, 0, "%s",
		       _("Sign the declaration first: the score sheet opens "
			 "after it."));
		return TUI_REDRAW;
	}
	if (strcmp(row->code, "conflict") == 0) {
		ui_msg(ui, 0, "%s", pn_recused_msg());
		return TUI_REDRAW;
	}
	if (strcmp(row->code, "scored") == 0) {
		pn_sheets_open(ui, row->panel_id, row->id,
			       row->cell[PN_M_NAME]);
		ui_msg(ui, 0, "%s",
		       _("Your scores are submitted and final; here are the "
			 "sheets."));
		return TUI_REDRAW;
	}
	memset(s, 0, sizeof(*s));
	snprintf(ref, sizeof(ref), "%" PRId64, row->panel_id);
	if ((r = core_panel_get(ui->c, ref, &s->p)) != 0) {
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	s->id = row->id;
	s->seq = row->seq;
	snprintf(s->who, sizeof(s->who), "%s", row->cell[PN_M_NAME]);
	snprintf(s->unit, sizeof(s->unit), "%s", row->cell[PN_M_UNIT]);
	for (k = 0; k < s->p.n_criteria; k++) {
		w_line_init(&s->f[k], 16, 8);
	}
	w_text_init(&s->opinion, W_TEXT_SIZE - 1, OPINION_COLS, 1);
	ui_open(ui, &scr_pn_score);
	return TUI_REDRAW;
}

/* Anything typed in the sheet. */
static int
typed_any(const struct pn_score *s)
{
	size_t k;

	for (k = 0; k < s->p.n_criteria; k++) {
		if (s->f[k].len) {
			return 1;
		}
	}
	return s->opinion.len > 0;
}

static int
act_back(struct ui *ui)
{
	struct pn_score *s = &pn_state(ui)->score;

	if (typed_any(s) && s->armed != ARMED_ESC) {
		s->armed = ARMED_ESC;
		ui_msg(ui, 1, "%s",
		       _("Nothing is submitted yet: Esc again drops what was "
			 "typed, Ctrl-S submits."));
		return TUI_REDRAW;
	}
	s->armed = 0;
	ui_back(ui);
	return TUI_REDRAW;
}

/* The criterion core's message is about: the longest name it quotes. */
static int
criterion_in(const struct pn_score *s, const char *msg)
{
	size_t k, best_len = 0;
	int best = -1;

	for (k = 0; k < s->p.n_criteria; k++) {
		size_t len = strlen(s->p.criteria[k].name);

		if (len > best_len && strstr(msg, s->p.criteria[k].name)) {
			best = (int)k;
			best_len = len;
		}
	}
	return best;
}

static void
tidy_score(const char *in, char *out, size_t outsz)
{
	char tmp[W_LINE_SIZE];

	/* full-width digits and point, as a Chinese IME types them */
	if (utf8_fold_width(in, tmp, sizeof(tmp)) != 0) {
		snprintf(tmp, sizeof(tmp), "%s", in);
	}
	core_field_tidy("score", tmp, sizeof(tmp));
	snprintf(out, outsz, "%s", tmp);
}

static int
submit(struct ui *ui)
{
	struct pn_score *s = &pn_state(ui)->score;
	struct core_score sc[CORE_PANEL_MAX_CRITERIA];
	char val[CORE_PANEL_MAX_CRITERIA][W_LINE_SIZE];
	char opinion[W_TEXT_SIZE], ref[32];
	struct core_receipt rc;
	size_t k, n = 0;
	int r, i;

	for (i = 0; i < n_fields(s); i++) {
		s->err[i][0] = '\0';
	}
	/* an empty box is left out: core then names it as not scored */
	for (k = 0; k < s->p.n_criteria; k++) {
		tidy_score(s->f[k].buf, val[k], sizeof(val[k]));
		if (val[k][0]) {
			sc[n].criterion = s->p.criteria[k].name;
			sc[n].score = val[k];
			n++;
		}
	}
	snprintf(opinion, sizeof(opinion), "%s", s->opinion.buf);
	core_field_tidy("condition.0", opinion, sizeof(opinion)); /* NFC, trim */
	snprintf(ref, sizeof(ref), "%" PRId64, s->p.id);
	memset(&rc, 0, sizeof(rc));
	if ((r = core_panel_score_seen(ui->c, ref, s->id, s->seq, sc, n,
				       opinion[0] ? opinion : NULL, &rc)) !=
	    0) {
		const char *m = core_errmsg(ui->c)[0] ? core_errmsg(ui->c)
						      : core_strerror(r);
		const char *field = core_errfield(ui->c);
		int at = -1;

		if (r == CORE_ESTALE) {
			ui_msg(ui, 1, "%s %s", m, ui_stale_hint(1));
			return TUI_REDRAW;
		}

		if (strcmp(field, "criterion") == 0) {
			at = criterion_in(s, m);
		} else if (strcmp(field, "opinion") == 0) {
			at = (int)s->p.n_criteria;
		}
		if (at >= 0) {
			snprintf(s->err[at], sizeof(s->err[at]), "%s", m);
			s->cur = at;
		}
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	/* the sheet gives its place to the sheets */
	if (pn_sheets_open(ui, s->p.id, s->id, s->who) != 0) {
		ui_open(ui, &scr_pn_mine);
	}
	ui_msg(ui, 0,
	       _("Submitted: your scores for No. %lld are final (entry #%llu, "
		 "checkpoint %llu). All sheets in so far:"),
	       (long long)s->id, (unsigned long long)rc.seq,
	       (unsigned long long)rc.tree_size);
	return TUI_REDRAW;
}

static int
act_submit(struct ui *ui)
{
	struct pn_score *s = &pn_state(ui)->score;

	if (s->armed != ARMED_SUBMIT) {
		s->armed = ARMED_SUBMIT;
		ui_msg(ui, 1, "%s",
		       _("A score sheet is final once submitted: Ctrl-S again "
			 "submits it, any other key goes on editing."));
		return TUI_REDRAW;
	}
	s->armed = ARMED_NONE;
	return submit(ui);
}

/* Ctrl-R: the assignment as core lists it now; every score and the
 * opinion typed stay. */
static int
act_reload(struct ui *ui)
{
	static struct core_panel_assignment now; /* big; one at a time */
	struct pn_score *s = &pn_state(ui)->score;

	s->armed = ARMED_NONE;
	if (pn_assignment_get(ui, s->p.id, s->id, &now) != 0) {
		return TUI_REDRAW; /* why, on the message line */
	}
	s->seq = now.seq;
	ui_msg(ui, 0,
	       _("Reloaded: No. %lld is %s, dossier version %u; what you "
		 "typed is kept. Ctrl-S submits."),
	       (long long)s->id, core_state_label(now.state),
	       (unsigned)now.version);
	return TUI_REDRAW;
}

static int
move_to(struct ui *ui, int i)
{
	struct pn_score *s = &pn_state(ui)->score;

	s->armed = 0;
	s->cur = i < 0 ? 0 : i >= n_fields(s) ? n_fields(s) - 1 : i;
	return TUI_REDRAW;
}

static int
act_next(struct ui *ui)
{
	return move_to(ui, pn_state(ui)->score.cur + 1);
}

static int
act_prev(struct ui *ui)
{
	return move_to(ui, pn_state(ui)->score.cur - 1);
}

static int
score_key(struct ui *ui, const struct tui_key *k)
{
	struct pn_score *s = &pn_state(ui)->score;
	int op = is_opinion(s, s->cur);
	size_t n;

	s->armed = 0;
	if (k->vk == VK_CHAR) {
		char *err = s->err[s->cur];

		n = pn_typed(ui, k->ch, err, sizeof(s->err[0]));
		if (n && (op ? w_text_insert(&s->opinion, pn_state(ui)->paste,
					     n, err, sizeof(s->err[0]))
			     : w_line_insert(&s->f[s->cur],
					     pn_state(ui)->paste, n, err,
					     sizeof(s->err[0]))) == 0) {
			err[0] = '\0';
		}
		return TUI_REDRAW;
	}
	if (op) {
		if (w_text_key(&s->opinion, k)) {
			return TUI_REDRAW;
		}
	} else if (k->vk == VK_ENTER) {
		return act_next(ui);
	} else if (w_line_key(&s->f[s->cur], k)) {
		return TUI_REDRAW;
	}
	/* Up on the opinion's first row, Down on its last, arrows in a
	 * score box: to the neighbouring field */
	if (k->vk == VK_UP) {
		return act_prev(ui);
	}
	if (k->vk == VK_DOWN) {
		return act_next(ui);
	}
	return TUI_REDRAW; /* the key disarmed a pending Ctrl-S */
}

/* ---- drawing ---- */

static int
label_width(const struct pn_score *s)
{
	size_t k;
	int w = 0;

	for (k = 0; k < s->p.n_criteria; k++) {
		char label[CORE_NAME_SIZE + 80];
		int lw;

		snprintf(label, sizeof(label), "%s (%s)",
			 s->p.criteria[k].label, s->p.criteria[k].name);
		lw = (int)text_width(label);
		w = lw > w ? lw : w;
	}
	return w > 40 ? 40 : w;
}

/* Rows of field i. */
static int
field_rows(const struct pn_score *s, int i)
{
	int rows = is_opinion(s, i) ? 2 + OPINION_ROWS : 1;

	return rows + (s->err[i][0] ? 1 : 0);
}

static void
score_draw(struct ui *ui)
{
	struct pn_score *s = &pn_state(ui)->score;
	int y0 = ui_body_top(ui), y1 = ui_body_bottom(ui);
	int page = y1 - y0 + 1, lw = label_width(s), bx = 4 + lw + 2;
	int starts[CORE_PANEL_MAX_CRITERIA + 1] = {0}, vy = HEAD_ROWS, i;
	char line[CORE_NAME_SIZE * 3 + 64];

	for (i = 0; i < n_fields(s); i++) {
		starts[i] = vy;
		vy += field_rows(s, i);
	}
	{
		int st = s->cur == 0 ? 0 : starts[s->cur];
		int h = starts[s->cur] + field_rows(s, s->cur) - st;

		if (st < s->top) {
			s->top = st;
		}
		if (st + h > s->top + page) {
			s->top = st + h - page;
		}
		if (s->top > vy - page) {
			s->top = vy - page > 0 ? vy - page : 0;
		}
	}
#define ROW(v) (y0 + (v) - s->top)
#define SHOWN(v) (ROW(v) >= y0 && ROW(v) <= y1)
	snprintf(line, sizeof(line), _("No. %lld %s, %s; panel %s"),
		 (long long)s->id, s->who, s->unit, s->p.name);
	if (SHOWN(0)) {
		text_put(stdscr, ROW(0), 2, ui->cols - 4, line, A_BOLD);
	}
	if (SHOWN(1)) {
		text_put(stdscr, ROW(1), 2, ui->cols - 4,
			 _("Each criterion: 0 to its maximum, one decimal at "
			   "most. Then your opinion."),
			 A_NORMAL);
	}
	for (i = 0; i < n_fields(s); i++) {
		int v = starts[i], cur = i == s->cur;
		attr_t la = cur ? A_BOLD : A_NORMAL;

		if (is_opinion(s, i)) {
			int cy = -1, cx = -1;

			v++; /* a blank row above */
			if (SHOWN(v)) {
				text_put(stdscr, ROW(v), 2, 1, cur ? ">" : " ",
					 A_BOLD);
				text_put(stdscr, ROW(v), 4, ui->cols - 6,
					 _("Opinion (several lines; Enter: a "
					   "new line):"),
					 la);
			}
			v++;
			if (SHOWN(v) && SHOWN(v + OPINION_ROWS - 1)) {
				w_text_draw(&s->opinion, stdscr, ROW(v), 4,
					    OPINION_ROWS, ui->cols - 8,
					    A_UNDERLINE | la, cur, &cy, &cx);
				if (cur) {
					ui->cursor_y = cy;
					ui->cursor_x = cx;
				}
			}
			v += OPINION_ROWS;
		} else {
			const struct core_panel_criterion *k =
				&s->p.criteria[i];
			char mx[16];

			if (SHOWN(v)) {
				int cx;

				snprintf(line, sizeof(line), "%s (%s)",
					 k->label, k->name);
				text_put(stdscr, ROW(v), 2, 1, cur ? ">" : " ",
					 A_BOLD);
				text_put(stdscr, ROW(v), 4, lw, line, la);
				cx = w_line_draw(&s->f[i], stdscr, ROW(v), bx,
						 8, A_UNDERLINE | la);
				pn_x10(k->max_x10, mx, sizeof(mx));
				snprintf(line, sizeof(line), _("of %s"), mx);
				text_put(stdscr, ROW(v), bx + 10,
					 ui->cols - bx - 11, line, A_NORMAL);
				if (cur) {
					ui->cursor_y = ROW(v);
					ui->cursor_x = bx + cx;
				}
			}
			v++;
		}
		if (s->err[i][0] && SHOWN(v)) {
			/* core's messages are long: the whole row */
			snprintf(line, sizeof(line), "! %s", s->err[i]);
			text_put(stdscr, ROW(v), 4, ui->cols - 5, line,
				 ui_attr_error(ui));
		}
	}
	if (s->top + page < vy) {
		char more[64];

		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 vy - s->top - page);
		text_draw(stdscr, y1, ui->cols - 2 - (int)text_width(more),
			  (int)text_width(more), more, A_REVERSE);
	}
#undef ROW
#undef SHOWN
}

static const struct tui_binding score_keys[] = {
	{VK_CTRL, 's', act_submit, "Ctrl-S, F2",
	 N_("submit the sheet (asks once more: it is final)"),
	 N_("submit")},
	{VK_F2, 0, act_submit, "F2", NULL, NULL},
	{VK_CTRL, 'r', act_reload, "Ctrl-R",
	 N_("reload the assignment (what you typed is kept)"), NULL},
	{VK_TAB, 0, act_next, "Tab", N_("next field"), N_("next")},
	{VK_CTRL, 'n', act_next, "Ctrl-N", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab", N_("previous field"), NULL},
	{VK_CTRL, 'p', act_prev, "Ctrl-P", NULL, NULL},
	{VK_DOWN, 0, NULL, "Down, Up",
	 N_("next or previous field; in the opinion, move by rows"), NULL},
	{VK_ENTER, 0, NULL, "Enter",
	 N_("next field; in the opinion, a new line"), NULL},
	{VK_LEFT, 0, NULL, "Left, Right", N_("move in the field"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_ESC, 0, act_back, "Esc",
	 N_("back to the assignments: nothing is submitted (asks again "
	    "when something was typed)"),
	 N_("back")},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_pn_score = {
	.title = N_("Score sheet"),
	.enter = NULL,
	.draw = score_draw,
	.key = score_key,
	.keys = score_keys,
	.transient = 1,
};
