/*
 * core: the domain of nomdesk over SQLite.  The only public header of the
 * core/ layer; tui/ and cli/ include this and nothing else from core/.
 *
 * Every entry point takes the session's struct core first.  Errors are 0 or
 * a negative enum core_err; the user-facing detail (which field, which
 * rule, which subject) is in core_errmsg()/core_errfield() until the next
 * call.  core never prints and never includes curses or libssh.
 *
 * Authorization is decided here, by the acting user's role and unit, for
 * every read and every write: callers cannot skip it.
 */
#ifndef NOMDESK_CORE_H
#define NOMDESK_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/state.h"

enum core_err {
	CORE_OK = 0,
	CORE_EINTERNAL = -1, /* a bug or a library failure */
	CORE_EINVAL = -2,    /* bad input: errfield names the field */
	CORE_EPERM = -3,     /* not allowed for this role or unit */
	CORE_ENOENT = -4,    /* no such object (or not visible to you) */
	CORE_EEXIST = -5,    /* already exists */
	CORE_ESTATE = -6,    /* not allowed in the current state */
	CORE_EIO = -7,       /* disk full or I/O error: nothing was changed */
	CORE_EBUSY = -8,     /* database busy past the timeout */
	CORE_EAUTH = -9,     /* wrong login or password, or locked */
	CORE_EQUOTA = -10,   /* over a quota */
	CORE_ECORRUPT = -11, /* stored data fails its integrity check */
	/* issue 8 item 7: */
	CORE_ESTALE = -12, /* the dossier changed since the caller showed it */
	/* issue 8 item 5: */
	CORE_EACCOUNT = -13, /* the actor's account was disabled or changed
			      * since the session began: log in again */
};

/* A short lower-case English phrase for an error code (never NULL). */
const char *core_strerror(int err);

enum core_role {
	CORE_ROLE_APPLICANT,
	CORE_ROLE_UNIT_CLERK,
	CORE_ROLE_COUNTY_HR,
	CORE_ROLE_DEPARTMENT,
	CORE_ROLE_EXPERT,
	CORE_ROLE_CITY_HR,
	CORE_ROLE_AUDITOR,
	CORE_ROLE_ADMIN,
	CORE_ROLE_N
};

/* "unit_clerk" etc.; NULL for an out-of-range value. */
const char *core_role_name(enum core_role role);
/* Parses a role name; 0 or CORE_EINVAL. */
int core_role_parse(const char *name, enum core_role *out);

/* Text limits (bytes, including the NUL) of the fixed fields below. */
#define CORE_LOGIN_SIZE 33
#define CORE_CODE_SIZE 64
#define CORE_NAME_SIZE 256
#define CORE_TEXT_SIZE 1024

struct core;
struct core_receipt;

/*
 * Opens DIR/nomdesk.db with the PRAGMAs of docs/ARCHITECTURE.md and loads
 * the log key from DIR/keys.  Refuses a database whose schema is newer than
 * this binary and migrates an older one.  Refuses (CORE_ECORRUPT) a log
 * key file that is not the key the log announces (entry 0 or its latest
 * rotation).  On failure *out is NULL and the reason is written to err.
 * Caller frees with core_close().
 */
int core_open(struct core **out, const char *data_dir, char *err,
	      size_t errlen);
void core_close(struct core *c);

/*
 * Creates DIR (0700) with a new database, the log key and the reference
 * data of the Datong 2020 round.  Refuses an existing DIR.  With demo,
 * also one account per role; for each, cb receives login, role, unit,
 * the password chosen and the display name (so the caller can print
 * them).  The SSH host key is not
 * made here (that is ssh/'s business).
 */
int core_init_dir(const char *data_dir, int demo,
		  void (*cb)(void *ctx, const char *login, const char *role,
			     const char *unit, const char *password,
			     const char *name),
		  void *ctx, char *err, size_t errlen);

/* The last error's message for users (never NULL; "" if none). */
const char *core_errmsg(const struct core *c);
/* The field the last error was about ("name", "birth_date"...), or "". */
const char *core_errfield(const struct core *c);

/*
 * Selects the language of every message (core's, the TUI's, the CLI's):
 * "zh_CN" (the default) or "en".  Binds the gettext catalog, looked up in
 * $NOMDESK_LOCALEDIR, next to the executable (build/locale), then the
 * installed share/locale.  Process-wide; call before showing text.
 */
void core_i18n_init(const char *lang);

/* Milliseconds since the epoch; tests set the clock. */
void core_set_clock(struct core *c, int64_t (*now_ms)(void *ctx), void *ctx);
int64_t core_now_ms(const struct core *c);

/* ---- users ---- */

struct core_user {
	int64_t id;
	char login[CORE_LOGIN_SIZE];
	char name[CORE_NAME_SIZE];
	enum core_role role;
	char unit[CORE_CODE_SIZE];
	char unit_name[CORE_NAME_SIZE];
	char lang[8]; /* "zh_CN" or "en" */
};

/*
 * Acts as LOGIN from now on (every later call is authorized as this user).
 * CORE_ENOENT if there is no such user.
 */
int core_act_as(struct core *c, const char *login);
/*
 * Acts as the host operator at the console (cli/ commands such as
 * `user add`): recorded as actor "system", allowed only the admin acts.
 */
int core_act_as_system(struct core *c, const char *os_user);
/* The acting user, or NULL before core_act_as(). Borrowed. */
const struct core_user *core_actor(const struct core *c);

struct core_user_new {
	const char *login; /* [a-z0-9._-]{1,32} */
	const char *name;
	enum core_role role;
	const char *unit; /* unit code */
	const char *lang; /* NULL = zh_CN */
};

/*
 * Adds a user (admin or system only).  password may be NULL (no password
 * login until one is set); otherwise it is stored as an Argon2id hash.
 * Audited.
 */
int core_user_add(struct core *c, const struct core_user_new *u,
		  const char *password);

/* The length of a password hash string (Argon2id, with its parameters). */
#define CORE_PWHASH_LEN 128

/*
 * A hash of a random password with the parameters of real ones, for
 * core_user_authenticate to check unknown logins against.  Made once by
 * the server at start-up (not per process: the check of an unknown login
 * must cost what a known one costs).  0, or CORE_EINTERNAL.
 */
int core_auth_dummy(char out[CORE_PWHASH_LEN]);

/*
 * Checks a password for login, for the SSH server's session process (no
 * actor needed).  Every call does the same work: one database lookup and
 * one Argon2id verification, against the account's hash, or against dummy
 * (core_auth_dummy) for an unknown or malformed login or an account with
 * no password; a disabled account is checked against its own hash and
 * then refused.  Writes nothing: no lockout, no record of the failure
 * (the server logs and summarises failures; core_session_note records a
 * login).  *known is 1 when login names an existing account.
 * 0 when the password is right and the account enabled; CORE_EAUTH for
 * every refusal (one answer, whatever the reason); another error when the
 * check could not be made (database unreadable: see core_errmsg).
 */
int core_user_authenticate(struct core *c, const char *login,
			   const char *password, const char *dummy,
			   int *known);
/* Argon2id verifications made through this handle (tests: the same
 * work for every login). */
unsigned long core_auth_verifications(const struct core *c);

/*
 * One signed entry summarising refused passwords (the SSH server writes
 * one a period, never one per attempt).  text: what to record, free of
 * anything a client typed except logins that exist.  System act.
 */
int core_auth_failure_summary(struct core *c, const char *text);

/*
 * Disables (with a reason) or enables an account; administrators only;
 * audited.  A disabled account cannot log in, and its running sessions
 * are refused their next act (core_session_check).  CORE_ENOENT for no
 * such login, CORE_ESTATE if it is already so, CORE_EINVAL without a
 * reason.
 */
int core_user_set_disabled(struct core *c, const char *login, int disabled,
			   const char *reason, struct core_receipt *rc);

/*
 * Is the actor's account still what the session began with (not
 * disabled, same role, unit and password)?  0, or CORE_EACCOUNT: end the
 * session and log in again.  Every write transaction asks this first; a
 * session that only reads should ask at least once a minute.
 */
int core_session_check(struct core *c);
/* 1 once a re-check (core_session_check, or the one inside an act) has
 * failed: whatever screen saw the refusal, the session must end. */
int core_account_gone(const struct core *c);

/* Records a login or the end of an SSH session (audited). */
int core_session_note(struct core *c, const char *login, const char *event,
		      const char *detail);

/* ---- workflow ---- */

/*
 * Takes a workflow action on nominee id (core/workflow.c has the one
 * table: pledge_paper unit_review submit screen open_local_notice report
 * hr_check committee_review hr_approve gov_approve open_public_notice
 * confirm return reject withdraw object clear uphold).  Checks role,
 * scope, state and preconditions (dossier complete, quota category,
 * notice period, open objections, deadline, quota, eligibility) inside
 * the write transaction; a reason is required where the table says so.
 */
int core_act(struct core *c, int64_t id, const char *action,
	     const char *reason, struct core_receipt *rc);
/*
 * City HR extends the deadline for reports from holder (a county or
 * department code) to the end of day until (YYYY-MM-DD, +08:00), with a
 * reason.  Audited.
 */
int core_deadline_extend(struct core *c, const char *holder,
			 const char *until, const char *reason,
			 struct core_receipt *rc);
