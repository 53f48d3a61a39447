/*
 * The dossier's scalar fields: one table naming each field, its column,
 * its rule and its display limit.  Forms, the CLI, the importer and the
 * digest all walk this table, so a field is added in one place.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"

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

/* A closed-set field: one of its spec's choices, else the rule with the
 * whole set spelled out. */
static int
check_choice(struct core *c, const char *f, const char *s)
{
	const struct dossier_spec *sp = dossier_spec_find(f);
	char list[256];
	size_t n = 0;

	for (size_t i = 0; sp->choices[i]; i++) {
		if (s && strcmp(s, sp->choices[i]) == 0) {
			return 0;
		}
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      i ? " " : "", sp->choices[i]);
		if (n >= sizeof(list)) {
			n = sizeof(list) - 1;
		}
	}
	return core_err(c, CORE_EINVAL, f, _("%s: must be one of %s"),
			_(sp->label), list);
}

static int
check_education(struct core *c, const char *f, const char *s)
{
	return valid_text(c, f, s, 20, 0);
}

static int
check_specialty(struct core *c, const char *f, const char *s)
{
	return valid_text(c, f, s, 100, 0);
}

static int
check_name(struct core *c, const char *f, const char *s)
{
	return valid_text(c, f, s, 64, 0);
}

static int
check_title(struct core *c, const char *f, const char *s)
{
	return valid_text(c, f, s, 200, 0);
}

static int
check_phone(struct core *c, const char *f, const char *s)
{
	size_t n = s ? strlen(s) : 0, digits = 0;
	int bad = n == 0;

	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			digits++;
		} else if (!(s[i] == '-' || (i == 0 && s[i] == '+'))) {
			bad = 1;
		}
	}
	if (bad || digits < 5 || digits > 15) {
		return core_err(c, CORE_EINVAL, f,
				_("phone: digits, optionally +86 and dashes"));
	}
	return 0;
}

/* GB 11643-1999: weights 2^(17-i) mod 11, check code "10X98765432". */
int
valid_id_number(struct core *c, const char *field, const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
				  3, 7, 9, 10, 5, 8, 4, 2};
	static const char code[] = "10X98765432";
	char birth[11];
	int sum = 0;

	if (!s || strlen(s) != 18 || strspn(s, "0123456789") < 17 ||
	    !(isdigit((unsigned char)s[17]) || s[17] == 'X')) {
		return core_err(c, CORE_EINVAL, field,
				_("ID number: must be 17 digits and a digit "
				  "or X (18 characters)"));
	}
	for (int i = 0; i < 17; i++) {
		sum += (s[i] - '0') * w[i];
	}
	if (code[sum % 11] != s[17]) {
		return core_err(c, CORE_EINVAL, field,
				_("ID number: check digit is wrong (GB 11643 "
				  "expects %c)"),
				code[sum % 11]);
	}
	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", s + 6, s + 10,
		 s + 12);
	if (valid_date(c, field, birth) != 0) {
		return core_err(c, CORE_EINVAL, field,
				_("ID number: the birth date in it (%s) is not "
				  "a plausible date"),
				birth);
	}
	return 0;
}

static int
check_birth(struct core *c, const char *f, const char *s)
{
	return valid_birth_date(c, f, s);
}

static int
check_date(struct core *c, const char *f, const char *s)
{
	return valid_date(c, f, s);
}

/*
 * required: must be set before the dossier can be pledged.  The order is
 * the form's order; the digest sorts by name anyway.
 */
#define SPEC(f, label, check, req, cols, box, hint, choices)             \
	{f, f, label, check, req, cols, choices, hint, box}
