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
	int64_t actor_gen; /* user.gen when the session began */
	int account_gone;  /* a re-check failed: the session must end */
	unsigned long n_verify; /* Argon2id checks made (tests) */
	int has_actor;
	int is_system; /* the host operator at the console */

	int in_tx;
	uint64_t tx_first_seq; /* first entry appended in this transaction */
	/* the tree when this transaction appended its first entry: every
	 * entry of it names this as its seen size and root (suite 2) */
	uint64_t tx_seen_size;
	uint8_t tx_seen_root[32];
	int tx_entries;
	/* core_draft_drop_with_next_write: the commit drops the draft too */
	int drop_draft;

	int64_t (*now_ms)(void *ctx);
	void *now_ctx;

	char errmsg[512];
	char errfield[32];

	/* The actor's unlocked signing key (issue #4): keys/ holds the
	 * secret, core only this pointer; NULL when locked.  ukey_owner is
	 * the user it was unlocked for; ukey_session 0 wipes it after the
	 * next signed act.  core_key_lock() (core_close) wipes it. */
	struct userkey *ukey;
	int64_t ukey_owner;
	int ukey_session;

	/* core_open_readonly() (db_ro.c): the private snapshot directory of
	 * an evidence copy with a write-ahead log, removed by core_close();
	 * NULL otherwise. */
	char *ro_snapshot;
};

/* A zeroed handle with the real clock; NULL when out of memory. */
struct core *core_alloc(void);
/* libsodium initialised and a zeroed handle for data_dir in *out
 * (caller closes); CORE_EINTERNAL with err otherwise.  core_open and
 * core_open_readonly begin with it. */
int core_alloc_for(struct core **out, const char *data_dir, char *err,
		   size_t errlen);

/* Sets the error detail and returns err (for `return core_err(...)`). */
int core_err(struct core *c, int err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a SQLite result to an enum core_err with a user message. */
int core_err_sql(struct core *c, int rc);
/* A file write outside SQLite failed with errno e: CORE_EIO with "could
 * not save WHAT: the disk is full; nothing was stored" and the like. */
int core_err_file(struct core *c, int e, const char *field, const char *what);
void core_err_clear(struct core *c);

/* ---- db.c ---- */
int db_open(struct core *c, const char *path, int create, char *err,
	    size_t errlen);
int db_migrate(struct core *c, char *err, size_t errlen);
int db_prepare(struct core *c, sqlite3_stmt **st, const char *sql);
/*
 * The binding helpers every query should use: fmt has one letter per
 * parameter ?1, ?2...: 'i' int64_t, 'd' int, 't' const char * (NULL
 * binds NULL; copied), 'b' const void * then size_t length, 'n' NULL
 * (takes no argument).
 *
 * db_exec runs a statement to its end: 0 or the core error (set).
 * db_row steps once: 1 with *st on the row (the caller reads it and
 * calls sqlite3_finalize), 0 when there is no row or <0 on error (then
 * *st is NULL).  db_query prepares and binds for the caller's own
 * stepping loop: 0 with *st (caller finalizes) or <0.
 */
int db_exec(struct core *c, const char *sql, const char *fmt, ...);
int db_row(struct core *c, sqlite3_stmt **st, const char *sql,
	   const char *fmt, ...);
int db_query(struct core *c, sqlite3_stmt **st, const char *sql,
	     const char *fmt, ...);
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
	/* Issue #4: personal signatures besides the log key's. */
	int sign; /* the actor signs with the unlocked key (c->ukey) */
	const struct userkey *cosign[2]; /* further signers (key management) */
	const uint8_t *key_id; /* statement field 6 if not the signer's */
	const uint8_t (*attach)[32]; /* attachment digests (field 16) */
	uint16_t n_attach;
};

/* Appends one entry (inside tx_begin/tx_commit); *seq is its number. */
int audit_append(struct core *c, const struct audit_act *a, uint64_t *seq);
/*
 * The common entry: unsigned, with only act, subject and reason (version,
 * digests and decision zero).  The subject is formatted from subject_fmt
 * (cut at the statement's 63 bytes, as audit_append would); reason is
 * taken as it is (NULL is ""), never as a format, since it often carries
 * a user's text.  seq may be NULL.  0 or the core error, as audit_append.
 */
