"""Gap reports carry no personal data: the text is screened for dates, file numbers, e-mail
addresses, phone numbers and names of registered persons (in either order and other
spellings), and on a hit nothing is saved; only the user's district's registry counts."""

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.core.testing import build_world, register_person
from lotse.gaps.models import GapReport, GapSource, GapStatus
from lotse.gaps.screening import find_personal_data
from lotse.gaps.selectors import InboxFilter, coordinator_inbox, reports_of_my_agency
from lotse.gaps.services import gap_report_create
from lotse.people.selectors import registry_names_in_text

pytestmark = pytest.mark.django_db

CLEAN = ("In B-Stadt fehlt ein Sprachkurs mit Kinderbetreuung; Frauen mit kleinen Kindern warten "
         "seit 2024 über 8 Wochen (§ 44 AufenthG). Jobcenter und Ausländerbehörde stimmen sich nicht ab.")


def _report(world, by="caritas", **overrides):
    values = {"municipality_id": world.town_b.pk, "life_area": "language", "kind": "missing_offer",
              "title": "Sprachkurs mit Kinderbetreuung fehlt", "description": CLEAN,
              "office_ids": [world.agencies["jobcentre"].pk, world.agencies["abh"].pk],
              "source": GapSource.CASE_WORK}
    values.update(overrides)
    return gap_report_create(ctx=world.ctx(by), **values)


@pytest.fixture
def registered(world):
    register_person(world, by="caritas", given_names="Mohammed", family_name="Al-Hassan")
    register_person(world, by="caritas", given_names="Olena", family_name="Kovalenko")


def test_a_clean_report_is_saved_with_what_the_reporter_chose(world, registered):
    report = _report(world)
    report.refresh_from_db()
    assert (report.title, report.description, report.municipality_id, report.status) == (
        "Sprachkurs mit Kinderbetreuung fehlt", CLEAN, world.town_b.pk, GapStatus.NEW)
    assert (report.reporting_agency_id, report.reported_by_id, report.district_id) == (
        world.agencies["caritas"].pk, world.users["caritas"].pk, world.district.pk)
    assert {a.name for a in report.offices_involved.all()} == {"Jobcenter Test", "Ausländerbehörde Teststadt"}
    whole = _report(world, municipality_id=None)
    assert whole.municipality_id is None


@pytest.mark.parametrize(("text", "found"), [
    ("Die Klientin, geb. 12.03.1990, wartet.", "12.03.1990"),
    ("Antrag vom 2024-01-15 liegt noch beim Amt.", "2024-01-15"),
    ("Seit dem 1.2.24 keine Antwort.", "1.2.24"),
    ("Unser Az. 12-345/24 ist betroffen.", "Az. 12-345/24"),
    ("AZR-Nummer 123456789012 fehlt.", "123456789012"),
    ("Bitte an max.muster@example.org wenden.", "max.muster@example.org"),
    ("Rückruf unter 02421 123456 erbeten.", "02421 123456"),
    ("Mobil +49 176 12345678.", "+49 176 12345678"),
])
def test_screening_names_dates_numbers_addresses_and_phones(world, text, found):
    with pytest.raises(ValidationError) as exc:
        _report(world, description=f"{CLEAN} {text}")
    message = " ".join(exc.value.message_dict["description"])
    assert found in message
    assert not GapReport.objects.exists()


@pytest.mark.parametrize(("text", "found"), [
    ("Herr Mohammed Al-Hassan wartet auf den Kurs.", "Mohammed Al-Hassan"),  # given + family
    ("Al-Hassan, Mohammed wartet auf den Kurs.", "Al-Hassan Mohammed"),      # family + given
    ("Muhammad Alhasan wartet auf den Kurs.", "Muhammad Alhasan"),           # another spelling
    ("Kowalenko Olena hat keinen Kita-Platz.", "Kowalenko Olena"),           # other spelling, swapped
])
def test_screening_finds_registered_names_in_either_order(world, registered, text, found):
    with pytest.raises(ValidationError) as exc:
        _report(world, title="Wartezeit", description=text)
    assert found in exc.value.message_dict["description"][0]
    assert not GapReport.objects.exists()


