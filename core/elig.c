/*
 * The eligibility engine (domain.md 1.5): a pure function of a round and
 * a description of one dossier, so a form, the workflow, the importer and
 * `nomdesk elig check` all get the same verdict for the same facts.
 *
 * Rules, in order: X1 prior leader (fail, never relaxed), H1 senior
 * title (fail, soft where the category relaxes it), H2 age (soft where
 * the round or the category lets it be relaxed, else fail), H4 one of
 * the qualifying conditions (fail, soft where relaxed).  Soft failures
 * pass with a recorded justification and say so.  What cannot be decided
 * from the facts given (a birth month straddling the boundary, an
 * unrecorded prior-leader status or title kind) is a soft failure that
 * says "needs check": never a silent pass.  Every detail names the
 * parameters used (reference date, inclusivity, limit, title rule).
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

static int elig_err(struct core_elig_result *out, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
elig_err(struct core_elig_result *out, const char *field, const char *fmt, ...)
{
	va_list ap;

	snprintf(out->errfield, sizeof(out->errfield), "%s", field);
	va_start(ap, fmt);
	vsnprintf(out->errmsg, sizeof(out->errmsg), fmt, ap);
	va_end(ap);
	return CORE_EINVAL;
}

static struct core_elig_rule *
rule_add(struct core_elig_result *out, const char *id,
         enum core_rule_result res)
{
	struct core_elig_rule *r = &out->rules[out->n_rules++];

	snprintf(r->rule, sizeof(r->rule), "%s", id);
	r->result = res;
	return r;
}

static void detail(struct core_elig_rule *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
detail(struct core_elig_rule *r, const char *fmt, ...)
{
	size_t len = strlen(r->detail);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail + len, sizeof(r->detail) - len, fmt, ap);
	va_end(ap);
}

/* Full years from birth (by, bm, bd) to (ry, rm, rd): the birthday of a
 * 29 February child falls on 1 March in a common year. */
static int
full_years(int by, int bm, int bd, int ry, int rm, int rd)
{
	return ry - by - ((rm < bm || (rm == bm && rd < bd)) ? 1 : 0);
}

static int
is_blank(const char *s)
{
	if (!s) {
		return 1;
	}
	for (; *s; s++) {
		if (!strchr(" \t\r\n", *s)) {
			return 0;
		}
	}
	return 1;
}

static void
rule_x1(const struct core_round *r, const struct core_elig_input *in,
        struct core_elig_result *out)
{
	struct core_elig_rule *x;
	int excluded;

	switch (in->prior_leader) {
	case CORE_PRIOR_NONE:
		x = rule_add(out, "X1", CORE_RULE_PASS);
		detail(x, _("not already a provincial or city academic and "
		            "technical leader (recorded: 无)"));
		return;
	case CORE_PRIOR_PROVINCE:
	case CORE_PRIOR_CITY:
		excluded = in->prior_leader == CORE_PRIOR_PROVINCE
		               ? r->exclude_province
		               : r->exclude_city;
		x = rule_add(out, "X1",
		             excluded ? CORE_RULE_FAIL : CORE_RULE_PASS);
		if (excluded) {
			detail(x,
			       _("already selected as a %s academic and "
			         "technical leader (recorded: %s): excluded "
			         "from this round, no relaxation"),
			       in->prior_leader == CORE_PRIOR_PROVINCE
			           ? _("provincial")
			           : _("city"),
			       in->prior_leader == CORE_PRIOR_PROVINCE
			           ? "省级"
			           : "市级");
		} else {
			detail(x,
			       _("recorded %s, which this round does not "
			         "exclude"),
			       in->prior_leader == CORE_PRIOR_PROVINCE
			           ? "省级"
			           : "市级");
		}
		return;
	case CORE_PRIOR_UNKNOWN:
		break;
	}
	x = rule_add(out, "X1", CORE_RULE_SOFT_FAIL);
	detail(x, _("needs check: prior-leader status (无/省级/市级) is not "
	            "recorded"));
}

static void
rule_h1(const struct core_round *r, const struct core_elig_input *in,
        const char *cat, unsigned relax, int rd_y, int rd_m, int rd_d,
        struct core_elig_result *out)
{
	enum core_rule_result bad =
	    (relax & CORE_RELAX_TITLE) ? CORE_RULE_SOFT_FAIL : CORE_RULE_FAIL;
	const char *counts =
	    r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT
	        ? _("the appointed title (聘任) counts")
	    : r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION
	        ? _("the qualification (资格) counts")
	        : _("a qualification or an appointment counts");
	struct core_elig_rule *x;
	int y, m, d;

