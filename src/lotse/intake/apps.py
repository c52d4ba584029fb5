from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lotse.intake"
    label = "intake"

    def load_reference_data(self) -> None:
        """Ship version 1 of the reference questionnaire (idempotent; a published version is
        never changed, later versions are published as new rows)."""
        from lotse.intake import reference
        from lotse.intake.definition import validate_definition
        from lotse.intake.models import Questionnaire

        validate_definition(reference.DEFINITION)
        Questionnaire.objects.get_or_create(
            code=reference.CODE, version=1,
            defaults={"title": reference.TITLE, "definition": reference.DEFINITION,
                      "published_on": reference.PUBLISHED_ON},
        )