/* Calls cb for each action the actor may take on nominee id now. */
int core_actions_available(struct core *c, int64_t id,
			   int (*cb)(void *ctx, const char *action,
				     const char *label, int needs_reason),
			   void *ctx);
/* Calls cb for every action of the table (for help texts). */
int core_action_list(int (*cb)(void *ctx, const char *action,
			       const char *label, int needs_reason),
		     void *ctx);

/* One act in a nominee's history, read back from the log's own bytes. */
struct core_history_item {
	uint64_t seq;
	int64_t time_ms;
	char actor[64];
	int role; /* enum core_role, or -1 for the system */
	char unit[CORE_CODE_SIZE];
	uint16_t act;      /* the statement's act type */
	uint8_t decision;  /* 0 none, 1 pass, 2 return, 3 reject, 4 veto */
	uint32_t version;  /* dossier version after the act */
	char digest_hex[17]; /* first 8 bytes of the dossier digest */
	char reason[4001];
};

/* Calls cb for each act on nominee id, oldest first (same scope as
 * core_nominee_get).  The dossier's own acts: a panel's acts on the
 * nominee (assignments, declarations, score sheets) are not in it. */
int core_nominee_history(struct core *c, int64_t id,
			 int (*cb)(void *ctx,
				   const struct core_history_item *h),
			 void *ctx);
/* A short English name of an act type ("nominee created"...). */
const char *core_act_name(uint16_t act);
/*
 * What to call one entry on screen, the same in the history and the
 * trail: the workflow action's label when the reason names one (it is
 * stored "action: reason"), else the act type's name; *rest is the
 * reason without that prefix.  Translated; for any caller.
 */
const char *core_entry_label(uint16_t act, const char *reason,
			     const char **rest);

/* ---- personal signing keys (issue #4) ---- */

/*
 * Legally meaningful acts (pledges, verifications, stage decisions,
 * approvals, confirmations, vetoes) carry the actor's own Ed25519
 * signature besides the log's.  The key is generated for the user, sealed
 * under their signing passphrase (Argon2id + XChaCha20-Poly1305, in keys/)
 * and unlocked only by them.
 */

/* Creates the actor's signing key (or LOGIN's, for the system operator
 * at the console).  Audited as an enrollment.  CORE_EEXIST if one is
 * active. */
int core_key_enroll(struct core *c, const char *login, const char *passphrase,
		    struct core_receipt *rc);
/*
 * Unlocks the actor's key into protected memory: for the next signed act
 * only (for_session 0) or until core_key_lock() / core_close().  Wrong
 * passphrases are rate-limited and audited.  CORE_EAUTH on failure.
 */
int core_key_unlock(struct core *c, const char *passphrase, int for_session);
/* Wipes any unlocked key. */
void core_key_lock(struct core *c);
/* 1 if the actor has an active key, 0 if not; *unlocked set if given. */
int core_key_enrolled(struct core *c, int *unlocked);
/* 1 if the action records a personal signature (needs an unlocked key). */
int core_action_signed(const char *action);

/* ---- drafts ---- */

/*
 * One unsaved form per user, kept when the connection drops or the
 * session times out so that the next login can offer to resume it.  form
 * names the form ([a-z0-9_.:-]{1,32}, e.g. "add" or "edit"); text is the
 * form's own serialization (UTF-8 without NUL, at most CORE_DRAFT_MAX
 * bytes; tui/draft.c documents the format).  Only for a logged-in user,
 * never for the console operator, and only ever the actor's own draft.
 * Saving replaces the previous draft; saving and clearing are audited
 * (subject "draft:LOGIN"), the content is never written to the log.
 */
#define CORE_DRAFT_MAX 65536
int core_draft_save(struct core *c, const char *form, const char *text);
/*
 * The actor's draft: its form name into form (formsz bytes) and its text
 * into *text (caller frees with free()).  CORE_ENOENT if there is none
 * (*text NULL, form "").
 */
int core_draft_load(struct core *c, char *form, size_t formsz, char **text);
/* Deletes the actor's draft (audited); 0 also when there was none (then
 * nothing is recorded). */
int core_draft_clear(struct core *c);
/*
 * on: the next write this handle commits also deletes the actor's draft
 * (audited), in the same transaction, so a saved form and its dropped
 * draft are one act; a write that fails keeps the draft.  The flag ends
 * with that commit or rollback; a form clears it (on = 0) after a save
 * that was refused before it began.  For the form screens.
 */
void core_draft_drop_with_next_write(struct core *c, int on);

/* ---- spreadsheets ---- */

/*
 * Import of nominees from CSV (RFC 4180; UTF-8 with or without BOM, or
 * GB18030/GBK, detected and converted), legacy Excel .xls and .xlsx, with
 * the columns of domain.md 8 (Chinese or English headers, any order), and
 * export of lists to CSV (UTF-8 BOM, CRLF) or .xlsx.  The format of a file
 * to import is told by its first bytes, not its name.
 */

/* One thing wrong in a file to import. */
struct core_import_error {
	size_t line;      /* 1-based: the CSV line a record starts on, or the
			   * spreadsheet row */
	char column[8];   /* column letter ("C"), or "" for the whole row */
	char header[64];  /* the column's header as in the file, or "" */
	char field[32];   /* the dossier field ("birth_date"), or "" */
	char *message;    /* "field: rule", in the current language */
};

struct core_import_report {
	char format[8];   /* "csv", "xls" or "xlsx" */
	char encoding[16]; /* CSV: "UTF-8", "UTF-8 BOM" or "GB18030" */
	size_t n_rows;     /* data rows read (blank rows skipped) */
	size_t n_imported; /* nominees created (0 on any error or dry run) */
	int64_t first_id, last_id; /* ids created, in file order */
	struct core_import_error *errors; /* in file order */
	size_t n_errors;
	size_t n_errors_dropped; /* beyond the list's cap (100 000) */
};

/*
 * Imports the nominees of the file at path as the actor: every row is
 * normalized and validated with the dossier's own rules
 * (core_nominee_check_field), its unit must be one the actor may
 * nominate for, and an ID number may appear once in the file and not at
 * all among the round's nominees.  All rows or none: if anything is wrong,
 * nothing is written, every problem is in out->errors and the call
 * returns CORE_EINVAL (CORE_EPERM if a row's unit is not the actor's to
 * nominate for); otherwise one transaction creates every nominee, each
 * with its own audited "nominee created" entry, and *rc (may be NULL) is
 * the checkpoint covering them all.  dry_run checks without writing.  out
 * is always filled; release it with core_import_report_release().
 */
int core_import_file(struct core *c, const char *path, int dry_run,
		     struct core_import_report *out, struct core_receipt *rc);
/* The same for CSV bytes in memory (len bytes, any content). */
int core_import_csv(struct core *c, const void *data, size_t len,
		    int dry_run, struct core_import_report *out,
		    struct core_receipt *rc);
void core_import_report_release(struct core_import_report *r);

enum core_export_kind {
	CORE_EXPORT_NOMINEES,     /* what the actor may see, all columns */
	CORE_EXPORT_LOCAL_NOTICE, /* 公示名单 of the actor's county/department */
	CORE_EXPORT_CITY_NOTICE,  /* the city's 5-day public notice */
	CORE_EXPORT_RECOMMENDED,  /* committee_reviewed and later */
	CORE_EXPORT_QUOTA,        /* core_quota_usage() rows */
};
enum core_sheet_format { CORE_SHEET_CSV, CORE_SHEET_XLSX };

/* "nominees" "local-notice" "city-notice" "recommended" "quota"; 0 or
 * CORE_EINVAL.  core_export_kind_name() is the reverse (never NULL). */
int core_export_kind_parse(const char *s, enum core_export_kind *out);
const char *core_export_kind_name(enum core_export_kind k);

/*
 * The formula-injection guard of every spreadsheet nomdesk writes: 1 if a
 * spreadsheet would evaluate a cell that starts like s (= + - @ TAB CR),
 * so the cell is written with a leading apostrophe; 0 if not (or NULL).
 * The importer takes the apostrophe off again.
 */
int core_cell_needs_guard(const char *s);

/*
 * Writes the list kind, as the actor may see it, to path (created 0600,
 * replaced if it exists, written to a temporary file and renamed) as CSV
 * (UTF-8 BOM, CRLF, RFC 4180 quoting) or .xlsx (text cells only); in both,
 * cells a spreadsheet would evaluate get core_cell_needs_guard()'s leading
 * apostrophe.  ID numbers are masked.  Notice lists carry a
 * title row and, last, the log checkpoint covering the export.  Every
 * export is an audited read (subject "export:KIND", the row count in the
 * reason).  *n_rows (may be NULL) gets the data rows written.
 */
int core_export(struct core *c, enum core_export_kind kind,
		enum core_sheet_format fmt, const char *path, size_t *n_rows,
		struct core_receipt *rc);

/* ---- the offline auditor, proofs and witnesses (issue #4) ---- */

/*
 * audit-log.md 2.10-2.12; the formats (bundle, proof, witness request,
 * witness directory) are in docs/audit-notes.md.  The verifier needs no
 * secret key and never writes: it opens a data directory's database
 * read-only or reads a bundle.
 */

