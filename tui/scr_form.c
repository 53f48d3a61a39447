/*
 * scr_form: add a nominee.  Four fields in a fixed order; Enter, Tab or
 * Down go to the next, Up or Shift-Tab to the previous, Enter on the last
 * field (or Ctrl-S, F2 anywhere) saves, Esc leaves without asking.
 *
 * Each field is checked by core as the user leaves it and the message is
 * shown under it; saving is core_nominee_add(), whose error names the
 * field the cursor then goes to.  The receipt (log entry, checkpoint) is
 * shown on the list screen after a save.
 *
 * Conveniences (tidy.c) are applied as a field is left: NFC, spaces
 * trimmed, gender typed as 1/m or 2/f, dates typed in the usual ways.
 *
 * If the connection drops while the form is open, what was typed is kept
 * as a draft (draft.c; form_draft_* below) and offered at the next login;
 * saving or Esc drops it.
 */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

/* The fields an add asks for; their labels, hints and boxes are core's
 * (core_field_describe), as the edit form's are.  Room for what may be
 * typed before tidying: a date with full-width digits, a gender word. */
static const struct {
	const char *name; /* core's field name */
	size_t max_len;   /* bytes */
	size_t max_cols;
} fields[FORM_N] = {
	[FORM_NAME] = {"name", CORE_NAME_SIZE - 1, 64},
	[FORM_GENDER] = {"gender", 16, 8},
	[FORM_BIRTH] = {"birth_date", 48, 24},
	[FORM_TITLE] = {"title", CORE_TEXT_SIZE - 1, 200},
};

static struct core_field_desc
form_desc(int i)
{
	struct core_field_desc d = {fields[i].name, fields[i].name, NULL, 30,
				    0, 0, NULL};

	(void)core_field_describe(fields[i].name, &d);
	return d;
}

/* The longest paste a field could ever take, in code points. */
#define PASTE_MAX (CORE_TEXT_SIZE - 1)

static void
form_enter(struct ui *ui)
{
	struct form_state *f = &ui->form;
	int i;

	for (i = 0; i < FORM_N; i++) {
		w_line_init(&f->field[i], fields[i].max_len,
			    fields[i].max_cols);
		f->err[i][0] = '\0';
	}
	f->cur = FORM_NAME;
}

/* Applies the conveniences of tidy.c to field i's text. */
static void
tidy(struct ui *ui, int i)
{
	struct w_line *l = &ui->form.field[i];
	char s[W_LINE_SIZE];

	snprintf(s, sizeof(s), "%s", l->buf);
	core_field_tidy(fields[i].name, s, sizeof(s));
	if (strcmp(s, l->buf) != 0) {
		w_line_set(l, s); /* kept as typed if it no longer fits */
	}
}

/* Leaving field i: tidy it and let core check it. */
static void
leave(struct ui *ui, int i)
{
	struct form_state *f = &ui->form;

	tidy(ui, i);
	f->err[i][0] = '\0';
	if (core_nominee_check_field(ui->c, fields[i].name,
				     f->field[i].buf) != 0) {
		const char *m = core_errmsg(ui->c);

		snprintf(f->err[i], sizeof(f->err[i]), "%s",
			 m[0] ? m : _("this value is not accepted"));
	}
}

static int
act_next(struct ui *ui)
{
	leave(ui, ui->form.cur);
	ui->form.cur = (ui->form.cur + 1) % FORM_N;
	return TUI_REDRAW;
}

static int
act_prev(struct ui *ui)
{
	leave(ui, ui->form.cur);
	ui->form.cur = (ui->form.cur + FORM_N - 1) % FORM_N;
	return TUI_REDRAW;
}

static int
act_save(struct ui *ui)
{
	struct form_state *f = &ui->form;
	struct core_nominee_new n;
	struct core_receipt rc;
	int64_t id = 0;
	int i, r;

	for (i = 0; i < FORM_N; i++) {
		tidy(ui, i);
	}
	memset(&n, 0, sizeof(n));
	memset(&rc, 0, sizeof(rc));
	n.name = f->field[FORM_NAME].buf;
	n.gender = f->field[FORM_GENDER].buf;
	n.birth_date = f->field[FORM_BIRTH].buf;
	n.title = f->field[FORM_TITLE].buf;
	n.unit = NULL; /* the actor's unit */
	draft_save_begin(ui);
	r = core_nominee_add(ui->c, &n, &id, &rc);
	draft_save_end(ui, r);
	if (r != 0) {
		const char *m = core_errmsg(ui->c);
		const char *field = core_errfield(ui->c);

		if (!m[0]) {
			m = core_strerror(r);
		}
		ui_msg(ui, 1, "%s", m);
		for (i = 0; i < FORM_N; i++) {
			if (strcmp(field, fields[i].name) == 0) {
				f->cur = i;
				snprintf(f->err[i], sizeof(f->err[i]), "%s", m);
			}
		}
		return TUI_REDRAW;
	}
	ui_msg(ui, 0, _("Saved: entry #%llu, checkpoint %llu"),
	       (unsigned long long)rc.seq, (unsigned long long)rc.tree_size);
	ui->list.select_id = id;
	ui_open(ui, &scr_list); /* the form gives its place to the list */
	return TUI_REDRAW;
}

static int
act_enter(struct ui *ui)
{
	if (ui->form.cur == FORM_N - 1) {
		return act_save(ui);
	}
	return act_next(ui);
}

static int
act_cancel(struct ui *ui)
{
	draft_drop(ui);
	ui_back(ui);
	return TUI_REDRAW;
}

