/*
 * Reading one dossier and changing it.  Reads are scoped like the list
 * (an out-of-scope nominee answers exactly like a missing one); every
 * read re-derives the digest so an edit behind the log is noticed at the
 * next screen that shows the dossier (audit-log.md 2.4, verify on read).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"

static void
mask_id(const char *full, char *out, size_t outsz)
{
	size_t n = strlen(full);

	if (n < 9) {
		snprintf(out, outsz, "%s", n ? "****" : "");
		return;
	}
	snprintf(out, outsz, "%.4s**********%s", full, full + n - 4);
}

static int
not_found(struct core *c, int64_t id)
{
	return core_err(c, CORE_ENOENT, NULL, _("no nominee %lld"),
			(long long)id);
}

int
nominee_load(struct core *c, int64_t id, struct core_dossier *d,
	     uint8_t salt[32], int check_scope)
{
	const struct dossier_spec *sp;
	sqlite3_stmt *st = NULL;
	uint8_t digest[32];
	int r;

	memset(d, 0, sizeof(*d));
	if ((r = db_query(
	         c, &st,
	         "SELECT n.id, n.unit, u.name, n.name, n.gender, "
	         "n.birth_date, n.title, n.state, n.version, n.seq, "
	         "n.id_number, n.birth_precision, n.education, n.degree, "
	         "n.title_level, n.title_date, n.system, n.channel, "
	         "n.prior_leader, n.specialty, n.phone, n.holder, "
	         "COALESCE(n.quota_category, ''), n.salt, n.digest, "
	         "COALESCE(n.applicant_user, 0) FROM nominee n JOIN unit u ON "
	         "u.code = n.unit "
	         "WHERE n.id = ?1",
	         "i", id)) != 0) {
		return r;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return not_found(c, id);
	}
	d->n.id = sqlite3_column_int64(st, 0);
	db_copy(d->n.unit, sizeof(d->n.unit), st, 1);
	db_copy(d->n.unit_name, sizeof(d->n.unit_name), st, 2);
	db_copy(d->n.name, sizeof(d->n.name), st, 3);
	db_copy(d->n.gender, sizeof(d->n.gender), st, 4);
	db_copy(d->n.birth_date, sizeof(d->n.birth_date), st, 5);
	db_copy(d->n.title, sizeof(d->n.title), st, 6);
	db_copy(d->n.state, sizeof(d->n.state), st, 7);
	d->n.version = (uint32_t)sqlite3_column_int64(st, 8);
	d->n.seq = (uint64_t)sqlite3_column_int64(st, 9);
	db_copy(d->id_number, sizeof(d->id_number), st, 10);
	db_copy(d->birth_precision, sizeof(d->birth_precision), st, 11);
	db_copy(d->education, sizeof(d->education), st, 12);
	db_copy(d->degree, sizeof(d->degree), st, 13);
	db_copy(d->title_level, sizeof(d->title_level), st, 14);
	db_copy(d->title_date, sizeof(d->title_date), st, 15);
	db_copy(d->system, sizeof(d->system), st, 16);
	db_copy(d->channel, sizeof(d->channel), st, 17);
	db_copy(d->prior_leader, sizeof(d->prior_leader), st, 18);
	db_copy(d->specialty, sizeof(d->specialty), st, 19);
	db_copy(d->phone, sizeof(d->phone), st, 20);
	db_copy(d->holder, sizeof(d->holder), st, 21);
	db_copy(d->quota_category, sizeof(d->quota_category), st, 22);
	if (sqlite3_column_bytes(st, 23) == 32) {
		memcpy(salt, sqlite3_column_blob(st, 23), 32);
	}
	if (sqlite3_column_bytes(st, 24) == 32) {
		memcpy(d->digest, sqlite3_column_blob(st, 24), 32);
	}
	d->applicant_user = sqlite3_column_int64(st, 25);
	sqlite3_finalize(st);
	(void)sp;

	if (check_scope && authz_nominee_visible(c, d) != 0) {
		return not_found(c, id);
	}

	if ((r = db_query(c, &st,
	                  "SELECT cond, evidence FROM nominee_condition "
	                  "WHERE nominee_id = ?1",
	                  "i", id)) != 0) {
		return r;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = sqlite3_column_int(st, 0);

		if (k >= 1 && k <= 9) {
			d->has_condition[k] = 1;
			db_copy(d->condition[k], sizeof(d->condition[k]), st,
				1);
		}
	}
	sqlite3_finalize(st);

	if ((r = dossier_compute(c, id, d->n.version, salt, digest)) != 0) {
		return r;
	}
	if (sodium_memcmp(digest, d->digest, 32) != 0) {
		return core_err(c, CORE_ECORRUPT, NULL,
				_("nominee %lld: the stored dossier does not "
				  "match its recorded digest (changed behind "
				  "the log); tell the auditor"),
				(long long)id);
	}
	return 0;
}

int
core_nominee_get(struct core *c, int64_t id, struct core_dossier *out)
{
	uint8_t salt[32];
	char full[24];
	int r;

	core_err_clear(c);
	if ((r = nominee_load(c, id, out, salt, 1)) != 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	snprintf(full, sizeof(full), "%s", out->id_number);
	mask_id(full, out->id_number, sizeof(out->id_number));
	sodium_memzero(full, sizeof(full));
	return 0;
}

int
core_nominee_reveal_id(struct core *c, int64_t id, char out[24])
{
	struct core_dossier d;
	uint8_t salt[32];
	char subj[48];
	struct audit_act a;
	int r;

	core_err_clear(c);
	out[0] = '\0';
	if ((r = nominee_load(c, id, &d, salt, 1)) != 0) {
		return r;
	}
	if ((r = authz_nominee_write(c, &d)) != 0 &&
	    !(c->has_actor && c->actor.role == CORE_ROLE_CITY_HR)) {
		return r;
	}
	/* Reveals are for the staff who check the number, not the owner. */
	if (c->actor.role == CORE_ROLE_APPLICANT) {
		return core_err(c, CORE_EPERM, NULL,
				_("role %s may not reveal ID numbers"),
				core_role_name(c->actor.role));
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	memset(&a, 0, sizeof(a));
	a.act = ACT_VIEW;
	a.subject = subj;
	a.version = d.n.version;
	a.digest = d.digest;
	a.reason = "ID number shown unmasked";
	if ((r = audit_append(c, &a, NULL)) != 0 ||
	    (r = tx_commit(c, NULL)) != 0) {
		tx_rollback(c);
		return r;
	}
	snprintf(out, 24, "%s", d.id_number);
	return 0;
}

