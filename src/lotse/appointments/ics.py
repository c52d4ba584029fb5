"""The invitation as an iCalendar file (RFC 5545, METHOD:PUBLISH): one event for the whole block.

Summary, description and alarm in German and the person's language; times with TZID
Europe/Berlin (the VTIMEZONE is included). The description carries what the letter's box says:
who comes at what time, what to bring and the personal link. Built with `icalendar`; plain
text only (no bidi controls: calendar apps render right-to-left text themselves).
"""

import datetime

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from lotse.appointments.letter import (
    InvitationLetter,
    date_line,
    format_date,
    format_time,
    language_label,
    letter_languages,
    local,
    safe_ref,
    time_range,
)
from lotse.appointments.letter_texts import TEXTS

PRODID = "-//Lotse//Termine der Auslaenderbehoerde//DE"
UID_DOMAIN = "lotse"
ALARM_BEFORE = datetime.timedelta(days=1)


def ics_filename(letter: InvitationLetter) -> str:
    return f"termin-{safe_ref(letter.appointment_ref)}.ics"


def event_uid(letter: InvitationLetter) -> str:
    return f"{letter.appointment_ref}@{UID_DOMAIN}"


def _location(letter: InvitationLetter) -> str:
    office = letter.office
    return ", ".join(part for part in (office.name, office.street, office.city_line) if part)


def _summary(languages: list[str], key: str) -> str:
    return " / ".join(dict.fromkeys(TEXTS[lang][key] for lang in languages))


def _description_block(letter: InvitationLetter, lang: str) -> list[str]:
    texts = TEXTS[lang]
    day = local(letter.starts_at).date()
    lines = [
        texts["ics_summary"],
        f"{date_line(day, lang)}, {time_range(letter, lang)}",
        f"{texts['label_office']}: {_location(letter)}",
        f"{texts['label_reference']}: {letter.appointment_ref}",
        f"{texts['label_persons']}:",
    ]
    for member in sorted(letter.members, key=lambda m: m.starts_at):
        time = texts["time_single"].format(time=format_time(member.starts_at))
        name = f" {member.name}" if member.name else ""
        lines.append(f"- {time}{name} ({texts[f'service_{member.service}']})")
    if letter.interpreter_language:
        lines.append(texts["interpreter_present"].format(
            language=language_label(letter.interpreter_language, lang)))
    lines.append(f"{texts['label_bring']}:")
    lines.extend(f"- {texts[f'doc_{code}']}" for code in letter.documents)
    lines += [
        texts["confirm_request"],
        letter.link,
        texts["link_valid"].format(date=format_date(letter.link_valid_until)),
    ]
    phone = letter.office.phone or letter.sender.phone
    if phone:
        lines.append(texts["call_note"].format(phone=phone))
    return lines


def invitation_ics(letter: InvitationLetter) -> bytes:
    """The calendar file: VCALENDAR with one VEVENT and a display alarm one day before."""
    languages = letter_languages(letter.language)
    starts_at = local(letter.starts_at)
    ends_at = local(letter.ends_at)

    description: list[str] = []
    for lang in languages:
        if description:
            description += ["", "---", ""]
        description += _description_block(letter, lang)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", event_uid(letter))
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", _summary(languages, "ics_summary"))
    event.add("location", _location(letter))
    event.add("description", "\n".join(description))
    event.add("url", letter.link)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    if letter.sender.email:
        organizer = vCalAddress(f"mailto:{letter.sender.email}")
        organizer.params["cn"] = vText(letter.sender.name)
        event.add("organizer", organizer)

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", _summary(languages, "ics_alarm"))
    event.add_component(alarm)

    calendar.add_component(event)
    # Only the transitions around the appointment (not 1970 to 2038).
    year = starts_at.year
    calendar.add_missing_timezones(first_date=datetime.date(year - 1, 1, 1),
                                   last_date=datetime.date(year + 2, 1, 1))
    return calendar.to_ical()
