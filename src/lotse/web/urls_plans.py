"""URLs of the intake interview and the integration plan (owned by the plans/intake UI)."""

from django.urls import path

from lotse.web.views import intake, plans

urlpatterns = [
    path("cases/<id:case_id>/intake/new/", intake.intake_start_view, name="intake-start"),
    path("intakes/<id:intake_id>/", intake.intake_detail_view, name="intake-detail"),
    path("cases/<id:case_id>/plan/", plans.plan_detail_view, name="plan-detail"),
    path("cases/<id:case_id>/plan/goals/", plans.plan_goal_add_view, name="plan-goal-add"),
    path("cases/<id:case_id>/plan/steps/", plans.plan_step_add_view, name="plan-step-add"),
    path("cases/<id:case_id>/plan/template/", plans.plan_template_apply_view, name="plan-template-apply"),
    path("cases/<id:case_id>/plan/steps/<id:step_id>/status/", plans.plan_step_status_view,
         name="plan-step-status"),
    path("cases/<id:case_id>/plan/goals/<id:goal_id>/status/", plans.plan_goal_status_view,
         name="plan-goal-status"),
    path("cases/<id:case_id>/plan.pdf", plans.plan_pdf_view, name="plan-pdf"),
]