	if (in->title_level < r->title_min) {
		x = rule_add(out, "H1", bad);
		detail(x, _("title level %s is below the minimum %s (%s)"),
		       core_title_level_name(in->title_level),
		       core_title_level_name(r->title_min), counts);
	} else if ((r->title_counts == CORE_TITLE_COUNTS_APPOINTMENT &&
	            in->title_kind == CORE_TITLE_KIND_QUALIFICATION) ||
	           (r->title_counts == CORE_TITLE_COUNTS_QUALIFICATION &&
	            in->title_kind == CORE_TITLE_KIND_APPOINTMENT)) {
		x = rule_add(out, "H1", bad);
		detail(x, _("%s is recorded as %s, but %s"),
		       core_title_level_name(in->title_level),
		       in->title_kind == CORE_TITLE_KIND_QUALIFICATION
		           ? _("a qualification (资格)")
		           : _("an appointment (聘任)"),
		       counts);
	} else if (r->title_counts != CORE_TITLE_COUNTS_EITHER &&
	           in->title_kind == CORE_TITLE_KIND_UNKNOWN) {
		x = rule_add(out, "H1", CORE_RULE_SOFT_FAIL);
		detail(x,
		       _("needs check: %s is not recorded as a "
		         "qualification or an appointment, and %s"),
		       core_title_level_name(in->title_level), counts);
		return;
	} else if (in->title_date && *in->title_date &&
	           round_date_parse(in->title_date, &y, &m, &d) == 0 && d &&
	           full_years(y, m, d, rd_y, rd_m, rd_d) < 0) {
		x = rule_add(out, "H1", bad);
		detail(x,
		       _("%s dated %s, after the reference date "
		         "%04d-%02d-%02d"),
		       core_title_level_name(in->title_level), in->title_date,
		       rd_y, rd_m, rd_d);
	} else {
		x = rule_add(out, "H1", CORE_RULE_PASS);
		detail(x, _("%s meets the minimum %s (%s)"),
		       core_title_level_name(in->title_level),
		       core_title_level_name(r->title_min), counts);
		if (in->title_date && *in->title_date) {
			detail(x, _("; dated %s"), in->title_date);
		}
		return;
	}
	if (bad == CORE_RULE_SOFT_FAIL) {
		detail(x, _("; category %s may relax it (选拔条件可适当放宽)"),
		       cat);
}
}

static void
rule_h2(const struct core_round *r, const struct core_elig_input *in,
        unsigned relax, int by, int bm, int bd, int ry, int rm, int rd,
        struct core_elig_result *out)
{
	enum core_rule_result over =
	    (r->age_relaxable || (relax & CORE_RELAX_AGE)) ? CORE_RULE_SOFT_FAIL
	                                                   : CORE_RULE_FAIL;
	char rule[160];
	struct core_elig_rule *x;
	int lo, hi, ok_lo, ok_hi;

	/* "limit 50, inclusive (以下 includes the number): <= 50" */
	snprintf(rule, sizeof(rule),
	         r->age_inclusive
	             ? _("limit %d, inclusive (以下 includes the number): "
	                 "age <= %d")
	             : _("limit %d, exclusive: age < %d"),
	         r->age_limit, r->age_limit);
	if (bd) {
		lo = hi = full_years(by, bm, bd, ry, rm, rd);
	} else {
		/* born on the last day of the month is the youngest */
		lo =
		    full_years(by, bm, round_days_in_month(by, bm), ry, rm, rd);
		hi = full_years(by, bm, 1, ry, rm, rd);
	}
	ok_lo = r->age_inclusive ? lo <= r->age_limit : lo < r->age_limit;
	ok_hi = r->age_inclusive ? hi <= r->age_limit : hi < r->age_limit;
	if (ok_lo && ok_hi) {
		x = rule_add(out, "H2", CORE_RULE_PASS);
		if (bd) {
			detail(x,
			       _("age %d in full years at %04d-%02d-%02d "
			         "(born %s); %s"),
			       lo, ry, rm, rd, in->birth_date, rule);
		} else {
			detail(x,
			       _("age %d to %d in full years at "
			         "%04d-%02d-%02d (born in %s, day not "
			         "known); %s"),
			       lo, hi, ry, rm, rd, in->birth_date, rule);
		}
	} else if (!ok_lo && !ok_hi) {
		x = rule_add(out, "H2", over);
		if (bd) {
			detail(x,
			       _("age %d in full years at %04d-%02d-%02d "
			         "(born %s) is over the limit; %s"),
			       lo, ry, rm, rd, in->birth_date, rule);
		} else {
			detail(x,
			       _("age %d to %d in full years at "
			         "%04d-%02d-%02d (born in %s) is over the "
			         "limit; %s"),
			       lo, hi, ry, rm, rd, in->birth_date, rule);
		}
		if (over == CORE_RULE_SOFT_FAIL) {
			detail(x, "%s",
			       _("; the particularly outstanding may "
			         "be relaxed (特别优秀的可适当放宽)"));
		}
	} else {
		x = rule_add(out, "H2", CORE_RULE_SOFT_FAIL);
		detail(x,
		       _("needs check: born in %s (day not known), the "
		         "boundary month: age at %04d-%02d-%02d is %d or %d "
		         "depending on the day; %s"),
		       in->birth_date, ry, rm, rd, lo, hi, rule);
	}
}