int audit_record(struct core *c, uint16_t act, uint64_t *seq,
                 const char *reason, const char *subject_fmt, ...)
    __attribute__((format(printf, 5, 6)));
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
	const char *const *choices; /* a closed set, NULL-terminated */
	const char *hint;   /* N_() what may be typed, or NULL */
	int box;            /* columns of a form's input box */
};
/* Inside a write transaction: deletes the actor's draft and records it
 * (nothing when there is none).  0 or an error. */
int draft_drop_in_tx(struct core *c);
/* NULL-terminated table, in form order. */
const struct dossier_spec *dossier_specs(void);
/* in as typed -> NFC and core_field_tidy into out; CORE_EINVAL (naming
 * the field) when in is not UTF-8 or too long.  Every write of a dossier
 * value passes here, so the CLI accepts what the forms accept. */
int nominee_value_tidy(struct core *c, const char *field, const char *in,
		       char *out, size_t outsz);
/* Date text in the forms people type (tidy.c) -> "YYYY-MM-DD", or
 * "YYYY-MM" when only the month is given; 0 or -1. */
int core_date_parse(const char *s, char *out, size_t outsz);
const struct dossier_spec *dossier_spec_find(const char *field);

/* ---- nominee_edit.c ---- */
/* Loads nominee id (scoped if check_scope) and verifies its digest. */
int nominee_load(struct core *c, int64_t id, struct core_dossier *d,
		 uint8_t salt[32], int check_scope);
/*
 * In a write transaction: CORE_ESTALE if nominee d->n.id has changed (its
 * seq moved) since d was read, or if seen_seq (the seq the caller showed
 * its user; 0: the one d was read at) is not its seq now.  The one check
 * of every write over a dossier (issue 8 item 7).
 */
int nominee_unchanged(struct core *c, const struct core_dossier *d,
		      uint64_t seen_seq);
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

/* ---- nominee.c: the one insert of a new nominee ---- */
/*
 * Inside an open transaction: inserts a nominee of round_id for unit with
 * vals (dossier fields and "condition.N" = evidence, "" allowed; the
 * caller has normalized, validated and authorized them), computes the
 * digest of its full dossier, appends its "nominee created" entry
 * (version 1, reason "" or given) and stores its seq.  CORE_EEXIST (field
 * "id_number") if the ID number is already nominated in the round.
 */
int nominee_create(struct core *c, int64_t round_id, const char *unit,
		   const struct core_field_value *vals, size_t n_vals,
		   const char *reason, int64_t *id_out, uint64_t *seq_out);
/* 1 if a nominee of round_id has this ID number. */
int nominee_id_taken(struct core *c, int64_t round_id, const char *id_number);

/* ---- export.c ---- */
/*
 * core_export() with reveal_ids: full ID numbers where the actor may
 * reveal them (as core_nominee_reveal_id; masked elsewhere), audited as
 * an unmasked export.  Not in the public API: for the import round-trip
 * test only.
 */
int export_run(struct core *c, enum core_export_kind kind,
	       enum core_sheet_format fmt, const char *path, int reveal_ids,
	       size_t *n_rows, struct core_receipt *rc);
/*
 * The paper trail's last line: the latest signed checkpoint in
 * log_checkpoint as "log checkpoint: size N, root BASE64" in the current
 * language (zh_CN: 日志检查点：大小 N，根哈希 BASE64) into out.  The hook
 * the integrity issue extends (origin, witnesses).  0, CORE_ENOENT when
 * the log has no checkpoint, CORE_ECORRUPT for a malformed note.
 */
int export_checkpoint_line(struct core *c, char *out, size_t outsz);

/* ---- db_ro.c: the verifier's read-only open (issue #8) ---- */
/*
 * Opens data_dir's database for reading only and never writes in
 * data_dir: mode=ro for a live (writable) directory; immutable=1 for an
 * evidence copy (read-only media, or no write permission or write bit on
 * the directory or the database); an evidence copy whose -wal holds
 * transactions is read from a private snapshot in $TMPDIR.  For the
 * verifier (core/verify.c) only: the handle has no log key, no actor and
 * no migrations, and SQLite refuses any write through it.  0 and *out
 * (free with core_close), or CORE_ENOENT / CORE_EIO with err set.
 */
int core_open_readonly(struct core **out, const char *data_dir, char *err,
		       size_t errlen);