/* Another nominee of id's round already has this ID number. */
static int
nominee_id_taken_by_other(struct core *c, int64_t id, const char *idn)
{
	sqlite3_stmt *st = NULL;
	int taken = 0;

	taken =
	    db_row(c, &st,
	           "SELECT 1 FROM nominee WHERE id_number = ?1 AND id != ?2 "
	           "AND round_id = (SELECT round_id FROM nominee WHERE id "
	           "= ?2)",
	           "ti", idn, id) == 1;
	sqlite3_finalize(st);
	return taken;
}

/* One field's write: a nominee column or a condition row. */
static int
write_field(struct core *c, int64_t id, const struct core_field_value *v,
	    const char *value)
{
	const struct dossier_spec *sp = dossier_spec_find(v->field);
	char sql[160];
	sqlite3_stmt *st = NULL;
	int r, rc;

	if (sp) {
		/* Column names come from the const table, never input. */
		snprintf(sql, sizeof(sql),
			 "UPDATE nominee SET %s = ?1 WHERE id = ?2",
			 sp->column);
		if ((r = db_query(c, &st, sql, "ti", value, id)) != 0) {
			return r;
		}
	} else if (!*value) {
		if ((r = db_query(c, &st,
		                  "DELETE FROM nominee_condition WHERE "
		                  "nominee_id = ?1 AND cond = ?2",
		                  "id", id, (int)(v->field[10] - '0'))) != 0) {
			return r;
		}
	} else {
		if ((r = db_query(c, &st,
		                  "INSERT INTO nominee_condition (nominee_id, "
		                  "cond, evidence) VALUES (?1, ?2, ?3) ON "
		                  "CONFLICT DO UPDATE SET evidence = "
		                  "excluded.evidence",
		                  "idt", id, (int)(v->field[10] - '0'),
		                  value)) != 0) {
			return r;
		}
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		return core_err_sql(c, rc);
	}
	if (sp && strcmp(sp->field, "birth_date") == 0) {
		if ((r = db_exec(c,
		                 "UPDATE nominee SET birth_precision = "
		                 "CASE WHEN length(birth_date) = 7 THEN "
		                 "'month' ELSE 'day' END WHERE id = ?1",
		                 "i", id)) != 0) {
			return r;
		}
	}
	return 0;
}

/*
 * Inside the write transaction: is the row still as d was read (before
 * BEGIN, where another session may have written since), and is it the
 * version the caller showed its user (seen_seq, 0: no screen)?  Every
 * change of a nominee (edit, item, material, workflow act, applicant
 * link) moves its seq to the new log entry's number, which only grows,
 * so comparing seq covers them all and never mistakes an old version for
 * the current one.
 */