struct core_verify_opts {
	const char *data_dir; /* verify this data directory, or ... */
	const char *bundle;   /* ... a bundle from core_audit_export() */
	/* The log's Ed25519 public key as the auditor brings it (32 bytes);
	 * NULL trusts the key entry 0 announces.  Given, it must match. */
	const uint8_t *log_key;
	/* Files holding a checkpoint a witness (or a printout) kept. */
	const char *const *witness;
	size_t n_witness;
	/* Witness keys the auditor brings (C2SP vkeys "NAME+HASH+BASE64",
	 * as `nomdesk witness init` prints them), never read from the
	 * bundle; given, the newest cosigned checkpoint needs quorum (0 =
	 * 1) valid cosignatures by distinct keys among them. */
	const char *const *witness_keys;
	size_t n_witness_keys;
	int quorum;
};

struct core_verify_actor {
	char actor[64];
	uint64_t n;
};

/* A witness whose cosignatures the log holds. */
struct core_verify_cosigner {
	char name[64];
	int trusted;        /* its key is one the auditor brought */
	uint64_t n;         /* checkpoints it cosigned */
	uint64_t last_size; /* the newest of them */
	int64_t last_time;  /* its timestamp on that one (POSIX seconds) */
};

struct core_verify_report {
	int ok;               /* 1 when every rule held */
	int64_t seq;          /* the first failing entry; -1 if none named */
	char rule[24];        /* which rule failed: "signature", "root"... */
	char message[768];    /* what failed, in the current language */
	char origin[128];
	uint64_t size;        /* entries read */
	uint8_t root[32];     /* root over them */
	uint8_t log_key[32];  /* the log key of entry 0 */
	uint8_t log_key_now[32]; /* the log key in force at the end */
	uint64_t n_checkpoints, n_signatures, n_keys, n_nominees;
	uint64_t n_witnesses; /* witness checkpoints checked */
	uint64_t n_by_act[256]; /* entries per act type (act < 256) */
	struct core_verify_actor *actors; /* entries per actor, by name */
	size_t n_actors;
	/* Witness cosignatures (audit-log.md 2.10 step 1). */
	uint64_t n_cosigs;      /* stored cosignatures, each verified */
	uint64_t n_cosigned;    /* checkpoints carrying at least one */
	uint64_t cosigned_size; /* the newest of them; 0 if none */
	uint64_t n_quorum;      /* its cosignatures by keys you brought */
	int quorum;             /* what was required (0: no keys given) */
	struct core_verify_cosigner *cosigners; /* by name */
	size_t n_cosigners;
	uint64_t n_log_keys;    /* the log key and its rotations */
};

/*
 * Verifies a whole log (audit-log.md 2.10): strict parse, seq = index,
 * leaf, tree and every stored checkpoint (signature by the log key in
 * force at its size, both keys on the first checkpoint after a rotation,
 * and root); the key registry (every signature by a key valid at its
 * seq); the workflow (dossier versions and digests per nominee, each
 * statement's seen size/root); with data_dir also the index columns, the
 * stored leaves, where the log was cut, the frontier, the user_key rows
 * and the nominee rows against the log; then
 * every stored witness cosignature (each must verify) and the quorum of
 * the auditor's witness keys; then the witness checkpoints (a fork named
 * at the first entry nothing confirms, a held checkpoint still stored,
 * larger = truncation, smaller = consistency).  data_dir is opened
 * read-only and nothing is written there (it may be an auditor's
 * read-only copy; docs/audit-notes.md).  Stops at the
 * first failure.  Returns 0 when the log
 * verifies, CORE_ECORRUPT when a rule failed (rep says which entry and
 * rule), another error when the input cannot be read (rep->message).
 * Release rep with core_verify_report_release().
 */
int core_audit_verify(const struct core_verify_opts *o,
		      struct core_verify_report *rep);
void core_verify_report_release(struct core_verify_report *rep);

/*
 * Writes the log as one bundle file at path (created 0600, must not
 * exist): entries, every stored checkpoint and its witness cosignatures,
 * the log key, the key registry and the witness registry (information,
 * not a trust anchor); no dossier content (entries hold salted
 * digests).  Auditor,
 * city HR, admin or the console operator; an audited read recorded
 * before the export, so the bundle holds its own record.
 */
int core_audit_export(struct core *c, const char *path,
		      struct core_receipt *rc);

/*
 * The inclusion proof of entry seq in the latest checkpoint, as text
 * (docs/audit-notes.md): entry, leaf hash, audit path, signed checkpoint.
 * *out is malloc'd (caller frees), *len its length.  CORE_ENOENT for a
 * seq past the checkpoint; CORE_ECORRUPT if the stored log does not
 * match its own checkpoint.
 */
int core_audit_prove(struct core *c, uint64_t seq, char **out, size_t *len);

/* What core_proof_check() found. */
struct core_proof_info {
	uint64_t index, size;
	uint8_t root[32];
	char origin[128];
	int n_sigs;         /* signatures in the entry */
	int n_sigs_checked; /* ... of them by the log key, verified */
	uint16_t act;
	char actor[64];
	char subject[64];
};

/*
 * Checks a proof from core_audit_prove() with nothing but the log key:
 * the checkpoint's signature, the entry's strict parse and leaf hash,
 * the RFC 9162 inclusion path, and the entry's signatures by the log
 * key.  0, or CORE_ECORRUPT/CORE_EINVAL with the reason in err.
 */
int core_proof_check(const char *text, size_t len,
		     const uint8_t log_key[32], struct core_proof_info *info,
		     char *err, size_t errlen);

/*
 * A tlog-witness add-checkpoint request: "old SIZE", the consistency
 * proof from since to the latest checkpoint, a blank line and that
 * checkpoint.  *out malloc'd.  CORE_EINVAL if since is past the latest.
 */
int core_audit_witness_request(struct core *c, uint64_t since, char **out,
			       size_t *len);

/*
 * The latest stored checkpoint (signed note, NUL-terminated, malloc'd)
 * and its size.  CORE_ENOENT if the log has none.
 */
int core_audit_checkpoint(struct core *c, char **note, uint64_t *size);
/* "ABCD-EFGH-IJKL-MNOP": base32 of the first 80 bits of SHA-256 of the
 * checkpoint's body (its first three lines), for paper. */
void core_checkpoint_fingerprint(const char *note, char out[24]);

/* One entry of the log as core_audit_log() shows it. */
struct core_audit_item {
	uint64_t seq;
	int64_t time_ms;
	uint16_t act;
	char actor[64];
	int role; /* enum core_role, or -1 for the system */
	char unit[64];
	char subject[64];
	uint32_t version;
	uint8_t decision;
	char digest_hex[17]; /* first 8 bytes of the dossier digest */
	int n_sigs;
	char reason[4001];
};

/*
 * Calls cb for each entry, oldest first, filtered by nominee (> 0) and
 * actor (NULL = any).  Auditors and city HR see every entry; other users
 * a nominee's acts when they may see the nominee, and a panel's acts
 * ("panel:P/nominee:N") only as the panel screens show them: the
 * panel's owner all, an expert their own acts and, once their own sheet
 * is in, the other sheets, nobody else any (docs/panel-notes.md).
 * Entries are parsed from the stored bytes; one that does not parse is
 * CORE_ECORRUPT.  Strings are stored text: sanitize before display.
 */
int core_audit_log(struct core *c, int64_t nominee, const char *actor,
		   int (*cb)(void *ctx, const struct core_audit_item *it),
		   void *ctx);

/*
 * Witnesses (audit-log.md 2.12), a directory each: witness.key (Ed25519,
 * keys/ key file), witness.conf (name and trusted logs), state/ (the
 * latest cosigned checkpoint per log), evidence/ (forks).  err gets the
 * reason on failure.
 */
int core_witness_init(const char *dir, const char *name, char *err,
		      size_t errlen);
/* Trusts the log origin with Ed25519 key pk (32 bytes). */
int core_witness_add_log(const char *dir, const char *origin,
			 const uint8_t pk[32], char *err, size_t errlen);
/* The witness's name and vkey "name+hash+base64(0x04||pk)". */
int core_witness_info(const char *dir, char *name, size_t namesz,
		      char *vkey, size_t vkeysz, char *err, size_t errlen);

struct core_witness_result {
	char origin[128];
	uint64_t old_size, size; /* the witness's size before and after */
	char cosig[256];    /* the cosignature line, "— name base64\n" */
	char state[4096];   /* path of the stored (cosigned) checkpoint */
	char evidence[4096]; /* on a fork: where both checkpoints were kept */
};

/*
 * Handles one request (the core_audit_witness_request() text) at time
 * now (POSIX seconds): checks the log signature with the trusted key,
 * that "old" is the stored size, the consistency proof (or, for the same
 * size, the same root), then stores the checkpoint with its cosignature
 * (C2SP tlog-cosignature, cosignature/v1) atomically under a lock.
 * 0 cosigned; CORE_ENOENT unknown log; CORE_EAUTH bad log signature;
 * CORE_ESTATE stale or out-of-date request (nothing kept); CORE_ECORRUPT
 * a fork (both signed checkpoints kept in res->evidence); CORE_EINVAL
 * malformed request.
 */
int core_witness_cosign(const char *dir, const char *request, size_t len,
			int64_t now, struct core_witness_result *res,
			char *err, size_t errlen);
