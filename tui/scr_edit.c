/*
 * scr_edit: the dossier form.  Every field of core_dossier_fields() and
 * the evidence of conditions 1-9 (several lines; empty removes the
 * condition), in one column of rows that scrolls to keep the current
 * field in view.  Tab and Shift-Tab (or Down and Up) move between fields,
 * Ctrl-S or F2 saves, Esc cancels (twice when something was changed).
 *
 * Each field is tidied (tidy.c) and checked by core as it is left, with
 * the message under it.  Saving sends every changed field in one
 * core_nominee_edit() call (one new dossier version); core's error names
 * the field, and the cursor goes there.  Fields with a closed set of
 * values take a digit (the value's number) or open a picker on Space
 * (scr_pick); typing the value works too.
 *
 * The ID number comes masked from core, so its box starts empty and
 * "empty" means "keep the stored number"; the masked number is shown as
 * the field's hint.
 *
 * Saving passes the version the form was filled from (its seq) down to
 * core (core_nominee_edit_seen): if someone else changed the nominee
 * since, core refuses (CORE_ESTALE) and nothing is saved.  Ctrl-R then
 * reloads the dossier underneath the form: fields the user did not touch
 * take the new stored value, fields they typed keep what they typed, and
 * every field someone else changed says so under it; the form then holds
 * the new seq, so the next Ctrl-S saves over the version now shown.
 *
 * If the connection drops while the form is open, the changed fields are
 * kept as a draft (draft.c, edit_draft_* below).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/text.h"
#include "tui/ui.h"

/* The longest paste a field could ever take, in code points. */
#define PASTE_MAX (W_TEXT_SIZE - 1)
#define EVIDENCE_COLS 2000 /* core's rule for condition evidence */

/* The number of values of a closed set (core_field_choices). */
static size_t
field_n_choices(const char *const *v)
{
	size_t n = 0;

	while (v && v[n]) {
		n++;
	}
	return n;
}

/* The box and hint of a field, core's (core_field_describe); NULL hint
 * and 30 columns for a name core does not describe. */
static int
box_cols(const char *field, const char **hint)
{
	struct core_field_desc d;

	*hint = NULL;
	if (core_field_describe(field, &d) != 0) {
		return 30;
	}
	*hint = d.hint;
	return d.box;
}

static const char *
fval(const struct edit_field *f)
{
	return f->is_text ? f->text.buf : f->line.buf;
}

static int
fset(struct edit_field *f, const char *s)
{
	return f->is_text ? w_text_set(&f->text, s) : w_line_set(&f->line, s);
}

static int
is_id_number(const struct edit_field *f)
{
	return strcmp(f->name, "id_number") == 0;
}

/* Changed from the stored value (raw, as typed). */
static int
fchanged(const struct edit_field *f)
{
	if (f->locked) {
		return 0;
	}
	return strcmp(fval(f), f->orig) != 0;
}

static int
cond_no(const struct edit_field *f)
{
	return f->is_text ? f->name[10] - '0' : 0;
}

static void
flabel(const struct edit_field *f, char *out, size_t outsz)
{
	if (f->is_text) {
		snprintf(out, outsz, _("Condition %d"), cond_no(f));
	} else {
		snprintf(out, outsz, "%s", core_field_label(f->name));
	}
}