/* Removes the private snapshot, if any; core_close() calls it after
 * closing the database. */
void db_ro_release(struct core *c);

/* ---- verify.c, vreg.c, bundle.c, proof.c: the offline auditor (issue #4) */

/* One key of the registry replayed from the log (audit-log.md 2.13). */
struct vkey {
	char owner[72]; /* "log" or "user:LOGIN" */
	uint8_t pk[KEYS_PK_LEN];
	uint8_t id[KEYS_HASH_LEN];
	uint64_t from;  /* first seq it may sign */
	uint64_t until; /* last seq it may sign; UINT64_MAX while valid */
	char end[12];   /* "", "rotated" or "revoked" */
};

/* The key registry as of some seq: every key ever announced. */
struct vreg {
	struct vkey *keys;
	size_t n, cap;
	size_t log; /* index of the current log key */
	int have_log;
};

void vreg_init(struct vreg *r);
void vreg_release(struct vreg *r);
/* The key with this id (whatever its validity), or NULL.  Borrowed. */
const struct vkey *vreg_find(const struct vreg *r, const uint8_t id[32]);
/* owner's key that is valid now (not yet rotated or revoked), or NULL. */
struct vkey *vreg_active(struct vreg *r, const char *owner);
/* The log key that signs entry seq (the old one signs its own rotation;
 * UINT64_MAX: the current one), or NULL.  Borrowed. */
const struct vkey *vreg_log_at(const struct vreg *r, uint64_t seq);
/* login's key with this id if it may sign entry seq (UINT64_MAX: now),
 * else NULL.  Borrowed. */
const struct vkey *vreg_user_key(const struct vreg *r, const char *login,
				 const uint8_t id[32], uint64_t seq);
/*
 * Applies entry seq's statement to the registry if it manages keys (log
 * key announcement, enrollment, rotation, revocation); other acts are
 * no-ops.  0, or -1 with the reason in why for a key act that breaks a
 * rule (the registry is then unchanged), or -2 if out of memory.  The statement's rules only:
 * vreg_check_sigs() judges its signatures, first.
 */
int vreg_apply(struct vreg *r, uint64_t seq, const struct stmt *s,
	       char *why, size_t whylen);
/*
 * Checks one signature of entry seq with public key pk (index counts
 * from 1): 0 if it verifies or was queued to be verified, 1 if it does
 * not verify, or a negative value that stops vreg_check_sigs (which
 * returns it).
 */
typedef int (*vreg_sig_fn)(void *ctx, uint64_t seq, int index,
			   const uint8_t pk[KEYS_PK_LEN],
			   const struct entry_sig *g);
/*
 * The registry's rules for the signatures of entry seq (statement s),
 * against the registry before it: every signature by a key valid at seq
 * that is the log's, the actor's or (key acts) the subject's; one by the
 * current log key (entry 0: the key it announces); one by the key field
 * 6 names; a new key's proof of possession; a rotation also by the old
 * key.  check is called for each signature to verify.  0 if the rules
 * hold; 1 with *rule ("key", "actor-key", "signature") and why (naming
 * the entry) if one is broken; check's negative value.  For any caller
 * that replays the log (core/verify.c, vreg_replay).
 */
int vreg_check_sigs(const struct vreg *r, uint64_t seq, const struct entry *e,
		    const struct stmt *s, vreg_sig_fn check, void *ctx,
		    const char **rule, char *why, size_t whylen);
/*
 * One key-management entry replayed with every rule the auditor applies
 * to the registry: vreg_check_sigs() with each signature verified now,
 * then vreg_apply().  Other acts are no-ops.  0 (applied); 1 with *rule
 * and why (naming the entry; the registry is unchanged) if a rule is
 * broken; -1 if out of memory.  For core/signing.c, which feeds it the
 * log's key entries in seq order; the verifier applies the same two
 * functions to every entry.
 */
int vreg_replay(struct vreg *r, const struct entry *e, const struct stmt *s,
		const char **rule, char *why, size_t whylen);
/* The key a key act introduces (enrollment, rotation, log key), for its
 * proof of possession: 0 and *owner/pk set, or -1 when s adds no key. */
int vreg_new_key(const struct stmt *s, char *owner, size_t ownersz,
		 uint8_t pk[KEYS_PK_LEN]);
