"""'Who is responsible for me?' answered from dated rule data, eligibility by residence, the
welcome counsellor per municipality, and translations with their outdated mark."""

import datetime

import pytest

from lotse.core.testing import build_world
from lotse.core.vocabulary import GuideTopic, NewcomerSituation
from lotse.guide import selectors
from lotse.guide.models import OfficeProfile, Translation, TranslationStatus
from lotse.guide.tests.factories import change_from, counsellor, offer
from lotse.guide.translation import MISSING, OUTDATED, localize, source_hash
from lotse.organisations.models import AgencyKind

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def world():
    return build_world()


def _names(offices) -> list[str]:
    return [office.agency.name for office in offices]


def test_asylum_seekers_get_money_from_the_social_office_of_their_own_municipality(world):
    in_a = selectors.answer(world.district, world.town_a, "asylum_procedure", "money", on=TODAY, language="de")
    in_b = selectors.answer(world.district, world.town_b, "asylum_procedure", "money", on=TODAY, language="de")
    assert _names(in_a.offices) == ["Sozialamt A-Dorf"]
    assert _names(in_b.offices) == ["Sozialamt B-Stadt"]
    assert [rule.key for rule in in_a.rules] == ["money-asylblg"]


def test_recognised_refugees_get_money_from_the_job_centre(world):
    found = selectors.answer(world.district, world.town_a, "protection", "money", on=TODAY, language="de")
    assert _names(found.offices) == ["Jobcenter Test"]


def test_the_answer_follows_the_rule_in_force_on_the_day(world):
    """The change of regime of 1.6.2022: § 24 people got money from the social office before."""
    before = selectors.answer(world.district, world.town_a, "temporary_protection", "money",
                              on=datetime.date(2022, 5, 31), language="de")
    after = selectors.answer(world.district, world.town_a, "temporary_protection", "money",
                             on=datetime.date(2022, 6, 1), language="de")
    assert _names(before.offices) == ["Sozialamt A-Dorf"]
    assert _names(after.offices) == ["Jobcenter Test"]


def test_a_future_rule_changes_the_answer_only_from_its_date(world):
    start = TODAY + datetime.timedelta(days=30)
    change_from("money-temporary-sgb2", start, agency_kind=AgencyKind.SOCIAL_OFFICE)

    def offices_on(day):
        return _names(selectors.answer(world.district, world.town_b, "temporary_protection", "money", on=day,
                                       language="de").offices)

    assert offices_on(TODAY) == ["Jobcenter Test"]
    assert offices_on(start - datetime.timedelta(days=1)) == ["Jobcenter Test"]
    assert offices_on(start) == ["Sozialamt B-Stadt"]


def test_the_fixed_welcome_counsellor_is_the_one_of_the_municipality(world):
    counsellor(world, "Leyla Demir", world.town_a)
    counsellor(world, "Jonas Becker", world.town_b)
    found = selectors.answer(world.district, world.town_b, "eu_citizen", "registration", on=TODAY, language="de")
    assert [c.name for c in found.counsellors] == ["Jonas Becker"]


def test_welfare_association_counselling_names_the_association_serving_the_municipality(world):
    counsellor(world, "Leyla Demir", world.town_a)
    found = selectors.answer(world.district, world.town_a, "tolerated", "counselling", on=TODAY, language="de")
    assert _names(found.offices) == ["Caritas Test"]


def test_offers_limited_to_some_municipalities_show_only_there(world):
    """Seed 001: the psychosocial counselling serves residents of some municipalities only."""
    offer(world, "Psychosoziale Beratung", "health", towns=[world.town_a])
    offer(world, "Gesundheitslotsen", "health")
    in_a = selectors.answer(world.district, world.town_a, "protection", "health", on=TODAY, language="de")
    in_b = selectors.answer(world.district, world.town_b, "protection", "health", on=TODAY, language="de")
    assert sorted(o.entry.name for o in in_a.offers) == ["Gesundheitslotsen", "Psychosoziale Beratung"]
    assert [o.entry.name for o in in_b.offers] == ["Gesundheitslotsen"]
    directory_b = selectors.directory(world.district, language="de", on=TODAY, municipality=world.town_b)
    assert [o.entry.name for o in directory_b.offers] == ["Gesundheitslotsen"]


