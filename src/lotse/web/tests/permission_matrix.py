"""The expectation table of the permission matrix (`test_permission_matrix.py`): per URL name,
which object kind fills its path, and per object state which roles get in.

The roles are the users of the test world (`lotse.core.testing.USER_SPECS`) and `anonymous`.
A row's `get` / `post` is either one role set (the same in every state of the main district;
nobody gets in for an object of another district or an id that does not exist) or a dict
state → role set. What "in" and "out" mean:

- GET in: `get_in` (200 unless the row or `status_for` says otherwise); GET out: `get_out`
  (404 unless the row says otherwise: pretix-style, a forbidden object looks exactly like a
  missing one). `forbidden` roles get 403 in every state (the API's answer to a missing
  permission, given before any object is looked up).
- POST (empty body) in: any answer below 500 other than 401/403/404/405; out: 403 or 404, or a
  redirect/400/200/422 that changed nothing in the database (a form refused before the check).
- Anonymous: 302 to the login page for the staff UI, 401 for the API, unless the row is public.
- A POST-only view answers GET with 405 (the login redirect comes first for anonymous users).
- Existence: for a role outside `sees` (default: who gets in), an existing object must answer
  exactly like the `missing` state of the same pattern — no status tells that it exists.
- Canaries (`CANARY`) never appear in a body served to a role outside `CANARY_READERS`, and
  each appears somewhere for the roles of `CANARY_SHOWN` (so the check is live).

Object states (see `_district_objects` in the test module for how each is built):

persons    caritas_client   Caritas's client, no consent to anyone (the canary person)
           consent_valid    Caritas's client, valid consent Caritas → job centre
           consent_revoked  the same, consent revoked
           consent_expired  the same, consent expired
           statutory        the ABH's person of town A: social office A reads through the rule
           blocked          the counselling service's (§ 203 StGB) client with a psychosocial
                            case and a consent to Caritas naming health data: the Art. 9 rule
                            blocks the case for Caritas despite the consent
           social_client    social office A's client
           handover         social office A's client in an open handover to the job centre
           other_district   a person of another district
           missing          an id that does not exist
cases etc. caritas_client, consent_valid, consent_revoked, consent_expired, blocked,
           other_district, missing (the case of that person, and its parts)
others     own (this district), other_district, missing; plus the states named in the row
"""

from dataclasses import dataclass, field

ROLES = ("abh", "social_a", "social_b", "jobcentre", "caritas", "caritas_psych", "teamlead", "psych",
         "dpo", "admin", "coordinator", "translator", "steering_member")
ANONYMOUS = "anonymous"
ALL_ROLES = (*ROLES, ANONYMOUS)

NOBODY: frozenset = frozenset()
STAFF = frozenset(ROLES)
CARITAS = frozenset({"caritas", "caritas_psych", "teamlead"})
CASEWORK = CARITAS | {"psych"}  # case:manage, conference:manage
OFFICES = frozenset({"abh", "social_a", "social_b", "jobcentre"})
OPERATIONAL = CASEWORK | OFFICES  # person:create, consent:record/revoke, referrals, gap:report
BENEFITS_OFFICES = frozenset({"social_a", "social_b", "jobcentre"})  # handover:work
SOCIAL_OFFICES = frozenset({"social_a", "social_b"})
STEERING = frozenset({"coordinator", "steering_member"})
GUIDE = frozenset({"coordinator", "translator"})

