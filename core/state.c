/*
 * state: the state table (see state.h).
 */
#include <string.h>

#include "core/i18n.h"
#include "core/state.h"

#define EDIT CORE_STF_EDITABLE
#define HOLD CORE_STF_HOLDER_STAGE

/*
 * The labels follow the notice's words (首审, 初审, 审核, 公示); each is at
 * most 14 columns in Chinese, the list's state column, so no label is
 * clipped at 80 columns.
 */
static const struct core_state_desc states[CORE_ST_N] = {
	[CORE_ST_DRAFT] = {"draft", N_("draft"), EDIT},
	[CORE_ST_PLEDGED] = {"pledged", N_("pledged"),
			     EDIT | CORE_STF_EDIT_VOIDS_PLEDGE},
	[CORE_ST_UNIT_REVIEWED] = {"unit_reviewed", N_("reviewed by unit"), 0},
	[CORE_ST_SUBMITTED] = {"submitted", N_("submitted"), HOLD},
	[CORE_ST_SCREENED] = {"screened", N_("evaluated"), HOLD},
	[CORE_ST_LOCAL_NOTICE] = {"local_notice",
				  N_("county/department notice"),
				  HOLD | CORE_STF_NOTICE_LOCAL},
	[CORE_ST_REPORTED] = {"reported", N_("reported to city"), 0},
	[CORE_ST_HR_CHECKED] = {"hr_checked", N_("initial review passed"), 0},
	[CORE_ST_COMMITTEE_REVIEWED] = {"committee_reviewed",
					N_("recommended by committee"), 0},
	[CORE_ST_HR_APPROVED] = {"hr_approved", N_("audited by city HR"), 0},
	[CORE_ST_GOV_APPROVED] = {"gov_approved",
				  N_("approved by government"), 0},
	[CORE_ST_PUBLIC_NOTICE] = {"public_notice", N_("city public notice"),
				   CORE_STF_NOTICE_CITY},
	[CORE_ST_CONFIRMED] = {"confirmed", N_("confirmed"), 0},
	[CORE_ST_RETURNED] = {"returned", N_("returned for correction"),
			      EDIT},
	[CORE_ST_REJECTED] = {"rejected", N_("rejected"), 0},
	[CORE_ST_WITHDRAWN] = {"withdrawn", N_("withdrawn"), 0},
	[CORE_ST_UNDER_INVESTIGATION] = {"under_investigation",
					 N_("under investigation"), 0},
	[CORE_ST_VETOED] = {"vetoed", N_("vetoed"), 0},
};

const struct core_state_desc *
core_state_get(enum core_state st)
{
	if ((unsigned)st >= CORE_ST_N) {
		return NULL;
	}
	return &states[st];
}

int
core_state_parse(const char *code)
{
	if (code == NULL) {
		return -1;
	}
	for (int i = 0; i < CORE_ST_N; i++) {
		if (strcmp(states[i].code, code) == 0) {
			return i;
		}
	}
	return -1;
}

const char *
core_state_code(enum core_state st)
{
	const struct core_state_desc *d = core_state_get(st);

	return d ? d->code : "";
}

const char *
core_state_label(const char *code)
{
	int st = core_state_parse(code);

	if (st < 0) {
		return code ? code : "";
	}
	return _(states[st].label);
}

int
core_state_has(const char *code, unsigned flags)
{
	int st = core_state_parse(code);

	return st >= 0 && (states[st].flags & flags) == flags;
}

const char *
core_state_after_edit(const char *code)
{
	if (core_state_has(code, CORE_STF_EDIT_VOIDS_PLEDGE)) {
		return states[CORE_ST_DRAFT].code;
	}
	return code;
}
