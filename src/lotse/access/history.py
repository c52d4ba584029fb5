"""A person's own access history ("who saw my data", Art. 15 GDPR)."""

from dataclasses import dataclass

from lotse.access.context import AccessContext
from lotse.access.spine import access_person
from lotse.audit.selectors import access_events
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.organisations.models import Agency


@dataclass(frozen=True)
class HistoryRow:
    seq: int
    time: str
    agency: str
    action: str
    categories: str
    purpose: str
    decision: str
    basis: str


def person_access_history(ctx: AccessContext, person_id: int) -> tuple[object, list[HistoryRow]]:
    """Goes through the spine itself: exporting the history is an access to the person."""
    record = access_person(ctx, person_id, Purpose.DATA_PROTECTION,
                           categories=[DataCategory.IDENTITY], action="person.access_history")
    events = list(access_events(person_id=person_id).order_by("seq"))
    agencies = dict(Agency.objects.filter(
        pk__in={e.agency_id for e in events if e.agency_id}).values_list("id", "name"))
    rows = [
        HistoryRow(
            seq=e.seq, time=e.ts.isoformat(timespec="seconds"),
            agency=agencies.get(e.agency_id, ""), action=e.action, categories=e.categories,
            purpose=e.purpose, decision=e.decision, basis=e.basis,
        )
        for e in events
    ]
    return record, rows
