/*
 * The nominee workflow: one transition table (design.md), consulted by
 * every path that moves a nomination.  Each row names the states it
 * leaves from, the state it reaches, the roles that may take it and in
 * which scope, the preconditions, whether a reason is required, and the
 * act it records, and whether the actor must sign it with their own key.
 * Menus are built from the same table, so the UI cannot offer what core
 * would refuse.
 *
 * Signed actions (issue #4; core_action_signed): every pledge, every
 * verification (查验: unit_review, hr_check), every stage decision
 * (screen, report, committee_review, hr_approve, gov_approve, confirm,
 * return, reject), the outcome of an investigation (clear, uphold) and
 * the veto with its countersignature, cancellation and appeal outcomes.
 * Procedural steps that decide nothing about the dossier (submit, opening
 * a notice, recording an objection, withdraw) carry the log key's
 * signature only.
 *
 * A workflow act does not change the dossier: it names the current
 * version and digest (statement fields 10 and 12; field 11, the previous
 * digest, is zeros because nothing changed, as for an audited view),
 * so a pledge or verification stays bound to exactly what was checked
 * and a later edit (a new version) visibly voids it (core/trail.c).
 */
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

#define ROLE(r) (1u << CORE_ROLE_##r)

enum wf_scope {
	SCOPE_UNIT,   /* the employing unit's clerks (its subtree) */
	SCOPE_HOLDER, /* the county/department the nomination is with */
	SCOPE_STAGE,  /* holder before the report, the city after it */
	SCOPE_CITY,   /* city-wide roles */
	SCOPE_APPLICANT, /* the applicant whose account is linked */
};

enum wf_pre {
	PRE_COMPLETE = 1 << 0,  /* required dossier fields set */
	PRE_CATEGORY = 1 << 1,  /* quota category and channel chosen */
	PRE_NOTICE = 1 << 2,    /* the notice period has run out */
	PRE_NO_OBJECTION = 1 << 3,
	PRE_DEADLINE = 1 << 4, /* before the round's deadline or extension */
	PRE_QUOTA = 1 << 5,
	PRE_ELIGIBLE = 1 << 6,
	PRE_REGISTER = 1 << 7, /* not on the dishonesty register */
	PRE_PANEL_LOCAL = 1 << 8, /* the county/department panel passed it */
	PRE_PANEL_CITY = 1 << 9,  /* the city committee passed it */
	PRE_TARGET = 1 << 10,     /* the recommended list stays <= target */
};

struct wf_transition {
	const char *action;
	const char *label; /* N_() */
	unsigned from; /* CORE_ST_BIT()s */
	int to;        /* enum core_state; -1: back to resume_state */
	unsigned roles;
	enum wf_scope scope;
	unsigned pre;
	int needs_reason;
	uint16_t act;
	uint8_t decision; /* 1 pass, 2 return, 3 reject, 4 veto */
	int sign;         /* the actor's own signature is required */
	/* what else the act changes, in its transaction (NULL: nothing) */
	int (*effect)(struct core *c, const struct wf_transition *t,
		      const struct core_dossier *d, const char *reason,
		      const char **to);
};

#define F(s) CORE_ST_BIT(CORE_ST_##s)
/* every state but vetoed (the veto's own rows) */
#define ANY ((CORE_ST_BIT(CORE_ST_N) - 1) & ~F(VETOED))
#define REVIEW_STATES                                                     \
	(F(SUBMITTED) | F(SCREENED) | F(LOCAL_NOTICE) | F(REPORTED) |      \
	 F(HR_CHECKED) | F(COMMITTEE_REVIEWED) | F(HR_APPROVED))

static int eff_submit(struct core *c, const struct wf_transition *t,
		      const struct core_dossier *d, const char *reason,
		      const char **to);
static int eff_notice_open(struct core *c, const struct wf_transition *t,
			   const struct core_dossier *d, const char *reason,
			   const char **to);
static int eff_gov_doc(struct core *c, const struct wf_transition *t,
		       const struct core_dossier *d, const char *reason,
		       const char **to);