def test_the_title_is_screened_too(world, registered):
    with pytest.raises(ValidationError) as exc:
        _report(world, title="Olena Kovalenko ohne Kita-Platz")
    assert set(exc.value.message_dict) == {"title"}
    assert "Olena Kovalenko" in exc.value.message_dict["title"][0]


def test_registry_screen_returns_only_the_words_of_the_text(world, registered):
    district = world.district.pk
    assert registry_names_in_text(district, "Gestern kam Olena Kovalenko, heute Muhammad Alhasan.") == [
        "Olena Kovalenko", "Muhammad Alhasan"]
    # Single names, common words, pairs across sentences and other districts' registries do not hit.
    assert registry_names_in_text(district, "Olena wartet. Kovalenko auch.") == []
    assert registry_names_in_text(district, "Die Frau Kovalenko und der Herr") == []
    assert registry_names_in_text(district, CLEAN) == []
    other = build_world("88888")
    assert registry_names_in_text(other.district.pk, "Olena Kovalenko") == []


def test_clean_texts_pass_the_screen(world, registered):
    for text in (CLEAN, "Wartezeiten von 6-8 Wochen, 20 Plätze ab Jan. 2025, Kosten 1.500.000 Euro",
                 "§ 104c Abs. 3 S. 4 AufenthG: Folgeantrag nach § 25b", "Kursstart 12.03."):
        assert find_personal_data(text, district_id=world.district.pk) == [], text


def test_choices_and_district_are_checked(world):
    other = build_world("88888")
    with pytest.raises(ValidationError) as exc:
        _report(world, municipality_id=other.town_a.pk, life_area="x", kind="y", title="",
                office_ids=[other.agencies["abh"].pk], source="z")
    assert set(exc.value.message_dict) == {"municipality", "life_area", "kind", "title", "offices", "source"}
    assert not GapReport.objects.exists()


def test_writing_needs_the_permission_and_the_refusal_is_logged(world):
    from lotse.audit.models import AccessEvent

    with pytest.raises(AccessDenied):
        _report(world, by="coordinator")
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision, event.person_id) == ("gap.report.refused", "denied", None)
    assert not GapReport.objects.exists()


def test_reporters_follow_their_agencys_reports_and_the_coordination_sees_the_district(world):
    mine = _report(world)
    theirs = _report(world, by="jobcentre", title="Schnittstelle Sozialamt–Jobcenter")
    assert [r.pk for r in reports_of_my_agency(world.ctx("caritas_psych")).object_list] == [mine.pk]
    assert [r.pk for r in reports_of_my_agency(world.ctx("jobcentre")).object_list] == [theirs.pk]
    inbox = coordinator_inbox(world.ctx("coordinator"))
    assert [r.pk for r in inbox.object_list] == [theirs.pk, mine.pk]
    GapReport.objects.filter(pk=mine.pk).update(status=GapStatus.IN_REVIEW)
    assert [r.pk for r in coordinator_inbox(world.ctx("coordinator"),
                                            InboxFilter(status=GapStatus.IN_REVIEW)).object_list] == [mine.pk]
    assert list(coordinator_inbox(world.ctx("coordinator"), InboxFilter(whole_district_only=True)).object_list) == []
    for user in ("caritas", "jobcentre", "dpo"):
        with pytest.raises(AccessDenied):
            coordinator_inbox(world.ctx(user))
    other = build_world("88888")
    assert list(coordinator_inbox(other.ctx("coordinator")).object_list) == []


def test_the_name_check_counts_only_persons_the_writer_may_see(world, registered):
    """Otherwise the refusal would tell anyone whether a name is in the registry."""
    district = world.district.pk
    assert registry_names_in_text(district, "Olena Kovalenko", visible_to=world.ctx("caritas")) == [
        "Olena Kovalenko"]
    assert registry_names_in_text(district, "Olena Kovalenko", visible_to=world.ctx("jobcentre")) == []
    assert find_personal_data("Olena Kovalenko wartet", district_id=district, ctx=world.ctx("coordinator")) == []
