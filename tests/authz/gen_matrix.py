#!/usr/bin/env python3
"""Writes tests/authz/matrix.csv: the authorization matrix of
security.md 4d, run 1, as data.

The rules below are the *specification* (issue #3 item 8, design.md, the
workflow of design.md and docs/panel-notes.md), typed by hand; they never
read core/.  tests/unit/test_authz_matrix.c replays every row against
core/ and compares.  Change a rule here, regenerate, and review the diff
of matrix.csv: the CSV is what the test trusts.

    python3 tests/authz/gen_matrix.py > tests/authz/matrix.csv

Scopes (README.md in this folder has the fixture behind each word):
  own_record    applicant: the dossier linked to their own account
  own_unit      the nominee (or unit) is within the actor's own unit or
                jurisdiction (a clerk's employer, a county HR's county, a
                department's system); for an expert: the nominee works at
                the expert's own employer (automatic recusal)
  same_county   another employer in the actor's county
  other_county  an employer in another county (for a department: any
                county's employer)
  other_dept    an employer under a city department
  city_wide     for city-wide roles: a county employer's nominee
  assigned      expert: assigned, no-conflict declaration signed
  assigned_undeclared  expert: assigned, not yet declared
  conflicted    expert: declared a conflict with the nominee
  unassigned    expert: not on the panel at all
  scored        expert: has submitted their scores
  own_panel / other_panel / city_panel / member_panel: for panel acts
Readers of the log (audit_log_sheet, audit_log_recusal, history_sheet,
audit_trail_sheet): "allow" when the reader shows another expert's sheet
(or conflict/recusal) of the panel evaluating the nominee now,
"deny-hidden" when it does not (or answers as for a missing nominee).
  -             the act has no object
"""
import sys

ROLES = ["applicant", "unit_clerk", "county_hr", "department", "expert",
         "city_hr", "auditor", "admin"]

# Nominee placements relative to the actor, per role.
NOMINEE_SCOPES = {
    "applicant": ["own_record", "own_unit", "same_county", "other_county",
                  "other_dept"],
    "unit_clerk": ["own_unit", "same_county", "other_county", "other_dept"],
    "county_hr": ["own_unit", "other_county", "other_dept"],
    "department": ["own_unit", "other_county"],
    "city_hr": ["city_wide", "other_dept"],
    "auditor": ["city_wide", "other_dept"],
    "admin": ["city_wide", "other_dept"],
}
EXPERT_SCOPES = ["assigned", "assigned_undeclared", "conflicted", "own_unit",
                 "unassigned"]
PANEL_SCOPES = {
    "applicant": ["other_panel", "city_panel"],
    "unit_clerk": ["other_panel", "city_panel"],
    "county_hr": ["own_panel", "other_panel", "city_panel"],
    "department": ["own_panel", "other_panel", "city_panel"],
    "expert": ["member_panel", "other_panel"],
    "city_hr": ["city_panel", "other_panel"],
    "auditor": ["city_panel", "other_panel"],
    "admin": ["city_panel", "other_panel"],
}

# Panel acts in the readers of the log (issue #8 item 8).  The fixture's
# nominees with a second expert's score sheet are A1 and AP (the
# applicant's own): these rows use the scopes that name them.
LOG_SCOPES = {
    "applicant": ["own_record", "own_unit"],
    "unit_clerk": ["own_unit"],
    "county_hr": ["own_unit"],
    "department": ["other_county"],
    "expert": EXPERT_SCOPES + ["scored"],
    "city_hr": ["city_wide"],
    "auditor": ["city_wide"],
    "admin": ["city_wide"],
}

POST_SUBMIT = {"submitted", "screened", "local_notice", "under_investigation",
               "reported", "hr_checked", "committee_reviewed", "hr_approved",
               "gov_approved", "public_notice", "veto_pending", "vetoed"}
HOLDER_STAGE = {"submitted", "screened", "local_notice"}

# The workflow of design.md: action -> (from states, who may take it).
# who: "unit" the employing unit's clerk; "holder" the county HR or
# department the nomination is with; "city" city HR; "stage" holder
# before the report, city after it; "+auditor" the auditor too.
WORKFLOW = {
    "pledge_paper": (["draft", "returned"], "unit"),
    "unit_review": (["pledged"], "unit"),
    "submit": (["unit_reviewed"], "unit"),
    "screen": (["submitted"], "holder"),
    "open_local_notice": (["screened"], "holder"),
    "report": (["local_notice"], "holder"),
    "hr_check": (["reported"], "city"),
    "committee_review": (["hr_checked"], "city"),
    "hr_approve": (["committee_reviewed"], "city"),
    "gov_approve": (["hr_approved"], "city"),
    "open_public_notice": (["gov_approved"], "city"),
    "confirm": (["public_notice"], "city"),
    "return": (["submitted", "screened", "local_notice", "reported",
                "hr_checked", "committee_reviewed", "hr_approved"], "stage"),
    "reject": (["submitted", "screened", "local_notice", "reported",
                "hr_checked", "committee_reviewed", "hr_approved",
                "gov_approved"], "stage"),
    "withdraw": (["draft", "pledged", "unit_reviewed", "submitted",
                  "screened", "returned"], "unit"),
    "object": (["local_notice", "public_notice"], "stage+auditor"),
    "clear": (["under_investigation"], "city+auditor"),
    "uphold": (["under_investigation"], "city+auditor"),
    # issue #4: the applicant's own electronic pledge; the one-vote veto
    # (city HR or the discipline officer, from any state; under the
    # two-signature policy a pending veto is countersigned or cancelled
    # by another person) and the appeals on a vetoed nominee
    "pledge": (["draft", "returned"], "applicant"),
    "veto": (["draft", "submitted", "hr_checked", "public_notice"],
             "city+auditor"),
    "veto_countersign": (["veto_pending"], "city+auditor"),
    "veto_cancel": (["veto_pending"], "city+auditor"),
    "appeal": (["vetoed"], "city+auditor"),
    "appeal_grant": (["vetoed"], "city+auditor"),
}


