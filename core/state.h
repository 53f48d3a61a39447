/*
 * state: the workflow's states, said once.  The code is what nominee.state
 * stores; the label is the one name every screen, list, export and CLI
 * shows (the list and the dossier used to name one state two ways); the
 * flags are the rules other modules used to spell out with strcmp.
 * Which roles may act in a state comes from the transition table
 * (workflow.c), not from here, so the two cannot disagree.
 *
 * Who may call: anyone; nothing here touches the database.
 */
#ifndef NOMDESK_CORE_STATE_H
#define NOMDESK_CORE_STATE_H

/* In ladder order: a later review state is further up. */
enum core_state {
	CORE_ST_DRAFT,
	CORE_ST_PLEDGED,
	CORE_ST_UNIT_REVIEWED,
	CORE_ST_SUBMITTED,
	CORE_ST_SCREENED,
	CORE_ST_LOCAL_NOTICE,
	CORE_ST_REPORTED,
	CORE_ST_HR_CHECKED,
	CORE_ST_COMMITTEE_REVIEWED,
	CORE_ST_HR_APPROVED,
	CORE_ST_GOV_APPROVED,
	CORE_ST_PUBLIC_NOTICE,
	CORE_ST_CONFIRMED,
	CORE_ST_RETURNED,
	CORE_ST_REJECTED,
	CORE_ST_WITHDRAWN,
	CORE_ST_UNDER_INVESTIGATION,
	CORE_ST_VETOED,
	CORE_ST_N
};

/* A set of states, bit (1u << state). */
#define CORE_ST_BIT(s) (1u << (s))

enum core_state_flag {
	/* the applicant's materials may change (a new dossier version) */
	CORE_STF_EDITABLE = 1,
	/* an edit voids the pledge: the dossier goes back to draft */
	CORE_STF_EDIT_VOIDS_PLEDGE = 2,
	/* a notice is open: the county/department's, or the city's */
	CORE_STF_NOTICE_LOCAL = 4,
	CORE_STF_NOTICE_CITY = 8,
	/* held by the county/department that nominated (before the report) */
	CORE_STF_HOLDER_STAGE = 16,
};

struct core_state_desc {
	const char *code;  /* stored in nominee.state */
	const char *label; /* N_() msgid; translate with core_state_label */
	unsigned flags;    /* enum core_state_flag */
};

/* The descriptor of a state (NULL when st is out of range). */
const struct core_state_desc *core_state_get(enum core_state st);
/* The state a stored code names; -1 for an unknown code (or NULL). */
int core_state_parse(const char *code);
/* The stored code of st ("" when out of range). */
const char *core_state_code(enum core_state st);
/* The label of a stored code in the current language; an unknown code is
 * returned as it is (the caller sanitizes what it draws). */
const char *core_state_label(const char *code);
/* Whether the state of this code has every flag in flags (0 for an
 * unknown code). */
int core_state_has(const char *code, unsigned flags);
/* The state a dossier in this state is in after its materials change:
 * draft where the edit voids the pledge (the pledge signed the old
 * digest), else the same code. */
const char *core_state_after_edit(const char *code);

#endif
