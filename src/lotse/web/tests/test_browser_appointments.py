"""Browser test: an eAT invitation from proposal to the desk. The foreigners' authority assigns
the open proposal and sends the invitation; the person opens the personal link (first in
Arabic, right to left, then in German) and picks another time; on the day of the appointment
the desk checks the person in and records the outcome. axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotse.appointments.letter_texts import PUBLIC_TEXTS
from lotse.appointments.models import Appointment, AppointmentMember
from lotse.appointments.tests.factories import appointment_of, configure, person_with_title
from lotse.core.scoping import personal_data_scope
from lotse.web.tests.browser import assert_accessible, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _move_to_today(appointment_id: int) -> None:
    """The day of the appointment has come: the booking is moved to today, 10:00 local time."""
    with personal_data_scope():
        appointment = Appointment.objects.get(pk=appointment_id)
        local_start = timezone.localtime(appointment.starts_at)
        today_start = local_start.replace(year=timezone.localdate().year, month=timezone.localdate().month,
                                          day=timezone.localdate().day, hour=10, minute=0)
        shift = today_start - local_start
        Appointment.objects.filter(pk=appointment_id).update(starts_at=appointment.starts_at + shift,
                                                             ends_at=appointment.ends_at + shift,
                                                             token_expires_on=timezone.localdate())
        for member in AppointmentMember.objects.filter(appointment_id=appointment_id):
            AppointmentMember.objects.filter(pk=member.pk).update(starts_at=member.starts_at + shift,
                                                                  ends_at=member.ends_at + shift)


def test_invitation_rebooking_and_check_in_at_the_desk(live_server, live_world, page, browser):
    world = live_world
    configure(world)
    today = timezone.localdate()
    person_id = person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), given="Nour",
                                  family="Saleh", email="")

    # The authority: the recorded title was proposed at once; assign and invite.
    log_in(page, live_server.url, world.users["abh"], enrol_totp(world.users["abh"]))
    page.get_by_role("link", name="eAT-Termine").first.click()
    page.wait_for_url("**/appointments/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="eAT-Termine", exact=True)).to_be_visible()
    state = page.locator(".kern-description-list-item", has_text="Offene Einladungsvorschläge")
    expect(state.get_by_text("1", exact=True)).to_be_visible()
    page.get_by_role("button", name="Offene Vorschläge auf Zeiten verteilen").click()
    page.wait_for_url("**/appointments/")
    assert_accessible(page)
    expect(page.get_by_role("table", name="Letzte Zuweisungen")).to_be_visible()
    page.get_by_role("button", name="Geplante Termine einladen").click()
    assert_accessible(page)
    expect(page.get_by_text("1 Termine eingeladen, davon 0 per E-Mail")).to_be_visible()

    page.get_by_role("navigation", name="eAT-Termine").get_by_role("link", name="Termine", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Zu druckende Briefe").click()
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("Nour Saleh"))
    expect(row).to_be_visible()
    row.get_by_role("link").first.click()
    page.wait_for_url("**/appointments/*/")
    assert_accessible(page)
    link = page.locator(".kern-description-list-item", has_text="Persönlicher Link").get_by_role("link")
    url = link.get_attribute("href")
    assert "/termin/" in url
    first_time = page.locator(".kern-description-list-item", has_text="Wann").inner_text()

    # The person, without login: the page in Arabic (right to left), then in German.
    visitor = browser.new_context().new_page()
    visitor.set_default_timeout(8000)
    visitor.goto(f"{url}?lang=ar")
    assert_accessible(visitor)
    assert visitor.locator("html").get_attribute("dir") == "rtl"
    expect(visitor.get_by_role("heading", name=PUBLIC_TEXTS["ar"]["page_title"], level=1)).to_be_visible()
    assert "Nour" not in visitor.content() and "Saleh" not in visitor.content()
    visitor.get_by_role("link", name="Deutsch").click()
    assert_accessible(visitor)
    assert visitor.locator("html").get_attribute("dir") == "ltr"
    choices = visitor.get_by_role("button", name=re.compile("^Diesen Termin wählen"))
    assert choices.count() >= 1
    choices.first.click()
    assert_accessible(visitor)
    expect(visitor.get_by_text("Ihr neuer Termin ist gebucht.")).to_be_visible()
    appointment = appointment_of(person_id)
    assert appointment.status == "confirmed" and appointment.rebooked_count == 1

    # The authority sees the new time on the appointment page.
    page.reload()
    assert page.locator(".kern-description-list-item", has_text="Wann").inner_text() != first_time
    expect(page.get_by_text("von der Person bestätigt")).to_be_visible()

    # The day has come: the desk checks Nour in and records the outcome.
    _move_to_today(appointment.pk)
    office = appointment.office
    page.goto(f"{live_server.url}/appointments/desk/?office={office.pk}&day={today.isoformat()}")
    assert_accessible(page)
    expect(page.get_by_role("heading", name=f"Schalter {appointment.counter}")).to_be_visible()
    desk_row = page.get_by_role("row", name=re.compile("Nour Saleh"))
    desk_row.get_by_role("button", name=re.compile("^Einchecken")).click()
    assert_accessible(page)
    expect(page.get_by_text("Eingecheckt.")).to_be_visible()
    desk_row = page.get_by_role("row", name=re.compile("Nour Saleh"))
    expect(desk_row.get_by_text("eingecheckt")).to_be_visible()
    desk_row.get_by_label("Ergebnis für Nour Saleh").select_option(value="application_taken")
    desk_row.get_by_role("button", name=re.compile("^Ergebnis erfassen")).click()
    assert_accessible(page)
    desk_row = page.get_by_role("row", name=re.compile("Nour Saleh"))
    expect(desk_row.get_by_text("Antrag aufgenommen")).to_be_visible()
    expect(desk_row.get_by_text("abgeschlossen")).to_be_visible()
