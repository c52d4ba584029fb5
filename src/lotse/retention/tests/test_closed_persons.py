"""The data-protection officer reaches persons whose files are all closed — through the rule
data (`AccessRule.includes_closed_files`, set for the DPO's rule only), never an `if` on the
role. Everyone else still does not see such persons."""

import datetime

import pytest

from lotse.access.overrides import access_override_grant
from lotse.access.policy import PersonFacts, RuleFacts, SourceAgency, decide_category
from lotse.access.spine import AccessDenied, PersonNotFound, access_person, persons_visible_to
from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.retention.holds import legal_hold_lift, legal_hold_set
from lotse.retention.models import LegalHold
from lotse.retention.subject_export import subject_export
from lotse.retention.tests.canary import set_files_closed
from lotse.rules.models import AccessRule

DPO_RULE = "dpo-identity-for-data-subject-requests"
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture
def closed_person(world):
    """A person known to the social office and Caritas (with a case), every file closed."""
    pid = register_person(world, "social_a", given_names="Geschlossen", family_name="Akte")
    open_case(world, pid)
    set_files_closed(pid, YESTERDAY)
    return pid


def _dpo_rule() -> AccessRule:
    return AccessRule.objects.get(key=DPO_RULE)


def _visible(ctx, purpose) -> set[int]:
    with personal_data_scope():
        return set(persons_visible_to(ctx, purpose).values_list("pk", flat=True))


def test_only_the_dpo_rule_includes_closed_files(db):
    assert list(AccessRule.objects.filter(includes_closed_files=True)
                .values_list("key", flat=True)) == [DPO_RULE]


def test_the_dpo_exports_a_person_whose_files_are_all_closed_and_it_is_logged(world, closed_person):
    dpo = world.ctx("dpo")
    data = subject_export(dpo, closed_person)
    assert data["person_id"] == closed_person
    assert data["records"]["people.Person"][0]["family_name"] == "Akte"
    assert data["records"]["cases.Case"]  # the closed file's case is part of the answer
    read = AccessEvent.objects.get(action="person.subject_export", person_id=closed_person)
    assert read.decision == "allowed" and read.purpose == P.DATA_PROTECTION
    assert read.basis == f"identity=rule:{_dpo_rule().pk}"
    assert AccessEvent.objects.filter(action="person.subject_exported", person_id=closed_person,
                                      decision="allowed").exists()
    assert closed_person in _visible(dpo, P.DATA_PROTECTION)


def test_the_dpo_sets_and_lifts_a_hold_on_a_person_whose_files_are_all_closed(world, closed_person):
    dpo = world.ctx("dpo")
    hold = legal_hold_set(ctx=dpo, person_id=closed_person, reason="Klage vor dem Sozialgericht")
    assert AccessEvent.objects.filter(action="retention.hold_set", person_id=closed_person,
                                      decision="allowed", basis=f"identity=rule:{_dpo_rule().pk}"
                                      ).exists()
    assert AccessEvent.objects.filter(action="retention.hold_set", person_id=closed_person,
                                      object_ref=f"hold:{hold.pk}").exists()
    assert legal_hold_lift(ctx=dpo, person_id=closed_person) == 1
    with personal_data_scope():
        assert not LegalHold.objects.filter(person_id=closed_person, lifted_at__isnull=True).exists()
    assert AccessEvent.objects.filter(action="retention.hold_lifted", person_id=closed_person).exists()


@pytest.mark.parametrize("role,purpose", [
    ("caritas", P.CASE_MANAGEMENT), ("social_a", P.BENEFITS_ADMINISTRATION),
    ("abh", P.RESIDENCE_ADMINISTRATION), ("admin", P.REGISTRY), ("coordinator", P.CASE_MANAGEMENT),
])
def test_the_agencies_that_held_the_files_and_others_still_do_not_see_the_person(
        world, closed_person, role, purpose):
    ctx = world.ctx(role)
    if purpose not in ctx.purposes:
        purpose = (sorted(ctx.purposes) or [P.DATA_PROTECTION])[0]
    with pytest.raises(PersonNotFound):
        access_person(ctx, closed_person, purpose, categories=[C.IDENTITY])
    assert closed_person not in _visible(ctx, purpose)
    event = AccessEvent.objects.filter(person_id=closed_person).order_by("-seq").first()
    assert event.decision == "denied" and event.actor_id == ctx.user_id


