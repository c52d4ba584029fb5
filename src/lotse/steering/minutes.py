"""The minutes of a committee meeting as a tagged PDF (WeasyPrint), in German: committee, date,
time and place, the agencies present, the agenda, the minutes text, the decisions and the
measures with owner agency, due date and status.

No database here: the meeting comes read (with its permission check) from
`committees.meeting_detail`. The texts were screened for personal data when they were saved."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.core.printing import css_string, write_tagged_pdf
from lotse.steering.committees import TIME_ZONE, MeetingDetail, local_day

TEMPLATE = "steering/minutes.html"
BASE_URL = str(Path(__file__).resolve().parent)
LANGUAGE = "de"


def minutes_filename(detail: MeetingDetail) -> str:
    return f"protokoll-{local_day(detail.meeting.starts_at):%Y-%m-%d}-{detail.meeting.pk}.pdf"


def _context(detail: MeetingDetail) -> dict:
    meeting = detail.meeting
    day = date_format(local_day(meeting.starts_at), "d.m.Y")
    times = f"{meeting.starts_at.astimezone(TIME_ZONE):%H:%M}–{meeting.ends_at.astimezone(TIME_ZONE):%H:%M}"
    title = _("Minutes of the meeting on %(date)s") % {"date": day}
    return {
        "detail": detail, "meeting": meeting, "committee": detail.committee, "title": title,
        "day": day, "times": times,
        "footer_reference": css_string(f"{detail.committee.name} · {title}"),
    }


def render_minutes_html(detail: MeetingDetail) -> str:
    with translation.override(LANGUAGE):
        return render_to_string(TEMPLATE, _context(detail))


def minutes_pdf(detail: MeetingDetail) -> bytes:
    """The minutes as PDF bytes (tagged PDF/UA-1 where WeasyPrint manages it)."""
    import weasyprint  # heavy import; keep it out of module import

    html = weasyprint.HTML(string=render_minutes_html(detail), base_url=BASE_URL)
    return write_tagged_pdf(html, what="minutes")