static void
rule_h4(const struct core_round *r, const struct core_elig_input *in,
        const char *cat, unsigned relax, struct core_elig_result *out)
{
	struct core_elig_rule *x;
	int seen[33] = {0};
	size_t n = 0;

	for (size_t i = 0; i < in->n_claims; i++) {
		if (!seen[in->claims[i].no]++) {
			n++;
		}
	}
	if (n == 0) {
		x = rule_add(out, "H4",
		             (relax & CORE_RELAX_CONDITIONS)
		                 ? CORE_RULE_SOFT_FAIL
		                 : CORE_RULE_FAIL);
		detail(x,
		       _("no qualifying condition claimed (at least one of "
		         "the %zu is required)"),
		       r->n_conditions);
		if (relax & CORE_RELAX_CONDITIONS) {
			detail(x,
			       _("; category %s may relax it "
			         "(选拔条件可适当放宽)"),
			       cat);
		}
		return;
	}
	x = rule_add(out, "H4", CORE_RULE_PASS);
	detail(x, "%s", _("conditions claimed:"));
	for (int no = 1, first = 1; no <= 32; no++) {
		const char *ev = NULL;

		if (!seen[no]) {
			continue;
		}
		if (!first) {
			detail(x, ",");
		}
		first = 0;
		for (size_t i = 0; i < in->n_claims; i++) {
			if (in->claims[i].no == no &&
			    !is_blank(in->claims[i].evidence)) {
				ev = in->claims[i].evidence;
			}
		}
		detail(x, " %d (%s, %s)", no,
		       r->conditions[no - 1].evidence ==
		               CORE_EVIDENCE_DOCUMENTARY
		           ? _("documentary")
		           : _("expert judgement"),
		       ev ? _("evidence recorded") : _("no evidence recorded"));
	}
}

int
core_elig_evaluate(const struct core_round *r, const struct core_elig_input *in,
                   struct core_elig_result *out)
{
	const struct core_round_category *k = NULL;
	char why[160];
	int by, bm, bd, ry, rm, rd, ty, tm, td, soft = 0, hard = 0;
	unsigned relax = 0;
	const char *cat;

	memset(out, 0, sizeof(*out));
	if (!r || !in) {
		return elig_err(out, "", "%s", _("no round or no input"));
	}
	if (round_date_parse(in->birth_date, &by, &bm, &bd) != 0) {
		return elig_err(out, "birth_date",
		                _("birth date: must be YYYY-MM-DD, or YYYY-MM "
		                  "when only the month is known"));
	}
	if (round_date_parse(r->age_ref_date, &ry, &rm, &rd) != 0 || !rd) {
		return elig_err(out, "round", "%s",
		                _("the round has no age reference date"));
	}
	if ((bd && full_years(by, bm, bd, ry, rm, rd) < 0) ||
	    (!bd && (by > ry || (by == ry && bm > rm)))) {
		return elig_err(out, "birth_date",
		                _("birth date: %s is after the reference date "
		                  "%s"),
		                in->birth_date, r->age_ref_date);
	}
	if (in->title_date && *in->title_date &&
	    (round_date_parse(in->title_date, &ty, &tm, &td) != 0 || !td)) {
		return elig_err(out, "title_date",
		                _("title date: must be YYYY-MM-DD"));
	}
	if ((int)in->title_level < CORE_TITLE_NONE ||
	    in->title_level > CORE_TITLE_FULL) {
		return elig_err(out, "title_level", "%s",
		                _("title level: unknown"));
	}
	if (in->category && *in->category) {
		if (!(k = core_round_category_find(r, in->category))) {
			return elig_err(out, "quota_category",
			                _("quota category: '%s' is not a "
			                  "category of round %s"),
			                in->category, r->code);
		}
		relax = k->relax;
	}
	cat = k ? k->name_zh : _("(none chosen)");
	if (in->n_claims && !in->claims) {
		return elig_err(out, "conditions", "%s",
		                _("Conditions: no claims given"));
	}
	for (size_t i = 0; i < in->n_claims; i++) {
		if (in->claims[i].no < 1 ||
		    (size_t)in->claims[i].no > r->n_conditions) {
			return elig_err(out, "conditions",
			                _("Conditions: %d is not one of 1 to "
			                  "%zu"),
			                in->claims[i].no, r->n_conditions);
		}
	}
	if (!is_blank(in->justification) &&
	    utf8_check(in->justification, UTF8_MULTI, 0, why, sizeof(why)) != 0) {
		return elig_err(out, "justification", _("justification: %s"),
		                why);
	}