/* Path of the stored checkpoint for origin (may not exist yet). */
void core_witness_state_path(const char *dir, const char *origin, char *out,
			     size_t outsz);

/*
 * Cosignatures brought back from witnesses (audit-log.md 2.12): note is
 * a checkpoint as the witness stored it (the log's signed note plus one
 * or more cosignature lines).  Its body must equal a checkpoint this log
 * stored; each cosignature line must verify against a witness key
 * registered here.  Valid lines are kept (witness_cosig) and go into the
 * audit bundle; *n_stored counts the new ones.  CORE_ENOENT no such
 * checkpoint; CORE_EAUTH a line from an unknown witness or a bad
 * signature (nothing kept); CORE_EINVAL malformed.
 */
int core_cosig_submit(struct core *c, const char *note, size_t len,
		      size_t *n_stored);

/* A witness key registered here (witness_key). */
struct core_witness_key {
	char name[64];
	char vkey[160];     /* NAME+HASH+BASE64 */
	char added_by[64];  /* login, or "system" */
	int64_t added_ms;
	uint64_t seq;       /* the entry that registered it */
	uint64_t n_cosigs;  /* cosignatures stored from it */
	uint64_t last_size; /* the newest checkpoint it cosigned (0: none) */
};

/*
 * Registers a witness key (a vkey as `nomdesk witness init` prints it)
 * so that core_cosig_submit() keeps its cosignatures: city HR, an
 * administrator or the console operator; an audited act (ACT_WITNESS_KEY,
 * subject "witness:NAME") in the same transaction.  The registry is
 * information for auditors, who bring their own keys.  CORE_EINVAL
 * (field "vkey") malformed; CORE_EEXIST already registered.
 */
int core_witness_key_add(struct core *c, const char *vkey,
			 struct core_receipt *rc);
/* Calls cb for each registered key, oldest first (any logged-in user or
 * the console).  Strings are stored text: sanitize before display. */
int core_witness_key_list(struct core *c,
			  int (*cb)(void *ctx,
				    const struct core_witness_key *k),
			  void *ctx);

/*
 * Log key rotation (audit-log.md 2.13, act 110): an administrator or
 * the console operator.  Makes a new key (DIR/keys/log.key.new), appends
 * an entry signed by the current key announcing it, signs the checkpoint
 * covering that entry with both keys, commits, then keeps the old key
 * file as DIR/keys/log.key.retired-SEQ and puts the new one in its
 * place; this handle signs with the new key from then on.  A rotation
 * interrupted after its commit is finished by the next core_open().
 * Session processes that opened the directory before are refused their
 * next write (they must open it again).  retired (may be NULL) gets the
 * old key file's path.  CORE_EPERM; CORE_EIO if the key files could not
 * be written or switched (the message says what is left to do).
 */
int core_audit_rotate_log_key(struct core *c, struct core_receipt *rc,
			      char *retired, size_t retiredsz);

/* ---- expert evaluation: panels, recusal, scores (issue #3 item 7) ---- */

/*
 * A panel is the county/department expert group (level local: created by
 * the county HR or department user, owned by that holder, evaluating the
 * nominations submitted to it) or the city committee (level city: owned
 * by city HR, evaluating nominees that passed the initial review).  Its
 * members are users with role expert.  Assigning a nominee gives it to
 * every member except those recused automatically: an expert whose unit
 * is the nominee's employing unit or under the same employer (the unit
 * tree), or who declared a conflict with that nominee before.  Each
 * assigned expert first signs a no-conflict declaration (or declares a
 * conflict, which recuses them), only then sees the dossier, and scores
 * every criterion of the panel's sheet once, with a written opinion.
 * Scores are final; an expert sees the other experts' scores only after
 * submitting their own.  Every act is audited.
 *
 * The sheet, rule, pass mark and quorum are the panel's configuration
 * (the notice leaves them open, I-16; defaults in docs/panel-notes.md).
 * Scores are decimal text with at most one decimal ("85", "85.5").
 */

enum core_panel_level { CORE_PANEL_LOCAL, CORE_PANEL_CITY };
/* The state code in which a panel of this level evaluates a nominee
 * (submitted for the county's, hr_checked for the city's committee). */
const char *core_panel_stage(enum core_panel_level level);
enum core_panel_rule {
	CORE_PANEL_MEAN,     /* passes when the mean total >= threshold */
	CORE_PANEL_MAJORITY, /* passes when more than half of the submitted
				totals are >= threshold */
};
enum core_panel_outcome {
	CORE_PANEL_PENDING, /* fewer score sheets than the quorum */
	CORE_PANEL_PASSED,
	CORE_PANEL_FAILED,
};

#define CORE_PANEL_MAX_CRITERIA 12

struct core_panel_criterion {
	char name[64];              /* what an expert types: "academic" */
	char label[CORE_NAME_SIZE]; /* shown: 学术水平 */
	int max_x10;                /* highest score, tenths (400 = 40.0) */
};

struct core_panel {
	int64_t id;
	char name[CORE_NAME_SIZE];
	enum core_panel_level level;
	char owner_unit[CORE_CODE_SIZE];
	char owner_name[CORE_NAME_SIZE];
	enum core_panel_rule rule;
	int threshold_x10;
	int quorum;
	int n_members;
	size_t n_criteria;
	struct core_panel_criterion criteria[CORE_PANEL_MAX_CRITERIA];
};

struct core_panel_new {
	const char *name;  /* unique in the round; not all digits */
	enum core_panel_level level;
	enum core_panel_rule rule;
	const char *criteria;  /* NULL: the default sheet; else
				  "name:max,name:max" (max <= 1000) */
	const char *threshold; /* NULL: 60% of the sheet's total */
	int quorum;            /* 0: 3 */
};

/* "local" "city"; "mean" "majority"; "pending" "passed" "failed". */
const char *core_panel_level_name(enum core_panel_level l);
const char *core_panel_rule_name(enum core_panel_rule r);
const char *core_panel_outcome_name(enum core_panel_outcome o);
/* Parses the names above; 0 or CORE_EINVAL. */
int core_panel_level_parse(const char *s, enum core_panel_level *out);
int core_panel_rule_parse(const char *s, enum core_panel_rule *out);

/*
 * Creates a panel of the current round (local: county HR or department,
 * owned by the actor's unit; city: city HR).  Audited.  *id set on
 * success.  CORE_EEXIST if the name is taken in the round.
 */
int core_panel_create(struct core *c, const struct core_panel_new *p,
		      int64_t *id, struct core_receipt *rc);

/*
 * A panel by id ("12") or name, if the actor may see it: its owners
 * (county HR or department of the owning unit; city HR for the city
 * committee), city HR and the auditor (all panels), and its members.
 * Any other panel answers exactly like a missing one (CORE_ENOENT).
 */
int core_panel_get(struct core *c, const char *panel, struct core_panel *out);
/* Calls cb for each panel of the current round the actor may see. */
int core_panel_list(struct core *c,
		    int (*cb)(void *ctx, const struct core_panel *p),
		    void *ctx);

/* Adds the user expert_login (role expert) to panel (owners only). */
int core_panel_add_member(struct core *c, const char *panel,
			  const char *expert_login, struct core_receipt *rc);

/* One member's part in an assignment (strings borrowed for cb only). */
struct core_panel_assign_item {
	const char *expert; /* login */
	const char *expert_name;
	int recused;        /* 1: recused automatically */
	int already;        /* 1: assigned (or recused) before; unchanged */
	const char *reason; /* why recused (or the earlier status) */
};

/*
 * Assigns nominee id to every member of panel not yet assigned it, with
 * automatic recusal (one audited act per member); cb (may be NULL) hears
 * each member's outcome.  Owners only.  The nominee must be with the
 * panel: a local panel takes a submitted nomination held by its owner,
 * the city committee one that passed the initial review (hr_checked).
 * CORE_EEXIST if every member already has it; CORE_ESTATE if the panel
 * has no members.
 */
int core_panel_assign(struct core *c, const char *panel, int64_t id,
		      int (*cb)(void *ctx,
				const struct core_panel_assign_item *it),
		      void *ctx, struct core_receipt *rc);

/*
 * The acting expert's declaration for nominee id: conflict NULL or "" is
 * the no-conflict declaration (回避承诺) that opens the dossier to them;
 * a conflict (its reason) recuses them from the nominee on this and every
 * later panel.  panel NULL: the one panel evaluating id that assigned it
 * to the expert.  A nominee not assigned to the expert answers like a
 * missing one.  Signed with the expert's own key, which must be unlocked
 * (core_key_unlock; CORE_EAUTH on field "passphrase" otherwise), and
 * audited; a per-act unlock is spent by the attempt.
 */
int core_panel_declare(struct core *c, const char *panel, int64_t id,
		       const char *conflict, struct core_receipt *rc);

struct core_score {
	const char *criterion; /* a name of the panel's sheet */
	const char *score;     /* "0".."max", at most one decimal */
};

/*
 * The acting expert's score sheet for nominee id: every criterion of the
 * panel exactly once, and an optional written opinion.  Needs the
 * no-conflict declaration; final once submitted.  Audited with the
 * sheet's SHA-256 as the entry's digest.
 */
