"""A recorded residence status opens a handover when — and only when — the dated rule data
says a change of benefits regime follows; dates come from the rules; the household moves
together; nothing is opened twice; the reverse direction swaps the offices."""

import datetime

import pytest

from lotse.core.calendar import add_working_days
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.checklist import CHECKLIST
from lotse.handovers.models import Handover, HandoverMember
from lotse.people.models import PersonAgencyLink
from lotse.people.services import benefits_regime_add, household_assign, residence_status_add
from lotse.rules.models import DeadlineRule, ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date


def _status(world, pid, code, valid_from, valid_to=None):
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(valid_from).get(code=code)
    return residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk,
                                document="eat", valid_from=valid_from, valid_to=valid_to)


def _handovers():
    with personal_data_scope():
        return list(Handover.objects.select_related("from_agency", "to_agency").order_by("id"))


def test_recognition_opens_one_handover_for_the_household_with_dates_from_the_rules(world):
    pid = register_person(world, given_names="Rami", family_name="Saleh")
    partner = register_person(world, given_names="Huda", family_name="Saleh")
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=pid)
    add_benefits(world, pid)
    add_benefits(world, partner)
    _status(world, pid, "p25-2-gfk", D(2026, 3, 10))
    [handover] = _handovers()
    assert (handover.from_regime, handover.to_regime) == ("asylblg", "sgb2")
    assert handover.old_regime_ends_on == D(2026, 3, 31)
    assert handover.new_regime_starts_on == D(2026, 4, 1)
    assert handover.application_due_on == D(2026, 4, 30)  # § 37 Abs. 2 SGB II: within the first month
    assert (handover.from_agency, handover.to_agency) == (world.agencies["social_a"], world.agencies["jobcentre"])
    with personal_data_scope():
        members = set(HandoverMember.objects.filter(handover=handover).values_list("person_id", flat=True))
        items = {i.key: i for i in handover.items.all()}
    assert members == {pid, partner}
    assert set(items) == {spec.key for spec in CHECKLIST}
    assert items["application"].due_on == D(2026, 4, 30)
    assert items["application"].owner_agency == world.agencies["jobcentre"]
    assert items["consent"].owner_agency == world.agencies["social_a"]
    assert items["residence_document"].owner_agency == world.agencies["abh"]
    assert items["consent"].due_on == add_working_days(D(2026, 3, 10), 5)
    # The partner's own recognition adds nothing: she moves with the household's handover.
    _status(world, partner, "p25-2-gfk", D(2026, 3, 12))
    assert len(_handovers()) == 1


def test_a_status_that_leads_to_no_change_opens_nothing(world):
    pid = register_person(world)
    add_benefits(world, pid)
    _status(world, pid, "duldung", D(2026, 3, 10))
    _status(world, pid, "gestattung", D(2026, 3, 11))
    assert _handovers() == []


def test_recognition_without_asylblg_benefits_opens_nothing(world):
    pid = register_person(world)
    _status(world, pid, "p25-2-sub", D(2026, 3, 10))
    assert _handovers() == []


def test_ukrainians_with_section_24_change_on_2022_06_01(world):
    early = register_person(world, given_names="Olena", family_name="Shevchenko")
    late = register_person(world, given_names="Iryna", family_name="Bondarenko")
    for pid in (early, late):
        benefits_regime_add(ctx=world.ctx("social_a"), person_id=pid, regime="asylblg",
                            valid_from=D(2022, 3, 1))
    _status(world, early, "p24", D(2022, 3, 15), D(2024, 3, 4))
    _status(world, late, "p24", D(2022, 8, 10), D(2024, 3, 4))
    by_person = {h.person_id: h for h in _handovers()}
    assert by_person[early].new_regime_starts_on == D(2022, 6, 1)
    assert by_person[early].old_regime_ends_on == D(2022, 5, 31)
    assert by_person[late].new_regime_starts_on == D(2022, 9, 1)


def test_the_planned_return_to_the_asylblg_swaps_the_offices(world):
    newer = register_person(world, given_names="Taras", family_name="Melnyk")
    older = register_person(world, given_names="Oksana", family_name="Melnyk")
    for pid in (newer, older):
        with personal_data_scope():
            PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["jobcentre"])
        add_benefits(world, pid, by="jobcentre", regime="sgb2")
    _status(world, older, "p24", D(2024, 1, 10), D(2025, 3, 4))
    _status(world, newer, "p24", D(2025, 5, 20), D(2027, 3, 4))
    handovers = [h for h in _handovers() if h.from_regime == "sgb2"]
    assert [h.person_id for h in handovers] == [newer]
    [back] = handovers
    assert (back.from_agency, back.to_regime) == (world.agencies["jobcentre"], "asylblg")
    assert back.to_agency.kind == "social_office"
    assert back.new_regime_starts_on == D(2026, 7, 1)


