"""URLs of case conferences and gap reports."""

from django.urls import path

import lotse.web.converters  # noqa: F401  (registers <id:…>)
from lotse.web.views import conferences, gaps

urlpatterns = [
    path("cases/<id:case_id>/conferences/new/", conferences.conference_new_view, name="conference-new"),
    path("conferences/", conferences.conference_list_view, name="conference-list"),
    path("conferences/<id:conference_id>/", conferences.conference_detail_view, name="conference-detail"),
    path("conferences/<id:conference_id>/decisions/", conferences.conference_decision_add_view,
         name="conference-decision-add"),
    path("conferences/decisions/<id:decision_id>/done/", conferences.conference_decision_done_view,
         name="conference-decision-done"),
    path("conferences/<id:conference_id>/phase-done/", conferences.conference_phase_done_view,
         name="conference-phase-done"),
    path("conferences/<id:conference_id>/close/", conferences.conference_close_view, name="conference-close"),
    path("conferences/<id:conference_id>/gaps/", conferences.conference_gap_add_view, name="conference-gap-add"),
    path("gaps/", gaps.gap_reports_view, name="gap-reports"),
    path("gaps/new/", gaps.gap_report_new_view, name="gap-report-new"),
    path("gaps/inbox/", gaps.gap_inbox_view, name="gap-inbox"),
    path("staff/steering/gaps/<id:report_id>/", gaps.gap_triage_view, name="gap-triage"),
    path("staff/steering/gaps/<id:report_id>/classify/", gaps.gap_classify_view, name="gap-classify"),
    path("staff/steering/gaps/<id:report_id>/merge/", gaps.gap_merge_view, name="gap-merge"),
    path("staff/steering/gaps/<id:report_id>/close/", gaps.gap_close_view, name="gap-close"),
    path("staff/steering/gaps/<id:report_id>/agenda/", gaps.gap_agenda_view, name="gap-agenda"),
]
