from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lotse.plans"
    label = "plans"
