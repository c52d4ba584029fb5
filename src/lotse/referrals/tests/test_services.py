"""Referrals through the spine: sent only when a rule or a consent opens every named category
to the recipient; the recipient reads the person through that consent; a revoked consent hides
the person but never the referral; answers follow the allowed transitions and only the right
agency gives them; overdue follows the dated rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.cases.models import Case, Phase
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_residence, open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.offers.models import Offer
from lotse.people.models import PersonAgencyLink
from lotse.referrals.models import Referral, ReferralStatus
from lotse.referrals.selectors import (
    inbox,
    outbox,
    overdue,
    overdue_counts,
    referral_detail,
    referrals_for_case,
)
from lotse.referrals.services import (
    ReferralNotFound,
    default_purpose,
    held_categories,
    referral_accept,
    referral_check_consent,
    referral_decline,
    referral_done,
    referral_preview,
    referral_send,
    referral_withdraw,
)
from lotse.rules.models import DeadlineRule

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _label(category) -> str:
    return str(C(category).label)


def _consent(world, pid, categories, *, to="jobcentre", purpose=P.BENEFITS_ADMINISTRATION):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=categories, purpose=purpose,
        to_agency_id=world.agencies[to].pk, from_agency_id=world.agencies["caritas"].pk,
        given_on=TODAY, valid_until=None, method="signed_form", informed_language="ar",
    )


def _send(world, case, categories=(C.IDENTITY, C.CONTACT), **kwargs):
    values = {"ctx": world.ctx("caritas"), "person_id": case.person_id,
              "to_agency_id": world.agencies["jobcentre"].pk, "case_id": case.pk, "purpose": None,
              "categories": list(categories), "message": "Sucht Arbeit als Elektriker, B1 vorhanden."}
    values.update(kwargs)
    return referral_send(**values)


@pytest.fixture
def case(world):
    pid = register_person(world, by="social_a", given_names="Amina", family_name="Haddad",
                          email="amina@example.org")
    return open_case(world, pid)


def _count() -> int:
    with personal_data_scope():
        return Referral.objects.count()


# --- sending and consent ---------------------------------------------------------------------

def test_without_consent_the_referral_is_refused_naming_the_missing_categories(world, case):
    with pytest.raises(ValidationError) as exc:
        _send(world, case)
    text = " ".join(exc.value.messages)
    assert _label(C.IDENTITY) in text and _label(C.CONTACT) in text
    assert _count() == 0
    with personal_data_scope():
        assert Case.objects.get(pk=case.pk).phase == Phase.INTAKE


def test_a_consent_for_part_of_the_categories_names_only_the_rest(world, case):
    _consent(world, case.person_id, [C.IDENTITY])
    assert referral_check_consent(world.ctx("caritas"), case.person_id, world.agencies["jobcentre"].pk,
                                  [C.CONTACT], P.BENEFITS_ADMINISTRATION) == [C.CONTACT]
    with pytest.raises(ValidationError) as exc:
        _send(world, case)
    text = " ".join(exc.value.messages)
    assert _label(C.CONTACT) in text and _label(C.IDENTITY) not in text
    assert _count() == 0


def test_with_consent_the_referral_is_sent_logged_and_moves_the_case_to_linking(world, case):
    _consent(world, case.person_id, [C.IDENTITY, C.CONTACT])
    assert referral_check_consent(world.ctx("caritas"), case.person_id, world.agencies["jobcentre"].pk,
                                  [C.CONTACT], P.BENEFITS_ADMINISTRATION) == []
    referral = _send(world, case, categories=[C.CONTACT])  # identity is always added
    assert referral.status == ReferralStatus.SENT
    assert referral.categories == [C.IDENTITY, C.CONTACT]
    assert referral.purpose == P.BENEFITS_ADMINISTRATION  # what the job centre's staff work for
    with personal_data_scope():
        assert Case.objects.get(pk=case.pk).phase == Phase.LINKING
    event = AccessEvent.objects.filter(action="referral.sent").get()
    assert event.object_ref == f"referral:{referral.pk}" and "identity=consent:" in event.basis
    assert [row.referral.pk for row in referrals_for_case(_case_access(world, case))] == [referral.pk]


def _case_access(world, case):
    from lotse.cases.selectors import case_access

    return case_access(world.ctx("caritas"), case.pk)


def test_a_later_phase_is_not_moved_back(world, case):
    from lotse.cases.services import case_set_phase

    case_set_phase(ctx=world.ctx("caritas"), case_id=case.pk, phase=Phase.MONITORING)
    _consent(world, case.person_id, [C.IDENTITY])
    _send(world, case, categories=[C.IDENTITY])
    with personal_data_scope():
        assert Case.objects.get(pk=case.pk).phase == Phase.MONITORING


def test_a_consent_for_another_purpose_or_recipient_does_not_count(world, case):
    _consent(world, case.person_id, [C.IDENTITY, C.CONTACT], purpose=P.CASE_MANAGEMENT)
    _consent(world, case.person_id, [C.IDENTITY, C.CONTACT], to="social_a")
    with pytest.raises(ValidationError):
        _send(world, case)
    assert _count() == 0


def test_health_data_is_never_covered_not_even_by_a_consent_naming_it(world, case):
    _consent(world, case.person_id, [C.IDENTITY, C.HEALTH])
    assert referral_check_consent(world.ctx("caritas"), case.person_id, world.agencies["jobcentre"].pk,
                                  [C.HEALTH], P.BENEFITS_ADMINISTRATION) == [C.HEALTH]
    with pytest.raises(ValidationError):
        _send(world, case, categories=[C.IDENTITY, C.HEALTH])
    assert _count() == 0


def test_a_referral_passes_on_only_the_senders_own_data(world, case):
    add_residence(world, case.person_id)  # residence data of the foreigners' authority
    assert C.RESIDENCE not in held_categories(world.ctx("caritas"), case.person_id)
    assert {C.IDENTITY, C.CONTACT, C.COUNSELLING_NOTES, C.QUALIFICATIONS} <= set(
        held_categories(world.ctx("caritas"), case.person_id))
    _consent(world, case.person_id, [C.IDENTITY, C.RESIDENCE])
    with pytest.raises(ValidationError) as exc:
        _send(world, case, categories=[C.IDENTITY, C.RESIDENCE])
    assert _label(C.RESIDENCE) in " ".join(exc.value.messages)
    assert _count() == 0


def test_the_check_gives_the_answer_the_spine_gives_the_recipient(world, case):
    """For every combination of consented categories: what the check calls covered is exactly
    what the job centre then sees of the sender's data on the referral."""
    ctx = world.ctx("caritas")
    _consent(world, case.person_id, [C.IDENTITY, C.CONTACT, C.COUNSELLING_NOTES])
    wanted = [C.IDENTITY, C.CONTACT, C.HOUSEHOLD, C.COUNSELLING_NOTES]
    missing = referral_check_consent(ctx, case.person_id, world.agencies["jobcentre"].pk, wanted,
                                     P.BENEFITS_ADMINISTRATION)
    assert missing == [C.HOUSEHOLD]
    from lotse.access.spine import access_person

    record = access_person(world.ctx("jobcentre"), case.person_id, P.BENEFITS_ADMINISTRATION, categories=wanted)
    caritas = world.agencies["caritas"].pk
    seen = [c for c in wanted if record.decisions[c].allows_source(caritas)]
    assert sorted(seen) == sorted(set(wanted) - set(missing))


