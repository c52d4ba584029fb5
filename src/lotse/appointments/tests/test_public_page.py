"""The person's own appointment page behind the personal link (`/termin/<token>/`, no login),
seen as the invited person, as somebody holding a wrong, old or made-up link, and as a bot
hammering the page: what it shows, what it logs, what a confirmation and a new choice change,
and what bad input leaves untouched."""

import datetime
import html
import re

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from lotse.appointments import selectors
from lotse.appointments.letter_texts import LANGUAGE_ORDER, PUBLIC_TEXTS, TEXTS
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentStatus,
    Office,
    PublicLinkAttempt,
)
from lotse.appointments.planning import busy_between
from lotse.appointments.selectors import PUBLIC_FAILURE_LIMIT, client_key
from lotse.appointments.services import (
    MAX_REBOOKINGS,
    appointment_cancel,
    appointment_new_link,
    desk_check_in,
    desk_outcome,
)
from lotse.appointments.tests.factories import appointment_of, configure, household, invited, person_with_title
from lotse.appointments.tests.factories import token_of as _token_of
from lotse.audit.models import AccessEvent, Decision
from lotse.core.scoping import personal_data_scope
from lotse.people.models import Person
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

PICK = re.compile(r'name="pick" value="([^"]*)"')


# --- helpers --------------------------------------------------------------------------------

def _text(response) -> str:
    return html.unescape(response.content.decode())


def _picks(response) -> list[str]:
    return [html.unescape(v) for v in PICK.findall(response.content.decode())]


def _events(action: str, appointment: Appointment) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action=action, object_ref=f"appointment:{appointment.pk}"))


def _fresh(appointment: Appointment) -> Appointment:
    with personal_data_scope():
        return Appointment.objects.get(pk=appointment.pk)


def _state(appointment: Appointment) -> tuple:
    """Everything a write through the page could change, for "nothing changed" checks."""
    with personal_data_scope():
        a = Appointment.objects.get(pk=appointment.pk)
        members = tuple(AppointmentMember.objects.filter(appointment=a).order_by("pk")
                        .values_list("pk", "starts_at", "ends_at"))
    return (a.status, a.office_id, a.counter, a.starts_at, a.ends_at, a.interpreter_id, a.rebooked_count,
            a.confirmed_at, a.token_salt, a.token_expires_on, members)


def _member_rows(appointment: Appointment) -> list[AppointmentMember]:
    with personal_data_scope():
        return list(AppointmentMember.objects.filter(appointment_id=appointment.pk).order_by("starts_at", "pk"))


def _family_invited(world, today):
    """Nour (head) and Yara Saleh, one household with a distinctive birth date and address,
    invited together by the daily run."""
    from lotse.appointments.tasks import daily_run

    configure(world)
    home = household(world)
    expires = today + datetime.timedelta(weeks=8)
    head = person_with_title(world, expires_on=expires, given="Nour", family="Saleh", household=home,
                             role="head", language="en")
    child = person_with_title(world, expires_on=expires, given="Yara", family="Saleh", household=home,
                              role="child", language="en")
    with personal_data_scope():
        Person.objects.filter(pk__in=[head, child]).update(
            birth_year=1987, birth_month=3, birth_day=14, street="Rosenweg 77", postal_code="52349",
            city="Zauberstadt")
    daily_run(world.agencies["abh"], today)
    appointment = appointment_of(head)
    assert appointment is not None and appointment_of(child).pk == appointment.pk
    return (head, child), appointment, _token_of(appointment)


def _url(token: str) -> str:
    return f"/termin/{token}/"


# --- what the page shows and logs -----------------------------------------------------------

def test_the_page_shows_the_appointment_but_nothing_about_the_persons(world):
    today = timezone.localdate()
    (head, child), appointment, token = _family_invited(world, today)
    response = Client().get(_url(token))
    assert response.status_code == 200
    page = _text(response)
    start = timezone.localtime(appointment.starts_at)
    assert start.strftime("%d.%m.%Y") in page
    assert start.strftime("%H:%M") in page
    assert timezone.localtime(appointment.ends_at).strftime("%H:%M") in page
    assert appointment.office.name in page and appointment.office.street in page
    assert PUBLIC_TEXTS["en"]["page_title"] in page
    assert TEXTS["en"]["service_renewal"] in page and TEXTS["en"]["service_family"] in page
    for member in _member_rows(appointment):
        assert timezone.localtime(member.starts_at).strftime("%H:%M") in page
    for secret in ("Nour", "Yara", "Saleh", "14.03.1987", "1987", "Rosenweg", "52349", "Zauberstadt",
                   f"AZ-{head}", f"AZ-{child}"):
        assert secret not in page, secret