int core_panel_score(struct core *c, const char *panel, int64_t id,
		     const struct core_score *scores, size_t n_scores,
		     const char *opinion, struct core_receipt *rc);

/* One of the acting expert's assignments (recusals are not listed). */
struct core_panel_assignment {
	int64_t panel_id;
	char panel[CORE_NAME_SIZE];
	enum core_panel_level level;
	int64_t nominee_id;
	char name[CORE_NAME_SIZE]; /* the nominee's, to judge a conflict */
	char unit_name[CORE_NAME_SIZE];
	char status[16]; /* assigned declared scored conflict */
	char state[32];  /* the nominee's workflow state */
	/* issue 8 item 7: the dossier as listed, for *_seen() */
	uint64_t seq;
	uint32_t version;
};
/* Experts only: their assignments, newest panel first. */
int core_panel_assignments(struct core *c,
			   int (*cb)(void *ctx,
				     const struct core_panel_assignment *a),
			   void *ctx);

/* One submitted score sheet (strings borrowed for cb only). */
struct core_panel_sheet {
	const char *expert;
	const char *expert_name;
	int total_x10;
	const char *opinion;
	int64_t submitted_ms;
	size_t n_scores; /* in the panel's criteria order */
	int score_x10[CORE_PANEL_MAX_CRITERIA];
};
/*
 * The submitted sheets for nominee id on panel: for its owners, city HR
 * and the auditor; for an expert assigned the nominee only after they
 * submitted their own (CORE_EPERM before).
 */
int core_panel_scores(struct core *c, const char *panel, int64_t id,
		      int (*cb)(void *ctx, const struct core_panel_sheet *s),
		      void *ctx);

struct core_panel_result {
	int64_t nominee_id;
	char name[CORE_NAME_SIZE];
	char unit[CORE_CODE_SIZE];
	char unit_name[CORE_NAME_SIZE];
	char state[32];
	int n_assigned;  /* members not recused */
	int n_recused;   /* automatically or by declaration */
	int n_submitted; /* score sheets */
	int quorum;
	int64_t mean_x100; /* mean total in hundredths; 0 if none */
	int yes;           /* sheets with a total >= threshold */
	enum core_panel_outcome outcome;
};
/*
 * The panel's result per assigned nominee, by the panel's rule (owners,
 * city HR, the auditor; experts never see aggregates).
 */
int core_panel_result(struct core *c, const char *panel,
		      int (*cb)(void *ctx, const struct core_panel_result *r),
		      void *ctx);

struct core_recommend_row {
	int rank;        /* 1-based; equal results share a rank */
	int recommended; /* within the round's target */
	int tie;         /* a tie straddles the target: the committee
			    decides, none of the tied is recommended */
	char panel[CORE_NAME_SIZE];
	struct core_panel_result r;
};
/*
 * The committee's ranked list (city HR and the auditor): nominees of the
 * current round that the city committee passed and that are still in the
 * running, best mean total first (then more yes votes).  At most the
 * round's target are recommended (core_quota_check_target); *target and
 * *n_recommended are set when not NULL.
 */
int core_panel_recommend(struct core *c,
			 int (*cb)(void *ctx,
				   const struct core_recommend_row *row),
			 void *ctx, int *target, size_t *n_recommended);

/* One count of core_stats (strings borrowed for cb only). */
struct core_stats_row {
	const char *dimension; /* "unit" "category" "state" */
	const char *key;       /* unit code, category key, state */
	const char *label;     /* its name in the current language */
	int64_t count;
};
/*
 * Counts the nominees of the current round the actor may list, by
 * employing unit, quota category and workflow state (unit clerks, county
 * HR, departments, city HR, the auditor; CORE_EPERM for others: experts
 * and applicants get no aggregates, admins no dossier data).
 */
int core_stats(struct core *c,
	       int (*cb)(void *ctx, const struct core_stats_row *row),
	       void *ctx);

/* ---- signing keys, signed acts, veto, trail (issue #4, continued) ---- */

/*
 * Key costs: Argon2id MODERATE (3 passes, 256 MiB) by default; the
 * environment variable NOMDESK_KDF=interactive (2, 64 MiB; the floor) is
 * for tests and small hosts, =sensitive (4, 1 GiB) for the careful.  The
 * parameters are stored in each key record; a record sealed below the
 * host's setting is sealed again at its next unlock (audited).
 */

/*
 * Replaces LOGIN's key (the actor's own, or LOGIN's for the console
 * operator): unlocks the old one with old_pass (a failure counts like a
 * failed unlock), creates a new one under new_pass and records the
 * rotation, signed by both keys.  The old key is invalid from the next
 * entry on.
 */
int core_key_rotate(struct core *c, const char *login, const char *old_pass,
		    const char *new_pass, struct core_receipt *rc);
/*
 * Revokes LOGIN's active key (an administrator, the console operator, or
 * the owner), reason required (left post, lost passphrase, suspected
 * compromise...).  Signatures by it after this entry are invalid.
 */
int core_key_revoke(struct core *c, const char *login, const char *reason,
		    struct core_receipt *rc);

struct core_key_info {
	int enrolled;          /* has an active key */
	char key_id_hex[65];
	char public_b64[48];
	uint64_t enrolled_seq; /* entry that registered it */
	uint64_t opslimit;     /* Argon2id cost stored in the record */
	uint64_t memlimit;
	int failed;            /* failed unlocks in a row */
	int64_t locked_until_ms;
	int unlocked;          /* unlocked in this handle */
};

/* The key state of LOGIN (NULL: the actor); others' only for admins,
 * auditors and the console operator. */
int core_key_info(struct core *c, const char *login, struct core_key_info *out);

/* The wording of the integrity pledge (承诺书) the pledge acts refer to
 * (its SHA-256 is an attachment of each pledge).  Static. */
const char *core_pledge_text(void);

/*
 * Stores a document (a scanned pledge, veto evidence) content-addressed
 * as DATA/docs/<sha256 hex> (0600, fsync'd, atomic rename) and returns
 * its SHA-256.  Storing is not an act; an act that names the digest is.
 */
int core_doc_store(struct core *c, const void *data, size_t len,
		   uint8_t digest[32]);

/* Extra inputs of an act. */
struct core_act_opts {
	/* SHA-256 of documents already in the store: the scan of a paper
	 * pledge (pledge_paper requires one), the evidence of a veto (veto
	 * requires one); at most 15. */
	const uint8_t (*attach)[32];
	size_t n_attach;
};

/*
 * core_act() with attachments (o may be NULL).  A signed action
 * (core_action_signed) needs the actor's unlocked key: CORE_EAUTH
 * "unlock your signing key (签名密钥) first" otherwise.  Actions of issue
 * #4 besides the table above: pledge (the applicant's own electronic
 * pledge), veto, veto_countersign, veto_cancel, appeal, appeal_grant.
 */
int core_act_ex(struct core *c, int64_t id, const char *action,
		const char *reason, const struct core_act_opts *o,
		struct core_receipt *rc);

/* Links the applicant's own account (role applicant) to nominee id, so
 * they can sign the electronic pledge (action pledge).  Unit clerks of
 * the unit and city HR; audited. */
int core_nominee_set_applicant(struct core *c, int64_t id, const char *login,
			       struct core_receipt *rc);

/*
 * The veto's signature policy (meta veto_signatures): 1, or 2 (a second
 * city HR officer or auditor countersigns; the veto takes effect at the
 * second signature).  Set by an administrator or the console; audited.
 */
int core_veto_policy_set(struct core *c, int signatures,
			 struct core_receipt *rc);
int core_veto_policy_get(struct core *c);
/*
 * Is the holder of id_number on the dishonesty register (a veto in this
 * or an earlier round, not expired, not lifted on appeal)?  0 if not;
 * CORE_EPERM naming the round, the entry and the expiry if so.
 */
int core_veto_register_check(struct core *c, const char *id_number);

/* How a personal signature stands against the key registry replayed
 * from the log at the entry's own sequence number. */
enum core_sig_status {
	CORE_SIG_UNSIGNED, /* only the log key (not signed by a person) */
	CORE_SIG_VALID,    /* the actor's key, valid at that entry, verifies */
	CORE_SIG_INVALID,  /* a personal signature that fails; see detail */
};

/* One act in the accountability trail of a nominee. */
struct core_trail_item {
	uint64_t seq;
	int64_t time_ms;
	char actor[64];
	char actor_name[CORE_NAME_SIZE]; /* from the user table ("" if none) */
	int role;                        /* enum core_role, -1 the system */
	char unit[CORE_CODE_SIZE];
	uint16_t act;
	uint8_t decision;
	char action[32];   /* the workflow action, "" for other acts */
	uint32_t version;  /* dossier version the act covers */
	char digest_hex[65];
	char key_id_hex[17]; /* first 8 bytes of the signing key id */
	char reason[4001];
	uint16_t n_attach;
	char attach_hex[16][65];
	enum core_sig_status sig;
	char sig_detail[96]; /* why invalid ("" otherwise) */
	int current;  /* names the nominee's current dossier digest */
	int attests;  /* a pledge, verification or passing decision */
	int voided;   /* attests, but the dossier changed since (new version) */
	int verifier; /* attests to the version a veto names (谁查验、谁负责) */
};