int
edit_load(struct ui *ui, int64_t id)
{
	static struct core_dossier d; /* big; one form at a time */
	struct edit_state *e = &ui->edit;
	const char *const *names;
	int r, k;

	if ((r = core_nominee_get(ui->c, id, &d)) != 0) {
		ui_core_error(ui, r);
		return r;
	}
	/* core decides at save time; this only spares typing in vain */
	if (!core_state_has(d.n.state, CORE_STF_EDITABLE)) {
		ui_msg(ui, 1,
		       _("nominee %lld is %s: only a dossier with its unit "
			 "(draft, pledged or returned) can be edited"),
		       (long long)id, core_state_label(d.n.state));
		return CORE_ESTATE;
	}
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->version = d.n.version;
	e->seq = d.n.seq;
	snprintf(e->name, sizeof(e->name), "%s", d.n.name);
	snprintf(e->id_masked, sizeof(e->id_masked), "%s", d.id_number);
	for (names = core_dossier_fields(); *names && e->n < EDIT_MAX - 9;
	     names++) {
		struct edit_field *f = &e->f[e->n++];

		snprintf(f->name, sizeof(f->name), "%s", *names);
		f->choices = core_field_choices(*names);
		w_line_init(&f->line, W_LINE_SIZE - 1, 400);
		snprintf(f->orig, sizeof(f->orig), "%s",
			 is_id_number(f) ? "" : core_dossier_value(&d, *names));
	}
	for (k = 1; k <= 9; k++) {
		struct edit_field *f = &e->f[e->n++];

		snprintf(f->name, sizeof(f->name), "condition.%d", k);
		f->is_text = 1;
		w_text_init(&f->text, CORE_TEXT_SIZE - 1, EVIDENCE_COLS, 1);
		snprintf(f->orig, sizeof(f->orig), "%s",
			 d.has_condition[k] ? d.condition[k] : "");
	}
	for (k = 0; k < (int)e->n; k++) {
		struct edit_field *f = &e->f[k];

		if (fset(f, f->orig) != 0) {
			/* stored text the editor refuses: leave it alone */
			f->locked = 1;
			snprintf(f->err, sizeof(f->err), "%s",
				 _("the stored value cannot be edited here; "
				   "it is kept as it is"));
		}
		if (f->is_text) {
			f->text.cur = 0;
		}
	}
	ui_warn_edit_voids_pledge(ui, d.n.state);
	return 0;
}

/* Tidies field i and lets core check it (when there is something to
 * check: an untouched field is not nagged about). */
static void
leave(struct ui *ui, int i)
{
	struct edit_field *f = &ui->edit.f[i];
	char s[W_TEXT_SIZE];

	if (f->locked) {
		return;
	}
	snprintf(s, sizeof(s), "%s", fval(f));
	core_field_tidy(f->name, s, sizeof(s));
	if (strcmp(s, fval(f)) != 0) {
		fset(f, s); /* kept as typed if it no longer fits */
	}
	f->err[0] = '\0';
	if (!fchanged(f) || (is_id_number(f) && !fval(f)[0])) {
		return;
	}
	if (core_nominee_check_field(ui->c, f->name, fval(f)) != 0) {
		const char *m = core_errmsg(ui->c);

		snprintf(f->err, sizeof(f->err), "%s",
			 m[0] ? m : _("this value is not accepted"));
	}
}

static int
go_to(struct ui *ui, int i)
{
	struct edit_state *e = &ui->edit;

	e->esc_armed = 0;
	leave(ui, e->cur);
	if (i < 0) {
		i = 0;
	}
	if (i >= (int)e->n) {
		i = (int)e->n - 1;
	}
	e->cur = i;
	return TUI_REDRAW;
}

static int
act_next(struct ui *ui)
{
	return go_to(ui, ui->edit.cur + 1);
}

static int
act_prev(struct ui *ui)
{
	return go_to(ui, ui->edit.cur - 1);
}

static int
act_pgdn(struct ui *ui)
{
	return go_to(ui, ui->edit.cur + 5);
}

static int
act_pgup(struct ui *ui)
{
	return go_to(ui, ui->edit.cur - 5);
}

static struct edit_field *
cur_field(struct ui *ui)
{
	return &ui->edit.f[ui->edit.cur];
}

static int
act_down(struct ui *ui)
{
	static const struct tui_key down = {VK_DOWN, 0};
	struct edit_field *f = cur_field(ui);

	if (f->is_text && w_text_key(&f->text, &down)) {
		return TUI_REDRAW;
	}
	return act_next(ui);
}

static int
act_up(struct ui *ui)
{
	static const struct tui_key up = {VK_UP, 0};
	struct edit_field *f = cur_field(ui);

	if (f->is_text && w_text_key(&f->text, &up)) {
		return TUI_REDRAW;
	}
	return act_prev(ui);
}

static int
act_enter(struct ui *ui)
{
	static const struct tui_key enter = {VK_ENTER, 0};
	struct edit_field *f = cur_field(ui);

	ui->edit.esc_armed = 0;
	if (f->is_text && !f->locked) {
		w_text_key(&f->text, &enter); /* a line break */
		return TUI_REDRAW;
	}
	return act_next(ui);
}