def test_referral_to_an_offer_goes_to_its_provider_agency(world, case):
    offer = Offer.objects.create(district=world.district, name="Arbeitsvermittlung", life_area="work_training",
                                 provider_agency=world.agencies["jobcentre"])
    _consent(world, case.person_id, [C.IDENTITY])
    referral = _send(world, case, categories=[C.IDENTITY], to_agency_id=None, offer_id=offer.pk)
    assert referral.to_agency_id == world.agencies["jobcentre"].pk and referral.offer_id == offer.pk


def test_an_offer_outside_lotse_is_refused_with_its_contact_details(world, case):
    offer = Offer.objects.create(district=world.district, name="Integrationskurs", life_area="language",
                                 provider_name="VHS Teststadt", phone="0000 123456")
    with pytest.raises(ValidationError) as exc:
        _send(world, case, to_agency_id=None, offer_id=offer.pk)
    text = " ".join(exc.value.messages)
    assert "VHS Teststadt" in text and "0000 123456" in text
    assert _count() == 0


def test_purpose_must_be_one_the_recipient_works_for(world, case):
    assert default_purpose(world.agencies["jobcentre"].pk) == P.BENEFITS_ADMINISTRATION
    assert default_purpose(world.agencies["caritas"].pk) == P.CASE_MANAGEMENT
    _consent(world, case.person_id, [C.IDENTITY], purpose=P.RESIDENCE_ADMINISTRATION)
    with pytest.raises(ValidationError) as exc:
        _send(world, case, categories=[C.IDENTITY], purpose=P.RESIDENCE_ADMINISTRATION)
    assert "purpose" in exc.value.message_dict


