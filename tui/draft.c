/*
 * draft: the open form kept when the connection drops (SIGHUP), the server
 * stops the session or the idle logout comes, and offered again at the
 * user's next login.  core/draft.c stores it (one per user, audited);
 * this file decides what goes in it.
 *
 * A draft body is lines "key=value\n":
 *   v=1              the format
 *   saved=MS         when it was kept (core's clock, ms since the epoch)
 *   cur=FIELD        the field the cursor was in
 *   id=N version=N   (edit form) the nominee, and the dossier version the
 *                    form was filled from
 *   f.FIELD=VALUE    a field's value as typed (only changed fields of the
 *                    edit form; every non-empty field of the add form)
 * Values are escaped: "\\" a backslash, "\n" LF, "\r" CR, "\t" TAB and
 * "\xHH" any other byte below 0x20 and DEL; other bytes (UTF-8) as they
 * are, so a body is one line per key whatever was typed.  Unknown keys
 * are ignored when resuming, so an older body still loads.
 *
 * Invariant: draft_keep() never touches the terminal (it runs after a
 * hang-up, within the ~5 s the SSH server allows before SIGKILL).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/text.h"
#include "tui/ui.h"

static void
buf_add(struct draft_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (b->len + n + 1 > cap) {
			cap *= 2;
		}
		if (!(p = realloc(b->p, cap))) {
			term_fatal("out of memory");
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
draft_put(struct draft_buf *b, const char *key, const char *value)
{
	const unsigned char *v = (const unsigned char *)value;

	buf_add(b, key, strlen(key));
	buf_add(b, "=", 1);
	for (; *v; v++) {
		char esc[8];

		if (*v == '\\') {
			buf_add(b, "\\\\", 2);
		} else if (*v == '\n') {
			buf_add(b, "\\n", 2);
		} else if (*v == '\r') {
			buf_add(b, "\\r", 2);
		} else if (*v == '\t') {
			buf_add(b, "\\t", 2);
		} else if (*v < 0x20 || *v == 0x7F) {
			snprintf(esc, sizeof(esc), "\\x%02X", *v);
			buf_add(b, esc, 4);
		} else {
			buf_add(b, (const char *)v, 1);
		}
	}
	buf_add(b, "\n", 1);
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	if (ch >= 'A' && ch <= 'F') {
		return ch - 'A' + 10;
	}
	if (ch >= 'a' && ch <= 'f') {
		return ch - 'a' + 10;
	}
	return -1;
}

/* Unescapes s[0..n) into out (room for n + 1). */
static void
unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			out[o++] = s[i];
			continue;
		}
		i++;
		if (s[i] == 'n') {
			out[o++] = '\n';
		} else if (s[i] == 'r') {
			out[o++] = '\r';
		} else if (s[i] == 't') {
			out[o++] = '\t';
		} else if (s[i] == 'x' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
			   hexval(s[i + 2]) >= 0) {
			int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);

			out[o++] = v ? (char)v : '?';
			i += 2;
		} else {
			out[o++] = s[i]; /* "\\" and unknown escapes */
		}
	}
	out[o] = '\0';
}

int
draft_parse(const char *text,
	    int (*cb)(void *ctx, const char *key, const char *value),
	    void *ctx)
{
	const char *p = text;
	int r = 0;

	while (p && *p && r == 0) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', n);

		if (eq && eq > p && eq - p < 40) {
			char key[40];
			char *val = malloc(n + 1);

			if (!val) {
				term_fatal("out of memory");
			}
			memcpy(key, p, (size_t)(eq - p));
			key[eq - p] = '\0';
			unescape(eq + 1, n - (size_t)(eq - p) - 1, val);
			r = cb(ctx, key, val);
			free(val);
		}
		p = nl ? nl + 1 : NULL;
	}
	return r;
}

const char *
draft_form_open(const struct ui *ui)
{
	if (ui->cur == &scr_form) {
		return "add";
	}
	if (ui->cur == &scr_edit || ui->cur == &scr_pick) {
		return "edit";
	}
	return NULL;
}

void
draft_keep(struct ui *ui)
{
	const char *form = draft_form_open(ui);
	struct draft_buf b = {NULL, 0, 0};
	char num[32];

	if (!form) {
		return;
	}
	if (strcmp(form, "add") == 0 ? !form_draft_changed(ui)
				     : !edit_draft_changed(ui)) {
		return;
	}
	draft_put(&b, "v", "1");
	snprintf(num, sizeof(num), "%" PRId64, core_now_ms(ui->c));
	draft_put(&b, "saved", num);
	if (strcmp(form, "add") == 0) {
		form_draft_write(ui, &b);
	} else {
		edit_draft_write(ui, &b);
	}
	/* nobody to tell if this fails: the terminal may be gone */
	if (core_draft_save(ui->c, form, b.p) == 0) {
		ui->draft_exists = 1;
	}
	free(b.p);
}

