"""URLs of the rules area: the dated rule data, maintained by administrators (`rules:manage`)."""

from django.urls import path

from lotse.web.views import admin_rules

urlpatterns: list = [
    path("admin/rules/", admin_rules.rules_home_view, name="admin-rules"),
    path("admin/rules/<slug:kind>/", admin_rules.rule_list_view, name="admin-rule-list"),
    path("admin/rules/<slug:kind>/new/", admin_rules.rule_edit_view, name="admin-rule-create"),
    path("admin/rules/<slug:kind>/<id:rule_id>/", admin_rules.rule_edit_view, name="admin-rule-edit"),
    path("admin/rules/<slug:kind>/<id:rule_id>/new-version/", admin_rules.rule_version_view,
         name="admin-rule-version"),
]