def test_no_referral_to_the_own_agency_or_without_permission(world, case):
    with pytest.raises(ValidationError):
        _send(world, case, to_agency_id=world.agencies["caritas"].pk)
    with pytest.raises(AccessDenied):
        _send(world, case, ctx=world.ctx("coordinator"))
    assert _count() == 0


def test_preview_reports_the_coverage_without_refusing(world, case):
    _consent(world, case.person_id, [C.IDENTITY])
    preview = referral_preview(ctx=world.ctx("caritas"), person_id=case.person_id,
                               to_agency_id=world.agencies["jobcentre"].pk, categories=[C.CONTACT])
    assert preview.purpose == P.BENEFITS_ADMINISTRATION
    assert preview.coverage.missing == [C.CONTACT] and set(preview.coverage.covered) == {C.IDENTITY}


# --- the recipient's view ------------------------------------------------------------------

@pytest.fixture
def sent(world, case):
    consent = _consent(world, case.person_id, [C.IDENTITY, C.CONTACT])
    referral = _send(world, case)
    return referral, consent


def test_recipient_sees_identity_and_contact_through_the_consent(world, sent):
    referral, _consent_row = sent
    detail = referral_detail(world.ctx("jobcentre"), referral.pk)
    assert detail.is_recipient and detail.person_visible
    assert detail.record.person.family_name == "Haddad"
    assert detail.record.person.email == "amina@example.org"
    assert detail.message_visible and "Elektriker" in detail.referral.message
    assert detail.answers == ["accept", "decline"]
    assert all(shown for _label_, _text, shown in detail.passed)
    page = inbox(world.ctx("jobcentre"))
    assert [(r.referral.pk, r.record.person.family_name) for r in page.rows] == [(referral.pk, "Haddad")]
    assert [r.referral.pk for r in outbox(world.ctx("caritas")).rows] == [referral.pk]


def test_revoked_consent_keeps_the_referral_in_the_inbox_but_hides_the_person(world, sent):
    referral, consent = sent
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked at the counter")
    page = inbox(world.ctx("jobcentre"))
    assert [r.referral.pk for r in page.rows] == [referral.pk]
    assert page.rows[0].record is None
    detail = referral_detail(world.ctx("jobcentre"), referral.pk)
    assert not detail.person_visible and not detail.message_visible
    # The identity read was refused and logged as such.
    event = AccessEvent.objects.filter(action="referral.read").order_by("-seq").first()
    assert event.decision == "denied" and "returned=none" in event.basis
    # Accepting needs the person: refused with a clear message, nothing changes.
    with pytest.raises(ValidationError):
        referral_accept(ctx=world.ctx("jobcentre"), referral_id=referral.pk)
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    # Declining still works.
    referral_decline(ctx=world.ctx("jobcentre"), referral_id=referral.pk, reason="Keine Einwilligung mehr")


def test_other_agencies_do_not_see_the_referral(world, sent):
    referral, _ = sent
    for user in ("social_a", "abh", "psych"):
        with pytest.raises(ReferralNotFound):
            referral_detail(world.ctx(user), referral.pk)
        assert inbox(world.ctx(user)).rows == []


