"""The access spine as users meet it: own data, rules, consent, revocation, blocked flows,
overrides, fail-closed logging, and the safety net against unscoped reads."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from lotse.access.overrides import access_override_grant
from lotse.access.spine import AccessDenied, PersonNotFound, access_person
from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import UnscopedAccessError
from lotse.core.testing import add_benefits, add_residence, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _consent(world, person_id, categories, *, to="jobcentre", frm="social_a",
             purpose=P.BENEFITS_HANDOVER, until=None, by="social_a"):
    return consent_record(
        ctx=world.ctx(by), person_id=person_id, categories=categories, purpose=purpose,
        to_agency_id=world.agencies[to].pk, from_agency_id=world.agencies[frm].pk,
        given_on=TODAY, valid_until=until, method="signed_form", informed_language="ar",
    )


def test_own_agency_sees_its_data_and_the_access_is_logged(world):
    pid = register_person(world, email="amina@example.org")
    add_benefits(world, pid)
    before = AccessEvent.objects.count()
    record = access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    assert record.person.email == "amina@example.org"
    assert [b.regime for b in record.benefits_regimes] == ["asylblg"]
    event = AccessEvent.objects.order_by("-seq").first()
    assert AccessEvent.objects.count() == before + 1
    assert (event.person_id, event.decision, event.action) == (pid, "allowed", "person.read")
    assert "identity=own_agency" in event.basis


def test_other_agency_without_basis_gets_not_found_and_a_denied_log_row(world):
    pid = register_person(world)
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.person_id, event.decision) == (pid, "denied")
    assert f"no_basis:agency:{world.agencies['social_a'].pk}" in event.basis


def test_consent_opens_exactly_the_consented_categories_until_revoked(world):
    pid = register_person(world, email="amina@example.org", phone="0151 000")
    add_benefits(world, pid)
    consent = _consent(world, pid, [C.IDENTITY, C.BENEFITS])
    record = access_person(world.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)
    assert record.person.family_name == "Haddad"
    assert record.shows(C.BENEFITS) and [b.regime for b in record.benefits_regimes] == ["asylblg"]
    assert not record.shows(C.CONTACT)
    assert record.person.email == "" and record.person.phone == ""
    basis = record.decisions[C.IDENTITY].allowed[world.agencies["social_a"].pk]
    assert f"#{consent.pk}" in basis.explain()
    denial = record.decisions[C.CONTACT].denied[0]
    assert "Jobcenter Test" in denial.explain(C.CONTACT, "Jobcenter Test")
    # The consent names a purpose: another purpose is not covered.
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("jobcentre"), pid, P.BENEFITS_ADMINISTRATION)
    consent_revoke(ctx=world.ctx("social_a"), consent_id=consent.pk, note="by phone")
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)


def test_expired_or_future_consent_covers_nothing(world):
    pid = register_person(world)
    consent = _consent(world, pid, [C.IDENTITY], until=TODAY)
    assert access_person(world.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)
    tomorrow = world.ctx("jobcentre", today=TODAY + datetime.timedelta(days=1))
    with pytest.raises(PersonNotFound):
        access_person(tomorrow, pid, P.BENEFITS_HANDOVER)
    yesterday = world.ctx("jobcentre", today=TODAY - datetime.timedelta(days=1))
    with pytest.raises(PersonNotFound):
        access_person(yesterday, pid, P.BENEFITS_HANDOVER)
    assert consent.pk


def test_statutory_rule_social_office_reads_abh_residence_only_in_its_municipality(world):
    in_a = register_person(world, by="caritas", town="a", given_names="Omar")
    in_b = register_person(world, by="caritas", town="b", given_names="Olena")
    add_residence(world, in_a)
    add_residence(world, in_b, code="p24")
    record = access_person(world.ctx("social_a"), in_a, P.BENEFITS_ADMINISTRATION)
    assert [s.kind.code for s in record.residence_statuses] == ["p25-2-gfk"]
    basis = record.decisions[C.RESIDENCE].allowed[world.agencies["abh"].pk]
    assert basis.kind == "rule" and "AufenthG" in basis.explain()
    # Contact data of the welfare association stays hidden: the rule covers identity+residence.
    assert not record.shows(C.CONTACT)
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("social_a"), in_b, P.BENEFITS_ADMINISTRATION)
    # Read-only: the rule gives no write path; residence is written by the ABH only.
    with pytest.raises(AccessDenied):
        from lotse.people.services import residence_status_add
        from lotse.rules.models import ResidenceKind

        residence_status_add(ctx=world.ctx("coordinator"), person_id=in_a,
                             kind_id=ResidenceKind.objects.get(code="p24").pk, document="eat",
                             valid_from=TODAY)


def test_rule_outside_its_validity_gives_nothing(world):
    from lotse.rules.models import AccessRule

    pid = register_person(world, by="caritas")
    add_residence(world, pid)
    AccessRule.objects.filter(key="abh-to-social-office-residence").update(
        valid_to=TODAY - datetime.timedelta(days=1))
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)


def test_override_needs_permission_and_reason_and_is_logged(world):
    pid = register_person(world)
    with pytest.raises(AccessDenied):
        access_override_grant(ctx=world.ctx("caritas"), person_id=pid, categories=[C.IDENTITY],
                              purpose=P.CASE_MANAGEMENT, reason="x" * 30)
    with pytest.raises(ValidationError):
        access_override_grant(ctx=world.ctx("teamlead"), person_id=pid, categories=[C.IDENTITY],
                              purpose=P.CASE_MANAGEMENT, reason="urgent")
    override = access_override_grant(
        ctx=world.ctx("teamlead"), person_id=pid, categories=[C.IDENTITY],
        purpose=P.CASE_MANAGEMENT, reason="Person in crisis at the counter, file needed now")
    record = access_person(world.ctx("teamlead"), pid, P.CASE_MANAGEMENT)
    assert record.person.family_name == "Haddad" and not record.shows(C.CONTACT)
    assert AccessEvent.objects.filter(action="access.override_granted", person_id=pid).exists()
    read = AccessEvent.objects.filter(action="person.read", decision="allowed").latest("seq")
    assert read.basis == f"identity=override:{override.pk}"


def test_access_is_denied_when_the_log_cannot_be_written(world):
    pid = register_person(world, email="amina@example.org")
    with mock.patch("lotse.audit.chain.AccessEvent.objects.bulk_create",
                    side_effect=RuntimeError("disk full")):
        with pytest.raises(AccessDenied):
            access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    assert not AccessEvent.objects.filter(person_id=pid, action="person.read").exists()


def test_personal_models_refuse_unscoped_queries(world):
    register_person(world)
    with pytest.raises(UnscopedAccessError):
        list(Person.objects.all())


def test_other_district_never_sees_a_person(world):
    from lotse.core.testing import build_world

    other = build_world(district_code="88888")
    pid = register_person(world)
    _consent(world, pid, [C.IDENTITY])
    with pytest.raises(PersonNotFound):
        access_person(other.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)


def test_dpo_exports_who_saw_the_data(world):
    from lotse.access.history import person_access_history

    pid = register_person(world)
    access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("jobcentre"), pid, P.BENEFITS_HANDOVER)
    _record, rows = person_access_history(world.ctx("dpo"), pid)
    seen = {(r.agency, r.decision) for r in rows}
    assert ("Sozialamt A-Dorf", "allowed") in seen and ("Jobcenter Test", "denied") in seen
    with pytest.raises(PersonNotFound):
        person_access_history(world.ctx("jobcentre"), pid)


def test_an_agency_bound_by_secrecy_is_never_named_to_others(world):
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import PersonAgencyLink

    pid = register_person(world)
    with personal_data_scope():
        PersonAgencyLink.objects.create(person_id=pid, agency=world.agencies["psych"])
    consent = consent_record(
        ctx=world.ctx("psych"), person_id=pid, categories=[C.HEALTH], purpose=P.CASE_MANAGEMENT,
        to_agency_id=world.agencies["caritas"].pk, from_agency_id=world.agencies["psych"].pk,
        given_on=TODAY, valid_until=None, method="signed_form", informed_language="fa")
    record = access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    texts = [d.explain(c) for c, dec in record.decisions.items() for d in dec.denied]
    assert texts and not any("Psychosoziale" in t for t in texts)
    from lotse.consent.queries import consents_for_record

    assert consent not in consents_for_record(world.ctx("social_a"), record)
    assert [c.pk for c in consents_for_record(world.ctx("psych"), record)] == [consent.pk]


def test_refused_writes_stay_in_the_log(world):
    pid = register_person(world)
    with pytest.raises(AccessDenied):
        access_override_grant(ctx=world.ctx("caritas"), person_id=pid, categories=[C.IDENTITY],
                              purpose=P.CASE_MANAGEMENT, reason="x" * 30)
    assert AccessEvent.objects.filter(action="access.override_refused", person_id=pid,
                                      decision="denied").exists()
    with pytest.raises(PersonNotFound):
        consent_revoke(ctx=world.ctx("abh"), consent_id=_consent(world, pid, [C.IDENTITY]).pk)
    with pytest.raises(PersonNotFound):
        from lotse.people.services import benefits_regime_add

        benefits_regime_add(ctx=world.ctx("caritas"), person_id=pid, regime="asylblg",
                            valid_from=TODAY)
    assert AccessEvent.objects.filter(action="benefits.write", person_id=pid, decision="denied").exists()


def test_an_access_that_returns_nothing_is_logged_as_denied_only(world):
    pid = register_person(world, by="caritas")
    add_residence(world, pid)
    consent_record(ctx=world.ctx("abh"), person_id=pid, categories=[C.RESIDENCE],
                   purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["abh"].pk, given_on=TODAY, valid_until=None,
                   method="signed_form", informed_language="de")
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("jobcentre"), pid, P.BENEFITS_ADMINISTRATION)
    rows = AccessEvent.objects.filter(person_id=pid, agency_id=world.agencies["jobcentre"].pk,
                                      action="person.read")
    assert [r.decision for r in rows] == ["denied"] and "returned=none" in rows[0].basis


def test_a_read_only_rule_gives_no_write(world):
    from lotse.people.services import household_assign

    pid = register_person(world, by="caritas", town="a")
    add_residence(world, pid)  # social office A now reads identity and residence by rule
    access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    with pytest.raises(AccessDenied):
        household_assign(ctx=world.ctx("social_a"), person_id=pid, role="head")
    assert AccessEvent.objects.filter(action="household.write.refused", person_id=pid).exists()
