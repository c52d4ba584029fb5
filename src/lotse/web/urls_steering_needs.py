"""The needs analysis under /staff/steering/needs/ (owned by the needs-analysis work)."""

from django.urls import path

from lotse.web.views import steering_placeholder as placeholder

urlpatterns = [
    path("staff/steering/needs/", placeholder.not_yet, name="steering-needs"),
    path("staff/steering/needs/statistics/import/", placeholder.not_yet, name="steering-statistics-import"),
    path("staff/steering/needs/capacity/", placeholder.not_yet, name="steering-capacity"),
]