/* The registry as text lines (docs/audit-notes.md); appends to b. */
void vreg_format(const struct vreg *r, struct enc_buf *b);
/*
 * verify_keys.c, for core/verify.c on a data directory: the user_key rows
 * against the registry replayed from the whole log.  Every personal key
 * has one row with its owner, public key, enrolment entry, state, end
 * entry and a sealed record whose clear header names the same user and
 * key; no row holds a key the log did not register to a person.  0 if
 * so; 1 with *seq (the entry that registered the first key, in log
 * order, whose row is wrong; -1 for an unregistered key) and msg; -1 if
 * the table cannot be read.
 */
int vkeyrows_check(struct core *c, const struct vreg *reg, int64_t *seq,
		   char *msg, size_t msglen);

/*
 * 1 if s[0..n) uses only the base64 alphabet and '=': libsodium 1.0.18's
 * decoder reads every byte >= 0x80 as '/', so keys_b64_decode() alone
 * would let two texts decode to the same bytes.
 */
int b64_chars_ok(const char *s, size_t n);

/* Bundle records (docs/audit-notes.md). */
enum bundle_rec {
	BUNDLE_ENTRY = 'E',
	BUNDLE_CHECKPOINT = 'C',
	BUNDLE_COSIG = 'S',   /* v2: size u64 | a cosignature line */
	BUNDLE_KEYS = 'K',
	BUNDLE_WITNESSES = 'W', /* v2: the witness registry (information) */
	BUNDLE_END = 'Z',
};
#define BUNDLE_MAGIC_V1 "nomdesk-audit-bundle v1\n"
#define BUNDLE_MAGIC "nomdesk-audit-bundle v2\n"

struct bundle_reader;
struct bundle_header {
	int version; /* 1 or 2 */
	char origin[128];
	uint8_t log_key[KEYS_PK_LEN];
	uint64_t n_entries, n_checkpoints;
	uint64_t n_cosigs; /* v2 */
};
/* Opens path and parses the header strictly: 0, -1 for a malformed
 * header, -2 if the file cannot be opened; err says why. */
int bundle_open(struct bundle_reader **out, const char *path,
		struct bundle_header *h, char *err, size_t errlen);
/*
 * The next record: its type and bytes (borrowed until the next call).
 * 0, or -1 with err for a framing error (a record past the end, an
 * unknown type, a record longer than its type allows, bytes after the
 * end record).
 */
int bundle_next(struct bundle_reader *b, int *type, const uint8_t **p,
		size_t *len, char *err, size_t errlen);
/* Byte offset of the record bundle_next() returned last. */
uint64_t bundle_offset(const struct bundle_reader *b);
void bundle_close(struct bundle_reader *b);

/*
 * Every stored leaf hash in seq order (malloc'd, 32 bytes each; caller
 * frees): CORE_ECORRUPT if the seq column has a gap.
 */
int log_leaves_load(struct core *c, uint8_t **leaves, uint64_t *n);
/* The latest checkpoint row: note (malloc'd), size and root. */
int log_checkpoint_latest(struct core *c, char **note, uint64_t *size,
			  uint8_t root[32]);

/* ---- logkey.c: the log key file against the log (issue #4) ---- */
/*
 * Loads DIR/keys/log.key and checks it is the key the newest log-key
 * entry announces (entry 0, or the last rotation), finishing a rotation
 * that stopped between its commit and the key files' renaming.  0;
 * CORE_ECORRUPT (err says which entry announces which key) for another
 * key; CORE_EIO for a missing or unreadable file.
 */
int logkey_open(struct core *c, char *err, size_t errlen);
/*
 * The log key's secret half is held only while a write transaction signs:
 * logkey_open keeps the public half, logkey_recall reads the secret from
 * keys/log.key for the transaction (refusing a file that holds another
 * key now), and tx_commit/tx_rollback forget it again, so a UI process
 * that lives all day holds no log key between its acts.
 */
int logkey_recall(struct core *c);

/* ---- cosig.c, cosig_verify.c: witness keys and cosignatures ---- */
#define WITNESS_NAME_MAX 56 /* bytes with the NUL: "witness:" + name fits
			       a statement subject */
/*
 * A witness vkey "NAME+HASH+BASE64(0x04 || pk)" (C2SP signed-note verifier
 * key for tlog-cosignature v1): a name of printable ASCII without space or
 * '+', HASH the 8 lower-case hex digits of its key hash.  0 or -1.
 */
