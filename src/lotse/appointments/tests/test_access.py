"""The access spine around the eAT appointments: the social office of the person's municipality
sees the next appointment at the foreigners' authority (its read-only residence view, the
handover page), the social office of another municipality and the job centre without consent
do not; a recorded recognition without an eAT proposes a first-eAT appointment at once, a
pending application proposes none; another district's foreigners' authority never sees an
appointment of this one."""

import datetime
import html

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    Interpreter,
    Office,
    ProposalReason,
    ProposalStatus,
    ServiceKind,
)
from lotse.appointments.selectors import appointment_page, permit_register_page, proposal_page
from lotse.appointments.tests.factories import MAIN, configure, invited, person_with_title, proposals_of
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, register_person
from lotse.handovers.tests.test_workflow import recognised_household
from lotse.people.models import PersonAgencyLink, ResidenceStatus
from lotse.people.services import residence_status_add
from lotse.rules.models import ResidenceKind
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db


def _de(msgid: str, **values) -> str:
    with translation.override("de"):
        text = gettext(msgid)
    return text % values if values else text


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _when(appointment: Appointment) -> str:
    return timezone.localtime(appointment.starts_at).strftime("%d.%m.%Y %H:%M")


NEXT = "Next appointment at the foreigners' authority"


# --- (a) the social office's read-only residence view -------------------------------------

def test_the_social_office_of_the_municipality_sees_the_next_appointment_others_do_not(world):
    today = timezone.localdate()
    person_id, appointment, _token = invited(world, today, given="Nour", family="Saleh", town="a")
    social_a = _client_for(world, "social_a")

    panel = social_a.get(f"/residence/{person_id}/")
    assert panel.status_code == 200
    assert f"{_de(NEXT)}</dt>" in _text(panel)
    assert _text(panel).split(f"{_de(NEXT)}</dt>", 1)[1].split("</dd>", 1)[0].endswith(_when(appointment))
    listing = social_a.get("/residence/")
    assert "Nour Saleh" in _text(listing)
    [row] = [r for r in listing.context["page"].rows if r.person_id == person_id]
    assert row.next_appointment == appointment.starts_at

    social_b = _client_for(world, "social_b")
    assert social_b.get(f"/residence/{person_id}/").status_code == 404
    assert "Nour Saleh" not in _text(social_b.get("/residence/"))
    jobcentre = _client_for(world, "jobcentre")
    assert jobcentre.get(f"/residence/{person_id}/").status_code == 404
    assert jobcentre.get("/residence/").status_code == 404

    # a cancelled appointment is no next appointment
    abh = _client_for(world, "abh")
    assert abh.post(f"/appointments/{appointment.pk}/cancel/").status_code == 302
    panel = _text(social_a.get(f"/residence/{person_id}/"))
    assert _when(appointment) not in panel and _de("no appointment recorded") in panel


# --- (b) the handover page -------------------------------------------------------------------

def _appointment_for(world, person_id: int, starts: datetime.datetime) -> Appointment:
    """An invited appointment of the foreigners' authority, written directly."""
    main = configure(world)[MAIN]
    with personal_data_scope():
        status = ResidenceStatus.objects.filter(person_id=person_id).latest("valid_from")
        proposal = AppointmentProposal.objects.create(
            person_id=person_id, owning_agency=world.agencies["abh"], residence_status=status,
            reason=ProposalReason.FIRST_EAT, service=ServiceKind.FIRST_APPLICATION,
            earliest_on=starts.date(), latest_on=starts.date(), status=ProposalStatus.SCHEDULED)
        appointment = Appointment.objects.create(
            owning_agency=world.agencies["abh"], office=main, counter=1, starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=30), status=AppointmentStatus.INVITED,
            invited_at=timezone.now())
        AppointmentMember.objects.create(appointment=appointment, proposal=proposal, person_id=person_id,
                                         service=proposal.service, starts_at=starts,
                                         ends_at=appointment.ends_at)
    return appointment


def test_the_handover_page_shows_the_eat_appointment_to_the_social_office_not_to_the_job_centre(world):
    handover = recognised_household(world)
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 20)))
    appointment = _appointment_for(world, handover.person_id, starts)
    label = _de("eAT appointment at the foreigners' authority: %(when)s", when=_when(appointment))

    social = _client_for(world, "social_a").get(f"/handovers/{handover.pk}/")
    assert social.status_code == 200
    page = _text(social)
    assert page.count(label) == 1
    rows = page.split('<tr class="kern-table__row" id="item-')[1:]
    [residence_row] = [r for r in rows if _de("Residence document: provisional certificate or eAT appointment") in r]
    assert label in residence_row

    jobcentre = _client_for(world, "jobcentre").get(f"/handovers/{handover.pk}/")
    assert jobcentre.status_code == 200
    page = _text(jobcentre)
    assert _when(appointment) not in page and label.split(":")[0] not in page


# --- (c) the signal: a recorded status proposes an invitation at once ------------------------

def test_a_recognition_without_an_eat_proposes_a_first_eat_appointment(world):
    today = timezone.localdate()
    configure(world)
    person_id = person_with_title(world, expires_on=None, document="none", code="p25-2-gfk",
                                  valid_from=today - datetime.timedelta(days=3), given="Samir", family="Haddad")
    [proposal] = proposals_of(person_id)
    assert (proposal.reason, proposal.service, proposal.status) == (
        ProposalReason.FIRST_EAT, ServiceKind.FIRST_APPLICATION, ProposalStatus.OPEN)
    assert today < proposal.earliest_on < proposal.latest_on
    page = _text(_client_for(world, "abh").get("/appointments/proposals/"))
    row = page.split("Samir Haddad", 1)[1].split("</tr>", 1)[0]
    with translation.override("de"):
        assert str(ProposalReason.FIRST_EAT.label) in row