static int
open_picker(struct ui *ui)
{
	struct edit_state *e = &ui->edit;
	struct edit_field *f = cur_field(ui);
	size_t i;

	if (!f->choices || f->locked) {
		return TUI_KEEP;
	}
	e->pick.n = field_n_choices(f->choices);
	e->pick.pos.sel = 0;
	e->pick.pos.top = 0;
	for (i = 0; i < e->pick.n; i++) {
		if (strcmp(f->choices[i], fval(f)) == 0) {
			e->pick.pos.sel = i;
		}
	}
	ui_open(ui, &scr_pick);
	return TUI_REDRAW;
}

void
edit_choose(struct ui *ui, const char *value)
{
	struct edit_field *f = cur_field(ui);

	fset(f, value);
	leave(ui, ui->edit.cur);
}

static int
act_save(struct ui *ui)
{
	struct edit_state *e = &ui->edit;
	struct core_field_value vals[EDIT_MAX];
	struct core_receipt rc;
	size_t i, n = 0;
	int bad = -1, r;

	e->esc_armed = 0;
	for (i = 0; i < e->n; i++) {
		leave(ui, (int)i);
		if (e->f[i].err[0] && !e->f[i].locked && bad < 0) {
			bad = (int)i;
		}
	}
	if (bad >= 0) {
		e->cur = bad;
		ui_msg(ui, 1, "%s",
		       _("some fields are not accepted: see the messages "
			 "under them"));
		return TUI_REDRAW;
	}
	for (i = 0; i < e->n; i++) {
		const struct edit_field *f = &e->f[i];

		if (!fchanged(f) || (is_id_number(f) && !fval(f)[0])) {
			continue;
		}
		vals[n].field = f->name;
		vals[n].value = fval(f);
		n++;
	}
	if (n == 0) {
		ui_msg(ui, 0, "%s", _("Nothing changed; nothing was saved."));
		return TUI_REDRAW;
	}
	memset(&rc, 0, sizeof(rc));
	draft_save_begin(ui);
	r = core_nominee_edit_seen(ui->c, e->id, e->seq, vals, n, &rc);
	draft_save_end(ui, r);
	if (r != 0) {
		const char *field = core_errfield(ui->c);
		const char *m = core_errmsg(ui->c);

		if (r == CORE_ESTALE) {
			ui_msg(ui, 1, "%s %s", m[0] ? m : core_strerror(r),
			       ui_stale_hint(1));
			return TUI_REDRAW;
		}

		for (i = 0; i < e->n; i++) {
			if (field[0] && strcmp(field, e->f[i].name) == 0) {
				e->cur = (int)i;
				snprintf(e->f[i].err, sizeof(e->f[i].err), "%s",
					 m[0] ? m : core_strerror(r));
			}
		}
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	(void)detail_return(ui, e->id);
	ui_msg(ui, 0, _("Saved: entry #%llu, checkpoint %llu"),
	       (unsigned long long)rc.seq, (unsigned long long)rc.tree_size);
	return TUI_REDRAW;
}

/* The stored value of field f in d, as the form keeps it (orig). */
static const char *
stored_value(const struct edit_field *f, const struct core_dossier *d)
{
	int k = cond_no(f);

	if (f->is_text) {
		return d->has_condition[k] ? d->condition[k] : "";
	}
	return is_id_number(f) ? "" : core_dossier_value(d, f->name);
}

/*
 * Ctrl-R: the dossier again from core, underneath what was typed.  A
 * field the user left alone shows the new stored value; one they typed
 * keeps what they typed; each one someone else changed says so.  The
 * form takes the new version and seq: the next save is over it.
 */
static int
act_reload(struct ui *ui)
{
	static struct core_dossier d; /* big; one form at a time */
	struct edit_state *e = &ui->edit;
	static char clean[TEXT_LINE_SIZE];
	char shown[160];
	size_t i;
	int r, n_changed = 0;

	e->esc_armed = 0;
	if ((r = core_nominee_get(ui->c, e->id, &d)) != 0) {
		ui_core_error(ui, r);
		return TUI_REDRAW;
	}
	for (i = 0; i < e->n; i++) {
		struct edit_field *f = &e->f[i];
		const char *now = stored_value(f, &d);
		int typed = fchanged(f);

		f->note[0] = '\0'; /* what changed since the last load */
		if (strcmp(now, f->orig) == 0) {
			continue;
		}
		n_changed++;
		text_sanitize(now, clean, sizeof(clean));
		(void)utf8_fit(clean, 40, shown, sizeof(shown));
		if (typed) {
			snprintf(f->note, sizeof(f->note),
				 _("changed by someone else to \"%s\"; what "
				   "you typed is kept"),
				 now[0] ? shown : _("(empty)"));
		} else if (fset(f, now) == 0) {
			if (f->locked) {
				f->locked = 0;
				f->err[0] = '\0';
			}
			snprintf(f->note, sizeof(f->note), "%s",
				 _("changed by someone else; the box shows "
				   "the new value"));
		} else {
			f->locked = 1;
			snprintf(f->note, sizeof(f->note), "%s",
				 _("changed by someone else; the stored value "
				   "cannot be edited here"));
		}
		snprintf(f->orig, sizeof(f->orig), "%s", now);
	}
	e->version = d.n.version;
	e->seq = d.n.seq;
	snprintf(e->name, sizeof(e->name), "%s", d.n.name);
	snprintf(e->id_masked, sizeof(e->id_masked), "%s", d.id_number);
	if (!core_state_has(d.n.state, CORE_STF_EDITABLE)) {
		ui_msg(ui, 1,
		       _("nominee %lld is %s: only a dossier with its unit "
			 "(draft, pledged or returned) can be edited"),
		       (long long)e->id, core_state_label(d.n.state));
	} else if (n_changed > 0) {
		ui_msg(ui, 0,
		       _("Reloaded version %u: %d field(s) changed by someone "
			 "else are marked; what you typed is kept. Ctrl-S "
			 "saves."),
		       (unsigned)d.n.version, n_changed);
	} else {
		ui_msg(ui, 0,
		       _("Reloaded version %u: no field changed under the "
			 "form; what you typed is kept. Ctrl-S saves."),
		       (unsigned)d.n.version);
	}
	return TUI_REDRAW;
}

static int
edit_changed(const struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->edit.n; i++) {
		if (fchanged(&ui->edit.f[i])) {
			return 1;
		}
	}
	return 0;
}

