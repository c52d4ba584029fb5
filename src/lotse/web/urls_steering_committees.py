"""Committees, measures and goals under /staff/steering/ (owned by the committees work)."""

from django.urls import path

from lotse.web.views import steering_placeholder as placeholder

urlpatterns = [
    path("staff/steering/committees/", placeholder.not_yet, name="steering-committees"),
    path("staff/steering/measures/", placeholder.not_yet, name="steering-measures"),
    path("staff/steering/goals/", placeholder.not_yet, name="steering-goals"),
]
