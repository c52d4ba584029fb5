from django.urls import path, register_converter

from lotse.web.converters import IdConverter
from lotse.web.views import admin, audit, auth, consents, home, people

register_converter(IdConverter, "id")

app_name = "web"

urlpatterns = [
    path("", home.home_view, name="home"),
    path("healthz", home.healthz, name="healthz"),
    path("help/", home.help_view, name="help"),
    path("login/", auth.login_view, name="login"),
    path("login/otp/", auth.otp_view, name="otp"),
    path("login/otp/setup/", auth.otp_setup_view, name="otp-setup"),
    path("logout/", auth.logout_view, name="logout"),
    path("persons/", people.person_search_view, name="person-search"),
    path("persons/new/", people.person_create_view, name="person-create"),
    path("persons/<id:person_id>/", people.person_detail_view, name="person-detail"),
    path("persons/<id:person_id>/residence/", people.residence_add_view, name="residence-add"),
    path("persons/<id:person_id>/benefits/", people.benefits_add_view, name="benefits-add"),
    path("persons/<id:person_id>/file/", people.open_file_view, name="file-open"),
    path("persons/<id:person_id>/household/", people.household_view, name="household-assign"),
    path("persons/<id:person_id>/merge/", people.person_merge_view, name="person-merge"),
    path("persons/<id:person_id>/emergency-access/", people.override_view, name="person-override"),
    path("persons/<id:person_id>/consents/new/", consents.consent_create_view, name="consent-create"),
    path("persons/<id:person_id>/consents/<id:consent_id>/form.pdf", consents.consent_pdf_view, name="consent-pdf"),
    path("persons/<id:person_id>/consents/<id:consent_id>/revoke/", consents.consent_revoke_view,
         name="consent-revoke"),
    path("persons/<id:person_id>/access-history/", audit.person_access_history_view, name="person-access-history"),
    path("audit/", audit.audit_log_view, name="audit-log"),
    path("audit/verify/", audit.audit_verify_start_view, name="audit-verify"),
    path("tasks/<id:progress_id>/", audit.task_progress_view, name="task-progress"),
    path("admin/agencies/", admin.agency_list_view, name="admin-agencies"),
    path("admin/agencies/new/", admin.agency_edit_view, name="admin-agency-create"),
    path("admin/agencies/<id:agency_id>/", admin.agency_edit_view, name="admin-agency-edit"),
    path("admin/roles/", admin.role_list_view, name="admin-roles"),
    path("admin/roles/new/", admin.role_edit_view, name="admin-role-create"),
    path("admin/roles/<id:role_id>/", admin.role_edit_view, name="admin-role-edit"),
    path("admin/roles/<id:role_id>/copy/", admin.role_copy_view, name="admin-role-copy"),
    path("admin/users/", admin.user_list_view, name="admin-users"),
    path("admin/users/new/", admin.user_edit_view, name="admin-user-create"),
    path("admin/users/<id:user_id>/", admin.user_edit_view, name="admin-user-edit"),
    path("admin/users/<id:user_id>/reset-otp/", admin.user_reset_otp_view, name="admin-user-reset-otp"),
]
