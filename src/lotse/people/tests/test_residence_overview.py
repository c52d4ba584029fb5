"""The social offices' read-only view of the foreigners' authority's residence data: only
persons of the office's municipality, only what the legal-basis rule allows, only the
allow-listed fields, every person shown logged; other offices get nothing."""

import dataclasses
import datetime

import pytest

from lotse.access.spine import PersonNotFound
from lotse.audit.models import AccessEvent
from lotse.core.testing import register_person
from lotse.people.models import ResidenceStatus
from lotse.people.residence_overview import (
    RESIDENCE_FIELDS,
    ResidenceFacts,
    residence_overview_available,
    residence_overview_page,
    residence_overview_person,
)
from lotse.people.services import residence_status_add
from lotse.rules.models import AccessRule, ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()


GRANTED_ON = D(2024, 3, 1)
EXPIRES_ON = TODAY + datetime.timedelta(days=400)


def abh_person(world, given, family, town, code="p25-2-gfk", valid_from=GRANTED_ON,
               valid_to=EXPIRES_ON, pending=None):
    """A person registered by the ABH with a residence status recorded by it."""
    pid = register_person(world, by="abh", town=town, given_names=given, family_name=family,
                          birth_year=1985)
    kind = ResidenceKind.objects.in_force(valid_from).get(code=code)
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="fiktion",
                         valid_from=valid_from, valid_to=valid_to, application_pending_since=pending)
    return pid


def last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def people(world):
    return {
        "omar": abh_person(world, "Mohammed", "Al-Hassan", "a", pending=D(2026, 1, 15)),
        "leyla": abh_person(world, "Leyla", "Yilmaz", "b"),
        # A client of social office A without any residence status: not in the ABH view.
        "amina": register_person(world, by="social_a", given_names="Amina", family_name="Haddad"),
    }


def test_only_persons_of_the_own_municipality_with_the_allowed_fields(world, people):
    page = residence_overview_page(world.ctx("social_a"))
    assert [row.person_id for row in page.rows] == [people["omar"]]
    [row] = page.rows
    assert (row.given_names, row.family_name, row.visible, row.is_current) == (
        "Mohammed", "Al-Hassan", True, True)
    assert (row.current.kind_code, row.current.legal_basis, row.current.document) == (
        "p25-2-gfk", "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG", "fiktion")
    assert row.current.valid_to == TODAY + datetime.timedelta(days=400)
    assert row.current.application_pending_since == D(2026, 1, 15)
    assert row.next_appointment is None
    assert "§ 90 Abs. 3 AufenthG" in row.explanation  # the legal-basis rule
    other = residence_overview_page(world.ctx("social_b"))
    assert [r.person_id for r in other.rows] == [people["leyla"]]


def test_the_view_copies_an_allow_list_of_fields_and_nothing_else(world, people, monkeypatch):
    assert tuple(f.name for f in dataclasses.fields(ResidenceFacts)) == RESIDENCE_FIELDS
    # A field the foreigners' authority might add later (an internal note) stays out.
    monkeypatch.setattr(ResidenceStatus, "internal_note", "CANARY-ABH-NOTE", raising=False)
    panel = residence_overview_person(world.ctx("social_a"), people["omar"])
    for facts in (panel.current, *panel.history):
        assert "CANARY-ABH-NOTE" not in repr(facts)
        assert not hasattr(facts, "internal_note")


def test_each_person_shown_is_logged_with_purpose_and_categories(world, people):
    seq = last_seq()
    residence_overview_page(world.ctx("social_a"))
    residence_overview_person(world.ctx("social_a"), people["omar"])
    events = list(AccessEvent.objects.filter(seq__gt=seq))
    assert [(e.action, e.person_id, e.decision) for e in events] == [
        ("residence_overview.list", people["omar"], "allowed"),
        ("residence_overview.read", people["omar"], "allowed"),
    ]
    assert all(e.purpose == "benefits_administration" and e.categories == "identity,residence"
               and e.agency_id == world.agencies["social_a"].pk for e in events)


def test_a_person_of_another_municipality_is_not_found(world, people):
    with pytest.raises(PersonNotFound):
        residence_overview_person(world.ctx("social_a"), people["leyla"])
    with pytest.raises(PersonNotFound):
        residence_overview_person(world.ctx("social_a"), 10**9)


@pytest.mark.parametrize("user", ["jobcentre", "abh", "caritas", "coordinator", "dpo"])
def test_offices_that_are_not_social_offices_of_a_municipality_get_nothing(world, people, user):
    ctx = world.ctx(user)
    assert residence_overview_available(ctx) is False
    assert residence_overview_page(ctx).rows == []
    with pytest.raises(PersonNotFound):
        residence_overview_person(ctx, people["omar"])


def test_without_the_legal_basis_rule_nothing_is_shown(world, people):
    AccessRule.objects.filter(key="abh-to-social-office-residence").update(
        valid_to=TODAY - datetime.timedelta(days=1))
    assert residence_overview_page(world.ctx("social_a")).rows == []
    with pytest.raises(PersonNotFound):
        residence_overview_person(world.ctx("social_a"), people["omar"])


def test_search_finds_other_spellings_within_the_municipality_only(world, people):
    ctx = world.ctx("social_a")
    assert [r.person_id for r in residence_overview_page(ctx, name="Muhammad Alhasan").rows] == [
        people["omar"]]
    assert residence_overview_page(ctx, name="Leyla Yilmaz").rows == []
    assert residence_overview_page(ctx, name="Amina Haddad").rows == []  # no residence status


def test_pages_and_an_expired_status(world, people):
    for given in ("Anna", "Berta", "Clara"):
        abh_person(world, given, "Zeller", "a", valid_from=D(2022, 1, 1), valid_to=D(2023, 1, 1))
    ctx = world.ctx("social_a")
    first = residence_overview_page(ctx, per_page=2)
    second = residence_overview_page(ctx, page=2, per_page=2)
    assert (first.total, first.num_pages, first.has_next, second.has_previous) == (4, 2, True, True)
    names = [r.name for r in first.rows + second.rows]
    assert names == ["Mohammed Al-Hassan", "Anna Zeller", "Berta Zeller", "Clara Zeller"]
    expired = second.rows[-1]
    assert expired.current.valid_to == D(2023, 1, 1) and expired.is_current is False


def test_the_panel_shows_the_history_newest_first(world, people):
    kind = ResidenceKind.objects.get(code="gestattung")
    residence_status_add(ctx=world.ctx("abh"), person_id=people["omar"], kind_id=kind.pk,
                         document="paper", valid_from=D(2021, 5, 1), valid_to=D(2024, 2, 29))
    panel = residence_overview_person(world.ctx("social_a"), people["omar"])
    assert [f.kind_code for f in panel.history] == ["p25-2-gfk", "gestattung"]
    assert panel.current.kind_code == "p25-2-gfk"
