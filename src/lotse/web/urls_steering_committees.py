"""Committees, meetings, measures and goals under /staff/steering/ (owned by the committees work)."""

from django.urls import path

import lotse.web.converters  # noqa: F401  (registers <id:…>)
from lotse.web.views import steering_committees as views

urlpatterns = [
    path("staff/steering/committees/", views.committees_view, name="steering-committees"),
    path("staff/steering/committees/new/", views.committee_new_view, name="steering-committee-new"),
    path("staff/steering/committees/<id:committee_id>/", views.committee_detail_view, name="steering-committee"),
    path("staff/steering/committees/<id:committee_id>/edit/", views.committee_edit_view,
         name="steering-committee-edit"),
    path("staff/steering/committees/<id:committee_id>/meetings/", views.meeting_new_view,
         name="steering-meeting-new"),
    path("staff/steering/meetings/<id:meeting_id>/", views.meeting_view, name="steering-meeting"),
    path("staff/steering/meetings/<id:meeting_id>/edit/", views.meeting_edit_view, name="steering-meeting-edit"),
    path("staff/steering/meetings/<id:meeting_id>/status/", views.meeting_status_view,
         name="steering-meeting-status"),
    path("staff/steering/meetings/<id:meeting_id>/agenda/", views.agenda_add_view, name="steering-agenda-add"),
    path("staff/steering/agenda/<id:item_id>/move/", views.agenda_move_view, name="steering-agenda-move"),
    path("staff/steering/meetings/<id:meeting_id>/minutes/", views.minutes_view, name="steering-minutes"),
    path("staff/steering/meetings/<id:meeting_id>/decisions/", views.decision_add_view,
         name="steering-decision-add"),
    path("staff/steering/meetings/<id:meeting_id>/measures/", views.meeting_measure_add_view,
         name="steering-meeting-measure-add"),
    path("staff/steering/meetings/<id:meeting_id>/invitation.ics", views.meeting_ics_view,
         name="steering-meeting-ics"),
    path("staff/steering/meetings/<id:meeting_id>/minutes.pdf", views.minutes_pdf_view,
         name="steering-minutes-pdf"),
    path("staff/steering/measures/", views.measures_view, name="steering-measures"),
    path("staff/steering/measures/new/", views.measure_new_view, name="steering-measure-new"),
    path("staff/steering/measures/<id:measure_id>/", views.measure_edit_view, name="steering-measure"),
    path("staff/steering/measures/<id:measure_id>/status/", views.measure_status_view,
         name="steering-measure-status"),
    path("staff/steering/goals/", views.goals_view, name="steering-goals"),
    path("staff/steering/goals/new/", views.goal_new_view, name="steering-goal-new"),
    path("staff/steering/goals/<id:goal_id>/", views.goal_edit_view, name="steering-goal"),
]
