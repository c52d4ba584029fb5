"""The intake and plan pages through Django's test client: what a case manager, a reader with
consent and a stranger get, errors shown and nothing saved on bad input."""

import datetime

import pytest
from django.urls import reverse

from lotse.audit.models import AccessEvent
from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.intake import reference
from lotse.intake.models import Intake
from lotse.intake.selectors import questionnaire_current
from lotse.plans.models import PlanGoal, PlanStep
from lotse.plans.services import goal_add, step_add
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(world):
    return open_case(world, register_person(world, by="caritas", given_names="Canary-Given",
                                            family_name="Karimi"))


def _intake_post(questionnaire, **extra):
    data = {
        "questionnaire": questionnaire.pk, "taken_on": TODAY.isoformat(),
        "language_levels__0__language": "de", "language_levels__0__level": "A2",
        "language_levels__1__language": "ar", "language_levels__1__level": "C2",
        "qualifications__0__kind": "vocational", "qualifications__0__title": "Elektriker",
        "qualifications__0__country": "Syrien", "qualifications__0__years": "3",
        "qualifications__0__recognition": "partly_recognised",
        "work_fields": ["crafts", "construction"],
        "goals": "Als Elektriker arbeiten",
        "support_needs": ["language", "recognition"],
        "offices_involved": ["job_centre"],
        "cooperation_rating": "mixed",
    }
    data.update(extra)
    return data


def _intakes() -> int:
    with personal_data_scope():
        return Intake.objects.count()


# --- intake -------------------------------------------------------------------------------------------

