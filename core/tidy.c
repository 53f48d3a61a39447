/*
 * tidy: what every way in (the forms, the CLI, the importer) does to a
 * typed value before core checks it, so the usual ways of typing a value
 * are accepted the same everywhere: Unicode NFC and the look-alike middle
 * dots, spaces (ASCII and ideographic) trimmed, gender as 1/2, m/f or
 * male/female (GB/T 2261.1 codes 1 and 2), dates with full-width digits,
 * '/', '.', 年月日 or as 8 digits (6 for a month), ID and phone numbers
 * with full-width digits, a lower-case x and spaces, and the short names
 * of title levels and prior titles.  The checks decide what is valid;
 * nothing here accepts a value they would refuse: a value tidy cannot
 * read is left as typed, for the check to name the rule.
 */
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/utf8.h"

#define TIDY_SIZE 8192

static int
is_space_at(const char *s, size_t i, size_t len, int lf)
{
	if (s[i] == ' ' || (lf && s[i] == '\n')) {
		return 1;
	}
	return i + 3 <= len && strncmp(s + i, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* Drops leading and trailing spaces (and LFs when lf), in place. */
static void
trim(char *s, int lf)
{
	size_t len = strlen(s), a = 0;
	int k;

	for (;;) {
		char last = len >= 1 ? s[len - 1] : '\0';

		if (len >= 1 && (last == ' ' || (lf && last == '\n'))) {
			len--;
		} else if (len >= 3 &&
			   strncmp(s + len - 3, "\xE3\x80\x80", 3) == 0) {
			len -= 3;
		} else {
			break;
		}
	}
	s[len] = '\0';
	while (a < len && (k = is_space_at(s, a, len, lf)) > 0) {
		a += (size_t)k;
	}
	memmove(s, s + a, len - a + 1);
}

static void
tidy_gender(char *s, size_t size)
{
	static const char *const male[] = {"1", "m", "M", "male", "Male",
					   "MALE"};
	static const char *const female[] = {"2", "f", "F", "female",
					     "Female", "FEMALE"};

	for (size_t i = 0; i < sizeof(male) / sizeof(male[0]); i++) {
		if (strcmp(s, male[i]) == 0) {
			snprintf(s, size, "%s", "男");
			return;
		}
		if (strcmp(s, female[i]) == 0) {
			snprintf(s, size, "%s", "女");
			return;
		}
	}
}

/* Full-width digits and letters folded; x upper-cased; spaces dropped
 * where the grammar has none (phone numbers). */
static void
tidy_number(char *s, size_t size, int upper_x, int drop_spaces)
{
	char tmp[TIDY_SIZE], *w = tmp;

	if (utf8_fold_width(s, tmp, sizeof(tmp)) != 0) {
		return;
	}
	for (char *p = tmp; *p; p++) {
		if (drop_spaces && *p == ' ') {
			continue;
		}
		*w++ = upper_x && *p == 'x' ? 'X' : *p;
	}
	*w = '\0';
	snprintf(s, size, "%s", tmp);
}

static void
tidy_date(char *s, size_t size)
{
	char tmp[TIDY_SIZE], out[16];

	if (utf8_fold_width(s, tmp, sizeof(tmp)) == 0 &&
	    core_date_parse(tmp, out, sizeof(out)) == 0) {
		snprintf(s, size, "%s", out);
	}
}

static int
is_date_field(const char *field)
{
	size_t n = strlen(field);

	return strcmp(field, "from") == 0 || strcmp(field, "to") == 0 ||
	       (n > 5 && strcmp(field + n - 5, "_date") == 0);
}

void
core_field_tidy(const char *field, char *s, size_t size)
{
	char n[TIDY_SIZE];
	enum core_title_level l;
	enum core_prior_leader p;
	const char *name;

	if (size == 0 || utf8_normalize(s, n, sizeof(n)) != 0) {
		return; /* not UTF-8, or too long: the check says which */
	}
	snprintf(s, size, "%s", n);
	trim(s, strncmp(field, "condition.", 10) == 0);
	if (strcmp(field, "gender") == 0) {
		tidy_gender(s, size);
	} else if (is_date_field(field)) {
		tidy_date(s, size);
	} else if (strcmp(field, "id_number") == 0) {
		tidy_number(s, size, 1, 0);
	} else if (strcmp(field, "phone") == 0) {
		tidy_number(s, size, 0, 1);
	} else if (strcmp(field, "title_level") == 0) {
		if (core_title_level_parse(s, &l) == 0 &&
		    (name = core_title_level_name(l)) != NULL) {
			snprintf(s, size, "%s", name);
		}
	} else if (strcmp(field, "prior_leader") == 0) {
		if (core_prior_leader_parse(s, &p) == 0) {
			snprintf(s, size, "%s",
				 p == CORE_PRIOR_NONE	  ? "无"
				 : p == CORE_PRIOR_PROVINCE ? "省级"
							    : "市级");
		}
	}
}

static int
digits(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (**p >= '0' && **p <= '9' && n < max) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min && !(**p >= '0' && **p <= '9') ? 0 : -1;
}

static int
skip(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0) {
		return -1;
	}
	*p += n;
	return 0;
}

/* After the year: 年M月[D日|号] or SEP M [SEP D [time]]; 0 or -1. */
static int
date_rest(const char *p, int *m, int *d, int *month_only)
{
	char sep;

	if (skip(&p, "年") == 0) {
		if (digits(&p, 1, 2, m) != 0 || skip(&p, "月") != 0) {
			return -1;
		}
		if (!*p) {
			*month_only = 1;
			return 0;
		}
		if (digits(&p, 1, 2, d) != 0 ||
		    (skip(&p, "日") != 0 && skip(&p, "号") != 0 && *p)) {
			return -1;
		}
		return *p ? -1 : 0;
	}
	sep = *p;
	if (!sep || !strchr("-/.", sep)) {
		return -1;
	}
	p++;
	if (digits(&p, 1, 2, m) != 0) {
		return -1;
	}
	if (!*p) {
		*month_only = 1;
		return 0;
	}
	if (*p != sep || (p++, digits(&p, 1, 2, d)) != 0) {
		return -1;
	}
	/* a time after a full date ("1975-03-02 00:00:00") is dropped */
	if (*p && ((*p != ' ' && *p != 'T') ||
		   strspn(p + 1, "0123456789:.") != strlen(p + 1))) {
		return -1;
	}
	return 0;
}

int
core_date_parse(const char *s, char *out, size_t outsz)
{
	const char *p = s;
	size_t n = strlen(s);
	int y, m = 0, d = 0, month_only = 0;

	if ((n == 8 || n == 6) && strspn(s, "0123456789") == n) {
		month_only = n == 6;
		if (sscanf(s, "%4d%2d%2d", &y, &m, &d) != 3 - month_only) {
			return -1;
		}
	} else if (digits(&p, 4, 4, &y) != 0 ||
		   date_rest(p, &m, &d, &month_only) != 0) {
		return -1;
	}
	if (m < 1 || m > 12 || (!month_only && (d < 1 || d > 31))) {
		return -1;
	}
	if (month_only) {
		snprintf(out, outsz, "%04d-%02d", y, m);
	} else {
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	}
	return 0;
}