def test_offers_for_a_target_group_show_only_for_that_situation(world):
    offer(world, "Welcome Center Sprechstunde", "work_training", target_groups=["skilled_worker_student"])
    skilled = selectors.answer(world.district, world.town_a, "skilled_worker_student", "work", on=TODAY,
                               language="de")
    asylum = selectors.answer(world.district, world.town_a, "asylum_procedure", "work", on=TODAY, language="de")
    assert [o.entry.name for o in skilled.offers] == ["Welcome Center Sprechstunde"]
    assert asylum.offers == []


def test_first_steps_name_their_office_and_deadline(world):
    found = selectors.answer(world.district, world.town_a, "protection", "registration", on=TODAY, language="de")
    steps = {step.rule.key: step for step in found.steps}
    assert _names(steps["registration"].offices) == []  # no registration office in the test district
    assert steps["registration"].rule.deadline_days == 14
    assert _names(steps["benefits-sgb2"].offices) == ["Jobcenter Test"]
    assert "benefits-asylblg" not in steps
    assert str(steps["bank-account"].text.outside_office) == "Bank oder Sparkasse"


def test_a_hidden_office_is_not_named(world):
    OfficeProfile.objects.create(agency=world.agencies["social_a"], public=False)
    found = selectors.answer(world.district, world.town_a, "asylum_procedure", "money", on=TODAY, language="de")
    assert found.offices == []


def test_translation_shown_until_the_german_source_changes(world):
    profile = OfficeProfile.objects.create(agency=world.agencies["jobcentre"], description="Zahlt Bürgergeld.")
    Translation.objects.create(key=profile.translation_key, field="description", language="uk",
                               text="Виплачує громадянську допомогу.", status=TranslationStatus.REVIEWED,
                               source_hash=source_hash(profile.description))
    [shown] = localize([profile], "uk")
    assert (shown.description.text, shown.description.status) == ("Виплачує громадянську допомогу.", "reviewed")
    [missing] = localize([profile], "ar")
    assert (missing.description.text, missing.description.status) == ("Zahlt Bürgergeld.", MISSING)

    profile.description = "Zahlt Bürgergeld und vermittelt Arbeit."
    profile.save()
    [outdated] = localize([profile], "uk")
    assert outdated.description.status == OUTDATED
    assert outdated.description.text == "Zahlt Bürgergeld und vermittelt Arbeit."  # German until revised


def test_every_topic_has_an_office_for_every_situation(world):
    for situation in NewcomerSituation.values:
        for topic in GuideTopic.values:
            assert selectors.responsibilities_in_force(topic=topic, situation=situation, on=TODAY), (situation, topic)


def test_counsellors_and_offers_of_hidden_or_closed_associations_are_not_shown(world):
    counsellor(world, "Leyla Demir", world.town_a)
    offer(world, "Traumaberatung", "health")
    caritas, psych = world.agencies["caritas"], world.agencies["psych"]
    OfficeProfile.objects.create(agency=psych, public=False)
    caritas.is_active = False
    caritas.save()
    found = selectors.answer(world.district, world.town_a, "protection", "health", on=TODAY, language="de")
    assert found.counsellors == [] and found.offers == []
    listed = selectors.directory(world.district, language="de", on=TODAY)
    assert listed.counsellors == [] and listed.offers == []


def test_internal_offices_are_not_in_the_public_directory_unless_a_profile_shows_them(world):
    names = [o.agency.name for o in selectors.directory(world.district, language="de", on=TODAY).offices]
    assert "Kreisverwaltung Test" not in names and "Jobcenter Test" in names
    OfficeProfile.objects.create(agency=world.agencies["district_admin"], public=True)
    names = [o.agency.name for o in selectors.directory(world.district, language="de", on=TODAY).offices]
    assert "Kreisverwaltung Test" in names