static int
act_cancel(struct ui *ui)
{
	struct edit_state *e = &ui->edit;

	if (edit_changed(ui) && !e->esc_armed) {
		e->esc_armed = 1;
		ui_msg(ui, 1, "%s",
		       _("There are unsaved changes: Esc again discards them, "
			 "Ctrl-S saves."));
		return TUI_REDRAW;
	}
	draft_drop(ui);
	return detail_return(ui, e->id);
}

/* Text typed or pasted: all of it goes in, or none and a message. */
static int
type_text(struct ui *ui, uint32_t first)
{
	static uint32_t cps[PASTE_MAX];
	struct edit_field *f = cur_field(ui);
	size_t n, total;
	int r;

	ui->edit.esc_armed = 0;
	cps[0] = first;
	n = 1 + term_read_burst(ui, cps + 1, PASTE_MAX - 1, &total);
	total += 1;
	if (f->locked) {
		return TUI_REDRAW;
	}
	if (total > n) {
		snprintf(f->err, sizeof(f->err),
			 _("pasted text too long (%zu characters); nothing "
			   "was inserted"),
			 total);
		return TUI_REDRAW;
	}
	if (f->choices && n == 1) {
		size_t nc = field_n_choices(f->choices);

		if (cps[0] == ' ') {
			return open_picker(ui);
		}
		if (cps[0] >= '1' && cps[0] < '1' + nc) {
			edit_choose(ui, f->choices[cps[0] - '1']);
			return TUI_REDRAW;
		}
	}
	if (f->is_text) {
		r = w_text_insert(&f->text, cps, n, f->err, sizeof(f->err));
	} else {
		r = w_line_insert(&f->line, cps, n, f->err, sizeof(f->err));
	}
	if (r == 0) {
		f->err[0] = '\0';
	}
	return TUI_REDRAW;
}

