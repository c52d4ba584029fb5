from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "lotse.rules"
    label = "rules"
