from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "lotse.steering"
    label = "steering"
