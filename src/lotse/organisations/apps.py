from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "lotse.organisations"
    label = "organisations"

    def ready(self):
        # registers the checks lotse.W003 (deploy) and lotse.E003 (ASVS 6.2.12)
        from lotse.organisations import breached_passwords  # noqa: F401
