"""The meeting invitation as iCalendar: parsed back with `icalendar`, the UID stays across
changes, SEQUENCE counts them, times carry TZID Europe/Berlin, the agenda is the description."""

import datetime

import pytest
from icalendar import Calendar

from lotse.steering import committees as steering
from lotse.steering.invitations import ics_filename, meeting_ics
from lotse.steering.models import MeetingStatus
from lotse.steering.tests.test_committees import BERLIN, at, planned_meeting

pytestmark = pytest.mark.django_db


def _event(world, meeting_id: int):
    detail = steering.meeting_detail(world.ctx("steering_member"), meeting_id)
    calendar = Calendar.from_ical(meeting_ics(detail))
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_and_its_update(world):
    meeting = planned_meeting(world, starts_at=at(10, 14), ends_at=at(10, 16), location="Kreishaus, Raum 75")
    ctx = world.ctx("coordinator")
    steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Begrüßung")
    steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Sprachkurse mit Kinderbetreuung")

    calendar, event = _event(world, meeting.pk)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    uid = str(event["UID"])
    assert uid == f"steering-meeting-{meeting.pk}@lotse"
    assert int(event["SEQUENCE"]) == 2  # each agenda item added changed the description
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt == datetime.datetime(2026, 3, 10, 14, 0, tzinfo=BERLIN)
    assert event["DTEND"].dt == datetime.datetime(2026, 3, 10, 16, 0, tzinfo=BERLIN)
    assert str(event["SUMMARY"]) == "Arbeitskreis Migration – Sitzung"
    assert str(event["LOCATION"]) == "Kreishaus, Raum 75"
    assert str(event["DESCRIPTION"]) == "Tagesordnung:\n1. Begrüßung\n2. Sprachkurse mit Kinderbetreuung"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert ics_filename(meeting) == f"sitzung-2026-03-10-{meeting.pk}.ics"

    # moved to another day and place: same UID, next SEQUENCE (summer time: still 9:30 in Berlin)
    steering.meeting_update(ctx=ctx, meeting_id=meeting.pk, starts_at=at(7, 9, 30, month=4),
                            ends_at=at(7, 11, 0, month=4), location="Rathaus Jülich")
    _calendar, moved = _event(world, meeting.pk)
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) == 3
    assert moved["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert moved["DTSTART"].dt == datetime.datetime(2026, 4, 7, 9, 30, tzinfo=BERLIN)
    assert moved["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert str(moved["LOCATION"]) == "Rathaus Jülich"

    # cancelled: a further version, marked cancelled
    steering.meeting_set_status(ctx=ctx, meeting_id=meeting.pk, status=MeetingStatus.CANCELLED)
    _calendar, cancelled = _event(world, meeting.pk)
    assert (str(cancelled["UID"]), int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (uid, 4, "CANCELLED")


def test_a_meeting_without_agenda_says_that_it_follows(world):
    meeting = planned_meeting(world)
    _calendar, event = _event(world, meeting.pk)
    assert str(event["DESCRIPTION"]) == "Die Tagesordnung folgt."


def test_a_changed_agenda_raises_the_sequence(world):
    from lotse.steering.committees import agenda_item_add, agenda_item_move
    from lotse.steering.models import Committee, Meeting

    committee = Committee.objects.create(district=world.district, name="AK Migration", kind="working_group")
    meeting = Meeting.objects.create(committee=committee, starts_at="2026-12-10T09:00Z", ends_at="2026-12-10T11:00Z",
                                     location="Kreishaus")
    ctx = world.ctx("coordinator")
    first = agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Bericht aus dem Jour fixe")
    agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Kinderbetreuung im Kurs")
    agenda_item_move(ctx=ctx, item_id=first.pk, up=False)
    meeting.refresh_from_db()
    assert meeting.sequence == 3  # two items added, one moved: each changes the invitation's text
