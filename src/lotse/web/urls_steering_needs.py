"""The needs analysis under /staff/steering/needs/ (owned by the needs-analysis work)."""

from django.urls import path

from lotse.web.views import steering_needs

urlpatterns = [
    path("staff/steering/needs/", steering_needs.needs_view, name="steering-needs"),
    path("staff/steering/needs/statistics/import/", steering_needs.statistics_import_view,
         name="steering-statistics-import"),
    path("staff/steering/needs/statistics/template.csv", steering_needs.statistics_template_view,
         name="steering-statistics-template"),
    path("staff/steering/needs/capacity/", steering_needs.capacity_view, name="steering-capacity"),
]