def test_case_manager_records_an_intake_through_the_generated_form(world, case):
    client = _client_for(world, "caritas")
    url = reverse("web:intake-start", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="language_levels__3__level"' in html  # four language rows
    assert 'name="qualifications__2__recognition"' in html  # three qualification rows
    assert "Sprachen und Niveau (GER)" in html and "Beteiligte Stellen" in html
    questionnaire = questionnaire_current(reference.CODE)
    response = client.post(url, _intake_post(questionnaire))
    assert response.status_code == 302
    with personal_data_scope():
        intake = Intake.objects.get()
    assert response["Location"] == reverse("web:intake-detail", args=[intake.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Deutsch: A2" in detail and "Arabisch: C2" in detail
    assert "Elektriker" in detail and "teilweise anerkannt" in detail
    assert "Als Elektriker arbeiten" in detail and "Teils, teils" in detail
    assert "KIM-Erstgespräch, Fassung 1" in detail


@pytest.mark.parametrize("extra, shown", [
    ({"goals": ""}, "Dieses Feld ist zwingend erforderlich."),
    ({"language_levels__1__language": "de"}, "ist doppelt angegeben"),
    ({"qualifications__0__title": ""}, "Bezeichnung angeben"),
    ({"cooperation_rating": "excellent"}, "Auswahl"),
    ({"taken_on": "gestern"}, "Datum"),
])
def test_bad_intake_input_is_shown_and_nothing_saved(world, case, extra, shown):
    client = _client_for(world, "caritas")
    response = client.post(reverse("web:intake-start", args=[case.pk]),
                           _intake_post(questionnaire_current(reference.CODE), **extra))
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert 'value="Als Elektriker arbeiten"' in response.content.decode() or \
        "Als Elektriker arbeiten</textarea>" in response.content.decode() or extra.get("goals") == ""
    assert _intakes() == 0


def test_strangers_get_404_on_intake_pages(world, case):
    client = _client_for(world, "caritas")
    client.post(reverse("web:intake-start", args=[case.pk]), _intake_post(questionnaire_current(reference.CODE)))
    with personal_data_scope():
        intake = Intake.objects.get()
    stranger = _client_for(world, "jobcentre")
    assert stranger.get(reverse("web:intake-start", args=[case.pk])).status_code == 404
    assert stranger.post(reverse("web:intake-start", args=[case.pk]),
                         _intake_post(questionnaire_current(reference.CODE))).status_code == 404
    assert stranger.get(reverse("web:intake-detail", args=[intake.pk])).status_code == 404
    assert _intakes() == 1


def test_reader_with_consent_sees_the_intake_but_cannot_start_one(world, case):
    client = _client_for(world, "caritas")
    client.post(reverse("web:intake-start", args=[case.pk]), _intake_post(questionnaire_current(reference.CODE)))
    with personal_data_scope():
        intake = Intake.objects.get()
    consent_record(ctx=world.ctx("caritas"), person_id=case.person_id, categories=["identity", "counselling_notes"],
                   purpose="benefits_administration", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
                   method="signed_form", informed_language="de")
    reader = _client_for(world, "jobcentre")
    detail = reader.get(reverse("web:intake-detail", args=[intake.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Als Elektriker arbeiten" in html
    assert "Elektriker" not in html.replace("Als Elektriker arbeiten", "")  # qualifications hidden
    assert "ausgeblendet" in html
    assert reader.get(reverse("web:intake-start", args=[case.pk])).status_code == 404


# --- plan ----------------------------------------------------------------------------------------------

def test_plan_page_template_status_and_pdf(world, case):
    client = _client_for(world, "caritas")
    url = reverse("web:plan-detail", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Noch kein Integrationsplan" in page.content.decode()

    response = client.post(reverse("web:plan-template-apply", args=[case.pk]),
                           {"template-template": "chancen-aufenthaltsrecht", "template-anchor_on": "2025-06-02"})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "21.10.2026" in html and "02.12.2026" in html
    assert "Ausländerbehörde Teststadt" in html
    assert "0 von 5 Schritten erledigt" in html

    with personal_data_scope():
        step = PlanStep.objects.get(title__startswith="Pass und Identität")
    response = client.post(reverse("web:plan-step-status", args=[case.pk, step.pk]), {"status": "done"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "1 von 5 Schritten erledigt" in html

    pdf = client.get(reverse("web:plan-pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(action="plan.printed", person_id=case.person_id).exists()

    case_page = client.get(reverse("web:case-detail", args=[case.pk])).content.decode()
    assert "1 von 5 Schritten erledigt" in case_page


def test_bad_plan_input_is_shown_and_nothing_saved(world, case):
    client = _client_for(world, "caritas")
    response = client.post(reverse("web:plan-goal-add", args=[case.pk]),
                           {"goal-life_area": "housing", "goal-title": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    response = client.post(reverse("web:plan-template-apply", args=[case.pk]),
                           {"template-template": "chancen-aufenthaltsrecht", "template-anchor_on": "2022-06-01"})
    assert response.status_code == 400
    assert "Für dieses Datum ist keine Fristregel in Kraft" in response.content.decode()
    with personal_data_scope():
        assert not PlanGoal.objects.exists() and not PlanStep.objects.exists()

    client.post(reverse("web:plan-goal-add", args=[case.pk]), {"goal-life_area": "housing", "goal-title": "Wohnung"})
    with personal_data_scope():
        goal = PlanGoal.objects.get()
    response = client.post(reverse("web:plan-step-add", args=[case.pk]),
                           {"step-goal": goal.pk, "step-title": "Besichtigung", "step-due_on": "kein Datum"})
    assert response.status_code == 400
    response = client.post(reverse("web:plan-step-add", args=[case.pk]),
                           {"step-goal": goal.pk, "step-title": "Besichtigung", "step-due_on": "2030-01-31",
                            "step-responsible_agency": world.agencies["social_b"].pk})
    assert response.status_code == 302
    with personal_data_scope():
        step = PlanStep.objects.get()
    assert (step.title, step.due_on, step.responsible_agency_id) == (
        "Besichtigung", datetime.date(2030, 1, 31), world.agencies["social_b"].pk)
    response = client.post(reverse("web:plan-step-status", args=[case.pk, step.pk]), {"status": "finished"})
    assert response.status_code == 302
    with personal_data_scope():
        assert PlanStep.objects.get().status == "open"


def test_strangers_get_404_and_readers_cannot_change_the_plan(world, case):
    goal = goal_add(ctx=world.ctx("caritas"), case_id=case.pk, life_area="housing", title="CANARY-GOAL")
    step = step_add(ctx=world.ctx("caritas"), goal_id=goal.pk, title="Wohnungssuche")
    stranger = _client_for(world, "jobcentre")
    for url in (reverse("web:plan-detail", args=[case.pk]), reverse("web:plan-pdf", args=[case.pk])):
        assert stranger.get(url).status_code == 404
    assert stranger.post(reverse("web:plan-goal-add", args=[case.pk]),
                         {"goal-life_area": "housing", "goal-title": "x"}).status_code == 404
    consent_record(ctx=world.ctx("caritas"), person_id=case.person_id, categories=["identity", "counselling_notes"],
                   purpose="benefits_administration", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
                   method="signed_form", informed_language="de")
    page = stranger.get(reverse("web:plan-detail", args=[case.pk])).content.decode()
    assert "CANARY-GOAL" in page
    assert "Ziel hinzufügen" not in page and 'name="status"' not in page
    stranger.post(reverse("web:plan-step-status", args=[case.pk, step.pk]), {"status": "done"})
    with personal_data_scope():
        assert PlanStep.objects.get().status == "open"
    assert stranger.get(reverse("web:plan-detail", args=[case.pk + 1000])).status_code == 404


def test_answers_to_a_replaced_questionnaire_version_are_not_recorded(world, case):
    from lotse.intake.services import questionnaire_publish

    old = questionnaire_current(reference.CODE)
    questionnaire_publish(code=reference.CODE, title="KIM-Erstgespräch", definition=reference.DEFINITION,
                          published_on=TODAY)
    client = _client_for(world, "caritas")
    response = client.post(reverse("web:intake-start", args=[case.pk]), _intake_post(old))
    assert response.status_code == 400
    assert "nicht mehr in Gebrauch" in response.content.decode()
    assert "Fassung 2" in response.content.decode()
    assert _intakes() == 0