def test_every_view_is_logged_for_each_member_without_an_actor(world):
    today = timezone.localdate()
    (head, child), appointment, token = _family_invited(world, today)
    client = Client()
    client.get(_url(token))
    client.get(_url(token) + "?lang=de")
    events = _events("appointment.public_view", appointment)
    assert sorted(e.person_id for e in events) == sorted([head, child, head, child])
    assert {(e.actor_id, e.basis, e.decision, e.agency_id) for e in events} == {
        (None, "personal_link", Decision.ALLOWED, world.agencies["abh"].pk)}


def test_the_calendar_file_is_a_calendar_without_names(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today, given="Nour", family="Saleh", language="ar")
    response = Client().get(_url(token) + "kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert start == appointment.starts_at
    assert start.utcoffset() == timezone.localtime(appointment.starts_at).utcoffset()
    assert event.decoded("dtend") == appointment.ends_at
    text = response.content.decode()
    assert "Nour" not in text and "Saleh" not in text
    assert token in str(event["url"])


def test_the_calendar_file_is_logged_as_a_view(world):
    today = timezone.localdate()
    person, appointment, token = invited(world, today)
    Client().get(_url(token) + "kalender.ics")
    assert [(e.person_id, e.actor_id, e.basis) for e in _events("appointment.public_view", appointment)] == [
        (person, None, "personal_link")]


# --- confirming -----------------------------------------------------------------------------

def test_confirm_once_changes_the_status_and_a_second_confirm_nothing(world):
    today = timezone.localdate()
    person, appointment, token = invited(world, today)
    client = Client()
    response = client.post(_url(token), {"action": "confirm", "lang": "de"})
    assert response.status_code == 302
    confirmed = _fresh(appointment)
    assert confirmed.status == AppointmentStatus.CONFIRMED and confirmed.confirmed_at is not None
    events = _events("appointment.confirmed", appointment)
    assert [(e.person_id, e.actor_id, e.basis) for e in events] == [(person, None, "personal_link")]
    follow = client.get(response["Location"])
    assert PUBLIC_TEXTS["de"]["confirmed_message"] in _text(follow)
    assert 'name="action" value="confirm"' not in follow.content.decode()  # no confirm button left

    before = _state(appointment)
    again = client.post(_url(token), {"action": "confirm"})
    assert again.status_code == 302
    assert _state(appointment) == before
    assert len(_events("appointment.confirmed", appointment)) == 1


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url(token))
    pick = _picks(page)[0]
    before = _state(appointment)
    assert client.post(_url(token), {"action": "confirm"}).status_code == 403
    assert client.post(_url(token), {"pick": pick}).status_code == 403
    assert _state(appointment) == before
    assert not _events("appointment.confirmed", appointment)
    assert not _events("appointment.rebooked", appointment)


# --- picking another time -------------------------------------------------------------------