def test_a_consent_or_an_emergency_access_does_not_reach_a_closed_person(world):
    pid = register_person(world, "social_a")
    consent_record(ctx=world.ctx("social_a"), person_id=pid, categories=[C.IDENTITY],
                   purpose=P.BENEFITS_HANDOVER, to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=datetime.date.today(),
                   valid_until=None, method="signed_form", informed_language="de")
    teamlead = world.ctx("teamlead")
    access_override_grant(ctx=teamlead, person_id=pid, categories=[C.IDENTITY],
                          purpose=P.CASE_MANAGEMENT, reason="Notfall: Person sitzt in der Beratung")
    jobcentre = world.ctx("jobcentre")
    access_person(jobcentre, pid, P.BENEFITS_HANDOVER, categories=[C.IDENTITY])  # open: visible
    set_files_closed(pid, YESTERDAY)
    with pytest.raises(PersonNotFound):
        access_person(jobcentre, pid, P.BENEFITS_HANDOVER, categories=[C.IDENTITY])
    with pytest.raises(PersonNotFound):
        access_person(teamlead, pid, P.CASE_MANAGEMENT, categories=[C.IDENTITY])


def test_without_the_flag_the_dpo_is_refused_as_before(world, closed_person):
    AccessRule.objects.filter(key=DPO_RULE).update(includes_closed_files=False)
    dpo = world.ctx("dpo")
    with pytest.raises(PersonNotFound):
        subject_export(dpo, closed_person)
    with pytest.raises(PersonNotFound):
        legal_hold_set(ctx=dpo, person_id=closed_person, reason="Klage vor dem Sozialgericht")
    assert closed_person not in _visible(dpo, P.DATA_PROTECTION)
    refused = AccessEvent.objects.filter(action="person.subject_export", person_id=closed_person)
    assert [e.decision for e in refused] == ["denied"]
    assert not AccessEvent.objects.filter(action="person.subject_exported").exists()
    with personal_data_scope():
        assert not LegalHold.objects.filter(person_id=closed_person).exists()


def test_a_person_with_one_open_file_is_reached_as_before(world, closed_person):
    """Some file open: the open files decide as always, closed ones play no part."""
    from lotse.people.models import PersonAgencyLink

    with personal_data_scope():
        PersonAgencyLink.objects.filter(person_id=closed_person,
                                        agency=world.agencies["social_a"]).update(until=None)
    record = access_person(world.ctx("dpo"), closed_person, P.DATA_PROTECTION,
                           categories=[C.IDENTITY])
    assert set(record.decisions[C.IDENTITY].allowed) == {world.agencies["social_a"].pk}
    with pytest.raises(PersonNotFound):  # Caritas's own file stays closed
        access_person(world.ctx("caritas"), closed_person, P.CASE_MANAGEMENT,
                      categories=[C.IDENTITY])


def test_the_export_still_needs_the_permission_for_closed_persons(world, closed_person):
    with pytest.raises(AccessDenied):
        subject_export(world.ctx("admin"), closed_person)


# --- the pure policy ------------------------------------------------------------------------

ABH = SourceAgency(1, "foreigners_authority", "ABH")
SECRET = SourceAgency(2, "counselling_service", "Beratung", professional_secrecy=True)
DAY = datetime.date(2026, 1, 1)


def _rule(rule_id=9, *, kind="statutory", includes=True, recipient="district_administration"):
    return RuleFacts(id=rule_id, kind=kind, source_kind="", source_professional_secrecy=kind == "blocked",
                     recipient_kind=recipient, categories=frozenset({"identity"}),
                     purposes=frozenset({"data_protection"}), scope="district",
                     legal_reference="Art. 15 DSGVO", valid_from=datetime.date(2018, 5, 25),
                     valid_to=None, includes_closed_files=includes)


def _decide(rules, *, agency_id=7, kind="district_administration"):
    from lotse.access.context import AccessContext

    ctx = AccessContext(user_id=1, agency_id=agency_id, agency_kind=kind, municipality_id=None,
                        district_id=1, categories=frozenset({"identity"}),
                        purposes=frozenset({"data_protection"}), today=DAY)
    facts = PersonFacts(person_id=5, district_id=1, municipality_id=None, sources={},
                        closed_sources={"identity": (ABH, SECRET)})
    return decide_category(ctx, facts, "identity", "data_protection", rules=rules,
                           consent_lookup=lambda c, s: None, override_lookup=lambda c: None)


def test_the_policy_opens_closed_files_only_through_a_rule_that_includes_them():
    decision = _decide([_rule()])
    assert set(decision.allowed) == {1, 2} and decision.allowed[1].code == "rule:9"
    for rules in ([_rule(includes=False)], [], [_rule(recipient="job_centre")]):
        decision = _decide(rules)
        assert not decision.any_allowed and [d.reason for d in decision.denied] == ["no_data"]
    # the own agency's closed file opens nothing by itself
    decision = _decide([], agency_id=1, kind="foreigners_authority")
    assert not decision.any_allowed
    # a blocked flow still wins over the rule
    decision = _decide([_rule(), _rule(10, kind="blocked", includes=False)])
    assert set(decision.allowed) == {1} and [d.reason for d in decision.denied] == ["blocked"]