@pytest.mark.parametrize(("document", "expires_in_days"), [("none", None), ("eat", 28)])
def test_a_status_with_a_pending_application_proposes_nothing(world, document, expires_in_days):
    today = timezone.localdate()
    configure(world)
    person_id = register_person(world, by="abh", given_names="Lina", family_name="Yousef")
    kind = ResidenceKind.objects.get(code="p25-2-gfk")
    residence_status_add(
        ctx=world.ctx("abh"), person_id=person_id, kind_id=kind.pk, document=document,
        valid_from=today - datetime.timedelta(days=300),
        valid_to=today + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
        application_pending_since=today - datetime.timedelta(days=2))
    assert proposals_of(person_id) == []
    # the same status without the application would have been proposed (the test can fail)
    other = register_person(world, by="abh", given_names="Rana", family_name="Yousef")
    residence_status_add(
        ctx=world.ctx("abh"), person_id=other, kind_id=kind.pk, document=document,
        valid_from=today - datetime.timedelta(days=300),
        valid_to=today + datetime.timedelta(days=expires_in_days) if expires_in_days else None)
    assert len(proposals_of(other)) == 1


# --- (d) another district's foreigners' authority ------------------------------------------

def test_another_districts_authority_never_sees_the_appointments(world):
    today = timezone.localdate()
    person_id, appointment, token = invited(world, today, given="Nour", family="Saleh")
    with personal_data_scope():
        member = AppointmentMember.objects.get(appointment=appointment)
    other = build_world("88888")
    # the data layer: nothing of this district in the other authority's lists
    ctx = other.ctx("abh")
    assert appointment_page(ctx).total == 0
    assert proposal_page(ctx, status=ProposalStatus.SCHEDULED).total == 0
    assert permit_register_page(ctx, show="all").total == 0
    with personal_data_scope():
        assert not PersonAgencyLink.objects.filter(person_id=person_id, agency=other.agencies["abh"]).exists()

    stranger = _client_for(other, "abh")
    for url in ("/appointments/list/", "/appointments/list/?view=to_print", "/appointments/proposals/?status=scheduled",
                "/appointments/register/?show=all", "/appointments/desk/"):
        response = stranger.get(url)
        assert response.status_code == 200, url
        assert "Saleh" not in _text(response), url
    for url in (f"/appointments/{appointment.pk}/", f"/appointments/{appointment.pk}/letter.pdf",
                f"/appointments/{appointment.pk}/invitation.ics"):
        assert stranger.get(url).status_code == 404, url
    for url in (f"/appointments/{appointment.pk}/cancel/", f"/appointments/{appointment.pk}/new-link/",
                f"/appointments/desk/{appointment.pk}/no-show/", f"/appointments/desk/members/{member.pk}/outcome/"):
        assert stranger.post(url, {"outcome": "application_taken"}).status_code == 404, url
    main = Office.objects.get(name=MAIN, agency=world.agencies["abh"])
    interpreter = Interpreter.objects.filter(district=world.district).first()
    for url in (f"/appointments/offices/{main.pk}/", f"/appointments/interpreters/{interpreter.pk}/"):
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, {"name": "Übernommen"}).status_code == 404, url
    assert MAIN not in _text(stranger.get("/appointments/offices/"))
    assert MAIN not in _text(stranger.get("/appointments/travel-times/"))
    assert Office.objects.get(pk=main.pk).name == MAIN
    with personal_data_scope():
        appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.INVITED
    own = _client_for(world, "abh")
    assert f"/termin/{token}/" in _text(own.get(f"/appointments/{appointment.pk}/"))
    register = _text(own.get("/appointments/register/?show=all"))
    assert _when(appointment) in register.split("Nour Saleh", 1)[1].split("</tr>", 1)[0]


def test_an_appointment_of_another_districts_authority_never_shows_in_the_register(world):
    """Even for a person known to both (written directly: the spine would not let the other
    authority book one), the register shows only appointments whose owner the decision allows."""
    today = timezone.localdate()
    person_id = person_with_title(world, expires_on=today + datetime.timedelta(days=400), given="Karim",
                                  family="Nasser")
    other = build_world("88888")
    foreign = configure(other)[MAIN]
    starts = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=9), datetime.time(8, 40)))
    with personal_data_scope():
        status = ResidenceStatus.objects.get(person_id=person_id)
        proposal = AppointmentProposal.objects.create(
            person_id=person_id, owning_agency=other.agencies["abh"], residence_status=status,
            reason=ProposalReason.FIRST_EAT, service=ServiceKind.FIRST_APPLICATION, earliest_on=today,
            latest_on=today + datetime.timedelta(days=30), status=ProposalStatus.SCHEDULED)
        appointment = Appointment.objects.create(
            owning_agency=other.agencies["abh"], office=foreign, counter=1, starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=30), status=AppointmentStatus.INVITED)
        AppointmentMember.objects.create(appointment=appointment, proposal=proposal, person_id=person_id,
                                         service=proposal.service, starts_at=starts, ends_at=appointment.ends_at)
    [row] = permit_register_page(world.ctx("abh"), show="all").rows
    assert (row.person_id, row.next_appointment) == (person_id, None)
    page = _text(_client_for(world, "abh").get("/appointments/register/?show=all"))
    assert "Karim Nasser" in page and _when(appointment) not in page