# --- answers ------------------------------------------------------------------------------

def test_accept_opens_a_file_of_the_recipient_and_done_needs_feedback(world, case, sent):
    referral, _ = sent
    jobcentre = world.ctx("jobcentre")
    referral_accept(ctx=jobcentre, referral_id=referral.pk)
    with personal_data_scope():
        assert PersonAgencyLink.objects.filter(person_id=case.person_id,
                                               agency=world.agencies["jobcentre"]).exists()
        stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == ReferralStatus.ACCEPTED and stored.answered_by_id == jobcentre.user_id
    with pytest.raises(ValidationError) as exc:
        referral_done(ctx=jobcentre, referral_id=referral.pk, feedback="  ")
    assert "feedback" in exc.value.message_dict
    referral_done(ctx=jobcentre, referral_id=referral.pk, feedback="Arbeitsvermittlung läuft")
    detail = referral_detail(world.ctx("caritas"), referral.pk)
    assert detail.referral.status == ReferralStatus.DONE
    assert detail.referral.feedback == "Arbeitsvermittlung läuft"
    assert detail.answers == []
    assert list(AccessEvent.objects.filter(action__in=["referral.accepted", "referral.done"])
                .values_list("action", flat=True)) == ["referral.accepted", "referral.done"]


def test_decline_needs_a_reason(world, sent):
    referral, _ = sent
    with pytest.raises(ValidationError) as exc:
        referral_decline(ctx=world.ctx("jobcentre"), referral_id=referral.pk, reason="")
    assert "reason" in exc.value.message_dict
    referral_decline(ctx=world.ctx("jobcentre"), referral_id=referral.pk, reason="Nicht zuständig")
    with personal_data_scope():
        stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.decline_reason) == (ReferralStatus.DECLINED, "Nicht zuständig")


@pytest.mark.parametrize("steps, action, allowed", [
    ([], "done", False),
    ([], "withdraw", True),
    (["accept"], "accept", False),
    (["accept"], "decline", False),
    (["accept"], "withdraw", True),
    (["decline"], "accept", False),
    (["decline"], "withdraw", False),
    (["accept", "done"], "withdraw", False),
    (["withdraw"], "accept", False),
])
def test_transitions(world, sent, steps, action, allowed):
    referral, _ = sent
    calls = {
        "accept": lambda: referral_accept(ctx=world.ctx("jobcentre"), referral_id=referral.pk),
        "decline": lambda: referral_decline(ctx=world.ctx("jobcentre"), referral_id=referral.pk, reason="r"),
        "done": lambda: referral_done(ctx=world.ctx("jobcentre"), referral_id=referral.pk, feedback="f"),
        "withdraw": lambda: referral_withdraw(ctx=world.ctx("caritas"), referral_id=referral.pk),
    }
    for step in steps:
        calls[step]()
    with personal_data_scope():
        before = Referral.objects.get(pk=referral.pk).status
    if allowed:
        calls[action]()
        with personal_data_scope():
            assert Referral.objects.get(pk=referral.pk).status != before
    else:
        with pytest.raises(ValidationError):
            calls[action]()
        with personal_data_scope():
            assert Referral.objects.get(pk=referral.pk).status == before


def test_wrong_agency_cannot_answer_and_the_refusal_is_logged(world, sent):
    referral, _ = sent
    with pytest.raises(ReferralNotFound):
        referral_accept(ctx=world.ctx("social_a"), referral_id=referral.pk)
    # The sender cannot answer its own referral, the recipient cannot withdraw it.
    with pytest.raises(ReferralNotFound):
        referral_accept(ctx=world.ctx("caritas"), referral_id=referral.pk)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("referral.accept.refused", "denied")
    with pytest.raises(ReferralNotFound):
        referral_withdraw(ctx=world.ctx("jobcentre"), referral_id=referral.pk)
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_answer_needs_the_permission(world, sent):
    from dataclasses import replace

    referral, _ = sent
    ctx = replace(world.ctx("jobcentre"), permissions=frozenset())
    with pytest.raises(AccessDenied):
        referral_accept(ctx=ctx, referral_id=referral.pk)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("referral.accept.refused", "denied")


