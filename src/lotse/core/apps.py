from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lotse.core"
    label = "core"
    verbose_name = "Lotse core"

    def ready(self):
        from lotse.core import virus_scan  # noqa: F401  registers the deploy check lotse.W001
