"""Reads of the access log (ids only; it holds no personal data)."""

from django.db.models import QuerySet

from lotse.audit.models import AccessEvent


def access_events(*, person_id: int | None = None, actor_id: int | None = None,
                  decision: str = "", agency_ids=None) -> QuerySet[AccessEvent]:
    """Newest first; `agency_ids` limits the log to the actions of one district's agencies."""
    events = AccessEvent.objects.order_by("-seq")
    if agency_ids is not None:
        events = events.filter(agency_id__in=agency_ids)
    if person_id:
        events = events.filter(person_id=person_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if decision:
        events = events.filter(decision=decision)
    return events
