"""The social offices' read-only view of the foreigners' authority's residence data (seed 000:
"Sozialämter können die Software der Ausländerbehörde einsehen"). Part of the spine perimeter.

Which persons and which data: persons living in the user's municipality, residence data the
policy allows (for a social office the statutory rule `abh-to-social-office-residence`),
read with the purpose benefits administration and logged by `access_people`.

Which fields: exactly `RESIDENCE_FIELDS`, an allow-list. Whatever the foreigners' authority
records beyond them (internal notes, case-handling data) stays out of this view, including
fields added to the model later.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery

from lotse.access.context import AccessContext
from lotse.access.policy import CategoryDecision
from lotse.access.spine import PersonNotFound, PersonRecord, access_people, persons_visible_to
from lotse.core.paging import Page
from lotse.core.scoping import personal_data_scope
from lotse.core.vocabulary import DataCategory, Purpose
from lotse.people.matching import Candidate, blocking_keys, match_score
from lotse.people.models import DocumentKind, Person, PersonNameKey, ResidenceStatus
from lotse.people.selectors import candidate_of

PURPOSE = Purpose.BENEFITS_ADMINISTRATION
CATEGORIES = (DataCategory.IDENTITY, DataCategory.RESIDENCE)
LIST_ACTION = "residence_overview.list"
READ_ACTION = "residence_overview.read"
PAGE_SIZE = 25
SEARCH_THRESHOLD = 55.0
SEARCH_CANDIDATE_LIMIT = 1000

# The only residence fields this view shows. Add a field here only after checking that the
# legal-basis rule covers it; the foreigners' authority's internal notes never belong here.
RESIDENCE_FIELDS = (
    "kind_code", "kind_name", "legal_basis", "document", "valid_from", "valid_to",
    "application_pending_since",
)


@dataclass(frozen=True)
class ResidenceFacts:
    """One residence status as the view shows it: the allow-listed fields, copied."""

    kind_code: str
    kind_name: str
    legal_basis: str
    document: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    application_pending_since: datetime.date | None

    @classmethod
    def of(cls, status: ResidenceStatus) -> "ResidenceFacts":
        return cls(
            kind_code=status.kind.code, kind_name=status.kind.name,
            legal_basis=status.kind.legal_basis, document=status.document,
            valid_from=status.valid_from, valid_to=status.valid_to,
            application_pending_since=status.application_pending_since,
        )

    @property
    def document_label(self) -> str:
        try:
            return str(DocumentKind(self.document).label)
        except ValueError:
            return self.document

    def valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class ResidenceOverview:
    """A person in the view: name, the current status (or the latest, flagged as not current),
    the history (panel only), the next appointment and why the data is shown or hidden."""

    person_id: int
    given_names: str
    family_name: str
    birth_display: str
    visible: bool
    explanation: str
    current: ResidenceFacts | None
    is_current: bool
    history: tuple[ResidenceFacts, ...]
    next_appointment: datetime.datetime | None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


ResidenceOverviewPage = Page  # Page[ResidenceOverview]


# Who knows the next appointments at the foreigners' authority: the appointments domain
# registers a lookup when it is installed (appointments.apps); without it there is none.
# lookup(person_ids) -> {person_id: object with owning_agency_id and starts_at}
_next_appointment_lookup: Callable[[list[int]], dict] | None = None


def register_next_appointment_lookup(lookup: Callable[[list[int]], dict] | None) -> None:
    global _next_appointment_lookup
    _next_appointment_lookup = lookup


def next_abh_appointments(records: list[PersonRecord]) -> dict[int, datetime.datetime]:
    """The next appointment at the foreigners' authority of each person whose residence data
    the decision allows from the agency that made the appointment."""
    if _next_appointment_lookup is None or not records:
        return {}
    found = _next_appointment_lookup([r.person.pk for r in records])
    shown = {}
    for record in records:
        upcoming = found.get(record.person.pk)
        decision = record.decisions.get(DataCategory.RESIDENCE)
        if upcoming and decision is not None and decision.allows_source(upcoming.owning_agency_id):
            shown[record.person.pk] = upcoming.starts_at
    return shown


def residence_overview_available(ctx: AccessContext) -> bool:
    """Users of an office bound to a municipality (a social office) whose roles read
    residence data for benefits administration."""
    return (ctx.is_staff_member and ctx.municipality_id is not None and PURPOSE in ctx.purposes
            and DataCategory.RESIDENCE in ctx.categories and DataCategory.IDENTITY in ctx.categories)


def _explanation(decision: CategoryDecision | None) -> str:
    if decision is None:
        return ""
    if decision.any_allowed:
        return "; ".join(dict.fromkeys(b.explain() for b in decision.allowed.values()))
    return "; ".join(dict.fromkeys(d.explain(decision.category) for d in decision.denied))


def _overview(ctx: AccessContext, record: PersonRecord, with_history: bool,
              next_appointment: datetime.datetime | None = None) -> ResidenceOverview:
    person = record.person
    decision = record.decisions.get(DataCategory.RESIDENCE)
    # `access_people` keeps only statuses of sources the decision allows; newest first.
    facts = [ResidenceFacts.of(s) for s in record.residence_statuses]
    current = next((f for f in facts if f.valid_on(ctx.today)), None)
    latest = current or (facts[0] if facts else None)
    return ResidenceOverview(
        person_id=person.pk, given_names=person.given_names, family_name=person.family_name,
        birth_display=person.birth_display, visible=record.shows(DataCategory.RESIDENCE),
        explanation=_explanation(decision), current=latest, is_current=current is not None,
        history=tuple(facts) if with_history else (),
        next_appointment=next_appointment,
    )


def _municipality_persons(ctx: AccessContext):
    """Persons of the user's municipality whose identity the user may see and who have a
    residence status recorded (a superset: the spine decides each one shown)."""
    with personal_data_scope():
        return persons_visible_to(ctx, PURPOSE).filter(
            Exists(ResidenceStatus.objects.filter(person_id=OuterRef("pk"))),
            municipality_id=ctx.municipality_id,
        )


def _split_name(name: str) -> tuple[str, str]:
    parts = name.replace(",", " ").split()
    if len(parts) <= 1:
        return (parts[0] if parts else "", "")
    return " ".join(parts[:-1]), parts[-1]


_MATCH_FIELDS = ("given_names", "family_name", "given_names_original", "family_name_original",
                 "other_names", "birth_year", "birth_month", "birth_day")


def _name_matches(ctx: AccessContext, name: str) -> list[int]:
    """Ids of persons of the municipality matching `name` in any spelling, best first."""
    given, family = _split_name(name)
    keys = blocking_keys(given, family)
    if not keys:
        return []
    with personal_data_scope():
        shared = (PersonNameKey.objects.filter(person_id=OuterRef("pk"), key__in=keys)
                  .order_by().values("person_id").annotate(n=Count("id")).values("n"))
        rows = list(
            _municipality_persons(ctx)
            .filter(pk__in=PersonNameKey.objects.filter(district_id=ctx.district_id, key__in=keys)
                    .values("person_id"))
            .annotate(shared_keys=Subquery(shared)).order_by("-shared_keys", "pk")
            .values_list("pk", *_MATCH_FIELDS)[:SEARCH_CANDIDATE_LIMIT]
        )
    wanted = Candidate(given, family, None)
    scored = []
    for pk, *values in rows:
        score = match_score(wanted, candidate_of(SimpleNamespace(**dict(zip(_MATCH_FIELDS, values,
                                                                         strict=True)))))
        if score >= SEARCH_THRESHOLD:
            scored.append((-score, pk))
    return [pk for _, pk in sorted(scored)]


def residence_overview_page(ctx: AccessContext, *, name: str = "", page: int | str = 1,
                            per_page: int = PAGE_SIZE) -> ResidenceOverviewPage:
    """A page of persons of the user's municipality with their current residence status,
    sorted by name (or, with `name`, by how well the name matches). Each person shown is
    decided and logged as `residence_overview.list`."""
    if not residence_overview_available(ctx):
        return ResidenceOverviewPage([], 1, 1, 0)
    if name.strip():
        ids: list[int] = _name_matches(ctx, name)
        paginator = Paginator(ids, per_page)
        page_obj = paginator.get_page(page)
        page_ids = list(page_obj.object_list)
    else:
        with personal_data_scope():
            ordered = _municipality_persons(ctx).order_by("family_name", "given_names", "pk")
            paginator = Paginator(ordered.values_list("pk", flat=True), per_page)
            page_obj = paginator.get_page(page)
            page_ids = list(page_obj.object_list)
    records = access_people(ctx, page_ids, PURPOSE, categories=CATEGORIES, action=LIST_ACTION)
    upcoming = next_abh_appointments(records)
    rows = [_overview(ctx, record, with_history=False, next_appointment=upcoming.get(record.person.pk))
            for record in records]
    return ResidenceOverviewPage(rows, page_obj.number, paginator.num_pages, paginator.count)


def residence_overview_person(ctx: AccessContext, person_id: int) -> ResidenceOverview:
    """One person's panel: current status, history, next appointment. Persons outside the
    user's municipality, or not visible, raise `PersonNotFound` (logged as denied by the
    spine when the person exists)."""
    if not residence_overview_available(ctx):
        raise PersonNotFound(person_id)
    with personal_data_scope():
        in_municipality = Person.objects.filter(
            pk=person_id, municipality_id=ctx.municipality_id, district_id=ctx.district_id,
        ).exists()
    if not in_municipality:
        raise PersonNotFound(person_id)
    records = access_people(ctx, [person_id], PURPOSE, categories=CATEGORIES, action=READ_ACTION,
                            object_ref=f"person:{person_id}")
    if not records:
        raise PersonNotFound(person_id)
    upcoming = next_abh_appointments(records)
    return _overview(ctx, records[0], with_history=True, next_appointment=upcoming.get(person_id))
