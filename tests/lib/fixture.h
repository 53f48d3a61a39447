/*
 * Shared fixtures of the unit tests: what several suites need to drive a
 * nomination through the workflow.
 */
#ifndef NOMDESK_TEST_FIXTURE_H
#define NOMDESK_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/*
 * A one-expert panel (expert_zhou of the demo data) that passes nominee
 * id: local (owner is the county HR or department holding it) or city
 * (owner is city HR).  The panel is created on first use; the nominee is
 * assigned, declared and scored full marks.  0, or the core error of the
 * step that failed (with core_errmsg of the handle that failed).
 */
int fixture_panel_pass(struct core *owner, struct core *expert, int64_t id,
		       int city);
/* The same with a panel of that name (a second evaluation). */
int fixture_panel_pass_in(struct core *owner, struct core *expert, int64_t id,
			  int city, const char *name);

/*
 * Opens the data directory dir acting as login (NULL: nobody yet), with
 * clock as its clock if not NULL; a failure fails the test and exits.
 * Caller closes.
 */
struct core *fixture_open_as(const char *dir, const char *login,
			     int64_t (*clock)(void *ctx));

/* The demo accounts init printed (login and password). */
struct fixture_demo {
	char dir[512];
	char login[32][33];
	char password[32][64];
	int n;
};

/*
 * `init --demo` in the test's directory (dir "TMP/data"); the accounts
 * into d.  A failure fails the test and exits.
 */
void fixture_demo(struct fixture_demo *d);
/* A demo account's password ("" if there is no such login). */
const char *fixture_demo_password(const struct fixture_demo *d,
				  const char *login);

/* The first column of the first row of sql on dir's database, opened
 * read-only beside whoever has it open; -1 if there is none. */
long long fixture_db_count(const char *dir, const char *sql);
/* Runs sql on dir's database behind core's back (a DBA, a tamperer);
 * a failure fails the test. */
void fixture_db_exec(const char *dir, const char *sql);

/*
 * A valid GB 11643 ID number of someone born ymd (YYYYMMDD) in 平城区,
 * sequence seq (0-999): different seq, different person.
 */
void fixture_id_number(const char *ymd, int seq, char out[19]);

/*
 * Fills in what the pledge needs of nominee id, as c's user: ID number
 * idn, title level 正高级, channel 单位推荐, category 综合, prior leader
 * 无 (stated, never a default) and condition 4 with its evidence.  0 or
 * core's error.
 */
int fixture_complete(struct core *c, int64_t id, const char *idn);

/*
 * Unlocks the signing key of c's user for the session, enrolling one
 * (passphrase "fixture 口令 of LOGIN", KDF interactive unless set) if the
 * user has none.  For acts signed by users the suite did not enroll.
 */
int fixture_unlock(struct core *c);

/* Nominee id's accountability trail as c reads it (core_audit_trail). */
struct fixture_trail {
	struct core_trail_head h;
	struct core_trail_item *it; /* owned: free() */
	size_t n;
};
int fixture_trail_get(struct core *c, int64_t id, struct fixture_trail *tr);
/* The nth (0: first) item of the trail with that action, or NULL. */
const struct core_trail_item *
fixture_trail_find(const struct fixture_trail *tr, const char *action,
		   int nth);

#endif