# --- overdue --------------------------------------------------------------------------------

def _sent_on(referral, day: datetime.date, answered: datetime.date | None = None):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    values = {"sent_at": moment}
    if answered:
        values["answered_at"] = timezone.make_aware(datetime.datetime.combine(answered, datetime.time(10)))
    Referral._plain.filter(pk=referral.pk).update(**values)
    with personal_data_scope():
        return Referral.objects.get(pk=referral.pk)


def test_overdue_after_the_rule_period_from_sending_then_from_accepting(world, sent):
    referral, _ = sent
    day = datetime.date(2025, 3, 3)
    referral = _sent_on(referral, day)
    assert overdue(referral, day + datetime.timedelta(days=14)) is None
    assert overdue(referral, day + datetime.timedelta(days=15)) == day + datetime.timedelta(days=14)
    referral_accept(ctx=world.ctx("jobcentre"), referral_id=referral.pk)
    referral = _sent_on(referral, day, answered=day + datetime.timedelta(days=10))
    assert overdue(referral, day + datetime.timedelta(days=20)) is None
    assert overdue(referral, day + datetime.timedelta(days=25)) == day + datetime.timedelta(days=24)
    referral_done(ctx=world.ctx("jobcentre"), referral_id=referral.pk, feedback="ok")
    with personal_data_scope():
        assert overdue(Referral.objects.get(pk=referral.pk), day + datetime.timedelta(days=400)) is None


def test_a_changed_rule_period_changes_the_result_for_referrals_sent_under_it(world, case):
    _consent(world, case.person_id, [C.IDENTITY])
    old = DeadlineRule.objects.get(key="referral-response")
    change = datetime.date(2025, 6, 1)
    DeadlineRule.objects.filter(pk=old.pk).update(valid_to=change - datetime.timedelta(days=1))
    DeadlineRule.objects.create(key="referral-response", name=old.name, amount=30, unit="days",
                                legal_reference="Neue Kooperationsvereinbarung", valid_from=change)
    before = _sent_on(_send(world, case, categories=[C.IDENTITY]), datetime.date(2025, 5, 1))
    after = _sent_on(_send(world, case, categories=[C.IDENTITY]), datetime.date(2025, 7, 1))
    # 20 days after sending: overdue under the old 14 days, not under the new 30.
    assert overdue(before, datetime.date(2025, 5, 21)) == datetime.date(2025, 5, 15)
    assert overdue(after, datetime.date(2025, 7, 21)) is None
    assert overdue(after, datetime.date(2025, 8, 1)) == datetime.date(2025, 7, 31)


def test_overdue_counts_for_both_sides(world, sent):
    referral, _ = sent
    assert overdue_counts(world.ctx("jobcentre")) == {"inbox": 0, "outbox": 0}
    _sent_on(referral, TODAY - datetime.timedelta(days=30))
    assert overdue_counts(world.ctx("jobcentre")) == {"inbox": 1, "outbox": 0}
    assert overdue_counts(world.ctx("caritas")) == {"inbox": 0, "outbox": 1}
    assert overdue_counts(world.ctx("social_a")) == {"inbox": 0, "outbox": 0}
    row = inbox(world.ctx("jobcentre")).rows[0]
    assert row.overdue_since == TODAY - datetime.timedelta(days=16)


def test_after_accepting_a_revoked_consent_still_hides_the_message(world, sent):
    referral, consent = sent
    referral_accept(ctx=world.ctx("jobcentre"), referral_id=referral.pk)  # opens an own file
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked at the counter")
    detail = referral_detail(world.ctx("jobcentre"), referral.pk)
    assert detail.person_visible  # the job centre's own file
    assert not detail.message_visible  # but the sender's data is closed again
    assert detail_message_for_sender(world, referral)


def detail_message_for_sender(world, referral) -> bool:
    return referral_detail(world.ctx("caritas"), referral.pk).message_visible
