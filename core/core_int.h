/*
 * core internals shared by the core/ sources; nothing outside core/ includes it.
 */
#ifndef NOMDESK_CORE_INT_H
#define NOMDESK_CORE_INT_H

#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/core.h"
#include "keys/keys.h"

struct core {
	sqlite3 *db;
	char dir[PATH_MAX];
	char origin[128]; /* the log's origin line */
	struct signer *logkey;
	uint8_t logkey_id[KEYS_HASH_LEN];

	struct core_user actor;
	int has_actor;
	int is_system; /* the host operator at the console */

	int in_tx;
	uint64_t tx_first_seq; /* first entry appended in this transaction */
	int tx_entries;

	int64_t (*now_ms)(void *ctx);
	void *now_ctx;

	char errmsg[512];
	char errfield[32];
};

/* A zeroed handle with the real clock; NULL when out of memory. */
struct core *core_alloc(void);

/* Sets the error detail and returns err (for `return core_err(...)`). */
int core_err(struct core *c, int err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a SQLite result to an enum core_err with a user message. */
int core_err_sql(struct core *c, int rc);
void core_err_clear(struct core *c);

/* ---- db.c ---- */
int db_open(struct core *c, const char *path, int create, char *err,
	    size_t errlen);
int db_migrate(struct core *c, char *err, size_t errlen);
int db_prepare(struct core *c, sqlite3_stmt **st, const char *sql);
/* Text column as a C string, never NULL. */
const char *db_text(sqlite3_stmt *st, int col);
void db_copy(char *dst, size_t dstsz, sqlite3_stmt *st, int col);
int64_t db_current_round(struct core *c);

/*
 * One write transaction: begin (BEGIN IMMEDIATE), then writes and their
 * audit entries, then commit, which signs the checkpoint covering every
 * entry appended in the transaction and COMMITs; either all of it is
 * durable or none.  rollback is safe to call when not in a transaction.
 */
int tx_begin(struct core *c);
int tx_commit(struct core *c, struct core_receipt *rc);
void tx_rollback(struct core *c);

/* ---- audit.c ---- */
struct audit_act {
	uint16_t act;          /* enum stmt_act */
	const char *subject;   /* "" or e.g. "nominee:12" */
	uint32_t version;
	const uint8_t *prev_digest; /* NULL = zeros */
	const uint8_t *digest;      /* NULL = zeros */
	uint8_t decision;
	const char *reason;    /* "" or free text (sanitized rules apply) */
};

/* Appends one entry (inside tx_begin/tx_commit); *seq is its number. */
int audit_append(struct core *c, const struct audit_act *a, uint64_t *seq);
/* Loads the log's origin and checks the log key matches the log. */
int audit_load(struct core *c);
/* Current tree size and root (from the stored frontier). */
int audit_tree_head(struct core *c, uint64_t *size, uint8_t root[32]);

/* ---- authz.c ---- */
/* 0 if the actor may see nominees of unit; CORE_ENOENT otherwise. */
int authz_unit_visible(struct core *c, const char *unit);
/* 0 if the actor may nominate for unit; CORE_EPERM otherwise. */
int authz_nominate(struct core *c, const char *unit);
/* 0 if the actor may administer users/units. */
int authz_admin(struct core *c);
/* The same questions for one loaded dossier (scope by its unit and, once
 * submitted, by its holder). 0, or CORE_ENOENT / CORE_EPERM with detail. */
int authz_nominee_visible(struct core *c, const struct core_dossier *d);
int authz_nominee_write(struct core *c, const struct core_dossier *d);
/* 1 if unit is code or under it in the unit tree. */
int authz_unit_under(struct core *c, const char *unit, const char *code);
/* SQL fragment condition "n.unit IN (...)" bound to the actor. */
int authz_sql_scope(struct core *c, char *out, size_t outsz);

/* ---- valid.c ---- */
int valid_login(struct core *c, const char *field, const char *s);
int valid_text(struct core *c, const char *field, const char *s,
	       size_t max_cols, int multiline);
int valid_gender(struct core *c, const char *field, const char *s);
int valid_date(struct core *c, const char *field, const char *s);
/* A calendar date YYYY-MM-DD from 1900 on, past or future. */
int valid_calendar_date(struct core *c, const char *field, const char *s);
/* YYYY-MM-DD, or YYYY-MM when only the month is known. */
int valid_birth_date(struct core *c, const char *field, const char *s);
int valid_id_number(struct core *c, const char *field, const char *s);

/* ---- fields.c ---- */
struct dossier_spec {
	const char *field;  /* API and CLI name */
	const char *column; /* nominee column */
	const char *label;  /* N_() English; shown through _() */
	int (*check)(struct core *c, const char *field, const char *value);
	int required;       /* before the pledge */
	int max_cols;       /* display width of the value */
};
/* NULL-terminated table, in form order. */
const struct dossier_spec *dossier_specs(void);
const struct dossier_spec *dossier_spec_find(const char *field);

/* ---- nominee_edit.c ---- */
/* Loads nominee id (scoped if check_scope) and verifies its digest. */
int nominee_load(struct core *c, int64_t id, struct core_dossier *d,
		 uint8_t salt[32], int check_scope);
/* Inside a transaction: bumps the version, re-digests, audits the act and
 * sets the state. */
int nominee_new_version(struct core *c, const struct core_dossier *d,
			const char *new_state, uint16_t act, uint8_t decision,
			const char *reason, uint64_t *seq_out);

/* ---- workflow_state.c ---- */
int64_t parse_instant_ms(const char *s);
int64_t round_deadline_ms(struct core *c);
/* When the notice d is in (opened at opened_ms) ends; *days its length. */
int64_t round_notice_end_ms(struct core *c, const struct core_dossier *d,
			    int64_t opened_ms, int *days);
int wf_check_eligible(struct core *c, const struct core_dossier *d,
		      const char *justification);
int wf_check_quota(struct core *c, const struct core_dossier *d,
		   const char *justification);
int wf_objection_open(struct core *c, const struct core_dossier *d,
		      const char *text);
int wf_objection_close(struct core *c, const struct core_dossier *d,
		       const char *outcome);
const char *wf_resume_state(struct core *c, int64_t id);
int dossier_field_empty(const struct core_dossier *d, const char *field);

/* ---- dossier.c ---- */
struct dossier_field {
	const char *name;
	const char *value;
};
/* The digest of nominee id's stored dossier at version with salt. */
int dossier_compute(struct core *c, int64_t id, uint32_t version,
		    const uint8_t salt[32], uint8_t out[32]);
/* SHA-256 dossier digest, audit-log.md 2.4 (fields sorted inside). */
int dossier_digest(int64_t nominee_id, uint32_t version,
		   const uint8_t salt[32], struct dossier_field *fields,
		   size_t n_fields, uint8_t out[32]);

/* ---- round.c, elig.c, quota.c: rounds, eligibility, quotas ---- */

/* The round definitions compiled in from rounds/ (scripts/embed_rounds.sh). */
struct round_builtin {
	const char *code; /* the file's base name */
	const char *json;
	size_t len;
};
extern const struct round_builtin round_builtins[];
extern const size_t round_n_builtins;

/*
 * Completes the current round's row from the built-in definition of the
 * same code, if it has none yet (core_init_dir, after the genesis entry).
 * An audited admin act; 0 when there is nothing to do.
 */
int round_load_reference(struct core *c);

/* "YYYY-MM-DD" (d set) or "YYYY-MM" (d = 0), years 1900-2200; 0 or -1. */
int round_date_parse(const char *s, int *y, int *m, int *d);
int round_days_in_month(int y, int m);

#endif
