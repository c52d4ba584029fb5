from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lotse.intake"
    label = "intake"
