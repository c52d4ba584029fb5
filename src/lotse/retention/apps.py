from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "lotse.retention"
    label = "retention"

    def load_reference_data(self) -> None:
        """Ship the retention rules (idempotent; a rule version changed or added by the
        installation is left as it is, see `reference.load_rules`)."""
        from lotse.retention.reference import load_rules

        load_rules()