static int
edit_key(struct ui *ui, const struct tui_key *k)
{
	struct edit_field *f = cur_field(ui);
	int done;

	if (k->vk == VK_CHAR) {
		return type_text(ui, k->ch);
	}
	if (f->locked) {
		return TUI_KEEP;
	}
	done = f->is_text ? w_text_key(&f->text, k) : w_line_key(&f->line, k);
	if (done) {
		ui->edit.esc_armed = 0;
	}
	return done ? TUI_REDRAW : TUI_KEEP;
}

/* ---- layout and drawing ---- */

/* Rows field i takes at the current width. */
static int
field_rows(struct ui *ui, int i, int text_cols)
{
	struct edit_field *f = &ui->edit.f[i];
	int rows = 1;

	if (f->is_text) {
		int need = w_text_rows(&f->text, text_cols);
		int lo = i == ui->edit.cur ? 2 : 1;
		int hi = i == ui->edit.cur ? 6 : 2;

		rows += need < lo ? lo : need > hi ? hi : need;
	}
	if (f->err[0] || f->note[0]) {
		rows++;
	}
	return rows;
}

static int
label_width(struct ui *ui)
{
	size_t i;
	int w = 0;

	for (i = 0; i < ui->edit.n; i++) {
		char label[64];
		int lw;

		flabel(&ui->edit.f[i], label, sizeof(label));
		lw = (int)text_width(label);
		w = lw > w ? lw : w;
	}
	return w;
}

#define INTRO_ROWS 2

static void
choice_hint(const struct edit_field *f, char *out, size_t outsz)
{
	size_t i, off;

	off = (size_t)snprintf(out, outsz, "%s", _("Space: choose;"));
	for (i = 0; f->choices[i] && off < outsz; i++) {
		off += (size_t)snprintf(out + off, outsz - off, " %zu %s",
					i + 1, f->choices[i]);
	}
}

