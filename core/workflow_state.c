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

/* "2020-12-15T23:59:59+08:00" -> ms since the epoch; 0 if malformed. */
int64_t
parse_instant_ms(const char *s)
{
	int y, mo, d, h, mi, sec, oh, om;
	char sign;
	struct tm tm = {0};

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d,
			 &h, &mi, &sec, &sign, &oh, &om) != 9 ||
	    (sign != '+' && sign != '-'))
		return 0;
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
	sqlite3_stmt *st = NULL;
	int64_t t = 0;

	if (db_prepare(c, &st,
		       "SELECT deadline FROM round WHERE current = 1") == 0 &&
	    sqlite3_step(st) == SQLITE_ROW)
		t = parse_instant_ms(db_text(st, 0));
	sqlite3_finalize(st);
	return t;
}

int64_t
round_notice_days(struct core *c, int city)
{
	(void)c;
	/* The notice: city 5 days; the county/department length is not
	 * stated, so the same 5 until the round file sets it. */
	return city ? 5 : 5;
}

int
wf_check_eligible(struct core *c, const struct core_dossier *d)
{
	(void)c;
	(void)d;
	return 0;
}

int
wf_check_quota(struct core *c, const struct core_dossier *d)
{
	(void)c;
	(void)d;
	return 0;
}

int
wf_objection_open(struct core *c, const struct core_dossier *d,
		  const char *text)
{
	sqlite3_stmt *st = NULL;
	int r, rc;

	if ((r = db_prepare(c, &st,
			    "INSERT INTO objection (nominee_id, notice, text, "
			    "recorded_by, opened_ms, seq) VALUES "
			    "(?1, ?2, ?3, ?4, ?5, -1)")) != 0)
		return r;
	sqlite3_bind_int64(st, 1, d->n.id);
	sqlite3_bind_text(st, 2,
			  strcmp(d->n.state, "local_notice") == 0 ? "local"
								  : "public",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->actor.id);
	sqlite3_bind_int64(st, 5, core_now_ms(c));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

int
wf_objection_close(struct core *c, const struct core_dossier *d,
		   const char *outcome)
{
	sqlite3_stmt *st = NULL;
	int r, rc;

	if ((r = db_prepare(c, &st,
			    "UPDATE objection SET outcome = ?1, closed_ms = ?2 "
			    "WHERE nominee_id = ?3 AND outcome = ''")) != 0)
		return r;
	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, core_now_ms(c));
	sqlite3_bind_int64(st, 3, d->n.id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

const char *
wf_resume_state(struct core *c, int64_t id)
{
	static const char *const states[] = {"local_notice", "public_notice"};
	sqlite3_stmt *st = NULL;
	const char *out = NULL;

	if (db_prepare(c, &st,
		       "SELECT resume_state FROM nominee WHERE id = ?1") == 0) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			for (size_t i = 0; i < 2; i++)
				if (strcmp(db_text(st, 0), states[i]) == 0)
					out = states[i];
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
	char instant[40], subj[96], why[4200];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	int64_t until_ms;
	int r, rcode;

	core_err_clear(c);
	if (!c->has_actor || c->actor.role != CORE_ROLE_CITY_HR)
		return core_err(c, CORE_EPERM, NULL,
				_("only city HR may extend the deadline"));
	if (!holder || core_unit_get(c, holder, &u) != 0)
		return core_err(c, CORE_EINVAL, "unit",
				_("unit: no unit with code '%s'"),
				holder ? holder : "");
	if ((r = valid_calendar_date(c, "until", until)) != 0)
		return r;
	snprintf(instant, sizeof(instant), "%sT23:59:59+08:00", until);
	if ((until_ms = parse_instant_ms(instant)) <= round_deadline_ms(c))
		return core_err(c, CORE_EINVAL, "until",
				_("until: must be after the round's deadline"));
	if ((r = valid_text(c, "reason", reason, 4000, 1)) != 0)
		return r;
	snprintf(why, sizeof(why), "deadline for %s extended to %s: %s",
		 holder, instant, reason);
	if ((r = tx_begin(c)) != 0)
		return r;
	if ((r = db_prepare(c, &st,
			    "INSERT INTO deadline_extension (holder, until_ms, "
			    "reason, granted_by, seq) VALUES (?1, ?2, ?3, ?4, "
			    "(SELECT count(*) FROM log_entry))")) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, holder, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, until_ms);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->actor.id);
	rcode = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rcode != SQLITE_DONE) {
		r = core_err_sql(c, rcode);
		goto fail;
	}
	snprintf(subj, sizeof(subj), "holder:%s", holder);
	memset(&a, 0, sizeof(a));
	a.act = ACT_ADMIN;
	a.subject = subj;
	a.reason = why;
	if ((r = audit_append(c, &a, NULL)) != 0)
		goto fail;
	return tx_commit(c, rc);
fail:
	tx_rollback(c);
	return r;
}
