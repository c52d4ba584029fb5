"""Steering (issue 7) under /staff/steering/: dashboard and export here; the needs analysis
and the committees in their own modules."""

from django.urls import path

from lotse.web import urls_steering_committees, urls_steering_needs
from lotse.web.views import steering_dashboard

urlpatterns = [
    path("staff/steering/", steering_dashboard.dashboard_view, name="steering-dashboard"),
    path("staff/steering/export.csv", steering_dashboard.export_csv_view, name="steering-export-csv"),
    path("staff/steering/export.pdf", steering_dashboard.export_pdf_view, name="steering-export-pdf"),
    *urls_steering_needs.urlpatterns,
    *urls_steering_committees.urlpatterns,
]
