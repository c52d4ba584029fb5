"""Working a handover: only the responsible office ticks its items off (the paying office for
the foreigners' authority's document), dates are required where an item records one, a
handover completes only with the dates the gap check needs and is cancelled only with a
reason; the next office records the new regime for the household; a third office sees
nothing, and the job centre without consent sees the persons' identity and nothing else."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.checklist import BY_KEY
from lotse.handovers.models import ChecklistItem, Handover, HandoverStatus
from lotse.handovers.selectors import handover_detail, open_handovers
from lotse.handovers.services import (
    HandoverNotFound,
    checklist_item_update,
    handover_cancel,
    handover_complete,
    handover_record_new_regime,
)
from lotse.people.models import BenefitsRegime, PersonAgencyLink
from lotse.people.services import household_assign, residence_status_add
from lotse.rules.models import ResidenceKind

pytestmark = pytest.mark.django_db

D = datetime.date
RECOGNISED_ON = D(2026, 3, 10)  # → old entitlement ends 31.3., SGB II from 1.4., application due 30.4.


def recognised_household(world, *, on: datetime.date = RECOGNISED_ON, partner: bool = True,
                         given_names: str = "Rami", family_name: str = "Saleh",
                         email: str = "rami.saleh@example.org", town: str = "a") -> Handover:
    """A person on AsylbLG (with a partner in the household) recognised as a refugee on `on`:
    the recorded status opens the handover."""
    by = "social_a" if town == "a" else "social_b"
    pid = register_person(world, by=by, town=town, given_names=given_names, family_name=family_name,
                          email=email, phone="0170 1234567")
    add_benefits(world, pid, by=by)
    if partner:
        other = register_person(world, by=by, town=town, given_names="Huda", family_name=family_name)
        household_assign(ctx=world.ctx(by), person_id=other, role="partner", with_person_id=pid)
        add_benefits(world, other, by=by)
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(on).get(code="p25-2-gfk")
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=on)
    with personal_data_scope():
        return Handover.objects.get(person_id=pid)


def item(handover: Handover, key: str) -> ChecklistItem:
    with personal_data_scope():
        return ChecklistItem.objects.get(handover=handover, key=key)


def tick(world, who: str, handover: Handover, key: str, value_date=None, today=None, done=True):
    ctx = world.ctx(who, today=today) if today else world.ctx(who)
    return checklist_item_update(ctx=ctx, item_id=item(handover, key).pk, done=done, value_date=value_date)


def _reload(handover: Handover) -> Handover:
    with personal_data_scope():
        return Handover.objects.get(pk=handover.pk)


def test_only_the_responsible_office_ticks_an_item_off(world):
    handover = recognised_household(world)
    with pytest.raises(ValidationError):
        tick(world, "social_a", handover, "application", D(2026, 4, 20))
    with pytest.raises(ValidationError):
        tick(world, "jobcentre", handover, "consent")
    assert item(handover, "application").done_on is None and item(handover, "consent").done_on is None
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20), today=D(2026, 4, 21))
    tick(world, "social_a", handover, "consent", today=D(2026, 3, 12))
    application = item(handover, "application")
    assert (application.done_on, application.value_date) == (D(2026, 4, 21), D(2026, 4, 20))
    assert application.done_by_id == world.users["jobcentre"].pk
    assert item(handover, "consent").done_on == D(2026, 3, 12)


def test_the_paying_office_records_the_residence_document_for_the_foreigners_authority(world):
    handover = recognised_household(world)
    assert item(handover, "residence_document").owner_agency == world.agencies["abh"]
    with pytest.raises(ValidationError):
        tick(world, "jobcentre", handover, "residence_document")
    tick(world, "social_a", handover, "residence_document")
    assert item(handover, "residence_document").done_on is not None


def test_an_item_that_records_a_date_needs_a_plausible_one(world):
    handover = recognised_household(world)
    with pytest.raises(ValidationError) as missing:
        tick(world, "jobcentre", handover, "application")
    assert "value_date" in missing.value.message_dict
    with pytest.raises(ValidationError):
        tick(world, "jobcentre", handover, "application", D(2030, 1, 1), today=D(2026, 4, 20))
    with pytest.raises(ValidationError):
        tick(world, "jobcentre", handover, "application", D(1900, 1, 1), today=D(2026, 4, 20))
    assert item(handover, "application").done_on is None
    # Reopening clears the date again.
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20), today=D(2026, 4, 20))
    tick(world, "jobcentre", handover, "application", done=False, today=D(2026, 4, 22))
    assert (item(handover, "application").done_on, item(handover, "application").value_date) == (None, None)


def test_a_handover_completes_only_with_the_dates_the_gap_check_needs(world):
    handover = recognised_household(world)
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20), today=D(2026, 4, 20))
    with pytest.raises(ValidationError) as refused:
        handover_complete(ctx=world.ctx("jobcentre"), handover_id=handover.pk)
    text = " ".join(refused.value.messages)
    assert str(BY_KEY["confirmation"].label) in text and str(BY_KEY["last_payment"].label) in text
    assert str(BY_KEY["application"].label) not in text
    assert _reload(handover).status == HandoverStatus.OPEN
    tick(world, "jobcentre", handover, "confirmation", D(2026, 4, 24), today=D(2026, 4, 24))
    tick(world, "jobcentre", handover, "first_payment", D(2026, 5, 2), today=D(2026, 5, 4))
    tick(world, "social_a", handover, "last_payment", D(2026, 3, 31), today=D(2026, 4, 2))
    handover_complete(ctx=world.ctx("social_a"), handover_id=handover.pk)
    closed = _reload(handover)
    assert closed.status == HandoverStatus.COMPLETED and closed.closed_at is not None
    # Closed: nothing changes any more, and it leaves the list of open handovers. The job centre
    # saw the person only through the rule for open handovers: that basis has ended.
    with pytest.raises(ValidationError):
        tick(world, "social_a", handover, "consent")
    with pytest.raises(HandoverNotFound):
        tick(world, "jobcentre", handover, "doc_bank")
    with pytest.raises(ValidationError):
        handover_cancel(ctx=world.ctx("social_a"), handover_id=handover.pk, reason="Doppelt")
    assert open_handovers(world.ctx("jobcentre")).total == 0
    assert AccessEvent.objects.filter(action="handover.completed", object_ref=f"handover:{handover.pk}",
                                      actor_id=world.users["social_a"].pk).count() == 2  # both members


def test_cancelling_needs_a_reason_and_ends_the_other_offices_view(world):
    handover = recognised_household(world)
    for reason in ("", "   ", "x" * 301):
        with pytest.raises(ValidationError):
            handover_cancel(ctx=world.ctx("social_a"), handover_id=handover.pk, reason=reason)
    assert _reload(handover).status == HandoverStatus.OPEN
    handover_cancel(ctx=world.ctx("social_a"), handover_id=handover.pk,
                    reason="Anerkennung vom BAMF zurückgenommen")
    detail = handover_detail(world.ctx("social_a"), handover.pk)
    assert detail.handover.status == HandoverStatus.CANCELLED
    assert detail.handover.close_reason == "Anerkennung vom BAMF zurückgenommen"
    assert not any(row.may_tick for row in detail.items)
    # The job centre knew the person only through the rule for open handovers.
    with pytest.raises(HandoverNotFound):
        handover_detail(world.ctx("jobcentre"), handover.pk)


def test_a_third_office_and_users_without_the_permission_see_nothing(world):
    handover = recognised_household(world)
    for who in ("social_b", "caritas", "abh", "coordinator"):
        with pytest.raises(HandoverNotFound):
            handover_detail(world.ctx(who), handover.pk)
        assert open_handovers(world.ctx(who)).total == 0
    for who in ("social_b", "caritas"):
        with pytest.raises(HandoverNotFound):
            tick(world, who, handover, "consent")
        with pytest.raises(HandoverNotFound):
            handover_cancel(ctx=world.ctx(who), handover_id=handover.pk, reason="weg")
    with pytest.raises(HandoverNotFound):
        handover_detail(world.ctx("jobcentre"), 999_999)
    # A user of the office whose role lacks the permission is refused, and the refusal logged.
    jobcentre = world.ctx("jobcentre")
    without = world.ctx("jobcentre", permissions=jobcentre.permissions - {"handover:work"})
    with pytest.raises(AccessDenied):
        handover_cancel(ctx=without, handover_id=handover.pk, reason="weg")
    assert AccessEvent.objects.filter(action="handover.cancel.refused", decision="denied").exists()
    assert _reload(handover).status == HandoverStatus.OPEN


def test_the_job_centre_without_consent_sees_identity_through_the_rule_and_nothing_else(world):
    handover = recognised_household(world)
    detail = handover_detail(world.ctx("jobcentre"), handover.pk)
    person = detail.record.person
    assert (person.given_names, person.family_name) == ("Rami", "Saleh")
    assert person.email == "" and person.phone == ""  # contact data stays with the social office
    assert detail.record.residence_statuses == [] and detail.record.benefits_regimes == []
    assert detail.record.visible_categories == ["identity"]
    assert not detail.record.shows("contact")
    assert world.agencies["social_a"].name in detail.contact_hidden_because  # the page says why
    assert detail.record.decisions["identity"].allowed[world.agencies["social_a"].pk].kind == "rule"
    assert [m.name for m in detail.members] == ["Huda Saleh"]
    event = AccessEvent.objects.filter(action="handover.read", person_id=handover.person_id,
                                       actor_id=world.users["jobcentre"].pk, decision="allowed").get()
    assert event.categories == "identity" and "rule" in event.basis
    # The social office, which holds the file, sees its own data.
    own = handover_detail(world.ctx("social_a"), handover.pk)
    assert own.record.person.email == "rami.saleh@example.org" and own.contact_hidden_because == ""
    assert own.is_paying_office and not own.is_next_office


def test_the_next_office_records_the_new_regime_for_the_household_once_the_application_is_filed(world):
    handover = recognised_household(world)
    jobcentre = world.ctx("jobcentre", today=D(2026, 4, 20))
    with pytest.raises(ValidationError):
        handover_record_new_regime(ctx=jobcentre, handover_id=handover.pk)  # no application yet
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20), today=D(2026, 4, 20))
    with pytest.raises(ValidationError):
        handover_record_new_regime(ctx=world.ctx("social_a"), handover_id=handover.pk)
    assert not handover_detail(jobcentre, handover.pk).regime_recorded
    assert handover_detail(jobcentre, handover.pk).may_record_regime
    entries = handover_record_new_regime(ctx=jobcentre, handover_id=handover.pk)
    with personal_data_scope():
        members = set(handover.members.values_list("person_id", flat=True))
        sgb2 = list(BenefitsRegime.objects.filter(regime="sgb2"))
        asylblg = list(BenefitsRegime.objects.filter(regime="asylblg"))
        files = set(PersonAgencyLink.objects.filter(agency=world.agencies["jobcentre"])
                    .values_list("person_id", flat=True))
    assert len(entries) == 2
    assert {r.person_id for r in sgb2} == members
    assert {(r.valid_from, r.responsible_agency_id) for r in sgb2} == {(D(2026, 4, 1), world.agencies["jobcentre"].pk)}
    assert all(r.valid_to is None for r in asylblg)  # the previous office's entry stays as it is
    assert files == members
    assert AccessEvent.objects.filter(action="person.file_opened", agency_id=world.agencies["jobcentre"].pk,
                                      basis=f"handover:{handover.pk}:application").count() == 2
    detail = handover_detail(jobcentre, handover.pk)
    assert detail.regime_recorded and not detail.may_record_regime
    with pytest.raises(ValidationError):
        handover_record_new_regime(ctx=jobcentre, handover_id=handover.pk)
    with personal_data_scope():
        assert BenefitsRegime.objects.filter(regime="sgb2").count() == 2


def test_without_the_identity_rule_the_job_centre_lists_the_handover_but_sees_no_person(world):
    from lotse.rules.models import AccessRule

    handover = recognised_household(world)
    AccessRule.objects.filter(key="handover-identity-social_office-to-job_centre").update(
        valid_to=datetime.date.today() - datetime.timedelta(days=1))
    [row] = open_handovers(world.ctx("jobcentre")).rows
    assert row.handover.pk == handover.pk and row.record is None and row.hidden_members == 1
    with pytest.raises(HandoverNotFound):
        handover_detail(world.ctx("jobcentre"), handover.pk)
    assert AccessEvent.objects.filter(action="handover.list.read", person_id=handover.person_id,
                                      decision="denied", actor_id=world.users["jobcentre"].pk).exists()


def test_in_the_reverse_direction_the_social_office_records_the_asylblg(world):
    pid = register_person(world, given_names="Taras", family_name="Melnyk")
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["jobcentre"])
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    add_benefits(world, pid, by="jobcentre", regime="sgb2")
    kind = ResidenceKind.objects.in_force(D(2025, 5, 20)).get(code="p24")
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="eat",
                         valid_from=D(2025, 5, 20), valid_to=D(2027, 3, 4))
    with personal_data_scope():
        back = Handover.objects.get(person_id=pid, from_regime="sgb2")
    assert (back.from_agency, back.to_agency) == (world.agencies["jobcentre"], world.agencies["social_a"])
    tick(world, "social_a", back, "application", D(2026, 7, 3), today=D(2026, 7, 3))
    with pytest.raises(ValidationError):
        handover_record_new_regime(ctx=world.ctx("jobcentre", today=D(2026, 7, 3)), handover_id=back.pk)
    [entry] = handover_record_new_regime(ctx=world.ctx("social_a", today=D(2026, 7, 3)), handover_id=back.pk)
    assert (entry.regime, entry.valid_from, entry.responsible_agency) == (
        "asylblg", D(2026, 7, 1), world.agencies["social_a"])
    # The consent to pass the data on is now the job centre's item.
    assert item(back, "consent").owner_agency == world.agencies["jobcentre"]
