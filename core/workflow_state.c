/*
 * What the workflow table's preconditions and effects read and write:
 * the round's deadline and notice lengths, objections, the state an
 * investigation resumes to, and which dossier fields are empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_int.h"
#include "core/i18n.h"

#define DAY_MS (24LL * 60 * 60 * 1000)

/* "2020-12-15T23:59:59+08:00" -> ms since the epoch; 0 if malformed. */
int64_t
parse_instant_ms(const char *s)
{
	int y, mo, d, h, mi, sec, oh, om;
	char sign;
	struct tm tm = {0};

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d,
			 &h, &mi, &sec, &sign, &oh, &om) != 9 ||
	    (sign != '+' && sign != '-')) {
		return 0;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return ((int64_t)timegm(&tm) - (sign == '+' ? 1 : -1) *
					       (oh * 3600 + om * 60)) *
	       1000;
}

int64_t
round_deadline_ms(struct core *c)
{
	struct core_round *r = NULL;
	int64_t t = 0;

	if (core_round_get(c, NULL, &r) == 0) {
		t = r->deadline_ms;
	}
	core_round_free(r);
	return t;
}

/*
 * When a notice opened at opened_ms for days (calendar or working days,
 * Monday to Friday in +08:00; public holidays are not in the reference
 * data yet) has run its course: the start of the day after its last day.
 */
static int64_t
notice_end_ms(int64_t opened_ms, int days, int working)
{
	const int64_t tz = 8 * 3600 * 1000LL;
	int64_t day = (opened_ms + tz) / DAY_MS; /* local day number */
	int counted = 0;

	while (counted < days) {
		day++;
		/* 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sunday. */
		if (!working || ((day + 4) % 7 != 0 && (day + 4) % 7 != 6)) {
			counted++;
		}
	}
	return (day + 1) * DAY_MS - tz;
}

int64_t
round_notice_end_ms(struct core *c, const struct core_dossier *d,
		    int64_t opened_ms, int *days_out)
{
	const char *tier = "city";
	struct core_round *r = NULL;
	struct core_unit u;
	int days = 5, working = 0;

	if (core_state_has(d->n.state, CORE_STF_NOTICE_LOCAL)) {
		tier = core_unit_get(c, d->holder, &u) == 0 &&
				       strcmp(u.kind, "county") == 0
			       ? "county"
			       : "department";
	}
	if (core_round_get(c, NULL, &r) == 0) {
		for (size_t i = 0; i < r->n_notices; i++) {
			if (strcmp(r->notices[i].tier, tier) != 0) {
				continue;
			}
			/* Not stated (county and department notices): the
			 * city's 5 days are the conservative default. */
			if (r->notices[i].days > 0) {
				days = r->notices[i].days;
			}
			working = strcmp(r->notices[i].day_type, "working") ==
				  0;
		}
	}
	core_round_free(r);
	*days_out = days;
	return notice_end_ms(opened_ms, days, working);
}

/* The eligibility engine's verdict on a stored dossier. */
static int
dossier_elig(struct core *c, const struct core_dossier *d,
	     const char *justification, struct core_elig_result *res)
{
	struct core_elig_claim claims[9];
	struct core_elig_input in;
	size_t n = 0;

	memset(&in, 0, sizeof(in));
	in.birth_date = d->n.birth_date;
	if (core_title_level_parse(d->title_level, &in.title_level) != 0) {
		in.title_level = CORE_TITLE_NONE;
	}
	in.title_kind = CORE_TITLE_KIND_APPOINTMENT;
	in.title_date = d->title_date;
	in.category = d->quota_category;
	for (int k = 1; k <= 9; k++) {
		if (d->has_condition[k]) {
			claims[n++] = (struct core_elig_claim){k, d->condition[k]};
		}
	}
	in.claims = claims;
	in.n_claims = n;
	if (core_prior_leader_parse(d->prior_leader, &in.prior_leader) != 0) {
		in.prior_leader = CORE_PRIOR_UNKNOWN;
	}
	in.justification = justification;
	return core_elig_check(c, &in, res);
}

int
core_nominee_check(struct core *c, int64_t id, const char *justification,
		   struct core_elig_result *out)
{
	struct core_dossier *d = calloc(1, sizeof(*d));
	int r;

	if (!d) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = core_nominee_get(c, id, d)) == 0) {
		r = dossier_elig(c, d, justification, out);
	}
	free(d);
	return r;
}

int
wf_check_eligible(struct core *c, const struct core_dossier *d,
		  const char *justification)
{
	struct core_elig_result *res = calloc(1, sizeof(*res));
	char failed[256] = "";
	size_t off = 0;
	int r;

	if (!res) {
		return core_err(c, CORE_EINTERNAL, NULL, "out of memory");
	}
	if ((r = dossier_elig(c, d, justification, res)) != 0) {
		goto out;
	}
	for (size_t i = 0; i < res->n_rules; i++) {
		if (res->rules[i].result == CORE_RULE_PASS) {
			continue;
		}
		off += (size_t)snprintf(failed + off, sizeof(failed) - off,
					"%s%s", off ? ", " : "",
					res->rules[i].rule);
		if (off >= sizeof(failed)) {
			off = sizeof(failed) - 1;
		}
	}
	if (res->verdict == CORE_ELIG_INELIGIBLE) {
		r = core_err(c, CORE_ESTATE, NULL,
			     _("not eligible (%s); see the eligibility check "
			       "of nominee %lld"),
			     failed, (long long)d->n.id);
	} else if (res->verdict == CORE_ELIG_OVERRIDE_NEEDED) {
		r = core_err(c, CORE_ESTATE, "reason",
			     _("needs an override (%s): give the justification "
			       "as the reason"),
			     failed);
	}
out:
	free(res);
	return r;
}

