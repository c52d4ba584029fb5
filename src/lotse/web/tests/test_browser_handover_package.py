"""Browser test: the job centre opens the data package of a handover without and then with the
person's consent; the social office opens its read-only view of the foreigners' authority's
residence data. axe-core on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from lotse.consent.services import consent_record
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.models import Handover
from lotse.people.models import PersonAgencyLink
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
TODAY = datetime.date.today()
EMAIL = "rami.saleh@example.org"


def _status(world, pid, valid_from, valid_to=None, pending=None):
    with personal_data_scope():
        PersonAgencyLink.objects.get_or_create(person_id=pid, agency=world.agencies["abh"])
    kind = ResidenceKind.objects.in_force(valid_from).get(code="p25-2-gfk")
    residence_status_add(ctx=world.ctx("abh"), person_id=pid, kind_id=kind.pk, document="fiktion",
                         valid_from=valid_from, valid_to=valid_to, application_pending_since=pending)


def test_job_centre_reads_the_package_and_the_social_office_the_abh_view(live_server, live_world, page):
    world = live_world
    rami = register_person(world, given_names="Rami", family_name="Saleh", email=EMAIL)
    add_benefits(world, rami)
    _status(world, rami, D(2026, 3, 10), TODAY + datetime.timedelta(days=700), pending=D(2026, 3, 1))
    with personal_data_scope():
        handover = Handover.objects.get(person_id=rami)

    # The job centre, without consent: identity through the rule, the rest named in the banner.
    log_in(page, live_server.url, world.users["jobcentre"], enrol_totp(world.users["jobcentre"]))
    assert_accessible(page)
    page.goto(f"{live_server.url}/handovers/{handover.pk}/package/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Datenpaket", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Nicht in diesem Paket")).to_be_visible()
    expect(page.get_by_text("verborgen: keine Einwilligung für die Kategorie „Kontakt und Anschrift“").first).to_be_visible()
    assert page.get_by_text(EMAIL).count() == 0

    # With the person's consent for contact data the package shows exactly that.
    consent_record(ctx=world.ctx("social_a"), person_id=rami, categories=["contact"],
                   purpose="benefits_handover", to_agency_id=world.agencies["jobcentre"].pk,
                   from_agency_id=world.agencies["social_a"].pk, given_on=TODAY, valid_until=None,
                   method="signed_form", informed_language="ar")
    page.reload()
    assert_accessible(page)
    expect(page.get_by_text(EMAIL)).to_be_visible()
    expect(page.get_by_text("sichtbar aufgrund der Einwilligung").first).to_be_visible()
    expect(page.get_by_text("verborgen: keine Einwilligung für die Kategorie „Leistungen“").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Als PDF herunterladen").click()
    assert download.value.suggested_filename == f"datenpaket-{handover.pk}.pdf"

    # The social office: its read-only view of the foreigners' authority's data.
    page.context.clear_cookies()
    log_in(page, live_server.url, world.users["social_a"], enrol_totp(world.users["social_a"]))
    page.goto(f"{live_server.url}/residence/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Aufenthaltsdaten (Ausländerbehörde)")).to_be_visible()
    page.get_by_role("textbox", name="Name").fill("Rami Salih")
    page.get_by_role("button", name="Suchen").click()
    assert_accessible(page)
    assert "Salih" not in page.url  # the search is a POST: no name in the address
    expect(page.get_by_text("1 Person gefunden.")).to_be_visible()
    page.get_by_role("link", name="Rami Saleh").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Aktueller Aufenthaltsstatus")).to_be_visible()
    expect(page.get_by_text("Flüchtlingseigenschaft")).to_be_visible()
    expect(page.get_by_text("kein Termin erfasst")).to_be_visible()
    expect(page.get_by_text("01.03.2026")).to_be_visible()
