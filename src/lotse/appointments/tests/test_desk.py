"""The desk of the foreigners' authority: today's appointments per counter, check-in, no-show
and outcome — as the authority's staff, as a colleague of the authority without the desk
permission, and as strangers from the social office and the job centre."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, override

from lotse.access.spine import AccessDenied
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    ProposalReason,
    ProposalStatus,
)
from lotse.appointments.planning import plan_appointments
from lotse.appointments.scan import earliest_date
from lotse.appointments.services import NO_SHOW_RULE, appointment_cancel, desk_check_in, desk_no_show, desk_outcome
from lotse.appointments.tasks import agency_context, daily_run
from lotse.appointments.tests.factories import (
    appointment_of,
    configure,
    household,
    invited,
    person_with_title,
    proposals_of,
)
from lotse.audit.models import AccessEvent, Decision
from lotse.core.scoping import personal_data_scope
from lotse.organisations import permissions
from lotse.organisations.models import Role
from lotse.people.models import ResidenceStatus
from lotse.rules.selectors import deadline_from
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
STRANGERS = ("social_a", "jobcentre")


# --- helpers --------------------------------------------------------------------------------

def _move(appointment: Appointment, day: datetime.date, *, hour: int = 9, counter: int | None = None) -> Appointment:
    """Put a booked appointment (and its members) on `day` at `hour`, e.g. today for the desk."""
    delta = datetime.datetime.combine(day, datetime.time(hour), tzinfo=BERLIN) - appointment.starts_at
    with personal_data_scope():
        Appointment.objects.filter(pk=appointment.pk).update(
            starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta, token_expires_on=day,
            counter=counter if counter is not None else F("counter"))
        AppointmentMember.objects.filter(appointment_id=appointment.pk).update(
            starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta)
        return Appointment.objects.select_related("office").get(pk=appointment.pk)


def _fresh(appointment: Appointment) -> Appointment:
    with personal_data_scope():
        return Appointment.objects.get(pk=appointment.pk)


def _members(appointment: Appointment) -> list[AppointmentMember]:
    with personal_data_scope():
        return list(AppointmentMember.objects.filter(appointment_id=appointment.pk).order_by("starts_at", "pk"))


def _state(appointment: Appointment) -> tuple:
    with personal_data_scope():
        a = Appointment.objects.get(pk=appointment.pk)
        members = tuple(AppointmentMember.objects.filter(appointment=a).order_by("pk").values_list("pk", "outcome"))
        proposals = tuple(AppointmentProposal.objects.order_by("pk").values_list("pk", "status"))
        pending = tuple(ResidenceStatus.objects.order_by("pk").values_list("pk", "application_pending_since"))
    return a.status, a.checked_in_at, a.closed_at, members, proposals, pending


def _events(action: str, appointment: Appointment) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action=action, object_ref=f"appointment:{appointment.pk}"))


def _family(world, today):
    """Nour (head) and Yara Saleh, invited together by the daily run."""
    configure(world)
    home = household(world)
    expires = today + datetime.timedelta(weeks=8)
    head = person_with_title(world, expires_on=expires, given="Nour", family="Saleh", household=home, role="head")
    child = person_with_title(world, expires_on=expires, given="Yara", family="Saleh", household=home, role="child")
    daily_run(world.agencies["abh"], today)
    appointment = appointment_of(head)
    assert appointment is not None and appointment_of(child).pk == appointment.pk
    return (head, child), appointment


def _desk_post(client, url: str, appointment: Appointment, **data):
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    return client.post(url, {"office": appointment.office_id, "day": day, **data})


def _page(response) -> str:
    return html.unescape(response.content.decode())


# --- the day's list -------------------------------------------------------------------------

def test_the_desk_lists_todays_appointments_per_counter_with_names(world):
    today = timezone.localdate()
    _nour, first, _token = invited(world, today, given="Nour", family="Saleh")
    _omar, second, _token2 = invited(world, today, given="Omar", family="Aziz")
    _lina, later, _token3 = invited(world, today, given="Lina", family="Berg")
    _rami, cancelled, _token4 = invited(world, today, given="Rami", family="Kurt")
    first = _move(first, today, hour=9, counter=1)
    second = _move(second, today, hour=9, counter=2)
    _move(later, today + datetime.timedelta(days=1), counter=1)
    _move(cancelled, today, hour=10, counter=1)
    appointment_cancel(ctx=world.ctx("abh"), appointment_id=cancelled.pk)

    abh = _client_for(world, "abh")
    response = abh.get(f"/appointments/desk/?office={first.office_id}&day={today.isoformat()}")
    assert response.status_code == 200
    page = _page(response)
    counter_1 = page[page.index('id="counter-1"'):page.index('id="counter-2"')]
    counter_2 = page[page.index('id="counter-2"'):]
    assert "Nour Saleh" in counter_1 and "Omar Aziz" not in counter_1
    assert "Omar Aziz" in counter_2
    assert "Lina Berg" not in page  # tomorrow
    assert "Rami Kurt" not in page  # cancelled
    assert f'id="appointment-{first.pk}"' in page and f'action="/appointments/desk/{first.pk}/check-in/"' in page
    # the names were read through the spine: one desk read per shown person, by the user
    readers = {(e.actor_id, e.decision) for e in AccessEvent.objects.filter(action="appointment.desk")}
    assert readers == {(world.users["abh"].pk, Decision.ALLOWED)}
    # the default is today at the first office
    assert "Nour Saleh" in _page(abh.get("/appointments/desk/"))


def test_strangers_get_404_on_the_desk_and_on_every_desk_post(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today, given="Nour", family="Saleh")
    appointment = _move(appointment, today)
    (member,) = _members(appointment)
    before = _state(appointment)
    for key in STRANGERS:
        client = _client_for(world, key)
        assert client.get("/appointments/desk/").status_code == 404, key
        assert client.get(f"/appointments/desk/?office={appointment.office_id}").status_code == 404, key
        for url, data in ((f"/appointments/desk/{appointment.pk}/check-in/", {}),
                          (f"/appointments/desk/{appointment.pk}/no-show/", {}),
                          (f"/appointments/desk/members/{member.pk}/outcome/", {"outcome": "application_taken"})):
            response = _desk_post(client, url, appointment, **data)
            assert response.status_code == 404, (key, url)
            assert "Saleh" not in response.content.decode()
    assert _state(appointment) == before
    for action in ("appointment.checked_in", "appointment.no_show", "appointment.outcome"):
        assert not _events(action, appointment)


def test_strangers_are_refused_by_the_services_too(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    (member,) = _members(appointment)
    before = _state(appointment)
    for key in STRANGERS:
        ctx = world.ctx(key, today=day)
        for write in (lambda c=ctx: desk_check_in(ctx=c, appointment_id=appointment.pk),
                      lambda c=ctx: desk_no_show(ctx=c, appointment_id=appointment.pk),
                      lambda c=ctx: desk_outcome(ctx=c, member_id=member.pk, outcome="application_taken")):
            with pytest.raises(AccessDenied):
                write()
    assert _state(appointment) == before


# --- check-in -------------------------------------------------------------------------------

def test_check_in_only_on_the_appointments_day(world):
    today = timezone.localdate()
    person, appointment, _token = invited(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    before = _state(appointment)
    for other in (day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            desk_check_in(ctx=world.ctx("abh", today=other), appointment_id=appointment.pk)
    assert _state(appointment) == before
    desk_check_in(ctx=world.ctx("abh", today=day), appointment_id=appointment.pk)
    checked = _fresh(appointment)
    assert checked.status == AppointmentStatus.CHECKED_IN and checked.checked_in_at is not None
    assert [(e.person_id, e.actor_id) for e in _events("appointment.checked_in", appointment)] == [
        (person, world.users["abh"].pk)]
    with pytest.raises(ValidationError):  # twice is not possible
        desk_check_in(ctx=world.ctx("abh", today=day), appointment_id=appointment.pk)


def test_check_in_at_the_desk_today_and_not_for_another_day(world):
    today = timezone.localdate()
    _nour, todays, _token = invited(world, today, given="Nour", family="Saleh")
    _omar, future, _token2 = invited(world, today, given="Omar", family="Aziz")
    todays = _move(todays, today)
    abh = _client_for(world, "abh")

    before = _state(future)
    response = _desk_post(abh, f"/appointments/desk/{future.pk}/check-in/", future)
    assert response.status_code == 302
    with override("de"):
        expected = gettext("Only today's appointments can be checked in.")
    assert expected in _page(abh.get(response["Location"]))
    assert _state(future) == before

    response = _desk_post(abh, f"/appointments/desk/{todays.pk}/check-in/", todays)
    assert response.status_code == 302
    assert response["Location"].startswith("/appointments/desk/?office=")
    assert response["Location"].endswith(f"#appointment-{todays.pk}")
    assert _fresh(todays).status == AppointmentStatus.CHECKED_IN
    # the desk now offers the outcome for Nour
    page = _page(abh.get(f"/appointments/desk/?office={todays.office_id}&day={today.isoformat()}"))
    (member,) = _members(todays)
    assert f'action="/appointments/desk/members/{member.pk}/outcome/"' in page


# --- no-show --------------------------------------------------------------------------------

def test_a_no_show_gets_new_proposals_that_the_next_planning_books(world):
    today = timezone.localdate()
    (head, child), appointment = _family(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    old_proposals = {p.pk for p in proposals_of(head) + proposals_of(child)}
    with pytest.raises(ValidationError):  # not before the day
        desk_no_show(ctx=world.ctx("abh", today=day - datetime.timedelta(days=1)), appointment_id=appointment.pk)
    assert _fresh(appointment).status == AppointmentStatus.INVITED

    new = desk_no_show(ctx=world.ctx("abh", today=day), appointment_id=appointment.pk)
    assert _fresh(appointment).status == AppointmentStatus.NO_SHOW
    latest, _rule = deadline_from(key=NO_SHOW_RULE, anchor=day)
    for person_id in (head, child):
        proposals = proposals_of(person_id)
        assert {p.status for p in proposals if p.pk in old_proposals} == {ProposalStatus.DONE}
        (fresh,) = [p for p in proposals if p.pk not in old_proposals]
        assert fresh.reason == ProposalReason.NO_SHOW and fresh.status == ProposalStatus.OPEN
        assert fresh.latest_on == latest
        assert fresh.earliest_on == earliest_date(day)
    assert len(new) == 2
    assert sorted(e.person_id for e in _events("appointment.no_show", appointment)) == sorted([head, child])

    agency = world.agencies["abh"]
    run = plan_appointments(agency_context(agency), agency=agency)
    assert run.assigned == 1
    again = appointment_of(head)
    assert again.pk != appointment.pk and appointment_of(child).pk == again.pk
    assert again.status == AppointmentStatus.PLANNED
    assert earliest_date(day) <= timezone.localtime(again.starts_at).date() <= latest
    assert {p.status for p in proposals_of(head) + proposals_of(child) if p.pk not in old_proposals} == {
        ProposalStatus.SCHEDULED}


def test_a_no_show_at_the_desk(world):
    today = timezone.localdate()
    person, appointment, _token = invited(world, today)
    appointment = _move(appointment, today)
    abh = _client_for(world, "abh")
    assert _desk_post(abh, f"/appointments/desk/{appointment.pk}/no-show/", appointment).status_code == 302
    assert _fresh(appointment).status == AppointmentStatus.NO_SHOW
    assert [p.reason for p in proposals_of(person) if p.status == ProposalStatus.OPEN] == [ProposalReason.NO_SHOW]
    # a second click changes nothing more
    assert _desk_post(abh, f"/appointments/desk/{appointment.pk}/no-show/", appointment).status_code == 302
    assert len(proposals_of(person)) == 2


# --- outcome --------------------------------------------------------------------------------

def test_outcomes_mark_the_application_and_complete_the_appointment(world):
    today = timezone.localdate()
    (head, child), appointment = _family(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    ctx = world.ctx("abh", today=day)
    desk_check_in(ctx=ctx, appointment_id=appointment.pk)
    first, second = _members(appointment)
    assert (first.person_id, second.person_id) == (head, child)

    desk_outcome(ctx=ctx, member_id=first.pk, outcome="application_taken")
    with personal_data_scope():
        pending = dict(ResidenceStatus.objects.filter(person_id__in=[head, child])
                       .values_list("person_id", "application_pending_since"))
    assert pending == {head: day, child: None}
    assert _fresh(appointment).status == AppointmentStatus.CHECKED_IN  # Yara has no outcome yet

    desk_outcome(ctx=ctx, member_id=second.pk, outcome="card_handed_over")
    done = _fresh(appointment)
    assert done.status == AppointmentStatus.COMPLETED and done.closed_at is not None
    assert {p.status for p in proposals_of(head) + proposals_of(child)} == {ProposalStatus.DONE}
    with personal_data_scope():
        assert ResidenceStatus.objects.get(person_id=child).application_pending_since is None
    assert [(e.person_id, e.basis.endswith("outcome=application_taken"))
            for e in _events("appointment.outcome", appointment)] == [(head, True), (child, False)]


def test_an_outcome_at_the_desk(world):
    today = timezone.localdate()
    person, appointment, _token = invited(world, today)
    appointment = _move(appointment, today)
    abh = _client_for(world, "abh")
    assert _desk_post(abh, f"/appointments/desk/{appointment.pk}/check-in/", appointment).status_code == 302
    (member,) = _members(appointment)
    response = _desk_post(abh, f"/appointments/desk/members/{member.pk}/outcome/", appointment,
                          outcome="fiktion_issued")
    assert response.status_code == 302
    assert _fresh(appointment).status == AppointmentStatus.COMPLETED
    assert _members(appointment)[0].outcome == "fiktion_issued"
    with personal_data_scope():
        assert ResidenceStatus.objects.get(person_id=person).application_pending_since == today


def test_an_outcome_before_check_in_is_refused_with_a_message(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today)
    appointment = _move(appointment, today)
    (member,) = _members(appointment)
    abh = _client_for(world, "abh")
    before = _state(appointment)
    response = _desk_post(abh, f"/appointments/desk/members/{member.pk}/outcome/", appointment,
                          outcome="application_taken")
    assert response.status_code == 302
    with override("de"):
        expected = gettext("Check the person in before recording an outcome.")
    assert expected in _page(abh.get(response["Location"]))
    assert _state(appointment) == before
    for bad in ("", "approved", "x" * 10_000):
        response = _desk_post(abh, f"/appointments/desk/members/{member.pk}/outcome/", appointment, outcome=bad)
        assert response.status_code == 302
    assert _state(appointment) == before
    assert _desk_post(abh, "/appointments/desk/members/999999/outcome/", appointment,
                      outcome="application_taken").status_code == 404


# --- a colleague without the desk permission ------------------------------------------------

def _without_desk(world) -> None:
    """The ABH user keeps their role's rights except the desk (a district's copy of the role)."""
    user = world.users["abh"]
    original = user.roles.get()
    copy = Role.objects.create(
        district=world.district, code="abh_no_desk", name="ABH ohne Schalter",
        categories_mask=original.categories_mask, purposes=original.purposes,
        permissions=[p for p in original.permissions if p != permissions.APPOINTMENTS_DESK])
    user.roles.set([copy])
    assert permissions.APPOINTMENTS_MANAGE in world.ctx("abh").permissions


def test_without_the_desk_permission_the_service_refuses_and_logs_it(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today)
    day = timezone.localtime(appointment.starts_at).date()
    (member,) = _members(appointment)
    _without_desk(world)
    before = _state(appointment)
    ctx = world.ctx("abh", today=day)
    for action, write in (
            ("appointment.check_in", lambda: desk_check_in(ctx=ctx, appointment_id=appointment.pk)),
            ("appointment.no_show", lambda: desk_no_show(ctx=ctx, appointment_id=appointment.pk)),
            ("appointment.outcome", lambda: desk_outcome(ctx=ctx, member_id=member.pk, outcome="card_ordered"))):
        with pytest.raises(AccessDenied):
            write()
        refused = AccessEvent.objects.filter(action=f"{action}.refused").get()
        assert (refused.decision, refused.actor_id) == (Decision.DENIED, world.users["abh"].pk)
        assert permissions.APPOINTMENTS_DESK in refused.basis
    assert _state(appointment) == before


def test_without_the_desk_permission_the_desk_is_closed_and_the_attempt_logged(world):
    today = timezone.localdate()
    _person, appointment, _token = invited(world, today)
    appointment = _move(appointment, today)
    _without_desk(world)
    client = _client_for(world, "abh")
    assert client.get("/appointments/").status_code == 200  # still the authority's colleague
    assert client.get("/appointments/desk/").status_code == 404
    before = _state(appointment)
    response = _desk_post(client, f"/appointments/desk/{appointment.pk}/check-in/", appointment)
    assert response.status_code == 404
    assert _state(appointment) == before
    refused = AccessEvent.objects.get(action="appointment.check_in.refused")
    assert (refused.decision, refused.actor_id) == (Decision.DENIED, world.users["abh"].pk)