/* Text typed or pasted: all of it goes in, or none and a message. */
static int
type_text(struct ui *ui, uint32_t first)
{
	static uint32_t cps[PASTE_MAX];
	struct form_state *f = &ui->form;
	struct w_line *l = &f->field[f->cur];
	size_t n, total;

	cps[0] = first;
	n = 1 + term_read_burst(ui, cps + 1, PASTE_MAX - 1, &total);
	total += 1;
	if (total > n) {
		snprintf(f->err[f->cur], sizeof(f->err[f->cur]),
			 _("pasted text too long (%zu characters); nothing "
			   "was inserted"),
			 total);
		return TUI_REDRAW;
	}
	if (f->cur == FORM_GENDER && l->len == 0 && n == 1) {
		uint32_t c = cps[0];

		if (c == '1' || c == 'm' || c == 'M') {
			cps[0] = 0x7537; /* 男 */
		} else if (c == '2' || c == 'f' || c == 'F') {
			cps[0] = 0x5973; /* 女 */
		}
	}
	if (w_line_insert(l, cps, n, f->err[f->cur],
			  sizeof(f->err[f->cur])) == 0) {
		f->err[f->cur][0] = '\0';
	}
	return TUI_REDRAW;
}

static int
form_key(struct ui *ui, const struct tui_key *k)
{
	struct form_state *f = &ui->form;

	if (k->vk == VK_CHAR) {
		return type_text(ui, k->ch);
	}
	if (w_line_key(&f->field[f->cur], k)) {
		return TUI_REDRAW;
	}
	return TUI_KEEP;
}

static int
label_width(void)
{
	int i, w = 0;

	for (i = 0; i < FORM_N; i++) {
		int lw = (int)text_width(form_desc(i).label);

		w = lw > w ? lw : w;
	}
	return w;
}

static void
form_draw(struct ui *ui)
{
	struct form_state *f = &ui->form;
	int lx = 4, lw = label_width(), bx, i;
	int y = ui_body_top(ui) + 1;

	text_put(stdscr, y, 2, ui->cols - 3,
		 _("New nominee for your unit. Enter moves on; on the last "
		   "field it saves."),
		 A_NORMAL);
	y += 2;
	bx = lx + lw + 2;
	for (i = 0; i < FORM_N; i++, y += 3) {
		struct core_field_desc fd = form_desc(i);
		int cur = i == f->cur, box = fd.box, cx;
		attr_t la = cur ? A_BOLD : A_NORMAL;
		attr_t ba = A_UNDERLINE | (cur ? A_BOLD : A_NORMAL);

		if (bx + box > ui->cols - 1) {
			box = ui->cols - 1 - bx;
		}
		text_put(stdscr, y, 2, 1, cur ? ">" : " ", A_BOLD);
		text_put(stdscr, y, lx, lw, fd.label, la);
		cx = w_line_draw(&f->field[i], stdscr, y, bx, box, ba);
		if (cur) {
			ui->cursor_y = y;
			ui->cursor_x = bx + cx;
		}
		if (fd.hint && bx + box + 2 < ui->cols - 1) {
			text_put(stdscr, y, bx + box + 2,
				 ui->cols - 1 - (bx + box + 2),
				 fd.hint, A_NORMAL);
		}
		if (f->err[i][0]) {
			char line[sizeof(f->err[i]) + 4];

			snprintf(line, sizeof(line), "! %s", f->err[i]);
			text_put(stdscr, y + 1, bx, ui->cols - 1 - bx, line,
				 ui_attr_error(ui));
		}
	}
}

int
form_draft_changed(const struct ui *ui)
{
	int i;

	for (i = 0; i < FORM_N; i++) {
		if (ui->form.field[i].len > 0) {
			return 1;
		}
	}
	return 0;
}

void
form_draft_write(const struct ui *ui, struct draft_buf *b)
{
	char key[40];
	int i;

	draft_put(b, "cur", fields[ui->form.cur].name);
	for (i = 0; i < FORM_N; i++) {
		if (ui->form.field[i].len > 0) {
			snprintf(key, sizeof(key), "f.%s", fields[i].name);
			draft_put(b, key, ui->form.field[i].buf);
		}
	}
}

void
form_draft_apply(struct ui *ui, const char *key, const char *value)
{
	struct form_state *f = &ui->form;
	int i;

	for (i = 0; i < FORM_N; i++) {
		if (strcmp(key, "cur") == 0 &&
		    strcmp(value, fields[i].name) == 0) {
			f->cur = i;
		} else if (strncmp(key, "f.", 2) == 0 &&
			   strcmp(key + 2, fields[i].name) == 0 &&
			   w_line_set(&f->field[i], value) != 0) {
			snprintf(f->err[i], sizeof(f->err[i]), "%s",
				 _("the kept value could not be restored"));
		}
	}
}

static const struct tui_binding form_keys[] = {
	{VK_ENTER, 0, act_enter, "Enter",
	 N_("next field; on the last field, save"), N_("next/save")},
	{VK_TAB, 0, act_next, "Tab, Down", N_("next field"), NULL},
	{VK_DOWN, 0, act_next, "Down", NULL, NULL},
	{VK_BTAB, 0, act_prev, "Shift-Tab, Up", N_("previous field"), NULL},
	{VK_UP, 0, act_prev, "Up", NULL, NULL},
	{VK_CTRL, 's', act_save, "Ctrl-S, F2", N_("save from any field"),
	 N_("save")},
	{VK_F2, 0, act_save, "F2", NULL, NULL},
	{VK_ESC, 0, act_cancel, "Esc", N_("cancel and go back (nothing is "
					  "saved)"),
	 N_("cancel")},
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

const struct tui_screen scr_form = {
	.title = N_("Add nominee"),
	.enter = form_enter,
	.draw = form_draw,
	.key = form_key,
	.keys = form_keys,
	.transient = 1,
};
