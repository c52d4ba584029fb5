"""The minutes as a tagged German PDF: the text a reader finds (pdftotext, as in the welcome
sheet tests) holds the committee, date, place, agencies present, agenda, minutes, decisions and
measures with owner and due date."""

import datetime
import io

import pypdf
import pytest

from lotse.consent.tests.test_consent_pdf import extract_text
from lotse.steering import committees as steering
from lotse.steering.minutes import minutes_filename, minutes_pdf, render_minutes_html
from lotse.steering.tests.test_committees import gap_report, planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_with_minutes(world):
    ctx = world.ctx("coordinator")
    meeting = planned_meeting(world)
    report = gap_report(world)
    steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, title="Begrüßung und Protokoll")
    item = steering.agenda_item_add(ctx=ctx, meeting_id=meeting.pk, gap_report_id=report.pk)
    steering.meeting_minutes_record(ctx=ctx, meeting_id=meeting.pk,
                                    minutes="Die Kursträger berichten von langen Wartelisten.",
                                    present_agency_ids=[world.agencies["caritas"].pk, world.agencies["jobcentre"].pk])
    decision = steering.decision_record(ctx=ctx, meeting_id=meeting.pk, agenda_item_id=item.pk,
                                        text="Ein Kurs mit Kinderbetreuung wird in B-Stadt eingerichtet.",
                                        decided_on=datetime.date(2026, 3, 10))
    steering.measure_create(ctx=ctx, decision_id=decision.pk, title="Kursträger für B-Stadt gewinnen",
                            owner_agency_id=world.agencies["caritas"].pk, due_on=datetime.date(2026, 6, 30))
    steering.meeting_set_status(ctx=ctx, meeting_id=meeting.pk, status="held")
    return steering.meeting_detail(world.ctx("steering_member"), meeting.pk)


def test_the_minutes_pdf_holds_agenda_decision_and_measure(world, meeting_with_minutes):
    pdf = minutes_pdf(meeting_with_minutes)
    text = extract_text(pdf)
    for expected in ("Arbeitskreis Migration", "Protokoll der Sitzung am 10.03.2026", "14:00–16:00",
                     "Kreishaus, Raum 75", "Anwesende Stellen", "Caritas Test, Jobcenter Test",
                     "Tagesordnung", "Begrüßung und Protokoll", "Sprachkurs mit Kinderbetreuung fehlt",
                     "Die Kursträger berichten von langen Wartelisten.", "Beschlüsse",
                     "Ein Kurs mit Kinderbetreuung wird in B-Stadt eingerichtet.", "Maßnahmen",
                     "Kursträger für B-Stadt gewinnen", "30.06.2026", "geplant"):
        assert expected in text, expected
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"].get("/Lang") == "de"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    assert reader.metadata.title == "Arbeitskreis Migration – Protokoll der Sitzung am 10.03.2026"
    assert minutes_filename(meeting_with_minutes) == f"protokoll-2026-03-10-{meeting_with_minutes.meeting.pk}.pdf"


def test_the_minutes_html_is_escaped(world, meeting_with_minutes):
    meeting_with_minutes.meeting.minutes = "<script>alert(1)</script>"
    html = render_minutes_html(meeting_with_minutes)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
