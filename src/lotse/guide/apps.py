from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "lotse.guide"
    label = "guide"