static int eff_object(struct core *c, const struct wf_transition *t,
		      const struct core_dossier *d, const char *reason,
		      const char **to);
static int eff_objection_close(struct core *c, const struct wf_transition *t,
			       const struct core_dossier *d,
			       const char *reason, const char **to);

static const struct wf_transition table[] = {
	{"pledge", N_("sign the integrity pledge (承诺书)"),
	 F(DRAFT) | F(RETURNED), CORE_ST_PLEDGED, ROLE(APPLICANT), SCOPE_APPLICANT,
	 PRE_COMPLETE | PRE_REGISTER, 0, ACT_PLEDGE, 0, 1, NULL},
	{"pledge_paper", N_("record the paper pledge"),
	 F(DRAFT) | F(RETURNED), CORE_ST_PLEDGED, ROLE(UNIT_CLERK), SCOPE_UNIT,
	 PRE_COMPLETE | PRE_REGISTER, 0, ACT_PLEDGE_PAPER, 0, 1, NULL},
	{"unit_review", N_("first review by the unit (首审)"), F(PLEDGED),
	 CORE_ST_UNIT_REVIEWED, ROLE(UNIT_CLERK), SCOPE_UNIT,
	 PRE_COMPLETE | PRE_ELIGIBLE | PRE_REGISTER, 0, ACT_VERIFICATION, 1,
	 1, NULL},
	{"submit", N_("submit to the county or department"),
	 F(UNIT_REVIEWED), CORE_ST_SUBMITTED, ROLE(UNIT_CLERK), SCOPE_UNIT,
	 PRE_CATEGORY, 0, ACT_TRANSITION, 0, 0,
	 eff_submit},
	{"screen", N_("record the expert evaluation"), F(SUBMITTED),
	 CORE_ST_SCREENED, ROLE(COUNTY_HR) | ROLE(DEPARTMENT), SCOPE_HOLDER,
	 PRE_PANEL_LOCAL, 0, ACT_REVIEW, 1, 1, NULL},
	{"open_local_notice", N_("open the county/department notice"),
	 F(SCREENED), CORE_ST_LOCAL_NOTICE, ROLE(COUNTY_HR) | ROLE(DEPARTMENT),
	 SCOPE_HOLDER, 0, 0, ACT_NOTICE, 0, 0,
	 eff_notice_open},
	{"report", N_("report to city HR"), F(LOCAL_NOTICE), CORE_ST_REPORTED,
	 ROLE(COUNTY_HR) | ROLE(DEPARTMENT), SCOPE_HOLDER,
	 PRE_NOTICE | PRE_NO_OBJECTION | PRE_DEADLINE | PRE_QUOTA, 0,
	 ACT_REVIEW, 1, 1, NULL},
	{"hr_check", N_("initial review by city HR (初审)"), F(REPORTED),
	 CORE_ST_HR_CHECKED, ROLE(CITY_HR), SCOPE_CITY, 0, 0, ACT_VERIFICATION, 1,
	 1, NULL},
	{"committee_review", N_("record the committee's recommendation"),
	 F(HR_CHECKED), CORE_ST_COMMITTEE_REVIEWED, ROLE(CITY_HR), SCOPE_CITY,
	 PRE_PANEL_CITY | PRE_TARGET, 0, ACT_REVIEW, 1, 1, NULL},
	{"hr_approve", N_("audit by city HR (审核)"), F(COMMITTEE_REVIEWED),
	 CORE_ST_HR_APPROVED, ROLE(CITY_HR), SCOPE_CITY, 0, 0, ACT_REVIEW, 1, 1, NULL},
	{"gov_approve", N_("record the city government's approval"),
	 F(HR_APPROVED), CORE_ST_GOV_APPROVED, ROLE(CITY_HR), SCOPE_CITY, 0, 1,
	 ACT_REVIEW, 1, 1,
	 eff_gov_doc},
	{"open_public_notice", N_("open the 5-day public notice"),
	 F(GOV_APPROVED), CORE_ST_PUBLIC_NOTICE, ROLE(CITY_HR), SCOPE_CITY, 0, 0,
	 ACT_NOTICE, 0, 0,
	 eff_notice_open},
	{"confirm", N_("confirm as leader"), F(PUBLIC_NOTICE), CORE_ST_CONFIRMED,
	 ROLE(CITY_HR), SCOPE_CITY, PRE_NOTICE | PRE_NO_OBJECTION, 0,
	 ACT_REVIEW, 1, 1, NULL},
	{"return", N_("return for correction"), REVIEW_STATES, CORE_ST_RETURNED,
	 ROLE(COUNTY_HR) | ROLE(DEPARTMENT) | ROLE(CITY_HR), SCOPE_STAGE, 0, 1,
	 ACT_REVIEW, 2, 1, NULL},
	{"reject", N_("reject"), REVIEW_STATES | F(GOV_APPROVED), CORE_ST_REJECTED,
	 ROLE(COUNTY_HR) | ROLE(DEPARTMENT) | ROLE(CITY_HR), SCOPE_STAGE, 0, 1,
	 ACT_REVIEW, 3, 1, NULL},
	{"withdraw", N_("withdraw the nomination"),
	 F(DRAFT) | F(PLEDGED) | F(UNIT_REVIEWED) | F(SUBMITTED) |
		 F(SCREENED) | F(RETURNED),
	 CORE_ST_WITHDRAWN, ROLE(UNIT_CLERK), SCOPE_UNIT, 0, 1, ACT_TRANSITION, 0,
	 0, NULL},
	{"object", N_("record an objection (opens an investigation)"),
	 F(LOCAL_NOTICE) | F(PUBLIC_NOTICE), CORE_ST_UNDER_INVESTIGATION,
	 ROLE(COUNTY_HR) | ROLE(DEPARTMENT) | ROLE(CITY_HR) | ROLE(AUDITOR),
	 SCOPE_STAGE, 0, 1, ACT_TRANSITION, 0, 0,
	 eff_object},
	{"clear", N_("clear the objection (resume)"), F(UNDER_INVESTIGATION),
	 -1, ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 1,
	 ACT_TRANSITION, 1, 1,
	 eff_objection_close},
	{"uphold", N_("uphold the objection (reject)"),
	 F(UNDER_INVESTIGATION), CORE_ST_REJECTED, ROLE(CITY_HR) | ROLE(AUDITOR),
	 SCOPE_CITY, 0, 1, ACT_REVIEW, 3, 1,
	 eff_objection_close},
	/* The one-vote veto (core/veto.c): from any state, a confirmed
	 * leader included; terminal within the round. */
	{"veto", N_("veto for dishonesty (一票否决)"), ANY, CORE_ST_VETOED,
	 ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 1, ACT_VETO, 4, 1, NULL},
	{"veto_countersign", N_("countersign the veto (second signature)"),
	 ANY, CORE_ST_VETOED, ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 0,
	 ACT_VETO, 4, 1, NULL},
	{"veto_cancel", N_("cancel a veto awaiting its second signature"),
	 ANY, -1, ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 1,
	 ACT_VETO_APPEAL, 0, 1, NULL},
	{"appeal", N_("record an appeal dismissed (the veto stands)"),
	 F(VETOED), CORE_ST_VETOED, ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 1,
	 ACT_VETO_APPEAL, 4, 1, NULL},
	{"appeal_grant",
	 N_("record an appeal granted (lifts the register entry)"),
	 F(VETOED), CORE_ST_VETOED, ROLE(CITY_HR) | ROLE(AUDITOR), SCOPE_CITY, 0, 1,
	 ACT_VETO_APPEAL, 1, 1, NULL},
};

