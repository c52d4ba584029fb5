from django.apps import AppConfig


class HandoversConfig(AppConfig):
    name = "lotse.handovers"
    label = "handovers"

    def ready(self) -> None:
        from lotse.handovers.services import on_residence_status_recorded
        from lotse.people.signals import residence_status_recorded

        residence_status_recorded.connect(on_residence_status_recorded,
                                          dispatch_uid="handovers.on_residence_status_recorded")