def scopes_for(role, state):
    if role == "expert":
        if state in POST_SUBMIT:
            return EXPERT_SCOPES
        return ["own_unit", "unassigned"]
    return NOMINEE_SCOPES[role]


def visible(role, scope):
    """May the actor see the nominee at all (issue #3 item 8)?"""
    if role in ("unit_clerk", "county_hr", "department"):
        return scope == "own_unit"
    if role == "applicant":
        return scope == "own_record"  # "applicant own dossier"
    if role in ("city_hr", "auditor"):
        return True
    if role == "expert":
        return scope in ("assigned", "scored")
    return False  # applicant: own dossier only; admin: no dossier content


def workflow_allowed(action, role, scope, state):
    who = WORKFLOW[action][1]
    if who.startswith("stage"):
        base = "holder" if state in HOLDER_STAGE else "city"
        who = base + who[5:]
    if who.endswith("+auditor"):
        if role == "auditor":
            return True
        who = who[:-8]
    if who == "unit":
        return role == "unit_clerk" and scope == "own_unit"
    if who == "applicant":
        return role == "applicant" and scope == "own_record"
    if who == "holder":
        return role in ("county_hr", "department") and scope == "own_unit"
    if who == "city":
        return role == "city_hr"
    raise ValueError(who)


def log_shows(role, scope, state, what):
    """Does a reader of the log show the actor another expert's act on
    the panel evaluating the nominee now (issue #8 item 8)?  what is
    "sheet" (scores and opinion) or "recusal" (a declared conflict and
    its reason, an automatic recusal).  The panel screens' rules: the
    panel's owner (if it may see the nominee), city HR and the auditor
    see everything; an expert sees the other sheets of a panel only
    after submitting their own on it, and never another expert's
    declaration or recusal; a recused or conflicted expert nothing; the
    nominee's own unit, the applicant, other holders and admins
    nothing."""
    city = state == "hr_checked"
    if role in ("city_hr", "auditor"):
        return True
    if role in ("county_hr", "department"):
        # the owner of the county panel, never of the committee
        return not city and visible(role, scope)
    if role == "expert":
        return what == "sheet" and scope == "scored"
    return False


def nominee_row(rows, role, action, scope, state, allowed):
    if not visible(role, scope):
        exp = "deny-hidden"
    else:
        exp = "allow" if allowed else "deny"
    rows.append((role, action, scope, state, exp))


