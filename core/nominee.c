/*
 * Nominees: adding and listing, each authorized by the actor's role and
 * unit (core/authz.c) and each write audited in the same transaction.
 * nominee_create() is the one insert, shared by core_nominee_add() (its
 * own transaction) and the spreadsheet importer (one transaction for a
 * whole file).  core_nominee_add_once() makes an add safe to retry: the
 * actor's idempotency key is stored with the nominee in the same
 * transaction (schema 0018), and a retry with it writes nothing.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_int.h"
#include "core/i18n.h"
#include "core/utf8.h"


/* "condition.N" -> N (1-9), else 0. */
static int
condition_index(const char *field)
{
	if (strncmp(field, "condition.", 10) == 0 && field[10] >= '1' &&
	    field[10] <= '9' && field[11] == '\0') {
		return field[10] - '0';
	}
	return 0;
}

int
core_nominee_check_field(struct core *c, const char *field,
			 const char *value)
{
	const struct dossier_spec *sp;

	core_err_clear(c);
	if (!field) {
		return core_err(c, CORE_EINVAL, "", _("unknown field '%s'"), "");
	}
	if (condition_index(field)) {
		return value && *value
			       ? valid_text(c, field, value, 2000, 1)
			       : 0;
	}
	if (!(sp = dossier_spec_find(field))) {
		return core_err(c, CORE_EINVAL, field, _("unknown field '%s'"),
				field);
	}
	if (!value || !*value) {
		if (sp->required) {
			return core_err(c, CORE_EINVAL, field,
					_("%s: is required"),
					core_field_label(field));
		}
		return 0;
	}
	return sp->check(c, field, value);
}

const char *const *
core_dossier_fields(void)
{
	static const char *names[32];

	if (!names[0]) {
		size_t i = 0;

		for (const struct dossier_spec *sp = dossier_specs();
		     sp->field && i + 1 < sizeof(names) / sizeof(names[0]);
		     sp++) {
			names[i++] = sp->field;
		}
	}
	return names;
}

static int
validate_new(struct core *c, const struct core_nominee_new *n)
{
	int r;

	if ((r = core_nominee_check_field(c, "name", n->name)) != 0 ||
	    (r = core_nominee_check_field(c, "gender", n->gender)) != 0 ||
	    (r = core_nominee_check_field(c, "birth_date", n->birth_date)) !=
		    0 ||
	    (r = core_nominee_check_field(c, "title", n->title)) != 0) {
		return r;
	}
	return 0;
}

static int
exec_step(struct core *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : core_err_sql(c, rc);
}

int
nominee_value_tidy(struct core *c, const char *field, const char *in,
		   char *out, size_t outsz)
{
	if (!in || utf8_normalize(in, out, outsz) != 0) {
		return core_err(c, CORE_EINVAL, field,
				_("%s: is not valid UTF-8 text or is too long"),
				core_field_label(field));
	}
	core_field_tidy(field, out, outsz);
	return 0;
}

/* The value given for field in vals, or NULL. */
static const char *
find_value(const struct core_field_value *vals, size_t n_vals,
	   const char *field)
{
	for (size_t i = 0; i < n_vals; i++) {
		if (vals[i].field && strcmp(vals[i].field, field) == 0) {
			return vals[i].value;
		}
	}
	return NULL;
}

int
nominee_id_taken(struct core *c, int64_t round_id, const char *id_number)
{
	sqlite3_stmt *st = NULL;
	int taken = 0;

	if (!id_number || !*id_number) {
		return 0;
	}
	if (db_query(c, &st,
	             "SELECT 1 FROM nominee WHERE round_id = ?1 AND "
	             "id_number = ?2 LIMIT 1",
	             "it", round_id, id_number) != 0) {
		return 0;
	}
	taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return taken;
}

/* The conditions claimed in vals, as rows of nominee_condition. */
static int
insert_conditions(struct core *c, int64_t id,
		  const struct core_field_value *vals, size_t n_vals)
{
	int r;

	for (size_t i = 0; i < n_vals; i++) {
		int k = vals[i].field ? condition_index(vals[i].field) : 0;

		if (!k) {
			continue;
		}
		if ((r = db_exec(c,
		                 "INSERT INTO nominee_condition (nominee_id, "
		                 "cond, evidence) VALUES (?1, ?2, ?3) ON "
		                 "CONFLICT DO UPDATE SET evidence = "
		                 "excluded.evidence",
		                 "idt", id, k,
		                 vals[i].value ? vals[i].value : "")) != 0) {
			return r;
		}
	}
	return 0;
}