static void
edit_draw(struct ui *ui)
{
	struct edit_state *e = &ui->edit;
	int lw = label_width(ui), lx = 4, bx = lx + lw + 2;
	/* the last body row is kept for the "more below" marker */
	int y0 = ui_body_top(ui), y1 = ui_body_bottom(ui) - 1;
	int page = y1 - y0 + 1, text_x = 6, text_cols = ui->cols - 8;
	int starts[EDIT_MAX], vy = INTRO_ROWS, i;
	char intro[CORE_NAME_SIZE + 256];

	/* where each field's rows start, then scroll to the current one */
	for (i = 0; i < (int)e->n; i++) {
		if (e->f[i].is_text && cond_no(&e->f[i]) == 1) {
			vy += 2; /* the conditions' heading */
		}
		starts[i] = vy;
		vy += field_rows(ui, i, text_cols);
	}
	{
		int s = starts[e->cur], h = field_rows(ui, e->cur, text_cols);

		if (e->cur == 0) {
			s = 0; /* show the intro with the first field */
		}
		if (s < e->top) {
			e->top = s;
		}
		if (s + h > e->top + page) {
			e->top = s + h - page;
		}
		if (e->top > vy - page) {
			e->top = vy - page > 0 ? vy - page : 0;
		}
	}
#define ROW(v) (y0 + (v) - e->top)
#define SHOWN(v) (ROW(v) >= y0 && ROW(v) <= y1)
	snprintf(intro, sizeof(intro),
		 _("Dossier of No. %lld %s. Tab: next field; Ctrl-S: save; "
		   "Esc: cancel."),
		 (long long)e->id, e->name);
	if (SHOWN(0)) {
		text_put(stdscr, ROW(0), 2, ui->cols - 3, intro, A_NORMAL);
	}
	for (i = 0; i < (int)e->n; i++) {
		struct edit_field *f = &e->f[i];
		int cur = i == e->cur, v = starts[i], y, cy = -1, cx = -1;
		attr_t la = cur ? A_BOLD : A_NORMAL;
		attr_t ba = A_UNDERLINE | (cur ? A_BOLD : A_NORMAL);
		char label[64], hint[512];
		const char *h = NULL;

		if (f->is_text && cond_no(f) == 1 && SHOWN(v - 1)) {
			text_put(stdscr, ROW(v - 1), 2, ui->cols - 4,
				 _("Conditions 1-9: the evidence for each "
				   "condition claimed (several lines; empty "
				   "removes it)"),
				 A_BOLD | A_UNDERLINE);
		}
		flabel(f, label, sizeof(label));
		if (SHOWN(v)) {
			y = ROW(v);
			text_put(stdscr, y, 2, 1, cur ? ">" : " ", A_BOLD);
			text_put(stdscr, y, lx, lw, label, la);
		}
		if (f->is_text) {
			int rows = field_rows(ui, i, text_cols) - 1 -
				   (f->err[0] || f->note[0] ? 1 : 0);
			int r0 = v + 1;

			if (SHOWN(v)) {
				text_put(stdscr, ROW(v), bx, ui->cols - bx - 2,
					 ui_condition_text(ui, cond_no(f)),
					 A_NORMAL);
			}
			/* the box is drawn whole or not at all */
			if (SHOWN(r0) && SHOWN(r0 + rows - 1)) {
				w_text_draw(&f->text, stdscr, ROW(r0), text_x,
					    rows, text_cols, ba, cur, &cy, &cx);
			}
			v = r0 + rows;
		} else {
			int box = box_cols(f->name, &h);

			if (bx + box > ui->cols - 1) {
				box = ui->cols - 1 - bx;
			}
			if (SHOWN(v)) {
				y = ROW(v);
				cx = bx + w_line_draw(&f->line, stdscr, y, bx,
						      box, ba);
				cy = y;
				hint[0] = '\0';
				if (cur && f->choices) {
					choice_hint(f, hint, sizeof(hint));
				} else if (cur && is_id_number(f) &&
					   e->id_masked[0]) {
					snprintf(hint, sizeof(hint),
						 _("stored %s; empty keeps it"),
						 e->id_masked);
				} else if (cur && h) {
					snprintf(hint, sizeof(hint), "%s", h);
				}
				if (hint[0] && bx + box + 2 < ui->cols - 1) {
					text_put(stdscr, y, bx + box + 2,
						 ui->cols - 1 - (bx + box + 2),
						 hint, A_NORMAL);
				}
				if (cur) {
					e->box_y = y;
					e->box_x = bx;
				}
			}
			v++;
		}
		if (cur && cy >= 0) {
			ui->cursor_y = cy;
			ui->cursor_x = cx;
		}
		if (f->err[0] && SHOWN(v)) {
			char line[sizeof(f->err) + 4];

			snprintf(line, sizeof(line), "! %s", f->err);
			text_put(stdscr, ROW(v), f->is_text ? text_x : bx,
				 ui->cols - 1 - (f->is_text ? text_x : bx),
				 line, ui_attr_error(ui));
		} else if (f->note[0] && SHOWN(v)) {
			char line[sizeof(f->note) + 4];

			/* marked by '*' and bold, never by colour alone */
			snprintf(line, sizeof(line), "* %s", f->note);
			text_put(stdscr, ROW(v), f->is_text ? text_x : bx,
				 ui->cols - 1 - (f->is_text ? text_x : bx),
				 line, A_BOLD);
		}
	}
	if (e->top + page < vy) {
		char more[64];

		snprintf(more, sizeof(more), _("(more: %d rows below)"),
			 vy - e->top - page);
		text_draw(stdscr, y1 + 1, ui->cols - 2 - (int)text_width(more),
			  (int)text_width(more), more, A_REVERSE);
	}
#undef ROW
#undef SHOWN
}

/* ---- drafts ---- */

int
edit_draft_changed(const struct ui *ui)
{
	return edit_changed(ui);
}

void
edit_draft_write(const struct ui *ui, struct draft_buf *b)
{
	const struct edit_state *e = &ui->edit;
	char num[32], key[40];
	size_t i;

	snprintf(num, sizeof(num), "%" PRId64, e->id);
	draft_put(b, "id", num);
	snprintf(num, sizeof(num), "%" PRIu32, e->version);
	draft_put(b, "version", num);
	draft_put(b, "cur", e->f[e->cur].name);
	for (i = 0; i < e->n; i++) {
		if (fchanged(&e->f[i])) {
			snprintf(key, sizeof(key), "f.%s", e->f[i].name);
			draft_put(b, key, fval(&e->f[i]));
		}
	}
}