def test_deadlines_are_data_a_changed_period_changes_the_due_date(world):
    DeadlineRule.objects.filter(key="handover-application").update(amount=1)
    pid = register_person(world)
    add_benefits(world, pid)
    _status(world, pid, "p25-1", D(2026, 3, 10))
    assert _handovers()[0].application_due_on == D(2026, 5, 31)


def test_working_days_skip_weekends_and_nrw_holidays():
    assert add_working_days(D(2026, 12, 23), 2) == D(2026, 12, 28)  # 24 Thu, 25/26 holidays, 27 Sun
    assert add_working_days(D(2026, 6, 5), -1) == D(2026, 6, 3)  # Corpus Christi 4 June (NRW)


def test_the_next_office_learns_identity_only_while_a_handover_is_open(world):
    from lotse.access.spine import PersonNotFound, access_person
    from lotse.core.vocabulary import DataCategory as C
    from lotse.core.vocabulary import Purpose as P

    pid = register_person(world, given_names="Rami", family_name="Saleh", email="rami@example.org")
    add_benefits(world, pid)
    jobcentre = world.ctx("jobcentre")
    with pytest.raises(PersonNotFound):  # the rule does not open every client of the social office
        access_person(jobcentre, pid, P.BENEFITS_HANDOVER)
    _status(world, pid, "p25-2-gfk", D(2026, 3, 10))
    record = access_person(jobcentre, pid, P.BENEFITS_HANDOVER)
    assert record.person.family_name == "Saleh"
    assert record.person.email == ""  # contact needs the person's consent
    assert record.decisions[C.IDENTITY].allowed[world.agencies["social_a"].pk].kind == "rule"
    with pytest.raises(PersonNotFound):  # only for the handover's purpose
        access_person(jobcentre, pid, P.BENEFITS_ADMINISTRATION)
    with personal_data_scope():
        Handover.objects.filter(person_id=pid).update(status="cancelled")
    with pytest.raises(PersonNotFound):
        access_person(jobcentre, pid, P.BENEFITS_HANDOVER)


def test_a_member_with_a_handover_of_their_own_is_not_added_to_another(world):
    head = register_person(world, given_names="Ali", family_name="Nasser")
    partner = register_person(world, given_names="Mona", family_name="Nasser")
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=head)
    add_benefits(world, head)
    add_benefits(world, partner)
    _status(world, partner, "p25-2-sub", D(2026, 3, 2))  # the partner first
    _status(world, head, "p25-2-gfk", D(2026, 3, 10))
    with personal_data_scope():
        memberships = list(HandoverMember.objects.values_list("person_id", flat=True))
    assert sorted(memberships) == sorted([head, partner])  # each person in exactly one handover


def test_an_old_status_without_deadline_rules_is_still_saved_and_opens_nothing(world):
    pid = register_person(world)
    benefits_regime_add(ctx=world.ctx("social_a"), person_id=pid, regime="asylblg", valid_from=D(2007, 1, 1))
    status = _status(world, pid, "p25-2-gfk", D(2008, 3, 10))  # deadline rules start in 2011
    assert status.pk is not None
    assert _handovers() == []


def test_household_members_in_another_regime_do_not_move(world):
    head = register_person(world, given_names="Ali", family_name="Haidari")
    son = register_person(world, given_names="Omid", family_name="Haidari")
    household_assign(ctx=world.ctx("social_a"), person_id=son, role="child", with_person_id=head)
    add_benefits(world, head)
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=son, agency=world.agencies["jobcentre"])
    add_benefits(world, son, by="jobcentre", regime="sgb2")  # the son is in SGB II already
    _status(world, head, "p25-2-gfk", D(2026, 3, 10))
    with personal_data_scope():
        assert list(HandoverMember.objects.values_list("person_id", flat=True)) == [head]


def test_an_invisible_handover_logs_no_allowed_read_of_the_household(world):
    from lotse.audit.models import AccessEvent
    from lotse.handovers.selectors import handover_detail
    from lotse.handovers.services import HandoverNotFound

    head = register_person(world, given_names="Karim", family_name="Aziz")
    partner = register_person(world, given_names="Lea", family_name="Aziz")
    household_assign(ctx=world.ctx("social_a"), person_id=partner, role="partner", with_person_id=head)
    add_benefits(world, head)
    _status(world, head, "p25-2-gfk", D(2026, 3, 10))
    with personal_data_scope():
        handover = Handover.objects.get()
        Handover.objects.filter(pk=handover.pk).update(status="cancelled")
    before = AccessEvent.objects.count()
    with pytest.raises(HandoverNotFound):
        handover_detail(world.ctx("jobcentre"), handover.pk)
    assert [e.decision for e in AccessEvent.objects.order_by("seq")[before:]] == ["denied"]