void
draft_save_begin(struct ui *ui)
{
	core_draft_drop_with_next_write(ui->c, ui->draft_exists);
}

void
draft_save_end(struct ui *ui, int r)
{
	core_draft_drop_with_next_write(ui->c, 0);
	if (r == 0) {
		ui->draft_exists = 0;
	}
}

void
draft_drop(struct ui *ui)
{
	if (ui->draft_exists && core_draft_clear(ui->c) == 0) {
		ui->draft_exists = 0;
	}
}

struct offer_scan {
	char name[CORE_NAME_SIZE];
	int64_t id;
	int64_t saved;
};

static int
offer_key(void *ctx, const char *key, const char *value)
{
	struct offer_scan *o = ctx;

	if (strcmp(key, "f.name") == 0) {
		snprintf(o->name, sizeof(o->name), "%s", value);
	} else if (strcmp(key, "id") == 0) {
		o->id = strtoll(value, NULL, 10);
	} else if (strcmp(key, "saved") == 0) {
		o->saved = strtoll(value, NULL, 10);
	}
	return 0;
}

static const struct tui_screen *const resume_path[] = {&scr_resume};
/* Where a resumed form stands: where it is opened from in a session,
 * so that saving or leaving it goes on as it would there. */
static const struct tui_screen *const edit_path[] = {
	&scr_home, &scr_list, &scr_detail, &scr_edit};
static const struct tui_screen *const form_path[] = {&scr_home, &scr_form};

int
draft_offer(struct ui *ui)
{
	struct resume_state *rs = &ui->resume;
	struct offer_scan o;
	char when[64], what[512];

	free(rs->text);
	rs->text = NULL;
	if (core_draft_load(ui->c, rs->form, sizeof(rs->form), &rs->text) !=
	    0) {
		return 0;
	}
	ui->draft_exists = 1;
	memset(&o, 0, sizeof(o));
	draft_parse(rs->text, offer_key, &o);
	if (strcmp(rs->form, "edit") == 0) {
		struct core_dossier *d = calloc(1, sizeof(*d));

		if (!d) {
			term_fatal("out of memory");
		}
		/* the name as it is now, if the nominee is still visible */
		if (core_nominee_get(ui->c, o.id, d) == 0) {
			snprintf(o.name, sizeof(o.name), "%s", d->n.name);
		}
		free(d);
		snprintf(what, sizeof(what), _("Edit the dossier of nominee "
					       "%lld %s"),
			 (long long)o.id, o.name);
	} else {
		snprintf(what, sizeof(what), "%s %s", _("Add nominee"),
			 o.name);
	}
	ui_time_label(o.saved, when, sizeof(when));
	snprintf(rs->what, sizeof(rs->what), _("%s (kept at %s)"), what,
		 when);
	ui_root(ui, resume_path, 1);
	return 1;
}

struct resume_apply {
	struct ui *ui;
	int edit;
};

static int
apply_key(void *ctx, const char *key, const char *value)
{
	struct resume_apply *a = ctx;

	if (a->edit) {
		edit_draft_apply(a->ui, key, value);
	} else {
		form_draft_apply(a->ui, key, value);
	}
	return 0;
}

static int
id_key(void *ctx, const char *key, const char *value)
{
	if (strcmp(key, "id") == 0) {
		*(int64_t *)ctx = strtoll(value, NULL, 10);
	}
	return 0;
}

int
draft_resume(struct ui *ui)
{
	struct resume_state *rs = &ui->resume;
	struct resume_apply a = {ui, 0};

	if (!rs->text) {
		ui_home(ui);
		return TUI_REDRAW;
	}
	if (strcmp(rs->form, "edit") == 0) {
		int64_t id = 0;
		int r;

		draft_parse(rs->text, id_key, &id);
		if ((r = edit_load(ui, id)) != 0) {
			/* gone, out of scope or no longer editable: it can
			 * never be resumed, so it goes, and we say why */
			char why[sizeof(ui->msg)];

			snprintf(why, sizeof(why), "%s", ui->msg);
			draft_drop(ui);
			free(rs->text);
			rs->text = NULL;
			ui_home(ui);
			ui_msg(ui, 1, "%s %s",
			       _("The draft could not be resumed and was "
				 "dropped:"),
			       why);
			return TUI_REDRAW;
		}
		a.edit = 1;
		ui_root(ui, edit_path, 4);
	} else {
		ui_root(ui, form_path, 2);
	}
	draft_parse(rs->text, apply_key, &a);
	free(rs->text);
	rs->text = NULL;
	if (!ui->msg_err) {
		ui_msg(ui, 0, "%s",
		       _("Draft restored: check the values, then save."));
	}
	return TUI_REDRAW;
}
