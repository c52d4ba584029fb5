from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "lotse.appointments"
    label = "appointments"

    def ready(self) -> None:
        from lotse.appointments.selectors import next_appointments
        from lotse.appointments.services import on_person_merged, on_residence_status_recorded
        from lotse.people.residence_overview import register_next_appointment_lookup
        from lotse.people.signals import person_merged, residence_status_recorded

        residence_status_recorded.connect(on_residence_status_recorded,
                                          dispatch_uid="appointments.on_residence_status_recorded")
        person_merged.connect(on_person_merged, dispatch_uid="appointments.on_person_merged")
        register_next_appointment_lookup(next_appointments)
