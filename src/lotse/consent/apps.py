from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "lotse.consent"
    label = "consent"