int cosig_vkey_parse(const char *vkey, char name[WITNESS_NAME_MAX],
		     uint8_t pk[KEYS_PK_LEN]);
void cosig_vkey_format(const char *name, const uint8_t pk[KEYS_PK_LEN],
		       char *out, size_t outsz);

/*
 * What the verifier knows of witnesses (core/verify.c calls these): the
 * keys the auditor brought and the quorum, the registry replayed from
 * ACT_WITNESS_KEY entries (information: it names witnesses the auditor
 * did not bring), and every stored cosignature with the body of its
 * checkpoint.  The cosignatures are judged at the end, when the whole
 * registry is known.  Errors: -1 with the reason in why.
 */
struct vwit;
int vwit_new(struct vwit **out, const char *const *vkeys, size_t n_vkeys,
	     int quorum, char *why, size_t whylen);
void vwit_free(struct vwit *w);
/* Replays entry seq if it registers a witness key; other acts no-ops. */
int vwit_apply(struct vwit *w, uint64_t seq, const struct stmt *s,
	       char *why, size_t whylen);
/* The checkpoint the cosignatures that follow belong to. */
int vwit_checkpoint(struct vwit *w, uint64_t size, const char *note,
		    size_t len);
/* A stored cosignature line (no LF) of the checkpoint at size, which
 * must be the one vwit_checkpoint() was last given. */
int vwit_cosig(struct vwit *w, uint64_t size, const char *line, size_t len,
	       char *why, size_t whylen);
/*
 * Judges every cosignature (each must verify with a key the auditor
 * brought or, failing that, a registered one), then the quorum.  On
 * failure *rule is "cosignature" or "quorum" and *size the checkpoint
 * named.  Fills the report's witness fields either way.
 */
int vwit_finish(struct vwit *w, struct core_verify_report *rep,
		const char **rule, uint64_t *size, char *why, size_t whylen);
/* The witness registry as text lines (the bundle's 'W' record). */
void vwit_format(const struct vwit *w, struct enc_buf *b);

/* ---- signing.c, veto.c, trail.c: signing keys, signed acts, veto ---- */

/* 0 if the actor has an unlocked key of their own; CORE_EAUTH with "unlock
 * your signing key (签名密钥) first" otherwise. */
int signing_ready(struct core *c);
/* Inside the transaction: the unlocked key is still the actor's active
 * key (not rotated or revoked meanwhile by another session). */
int signing_check_active(struct core *c);
/* After a signed act (committed or not): per-act keys are wiped. */
void signing_after_act(struct core *c);

/*
 * The key registry replayed from the log by core/vreg.c's rules (the
 * auditor's): every key-management entry, in seq order.  0 and *reg
 * (vreg_init'd here; the caller vreg_release()s it) if every one keeps
 * the rules.  CORE_ECORRUPT, the entry and the rule in core_errmsg, if
 * one does not: *reg then holds the registry before that entry (what the
 * auditor accepts), to show signatures with, never to sign on; the
 * caller still releases it.  Another error if the log cannot be read.
 * For core (signing.c, trail.c, audit.c).
 */
int keyreg_load(struct core *c, struct vreg *reg);
/*
 * Inside the write transaction, before a key act (enrol, rotate, revoke,
 * log key) is stored: entry e with statement s replayed on the log's
 * registry.  0 if the auditor would accept it; CORE_ESTATE with the
 * field ("login" or "log key") and the rule if not; keyreg_load's error
 * if the registry is already broken.  For audit_append() only.
 */
int keyreg_admit(struct core *c, const struct entry *e, const struct stmt *s);

/* The wording of the integrity pledge and its SHA-256 (an attachment of
 * every pledge, so the wording version is fixed). */
void pledge_text_digest(uint8_t out[32]);
/* 0 if DATA/docs/<hex> exists and hashes to digest; CORE_ENOENT else. */
int doc_check(struct core *c, const uint8_t digest[32]);

/* veto.c */
/* 0 if id_number is not on the dishonesty register (or its listing
 * expired or was lifted by an appeal); CORE_EPERM naming the round, the
 * entry and the expiry otherwise (field "id_number").  Call it wherever
 * an ID number enters a round: core_nominee_add / core_nominee_edit of
 * id_number (core/nominee*.c), and the workflow does at the pledge and
 * the first review. */