static const struct dossier_spec specs[] = {
	SPEC("name", N_("Name"), check_name, 1, 64, 30, NULL, NULL),
	SPEC("gender", N_("Gender"), valid_gender, 1, 2, 6,
	     N_("男 or 女 (1 or m: 男, 2 or f: 女)"), gender_v),
	SPEC("birth_date", N_("Birth date"), check_birth, 1, 10, 12,
	     N_("YYYY-MM-DD, or YYYY-MM"), NULL),
	SPEC("id_number", N_("ID number"), valid_id_number, 1, 18, 20, NULL,
	     NULL),
	SPEC("education", N_("Education"), check_education, 0, 20, 24, NULL,
	     NULL),
	SPEC("degree", N_("Degree"), check_choice, 0, 4, 8, NULL, degree_v),
	SPEC("title", N_("Professional title"), check_title, 1, 200, 40,
	     N_("e.g. 主任医师"), NULL),
	SPEC("title_level", N_("Title level"), check_choice, 1, 6, 10, NULL,
	     level_v),
	SPEC("title_date", N_("Title appointed"), check_date, 0, 10, 12,
	     N_("YYYY-MM-DD"), NULL),
	SPEC("system", N_("System"), check_choice, 0, 6, 10, NULL, system_v),
	SPEC("channel", N_("Recommendation channel"), check_choice, 1, 16, 20,
	     NULL, channel_v),
	SPEC("prior_leader", N_("Prior leader"), check_choice, 1, 4, 8, NULL,
	     prior_v),
	SPEC("quota_category", N_("Quota category"), check_choice, 0, 10, 12,
	     NULL, category_v),
	SPEC("specialty", N_("Specialty"), check_specialty, 0, 100, 50, NULL,
	     NULL),
	SPEC("phone", N_("Phone"), check_phone, 0, 20, 20, NULL, NULL),
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};

const struct dossier_spec *
dossier_specs(void)
{
	return specs;
}

const struct dossier_spec *
dossier_spec_find(const char *field)
{
	for (const struct dossier_spec *s = specs; s->field; s++) {
		if (strcmp(s->field, field) == 0) {
			return s;
		}
	}
	return NULL;
}

const char *const *
core_field_choices(const char *field)
{
	const struct dossier_spec *s = dossier_spec_find(field);

	return s ? s->choices : NULL;
}

int
core_field_describe(const char *field, struct core_field_desc *out)
{
	const struct dossier_spec *s = dossier_spec_find(field);

	if (s == NULL) {
		return CORE_EINVAL;
	}
	*out = (struct core_field_desc){
		.name = s->field,
		.label = _(s->label),
		.hint = s->hint ? _(s->hint) : NULL,
		.box = s->box,
		.max_cols = s->max_cols,
		.required = s->required,
		.choices = s->choices,
	};
	return 0;
}

const char *
core_field_label(const char *field)
{
	const struct dossier_spec *s = dossier_spec_find(field);

	return s ? _(s->label) : field;
}

const char *
core_dossier_value(const struct core_dossier *d, const char *field)
{
	static const struct {
		const char *field;
		size_t off;
	} map[] = {
		{"name", offsetof(struct core_dossier, n.name)},
		{"gender", offsetof(struct core_dossier, n.gender)},
		{"birth_date", offsetof(struct core_dossier, n.birth_date)},
		{"title", offsetof(struct core_dossier, n.title)},
		{"id_number", offsetof(struct core_dossier, id_number)},
		{"education", offsetof(struct core_dossier, education)},
		{"degree", offsetof(struct core_dossier, degree)},
		{"title_level", offsetof(struct core_dossier, title_level)},
		{"title_date", offsetof(struct core_dossier, title_date)},
		{"system", offsetof(struct core_dossier, system)},
		{"channel", offsetof(struct core_dossier, channel)},
		{"prior_leader", offsetof(struct core_dossier, prior_leader)},
		{"specialty", offsetof(struct core_dossier, specialty)},
		{"phone", offsetof(struct core_dossier, phone)},
		{"quota_category", offsetof(struct core_dossier, quota_category)},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(map[i].field, field) == 0) {
			return (const char *)d + map[i].off;
		}
	}
	return "";
}