int
wf_check_quota(struct core *c, const struct core_dossier *d,
	       const char *justification)
{
	return core_quota_check(c, d->holder, d->quota_category,
				justification, d->n.id);
}

int
wf_objection_open(struct core *c, const struct core_dossier *d,
		  const char *text)
{

	return db_exec(c,
	               "INSERT INTO objection (nominee_id, notice, text, "
	               "recorded_by, opened_ms, seq) VALUES "
	               "(?1, ?2, ?3, ?4, ?5, -1)",
	               "ittii", (int64_t)d->n.id,
	               core_state_has(d->n.state, CORE_STF_NOTICE_LOCAL)
	                   ? "local"
	                   : "public",
	               text, c->actor.id, (int64_t)core_now_ms(c));
}

int
wf_objection_close(struct core *c, const struct core_dossier *d,
		   const char *outcome)
{

	return db_exec(c,
	               "UPDATE objection SET outcome = ?1, closed_ms = ?2 "
	               "WHERE nominee_id = ?3 AND outcome = ''",
	               "tii", outcome, (int64_t)core_now_ms(c),
	               (int64_t)d->n.id);
}

const char *
wf_resume_state(struct core *c, int64_t id)
{
	sqlite3_stmt *st = NULL;
	const char *out = NULL;
	int s;

	/* only a notice is left for an investigation; the code
	 * returned is the table's, not the row's */
	if (db_row(c, &st, "SELECT resume_state FROM nominee WHERE id = ?1",
	           "i", id) == 1 &&
	    (s = core_state_parse(db_text(st, 0))) >= 0 &&
	    (core_state_get(s)->flags &
	     (CORE_STF_NOTICE_LOCAL | CORE_STF_NOTICE_CITY)) != 0) {
		out = core_state_code(s);
	}
	sqlite3_finalize(st);
	return out;
}

int
dossier_field_empty(const struct core_dossier *d, const char *field)
{
	return core_dossier_value(d, field)[0] == '\0';
}

int
core_deadline_extend(struct core *c, const char *holder, const char *until,
		     const char *reason, struct core_receipt *rc)
{
	struct core_unit u;
	char instant[40], why[4200];
	int64_t until_ms;
	int r;

	core_err_clear(c);
	if (!c->has_actor || c->actor.role != CORE_ROLE_CITY_HR) {
		return core_err(c, CORE_EPERM, NULL,
				_("only city HR may extend the deadline"));
	}
	if (!holder || core_unit_get(c, holder, &u) != 0) {
		return core_err(c, CORE_EINVAL, "unit",
				_("Unit: no unit with code '%s'"),
				holder ? holder : "");
	}
	/* Reports are checked against their holder's extension only (the
	 * kinds find_holder() in core/workflow.c stops at): one granted to
	 * an employer or the city would be recorded and never apply. */
	if (strcmp(u.kind, "county") != 0 && strcmp(u.kind, "department") != 0 &&
	    strcmp(u.kind, "zone") != 0 && strcmp(u.kind, "channel") != 0 &&
	    strcmp(u.kind, "stationed") != 0) {
		return core_err(c, CORE_EINVAL, "unit",
				_("Unit: '%s' (%s) does not report to the city; "
				  "extend the deadline of its county, department, "
				  "zone, channel or stationed-units office"),
				holder, u.kind);
	}
	if ((r = valid_calendar_date(c, "until", until)) != 0) {
		return r;
	}
	snprintf(instant, sizeof(instant), "%sT23:59:59+08:00", until);
	if ((until_ms = parse_instant_ms(instant)) <= round_deadline_ms(c)) {
		return core_err(c, CORE_EINVAL, "until",
				_("until: must be after the round's deadline"));
	}
	if ((r = valid_text(c, "reason", reason, 4000, 1)) != 0) {
		return r;
	}
	snprintf(why, sizeof(why), "deadline for %s extended to %s: %s",
		 holder, instant, reason);
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "INSERT INTO deadline_extension (holder, until_ms, "
	                 "reason, granted_by, seq) VALUES (?1, ?2, ?3, ?4, "
	                 "(SELECT count(*) FROM log_entry))",
	                 "titi", holder, until_ms, reason, c->actor.id)) != 0) {
		goto fail;
	}
	if ((r = audit_record(c, ACT_ADMIN, NULL, why, "holder:%s", holder)) !=
	    0) {
		goto fail;
	}
	return tx_commit(c, rc);
fail:
	tx_rollback(c);
	return r;
}
