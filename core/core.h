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
 * this binary and migrates an older one.  On failure *out is NULL and the
 * reason is written to err.  Caller frees with core_close().
 */
int core_open(struct core **out, const char *data_dir, char *err,
	      size_t errlen);
void core_close(struct core *c);

/*
 * Creates DIR (0700) with a new database, the log key and the reference
 * data of the Datong 2020 round.  Refuses an existing DIR.  With demo,
 * also one account per role; for each, cb receives login, role and the
 * password chosen (so the caller can print them).  The SSH host key is not
 * made here (that is ssh/'s business).
 */
int core_init_dir(const char *data_dir, int demo,
		  void (*cb)(void *ctx, const char *login, const char *role,
			     const char *unit, const char *password),
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

/*
 * Checks LOGIN's password for an SSH login from peer (an address, for the
 * record).  0 when it matches; CORE_EAUTH otherwise, also for an unknown or
 * locked login (same message, so a probe learns nothing).  Failures count
 * towards a timed lockout; both outcomes are audited.
 */
int core_user_check_password(struct core *c, const char *login,
			     const char *password, const char *peer);

/* Records the end of an SSH session (audited). */
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
 * core_nominee_get). */
int core_nominee_history(struct core *c, int64_t id,
			 int (*cb)(void *ctx,
				   const struct core_history_item *h),
			 void *ctx);
/* A short English name of an act type ("nominee created"...). */
const char *core_act_name(uint16_t act);

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

#endif