int
nominee_unchanged(struct core *c, const struct core_dossier *d,
		  uint64_t seen_seq)
{
	sqlite3_stmt *st = NULL;
	uint64_t seq = 0;
	int r, rc;

	if ((r = db_query(c, &st, "SELECT seq FROM nominee WHERE id = ?1", "i",
	                  (int64_t)d->n.id)) != 0) {
		return r;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = (uint64_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		return core_err_sql(c, rc);
	}
	if (rc == SQLITE_DONE || seq != d->n.seq ||
	    (seen_seq != 0 && seen_seq != seq)) {
		return core_err(c, CORE_ESTALE, NULL,
				_("nominee %lld was changed by someone else "
				  "since you opened it; reload and try again"),
				(long long)d->n.id);
	}
	return 0;
}

/* Writes a new version: new salt, digest, seq; audit entry; state. */
int
nominee_new_version(struct core *c, const struct core_dossier *d,
		    const char *new_state, uint16_t act, uint8_t decision,
		    const char *reason, uint64_t *seq_out)
{
	uint8_t salt[32], digest[32];
	uint32_t version = d->n.version + 1;
	char subj[48];
	struct audit_act a;
	uint64_t seq = 0;
	int r;

	randombytes_buf(salt, sizeof(salt));
	if ((r = dossier_compute(c, d->n.id, version, salt, digest)) != 0) {
		return r;
	}
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)d->n.id);
	memset(&a, 0, sizeof(a));
	a.act = act;
	a.subject = subj;
	a.version = version;
	a.prev_digest = d->digest;
	a.digest = digest;
	a.decision = decision;
	a.reason = reason;
	if ((r = audit_append(c, &a, &seq)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "UPDATE nominee SET version = ?1, salt = ?2, "
	                 "digest = ?3, seq = ?4, state = ?5 WHERE id = ?6",
	                 "ibbiti", (int64_t)version, salt, (size_t)32, digest,
	                 (size_t)32, (int64_t)seq, new_state,
	                 (int64_t)d->n.id)) != 0) {
		return r;
	}
	if (seq_out) {
		*seq_out = seq;
	}
	return 0;
}

int
core_nominee_edit_seen(struct core *c, int64_t id, uint64_t seen_seq,
		       const struct core_field_value *vals, size_t n_vals,
		       struct core_receipt *rc)
{
	struct core_dossier d;
	uint8_t salt[32];
	char value[4096], changed[512];
	size_t off = 0;
	uint64_t seq;
	int r;

	core_err_clear(c);
	if ((r = nominee_load(c, id, &d, salt, 1)) != 0) {
		return r;
	}
	if ((r = authz_nominee_write(c, &d)) != 0) {
		return r;
	}
	if (!core_state_has(d.n.state, CORE_STF_EDITABLE)) {
		/* Refused either way; a screen showing an older version is
		 * told that, not about a state it never showed. */
		if ((r = nominee_unchanged(c, &d, seen_seq)) == 0) {
			r = core_err(c, CORE_ESTATE, NULL,
				     _("nominee %lld is %s: only a draft, "
				       "pledged or returned dossier can be "
				       "edited"),
				     (long long)id, core_state_label(d.n.state));
		}
		return r;
	}
	if (n_vals == 0) {
		return core_err(c, CORE_EINVAL, NULL, _("nothing to change"));
	}
	for (size_t i = 0; i < n_vals; i++) {
		const struct core_field_value *v = &vals[i];

		if ((r = nominee_value_tidy(c, v->field,
					    v->value ? v->value : "", value,
					    sizeof(value))) != 0 ||
		    (r = core_nominee_check_field(c, v->field, value)) != 0) {
			return r;
		}
		if (strcmp(v->field, "id_number") == 0 && *value) {
			if (nominee_id_taken_by_other(c, id, value)) {
				return core_err(c, CORE_EEXIST, "id_number",
						_("ID number: this person is "
						  "already nominated in this "
						  "round (one nomination per "
						  "person)"));
			}
			if ((r = veto_register_check(c, value)) != 0) {
				return r;
			}
		}
	}
	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	if ((r = nominee_unchanged(c, &d, seen_seq)) != 0) {
		goto fail;
	}
	for (size_t i = 0; i < n_vals; i++) {
		(void)nominee_value_tidy(c, vals[i].field,
					 vals[i].value ? vals[i].value : "",
					 value, sizeof(value));
		if ((r = write_field(c, id, &vals[i], value)) != 0) {
			goto fail;
		}
		off += (size_t)snprintf(changed + off, sizeof(changed) - off,
					"%s%s", i ? "," : "edited: ",
					vals[i].field);
		if (off >= sizeof(changed)) {
			off = sizeof(changed) - 1;
		}
	}
	/* An edit after the pledge voids it: the pledge signed the old
	 * digest, so the dossier goes back to draft for a new one. */
	if ((r = nominee_new_version(c, &d,
				     core_state_after_edit(d.n.state),
				     ACT_DOSSIER_EDITED, 0, changed, &seq)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		return r;
	}
	if (rc) {
		rc->seq = seq;
	}
	return 0;
fail:
	tx_rollback(c);
	return r;
}

int
core_nominee_edit(struct core *c, int64_t id,
		  const struct core_field_value *vals, size_t n_vals,
		  struct core_receipt *rc)
{
	return core_nominee_edit_seen(c, id, 0, vals, n_vals, rc);
}
