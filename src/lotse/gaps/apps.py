from django.apps import AppConfig


class GapsConfig(AppConfig):
    name = "lotse.gaps"
    label = "gaps"
