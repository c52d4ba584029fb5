"""Request budgets (ASVS 2.4.1): counting per subject and window."""

import datetime

import pytest
from django.test import override_settings

from lotse.core.models import RequestCount
from lotse.core.request_budget import OverBudget, spend

NOON = datetime.datetime(2026, 12, 4, 12, 0, 10, tzinfo=datetime.UTC)


@override_settings(LOTSE_REQUEST_BUDGETS={"search": (3, 60)})
def test_the_request_over_the_limit_is_refused_until_the_next_window(db):
    for _ in range(3):
        spend("search", "user:7", now=NOON)
    with pytest.raises(OverBudget) as refused:
        spend("search", "user:7", now=NOON + datetime.timedelta(seconds=5))
    assert refused.value.budget == "search"
    assert refused.value.retry_after == 45  # the window started at 12:00:00 and lasts a minute
    assert refused.value.retry_after_minutes == 1
    spend("search", "user:8", now=NOON)  # another user's budget is untouched
    spend("search", "user:7", now=NOON + datetime.timedelta(seconds=60))  # a new window


@override_settings(LOTSE_REQUEST_BUDGETS={"search": (1, 60)})
def test_the_counts_name_nobody_and_old_windows_are_dropped(db):
    spend("search", "user:7", now=NOON)
    (row,) = RequestCount.objects.all()
    assert len(row.key) == 64 and set(row.key) <= set("0123456789abcdef")  # a keyed hash, no user id
    assert row.count == 1
    spend("search", "user:7", now=NOON + datetime.timedelta(days=2))
    assert RequestCount.objects.count() == 1  # the window of two days ago is gone


@override_settings(LOTSE_REQUEST_BUDGETS={})
def test_a_budget_not_configured_is_unlimited(db):
    for _ in range(50):
        spend("search", "user:7", now=NOON)
    assert RequestCount.objects.count() == 0
