"""Request budgets against automated misuse (ASVS 2.4.1): a staff user may search persons only
so often, and an API token may make only so many requests, per time window. A stolen session or
token then cannot page through the register at machine speed.

The counts live in the database (fixed windows, one row per subject and window), so all web
workers share them without a cache server. Budgets are settings (`LOTSE_REQUEST_BUDGETS`:
name → (requests, window in seconds)); an unknown budget is unlimited."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lotse.core.models import RequestCount

PERSON_SEARCH = "person_search"
API_TOKEN = "api_token"  # noqa: S105  # nosec B105 — a budget name, not a secret
KEEP_WINDOWS_FOR = datetime.timedelta(days=1)


class OverBudget(Exception):
    """The subject has used up the budget; it may try again after `retry_after` seconds."""

    def __init__(self, budget: str, *, retry_after: int):
        super().__init__(budget)
        self.budget = budget
        self.retry_after = retry_after

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _key(budget: str, subject: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"budget:{budget}:{subject}".encode(), hashlib.sha256).hexdigest()


def spend(budget: str, subject: str, *, now: datetime.datetime | None = None) -> None:
    """Count one request of `subject` against `budget`; raise OverBudget when the window's
    count exceeds the limit. Counted in its own transaction, so a request that fails later
    still counts."""
    limits = settings.LOTSE_REQUEST_BUDGETS.get(budget)
    if not limits:
        return
    limit, window = limits
    now = now or timezone.now()
    start = datetime.datetime.fromtimestamp(int(now.timestamp()) // window * window, tz=datetime.UTC)
    key = _key(budget, subject)
    with transaction.atomic():
        if not RequestCount.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RequestCount.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another worker opened the window at the same moment
                RequestCount.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
            RequestCount.objects.filter(window_start__lt=now - KEEP_WINDOWS_FOR).delete()
        count = RequestCount.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    if count > limit:
        raise OverBudget(budget, retry_after=max(1, int((start + datetime.timedelta(seconds=window) - now)
                                                        .total_seconds())))
