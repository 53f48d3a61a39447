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

static int
one_of(struct core *c, const char *field, const char *label, const char *s,
       const char *const *allowed, const char *list)
{
	for (size_t i = 0; allowed[i]; i++)
		if (s && strcmp(s, allowed[i]) == 0)
			return 0;
	return core_err(c, CORE_EINVAL, field, _("%s: must be one of %s"),
			label, list);
}

static int
check_title_level(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"正高级", "副高级", "中级", "初级",
					NULL};

	return one_of(c, f, _("title level"), s, v, "正高级 副高级 中级 初级");
}

static int
check_degree(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"博士", "硕士", "学士", "无", NULL};

	return one_of(c, f, _("degree"), s, v, "博士 硕士 学士 无");
}

static int
check_system(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"教育", "卫生", "农林水", "工业",
					"社科", "其他", NULL};

	return one_of(c, f, _("system"), s, v,
		      "教育 卫生 农林水 工业 社科 其他");
}

static int
check_channel(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"单位推荐", "行业学术团体举荐",
					"同行专家举荐", "个人自荐", NULL};

	return one_of(c, f, _("recommendation channel"), s, v,
		      "单位推荐 行业学术团体举荐 同行专家举荐 个人自荐");
}

static int
check_category(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"基层专项", "非公专项", "开发区专项",
					"综合", "另行推荐", NULL};

	return one_of(c, f, _("quota category"), s, v,
		      "基层专项 非公专项 开发区专项 综合 另行推荐");
}

static int
check_prior(struct core *c, const char *f, const char *s)
{
	static const char *const v[] = {"无", "省级", "市级", NULL};

	return one_of(c, f, _("prior leader"), s, v, "无 省级 市级");
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
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (!(s[i] == '-' || (i == 0 && s[i] == '+')))
			bad = 1;
	}
	if (bad || digits < 5 || digits > 15)
		return core_err(c, CORE_EINVAL, f,
				_("phone: digits, optionally +86 and dashes"));
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
	    !(isdigit((unsigned char)s[17]) || s[17] == 'X'))
		return core_err(c, CORE_EINVAL, field,
				_("ID number: must be 17 digits and a digit "
				  "or X (18 characters)"));
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	if (code[sum % 11] != s[17])
		return core_err(c, CORE_EINVAL, field,
				_("ID number: check digit is wrong (GB 11643 "
				  "expects %c)"),
				code[sum % 11]);
	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", s + 6, s + 10,
		 s + 12);
	if (valid_date(c, field, birth) != 0)
		return core_err(c, CORE_EINVAL, field,
				_("ID number: the birth date in it (%s) is not "
				  "a plausible date"),
				birth);
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
static const struct dossier_spec specs[] = {
	{"name", "name", N_("name"), check_name, 1, 64},
	{"gender", "gender", N_("gender"), valid_gender, 1, 2},
	{"birth_date", "birth_date", N_("birth date"), check_birth, 1, 10},
	{"id_number", "id_number", N_("ID number"), valid_id_number, 1, 18},
	{"education", "education", N_("education"), check_education, 0, 20},
	{"degree", "degree", N_("degree"), check_degree, 0, 4},
	{"title", "title", N_("title"), check_title, 1, 200},
	{"title_level", "title_level", N_("title level"), check_title_level,
	 1, 6},
	{"title_date", "title_date", N_("title appointed"), check_date, 0,
	 10},
	{"system", "system", N_("system"), check_system, 0, 6},
	{"channel", "channel", N_("recommendation channel"), check_channel, 1,
	 16},
	{"prior_leader", "prior_leader", N_("prior leader"), check_prior, 1,
	 4},
	{"quota_category", "quota_category", N_("quota category"),
	 check_category, 0, 10},
	{"specialty", "specialty", N_("specialty"), check_specialty, 0, 100},
	{"phone", "phone", N_("phone"), check_phone, 0, 20},
	{NULL, NULL, NULL, NULL, 0, 0},
};

const struct dossier_spec *
dossier_specs(void)
{
	return specs;
}

const struct dossier_spec *
dossier_spec_find(const char *field)
{
	for (const struct dossier_spec *s = specs; s->field; s++)
		if (strcmp(s->field, field) == 0)
			return s;
	return NULL;
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

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].field, field) == 0)
			return (const char *)d + map[i].off;
	return "";
}