# Values that must never appear in a body served to a role outside the set.
CANARY = {
    "client_given": "Zaphira", "client_family": "Quendelbrook", "client_email": "quendel.canary@example.org",
    "client_note": "CANARY-NOTE-caritas-7f3a", "client_health": "CANARY-HEALTH-caritas-91c2",
    "revoked_family": "Widerrufsen", "expired_family": "Abgelaufsen",
    "psych_note": "CANARY-NOTE-psych-5d0e", "psych_health": "CANARY-HEALTH-psych-2b7c",
    "other_family": "Wolkenfeld", "other_note": "CANARY-NOTE-other-district-33aa",
    "appointment_family": "Terminowa",  # the ABH's person with an eAT appointment, town A
}
CANARY_READERS = {
    "client_given": CARITAS | {"dpo"}, "client_family": CARITAS | {"dpo"},
    "client_email": CARITAS, "client_note": CARITAS,
    "client_health": frozenset({"caritas_psych"}),  # Art. 9: psychosocial counsellors of the owner only
    "revoked_family": CARITAS | {"dpo"}, "expired_family": CARITAS | {"dpo"},
    "psych_note": frozenset({"psych"}), "psych_health": frozenset({"psych"}),
    "other_family": NOBODY, "other_note": NOBODY,
    # The ABH, the social office of the person's town (statutory rule), the data-protection
    # officer; never the public appointment page behind the personal link.
    "appointment_family": frozenset({"abh", "social_a", "dpo"}),
}
# The canaries are live: each appears at least once for these roles.
CANARY_SHOWN = {**CANARY_READERS, "appointment_family": frozenset({"abh", "social_a"})}

PERSON_STATES = ("caritas_client", "consent_valid", "consent_revoked", "consent_expired", "statutory", "blocked",
                 "social_client", "handover", "other_district", "missing")
CASE_STATES = ("caritas_client", "consent_valid", "consent_revoked", "consent_expired", "blocked",
               "other_district", "missing")

# Who sees a person's identity under the purpose of their work (person page, consent form).
# The data-protection officer identifies every person of the district (statutory rule for
# data-subject requests); the job centre sees the handover person only under "change of benefits
# regime", not under its work purpose.
SEES = {
    "caritas_client": CARITAS | {"dpo"},
    "consent_valid": CARITAS | {"dpo", "jobcentre"},
    "consent_revoked": CARITAS | {"dpo"},
    "consent_expired": CARITAS | {"dpo"},
    "statutory": frozenset({"abh", "social_a", "dpo"}),
    "blocked": frozenset({"psych", "dpo"}) | CARITAS,
    "social_client": frozenset({"social_a", "dpo"}),
    "handover": frozenset({"social_a", "abh", "dpo"}),
    "other_district": NOBODY, "missing": NOBODY,
}
# ... under the purpose "registry" (merge): the consent to Caritas names case management only.
SEES_REGISTRY = {**SEES, "consent_valid": CARITAS, "blocked": frozenset({"psych"}),
                 "caritas_client": CARITAS, "consent_revoked": CARITAS, "consent_expired": CARITAS,
                 "statutory": frozenset({"abh"}), "social_client": frozenset({"social_a"}),
                 "handover": frozenset({"social_a", "abh"})}
# ... the social offices' residence panel: own municipality, read for benefits administration.
RESIDENCE_PANEL = {s: NOBODY for s in PERSON_STATES} | {
    "statutory": frozenset({"social_a"}), "social_client": frozenset({"social_a"}),
    "handover": frozenset({"social_a"})}

# Who sees a case (its agency's counselling data): own agency, or a consent; a psychosocial case
# of another agency stays closed (Art. 9).
CASE_SEES = {
    "caritas_client": CARITAS, "consent_valid": CARITAS | {"jobcentre"}, "consent_revoked": CARITAS,
    "consent_expired": CARITAS, "blocked": frozenset({"psych"}), "other_district": NOBODY, "missing": NOBODY,
}
# Who works on a case: the owning agency's case managers (open case).
CASE_OWN = {s: (CASE_SEES[s] & CASEWORK) - {"jobcentre"} for s in CASE_STATES}


# Consents are shown to the agencies they concern (recorded by or naming the user's agency),
# while the user sees the person.
CONSENT_READERS = {"consent_valid": CARITAS | {"jobcentre"}, "consent_revoked": CARITAS,
                   "consent_expired": CARITAS, "blocked": frozenset({"psych"}) | CARITAS}
# Referrals: Caritas → job centre, counselling service → Caritas; sender and recipient see them.
REFERRAL_READERS = {"to_jobcentre": CARITAS | {"jobcentre"}, "to_caritas": CARITAS | {"psych"}}
RECIPIENTS = {"to_jobcentre": frozenset({"jobcentre"}), "to_caritas": CARITAS}
SENDERS = {"to_jobcentre": CARITAS, "to_caritas": frozenset({"psych"})}