def main():
    rows = []
    read_states = ["draft", "submitted", "hr_checked"]
    for role in ROLES:
        # reads of one dossier and of the list
        for state in read_states:
            for scope in scopes_for(role, state):
                for action in ("get", "history", "actions", "audit_trail"):
                    nominee_row(rows, role, action, scope, state, True)
                rows.append((role, "list", scope, state,
                             "allow" if visible(role, scope)
                             else "deny-hidden"))
                if role in ("applicant", "expert", "admin"):
                    rows.append((role, "stats", scope, state, "deny"))
                else:
                    rows.append((role, "stats", scope, state,
                                 "allow" if visible(role, scope)
                                 else "deny-hidden"))
                nominee_row(rows, role, "reveal_id", scope, state,
                            role in ("unit_clerk", "county_hr",
                                     "department", "city_hr"))
        # edit while the dossier is with its unit (the applicant "enters
        # own dossier", design.md)
        for state in ("draft", "pledged", "returned"):
            for scope in scopes_for(role, state):
                nominee_row(rows, role, "edit", scope, state,
                            role in ("unit_clerk", "county_hr",
                                     "department", "city_hr",
                                     "applicant"))
        # linking the applicant's account: "unit clerks of the unit and
        # city HR" (core.h, core_nominee_set_applicant)
        for scope in scopes_for(role, "draft"):
            nominee_row(rows, role, "set_applicant", scope, "draft",
                        role in ("unit_clerk", "city_hr"))
        # add a nominee to a unit (units are public: deny, not hidden)
        if role == "expert":
            rows.append((role, "add", "own_unit", "-", "deny"))
        else:
            for scope in NOMINEE_SCOPES[role]:
                if scope == "own_record":
                    continue
                ok = (role in ("unit_clerk", "county_hr", "department")
                      and scope == "own_unit") or role == "city_hr"
                rows.append((role, "add", scope, "-",
                             "allow" if ok else "deny"))
        # every workflow action in every state it leaves from
        for action, (states, _) in WORKFLOW.items():
            for state in states:
                for scope in scopes_for(role, state):
                    nominee_row(rows, role, action, scope, state,
                                workflow_allowed(action, role, scope, state))
        # acts without an object
        simple = {
            "deadline_extend": role == "city_hr",
            "user_add": role == "admin",
            "round_load": role == "admin",
            "unit_list": True,
            "quota_usage": True,
            "panel_create_local": role in ("county_hr", "department"),
            "panel_create_city": role == "city_hr",
            "recommend": role in ("city_hr", "auditor"),
            "assignments": role == "expert",
        }
        for action, ok in simple.items():
            rows.append((role, action, "-", "-", "allow" if ok else "deny"))
        # panels as objects
        for scope in PANEL_SCOPES[role]:
            pvis = (scope in ("own_panel", "member_panel") or
                    role in ("city_hr", "auditor"))
            owner = scope == "own_panel" or (role == "city_hr" and
                                             scope == "city_panel")
            hidden = "deny-hidden"
            rows.append((role, "panel_get", scope, "-",
                         "allow" if pvis else hidden))
            rows.append((role, "panel_list", scope, "-",
                         "allow" if pvis else hidden))
            rows.append((role, "panel_add_member", scope, "-",
                         hidden if not pvis else
                         "allow" if owner else "deny"))
            rows.append((role, "panel_result", scope, "-",
                         hidden if not pvis else
                         "deny" if role == "expert" else "allow"))
        # assignment: local (a submitted nomination, the actor's own
        # panel or else the county panel of 平城区) and city (hr_checked,
        # the city committee)
        for action, state in (("assign_local", "submitted"),
                              ("assign_city", "hr_checked")):
            for scope in scopes_for(role, state):
                if role == "expert":
                    exp = "deny-hidden" if scope == "unassigned" else "deny"
                elif action == "assign_local":
                    if role in ("county_hr", "department"):
                        exp = "allow" if scope == "own_unit" else \
                            "deny-hidden"
                    elif role in ("city_hr", "auditor"):
                        exp = "deny"
                    else:
                        exp = "deny-hidden"
                else:
                    exp = {"city_hr": "allow", "auditor": "deny"}.get(
                        role, "deny-hidden")
                rows.append((role, action, scope, state, exp))
        # the expert's own acts and the score sheets
        for state in ("submitted", "hr_checked"):
            scopes = scopes_for(role, state)
            if role == "expert":
                scopes = scopes + ["scored"]
            for scope in scopes:
                for action in ("declare", "declare_conflict", "score"):
                    if role != "expert":
                        exp = "deny"
                    elif scope in ("own_unit", "unassigned"):
                        exp = "deny-hidden"
                    elif action == "declare":
                        exp = "allow" if scope == "assigned_undeclared" \
                            else "deny"
                    elif action == "declare_conflict":
                        exp = "allow" if scope in ("assigned_undeclared",
                                                   "assigned") else "deny"
                    else:
                        exp = "allow" if scope == "assigned" else "deny"
                    rows.append((role, action, scope, state, exp))
                # panel_scores: the panel evaluating the nominee now
                city = state == "hr_checked"
                if role == "expert":
                    if scope == "scored":
                        exp = "allow"
                    elif scope in ("own_unit", "unassigned"):
                        exp = "deny-hidden"
                    elif scope == "conflicted" and city:
                        # the conflict declared at the county panel
                        # recused them from the committee automatically
                        exp = "deny-hidden"
                    else:
                        exp = "deny"
                elif role in ("city_hr", "auditor"):
                    exp = "allow"
                elif role in ("county_hr", "department") and not city:
                    exp = "allow" if scope == "own_unit" else "deny-hidden"
                else:
                    exp = "deny-hidden"
                rows.append((role, "panel_scores", scope, state, exp))
        # the readers of the log (issue #8 item 8): the audit log shows
        # panel acts by the rules above; a nominee's history and trail
        # are the dossier's own acts and never show a panel's
        for state in ("submitted", "hr_checked"):
            for scope in LOG_SCOPES[role]:
                for action, what in (("audit_log_sheet", "sheet"),
                                     ("audit_log_recusal", "recusal")):
                    rows.append((role, action, scope, state,
                                 "allow" if log_shows(role, scope, state,
                                                      what)
                                 else "deny-hidden"))
                for action in ("history_sheet", "audit_trail_sheet"):
                    rows.append((role, action, scope, state,
                                 "deny-hidden"))

    seen = set()
    out = sys.stdout
    out.write("role,action,scope,state,expected\n")
    for r in rows:
        if r in seen:
            raise SystemExit("duplicate row %r" % (r,))
        seen.add(r)
        out.write(",".join(r) + "\n")


if __name__ == "__main__":
    main()