int
nominee_create(struct core *c, int64_t round_id, const char *unit,
	       const struct core_field_value *vals, size_t n_vals,
	       const char *reason, int64_t *id_out, uint64_t *seq_out)
{
	const struct dossier_spec *sp;
	const char *bound[32], *birth, *idn;
	char sql[1024], subj[48];
	size_t off, n_bound = 0;
	uint8_t salt[32], digest[32];
	sqlite3_stmt *st = NULL;
	struct audit_act a;
	uint64_t seq = 0;
	int64_t id;
	int r;

	if (!c->in_tx) {
		return core_err(c, CORE_EINTERNAL, NULL,
				"nominee created outside a transaction");
	}
	idn = find_value(vals, n_vals, "id_number");
	if (idn && *idn && nominee_id_taken(c, round_id, idn)) {
		return core_err(c, CORE_EEXIST, "id_number",
				_("ID number: this person is already "
				  "nominated in this round (one nomination "
				  "per person)"));
	}
	/* Checked at entry in every later round (一票否决). */
	if (idn && *idn && (r = veto_register_check(c, idn)) != 0) {
		return r;
	}
	birth = find_value(vals, n_vals, "birth_date");
	randombytes_buf(salt, sizeof(salt));

	/* Column names come from the const field table, never input. */
	off = (size_t)snprintf(sql, sizeof(sql),
			       "INSERT INTO nominee (round_id, unit, salt, "
			       "digest, created_by, created_ms, seq, "
			       "birth_precision");
	for (sp = dossier_specs(); sp->field; sp++) {
		const char *v = find_value(vals, n_vals, sp->field);

		/* Unstated is unrecorded, never the column's old default
		 * 无: X1 must not pass on what nobody said (elig.c). */
		if (!v && strcmp(sp->field, "prior_leader") == 0) {
			v = "";
		}
		if (!v || n_bound >= sizeof(bound) / sizeof(bound[0])) {
			continue;
		}
		bound[n_bound++] = v;
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", %s",
					sp->column);
	}
	off += (size_t)snprintf(sql + off, sizeof(sql) - off,
				") VALUES (?1, ?2, ?3, zeroblob(32), ?4, ?5, "
				"-1, ?6");
	for (size_t i = 0; i < n_bound; i++) {
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, ", ?%zu",
					i + 7);
	}
	snprintf(sql + off, sizeof(sql) - off, ")");
	if ((r = db_query(c, &st, sql, "itbiit", round_id, unit, salt,
	                  (size_t)32, c->actor.id, (int64_t)core_now_ms(c),
	                  birth && strlen(birth) == 7 ? "month" : "day")) != 0) {
		return r;
	}
	for (size_t i = 0; i < n_bound; i++) {
		sqlite3_bind_text(st, (int)i + 7, bound[i], -1,
				  SQLITE_STATIC);
	}
	if ((r = exec_step(c, st)) != 0) {
		return r;
	}
	id = sqlite3_last_insert_rowid(c->db);
	if ((r = insert_conditions(c, id, vals, n_vals)) != 0) {
		return r;
	}

	/* seq is filled in below, once the entry exists. */
	if ((r = dossier_compute(c, id, 1, salt, digest)) != 0) {
		return r;
	}
	snprintf(subj, sizeof(subj), "nominee:%lld", (long long)id);
	memset(&a, 0, sizeof(a));
	a.act = ACT_NOMINEE_CREATED;
	a.subject = subj;
	a.version = 1;
	a.digest = digest;
	a.reason = reason ? reason : "";
	if ((r = audit_append(c, &a, &seq)) != 0) {
		return r;
	}
	if ((r = db_exec(c,
	                 "UPDATE nominee SET digest = ?1, seq = ?2 "
	                 "WHERE id = ?3",
	                 "bii", digest, (size_t)32, (int64_t)seq, id)) != 0) {
		return r;
	}
	if (id_out) {
		*id_out = id;
	}
	if (seq_out) {
		*seq_out = seq;
	}
	return 0;
}

/* An idempotency key: [A-Za-z0-9._-]{8,64}. */
static int
idem_key_ok(const char *key)
{
	size_t n = strlen(key);

	return n >= 8 && n <= 64 &&
	       strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789._-") == n;
}

/* Adds s to the request digest, length first: no two requests collide by
 * moving a boundary. */
static void
idem_hash_str(crypto_generichash_state *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char len[4] = {(unsigned char)(n >> 24),
				(unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};

	crypto_generichash_update(h, len, sizeof(len));
	crypto_generichash_update(h, (const unsigned char *)(s ? s : ""), n);
}

/* The digest of a normalized add request, as schema 0018 stores it. */
static void
idem_request(const char *unit, const struct core_nominee_new *n,
	     uint8_t out[32])
{
	static const char dom[] = "nomdesk/idempotency/nominee-add/v1";
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const unsigned char *)dom, sizeof(dom));
	idem_hash_str(&h, unit);
	idem_hash_str(&h, n->name);
	idem_hash_str(&h, n->gender);
	idem_hash_str(&h, n->birth_date);
	idem_hash_str(&h, n->title);
	crypto_generichash_final(&h, out, 32);
}