int veto_register_check(struct core *c, const char *id_number);
/* 1 or 2 (meta veto_signatures). */
int veto_policy(struct core *c);
/* The nominee's pending veto (first signature only), or 0 if none;
 * *first_by is who signed it. */
int64_t veto_pending(struct core *c, int64_t nominee_id, int64_t *first_by);
/* Before the entry: checks and the state a veto action leads to. */
int veto_prepare(struct core *c, const char *action,
		 const struct core_dossier *d, const char **to);
/* After the entry seq: veto rows, evidence, objections, register. */
int veto_apply(struct core *c, const char *action,
	       const struct core_dossier *d, const char *reason,
	       const uint8_t (*attach)[32], size_t n_attach, uint64_t seq);
/* For menus: 0 if action would be refused because of the veto's state
 * (a pending veto admits only veto_countersign and veto_cancel). */
int veto_offered(struct core *c, const char *action,
		 const struct core_dossier *d);
/* workflow.c: 1 if action is a row of the workflow table. */
int wf_action_known(const char *action);

/* ---- panel.c, panel_result.c, panel_stats.c: expert evaluation ---- */
/*
 * Workflow precondition (core/workflow.c): 0 when the latest panel of
 * stage ("local": the county/department panel, before `screen`; "city":
 * the committee, before `committee_review`) that was assigned nominee id
 * passed it; CORE_ESTATE naming the panel and what is missing otherwise.
 * Reads only; no authorization (the caller has done it).
 */
int panel_check_result(struct core *c, int64_t nominee_id, const char *stage);
/* Loads panel ref (id or name, current round) with no scope check. */
int panel_load(struct core *c, const char *ref, struct core_panel *p);
/* 1 if the actor may see p / administers p / is a member of p. */
int panel_visible(struct core *c, const struct core_panel *p);
int panel_is_owner(struct core *c, const struct core_panel *p);
int panel_is_member(struct core *c, int64_t panel_id, int64_t user_id);
/* The result of nominee id on p (n_assigned 0 if never assigned). */
int panel_nominee_result(struct core *c, const struct core_panel *p,
			 int64_t id, struct core_panel_result *out);
/* "85", "85.5" -> 850, 855; -1 if malformed. */
int panel_parse_x10(const char *s);

/* ---- authz.c: experts (回避) ---- */
/* 0 if the acting expert may open nominee id (assigned to them, not
 * recused, the no-conflict declaration signed); CORE_ENOENT otherwise. */
int authz_expert_nominee_visible(struct core *c, int64_t id);
/* SQL condition on "n.id" for the acting expert's visible nominees. */
int authz_expert_sql_scope(struct core *c, char *out, size_t outsz);

/* ---- authz_log.c: which log entries a reader shows (issue #8 item 8) ---- */
enum log_subject_kind {
	LOG_SUBJECT_OTHER,
	LOG_SUBJECT_NOMINEE,       /* "nominee:N" */
	LOG_SUBJECT_PANEL,         /* "panel:P" */
	LOG_SUBJECT_PANEL_NOMINEE, /* "panel:P/nominee:N" */
};
/* Parses an entry's subject strictly; ids 0 where absent. */
enum log_subject_kind log_subject_parse(const char *subject, int64_t *panel,
					int64_t *nominee);
enum log_sight {
	LOG_SEE_NONE,
	LOG_SEE_ALL,
	LOG_SEE_OWN,            /* an expert: their own acts only */
	LOG_SEE_OWN_AND_SHEETS, /* ... and the other experts' sheets */
};
/* One per read of the log: remembers the verdict on the last subject
 * (consecutive entries are often about one subject). */
struct log_scope {
	int valid;
	char subject[64];
	enum log_sight sight;
};
/* Empties ls before a read (nothing to release). */
void log_scope_init(struct log_scope *ls);
/*
 * 1 if the actor may be shown log entry s, 0 if the reader must skip it:
 * the panel screens' rules for panel acts (who sees which score sheet,
 * declaration and recusal) and core_nominee_get's scope for a nominee's
 * own acts.  The only place these rules are applied to the log; every
 * reader calls it for every entry.  Reads only; sets no error.
 */
int log_entry_visible(struct core *c, struct log_scope *ls,
		      const struct stmt *s);

#endif
