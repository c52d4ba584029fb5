"""The calendar file of an invitation, parsed back with icalendar. No database."""

import dataclasses
import datetime
import re

import icalendar
import pytest

from lotse.appointments.ics import ics_filename, invitation_ics
from lotse.appointments.letter_texts import TEXTS
from lotse.appointments.tests.test_letter import LINK, at, make_letter

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent


def parse(letter) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(invitation_ics(letter))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk", "ru", "tr", "fa"])
def test_one_event_with_the_appointment(lang):
    letter = make_letter(language=lang)
    calendar, event = parse(letter)
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["version"]) == "2.0"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == letter.starts_at and end == letter.ends_at
    assert start.utcoffset() == datetime.timedelta(hours=1)  # Europe/Berlin in winter
    assert "T-2027-000123" in str(event["uid"])
    assert str(event["uid"]).endswith("@lotse")
    location = str(event["location"])
    assert "Große Rurstraße 17" in location and "Jülich" in location
    description = str(event["description"])
    assert LINK in description
    assert "Amina Al-Hassan" in description and "Yusuf Al-Hassan" in description
    assert "09:20" in description
    assert str(event["url"]) == LINK
    summary = str(event["summary"])
    assert "Termin bei der Ausländerbehörde" in summary
    assert TEXTS[lang]["ics_summary"] in summary
    if lang != "de":
        assert TEXTS[lang]["confirm_request"] in description
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0].decoded("trigger") == -datetime.timedelta(days=1)
    assert str(alarms[0]["action"]) == "DISPLAY"
    assert calendar.walk("VTIMEZONE")  # the TZID used is defined in the file


def test_summer_time_and_utc_input():
    start = datetime.datetime(2027, 7, 5, 12, 30, tzinfo=datetime.UTC)  # 14:30 in Düren
    letter = make_letter(
        language="de", starts_at=start, ends_at=start + datetime.timedelta(minutes=20),
        members=(dataclasses.replace(make_letter().members[0], starts_at=start),),
    )
    _, event = parse(letter)
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)
    assert "14:30 bis 14:50 Uhr" in str(event["description"])


def test_no_personal_page_details_in_the_summary():
    """The summary shows in notifications and on lock screens: no names there."""
    _, event = parse(make_letter(language="en"))
    assert "Amina" not in str(event["summary"])
    assert "Amina" not in str(event.walk("VALARM")[0]["description"])


def test_filename_is_safe():
    assert ics_filename(make_letter()) == "termin-T-2027-000123.ics"
    odd = dataclasses.replace(make_letter(), appointment_ref='T/2027 "../x"')
    assert re.fullmatch(r"termin-[A-Za-z0-9-]+\.ics", ics_filename(odd))


def test_member_time_is_used_for_each_person():
    letter = make_letter(language="de", members=(
        dataclasses.replace(make_letter().members[0], starts_at=at(9, 20)),
        dataclasses.replace(make_letter().members[1], starts_at=at(9, 0)),
    ))
    description = str(parse(letter)[1]["description"])
    assert description.index("09:00 Uhr Yusuf") < description.index("09:20 Uhr Amina")
