/*
 * tidy: what the forms do to a typed value as its field is left, so that
 * the usual ways of typing a value are accepted before core checks it:
 * Unicode NFC and the look-alike middle dots (utf8_normalize), spaces
 * (ASCII and ideographic) trimmed, gender as 1/m or 2/f, dates with
 * full-width digits, '/' or '.', or as 8 (6 for a month) digits, ID and
 * phone numbers with full-width digits and a lower-case x, and the short
 * names of title levels.  core decides what is valid; nothing here
 * accepts a value core would refuse.
 *
 * Also the closed sets of values of the dossier fields, as core/fields.c
 * checks them, for the pickers.
 */
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tui/ui.h"

static const char *const gender_v[] = {"男", "女", NULL};
static const char *const degree_v[] = {"博士", "硕士", "学士", "无", NULL};
static const char *const level_v[] = {"正高级", "副高级", "中级", "初级",
				      NULL};
static const char *const system_v[] = {"教育", "卫生", "农林水", "工业",
				       "社科", "其他", NULL};
static const char *const channel_v[] = {"单位推荐", "行业学术团体举荐",
					"同行专家举荐", "个人自荐", NULL};
static const char *const prior_v[] = {"无", "省级", "市级", NULL};
static const char *const category_v[] = {"基层专项", "非公专项",
					 "开发区专项", "综合", "另行推荐",
					 NULL};

static const struct {
	const char *field;
	const char *const *values;
} choices[] = {
	{"gender", gender_v},	  {"degree", degree_v},
	{"title_level", level_v}, {"system", system_v},
	{"channel", channel_v},	  {"prior_leader", prior_v},
	{"quota_category", category_v},
};

const char *const *
field_choices(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (strcmp(choices[i].field, field) == 0) {
			return choices[i].values;
		}
	}
	return NULL;
}

size_t
field_n_choices(const char *const *v)
{
	size_t n = 0;

	while (v && v[n]) {
		n++;
	}
	return n;
}

static int
is_space_at(const char *s, size_t i, size_t len, int lf)
{
	static const char ideo[] = "\xE3\x80\x80"; /* U+3000 */

	if (s[i] == ' ' || (lf && s[i] == '\n')) {
		return 1;
	}
	return i + 3 <= len && strncmp(s + i, ideo, 3) == 0 ? 3 : 0;
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
	static const char *const male[] = {"1", "m", "M", "male", "Male"};
	static const char *const female[] = {"2", "f", "F", "female", "Female"};
	size_t i;

	for (i = 0; i < sizeof(male) / sizeof(male[0]); i++) {
		if (strcmp(s, male[i]) == 0) {
			snprintf(s, size, "%s", "男");
		} else if (strcmp(s, female[i]) == 0) {
			snprintf(s, size, "%s", "女");
		}
	}
}

static void
tidy_date(char *s, size_t size, int month_ok)
{
	char tmp[W_TEXT_SIZE];
	size_t i, len, a, b, c;

	if (utf8_fold_width(s, tmp, sizeof(tmp)) != 0) {
		return;
	}
	len = strlen(tmp);
	for (i = 0; i < len; i++) {
		if (tmp[i] == '/' || tmp[i] == '.') {
			tmp[i] = '-';
		}
	}
	if (len == 8 && strspn(tmp, "0123456789") == 8) {
		snprintf(s, size, "%.4s-%.2s-%.2s", tmp, tmp + 4, tmp + 6);
		return;
	}
	if (month_ok && len == 6 && strspn(tmp, "0123456789") == 6) {
		snprintf(s, size, "%.4s-%.2s", tmp, tmp + 4);
		return;
	}
	/* 1975-3-2 -> 1975-03-02, and 1975-3 -> 1975-03 */
	a = strspn(tmp, "0123456789");
	b = a == 4 && tmp[4] == '-' ? strspn(tmp + 5, "0123456789") : 0;
	if (month_ok && b >= 1 && b <= 2 && tmp[5 + b] == '\0') {
		snprintf(s, size, "%.4s-%s%.*s", tmp, b == 1 ? "0" : "", (int)b,
			 tmp + 5);
		return;
	}
	c = b >= 1 && b <= 2 && tmp[5 + b] == '-'
		    ? strspn(tmp + 6 + b, "0123456789")
		    : 0;
	if (c >= 1 && c <= 2 && tmp[6 + b + c] == '\0') {
		snprintf(s, size, "%.4s-%s%.*s-%s%.*s", tmp, b == 1 ? "0" : "",
			 (int)b, tmp + 5, c == 1 ? "0" : "", (int)c,
			 tmp + 6 + b);
		return;
	}
	snprintf(s, size, "%s", tmp);
}

/* ASCII grammar fields: full-width digits folded, x upper-cased. */
static void
tidy_number(char *s, size_t size, int upper_x)
{
	char tmp[W_TEXT_SIZE];
	size_t i;

	if (utf8_fold_width(s, tmp, sizeof(tmp)) != 0) {
		return;
	}
	for (i = 0; upper_x && tmp[i]; i++) {
		if (tmp[i] == 'x') {
			tmp[i] = 'X';
		}
	}
	snprintf(s, size, "%s", tmp);
}

void
tidy_value(const char *field, char *s, size_t size)
{
	char n[W_TEXT_SIZE];
	int multi = strncmp(field, "condition.", 10) == 0;

	if (utf8_normalize(s, n, sizeof(n)) != 0) {
		return;
	}
	snprintf(s, size, "%s", n);
	trim(s, multi);
	if (strcmp(field, "gender") == 0) {
		tidy_gender(s, size);
	} else if (strcmp(field, "birth_date") == 0) {
		tidy_date(s, size, 1);
	} else if (strcmp(field, "title_date") == 0) {
		tidy_date(s, size, 0);
	} else if (strcmp(field, "id_number") == 0) {
		tidy_number(s, size, 1);
	} else if (strcmp(field, "phone") == 0) {
		tidy_number(s, size, 0);
	} else if (strcmp(field, "title_level") == 0) {
		if (strcmp(s, "正高") == 0) {
			snprintf(s, size, "%s", "正高级");
		} else if (strcmp(s, "副高") == 0) {
			snprintf(s, size, "%s", "副高级");
		}
	}
}
