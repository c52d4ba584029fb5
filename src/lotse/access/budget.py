"""Request budgets of staff users and API tokens (ASVS 2.4.1): count a request, and write a
refusal to the access log as `rate_limit.exceeded` (denied, the budget's name as basis), so the
data-protection officer sees who ran into a limit. Counting: core/request_budget.py."""

from django.db import transaction

from lotse.access.context import AccessContext
from lotse.access.spine import log_action
from lotse.audit.models import Decision
from lotse.core.request_budget import OverBudget, spend

EXCEEDED = "rate_limit.exceeded"


def charge(ctx: AccessContext, budget: str, *, subject: str | None = None) -> None:
    """Count one request of the user (or `subject`, e.g. an API token) against `budget`; raise
    OverBudget, logged, when it is used up."""
    try:
        spend(budget, subject or f"user:{ctx.user_id}")
    except OverBudget:
        with transaction.atomic():
            log_action(ctx, EXCEEDED, basis=budget, decision=Decision.DENIED)
        raise