/*
 * Inside the add's transaction: has the actor used key before?  0 and
 * *found 0 if not; 0 and *found 1 with *id_out and *rc (the first call's
 * nominee and receipt: its entry and the checkpoint its commit signed)
 * if with this request; CORE_EEXIST naming the key if with another.
 */
static int
idem_lookup(struct core *c, const char *key, const uint8_t req[32],
	    int *found, int64_t *id_out, struct core_receipt *rc)
{
	sqlite3_stmt *st = NULL;
	char note[1024], size[32] = "", root[64] = "";
	int64_t id;
	uint64_t seq;
	int r = CORE_EINTERNAL, rc_sql, same;

	*found = 0;
	if ((r = db_query(c, &st,
	                  "SELECT request, nominee_id, seq FROM "
	                  "idempotency_key WHERE actor = ?1 AND key = ?2",
	                  "it", c->actor.id, key)) != 0) {
		goto out;
	}
	rc_sql = sqlite3_step(st);
	if (rc_sql == SQLITE_DONE) {
		r = 0;
		goto out;
	}
	if (rc_sql != SQLITE_ROW) {
		r = core_err_sql(c, rc_sql);
		goto out;
	}
	same = sqlite3_column_bytes(st, 0) == 32 &&
	       memcmp(sqlite3_column_blob(st, 0), req, 32) == 0;
	id = sqlite3_column_int64(st, 1);
	seq = (uint64_t)sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	st = NULL;
	if (!same) {
		r = core_err(c, CORE_EEXIST, "idempotency_key",
			     _("idempotency key '%s': already used for a "
			       "different nominee; a new nominee needs a new "
			       "key"),
			     key);
		goto out;
	}
	if ((r = db_query(c, &st,
	                  "SELECT note FROM log_checkpoint WHERE size > ?1 "
	                  "ORDER BY size LIMIT 1",
	                  "i", (int64_t)seq)) != 0) {
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("no checkpoint covers log entry %llu"),
			     (unsigned long long)seq);
		goto out;
	}
	db_copy(note, sizeof(note), st, 0);
	/* A signed note: origin, size and root, one a line. */
	if (sscanf(note, "%*[^\n]\n%31[0-9]\n%47[A-Za-z0-9+/=]", size,
		   root) != 2) {
		r = core_err(c, CORE_ECORRUPT, NULL,
			     _("the checkpoint covering log entry %llu is "
			       "malformed"),
			     (unsigned long long)seq);
		goto out;
	}
	if (rc) {
		rc->seq = seq;
		rc->tree_size = strtoull(size, NULL, 10);
		snprintf(rc->root, sizeof(rc->root), "%.47s", root);
	}
	if (id_out) {
		*id_out = id;
	}
	*found = 1;
	r = 0;
out:
	sqlite3_finalize(st);
	return r;
}

/* Inside the add's transaction: the key, bound to the new nominee. */
static int
idem_store(struct core *c, const char *key, const uint8_t req[32], int64_t id,
	   uint64_t seq)
{

	return db_exec(c,
	               "INSERT INTO idempotency_key (actor, key, "
	               "request, nominee_id, seq, created_ms) VALUES "
	               "(?1, ?2, ?3, ?4, ?5, ?6)",
	               "itbiii", c->actor.id, key, req, (size_t)32, id,
	               (int64_t)seq, (int64_t)core_now_ms(c));
}

int
core_nominee_add_once(struct core *c, const struct core_nominee_new *in,
		      const char *key, int64_t *id_out,
		      struct core_receipt *rc, int *replayed)
{
	char name[CORE_NAME_SIZE], title[CORE_TEXT_SIZE], gender[16],
		birth[32];
	struct core_nominee_new nn = *in, *n = &nn;
	struct core_field_value vals[4];
	struct core_unit unit;
	int64_t round_id, id = 0;
	uint64_t seq = 0;
	uint8_t req[32];
	const char *unit_code;
	int r, found = 0;