/* Summary passed to the callback before the items. */
struct core_trail_head {
	int64_t id;
	char name[CORE_NAME_SIZE];
	char state[32];
	uint32_t version;
	char digest_hex[65]; /* current (last logged) dossier digest */
	int vetoed;          /* an effective veto names a version */
	uint32_t veto_version;
	char veto_digest_hex[65];
	size_t n_verifiers;
};

/*
 * The accountability trail of nominee id (same scope as
 * core_nominee_get; also shown for a dossier that fails verify-on-read):
 * head once, then every act on the nominee in log order (the dossier's
 * own acts, no panel's, as core_nominee_history), each parsed
 * from the log's own bytes with its signature judged against the key
 * registry replayed from the log.  A non-zero return of item stops.
 */
int core_audit_trail(struct core *c, int64_t id,
		     int (*head)(void *ctx, const struct core_trail_head *h),
		     int (*item)(void *ctx, const struct core_trail_item *t),
		     void *ctx);

/* ---- units ---- */

struct core_unit {
	char code[CORE_CODE_SIZE];
	char name[CORE_NAME_SIZE];
	char kind[16]; /* city bureau county zone department channel ... */
	char parent[CORE_CODE_SIZE]; /* "" for the root */
};

/*
 * Calls cb for every unit, ordered by code.  A non-zero return from cb
 * stops the walk and is returned.
 */
int core_unit_list(struct core *c,
		   int (*cb)(void *ctx, const struct core_unit *u), void *ctx);
int core_unit_get(struct core *c, const char *code, struct core_unit *out);
/*
 * Adds a unit under an existing parent (its reporting line, 隶属关系);
 * admin or the console operator only.  kind: county zone department
 * channel stationed employer.  Audited.
 */
int core_unit_add(struct core *c, const struct core_unit *u);

/* ---- nominees ---- */

struct core_nominee_new {
	const char *name;
	const char *gender;     /* 男 or 女 */
	const char *birth_date; /* YYYY-MM-DD */
	const char *title;      /* professional title, e.g. 主任医师 */
	const char *unit;       /* employing unit; NULL = the actor's unit */
};

struct core_nominee {
	int64_t id;
	char unit[CORE_CODE_SIZE];
	char unit_name[CORE_NAME_SIZE];
	char name[CORE_NAME_SIZE];
	char gender[8];
	char birth_date[16];
	char title[CORE_TEXT_SIZE];
	char state[32];
	uint32_t version;
	uint64_t seq; /* log entry of the last change */
};

/* What a write hands back: the log entry and the checkpoint covering it. */
struct core_receipt {
	uint64_t seq;       /* entry number */
	uint64_t tree_size; /* checkpoint size (seq + 1 or more) */
	char root[48];      /* checkpoint root, base64 */
};

/*
 * Validates, authorizes (the actor must be allowed to nominate for the
 * unit), stores and audits a new nominee in one transaction.  On success
 * *id and *rc are set.  CORE_EINVAL names the field and the rule.
 */
int core_nominee_add(struct core *c, const struct core_nominee_new *n,
		     int64_t *id, struct core_receipt *rc);
/*
 * core_nominee_add() made safe to retry after a lost receipt.  key
 * ([A-Za-z0-9._-]{8,64}, else CORE_EINVAL, field "idempotency_key")
 * names the request for the acting user.  The first call adds the
 * nominee and stores the key with it in the same transaction.  A later
 * call by the same user with the same key and the same request (compared
 * after normalization, the unit resolved) writes nothing, sets *replayed
 * (may be NULL) to 1 and returns the first call's *id and *rc.  The same
 * key with a different request is CORE_EEXIST, the message naming the
 * key.  key NULL is core_nominee_add().
 */
int core_nominee_add_once(struct core *c, const struct core_nominee_new *n,
			  const char *key, int64_t *id,
			  struct core_receipt *rc, int *replayed);

/*
 * Calls cb for each nominee the actor may see, ordered by id.  Strings
 * are stored text: sanitize before display.
 */
int core_nominee_list(struct core *c,
		      int (*cb)(void *ctx, const struct core_nominee *n),
		      void *ctx);

/*
 * Validates one dossier field without storing; for forms.  field is a
 * name of core_dossier_fields() or "condition.N" (N 1-9).  0 or EINVAL.
 */
int core_nominee_check_field(struct core *c, const char *field,
			     const char *value);

/* The editable scalar fields in form order, NULL-terminated. */
const char *const *core_dossier_fields(void);
/* The field's label in the current language (never NULL). */
const char *core_field_label(const char *field);
/* The closed set of values of a dossier field (gender, degree, title
 * level...), NULL-terminated, in the order pickers show them; NULL for a
 * free-text field.  The checks refuse anything else. */
const char *const *core_field_choices(const char *field);
/* What a form shows of a dossier field, from core's one table. */
struct core_field_desc {
	const char *name;
	const char *label; /* translated */
	const char *hint;  /* translated, or NULL: what may be typed */
	int box;           /* columns of its input box */
	int max_cols;      /* display width the check allows */
	int required;      /* before the pledge */
	const char *const *choices; /* the closed set, or NULL */
};
/* 0 and *out for a dossier field (core_dossier_fields); CORE_EINVAL for
 * any other name. */
int core_field_describe(const char *field, struct core_field_desc *out);
/*
 * The one tidying of typed input, in place (tidy.c): NFC, spaces trimmed,
 * and the usual spellings of a field's value brought to its stored form
 * (1975/3/2 -> 1975-03-02, 2 -> 女, 正高 -> 正高级, full-width digits).
 * field is a dossier field, "condition.N" (lines kept), "from"/"to"
 * (dates) or any other name (text).  Never makes valid what the check
 * refuses; the forms call it as a field is left, and core's writes call
 * it again, so the CLI and the importer accept the same input.
 */
void core_field_tidy(const char *field, char *s, size_t size);

/* The whole dossier as stored.  Text is stored text: sanitize to show. */
struct core_dossier {
	struct core_nominee n;
	char id_number[24]; /* masked (1402**********123X) unless revealed */
	char birth_precision[8]; /* "day" or "month" */
	char education[64];
	char degree[16];
	char title_level[16];
	char title_date[16];
	char system[16];
	char channel[32];
	char prior_leader[16];
	char specialty[CORE_TEXT_SIZE];
	char phone[32];
	char holder[CORE_CODE_SIZE]; /* who the nomination is with */
	char quota_category[32];
	int64_t applicant_user; /* the applicant's own account, 0 if none */
	int has_condition[10];              /* index 1-9 */
	char condition[10][CORE_TEXT_SIZE]; /* evidence text per condition */
	uint8_t digest[32];
};

/* The stored value of a scalar field of d ("" for an unknown field). */
const char *core_dossier_value(const struct core_dossier *d,
			       const char *field);

/*
 * Reads nominee id if the actor may see it (CORE_ENOENT otherwise, the
 * same answer as for a missing one).  The ID number comes back masked.
 * Recomputes the dossier digest and compares it with the row's: a direct
 * edit of the database behind the log is CORE_ECORRUPT.
 */
int core_nominee_get(struct core *c, int64_t id, struct core_dossier *out);

/*
 * The full ID number of nominee id, for roles that must check it (unit
 * clerks of the unit, county HR and departments over it, city HR).  Every
 * reveal is an audited act.
 */
int core_nominee_reveal_id(struct core *c, int64_t id, char out[24]);

struct core_field_value {
	const char *field; /* a dossier field or "condition.N" */
	const char *value; /* for a condition: its evidence; "" removes it */
};

/*
 * Changes fields of nominee id as one new dossier version (validated,
 * authorized: the employing unit's clerks, county HR/departments over it,
 * city HR; only while the dossier is with its unit: draft, pledged or
 * returned).  An edit after the pledge voids it: the state goes back to
 * draft.  Audited with the previous and the new digest.
 */
int core_nominee_edit(struct core *c, int64_t id,
		      const struct core_field_value *vals, size_t n_vals,
		      struct core_receipt *rc);

/* ---- writes over the version a screen showed (issue 8 item 7) ---- */

/*
 * A screen that shows a dossier and then writes or signs over it passes
 * the version it showed: seen_seq, the struct core_nominee.seq it read
 * (core_nominee_get; core_panel_assignment.seq for an expert).  seq moves
 * to the new log entry's number on every change of the nominee (edit,
 * item, material, workflow act, applicant link), so it names one version
 * and never comes back.  Inside the write transaction, before anything
 * is written or signed, core refuses with CORE_ESTALE ("nominee N was
 * changed by someone else since you opened it; reload and try again")
 * when the nominee's seq is not seen_seq, and the database is left as it
 * was; the caller reloads (its user keeps what they typed) and tries
 * again with the new seq.  Where the state alone would refuse (a dossier
 * no longer editable, an action not open now) and seen_seq is not the
 * current version, the answer is CORE_ESTALE too: the screen is told it
 * is stale, not about a state it never showed (an expert's act on a
 * nominee no longer with the panel stays CORE_ESTATE, which says so).
 *
 * seen_seq 0 means "the current version": only for one-shot callers whose
 * read and write are this one call (a CLI command without --expect-seq,
 * the importer, tests).  The functions without _seen are these with
 * seen_seq 0.  Every screen passes the version it showed, never 0.
 * Other errors, authorization and audit: as the function without _seen.
 */
