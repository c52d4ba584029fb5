"""Handover pages through Django's test client: the list and the page for the two offices
only, the checklist ticked off by the responsible office, bad input answered with errors and
nothing saved, completing and cancelling, recording the new regime, and the coordinators'
overview without a single name."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation
from django.utils.translation import gettext

from lotse.core.scoping import personal_data_scope
from lotse.handovers.checklist import BY_KEY
from lotse.handovers.models import ChecklistItem, Handover, HandoverStatus
from lotse.handovers.tests.test_workflow import item, recognised_household, tick
from lotse.people.models import BenefitsRegime
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

D = datetime.date


def _de(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


@pytest.fixture
def handover(world):
    return recognised_household(world)


def _status(handover) -> str:
    with personal_data_scope():
        return Handover.objects.get(pk=handover.pk).status


def _item_state(handover) -> list:
    with personal_data_scope():
        return list(ChecklistItem.objects.filter(handover=handover).order_by("id")
                    .values_list("key", "done_on", "value_date", "note"))


def test_the_list_shows_the_offices_handovers_with_household_and_risk(world, handover):
    for who in ("social_a", "jobcentre"):
        response = _client_for(world, who).get("/handovers/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Rami Saleh" in html and "Huda Saleh" in html
        assert f"/handovers/{handover.pk}/" in html
        assert "AsylbLG → SGB II" in html
        assert _de("application missing") in html  # the deadline of 30.4.2026 has passed long ago
    empty = _client_for(world, "social_b").get("/handovers/")
    assert empty.status_code == 200 and "Rami Saleh" not in empty.content.decode()
    for who in ("caritas", "coordinator", "abh"):
        assert _client_for(world, who).get("/handovers/").status_code == 404


def test_the_page_is_for_the_two_offices_only(world, handover):
    for who in ("social_b", "caritas", "coordinator"):
        assert _client_for(world, who).get(f"/handovers/{handover.pk}/").status_code == 404
    job = _client_for(world, "jobcentre")
    assert job.get("/handovers/999999/").status_code == 404
    response = job.get(f"/handovers/{handover.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rami Saleh" in html and "Huda Saleh" in html
    assert "rami.saleh@example.org" not in html and "0170 1234567" not in html
    assert "Sozialamt A-Dorf" in html  # says whose contact data is hidden, and why
    # Only the job centre's own items carry a form.
    assert f'action="/handovers/items/{item(handover, "application").pk}/"' in html
    assert f'action="/handovers/items/{item(handover, "consent").pk}/"' not in html
    social = _client_for(world, "social_a").get(f"/handovers/{handover.pk}/").content.decode()
    assert "rami.saleh@example.org" in social
    assert f'action="/handovers/items/{item(handover, "consent").pk}/"' in social
    assert f'action="/handovers/items/{item(handover, "application").pk}/"' not in social


def test_the_paying_office_gets_a_prefilled_consent_form_that_comes_back(world, handover):
    response = _client_for(world, "social_a").get(f"/handovers/{handover.pk}/")
    url = urlparse(response.context["consent_link"])
    query = parse_qs(url.query)
    assert url.path == f"/persons/{handover.person_id}/consents/new/"
    assert query["from"] == [str(world.agencies["social_a"].pk)]
    assert query["to"] == [str(world.agencies["jobcentre"].pk)]
    assert query["purpose"] == ["benefits_handover"]
    assert query["next"] == [f"/handovers/{handover.pk}/"]
    assert _client_for(world, "jobcentre").get(f"/handovers/{handover.pk}/").context["consent_link"] == ""


def test_ticking_off_with_a_date_and_reopening(world, handover):
    client = _client_for(world, "jobcentre")
    application = item(handover, "application")
    response = client.post(f"/handovers/items/{application.pk}/", {
        f"item-{application.pk}-done": "1", f"item-{application.pk}-value_date": "2026-04-20",
        f"item-{application.pk}-note": "persönlich abgegeben"})
    assert response.status_code == 302
    assert response["Location"] == f"/handovers/{handover.pk}/#item-{application.pk}"
    done = item(handover, "application")
    assert done.value_date == D(2026, 4, 20) and done.note == "persönlich abgegeben" and done.done_on
    page = client.get(f"/handovers/{handover.pk}/").content.decode()
    assert "20.04.2026" in page
    response = client.post(f"/handovers/items/{application.pk}/", {f"item-{application.pk}-done": "0"})
    assert response.status_code == 302
    assert item(handover, "application").done_on is None


@pytest.mark.parametrize("data", [
    {"done": "1"},  # the application needs its date
    {"done": "1", "value_date": "2026-02-30"},
    {"done": "1", "value_date": "20.04.2026x"},
    {"done": "1", "value_date": "99999-01-01"},
    {"done": "1", "value_date": "2030-01-01"},
    {"done": "1", "value_date": "1900-01-01"},
    {"done": "maybe", "value_date": "2026-04-20"},
    {"value_date": "2026-04-20"},
    {"done": "1", "value_date": "2026-04-20", "note": "x" * 301},
])
def test_bad_input_answers_with_errors_and_saves_nothing(world, handover, data):
    client = _client_for(world, "jobcentre")
    application = item(handover, "application")
    before = _item_state(handover)
    response = client.post(f"/handovers/items/{application.pk}/",
                           {f"item-{application.pk}-{k}": v for k, v in data.items()})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert _item_state(handover) == before


def test_another_offices_item_is_refused_and_a_stranger_gets_404(world, handover):
    consent = item(handover, "consent")
    before = _item_state(handover)
    response = _client_for(world, "jobcentre").post(f"/handovers/items/{consent.pk}/",
                                                    {f"item-{consent.pk}-done": "1"})
    assert response.status_code == 400
    assert _de("Only the responsible office ticks off this item.") in response.content.decode()
    for who in ("social_b", "caritas"):
        assert _client_for(world, who).post(f"/handovers/items/{consent.pk}/",
                                            {f"item-{consent.pk}-done": "1"}).status_code == 404
    social = _client_for(world, "social_a")
    assert social.post("/handovers/items/999999999999/", {}).status_code == 404
    assert social.get(f"/handovers/items/{consent.pk}/").status_code == 405
    assert _item_state(handover) == before


def test_completing_needs_the_recorded_dates(world, handover):
    client = _client_for(world, "jobcentre")
    response = client.post(f"/handovers/{handover.pk}/complete/", follow=True)
    assert response.status_code == 200
    assert str(BY_KEY["first_payment"].label) in response.content.decode()
    assert _status(handover) == HandoverStatus.OPEN
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20))
    tick(world, "jobcentre", handover, "confirmation", D(2026, 4, 24))
    tick(world, "jobcentre", handover, "first_payment", D(2026, 5, 2))
    tick(world, "social_a", handover, "last_payment", D(2026, 3, 31))
    page = client.get(f"/handovers/{handover.pk}/").content.decode()
    assert f'action="/handovers/{handover.pk}/complete/"' in page
    response = client.post(f"/handovers/{handover.pk}/complete/", follow=True)
    assert _de("The handover was completed.") in response.content.decode()
    assert _status(handover) == HandoverStatus.COMPLETED
    assert "Rami Saleh" not in client.get("/handovers/").content.decode()  # no longer open
    assert _client_for(world, "social_b").post(f"/handovers/{handover.pk}/complete/").status_code == 404


def test_cancelling_needs_a_reason(world, handover):
    client = _client_for(world, "social_a")
    response = client.post(f"/handovers/{handover.pk}/cancel/", {"reason": "  "})
    assert response.status_code == 400 and _status(handover) == HandoverStatus.OPEN
    response = client.post(f"/handovers/{handover.pk}/cancel/", {"reason": "x" * 301})
    assert response.status_code == 400 and _status(handover) == HandoverStatus.OPEN
    assert _client_for(world, "social_b").post(f"/handovers/{handover.pk}/cancel/",
                                               {"reason": "Umzug"}).status_code == 404
    response = client.post(f"/handovers/{handover.pk}/cancel/", {"reason": "Umzug nach Köln"})
    assert response.status_code == 302 and _status(handover) == HandoverStatus.CANCELLED
    page = client.get(f"/handovers/{handover.pk}/").content.decode()
    assert "Umzug nach Köln" in page
    assert "/handovers/items/" not in page and f"/handovers/{handover.pk}/cancel/" not in page
    # The job centre knew the person only through the rule for open handovers.
    assert _client_for(world, "jobcentre").get(f"/handovers/{handover.pk}/").status_code == 404


def test_the_job_centre_records_sgb2_for_the_household(world, handover):
    social = _client_for(world, "social_a")
    client = _client_for(world, "jobcentre")
    assert f"/handovers/{handover.pk}/regime/" not in client.get(f"/handovers/{handover.pk}/").content.decode()
    tick(world, "jobcentre", handover, "application", D(2026, 4, 20))
    assert f"/handovers/{handover.pk}/regime/" in client.get(f"/handovers/{handover.pk}/").content.decode()
    assert f"/handovers/{handover.pk}/regime/" not in social.get(f"/handovers/{handover.pk}/").content.decode()
    social.post(f"/handovers/{handover.pk}/regime/")
    with personal_data_scope():
        assert not BenefitsRegime.objects.filter(regime="sgb2").exists()
    response = client.post(f"/handovers/{handover.pk}/regime/", follow=True)
    assert _de("The new benefits regime was recorded for the household.") in response.content.decode()
    with personal_data_scope():
        assert BenefitsRegime.objects.filter(regime="sgb2", valid_from=D(2026, 4, 1)).count() == 2


def test_the_overview_is_for_coordinators_and_names_nobody(world, handover):
    recognised_household(world, town="b", given_names="Omar", family_name="Khalil", email="")
    client = _client_for(world, "coordinator")
    response = client.get("/handovers/overview/?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Rami", "Saleh", "Huda", "Omar", "Khalil"):
        assert name not in html
    overview = response.context["overview"]
    assert overview.district.open == 2
    # One handover per town: too small to show per municipality, and the pool of two is too.
    assert overview.rows == [] and "A-Dorf" not in html
    for extra in range(4):
        recognised_household(world, given_names=f"P{extra}", family_name="Test", email="")
    response = client.get("/handovers/overview/?start=2026-01-01&end=2026-12-31")
    html = response.content.decode()
    overview = response.context["overview"]
    assert [row.name for row in overview.rows] == ["A-Dorf"] and "A-Dorf" in html
    # The bar chart shows the table's numbers.
    bars = [int(v) for v in re.findall(r'<progress aria-hidden="true" max="\d+" value="(\d+)"', html)]
    assert bars == [n for row in overview.rows for n in (row.total, row.gaps)]
    assert client.get("/handovers/overview/").status_code == 200  # this year by default
    for bad in ("start=2026-13-01", "start=2026-12-31&end=2026-01-01", "end=99999-01-01"):
        bad_response = client.get(f"/handovers/overview/?{bad}")
        assert bad_response.status_code == 400 and bad_response.context["overview"] is None
    for who in ("jobcentre", "caritas"):
        assert _client_for(world, who).get("/handovers/overview/").status_code == 404