def _only(mapping: dict, roles: frozenset) -> dict:
    return {state: allowed & roles for state, allowed in mapping.items()}


@dataclass(frozen=True)
class Row:
    """What one URL pattern answers. `kind` names the objects that fill its path (None: no path
    parameters); `get` / `post` say who gets in; `post_only` marks views that refuse GET."""

    kind: str | None = None
    get: frozenset | dict = NOBODY
    post: frozenset | dict | None = None  # None: GET only is requested
    post_only: bool = False
    public: bool = False
    get_in: int = 200
    get_out: int = 404
    # Extra states. Without path parameters: name → query string. With: name → (state, query
    # string), judged like that state unless `get`/`post` name it.
    query: dict = field(default_factory=dict)
    # Who may know that the object exists (default: who gets in); for everyone else it must
    # answer exactly like the `missing` state.
    sees: frozenset | dict | None = None
    plain: bool = True  # without path parameters: request it without a query string too
    # The extra states' query strings are sent as the POST body instead (form fields, or JSON for
    # the API): searches keep names out of URLs (ASVS 14.2.1).
    query_in_body: bool = False
    # Roles refused for a missing permission before any object is looked up: 403 (the API's
    # documented answer) in every state.
    forbidden: frozenset = NOBODY
    status_for: dict = field(default_factory=dict)  # role → GET status when in, if not `get_in`
    note: str = ""


def post_only(kind, post, **kw) -> Row:
    return Row(kind=kind, post=post, post_only=True, **kw)


P = "person"
C = "case"

