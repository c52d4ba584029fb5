"""Property-based test through the real spine and database: random persons, files, residence
entries, consents (with validity windows and revocations) and users of a district; every
access is compared with the independent reference model of test_policy_properties."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.access.policy import PersonFacts, RuleFacts, SourceAgency
from lotse.access.spine import PersonNotFound, access_person, rules_for
from lotse.access.tests import attempt_counter
from lotse.access.tests.test_policy_properties import RefConsent, reference_allows
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import World, add_residence, register_person
from lotse.core.vocabulary import CATEGORY_ORDER, Purpose
from lotse.people.models import PersonAgencyLink

TODAY = datetime.date.today()
FILE_HOLDERS = ["social_a", "social_b", "caritas", "jobcentre", "psych"]
USERS = ["abh", "social_a", "social_b", "jobcentre", "caritas", "psych", "dpo", "coordinator"]
PURPOSES = [Purpose.BENEFITS_ADMINISTRATION, Purpose.BENEFITS_HANDOVER, Purpose.CASE_MANAGEMENT,
            Purpose.RESIDENCE_ADMINISTRATION, Purpose.DATA_PROTECTION]
CATS = ["identity", "contact", "residence", "benefits", "household"]


consent_specs = st.lists(st.fixed_dictionaries({
    "categories": st.lists(st.sampled_from(CATS), min_size=1, max_size=3, unique=True),
    "frm": st.sampled_from(["social_a", "social_b", "caritas", "jobcentre", "abh", "psych"]),
    "to": st.sampled_from(["social_a", "social_b", "caritas", "jobcentre", "abh", "psych"]),
    "purpose": st.sampled_from(PURPOSES),
    "start": st.integers(-20, 0), "length": st.one_of(st.none(), st.integers(0, 30)),
    "revoked": st.booleans(),
}), max_size=4)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(holders=st.lists(st.sampled_from(FILE_HOLDERS), min_size=1, max_size=3, unique=True),
       town=st.sampled_from(["a", "b"]), residence=st.booleans(), consents=consent_specs,
       shift=st.integers(-5, 5))
def test_spine_never_shows_what_rules_and_consents_do_not_allow(
        world: World, holders, town, residence, consents, shift):
    pid = register_person(world, by=holders[0], town=town, email="canary@example.org")
    with personal_data_scope():
        for extra in holders[1:]:
            PersonAgencyLink.objects.create(person_id=pid, agency=world.agencies[extra])
    if residence:
        add_residence(world, pid)
    ref_consents = []
    for spec in consents:
        if spec["frm"] == spec["to"]:
            continue
        given = TODAY + datetime.timedelta(days=spec["start"])
        until = None if spec["length"] is None else given + datetime.timedelta(days=spec["length"])
        consent = consent_record(
            ctx=world.ctx(holders[0]), person_id=pid, categories=spec["categories"],
            purpose=spec["purpose"], to_agency_id=world.agencies[spec["to"]].pk,
            from_agency_id=world.agencies[spec["frm"]].pk, given_on=given, valid_until=until,
            method="signed_form", informed_language="de")
        if spec["revoked"]:
            consent_revoke(ctx=world.ctx(holders[0]), consent_id=consent.pk)
        for category in spec["categories"]:
            ref_consents.append(RefConsent(
                person=pid, category=category, purpose=spec["purpose"],
                source=world.agencies[spec["frm"]].pk, source_kind=world.agencies[spec["frm"]].kind,
                recipient=world.agencies[spec["to"]].pk, recipient_kind=world.agencies[spec["to"]].kind,
                start=spec["start"], end=None if until is None else spec["start"] + spec["length"],
                revoked=spec["revoked"]))
    file_holders = [*holders, "abh"] if residence else holders  # the ABH opens a file to record
    sources = {c: tuple(_src(world, h) for h in file_holders)
               for c in ("identity", "contact", "household")}
    if residence:
        sources["residence"] = (_src(world, "abh"),)
    facts = PersonFacts(pid, world.district.pk,
                        (world.town_a if town == "a" else world.town_b).pk, sources)
    for user in USERS:
        ctx = world.ctx(user, today=TODAY + datetime.timedelta(days=shift))
        rules: list[RuleFacts] = rules_for(ctx)
        # The reference counts days from DAY0 = TODAY here.
        ref_ctx = ctx
        for purpose in PURPOSES:
            expected = {
                category: {s.id for s in sources.get(category, ())
                           if _ref(ref_ctx, facts, category, purpose, s, rules, ref_consents, shift)}
                for category in CATEGORY_ORDER
            }
            attempt_counter.count("spine", n=len(CATEGORY_ORDER))
            try:
                record = access_person(ctx, pid, purpose)
            except PersonNotFound:
                assert not expected["identity"], (user, purpose)
                continue
            for category in CATEGORY_ORDER:
                granted = set(record.decisions[category].allowed) if category in record.decisions else set()
                if granted - expected[category]:
                    attempt_counter.count("spine", leak=True)
                assert not granted - expected[category], (user, purpose, category)
                if category in ctx.categories:
                    assert granted == expected[category], (user, purpose, category)
            if not record.shows("contact"):
                assert record.person.email == ""


def _src(world, key) -> SourceAgency:
    agency = world.agencies[key]
    return SourceAgency(agency.pk, agency.kind, agency.name, agency.bound_by_professional_secrecy)


def _ref(ctx, facts, category, purpose, source, rules, consents, shift) -> bool:
    import lotse.access.tests.test_policy_properties as ref

    original = ref.DAY0
    ref.DAY0 = TODAY
    try:
        return reference_allows(ctx, facts, category, purpose, source, rules, consents)
    finally:
        ref.DAY0 = original
