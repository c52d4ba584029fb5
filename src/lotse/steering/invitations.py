"""The invitation to a committee meeting as an iCalendar file (RFC 5545, METHOD:PUBLISH).

One VEVENT per meeting: the UID stays the same for every version of the invitation, SEQUENCE is
`Meeting.sequence` (raised when time or place change and on a cancellation, which is sent as
STATUS:CANCELLED). Times carry TZID Europe/Berlin with the VTIMEZONE included, as the
appointment invitations do (`appointments.ics`). SUMMARY is the committee and "Sitzung", the
DESCRIPTION the numbered agenda (screened titles, no person). German, built with `icalendar`."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lotse.steering.committees import TIME_ZONE, MeetingDetail, local_day
from lotse.steering.models import MeetingStatus

PRODID = "-//Lotse//Sitzungen der Gremien//DE"
UID_DOMAIN = "lotse"  # as in appointments.ics
LANGUAGE = "de"


def meeting_uid(meeting) -> str:
    """Stable for the meeting's life: its id, never its time or place."""
    return f"steering-meeting-{meeting.pk}@{UID_DOMAIN}"


def ics_filename(meeting) -> str:
    return f"sitzung-{local_day(meeting.starts_at):%Y-%m-%d}-{meeting.pk}.ics"


def _summary(detail: MeetingDetail) -> str:
    return _("%(committee)s – meeting") % {"committee": detail.committee.name}


def _description(detail: MeetingDetail) -> str:
    if not detail.agenda:
        return _("The agenda follows.")
    lines = [_("Agenda:")]
    lines += [f"{number}. {item.title}" for number, item in enumerate(detail.agenda, start=1)]
    return "\n".join(lines)


def meeting_ics(detail: MeetingDetail, *, now: datetime.datetime | None = None) -> bytes:
    """The calendar file of a meeting (a `committees.meeting_detail`, read with its permission check)."""
    meeting = detail.meeting
    with translation.override(LANGUAGE):
        summary, description = _summary(detail), _description(detail)
    starts_at = meeting.starts_at.astimezone(TIME_ZONE)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now or datetime.datetime.now(datetime.UTC))
    event.add("dtstart", starts_at)
    event.add("dtend", meeting.ends_at.astimezone(TIME_ZONE))
    event.add("summary", summary)
    event.add("location", meeting.location)
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    # Only the transitions around the meeting (not 1970 to 2038), as in appointments.ics.
    calendar.add_missing_timezones(first_date=datetime.date(starts_at.year - 1, 1, 1),
                                   last_date=datetime.date(starts_at.year + 2, 1, 1))
    return calendar.to_ical()
