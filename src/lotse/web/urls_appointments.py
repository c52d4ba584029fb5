"""URLs of the foreigners' authority's eAT appointments, and the person's page behind the
personal link (`termin/…`, no login)."""

from django.urls import path, register_converter

from lotse.web.views import appointments, appointments_config, public_appointment


class TokenConverter:
    """An appointment link: digits, a dot, 32 hex characters (checked again by the door)."""

    regex = r"[0-9]{1,12}\.[0-9a-f]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

urlpatterns: list = [
    path("appointments/", appointments.appointments_home_view, name="appointments"),
    path("appointments/scan/", appointments.appointments_scan_view, name="appointments-scan"),
    path("appointments/plan/", appointments.appointments_plan_view, name="appointments-plan"),
    path("appointments/invite/", appointments.appointments_invite_view, name="appointments-invite"),
    path("appointments/register/", appointments.register_view, name="appointments-register"),
    path("appointments/register/import/", appointments.import_view, name="appointments-import"),
    path("appointments/register/import/<id:import_id>/", appointments.import_report_view,
         name="appointments-import-report"),
    path("appointments/register/import/template.csv", appointments.import_template_view,
         name="appointments-import-template"),
    path("appointments/proposals/", appointments.proposals_view, name="appointments-proposals"),
    path("appointments/list/", appointments.appointment_list_view, name="appointment-list"),
    path("appointments/print/", appointments.print_run_view, name="appointments-print"),
    path("appointments/desk/", appointments.desk_view, name="appointments-desk"),
    path("appointments/desk/<id:appointment_id>/check-in/", appointments.desk_check_in_view,
         name="appointments-check-in"),
    path("appointments/desk/<id:appointment_id>/no-show/", appointments.desk_no_show_view,
         name="appointments-no-show"),
    path("appointments/desk/members/<id:member_id>/outcome/", appointments.desk_outcome_view,
         name="appointments-outcome"),
    path("appointments/figures/", appointments.figures_view, name="appointments-figures"),
    path("appointments/offices/", appointments_config.offices_view, name="appointments-offices"),
    path("appointments/offices/new/", appointments_config.office_edit_view, name="appointments-office-create"),
    path("appointments/offices/<id:office_id>/", appointments_config.office_edit_view,
         name="appointments-office-edit"),
    path("appointments/interpreters/new/", appointments_config.interpreter_edit_view,
         name="appointments-interpreter-create"),
    path("appointments/interpreters/<id:interpreter_id>/", appointments_config.interpreter_edit_view,
         name="appointments-interpreter-edit"),
    path("appointments/travel-times/", appointments_config.travel_times_view, name="appointments-travel"),
    path("appointments/<id:appointment_id>/", appointments.appointment_detail_view, name="appointment-detail"),
    path("appointments/<id:appointment_id>/invite/", appointments.appointment_invite_view,
         name="appointment-invite"),
    path("appointments/<id:appointment_id>/new-link/", appointments.appointment_new_link_view,
         name="appointment-new-link"),
    path("appointments/<id:appointment_id>/cancel/", appointments.appointment_cancel_view,
         name="appointment-cancel"),
    path("appointments/<id:appointment_id>/letter.pdf", appointments.letter_pdf_view, name="appointment-letter"),
    path("appointments/<id:appointment_id>/invitation.ics", appointments.letter_ics_view,
         name="appointment-ics"),
    path("termin/<token:token>/", public_appointment.public_appointment_view, name="public-appointment"),
    path("termin/<token:token>/kalender.ics", public_appointment.public_calendar_view,
         name="public-appointment-ics"),
]
