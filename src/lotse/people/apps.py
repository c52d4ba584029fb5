from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lotse.people"
    label = "people"