	rule_x1(r, in, out);
	rule_h1(r, in, cat, relax, ry, rm, rd, out);
	rule_h2(r, in, relax, by, bm, bd, ry, rm, rd, out);
	rule_h4(r, in, cat, relax, out);

	for (size_t i = 0; i < out->n_rules; i++) {
		struct core_elig_rule *x = &out->rules[i];

		if (x->result == CORE_RULE_SOFT_FAIL &&
		    !is_blank(in->justification)) {
			x->result = CORE_RULE_PASS;
			x->overridden = 1;
			detail(x, _("; passed by override: %s"),
			       in->justification);
		} else if (x->result == CORE_RULE_SOFT_FAIL) {
			detail(x, _("; an override needs a recorded "
			            "justification"));
		}
		if (x->result == CORE_RULE_FAIL) {
			hard++;
		} else if (x->result == CORE_RULE_SOFT_FAIL) {
			soft++;
		}
	}
	out->verdict = hard   ? CORE_ELIG_INELIGIBLE
	               : soft ? CORE_ELIG_OVERRIDE_NEEDED
	                      : CORE_ELIG_ELIGIBLE;
	return 0;
}

int
core_elig_check(struct core *c, const struct core_elig_input *in,
                struct core_elig_result *out)
{
	struct core_round *r = NULL;
	int rv;

	memset(out, 0, sizeof(*out));
	if ((rv = core_round_get(c, NULL, &r)) != 0) {
		return rv;
	}
	rv = core_elig_evaluate(r, in, out);
	if (rv != 0) {
		core_err(c, rv, out->errfield, "%s", out->errmsg);
	}
	core_round_free(r);
	return rv;
}

int
core_prior_leader_parse(const char *s, enum core_prior_leader *out)
{
	static const struct {
		const char *name;
		enum core_prior_leader v;
	} names[] = {
	    {"无", CORE_PRIOR_NONE},       {"none", CORE_PRIOR_NONE},
	    {"省级", CORE_PRIOR_PROVINCE}, {"province", CORE_PRIOR_PROVINCE},
	    {"市级", CORE_PRIOR_CITY},     {"city", CORE_PRIOR_CITY},
	};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].v;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *
core_elig_verdict_name(enum core_elig_verdict v)
{
	switch (v) {
	case CORE_ELIG_ELIGIBLE:
		return "eligible";
	case CORE_ELIG_INELIGIBLE:
		return "ineligible";
	case CORE_ELIG_OVERRIDE_NEEDED:
		return "override_needed";
	}
	return "?";
}

const char *
core_rule_result_name(enum core_rule_result r)
{
	switch (r) {
	case CORE_RULE_PASS:
		return "pass";
	case CORE_RULE_FAIL:
		return "fail";
	case CORE_RULE_SOFT_FAIL:
		return "soft_fail";
	}
	return "?";
}

char *
core_elig_json(const struct core_elig_result *res, int pretty)
{
	json_object *root = json_object_new_object(), *rules = NULL;
	char *s = NULL;

	if (!root || !(rules = json_object_new_array())) {
		goto out;
	}
	if (json_object_object_add(
	        root, "verdict",
	        json_object_new_string(core_elig_verdict_name(res->verdict))) !=
	    0) {
		goto out;
	}
	for (size_t i = 0; i < res->n_rules; i++) {
		const struct core_elig_rule *x = &res->rules[i];
		json_object *o = json_object_new_object();

		if (!o || json_object_array_add(rules, o) != 0) {
			json_object_put(o);
			goto out;
		}
		if (json_object_object_add(o, "rule",
		                           json_object_new_string(x->rule)) ||
		    json_object_object_add(
		        o, "result",
		        json_object_new_string(
		            core_rule_result_name(x->result))) ||
		    json_object_object_add(o, "detail",
		                           json_object_new_string(x->detail))) {
			goto out;
		}
	}
	if (json_object_object_add(root, "rules", rules) != 0) {
		goto out;
	}
	rules = NULL; /* transferred */
	{
		const char *t = json_object_to_json_string_ext(
		    root, JSON_C_TO_STRING_NOSLASHESCAPE |
		              (pretty ? JSON_C_TO_STRING_PRETTY |
		                            JSON_C_TO_STRING_SPACED
		                      : JSON_C_TO_STRING_PLAIN));

		s = t ? strdup(t) : NULL;
	}
out:
	json_object_put(rules);
	json_object_put(root);
	return s;
}
