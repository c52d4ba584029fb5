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
ADMIN_AGENCIES = "admin:agencies"
ADMIN_USERS = "admin:users"
TASKS_VIEW = "tasks:view"

ALL_PERMISSIONS = {
    PERSON_CREATE: _("Register persons"),
    PERSON_MERGE: _("Merge duplicate person records"),
    PERSON_EDIT: _("Edit person records and residence or benefit history"),
    CONSENT_RECORD: _("Record consents"),
    CONSENT_REVOKE: _("Record revocations of consent"),
    ACCESS_OVERRIDE: _("Emergency access with a written reason"),
    AUDIT_VIEW: _("View the access log"),
    AUDIT_SUBJECT_EXPORT: _("Export a person's access history (Art. 15 GDPR)"),
    ADMIN_AGENCIES: _("Manage agencies"),
    ADMIN_USERS: _("Manage staff users and roles"),
    TASKS_VIEW: _("View background tasks"),
}