def test_picking_an_offered_time_moves_the_appointment_and_frees_the_old_one(world):
    today = timezone.localdate()
    (head, child), appointment, token = _family_invited(world, today)
    old = _fresh(appointment)
    old_members = _member_rows(appointment)
    client = Client()
    response = client.get(_url(token))
    picks = _picks(response)
    assert picks, "no other time offered"
    office_id, starts = picks[0].split("|")
    new_start = datetime.datetime.fromisoformat(starts)

    moved = client.post(_url(token), {"pick": picks[0], "lang": "en"})
    assert moved.status_code == 302
    assert PUBLIC_TEXTS["en"]["rebooked_message"] in _text(client.get(moved["Location"]))
    now = _fresh(appointment)
    assert now.office_id == int(office_id)
    assert now.starts_at == new_start
    assert now.ends_at - now.starts_at == old.ends_at - old.starts_at
    assert now.status == AppointmentStatus.CONFIRMED and now.rebooked_count == 1
    assert now.token_expires_on == timezone.localtime(new_start).date()
    members = _member_rows(appointment)
    assert [m.person_id for m in members] == [m.person_id for m in old_members]
    assert members[0].starts_at == new_start
    offset = new_start - old.starts_at
    assert [(m.starts_at, m.ends_at) for m in members] == [(m.starts_at + offset, m.ends_at + offset)
                                                           for m in old_members]
    events = _events("appointment.rebooked", appointment)
    assert sorted(e.person_id for e in events) == sorted([head, child])
    assert {(e.actor_id, e.basis) for e in events} == {(None, "personal_link")}

    # the old time is free again: nothing is booked at that counter then
    old_day = timezone.localtime(old.starts_at).date()
    taken = busy_between([old.office_id], old_day, old_day)
    assert not [b for b in taken if b.office_id == old.office_id and b.counter == old.counter
                and b.starts < old.ends_at and old.starts_at < b.ends]
    # and the page answers with the new time
    page = _text(client.get(_url(token)))
    assert timezone.localtime(new_start).strftime("%d.%m.%Y") in page
    assert timezone.localtime(new_start).strftime("%H:%M") in page


@pytest.mark.parametrize("tamper", ["later", "other_office", "garbage", "long", "nul", "empty"])
def test_a_time_that_was_not_offered_is_refused_and_changes_nothing(world, tamper):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    client = Client()
    pick = _picks(client.get(_url(token)))[0]
    office_id, starts = pick.split("|")
    start = datetime.datetime.fromisoformat(starts)
    other_office = Office.objects.exclude(pk=int(office_id)).values_list("pk", flat=True).first()
    value = {
        "later": f"{office_id}|{(start + datetime.timedelta(minutes=10)).isoformat()}",
        "other_office": f"{other_office}|{starts}",
        "garbage": "1|not-a-time",
        "long": pick + "9" * 100_000,
        "nul": pick + "\x00",
        "empty": "",
    }[tamper]
    before = _state(appointment)
    response = client.post(_url(token), {"pick": value})
    assert response.status_code == 400
    assert PUBLIC_TEXTS["de"]["no_alternatives"] in _text(response)
    assert _state(appointment) == before
    assert not _events("appointment.rebooked", appointment)


