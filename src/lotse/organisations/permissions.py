"""Named `resource:action` permissions. Roles (data) list the ones they hold."""

from django.utils.translation import gettext_lazy as _

PERSON_CREATE = "person:create"
PERSON_MERGE = "person:merge"
PERSON_EDIT = "person:edit"
CONSENT_RECORD = "consent:record"
CONSENT_REVOKE = "consent:revoke"
ACCESS_OVERRIDE = "access:override"
AUDIT_VIEW = "audit:view"
AUDIT_SUBJECT_EXPORT = "audit:subject_export"
RETENTION_MANAGE = "retention:manage"
ADMIN_AGENCIES = "admin:agencies"
ADMIN_USERS = "admin:users"
RULES_MANAGE = "rules:manage"
TASKS_VIEW = "tasks:view"
CASE_MANAGE = "case:manage"
CASE_ASSIGN = "case:assign"
CASE_TEAM_VIEW = "case:team_view"
REFERRAL_SEND = "referral:send"
REFERRAL_ANSWER = "referral:answer"
CONFERENCE_MANAGE = "conference:manage"
GAP_REPORT = "gap:report"
OFFERS_MANAGE = "offers:manage"
HANDOVER_WORK = "handover:work"
HANDOVER_BULK = "handover:bulk"
HANDOVER_OVERVIEW = "handover:overview"
APPOINTMENTS_MANAGE = "appointments:manage"
APPOINTMENTS_DESK = "appointments:desk"
APPOINTMENTS_FIGURES = "appointments:figures"
GUIDE_MANAGE = "guide:manage"
GUIDE_TRANSLATE = "guide:translate"
STEERING_VIEW = "steering:view"
STEERING_COORDINATE = "steering:coordinate"

ALL_PERMISSIONS = {
    PERSON_CREATE: _("Register persons"),
    PERSON_MERGE: _("Merge duplicate person records"),
    PERSON_EDIT: _("Edit person records and residence or benefit history"),
    CONSENT_RECORD: _("Record consents"),
    CONSENT_REVOKE: _("Record revocations of consent"),
    ACCESS_OVERRIDE: _("Emergency access with a written reason"),
    AUDIT_VIEW: _("View the access log"),
    AUDIT_SUBJECT_EXPORT: _("Export a person's access history (Art. 15 GDPR)"),
    RETENTION_MANAGE: _("Retention: record of processing activities, data export of a person "
                        "(Art. 15 GDPR) and legal holds"),
    ADMIN_AGENCIES: _("Manage agencies"),
    ADMIN_USERS: _("Manage staff users and roles"),
    RULES_MANAGE: _("Maintain the dated rule data"),
    TASKS_VIEW: _("View background tasks"),
    CASE_MANAGE: _("Open, work on and close cases of the own agency"),
    CASE_ASSIGN: _("Assign cases to other case managers"),
    CASE_TEAM_VIEW: _("See the caseload of the whole team"),
    REFERRAL_SEND: _("Refer persons to other agencies"),
    REFERRAL_ANSWER: _("Accept, decline and complete referrals to the own agency"),
    CONFERENCE_MANAGE: _("Hold case conferences"),
    GAP_REPORT: _("Write gap reports"),
    OFFERS_MANAGE: _("Manage the offers directory"),
    HANDOVER_WORK: _("Work on changes of benefits regime of the own office"),
    HANDOVER_BULK: _("Run a change of benefits regime for a whole group"),
    HANDOVER_OVERVIEW: _("See the aggregated overview of changes of benefits regime"),
    APPOINTMENTS_MANAGE: _("Keep the permit register, import it and plan and send eAT invitations"),
    APPOINTMENTS_DESK: _("Work the appointment desk: check-in, no-show, outcome"),
    APPOINTMENTS_FIGURES: _("See the aggregated figures of the eAT appointments"),
    GUIDE_MANAGE: _("Edit the newcomers' guide: offices, contacts, offers and texts"),
    GUIDE_TRANSLATE: _("Translate the newcomers' guide into assigned languages"),
    STEERING_VIEW: _("See the steering figures, the needs analysis, committees and measures (aggregates only)"),
    STEERING_COORDINATE: _("Coordinate steering: gap-report inbox, committees, goals, capacities and statistics"),
}
