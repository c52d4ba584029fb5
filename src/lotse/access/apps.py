from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "lotse.access"
    label = "access"