def test_after_the_last_allowed_move_no_further_time_is_offered(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    client = Client()
    for _move in range(MAX_REBOOKINGS):
        picks = _picks(client.get(_url(token)))
        assert picks
        assert client.post(_url(token), {"pick": picks[0]}).status_code == 302
    assert _fresh(appointment).rebooked_count == MAX_REBOOKINGS
    page = client.get(_url(token) + "?lang=en")
    assert page.status_code == 200
    assert _picks(page) == []
    assert PUBLIC_TEXTS["en"]["no_alternatives"] in _text(page)
    # a time sent anyway (offered before, or made up) is refused with the same message
    before = _state(appointment)
    day = timezone.localtime(appointment.starts_at).date() + datetime.timedelta(days=1)
    response = client.post(_url(token), {"pick": f"{appointment.office_id}|{day.isoformat()}T08:00:00+01:00",
                                          "lang": "en"})
    assert response.status_code == 400
    assert PUBLIC_TEXTS["en"]["no_alternatives"] in _text(response)
    assert _state(appointment) == before


def test_the_service_refuses_a_move_beyond_the_limit(world):
    """The door below the page: even a server-computed time is refused after the last move."""
    from django.core.exceptions import ValidationError

    from lotse.appointments.planning import alternatives_for
    from lotse.appointments.services import public_rebook

    today = timezone.localdate()
    _person, appointment, _token = invited(world, today)
    with personal_data_scope():
        Appointment.objects.filter(pk=appointment.pk).update(rebooked_count=MAX_REBOOKINGS)
    current = _fresh(appointment)
    choice = alternatives_for(current)[0]
    before = _state(appointment)
    with pytest.raises(ValidationError) as raised, override("de"):
        public_rebook(current, choice)
    with override("de"):
        assert gettext("This appointment was moved too often. Please call the office.") in raised.value.messages
    assert _state(appointment) == before


# --- bad links ------------------------------------------------------------------------------

def test_unknown_wrong_and_malformed_links_find_nothing(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    client = Client()
    pk, code = token.split(".")
    wrong = "0" * 32 if code != "0" * 32 else "1" * 32
    for bad in (f"99999999.{code}", f"{pk}.{wrong}"):
        response = client.get(_url(bad))
        assert response.status_code == 404, bad
        assert PUBLIC_TEXTS["de"]["invalid_link_text"] in _text(response)
        assert appointment.office.name not in _text(response)
        assert client.post(_url(bad), {"action": "confirm"}).status_code == 404
        assert client.get(_url(bad) + "kalender.ics").status_code == 404
    for malformed in (f"{pk}", f"{pk}.{code.upper()}", f"{pk}.{code[:-1]}", f"{pk}.{code}0", f"x{pk}.{code}",
                      f"{pk}.{code[:-1]}g", f"-{pk}.{code}", f"{pk}..{code}"):
        assert client.get(_url(malformed)).status_code == 404, malformed
    assert _fresh(appointment).status == AppointmentStatus.INVITED
    assert not _events("appointment.public_view", appointment)


def test_a_replaced_link_no_longer_works_and_the_new_one_does(world):
    today = timezone.localdate()
    _person, appointment, old_token = invited(world, today)
    new_token = appointment_new_link(ctx=world.ctx("abh"), appointment_id=appointment.pk)
    assert new_token != old_token
    client = Client()
    assert client.get(_url(old_token)).status_code == 404
    before = _state(appointment)
    assert client.post(_url(old_token), {"action": "confirm"}).status_code == 404
    assert _state(appointment) == before
    assert client.get(_url(new_token)).status_code == 200


def test_an_expired_link_gets_the_gone_page(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    with personal_data_scope():
        Appointment.objects.filter(pk=appointment.pk).update(token_expires_on=today - datetime.timedelta(days=1))
    client = Client()
    response = client.get(_url(token))
    assert response.status_code == 410
    assert PUBLIC_TEXTS["de"]["invalid_link_text"] in _text(response)
    assert appointment.office.phone in _text(response)
    before = _state(appointment)
    assert client.post(_url(token), {"action": "confirm"}).status_code == 410
    assert client.get(_url(token) + "kalender.ics").status_code == 410
    assert _state(appointment) == before


def test_a_cancelled_appointment_says_so(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today, language="tr")
    appointment_cancel(ctx=world.ctx("abh"), appointment_id=appointment.pk)
    client = Client()
    response = client.get(_url(token))
    assert response.status_code == 410
    assert PUBLIC_TEXTS["tr"]["cancelled_message"] in _text(response)
    assert '<html lang="tr"' in response.content.decode()
    assert client.post(_url(token), {"action": "confirm"}).status_code == 410
    assert _fresh(appointment).status == AppointmentStatus.CANCELLED
    # a closed appointment is no failed attempt: the visitor is not pushed towards the limit
    assert not PublicLinkAttempt.objects.filter(client_hash=client_key("127.0.0.1")).exists()
    # the staff no longer get the link or a letter for it
    abh = _client_for(world, "abh")
    detail = abh.get(f"/appointments/{appointment.pk}/")
    assert detail.status_code == 200 and token not in detail.content.decode()
    assert abh.get(f"/appointments/{appointment.pk}/letter.pdf").status_code == 404
    assert abh.get(f"/appointments/{appointment.pk}/invitation.ics").status_code == 404


def test_checked_in_and_completed_appointments_cannot_be_changed(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    desk = world.ctx("abh", today=day)
    desk_check_in(ctx=desk, appointment_id=appointment.pk)
    client = Client()
    pick = f"{appointment.office_id}|{timezone.localtime(appointment.starts_at).isoformat()}"
    for status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED):
        if status == AppointmentStatus.COMPLETED:
            (member,) = _member_rows(appointment)
            desk_outcome(ctx=desk, member_id=member.pk, outcome="application_taken")
        before = _state(appointment)
        assert before[0] == status
        assert client.get(_url(token)).status_code == 410
        assert client.post(_url(token), {"action": "confirm"}).status_code == 410
        assert client.post(_url(token), {"pick": pick}).status_code == 410
        assert _state(appointment) == before
    assert not _events("appointment.confirmed", appointment)


# --- the rate limit -------------------------------------------------------------------------

def test_too_many_failures_from_one_address_block_that_address_only(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    pk, code = token.split(".")
    bot = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(PUBLIC_FAILURE_LIMIT):
        guess = f"{attempt:032x}"
        assert bot.get(_url(f"{pk}.{guess}")).status_code == 404
    blocked = bot.get(_url(token))
    assert blocked.status_code == 429
    assert PUBLIC_TEXTS["de"]["too_many_attempts"] in _text(blocked)
    assert appointment.office.name not in _text(blocked)
    before = _state(appointment)
    assert bot.post(_url(token), {"action": "confirm"}).status_code == 429
    assert bot.get(_url(token) + "kalender.ics").status_code == 429
    assert _state(appointment) == before
    assert Client(REMOTE_ADDR="198.51.100.23").get(_url(token)).status_code == 200
    assert PublicLinkAttempt.objects.filter(client_hash=client_key("203.0.113.7")).count() == PUBLIC_FAILURE_LIMIT
    for stored in PublicLinkAttempt.objects.values_list("client_hash", flat=True):
        assert "203.0.113.7" not in stored and "198.51.100.23" not in stored
        assert re.fullmatch(r"[0-9a-f]{64}", stored)


def test_failures_older_than_an_hour_no_longer_count(world):
    today = timezone.localdate()
    _person, _appointment, token = invited(world, today)
    bot = Client(REMOTE_ADDR="203.0.113.8")
    for attempt in range(PUBLIC_FAILURE_LIMIT):
        bot.get(_url(f"99999999.{attempt:032x}"))
    assert bot.get(_url(token)).status_code == 429
    PublicLinkAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))
    assert bot.get(_url(token)).status_code == 200


def test_even_a_valid_link_is_limited_in_requests_per_address(world, monkeypatch):
    monkeypatch.setattr(selectors, "PUBLIC_REQUEST_LIMIT", 4)
    today = timezone.localdate()
    _person, appointment, token = invited(world, today)
    busy = Client(REMOTE_ADDR="203.0.113.9")
    for _request in range(4):
        assert busy.get(_url(token) + "kalender.ics").status_code == 200
    assert busy.get(_url(token)).status_code == 429
    before = _state(appointment)
    assert busy.post(_url(token), {"action": "confirm"}).status_code == 429
    assert _state(appointment) == before
    assert Client(REMOTE_ADDR="198.51.100.24").get(_url(token)).status_code == 200
    PublicLinkAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=11))
    assert busy.get(_url(token)).status_code == 200


