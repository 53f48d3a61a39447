/*
 * labels: translated names for the codes core stores (roles, gender;
 * the workflow states are core's: core_state_label), and the reasons utf8_cp_reject() gives, listed here so
 * xgettext sees them.  Unknown codes are shown as they are (sanitized by
 * whoever draws them).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "tui/ui.h"

static const char *const roles[CORE_ROLE_N] = {
	[CORE_ROLE_APPLICANT] = N_("Applicant"),
	[CORE_ROLE_UNIT_CLERK] = N_("Unit clerk"),
	[CORE_ROLE_COUNTY_HR] = N_("County/district HR bureau"),
	[CORE_ROLE_DEPARTMENT] = N_("City industry department"),
	[CORE_ROLE_EXPERT] = N_("Expert"),
	[CORE_ROLE_CITY_HR] = N_("City HR bureau"),
	[CORE_ROLE_AUDITOR] = N_("Auditor / discipline officer"),
	[CORE_ROLE_ADMIN] = N_("System administrator"),
};

/* utf8_cp_reject()'s reasons, for the catalog (translated in w_line.c). */
static const char *const reasons[] __attribute__((unused)) = {
	N_("a control character"),
	N_("a C1 control character"),
	N_("not a Unicode scalar value"),
	N_("a bidirectional control"),
	N_("a Hangul filler"),
	N_("an invisible character"),
	N_("a noncharacter"),
	N_("a private-use character"),
	N_("an invisible format character"),
	N_("an unassigned code point"),
	N_("a line or paragraph separator"),
};

const char *
ui_role_label(enum core_role role)
{
	if ((unsigned)role < CORE_ROLE_N && roles[role]) {
		return _(roles[role]);
	}
	return "?";
}

const char *
ui_gender_label(const char *gender)
{
	if (strcmp(gender, "男") == 0) {
		return _("male");
	}
	if (strcmp(gender, "女") == 0) {
		return _("female");
	}
	return gender;
}

const char *
ui_decision_label(int decision)
{
	static const char *const names[] = {
		"", N_("pass"), N_("return"), N_("reject"), N_("veto"),
	};

	if (decision <= 0 || decision > 4) {
		return "";
	}
	return _(names[decision]);
}

void
ui_time_label(int64_t ms, char *out, size_t outsz)
{
	/* rounds, deadlines and notices are all in +08:00 (no DST) */
	time_t t = (time_t)(ms / 1000) + 8 * 3600;
	struct tm tm;

	if (ms <= 0 || !gmtime_r(&t, &tm) ||
	    strftime(out, outsz, "%Y-%m-%d %H:%M", &tm) == 0) {
		snprintf(out, outsz, "?");
	}
}

void
ui_warn_edit_voids_pledge(struct ui *ui, const char *state)
{
	if (core_state_has(state, CORE_STF_EDIT_VOIDS_PLEDGE)) {
		ui_msg(ui, 0, "%s",
		       _("Note: saving a change voids the pledge; it must be "
			 "recorded again."));
	}
}
