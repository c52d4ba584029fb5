"""Reference roles shipped with Lotse. Administrators can change them (they are data);
`lotse load_reference_data` creates missing ones and never overwrites local changes unless
asked to (`--reset-roles`)."""

from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.organisations import permissions as perm

_CASEWORK = [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD, C.QUALIFICATIONS,
             C.COUNSELLING_NOTES]
_CASE_PERMS = [perm.PERSON_CREATE, perm.PERSON_EDIT, perm.CONSENT_RECORD, perm.CONSENT_REVOKE]

ROLES = [
    {"code": "case_manager", "name": "Fallmanager/in (KIM)", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_PERMS},
    {"code": "welcome_counsellor", "name": "Willkommensberater/in", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_PERMS},
    {"code": "psychosocial_counsellor", "name": "Psychosoziale Berater/in",
     "categories": [*_CASEWORK, C.HEALTH],
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY], "permissions": _CASE_PERMS},
    {"code": "abh_caseworker", "name": "Sachbearbeiter/in Ausländerbehörde",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.HOUSEHOLD],
     "purposes": [P.RESIDENCE_ADMINISTRATION, P.REGISTRY],
     "permissions": _CASE_PERMS},
    {"code": "social_office_caseworker", "name": "Sachbearbeiter/in Sozialamt",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD],
     "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER, P.REGISTRY],
     "permissions": _CASE_PERMS},
    {"code": "jobcentre_caseworker", "name": "Sachbearbeiter/in Jobcenter",
     "categories": [C.IDENTITY, C.CONTACT, C.RESIDENCE, C.BENEFITS, C.HOUSEHOLD, C.QUALIFICATIONS],
     "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER, P.REGISTRY],
     "permissions": _CASE_PERMS},
    {"code": "registration_clerk", "name": "Sachbearbeiter/in Meldebehörde",
     "categories": [C.IDENTITY, C.CONTACT, C.HOUSEHOLD], "purposes": [P.REGISTRY],
     "permissions": [perm.PERSON_CREATE, perm.PERSON_EDIT]},
    {"code": "team_lead", "name": "Teamleitung", "categories": _CASEWORK,
     "purposes": [P.CASE_MANAGEMENT, P.REGISTRY],
     "permissions": [*_CASE_PERMS, perm.PERSON_MERGE, perm.ACCESS_OVERRIDE, perm.TASKS_VIEW]},
    {"code": "coordinator", "name": "Koordination (Kommunales Integrationszentrum)",
     "categories": [], "purposes": [], "permissions": [perm.TASKS_VIEW]},
    {"code": "data_protection_officer", "name": "Datenschutzbeauftragte/r",
     "categories": [C.IDENTITY], "purposes": [P.DATA_PROTECTION],
     "permissions": [perm.AUDIT_VIEW, perm.AUDIT_SUBJECT_EXPORT, perm.TASKS_VIEW]},
    {"code": "administrator", "name": "Administration", "categories": [], "purposes": [],
     "permissions": [perm.ADMIN_AGENCIES, perm.ADMIN_USERS, perm.TASKS_VIEW]},
]