int core_nominee_edit_seen(struct core *c, int64_t id, uint64_t seen_seq,
			   const struct core_field_value *vals,
			   size_t n_vals, struct core_receipt *rc);
int core_act_seen(struct core *c, int64_t id, uint64_t seen_seq,
		  const char *action, const char *reason,
		  const struct core_act_opts *o, struct core_receipt *rc);
struct core_item;
int core_item_add_seen(struct core *c, int64_t id, uint64_t seen_seq,
		       const struct core_item *it, struct core_receipt *rc);
int core_material_set_seen(struct core *c, int64_t id, uint64_t seen_seq,
			   const char *kind, int copies, int original_sighted,
			   struct core_receipt *rc);
int core_nominee_set_applicant_seen(struct core *c, int64_t id,
				    uint64_t seen_seq, const char *login,
				    struct core_receipt *rc);
/* Experts: the version in their assignment list (the dossier opens to
 * them only after the declaration). */
int core_panel_declare_seen(struct core *c, const char *panel, int64_t id,
			    uint64_t seen_seq, const char *conflict,
			    struct core_receipt *rc);
int core_panel_score_seen(struct core *c, const char *panel, int64_t id,
			  uint64_t seen_seq, const struct core_score *scores,
			  size_t n_scores, const char *opinion,
			  struct core_receipt *rc);

/* ---- end of issue 8 item 7 ---- */

/* ---- rounds, eligibility, quotas ---- */

/*
 * A round is data: rounds/<code>.json (format "nomdesk-round/1", described
 * in docs/domain-notes.md) parsed by core_round_parse(), stored by
 * core_round_load() and read back by core_round_get().  The struct below
 * owns every string and array in it; free with core_round_free().
 */

enum core_title_level {
	CORE_TITLE_NONE,   /* 无 */
	CORE_TITLE_JUNIOR, /* 初级 */
	CORE_TITLE_MIDDLE, /* 中级 */
	CORE_TITLE_DEPUTY, /* 副高级 (副高) */
	CORE_TITLE_FULL,   /* 正高级 (正高) */
};

/* Parses 正高 正高级 副高 副高级 中级 初级 无 (or full deputy middle
 * junior none); 0 or CORE_EINVAL. */
int core_title_level_parse(const char *s, enum core_title_level *out);
/* "正高级" ... "无"; NULL for an out-of-range value. */
const char *core_title_level_name(enum core_title_level l);

/* What a title record is: a qualification (资格) or an appointment (聘任). */
enum core_title_kind {
	CORE_TITLE_KIND_UNKNOWN,
	CORE_TITLE_KIND_QUALIFICATION,
	CORE_TITLE_KIND_APPOINTMENT,
};

/* Which kind the round counts (I-11). */
enum core_title_rule {
	CORE_TITLE_COUNTS_EITHER,
	CORE_TITLE_COUNTS_QUALIFICATION,
	CORE_TITLE_COUNTS_APPOINTMENT,
};

/* Rules a quota category may relax (the category's "relax" list). */
#define CORE_RELAX_TITLE 0x1u      /* H1 */
#define CORE_RELAX_AGE 0x2u        /* H2 */
#define CORE_RELAX_CONDITIONS 0x4u /* H4 */

struct core_round_category {
	char *key;     /* "grassroots", stored in nominee.quota_category */
	char *name_zh; /* "基层专项", as in spreadsheets (domain.md 8) */
	char *name_en;
	unsigned relax; /* CORE_RELAX_* */
	char *text;     /* the notice's words, "" if none */
};

/*
 * One node of the quota tree, in pre-order.  limit < 0 means the node has
 * no figure of its own: uncapped (不限名额) or a share of its parent's
 * pool.  A leaf's limit is shared by all of its holders.
 */
struct core_quota_node {
	char *code;    /* unique in the round, e.g. "general.city.edu" */
	char *path;    /* where it is in the file: "$.quotas.parts[3]" */
	int parent;    /* index in nodes[], -1 for a top-level part */
	int depth;     /* 0 for a top-level part */
	char *category; /* category key (inherited from the parent) */
	char *name_zh;
	char *name_en;
	int64_t limit;
	int uncapped;
	int reserved;      /* reserved seats: 1, 0, or -1 not stated */
	int enforce;       /* the limit binds (default 1) */
	int justification; /* each nominee here needs a justification */
	int any_holder;    /* any holder may report on this path */
	char *channel;     /* "" or the recommending channel */
	char **holders;    /* unit codes (leaves only) */
	size_t n_holders;
	size_t n_children;
	char *text;
	char *note;
};

enum core_evidence { CORE_EVIDENCE_DOCUMENTARY, CORE_EVIDENCE_JUDGEMENT };

struct core_round_condition {
	int no; /* 1-based */
	char *zh;
	char *en;
	enum core_evidence evidence;
	char *note;
};

struct core_round_material {
	char *key;
	char *name_zh;
	char *name_en;
	int copies; /* -1: not stated */
	int electronic;
	int originals;
	int required;
	char *note;
};

/* A notice period; tier "county", "department" or "city". */
struct core_round_notice {
	char *tier;
	int days;       /* -1: not stated */
	char *day_type; /* "calendar", "working" or "" (not stated) */
	char *text;
	char *reading;
};

/* A chosen reading of an inconsistency (domain.md 1.11). */
struct core_round_reading {
	char *issue; /* "I-2" */
	char *kind;  /* "" or a finding kind it explains (see below) */
	char *node;  /* "" or the node it is about */
	char *text;
	char *reading;
	char *chosen_by; /* "" until someone signs it */
	char *chosen_at;
};

struct core_round {
	char *code;
	int year;
	int batch;
	char *title_zh;
	char *title_en;
	char *source;
	int target;     /* seats to fill (44) */
	char *receiver; /* the unit that receives reports (1402-hrss) */

	char *deadline;      /* "2020-12-15T23:59:59+08:00" */
	int64_t deadline_ms; /* the last in-time millisecond */
	char *deadline_county;     /* "" if not configured */
	char *deadline_department; /* "" if not configured */
	char *deadline_reading;

	int age_limit;
	int age_inclusive;      /* 以下 includes the number */
	char age_ref_date[11];  /* resolved: default the deadline's date */
	int age_relaxable;      /* 特别优秀的可适当放宽 */
	char *age_reading;

	enum core_title_level title_min;
	enum core_title_rule title_counts;
	char *title_reading;

	int window_years;
	char window_ref_date[11]; /* resolved like age_ref_date */

	int exclude_province; /* X1: already a provincial leader */
	int exclude_city;     /* X1: already a city leader */

	int stated_parts; /* the notice's own count of quota parts; 0 none */

	struct core_round_condition *conditions;
	size_t n_conditions;
	struct core_round_category *categories;
	size_t n_categories;
	struct core_quota_node *nodes; /* pre-order */
	size_t n_nodes;
	struct core_round_material *materials;
	size_t n_materials;
	struct core_round_notice *notices;
	size_t n_notices;
	struct core_round_reading *readings;
	size_t n_readings;

	char *json;           /* canonical text (what is stored and audited) */
	char sha256_hex[65];  /* of json */
};

/*
 * Parses and validates a round definition strictly: unknown keys, wrong
 * types, out-of-range figures, duplicate codes, bad dates and an
 * inconsistent tree shape are refused.  Unit codes are not checked here
 * (core_round_load does).  On failure *out is NULL and err holds
 * "$.quotas.parts[3].limit: must be an integer >= 0" (path and rule).
 * Caller frees with core_round_free().
 */
int core_round_parse(const char *json, size_t len, struct core_round **out,
		     char *err, size_t errlen);
void core_round_free(struct core_round *r);

/*
 * Loads a round definition into the database (admin or system only; an
 * audited act whose digest is the SHA-256 of the canonical text).  Every
 * holder must be a known unit.  A round row with the same code that has
 * no definition yet (the Datong row of the reference data) is completed;
 * one that has a definition is CORE_EEXIST (a round is immutable once
 * loaded: a new reading is a new round file).  make_current makes it the
 * round new nominees join.  Errors name the JSON path and the rule.
 */
int core_round_load(struct core *c, const char *json, size_t len,
		    int make_current, struct core_receipt *rc);
/* The text of the definition of round code compiled into the binary
 * (from rounds/), and its length; NULL if there is none.  Static. */
const char *core_round_builtin(const char *code, size_t *len);
/* Same as core_round_load of the built-in definition of code. */
int core_round_load_builtin(struct core *c, const char *code,
			    int make_current, struct core_receipt *rc);

/*
 * The stored definition of round code (NULL: the current round).
 * Readable by anyone: it holds no personal data.  CORE_ENOENT if there is
 * no such round or it has no definition.  Caller frees with
 * core_round_free().
 */
int core_round_get(struct core *c, const char *code, struct core_round **out);

/* Finds a category by key or Chinese name; NULL if none.  Borrowed. */
const struct core_round_category *
core_round_category_find(const struct core_round *r, const char *key_or_name);

/*
 * One inconsistency of the notice's own arithmetic.  kind is "parts"
 * (the stated number of parts vs the parts listed), "breakdown" (a
 * node's figure vs the sum of its children's figures), "itemised" (a
 * node's figure vs the sum of its leaves' figures, when that differs
 * again) or "total" (the round's totals by each reading vs its target).
 */