# --- languages ------------------------------------------------------------------------------

def test_arabic_is_right_to_left_with_arabic_texts(world):
    today = timezone.localdate()
    _person, _appointment, token = invited(world, today)
    response = Client().get(_url(token) + "?lang=ar")
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    page = _text(response)
    for key in ("page_title", "confirm_button", "choose_other"):
        assert PUBLIC_TEXTS["ar"][key] in page
    assert PUBLIC_TEXTS["de"]["confirm_button"] not in page


def test_unknown_language_falls_back_to_german_and_default_is_the_persons(world):
    today = timezone.localdate()
    _person, appointment, token = invited(world, today, language="uk")
    assert appointment.language == "uk"
    client = Client()
    default = client.get(_url(token))
    assert '<html lang="uk" dir="ltr"' in default.content.decode()
    assert PUBLIC_TEXTS["uk"]["confirm_button"] in _text(default)
    for odd in ("xx", "de-DE", "AR", "<script>", ""):
        response = client.get(_url(token), {"lang": odd})
        expected = "uk" if odd == "" else "de"
        assert f'<html lang="{expected}"' in response.content.decode(), odd
        assert "<script>" not in response.content.decode()
    english = client.get(_url(token) + "?lang=en")
    for code in LANGUAGE_ORDER:
        assert f'href="{_url(token)}?lang={code}"' in english.content.decode(), code
    assert '<html lang="en" dir="ltr"' in english.content.decode()
    assert '<html lang="fa" dir="rtl"' in client.get(_url(token) + "?lang=fa").content.decode()