void
edit_draft_apply(struct ui *ui, const char *key, const char *value)
{
	struct edit_state *e = &ui->edit;
	size_t i;

	if (strcmp(key, "version") == 0) {
		unsigned long v = strtoul(value, NULL, 10);

		if (v != e->version) {
			ui_msg(ui, 1,
			       _("The dossier changed since the draft was kept "
				 "(version %lu, now %lu): check the values "
				 "before saving."),
			       v, (unsigned long)e->version);
		}
		return;
	}
	for (i = 0; i < e->n; i++) {
		struct edit_field *f = &e->f[i];

		if (strcmp(key, "cur") == 0 && strcmp(value, f->name) == 0) {
			e->cur = (int)i;
		} else if (strncmp(key, "f.", 2) == 0 &&
			   strcmp(key + 2, f->name) == 0 && !f->locked &&
			   fset(f, value) != 0) {
			snprintf(f->err, sizeof(f->err), "%s",
				 _("the kept value could not be restored"));
		}
	}
}

static const struct tui_binding edit_keys[] = {
	{VK_TAB, 0, act_next, "Tab, Down", N_("next field"), N_("next")},
	{VK_DOWN, 0, act_down, "Down", NULL, NULL},
	{VK_CTRL, 'n', act_next, "Ctrl-N", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab, Up", N_("previous field"), NULL},
	{VK_UP, 0, act_up, "Up", NULL, NULL},
	{VK_CTRL, 'p', act_prev, "Ctrl-P", NULL, NULL},
	{VK_ENTER, 0, act_enter, "Enter",
	 N_("next field; in evidence, a new line"), NULL},
	{VK_PGDN, 0, act_pgdn, "PgDn, PgUp", N_("five fields on or back"),
	 NULL},
	{VK_PGUP, 0, act_pgup, "PgUp", NULL, NULL},
	{VK_CTRL, 's', act_save, "Ctrl-S, F2",
	 N_("save all changes as one new version"), N_("save")},
	{VK_CTRL, 'r', act_reload, "Ctrl-R",
	 N_("reload the dossier underneath (what you typed is kept)"),
	 NULL},
	{VK_F2, 0, act_save, "F2", NULL, NULL},
	{VK_ESC, 0, act_cancel, "Esc",
	 N_("cancel (asks again when something changed)"), N_("cancel")},
	{VK_CHAR, ' ', NULL, "Space",
	 N_("choose a value from the list (fields with fixed values)"),
	 N_("choose")},
	{VK_CHAR, '1', NULL, "1-9",
	 N_("take value number 1-9 (fields with fixed values)"), NULL},
	{VK_LEFT, 0, NULL, "Left, Right", N_("move in the field"), NULL},
	{VK_HOME, 0, NULL, "Home, Ctrl-A", N_("start of the field"), NULL},
	{VK_END, 0, NULL, "End, Ctrl-E", N_("end of the field"), NULL},
	{VK_BS, 0, NULL, "Backspace", N_("erase the character before the "
					 "cursor"),
	 NULL},
	{VK_DEL, 0, NULL, "Delete, Ctrl-D", N_("erase the character at the "
					       "cursor"),
	 NULL},
	{VK_CTRL, 'u', NULL, "Ctrl-U", N_("clear the field"), NULL},
	{VK_CTRL, 'k', NULL, "Ctrl-K", N_("erase to the end of the field"),
	 NULL},
	{VK_F1, 0, ui_help, "F1, Ctrl-G", N_("show the keys of this screen"),
	 N_("help")},
	{VK_CTRL, 'g', ui_help, "Ctrl-G", NULL, NULL},
	{VK_CTRL, 'l', NULL, "Ctrl-L", N_("redraw the screen"), NULL},
	{VK_NONE, 0, NULL, NULL, NULL, NULL},
};

const struct tui_screen scr_edit = {
	.title = N_("Edit dossier"),
	.enter = NULL,
	.draw = edit_draw,
	.key = edit_key,
	.keys = edit_keys,
};