static const struct wf_transition *
find_action(const char *action)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].action, action) == 0) {
			return &table[i];
		}
	}
	return NULL;
}

int
core_action_signed(const char *action)
{
	const struct wf_transition *t = find_action(action ? action : "");

	return t ? t->sign : 0;
}

int
wf_action_known(const char *action)
{
	return find_action(action) != NULL;
}

const char *
core_entry_label(uint16_t act, const char *reason, const char **rest)
{
	const struct wf_transition *t;
	char a[32];
	size_t n;

	reason = reason ? reason : "";
	*rest = reason;
	n = strcspn(reason, ":");
	if (n == 0 || n >= sizeof(a)) {
		return core_act_name(act);
	}
	memcpy(a, reason, n);
	a[n] = '\0';
	if ((t = find_action(a)) == NULL) {
		return core_act_name(act);
	}
	/* a workflow act's reason is stored "action: reason" or "action" */
	*rest = reason + n + (reason[n] == ':') + (reason[n] == ':' &&
						   reason[n + 1] == ' ');
	return _(t->label);
}

static int
from_ok(const struct wf_transition *t, const char *state)
{
	int st = core_state_parse(state);

	return st >= 0 && (t->from & CORE_ST_BIT(st)) != 0;
}

/* The user id of the applicant account linked to nominee id, or 0. */
static int64_t
applicant_of(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int64_t uid = 0;

	if (db_row(c, &st, "SELECT applicant_user FROM nominee WHERE id = ?1",
	           "i", id) == 1) {
		uid = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return uid;
}

static int
scope_ok(struct core *c, const struct wf_transition *t,
	 const struct core_dossier *d)
{
	enum core_role role = c->actor.role;
	enum wf_scope scope = t->scope;

	if (scope == SCOPE_STAGE) {
		scope = core_state_has(d->n.state, CORE_STF_HOLDER_STAGE)
				? SCOPE_HOLDER
				: SCOPE_CITY;
	}
	switch (scope) {
	case SCOPE_UNIT:
		return authz_unit_under(c, d->n.unit, c->actor.unit);
	case SCOPE_HOLDER:
		if (role == CORE_ROLE_AUDITOR) {
			return 1;
		}
		return (role == CORE_ROLE_COUNTY_HR ||
			role == CORE_ROLE_DEPARTMENT) &&
		       d->holder[0] &&
		       authz_unit_under(c, d->holder, c->actor.unit);
	case SCOPE_CITY:
		return role == CORE_ROLE_CITY_HR || role == CORE_ROLE_AUDITOR;
	case SCOPE_APPLICANT:
		return role == CORE_ROLE_APPLICANT &&
		       applicant_of(c, d->n.id) == c->actor.id;
	default:
		return 0;
	}
}

/* May the actor take t on d at all (role, scope, state)? */
static int
allowed(struct core *c, const struct wf_transition *t,
	const struct core_dossier *d)
{
	if (!c->has_actor || !(t->roles & (1u << c->actor.role))) {
		return 0;
	}
	if (!from_ok(t, d->n.state) || !scope_ok(c, t, d)) {
		return 0;
	}
	return veto_offered(c, t->action, d);
}

/* The county, department, zone, channel or stationed holder above unit. */
static int
find_holder(struct core *c, const char *unit, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = db_query(c, &st,
	                  "WITH RECURSIVE up(code, parent, kind, depth) AS ("
	                  " SELECT code, parent, kind, 0 FROM unit WHERE "
	                  " code = ?1 UNION SELECT u.code, u.parent, u.kind,"
	                  " depth + 1 FROM unit u JOIN up ON u.code = "
	                  " up.parent) SELECT code FROM up WHERE kind IN "
	                  "('county', 'department', 'zone', 'channel', "
	                  "'stationed') ORDER BY depth LIMIT 1",
	                  "t", unit)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_copy(out, outsz, st, 0);
	} else {
		r = core_err(c, CORE_ESTATE, "unit",
			     _("unit '%s' reports to no county or department"),
			     unit);
	}
	sqlite3_finalize(st);
	return r;
}

