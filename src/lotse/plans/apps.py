from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lotse.plans"
    label = "plans"

    def load_reference_data(self) -> None:
        """Create the reference plan templates (idempotent; templates changed in the
        installation are left as they are)."""
        from lotse.plans.models import PlanTemplate
        from lotse.plans.reference import TEMPLATES
        from lotse.plans.services import validate_template_steps

        for spec in TEMPLATES:
            spec = dict(spec)
            validate_template_steps(spec["steps"])
            PlanTemplate.objects.get_or_create(code=spec.pop("code"), defaults=spec)
