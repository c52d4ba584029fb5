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


# --- the reverse direction's transition: existing SGB II grants continue, at most until a date --

def _reverse_rule():
    from lotse.rules.models import RegimeChangeRule

    return RegimeChangeRule.objects.get(key="ukraine-2026-to-asylblg")


def test_existing_grants_continue_to_their_end_but_at_most_to_the_rules_date(world):
    """Leistungsrechtsanpassungsgesetz (planned, UNVERIFIED): SGB II grants running on
    2026-07-01 continue until the end of their approval period, at most until 2026-09-30;
    the AsylbLG starts the day after. Never before the computed change (2026-07-01)."""
    from lotse.handovers.timing import change_dates

    rule = _reverse_rule()
    assert rule.old_regime_continues_until == D(2026, 9, 30)
    status_from = D(2025, 5, 20)

    def dates(grant_end):
        d = change_dates(rule, status_from=status_from, old_grant_ends_on=grant_end)
        return d.old_regime_ends_on, d.new_regime_starts_on

    # no recorded end of the grant: planned with the earliest change, so nobody prepares too late
    assert dates(None) == (D(2026, 6, 30), D(2026, 7, 1))
    # the approval period ends within the protected months: the grant runs out, then AsylbLG
    assert dates(D(2026, 8, 31)) == (D(2026, 8, 31), D(2026, 9, 1))
    # a longer grant is cut at the rule's date
    assert dates(D(2026, 12, 31)) == (D(2026, 9, 30), D(2026, 10, 1))
    # a grant that ended before the law takes effect does not move the change earlier
    assert dates(D(2026, 5, 31)) == (D(2026, 6, 30), D(2026, 7, 1))
    # the application deadline follows the new start (§ 37 SGB II rule: end of its month)
    assert change_dates(rule, status_from=status_from,
                        old_grant_ends_on=D(2026, 8, 31)).application_due_on == D(2026, 9, 30)
    # a status whose computed change lies after the date: the computed end stands
    late = change_dates(rule, status_from=D(2026, 11, 5), old_grant_ends_on=D(2027, 3, 31))
    assert (late.old_regime_ends_on, late.new_regime_starts_on) == (D(2026, 11, 30), D(2026, 12, 1))


def test_rules_without_a_transitional_protection_ignore_the_grants_end(world):
    from lotse.handovers.timing import change_dates
    from lotse.rules.models import RegimeChangeRule

    rule = RegimeChangeRule.objects.get(key="recognition-to-sgb2")
    assert rule.old_regime_continues_until is None
    d = change_dates(rule, status_from=D(2026, 3, 10), old_grant_ends_on=D(2026, 12, 31))
    assert (d.old_regime_ends_on, d.new_regime_starts_on) == (D(2026, 3, 31), D(2026, 4, 1))


def _sgb2_person(world, name, grant_end):
    pid = register_person(world, given_names=name, family_name="Kovalenko")
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["jobcentre"])
    benefits_regime_add(ctx=world.ctx("jobcentre"), person_id=pid, regime="sgb2",
                        valid_from=D(2025, 6, 1), valid_to=grant_end)
    return pid


def test_the_handover_of_the_reverse_rule_uses_the_recorded_end_of_the_grant(world):
    short = _sgb2_person(world, "Andrii", D(2026, 8, 31))
    long = _sgb2_person(world, "Mariia", D(2027, 5, 31))
    open_ended = _sgb2_person(world, "Petro", None)
    for pid in (short, long, open_ended):
        _status(world, pid, "p24", D(2025, 5, 20), D(2027, 3, 4))
    by_person = {h.person_id: h for h in _handovers() if h.from_regime == "sgb2"}
    assert {pid: (h.old_regime_ends_on, h.new_regime_starts_on) for pid, h in by_person.items()} == {
        short: (D(2026, 8, 31), D(2026, 9, 1)),
        long: (D(2026, 9, 30), D(2026, 10, 1)),
        open_ended: (D(2026, 6, 30), D(2026, 7, 1)),
    }
    with personal_data_scope():
        items = {i.key: i for i in by_person[long].items.all()}
    assert by_person[long].application_due_on == items["application"].due_on == D(2026, 10, 31)


def test_the_cap_is_data_an_administrator_correction_moves_the_dates(world):
    """The law is unsettled (30.9. or 31.10.2026?): correcting the rule changes later handovers."""
    from lotse.rules.models import RegimeChangeRule

    RegimeChangeRule.objects.filter(key="ukraine-2026-to-asylblg").update(
        old_regime_continues_until=D(2026, 10, 31))
    pid = _sgb2_person(world, "Sofiia", D(2027, 5, 31))
    _status(world, pid, "p24", D(2025, 5, 20), D(2027, 3, 4))
    [back] = [h for h in _handovers() if h.from_regime == "sgb2"]
    assert (back.old_regime_ends_on, back.new_regime_starts_on) == (D(2026, 10, 31), D(2026, 11, 1))
    RegimeChangeRule.objects.filter(key="ukraine-2026-to-asylblg").update(old_regime_continues_until=None)
    other = _sgb2_person(world, "Bohdan", D(2027, 5, 31))
    _status(world, other, "p24", D(2025, 6, 2), D(2027, 3, 4))
    later = [h for h in _handovers() if h.person_id == other]
    assert (later[0].old_regime_ends_on, later[0].new_regime_starts_on) == (D(2026, 6, 30), D(2026, 7, 1))


def test_the_bulk_preview_and_run_agree_with_the_trigger_on_the_capped_dates(world):
    from lotse.handovers.bulk import bulk_preview, bulk_run_start
    from lotse.rules.models import RecordResponsibility

    # The status first, the benefits after (as in an import): the trigger opens nothing then.
    pid = register_person(world, given_names="Yurii", family_name="Kovalenko")
    _status(world, pid, "p24", D(2025, 5, 20), D(2027, 3, 4))
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["jobcentre"])
    benefits_regime_add(ctx=world.ctx("jobcentre"), person_id=pid, regime="sgb2",
                        valid_from=D(2025, 6, 1), valid_to=D(2026, 12, 31))
    assert _handovers() == []
    # No social office responsible for the AsylbLG from 2026-10-01 on: the preview must look at
    # the capped start (2026-10-01), not at the computed one (2026-07-01).
    RecordResponsibility.objects.filter(subject="asylblg").update(valid_to=D(2026, 9, 30))
    ctx = world.ctx("coordinator")
    preview = bulk_preview(ctx, "ukraine-2026-to-asylblg", D(2026, 7, 1))
    assert preview.skipped == {"no_office_for_next_regime": 1}
    RecordResponsibility.objects.filter(subject="asylblg").update(valid_to=None)
    preview = bulk_preview(ctx, "ukraine-2026-to-asylblg", D(2026, 7, 1))
    assert (preview.would_open, preview.skipped) == (1, {})
    run = bulk_run_start(ctx, "ukraine-2026-to-asylblg", D(2026, 7, 1))
    with personal_data_scope():
        [back] = Handover.objects.filter(bulk_run=run)
    assert (back.old_regime_ends_on, back.new_regime_starts_on) == (D(2026, 9, 30), D(2026, 10, 1))