static int
open_objections(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (db_row(c, &st,
	           "SELECT count(*) FROM objection WHERE nominee_id = ?1 "
	           "AND outcome = ''",
	           "i", id) == 1) {
		n = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static int64_t
notice_opened(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int64_t t = 0;

	if (db_row(c, &st, "SELECT notice_opened_ms FROM nominee WHERE id = ?1",
	           "i", id) == 1) {
		t = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return t;
}

static int
check_deadline(struct core *c, const struct core_dossier *d)
{
	sqlite3_stmt *st = NULL;
	int64_t until = round_deadline_ms(c), ext = 0;

	if (db_row(c, &st,
	           "SELECT max(until_ms) FROM deadline_extension WHERE "
	           "holder = ?1",
	           "t", d->holder) == 1) {
		ext = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (ext > until) {
		until = ext;
	}
	if (until > 0 && core_now_ms(c) > until) {
		return core_err(c, CORE_ESTATE, NULL,
				_("the deadline for reports to the city has "
				  "passed; city HR may extend it for '%s'"),
				d->holder);
	}
	return 0;
}

/*
 * The committee's recommendation of d would be one more on the round's
 * recommended list (committee_reviewed and every later state, an
 * investigation during the city's notice included): refused past the
 * round's target (design.md: recommended list <= 44).
 */
static int
check_target(struct core *c, const struct core_dossier *d)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;
	int r;

	if ((r = db_query(c, &st,
	                  "SELECT count(*) FROM nominee WHERE round_id = "
	                  "(SELECT round_id FROM nominee WHERE id = ?1) AND "
	                  "id <> ?1 AND (state IN ('committee_reviewed', "
	                  "'hr_approved', 'gov_approved', 'public_notice', "
	                  "'confirmed') OR (state = 'under_investigation' "
	                  "AND resume_state = 'public_notice'))",
	                  "i", (int64_t)d->n.id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return core_quota_check_target(c, (size_t)n + 1);
}

static int
check_pre(struct core *c, const struct wf_transition *t,
	  const struct core_dossier *d, const char *reason)
{
	int r;

	if (t->pre & PRE_COMPLETE) {
		for (const struct dossier_spec *sp = dossier_specs(); sp->field;
		     sp++) {
			struct core_dossier full;
			uint8_t salt[32];

			if (!sp->required) {
				continue;
			}
			if (strcmp(sp->field, "id_number") == 0) {
				/* d holds the masked number; ask the row */
				if (nominee_load(c, d->n.id, &full, salt, 0) !=
					    0 ||
				    full.id_number[0] == '\0') {
					return core_err(
						c, CORE_ESTATE, sp->field,
						_("%s: is required before "
						  "the pledge"),
						core_field_label(sp->field));
				}
			} else if (dossier_field_empty(d, sp->field)) {
				return core_err(c, CORE_ESTATE, sp->field,
						_("%s: is required before "
						  "the pledge"),
						core_field_label(sp->field));
			}
		}
	}
	if ((t->pre & PRE_CATEGORY) && d->quota_category[0] == '\0') {
		return core_err(c, CORE_ESTATE, "quota_category",
				_("quota category: choose one before "
				  "submitting"));
	}
	if ((t->pre & PRE_REGISTER) &&
	    (r = veto_register_check(c, d->id_number)) != 0) {
		return r;
	}
	if ((t->pre & PRE_ELIGIBLE) &&
	    (r = wf_check_eligible(c, d, reason)) != 0) {
		return r;
	}
	if ((t->pre & PRE_PANEL_LOCAL) &&
	    (r = panel_check_result(c, d->n.id, "local")) != 0) {
		return r;
	}
	if ((t->pre & PRE_PANEL_CITY) &&
	    (r = panel_check_result(c, d->n.id, "city")) != 0) {
		return r;
	}
	if ((t->pre & PRE_TARGET) && (r = check_target(c, d)) != 0) {
		return r;
	}
	if ((t->pre & PRE_NO_OBJECTION) && open_objections(c, d->n.id) > 0) {
		return core_err(c, CORE_ESTATE, NULL,
				_("an objection is still open"));
	}
	if (t->pre & PRE_NOTICE) {
		int days = 0;
		int64_t end = round_notice_end_ms(
			c, d, notice_opened(c, d->n.id), &days);

		if (core_now_ms(c) < end) {
			return core_err(c, CORE_ESTATE, NULL,
					_("the %lld-day notice has not ended "
					  "yet"),
					(long long)days);
		}
	}
	if ((t->pre & PRE_DEADLINE) && (r = check_deadline(c, d)) != 0) {
		return r;
	}
	if ((t->pre & PRE_QUOTA) && (r = wf_check_quota(c, d, reason)) != 0) {
		return r;
	}
	return 0;
}

/* Side effects of a transition on the nominee's workflow columns. */
/*
 * What an act does besides moving the state (the transition table's
 * effect column).  Each runs inside the act's transaction; *to is the
 * state the act leads to and may be changed (back from an objection).
 */
static int
eff_submit(struct core *c, const struct wf_transition *t,
	   const struct core_dossier *d, const char *reason, const char **to)
{
	char holder[CORE_CODE_SIZE] = "";
	int r;

	(void)t, (void)reason, (void)to;
	if ((r = find_holder(c, d->n.unit, holder, sizeof(holder))) != 0) {
		return r;
	}
	return db_exec(c, "UPDATE nominee SET holder = ?1 WHERE id = ?2",
		       "ti", holder, d->n.id);
}

static int
eff_notice_open(struct core *c, const struct wf_transition *t,
		const struct core_dossier *d, const char *reason,
		const char **to)
{
	(void)t, (void)reason, (void)to;
	return db_exec(c,
		       "UPDATE nominee SET notice_opened_ms = ?1 WHERE id = ?2",
		       "ii", core_now_ms(c), d->n.id);
}

static int
eff_gov_doc(struct core *c, const struct wf_transition *t,
	    const struct core_dossier *d, const char *reason, const char **to)
{
	(void)t, (void)to;
	return db_exec(c, "UPDATE nominee SET gov_doc = ?1 WHERE id = ?2",
		       "ti", reason, d->n.id);
}

static int
eff_object(struct core *c, const struct wf_transition *t,
	   const struct core_dossier *d, const char *reason, const char **to)
{
	int r;

	(void)t, (void)to;
	if ((r = db_exec(c,
			 "UPDATE nominee SET resume_state = ?1 WHERE id = ?2",
			 "ti", d->n.state, d->n.id)) != 0) {
		return r;
	}
	return wf_objection_open(c, d, reason);
}

/* clear (to the state before the objection) or uphold (rejected) */
static int
eff_objection_close(struct core *c, const struct wf_transition *t,
		    const struct core_dossier *d, const char *reason,
		    const char **to)
{
	int r;

	(void)reason;
	if ((r = wf_objection_close(c, d, t->to >= 0 ? "upheld" : "cleared")) !=
	    0) {
		return r;
	}
	if (t->to < 0) {
		*to = wf_resume_state(c, d->n.id);
	}
	return 0;
}

static int
apply_effects(struct core *c, const struct wf_transition *t,
	      const struct core_dossier *d, const char *reason,
	      const char **to)
{
	*to = t->to < 0 ? NULL : core_state_code((enum core_state)t->to);
	return t->effect ? t->effect(c, t, d, reason, to) : 0;
}

/*
 * Records a workflow act: the entry (signed by the actor's key when the
 * action is signed) names the dossier's current version and digest; the
 * row gets the new state and the entry's seq.  The dossier itself does
 * not change, so neither do its version, salt or digest.
 */
static int
wf_record(struct core *c, const struct wf_transition *t,
	  const struct core_dossier *d, const char *to, const char *reason,
	  const uint8_t (*attach)[32], size_t n_attach, uint64_t *seq)
{
	struct audit_act a;
	char subj[48];
	int r;

	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)d->n.id);
	memset(&a, 0, sizeof(a));
	a.act = t->act;
	a.subject = subj;
	a.version = d->n.version;
	a.prev_digest = NULL; /* changes nothing: zeros, as audit-log 2.3 */
	a.digest = d->digest;
	a.decision = t->decision;
	a.reason = reason;
	a.sign = t->sign;
	a.attach = attach;
	a.n_attach = (uint16_t)n_attach;
	if ((r = audit_append(c, &a, seq)) != 0) {
		return r;
	}
	return db_exec(c,
	               "UPDATE nominee SET seq = ?1, state = ?2 WHERE "
	               "id = ?3",
	               "iti", (int64_t)*seq, to, (int64_t)d->n.id);
}

/* Loads the dossier an action is about: the linked applicant reaches
 * their own (and nothing else) through the pledge. */
static int
load_for(struct core *c, const struct wf_transition *t, int64_t id,
	 struct core_dossier *d, uint8_t salt[32])
{
	int r;

	if (t->scope != SCOPE_APPLICANT || !c->has_actor ||
	    c->actor.role != CORE_ROLE_APPLICANT) {
		return nominee_load(c, id, d, salt, 1);
	}
	if ((r = nominee_load(c, id, d, salt, 0)) != 0 &&
	    r != CORE_ENOENT) {
		return r;
	}
	if (r != 0 || applicant_of(c, id) != c->actor.id) {
		return core_err(c, CORE_ENOENT, NULL, _("no nominee %lld"),
				(long long)id);
	}
	return 0;
}

/* The documents an act names, checked, plus the pledge wording. */
static int
gather_attach(struct core *c, const struct wf_transition *t,
	      const struct core_act_opts *o, const char *why,
	      uint8_t (*out)[32], size_t *n)
{
	size_t given = o ? o->n_attach : 0;
	int r;

	*n = 0;
	if (given > STMT_MAX_ATTACH - 1 || (given && !o->attach)) {
		return core_err(c, CORE_EINVAL, "attachment",
				_("at most %d attachments"),
				STMT_MAX_ATTACH - 1);
	}
	/* A clerk at a thin terminal cannot upload a scan (the server
	 * allows no file transfer): the signed statement then says where the
	 * paper form is kept, and the clerk answers for that instead. */
	if (strcmp(t->action, "pledge_paper") == 0 && given == 0 && !why[0]) {
		return core_err(c, CORE_EINVAL, "reason",
				_("pledge_paper: attach the scan of the signed "
				  "pledge form (--scan FILE) or say where the "
				  "paper form is kept; the clerk answers for it"));
	}
	if (strcmp(t->action, "veto") == 0 && given == 0 && strlen(why) < 10) {
		return core_err(c, CORE_EINVAL, "evidence",
				_("veto: name the evidence (--evidence FILE) or "
				  "describe it in the reason"));
	}
	for (size_t i = 0; i < given; i++) {
		if ((r = doc_check(c, o->attach[i])) != 0) {
			return r;
		}
		memcpy(out[(*n)++], o->attach[i], 32);
	}
	if (t->act == ACT_PLEDGE || t->act == ACT_PLEDGE_PAPER) {
		pledge_text_digest(out[(*n)++]);
	}
	return 0;
}

int
core_act_seen(struct core *c, int64_t id, uint64_t seen_seq,
	      const char *action, const char *reason,
	      const struct core_act_opts *o, struct core_receipt *rc)
{
	const struct wf_transition *t = find_action(action ? action : "");
	struct core_dossier d;
	uint8_t salt[32], attach[STMT_MAX_ATTACH][32];
	/* C11 does not convert uint8_t (*)[32] to const implicitly. */
	const uint8_t(*cattach)[32] = (const uint8_t(*)[32])attach;
	size_t n_attach = 0;
	char why[4096], rec[4200];
	const char *to = NULL;
	uint64_t seq = 0;
	int r;

	core_err_clear(c);
	if (!t) {
		return core_err(c, CORE_EINVAL, "action",
				_("action: unknown '%s' (see `nomdesk act "
				  "--help`)"),
				action ? action : "");
	}
	if ((r = load_for(c, t, id, &d, salt)) != 0) {
		goto done;
	}
	if (!c->has_actor || !(t->roles & (1u << c->actor.role)) ||
	    !scope_ok(c, t, &d)) {
		r = core_err(c, CORE_EPERM, NULL,
			     _("%s: not allowed for %s on nominee %lld"),
			     action,
			     c->has_actor ? core_role_name(c->actor.role)
					  : "?",
			     (long long)id);
		goto done;
	}
	if (!from_ok(t, d.n.state)) {
		/* Refused either way; a screen showing an older version is
		 * told that, not about a state it never showed. */
		if ((r = nominee_unchanged(c, &d, seen_seq)) == 0) {
			r = core_err(c, CORE_ESTATE, NULL,
				     _("%s: nominee %lld is %s"), action,
				     (long long)id, d.n.state);
		}
		goto done;
	}
	why[0] = '\0';
	if (reason && utf8_normalize(reason, why, sizeof(why)) != 0) {
		r = core_err(c, CORE_EINVAL, "reason",
			     _("%s: is not valid UTF-8 text or is too long"),
			     core_field_label("reason"));
		goto done;
	}
	if ((t->needs_reason || why[0]) &&
	    (r = valid_text(c, "reason", why, 4000, 1)) != 0) {
		goto done;
	}
	if ((r = gather_attach(c, t, o, why, attach, &n_attach)) != 0) {
		goto done;
	}
	if (t->sign && (r = signing_ready(c)) != 0) {
		goto done;
	}
	if ((r = tx_begin(c)) != 0) {
		goto done;
	}
	/* Preconditions read state that other sessions change: check them
	 * inside the write transaction.  The version first: nothing is
	 * signed over a version the caller did not show. */
	if ((r = nominee_unchanged(c, &d, seen_seq)) != 0 ||
	    (t->sign && (r = signing_check_active(c)) != 0) ||
	    (r = check_pre(c, t, &d, why)) != 0 ||
	    (r = apply_effects(c, t, &d, why, &to)) != 0 ||
	    (r = veto_prepare(c, t->action, &d, &to)) != 0) {
		goto fail;
	}
	if (!to || !*to) {
		r = core_err(c, CORE_ECORRUPT, NULL, "no state to resume");
		goto fail;
	}
	/* A veto of a confirmed leader revokes the confirmation: said in
	 * the signed statement; the confirmation's entry stays. */
	snprintf(rec, sizeof(rec), "%s%s%s%s", action,
		 core_state_parse(to) == CORE_ST_VETOED &&
				 core_state_parse(d.n.state) == CORE_ST_CONFIRMED
			 ? ": confirmation revoked"
			 : "",
		 why[0] ? ": " : "", why);
	if ((r = wf_record(c, t, &d, to, rec, cattach, n_attach, &seq)) !=
		    0 ||
	    (r = veto_apply(c, t->action, &d, why, cattach, n_attach, seq)) !=
		    0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		goto done;
	}
	if (rc) {
		rc->seq = seq;
	}
	r = 0;
	goto done;
fail:
	tx_rollback(c);
done:
	/* Per-act mode: one unlock, one signing attempt. */
	if (t && t->sign) {
		signing_after_act(c);
	}
	return r;
}

int
core_act_ex(struct core *c, int64_t id, const char *action,
	    const char *reason, const struct core_act_opts *o,
	    struct core_receipt *rc)
{
	return core_act_seen(c, id, 0, action, reason, o, rc);
}

int
core_act(struct core *c, int64_t id, const char *action, const char *reason,
	 struct core_receipt *rc)
{
	return core_act_seen(c, id, 0, action, reason, NULL, rc);
}

int
core_actions_available(struct core *c, int64_t id,
		       int (*cb)(void *ctx, const char *action,
				 const char *label, int needs_reason),
		       void *ctx)
{
	struct core_dossier d;
	uint8_t salt[32];
	int r;

	core_err_clear(c);
	/* The linked applicant sees the actions on their own dossier. */
	if ((r = load_for(c, find_action("pledge"), id, &d, salt)) != 0) {
		return r;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!allowed(c, &table[i], &d)) {
			continue;
		}
		if ((r = cb(ctx, table[i].action, _(table[i].label),
			    table[i].needs_reason)) != 0) {
			return r;
		}
	}
	return 0;
}

int
core_action_list(int (*cb)(void *ctx, const char *action, const char *label,
			   int needs_reason),
		 void *ctx)
{
	int r;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if ((r = cb(ctx, table[i].action, _(table[i].label),
			    table[i].needs_reason)) != 0) {
			return r;
		}
	}
	return 0;
}