struct core_round_finding {
	char issue[16]; /* from the round's readings, "" if none recorded */
	char kind[16];
	char node[64];  /* "" for the round as a whole */
	int64_t stated; /* the figure the notice states */
	int64_t sum;    /* what its parts add up to */
	char message[768];
};

/*
 * Checks the arithmetic of r's quota tree and never changes it.  *out is
 * a malloc'd array of *n findings in tree order (NULL when none); caller
 * frees it with free().  0 or CORE_EINTERNAL (out of memory).
 */
int core_round_check(const struct core_round *r,
		     struct core_round_finding **out, size_t *n);

/* ---- eligibility (domain.md 1.5): a pure function of the round ---- */

enum core_prior_leader {
	CORE_PRIOR_UNKNOWN, /* not recorded: never silently passed */
	CORE_PRIOR_NONE,    /* 无 */
	CORE_PRIOR_PROVINCE, /* 省级 */
	CORE_PRIOR_CITY,    /* 市级 */
};
/* Parses 无 省级 市级 (or none province city); 0 or CORE_EINVAL. */
int core_prior_leader_parse(const char *s, enum core_prior_leader *out);

struct core_elig_claim {
	int no;               /* 1-9 */
	const char *evidence; /* what supports it; NULL or "" if none */
};

struct core_elig_input {
	const char *birth_date; /* YYYY-MM-DD, or YYYY-MM (month known) */
	enum core_title_level title_level;
	enum core_title_kind title_kind;
	const char *title_date; /* YYYY-MM-DD or NULL/"" if not recorded */
	const char *category;   /* key or Chinese name of the category */
	const struct core_elig_claim *claims;
	size_t n_claims;
	enum core_prior_leader prior_leader;
	/* Relaxation/override justification; NULL or blank = none.  With
	 * one, each soft failure passes "by override" (and says so). */
	const char *justification;
};

enum core_elig_verdict {
	CORE_ELIG_ELIGIBLE,
	CORE_ELIG_INELIGIBLE,
	CORE_ELIG_OVERRIDE_NEEDED,
};
enum core_rule_result { CORE_RULE_PASS, CORE_RULE_FAIL, CORE_RULE_SOFT_FAIL };

#define CORE_ELIG_MAX_RULES 8

struct core_elig_rule {
	char rule[8]; /* "X1", "H1", "H2", "H4" (domain.md 1.5) */
	enum core_rule_result result;
	int overridden; /* a soft failure passed by the justification */
	char detail[768];
};

struct core_elig_result {
	enum core_elig_verdict verdict;
	size_t n_rules;
	struct core_elig_rule rules[CORE_ELIG_MAX_RULES];
	char errfield[32]; /* set when the call returns CORE_EINVAL */
	char errmsg[256];
};

/*
 * Evaluates the hard and soft rules of round r for one dossier, without
 * any database: X1 prior leader (fail), H1 senior title (fail; soft in
 * categories that relax it), H2 age in full years at the round's
 * reference date (soft; a month-precision birth date whose month
 * straddles the boundary is "needs check"), H4 at least one of the
 * conditions (fail; soft where relaxed).  Verdict: ineligible if any
 * rule fails, override_needed if any is a soft failure, else eligible.
 * Every detail names the parameters it used.  0, or CORE_EINVAL with
 * out->errfield/out->errmsg for unusable input (bad date, unknown
 * category, condition out of range).
 */
int core_elig_evaluate(const struct core_round *r,
		       const struct core_elig_input *in,
		       struct core_elig_result *out);
/* The same against the current round of the database. */
int core_elig_check(struct core *c, const struct core_elig_input *in,
		    struct core_elig_result *out);

/* "eligible" "ineligible" "override_needed"; "pass" "fail" "soft_fail". */
const char *core_elig_verdict_name(enum core_elig_verdict v);
const char *core_rule_result_name(enum core_rule_result r);

/*
 * {"verdict": "...", "rules": [{"rule", "result", "detail"}...]} as
 * UTF-8 text (pretty when pretty).  Caller frees with free(); NULL when
 * out of memory.
 */
char *core_elig_json(const struct core_elig_result *res, int pretty);

/* ---- quotas (domain.md 1.4): live usage per holder and category ---- */

/*
 * A nominee holds a slot of (holder, quota_category) from the report to
 * the city onwards: states reported, hr_checked, committee_reviewed,
 * hr_approved, gov_approved, public_notice, confirmed, and
 * under_investigation resuming to one of them.  holder is the nominee's
 * holder column (the county, department, zone, channel or stationed
 * unit); quota_category the category key or Chinese name.
 */
struct core_quota_status {
	char node[64];     /* the leaf of the quota tree that applies */
	char category[32]; /* category key */
	int64_t limit;     /* the leaf's own limit, -1 if none */
	int uncapped;
	int justification; /* a justification is required here */
	int64_t count;     /* slots held on that leaf by this holder */
	int64_t leaf_count; /* ... by all the leaf's holders */
};

/*
 * The quota that applies to (holder, category) in the current round.
 * CORE_ENOENT (message names both) if the holder has no quota there.
 */
int core_quota_get(struct core *c, const char *holder, const char *category,
		   struct core_quota_status *out);

/*
 * May one more nominee be reported under (holder, category)?  0 if so.
 * CORE_EQUOTA when the leaf or any enforced node above it is full: the
 * message names the holder, the category, the node, its limit and its
 * count.  On an uncapped path no limit applies; where the path requires a
 * justification (不限名额另行推荐) a blank one is CORE_EINVAL (field
 * "justification").  exclude_id (> 0) is a nominee not to count (the one
 * being reported again).  Reads only: call it inside the transition's
 * transaction so the count cannot change under it.
 */
int core_quota_check(struct core *c, const char *holder, const char *category,
		     const char *justification, int64_t exclude_id);

/*
 * The committee's recommended list against the round's target: 0 if
 * n_recommended <= target, CORE_EQUOTA naming both otherwise.
 */
int core_quota_check_target(struct core *c, size_t n_recommended);

/* One row of quota usage; strings borrowed for the callback only. */
struct core_quota_usage {
	const char *node;   /* node code, "" for slots matching no node */
	int depth;
	const char *category;      /* key */
	const char *category_name; /* Chinese name */
	const char *name;          /* node name (Chinese) */
	const char *holder;        /* "" for a node's total row */
	const char *holder_name;
	int per_holder; /* one holder's share of the leaf above it */
	int64_t limit; /* -1: none of its own */
	int uncapped;
	int enforce;
	int64_t count;
};

/*
 * Calls cb for each node of the current round's quota tree (pre-order;
 * a row per node with its total count, then a row per holder of a leaf
 * with more than one holder or any holder) and a final row per
 * (holder, category) that matches no node.  Any user or the system may
 * read it: counts, no personal data.
 */
int core_quota_usage(struct core *c,
		     int (*cb)(void *ctx, const struct core_quota_usage *u),
		     void *ctx);

/* ---- dated items and the materials checklist ---- */

struct core_item {
	int64_t id;
	char kind[16];      /* work, research, performance */
	char date_from[16]; /* YYYY-MM-DD or YYYY-MM */
	char date_to[16];   /* "" if ongoing or a single date */
	char title[CORE_TEXT_SIZE];
	char detail[4096];
	int outside_window; /* research/performance older than 近5年 */
};

/*
 * Adds a work-history, research or performance item to nominee id's
 * dossier: a new version (an edit after the pledge voids it), audited.
 * Same authorization and states as core_nominee_edit.
 */
int core_item_add(struct core *c, int64_t id, const struct core_item *it,
		  struct core_receipt *rc);
/* Calls cb for each item, by kind and date; outside_window is set from
 * the round's report window (scoped like core_nominee_get). */
int core_item_list(struct core *c, int64_t id,
		   int (*cb)(void *ctx, const struct core_item *it),
		   void *ctx);
/*
 * Records a material of the checklist (registration_form x2,
 * technical_report x5, technical_report_electronic, certificates,
 * pledge): copies received and whether the originals were sighted and
 * returned by the actor.  A new dossier version, audited.
 */
int core_material_set(struct core *c, int64_t id, const char *kind,
		      int copies, int original_sighted,
		      struct core_receipt *rc);

/* One material as recorded, with who recorded it last (the log says). */
struct core_material {
	char kind[40];         /* as core_material_set() names them */
	int copies;
	int original_sighted;  /* sighted and returned by `by` */
	char by[64];           /* login of the last record ("" unknown) */
	int64_t at_ms;         /* when, 0 unknown */
	uint64_t seq;          /* its log entry, 0 unknown */
};

/* Calls cb for each material recorded for nominee id, in the checklist's
 * order (scoped like core_nominee_get).  Unrecorded ones are absent. */
int core_material_list(struct core *c, int64_t id,
		       int (*cb)(void *ctx, const struct core_material *m),
		       void *ctx);

/* ---- eligibility of a stored nominee ---- */

/*
 * The eligibility verdict on nominee id's dossier as stored (scoped like
 * core_nominee_get), with justification as the override reason (NULL for
 * none).  `nomdesk nominee check ID`.
 */
int core_nominee_check(struct core *c, int64_t id, const char *justification,
		       struct core_elig_result *out);

#endif
