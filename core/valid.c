/*
 * Field validators.  Each names the field and the rule in the message, so
 * the TUI can show it beside the field and the CLI can print it as is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

/* Labels of fields outside the dossier table (core/fields.c has those). */
static const struct {
	const char *field, *label;
} other_labels[] = {
	{"unit", N_("Unit")},         {"login", N_("Login")},
	{"role", N_("Role")},         {"lang", N_("Language")},
	{"password", N_("Password")}, {"reason", N_("Reason")},
	{"until", N_("Until")},
};

static const char *
field_label(const char *field)
{
	for (size_t i = 0; i < sizeof(other_labels) / sizeof(other_labels[0]);
	     i++) {
		if (strcmp(other_labels[i].field, field) == 0) {
			return _(other_labels[i].label);
		}
	}
	return core_field_label(field);
}

int
valid_login(struct core *c, const char *field, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 32 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
					  "0123456789._-") != n) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: must be 1 to 32 characters of a-z, "
				  "0-9, '.', '_' or '-'"),
				field_label(field));
	}
	return 0;
}

int
valid_text(struct core *c, const char *field, const char *s,
	   size_t max_cols, int multiline)
{
	char why[160];

	if (!s || *s == '\0') {
		return core_err(c, CORE_EINVAL, field, _("%s: is required"),
				field_label(field));
	}
	if (utf8_check(s, multiline ? UTF8_MULTI : UTF8_LINE, 0, why,
		       sizeof(why)) != 0) {
		return core_err(c, CORE_EINVAL, field, _("%s: %s"),
				field_label(field), why);
	}
	if (utf8_width(s) > max_cols) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: at most %zu columns (a Chinese "
				  "character takes 2)"),
				field_label(field), max_cols);
	}
	return 0;
}

int
valid_gender(struct core *c, const char *field, const char *s)
{
	if (s && (strcmp(s, "男") == 0 || strcmp(s, "女") == 0)) {
		return 0;
	}
	return core_err(c, CORE_EINVAL, field, _("%s: must be 男 or 女"),
			field_label(field));
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		return 29;
	}
	return d[m - 1];
}

int
valid_birth_date(struct core *c, const char *field, const char *s)
{
	char full[16];

	if (s && strlen(s) == 7 && s[4] == '-' &&
	    strspn(s, "0123456789-") == 7) {
		snprintf(full, sizeof(full), "%s-01", s);
		return valid_date(c, field, full);
	}
	return valid_date(c, field, s);
}

int
valid_date(struct core *c, const char *field, const char *s)
{
	time_t now;
	struct tm tm;
	char today[16];
	int r;

	if ((r = valid_calendar_date(c, field, s)) != 0) {
		return r;
	}
	now = (time_t)(core_now_ms(c) / 1000);
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (strcmp(s, today) > 0) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: %s is in the future"),
				field_label(field), s);
	}
	return 0;
}

int
valid_calendar_date(struct core *c, const char *field, const char *s)
{
	int y, m, d;
	char tail;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    strspn(s, "0123456789-") != 10) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: must be a date written YYYY-MM-DD"),
				field_label(field));
	}
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: %s is not a calendar date"),
				field_label(field), s);
	}
	if (y < 1900) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: must be after 1900"), field_label(field));
	}
	return 0;
}
