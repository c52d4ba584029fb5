"""URLs of the bulk change of benefits regime (coordinators, social-office leads)."""

from django.urls import path

from lotse.web.views import handover_bulk

urlpatterns: list = [
    path("handovers/bulk/", handover_bulk.handover_bulk_view, name="handover-bulk"),
    path("handovers/bulk/<id:run_id>/", handover_bulk.handover_bulk_run_view, name="handover-bulk-run"),
    path("handovers/bulk/<id:run_id>/report.csv", handover_bulk.handover_bulk_report_csv_view,
         name="handover-bulk-report-csv"),
]