TABLE: dict[str, Row] = {
    # --- login, start page, help ---------------------------------------------------------------
    "web:home": Row(get=STAFF),
    "web:healthz": Row(get=STAFF | {ANONYMOUS}, public=True),
    "web:help": Row(get=STAFF),
    "web:login": Row(get=STAFF | {ANONYMOUS}, public=True),
    # A verified user is sent on to the start page; enrolment is done, so the setup page sends
    # them to the code page; anonymous visitors are sent to the login page.
    "web:otp": Row(get=STAFF | {ANONYMOUS}, public=True, get_in=302, note="verified: redirect to the start page"),
    "web:otp-setup": Row(get=STAFF | {ANONYMOUS}, public=True, get_in=302,
                         note="enrolled: redirect to the code page"),
    "web:logout": post_only(None, STAFF),
    # --- persons -------------------------------------------------------------------------------
    "web:person-search": Row(get=STAFF, post=STAFF, query_in_body=True,
                             query={"canary": "name=Quendelbrook", "revoked": "name=Widerrufsen",
                                    "other": "name=Wolkenfeld"}),
    "web:person-create": Row(get=OPERATIONAL),
    # A consent or rule opens data for its purpose only: asking for another purpose of one's
    # roles changes what opens (the job centre sees the handover person as the next office).
    "web:person-detail": Row(P, get={**SEES, "handover_purpose": SEES["handover"] | {"jobcentre"},
                                     "consent_other_purpose": CARITAS | {"dpo"}},
                             query={"handover_purpose": ("handover", "purpose=benefits_handover"),
                                    "consent_other_purpose": ("consent_valid", "purpose=benefits_handover")}),
    "web:residence-add": post_only(P, _only(SEES, frozenset({"abh"}))),
    "web:benefits-add": post_only(P, _only(SEES, frozenset({"social_a"}))),
    "web:file-open": post_only(P, _only(SEES, OPERATIONAL)),
    "web:household-assign": post_only(P, _only(SEES, OPERATIONAL)),
    "web:person-merge": Row(P, get=_only(SEES_REGISTRY, frozenset({"teamlead"}))),
    # The emergency-access form is for persons the user cannot see: it shows no data, and answers
    # the same for every id, so it tells nothing about existence.
    "web:person-override": Row(P, get={s: frozenset({"teamlead"}) for s in PERSON_STATES}),
    "web:consent-create": Row(P, get=_only(SEES, OPERATIONAL)),
    "web:consent-pdf": Row("person_consent", get=CONSENT_READERS),
    # Recording a revocation: the agencies the consent concerns, while they see the person
    # (an expired consent may be revoked too: it is a record, and opens nothing either way).
    "web:consent-revoke": post_only("person_consent", {"consent_valid": CARITAS | {"jobcentre"},
                                                       "consent_expired": CARITAS,
                                                       "blocked": frozenset({"psych"}) | CARITAS},
                                    sees=CONSENT_READERS),
    "web:person-access-history": Row(P, get=_only(SEES, frozenset({"dpo"})),
                                     query={"json": ("caritas_client", "format=json"),
                                            "csv": ("caritas_client", "format=csv")}),
    # --- access log, tasks, administration -----------------------------------------------------
    "web:audit-log": Row(get=frozenset({"dpo"})),
    "web:audit-verify": post_only(None, frozenset({"dpo"})),
    "web:task-progress": Row("progress", get={"dpo": frozenset({"dpo"})}),
    "web:admin-agencies": Row(get=frozenset({"admin"})),
    "web:admin-agency-create": Row(get=frozenset({"admin"})),
    "web:admin-agency-edit": Row("agency", get=frozenset({"admin"})),
    "web:admin-roles": Row(get=frozenset({"admin"})),
    "web:admin-role-create": Row(get=frozenset({"admin"})),
    "web:admin-role-edit": Row("role", get={"own": frozenset({"admin"})}),  # reference roles: copy first
    "web:admin-role-copy": post_only("role", {"own": frozenset({"admin"}), "reference": frozenset({"admin"})}),
    "web:admin-users": Row(get=frozenset({"admin"})),
    "web:admin-user-create": Row(get=frozenset({"admin"})),
    "web:admin-user-edit": Row("user", get=frozenset({"admin"})),
    "web:admin-user-reset-otp": post_only("user", frozenset({"admin"})),
    # --- cases ---------------------------------------------------------------------------------
    "web:caseload": Row(get=CASEWORK, query={"team": "view=team"}),
    "web:case-open": Row(P, get=_only(SEES, CASEWORK)),
    "web:case-detail": Row(C, get=CASE_SEES),
    "web:case-assign": post_only(C, _only(CASE_OWN, frozenset({"teamlead"}))),
    "web:case-phase": post_only(C, CASE_OWN),
    "web:case-next-contact": post_only(C, CASE_OWN),
    "web:case-close": Row(C, get=CASE_OWN, post=CASE_OWN),
    "web:case-note-add": post_only(C, CASE_OWN),
    "web:case-document-add": post_only(C, CASE_OWN),
    "web:case-document": Row("document", get=CASE_SEES),
    "web:case-task-add": post_only(C, CASE_OWN),
    "web:case-task-done": post_only("task", CASE_OWN),
    "web:intake-start": Row(C, get=CASE_OWN),
    "web:intake-detail": Row("intake", get=CASE_SEES),
    "web:plan-detail": Row(C, get=CASE_SEES),
    "web:plan-goal-add": post_only(C, CASE_OWN),
    "web:plan-step-add": post_only(C, CASE_OWN),
    "web:plan-template-apply": post_only(C, CASE_OWN),
    "web:plan-step-status": post_only("case_step", CASE_OWN),
    "web:plan-goal-status": post_only("case_goal", CASE_OWN),
    "web:plan-pdf": Row(C, get=CASE_SEES),
    # --- referrals and offers ------------------------------------------------------------------
    "web:referral-new": Row(C, get=CASE_OWN),
    "web:referral-inbox": Row(get=OPERATIONAL),
    "web:referral-outbox": Row(get=OPERATIONAL),
    "web:referral-detail": Row("referral", get=REFERRAL_READERS),
    "web:referral-accept": post_only("referral", RECIPIENTS, sees=REFERRAL_READERS),
    "web:referral-decline": post_only("referral", RECIPIENTS, sees=REFERRAL_READERS),
    "web:referral-done": post_only("referral", RECIPIENTS, sees=REFERRAL_READERS),
    "web:referral-withdraw": post_only("referral", SENDERS, sees=REFERRAL_READERS),
    "web:offers": Row(get=CASEWORK | {"coordinator"}),
    "web:offer-create": Row(get=frozenset({"coordinator"})),
    "web:offer-edit": Row("offer", get=frozenset({"coordinator"})),
    # --- conferences and gap reports -----------------------------------------------------------
    "web:conference-new": Row(C, get=CASE_OWN),
    "web:conference-list": Row(get=STAFF),
    # Participants see the frame; the counselling service takes part in the conference on
    # Caritas's client without seeing the case.
    "web:conference-detail": Row("conference", get={"consent_valid": CARITAS | {"jobcentre"},
                                                    "caritas_client": CARITAS | {"psych"}}),
    "web:conference-decision-add": post_only("conference", {"consent_valid": CARITAS, "caritas_client": CARITAS}),
    # Participants who may not manage the conference are sent back with "not saved"; every
    # other user gets the 404 of a decision that does not exist (found by this matrix: the
    # decision ids of the district could be probed).
    "web:conference-decision-done": post_only("decision", {"consent_valid": CARITAS, "caritas_client": CARITAS},
                                              sees={"consent_valid": CARITAS | {"jobcentre"},
                                                    "caritas_client": CARITAS | {"psych"}}),
    "web:conference-phase-done": post_only("conference", {"consent_valid": CARITAS, "caritas_client": CARITAS}),
    "web:conference-close": post_only("conference", {"consent_valid": CARITAS, "caritas_client": CARITAS}),
    # Phase 2 has not started in the world: nobody reports a gap from these conferences yet.
    "web:conference-gap-add": post_only("conference", NOBODY),
    # The coordination, which writes no reports, is sent to its inbox.
    # --- retention and erasure (data protection officer) ------------------------------------------
    "web:retention": Row(get=frozenset({"dpo"})),
    "web:retention-export": post_only(None, frozenset({"dpo"})),
    "web:retention-hold": post_only(None, frozenset({"dpo"})),
    "web:gap-reports": Row(get=OPERATIONAL | {"coordinator"}, status_for={"coordinator": 302}),
    "web:gap-report-new": Row(get=OPERATIONAL),
    "web:gap-inbox": Row(get=frozenset({"coordinator"})),
    "web:gap-triage": Row("gap", get=frozenset({"coordinator"})),
    "web:gap-classify": post_only("gap", frozenset({"coordinator"})),
    "web:gap-merge": post_only("gap", frozenset({"coordinator"})),
    "web:gap-close": post_only("gap", frozenset({"coordinator"})),
    "web:gap-agenda": post_only("gap", frozenset({"coordinator"})),
    # --- handovers -----------------------------------------------------------------------------
    "web:handovers": Row(get=BENEFITS_OFFICES),
    "web:handover-overview": Row(get=frozenset({"coordinator"})),
    "web:handover-detail": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})}),
    "web:handover-complete": post_only("handover", {"open": frozenset({"social_a", "jobcentre"})}),
    "web:handover-cancel": post_only("handover", {"open": frozenset({"social_a", "jobcentre"})}),
    "web:handover-regime": post_only("handover", {"open": frozenset({"social_a", "jobcentre"})}),
    # Each office ticks off its own items; both see the whole checklist.
    "web:handover-item": post_only("item", {"jobcentre_item": frozenset({"jobcentre"}),
                                            "social_item": frozenset({"social_a"})},
                                   sees={"jobcentre_item": frozenset({"social_a", "jobcentre"}),
                                         "social_item": frozenset({"social_a", "jobcentre"})}),
    "web:handover-package": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})}),
    "web:handover-package-pdf": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})}),
    "web:handover-package-json": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})}),
    "web:residence-overview": Row(get=SOCIAL_OFFICES, post=SOCIAL_OFFICES),
    "web:residence-person": Row(P, get=RESIDENCE_PANEL),
    "web:handover-bulk": Row(get=frozenset({"coordinator"})),
    "web:handover-bulk-run": Row("bulkrun", get=frozenset({"coordinator"})),
    "web:handover-bulk-report-csv": Row("bulkrun", get=frozenset({"coordinator"})),
    # --- rules ---------------------------------------------------------------------------------
    "web:admin-rules": Row(get=frozenset({"admin"})),
    "web:admin-rule-list": Row("rule_kind", get={"access": frozenset({"admin"}),
                                                 "deadlines": frozenset({"admin"})}),
    "web:admin-rule-create": Row("rule_kind", get={"access": frozenset({"admin"}),
                                                   "deadlines": frozenset({"admin"})}),
    "web:admin-rule-edit": Row("rule", get={"access": frozenset({"admin"}), "responsibilities": frozenset({"admin"})}),
    # Only versioned rule kinds get a new version from a date.
    "web:admin-rule-version": Row("rule", get={"access": frozenset({"admin"})}),
    # --- appointments (foreigners' authority) --------------------------------------------------
    "web:appointments": Row(get=frozenset({"abh"})),
    "web:appointments-scan": post_only(None, frozenset({"abh"})),
    "web:appointments-plan": post_only(None, frozenset({"abh"})),
    "web:appointments-invite": post_only(None, frozenset({"abh"})),
    "web:appointments-register": Row(get=frozenset({"abh"})),
    "web:appointments-import": Row(get=frozenset({"abh"})),
    "web:appointments-import-report": Row("import", get=frozenset({"abh"})),
    "web:appointments-import-template": Row(get=frozenset({"abh"})),
    "web:appointments-proposals": Row(get=frozenset({"abh"})),
    "web:appointment-list": Row(get=frozenset({"abh"})),
    "web:appointments-print": Row(get=frozenset({"abh"})),
    "web:appointments-desk": Row(get=frozenset({"abh"})),
    "web:appointments-check-in": post_only("appointment", frozenset({"abh"})),
    "web:appointments-no-show": post_only("appointment", frozenset({"abh"})),
    "web:appointments-outcome": post_only("member", frozenset({"abh"})),
    # Aggregates: the coordination, and the authority for its own appointments.
    "web:appointments-figures": Row(get=frozenset({"coordinator", "abh"})),
    "web:appointments-offices": Row(get=frozenset({"abh"})),
    "web:appointments-office-create": Row(get=frozenset({"abh"})),
    "web:appointments-office-edit": Row("office", get=frozenset({"abh"})),
    "web:appointments-interpreter-create": Row(get=frozenset({"abh"})),
    "web:appointments-interpreter-edit": Row("interpreter", get=frozenset({"abh"})),
    "web:appointments-travel": Row(get=frozenset({"abh"})),
    "web:appointment-detail": Row("appointment", get=frozenset({"abh"})),
    "web:appointment-invite": post_only("appointment", frozenset({"abh"})),
    "web:appointment-new-link": post_only("appointment", frozenset({"abh"})),
    "web:appointment-cancel": post_only("appointment", frozenset({"abh"})),
    "web:appointment-letter": Row("appointment", get=frozenset({"abh"})),
    "web:appointment-ics": Row("appointment", get=frozenset({"abh"})),
    # The person's own page behind the personal link: no login, the link is the key.
    "web:public-appointment": Row("token", get={"own": STAFF | {ANONYMOUS}, "other_district": STAFF | {ANONYMOUS}},
                                  public=True),
    "web:public-appointment-ics": Row("token", get={"own": STAFF | {ANONYMOUS},
                                                    "other_district": STAFF | {ANONYMOUS}}, public=True),
    # --- the public guide (no personal data, the same for everyone) ----------------------------
    "web:guide-root": Row(get=STAFF | {ANONYMOUS}, public=True),
    "web:guide-district": Row("district", get={"own": STAFF | {ANONYMOUS}, "other_district": STAFF | {ANONYMOUS}},
                              public=True, get_in=302),
    "web:guide-home": Row("district_lang", get={"de": STAFF | {ANONYMOUS}, "ar": STAFF | {ANONYMOUS},
                                                "other_district": STAFF | {ANONYMOUS}}, public=True),
    "web:guide-responsible": Row("district_lang", get={"de": STAFF | {ANONYMOUS}, "ar": STAFF | {ANONYMOUS},
                                                       "other_district": STAFF | {ANONYMOUS}}, public=True),
    "web:guide-directory": Row("district_lang", get={"de": STAFF | {ANONYMOUS}, "ar": STAFF | {ANONYMOUS},
                                                     "other_district": STAFF | {ANONYMOUS}}, public=True),
    "web:guide-text": Row("guide_text", get={"own": STAFF | {ANONYMOUS}, "other_district": STAFF | {ANONYMOUS}},
                          public=True),
    "web:guide-welcome-sheet": Row("guide_sheet", get={"own": STAFF | {ANONYMOUS}}, public=True),
    "web:guide-open-directory": Row("district", get={"own": STAFF | {ANONYMOUS},
                                                     "other_district": STAFF | {ANONYMOUS}}, public=True),
    "web:guide-open-responsibilities": Row("district", get={"own": STAFF | {ANONYMOUS},
                                                            "other_district": STAFF | {ANONYMOUS}}, public=True),
    # --- steering (aggregates only) ------------------------------------------------------------
    "web:steering-dashboard": Row(get=STEERING),
    "web:steering-export-csv": Row(get=STEERING),
    "web:steering-export-pdf": Row(get=STEERING),
    "web:steering-needs": Row(get=STEERING),
    "web:steering-statistics-import": Row(get=frozenset({"coordinator"})),
    "web:steering-statistics-template": Row(get=frozenset({"coordinator"})),
    "web:steering-capacity": Row(get=frozenset({"coordinator"})),
    "web:steering-committees": Row(get=STEERING),
    "web:steering-committee-new": Row(get=frozenset({"coordinator"})),
    "web:steering-committee": Row("committee", get=STEERING),
    "web:steering-committee-edit": Row("committee", get=frozenset({"coordinator"})),
    "web:steering-meeting-new": post_only("committee", frozenset({"coordinator"})),
    "web:steering-meeting": Row("meeting", get=STEERING),
    "web:steering-meeting-edit": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-meeting-status": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-agenda-add": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-agenda-move": post_only("agenda", frozenset({"coordinator"})),
    "web:steering-minutes": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-decision-add": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-meeting-measure-add": post_only("meeting", frozenset({"coordinator"})),
    "web:steering-meeting-ics": Row("meeting", get=STEERING),
    "web:steering-minutes-pdf": Row("meeting", get=STEERING),
    "web:steering-measures": Row(get=STEERING),
    "web:steering-measure-new": Row(get=frozenset({"coordinator"})),
    # The coordination edits a measure; its owner agency (Caritas) updates the state of work.
    "web:steering-measure": Row("measure", get=frozenset({"coordinator"}) | CARITAS),
    "web:steering-measure-status": post_only("measure", frozenset({"coordinator"}) | CARITAS),
    "web:steering-goals": Row(get=STEERING),
    "web:steering-goal-new": Row(get=frozenset({"coordinator"})),
    "web:steering-goal": Row("sgoal", get=frozenset({"coordinator"})),
    # --- guide content management --------------------------------------------------------------
    "web:guide-manage": Row(get=GUIDE),
    "web:guide-offices": Row(get=frozenset({"coordinator"})),
    "web:guide-office-edit": Row("agency", get=frozenset({"coordinator"})),
    "web:guide-counsellors": Row(get=frozenset({"coordinator"})),
    "web:guide-counsellor-create": Row(get=frozenset({"coordinator"})),
    "web:guide-counsellor-edit": Row("counsellor", get=frozenset({"coordinator"})),
    "web:guide-counsellor-deactivate": post_only("counsellor", frozenset({"coordinator"})),
    "web:guide-texts": Row(get=frozenset({"coordinator"})),
    "web:guide-text-create": Row(get=frozenset({"coordinator"})),
    "web:guide-text-edit": Row("text", get=frozenset({"coordinator"})),
    "web:guide-translations": Row(get=GUIDE),
    "web:guide-entry-translations": Row("translation_key", get={"own": GUIDE, "first_step": GUIDE}),
    # The translator works in Arabic only.
    "web:guide-translation-edit": Row("translation_lang", get={"own_ar": GUIDE, "own_uk": frozenset({"coordinator"})}),
    "web:guide-translators": Row(get=frozenset({"coordinator"})),
    "web:guide-translator-edit": Row("user", get=frozenset({"coordinator"})),
    # --- the JSON API ----------------------------------------------------------------------------
    # The OpenAPI document describes the interface, no data: public.
    "api-v1:openapi-json": Row(get=STAFF | {ANONYMOUS}, public=True),
    "api-v1:api-root": Row(get=NOBODY, public=True),
    # Every staff user may search; the hits are those the policy shows (none for roles without
    # data categories).
    "api-v1:search_persons": Row(post=STAFF, plain=False, query_in_body=True, query={
        "canary": "name=Quendelbrook", "revoked": "name=Widerrufsen", "other": "name=Wolkenfeld"}),
    "api-v1:create_person": Row(post=OPERATIONAL),
    "api-v1:get_person": Row(P, get=SEES),
    "api-v1:list_residence": Row(P, get=SEES),
    "api-v1:add_residence": Row(P, post=_only(SEES, frozenset({"abh"}))),
    "api-v1:open_file": Row(P, post=_only(SEES, OPERATIONAL)),
    "api-v1:list_consents": Row(P, get=SEES),
    "api-v1:create_consent": Row(P, post=_only(SEES, OPERATIONAL)),
    "api-v1:revoke_consent": Row("person_consent", post={"consent_valid": CARITAS | {"jobcentre"},
                                                         "consent_expired": CARITAS,
                                                         "blocked": frozenset({"psych"}) | CARITAS}),
    "api-v1:list_cases": Row(get=CASEWORK, get_out=403),
    "api-v1:create_case": Row(post=CASEWORK),
    "api-v1:get_case": Row(C, get=CASE_SEES),
    "api-v1:set_phase": Row(C, post=CASE_OWN),
    "api-v1:assign": Row(C, post=_only(CASE_OWN, frozenset({"teamlead"}))),
    "api-v1:set_next_contact": Row(C, post=CASE_OWN),
    "api-v1:close": Row(C, post=CASE_OWN),
    "api-v1:add_note": Row(C, post=CASE_OWN),
    "api-v1:add_task": Row(C, post=CASE_OWN),
    # A task id that does not exist answers like another agency's task (found by this matrix:
    # task ids could be probed).
    "api-v1:finish_task": Row("task", post=CASE_OWN, sees=CASE_SEES),
    "api-v1:get_plan": Row(C, get=CASE_SEES),
    "api-v1:add_goal": Row(C, post=CASE_OWN),
    "api-v1:apply_template": Row(C, post=CASE_OWN),
    "api-v1:set_goal_status": Row("goal", post=CASE_OWN),
    "api-v1:add_step": Row("goal", post=CASE_OWN),
    "api-v1:set_step_status": Row("step", post=CASE_OWN),
    "api-v1:list_templates": Row(get=STAFF),
    "api-v1:list_inbox": Row(get=OPERATIONAL, get_out=403),
    "api-v1:list_outbox": Row(get=OPERATIONAL, get_out=403),
    "api-v1:get_referral": Row("referral", get=REFERRAL_READERS),
    "api-v1:create_referral": Row(post=OPERATIONAL),
    "api-v1:accept": Row("referral", post=RECIPIENTS, sees=REFERRAL_READERS),
    "api-v1:decline": Row("referral", post=RECIPIENTS, sees=REFERRAL_READERS),
    "api-v1:done": Row("referral", post=RECIPIENTS, sees=REFERRAL_READERS),
    "api-v1:withdraw": Row("referral", post=SENDERS, sees=REFERRAL_READERS),
    "api-v1:list_gap_reports": Row(get=OPERATIONAL, get_out=403),
    "api-v1:create_gap_report": Row(post=OPERATIONAL),
    "api-v1:list_handovers": Row(get=BENEFITS_OFFICES, get_out=403),
    "api-v1:get_handover": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})},
                               forbidden=STAFF - BENEFITS_OFFICES),
    "api-v1:update_item": Row("item", post={"jobcentre_item": frozenset({"jobcentre"}),
                                            "social_item": frozenset({"social_a"})}),
    "api-v1:get_package": Row("handover", get={"open": frozenset({"social_a", "jobcentre"})},
                              forbidden=STAFF - BENEFITS_OFFICES),
}