	core_err_clear(c);
	if (id_out) {
		*id_out = 0;
	}
	if (replayed) {
		*replayed = 0;
	}
	/* Not echoed: a malformed key may hold anything. */
	if (key && !idem_key_ok(key)) {
		return core_err(c, CORE_EINVAL, "idempotency_key",
				_("idempotency key: use 8 to 64 characters "
				  "from A-Z, a-z, 0-9, '.', '_' and '-'"));
	}
	if (!c->has_actor) {
		return authz_nominate(c, "");
	}
	unit_code = n->unit && *n->unit ? n->unit : c->actor.unit;
	if (core_unit_get(c, unit_code, &unit) != 0) {
		return core_err(c, CORE_EINVAL, "unit",
				_("Unit: no unit with code '%s'"), unit_code);
	}
	if ((r = authz_nominate(c, unit_code)) != 0) {
		return r;
	}
	/* tidied as the forms and the importer tidy them (core_field_tidy) */
	if ((r = nominee_value_tidy(c, "name", in->name ? in->name : "", name,
				    sizeof(name))) != 0 ||
	    (r = nominee_value_tidy(c, "title", in->title ? in->title : "",
				    title, sizeof(title))) != 0 ||
	    (r = nominee_value_tidy(c, "gender", in->gender ? in->gender : "",
				    gender, sizeof(gender))) != 0 ||
	    (r = nominee_value_tidy(c, "birth_date",
				    in->birth_date ? in->birth_date : "", birth,
				    sizeof(birth))) != 0) {
		return r;
	}
	nn.name = name;
	nn.title = title;
	nn.gender = gender;
	nn.birth_date = birth;
	if ((r = validate_new(c, n)) != 0) {
		return r;
	}
	if ((round_id = db_current_round(c)) == 0) {
		return core_err(c, CORE_ESTATE, NULL, _("no round is open"));
	}
	vals[0] = (struct core_field_value){"name", n->name};
	vals[1] = (struct core_field_value){"gender", n->gender};
	vals[2] = (struct core_field_value){"birth_date", n->birth_date};
	vals[3] = (struct core_field_value){"title", n->title};
	idem_request(unit_code, n, req);

	if ((r = tx_begin(c)) != 0) {
		return r;
	}
	/* Inside the write transaction: a concurrent retry waits here. */
	if (key && ((r = idem_lookup(c, key, req, &found, id_out, rc)) != 0 ||
		    found)) {
		tx_rollback(c); /* nothing was written */
		if (r == 0 && replayed) {
			*replayed = 1;
		}
		return r;
	}
	if ((r = nominee_create(c, round_id, unit_code, vals, 4, "", &id,
				&seq)) != 0) {
		goto fail;
	}
	if (key && (r = idem_store(c, key, req, id, seq)) != 0) {
		goto fail;
	}
	if ((r = tx_commit(c, rc)) != 0) {
		return r;
	}
	if (rc) {
		rc->seq = seq;
	}
	if (id_out) {
		*id_out = id;
	}
	return 0;
fail:
	tx_rollback(c);
	return r;
}

int
core_nominee_add(struct core *c, const struct core_nominee_new *in,
		 int64_t *id_out, struct core_receipt *rc)
{
	return core_nominee_add_once(c, in, NULL, id_out, rc, NULL);
}

int
core_nominee_list(struct core *c,
		  int (*cb)(void *ctx, const struct core_nominee *n),
		  void *ctx)
{
	char scope[512], sql[1024];
	struct core_nominee n;
	sqlite3_stmt *st = NULL;
	int r, rc;

	core_err_clear(c);
	if (!c->has_actor) {
		return core_err(c, CORE_EPERM, NULL,
				_("log in as a user to list nominees"));
	}
	if ((r = authz_sql_scope(c, scope, sizeof(scope))) != 0) {
		return core_err(c, r, NULL, NULL);
	}
	snprintf(sql, sizeof(sql),
		 "SELECT n.id, n.unit, u.name, n.name, n.gender, "
		 "n.birth_date, n.title, n.state, n.version, n.seq "
		 "FROM nominee n JOIN unit u ON u.code = n.unit "
		 "WHERE %s ORDER BY n.id",
		 scope);
	/* Bound by hand: the scope decides whether ?9 (the actor's unit)
	 * is in the statement at all, and the helpers bind from ?1. */
	if ((r = db_prepare(c, &st, sql)) != 0) {
		return r;
	}
	if (sqlite3_bind_parameter_index(st, "?9")) {
		sqlite3_bind_text(st, 9, c->actor.unit, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&n, 0, sizeof(n));
		n.id = sqlite3_column_int64(st, 0);
		db_copy(n.unit, sizeof(n.unit), st, 1);
		db_copy(n.unit_name, sizeof(n.unit_name), st, 2);
		db_copy(n.name, sizeof(n.name), st, 3);
		db_copy(n.gender, sizeof(n.gender), st, 4);
		db_copy(n.birth_date, sizeof(n.birth_date), st, 5);
		db_copy(n.title, sizeof(n.title), st, 6);
		db_copy(n.state, sizeof(n.state), st, 7);
		n.version = (uint32_t)sqlite3_column_int64(st, 8);
		n.seq = (uint64_t)sqlite3_column_int64(st, 9);
		if ((r = cb(ctx, &n)) != 0) {
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		r = core_err_sql(c, rc);
	}
	sqlite3_finalize(st);
	return r;
}
