"""The person registry: tolerant search, duplicate check, merge with history, validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import PersonNotFound, access_person
from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, add_residence, register_person
from lotse.core.vocabulary import Purpose as P
from lotse.people.matching import PartialDate
from lotse.people.models import Person
from lotse.people.selectors import SearchQuery, person_search
from lotse.people.services import PersonData, person_create, person_merge

pytestmark = pytest.mark.django_db


def _names(hits):
    return [f"{h.record.person.given_names} {h.record.person.family_name}" for h in hits]


@pytest.mark.parametrize("query", [
    "Muhammad Alhassan", "Mohamad Al Hasan", "Alhassan Mohammed", "محمد الحسن",
])
def test_search_tolerates_transliteration_swaps_and_script(world, query):
    register_person(world, given_names="Mohammed", family_name="Al-Hassan",
                    given_names_original="محمد", family_name_original="الحسن", birth_year=1988)
    register_person(world, given_names="Fatima", family_name="Haidari", birth_year=1992)
    hits = person_search(world.ctx("social_a"), SearchQuery(name=query),
                         purpose=P.BENEFITS_ADMINISTRATION, threshold=55)
    assert _names(hits)[:1] == ["Mohammed Al-Hassan"]
    assert "Fatima Haidari" not in _names(hits)


def test_search_by_partial_birth_date_azr_and_file_number(world):
    pid = register_person(world, given_names="Oleksandr", family_name="Kovalenko",
                          birth_year=1975, birth_month=4, birth_day=2, azr_number="123456789")
    ctx = world.ctx("social_a")
    by_year = person_search(ctx, SearchQuery(name="Aleksandr Kowalenko", birth=PartialDate(1975)),
                            purpose=P.BENEFITS_ADMINISTRATION, threshold=55)
    assert _names(by_year) == ["Oleksandr Kovalenko"]
    wrong_year = person_search(ctx, SearchQuery(name="Oleksandr Kovalenko", birth=PartialDate(1990)),
                               purpose=P.BENEFITS_ADMINISTRATION, threshold=55)
    assert wrong_year == []
    by_azr = person_search(ctx, SearchQuery(azr_number="123456789"), purpose=P.BENEFITS_ADMINISTRATION)
    assert [h.record.person.pk for h in by_azr] == [pid]


def test_search_shows_only_visible_persons_and_logs_each_one_shown(world):
    pid = register_person(world, given_names="Yusuf", family_name="Demir")
    assert person_search(world.ctx("jobcentre"), SearchQuery(name="Yusuf Demir"),
                         purpose=P.BENEFITS_HANDOVER) == []
    consent_record(ctx=world.ctx("social_a"), person_id=pid, categories=["identity"],
                   purpose=P.BENEFITS_HANDOVER, to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=datetime.date.today(),
                   valid_until=None, method="signed_form", informed_language="tr")
    before = AccessEvent.objects.filter(action="person.search").count()
    hits = person_search(world.ctx("jobcentre"), SearchQuery(name="Youssef Demir"),
                         purpose=P.BENEFITS_HANDOVER)
    assert _names(hits) == ["Yusuf Demir"]
    assert AccessEvent.objects.filter(action="person.search").count() == before + 1


def test_duplicate_candidates_with_incomplete_birth_date(world):
    register_person(world, given_names="Zeynep", family_name="Yilmaz", birth_year=1990)
    hits = person_search(world.ctx("social_a"),
                         SearchQuery(name="Zejnep Yılmaz", birth=PartialDate(1990, 5, 17)),
                         purpose=P.REGISTRY, threshold=80)
    assert _names(hits) == ["Zeynep Yilmaz"]


def test_merge_keeps_all_history_and_is_logged(world):
    keep = register_person(world, given_names="Mohammed", family_name="Al-Hassan", birth_year=1988)
    gone = register_person(world, by="social_a", given_names="Muhammad", family_name="Alhasan",
                           birth_year=1988, birth_month=3, azr_number="987654321")
    add_residence(world, gone)
    add_benefits(world, gone)
    consent = consent_record(ctx=world.ctx("social_a"), person_id=gone, categories=["identity"],
                             purpose=P.BENEFITS_HANDOVER, to_agency_id=world.agencies["jobcentre"].pk,
                             from_agency_id=world.agencies["social_a"].pk,
                             given_on=datetime.date.today(), valid_until=None,
                             method="signed_form", informed_language="ar")
    with pytest.raises(Exception):
        person_merge(ctx=world.ctx("social_a"), keep_id=keep, merge_id=gone)  # lacks permission
    from lotse.organisations.models import Role

    world.users["social_a"].roles.add(Role.objects.get(code="team_lead"))
    person_merge(ctx=world.ctx("social_a"), keep_id=keep, merge_id=gone)
    record = access_person(world.ctx("social_a"), keep, P.BENEFITS_ADMINISTRATION)
    assert record.person.azr_number == "987654321" and record.person.birth_month == 3
    assert "Muhammad Alhasan" in record.person.other_names
    assert len(record.benefits_regimes) == 1 and len(record.residence_statuses) == 1
    with personal_data_scope():
        assert Person.objects.get(pk=gone).merged_into_id == keep
        assert record.person.pk == keep
        from lotse.consent.models import Consent

        assert Consent.objects.get(pk=consent.pk).person_id == keep
    with pytest.raises(PersonNotFound):
        access_person(world.ctx("social_a"), gone, P.BENEFITS_ADMINISTRATION)
    actions = set(AccessEvent.objects.filter(person_id__in=[keep, gone]).values_list("action", flat=True))
    assert {"person.merged", "person.merged_away"} <= actions


def test_invalid_birth_dates_are_refused_and_nothing_is_written(world):
    with personal_data_scope():
        before = Person.objects.count()
    for bad in ({"birth_year": 1990, "birth_month": 2, "birth_day": 31},
                {"birth_year": 1850}, {"birth_month": 4}, {"birth_year": 1990, "birth_day": 3}):
        with pytest.raises(ValidationError):
            person_create(ctx=world.ctx("social_a"),
                          data=PersonData(given_names="A", family_name="B", **bad))
    with personal_data_scope():
        assert Person.objects.count() == before


def test_redacted_records_cannot_be_saved(world):
    pid = register_person(world, by="caritas")
    add_residence(world, pid)
    record = access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    with pytest.raises(RuntimeError):
        record.person.save()


def test_only_the_responsible_kind_of_agency_records_a_benefits_regime(world):
    from lotse.people.services import benefits_regime_add

    pid = register_person(world)
    with pytest.raises(ValidationError):
        benefits_regime_add(ctx=world.ctx("social_a"), person_id=pid, regime="sgb2",
                            valid_from=datetime.date(2025, 1, 1))
    add_benefits(world, pid, regime="asylblg")
    record = access_person(world.ctx("social_a"), pid, P.BENEFITS_ADMINISTRATION)
    assert [r.regime for r in record.benefits_regimes] == ["asylblg"]


def test_benefits_responsibility_is_dated_rule_data(world):
    from lotse.rules.models import RecordResponsibility
    from lotse.rules.selectors import responsible_agency_kinds

    assert responsible_agency_kinds(subject="sgb2", on=datetime.date(2026, 1, 1)) == {"job_centre"}
    assert responsible_agency_kinds(subject="sgb2", on=datetime.date(2004, 12, 31)) == set()
    RecordResponsibility.objects.create(subject="sgb2", agency_kind="social_office",
                                          legal_reference="test", valid_from=datetime.date(2030, 1, 1))
    assert responsible_agency_kinds(subject="sgb2", on=datetime.date(2030, 1, 1)) == {
        "job_centre", "social_office"}


def test_household_assignment_founds_and_joins_and_logs(world):
    from lotse.people.services import household_assign

    head = register_person(world, given_names="Khaled", family_name="Al-Khalil")
    child = register_person(world, given_names="Lina", family_name="Al-Khalil", birth_year=2018)
    stranger = register_person(world, by="social_b", town="b", given_names="Olena")
    household = household_assign(ctx=world.ctx("social_a"), person_id=child, role="child",
                                 with_person_id=head)
    ctx = world.ctx("social_a")
    head_record = access_person(ctx, head, P.BENEFITS_ADMINISTRATION)
    child_record = access_person(ctx, child, P.BENEFITS_ADMINISTRATION)
    assert head_record.person.household_id == child_record.person.household_id == household.pk
    assert (head_record.person.household_role, child_record.person.household_role) == ("head", "child")
    assert AccessEvent.objects.filter(action="household.assigned", person_id=head).exists()
    with pytest.raises(PersonNotFound):
        household_assign(ctx=world.ctx("social_a"), person_id=stranger, role="child",
                         with_person_id=head)
    with pytest.raises(ValidationError):
        household_assign(ctx=world.ctx("social_a"), person_id=head, role="boss")
