"""Reference roles shipped with Lotse. They are shared by all districts and read-only in the
UI; a district copies one to adapt it. `lotse load_reference_data` keeps them equal to the
definitions below, so new permissions reach existing installations."""

from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.organisations import permissions as perm

_CASEWORK = [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD, C.QUALIFICATIONS,
             C.COUNSELLING_NOTES]
_CASE_PERMS = [perm.PERSON_CREATE, perm.PERSON_EDIT, perm.CONSENT_RECORD, perm.CONSENT_REVOKE]
_CASE_WORK_PERMS = [*_CASE_PERMS, perm.CASE_MANAGE, perm.REFERRAL_SEND, perm.REFERRAL_ANSWER,
                    perm.CONFERENCE_MANAGE, perm.GAP_REPORT]
_OFFICE_PERMS = [*_CASE_PERMS, perm.REFERRAL_SEND, perm.REFERRAL_ANSWER, perm.GAP_REPORT]
_BENEFITS_OFFICE_PERMS = [*_OFFICE_PERMS, perm.HANDOVER_WORK]

ROLES = [
    {"code": "case_manager", "name": "Fallmanager/in (KIM)", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_WORK_PERMS},
    {"code": "welcome_counsellor", "name": "Willkommensberater/in", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_WORK_PERMS},
    {"code": "psychosocial_counsellor", "name": "Psychosoziale Berater/in",
     "categories": [*_CASEWORK, C.HEALTH],
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_WORK_PERMS},
    {"code": "abh_caseworker", "name": "Sachbearbeiter/in Ausländerbehörde",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.HOUSEHOLD],
     "purposes": [P.RESIDENCE_ADMINISTRATION, P.REGISTRY],
     "permissions": [*_OFFICE_PERMS, perm.APPOINTMENTS_MANAGE, perm.APPOINTMENTS_DESK]},
    {"code": "social_office_caseworker", "name": "Sachbearbeiter/in Sozialamt",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD],
     "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER, P.REGISTRY],
     "permissions": _BENEFITS_OFFICE_PERMS},
    {"code": "jobcentre_caseworker", "name": "Sachbearbeiter/in Jobcenter",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD, C.QUALIFICATIONS,
                    C.COUNSELLING_NOTES],
     "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER, P.REGISTRY],
     "permissions": _BENEFITS_OFFICE_PERMS},
    {"code": "social_office_lead", "name": "Leitung Sozialamt",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD],
     "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER, P.REGISTRY],
     "permissions": [*_BENEFITS_OFFICE_PERMS, perm.HANDOVER_BULK, perm.HANDOVER_OVERVIEW, perm.TASKS_VIEW]},
    {"code": "registration_clerk", "name": "Sachbearbeiter/in Meldebehörde",
     "categories": [C.IDENTITY, C.CONTACT, C.HOUSEHOLD], "purposes": [P.REGISTRY],
     "permissions": [perm.PERSON_CREATE, perm.PERSON_EDIT]},
    {"code": "team_lead", "name": "Teamleitung", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY],
     "permissions": [*_CASE_WORK_PERMS, perm.PERSON_MERGE, perm.ACCESS_OVERRIDE, perm.TASKS_VIEW,
                     perm.CASE_ASSIGN, perm.CASE_TEAM_VIEW]},
    {"code": "coordinator", "name": "Koordination (Kommunales Integrationszentrum)",
     "categories": [], "purposes": [],
     "permissions": [perm.TASKS_VIEW, perm.OFFERS_MANAGE, perm.HANDOVER_OVERVIEW, perm.HANDOVER_BULK,
                     perm.APPOINTMENTS_FIGURES, perm.GUIDE_MANAGE, perm.STEERING_VIEW,
                     perm.STEERING_COORDINATE]},
    {"code": "steering_member", "name": "Mitglied Lenkungsgruppe", "categories": [], "purposes": [],
     "permissions": [perm.STEERING_VIEW]},
    {"code": "translator", "name": "Übersetzung Wegweiser", "categories": [], "purposes": [],
     "permissions": [perm.GUIDE_TRANSLATE]},
    {"code": "data_protection_officer", "name": "Datenschutzbeauftragte/r",
     "categories": [C.IDENTITY], "purposes": [P.DATA_PROTECTION],
     "permissions": [perm.AUDIT_VIEW, perm.AUDIT_SUBJECT_EXPORT, perm.RETENTION_MANAGE,
                     perm.TASKS_VIEW]},
    {"code": "administrator", "name": "Administration", "categories": [], "purposes": [],
     "permissions": [perm.ADMIN_AGENCIES, perm.ADMIN_USERS, perm.RULES_MANAGE, perm.TASKS_VIEW]},
]
