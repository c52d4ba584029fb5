"""The background work of the eAT appointments, seen from the outside: what the daily run
books and logs, what lands in the task queue and when, what a stray second task does, and
what the invited person receives by e-mail (or the print room on paper)."""

import datetime
import email.utils
import html
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends

from lotse.appointments.letter_texts import TEXTS
from lotse.appointments.models import Appointment, AppointmentProposal, AppointmentStatus, DailySchedule
from lotse.appointments.tasks import daily_run, daily_run_task, schedule_all, schedule_next, send_invitation_task
from lotse.appointments.tests.factories import (
    appointment_of,
    configure,
    person_with_title,
    proposals_of,
    token_of,
)
from lotse.appointments.tests.test_letter import extract_text
from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
BASE_URL = "https://termine.example.org"


@pytest.fixture
def queue(settings):
    """A task backend that only records what is enqueued (and when it is to run)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    yield backend
    backend.clear()


def _due(world, today, **person) -> int:
    """A person whose title expires in eight weeks (inside the invitation horizon)."""
    return person_with_title(world, expires_on=today + datetime.timedelta(weeks=8), **person)


def _daily_runs(queue) -> list:
    return [r for r in queue.results if r.task.name == daily_run_task.name]


def _schedule_state(agency) -> tuple:
    return tuple(DailySchedule.objects.filter(agency=agency).values_list(
        "run_key", "next_run_at", "last_run_at", "last_report"))


# --- the daily run --------------------------------------------------------------------------

def test_the_daily_run_proposes_books_and_invites_once(world):
    today = timezone.localdate()
    configure(world)
    agency = world.agencies["abh"]
    # 13 weeks: outside the 12-week horizon when recorded (no proposal yet), inside two weeks later
    due = person_with_title(world, expires_on=today + datetime.timedelta(weeks=13), given="Nour", family="Saleh")
    later = person_with_title(world, expires_on=today + datetime.timedelta(weeks=40), given="Omar", family="Aziz")
    assert proposals_of(due) == []
    run_day = today + datetime.timedelta(days=14)

    report = daily_run(agency, run_day)
    assert (report["proposed"], report["booked"], report["invited"], report["emails"]) == (1, 1, 1, 0)
    assert proposals_of(later) == []
    appointment = appointment_of(due)
    assert appointment.status == AppointmentStatus.INVITED and appointment.token_salt
    for action in ("appointment.proposed", "appointment.planned", "appointment.invited"):
        (event,) = AccessEvent.objects.filter(action=action)
        assert (event.person_id, event.actor_id, event.agency_id) == (due, None, agency.pk), action

    again = daily_run(agency, run_day)
    assert (again["proposed"], again["booked"], again["invited"]) == (0, 0, 0)
    with personal_data_scope():
        assert Appointment.objects.count() == 1 and AppointmentProposal.objects.count() == 1
    assert token_of(appointment_of(due)) == token_of(appointment)  # the letter's link still works


# --- scheduling -----------------------------------------------------------------------------

def test_scheduling_twice_enqueues_one_run_at_the_configured_time(world, queue, django_capture_on_commit_callbacks):
    configure(world)
    agency = world.agencies["abh"]
    DailySchedule.objects.create(agency=agency, run_at=datetime.time(6, 30))
    now = datetime.datetime(2027, 3, 10, 12, 0, tzinfo=BERLIN)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_next(agency.pk, now=now)
        schedule_next(agency.pk, now=now + datetime.timedelta(hours=3))
    schedule = DailySchedule.objects.get()
    assert schedule.next_run_at == datetime.datetime(2027, 3, 11, 6, 30, tzinfo=BERLIN)
    (run,) = _daily_runs(queue)
    assert list(run.args) == [agency.pk, schedule.run_key]
    assert run.task.run_after == schedule.next_run_at

    # forced (the run itself schedules the next one): a new key, a second task; the first is stale
    with django_capture_on_commit_callbacks(execute=True):
        schedule_next(agency.pk, now=now, force=True)
    first, second = _daily_runs(queue)
    assert first.args[1] != second.args[1] == DailySchedule.objects.get().run_key


@pytest.mark.parametrize(("now", "expected"), [
    # before the time of day: the same day
    (datetime.datetime(2027, 3, 10, 4, 0, tzinfo=BERLIN), datetime.datetime(2027, 3, 10, 6, 30, tzinfo=BERLIN)),
    # exactly at it: the next day
    (datetime.datetime(2027, 3, 10, 6, 30, tzinfo=BERLIN), datetime.datetime(2027, 3, 11, 6, 30, tzinfo=BERLIN)),
    # across the change to summer time (28 March 2027): still 06:30 on the wall clock
    (datetime.datetime(2027, 3, 27, 12, 0, tzinfo=BERLIN), datetime.datetime(2027, 3, 28, 6, 30, tzinfo=BERLIN)),
    # given in UTC
    (datetime.datetime(2027, 7, 1, 5, 0, tzinfo=datetime.UTC), datetime.datetime(2027, 7, 2, 6, 30, tzinfo=BERLIN)),
])
def test_the_next_run_is_at_the_configured_local_time(world, now, expected):
    agency = world.agencies["abh"]
    DailySchedule.objects.create(agency=agency, run_at=datetime.time(6, 30))
    schedule_next(agency.pk, now=now)
    next_run = DailySchedule.objects.get().next_run_at
    assert next_run == expected
    local = timezone.localtime(next_run)
    assert (local.hour, local.minute) == (6, 30)


def test_schedule_all_starts_every_authority_with_an_office_once(world, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_all() == 0  # no office yet: nothing to run
    assert DailySchedule.objects.count() == 0 and _daily_runs(queue) == []
    configure(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_all() == 1
        assert schedule_all() == 1
    (schedule,) = DailySchedule.objects.all()
    assert schedule.agency_id == world.agencies["abh"].pk
    (run,) = _daily_runs(queue)
    assert list(run.args) == [world.agencies["abh"].pk, schedule.run_key]


# --- the daily task -------------------------------------------------------------------------

def test_a_task_with_a_stale_key_does_nothing(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    configure(world)
    agency = world.agencies["abh"]
    due = _due(world, today)
    with django_capture_on_commit_callbacks() as callbacks:  # the queue would run it at once
        schedule_next(agency.pk)
    assert len(callbacks) == 1
    before = _schedule_state(agency)
    with django_capture_on_commit_callbacks() as callbacks:
        for key in ("0123456789abcdef", "", before[0][0] + "x"):
            result = daily_run_task.enqueue(agency.pk, key)
            assert result.status == TaskResultStatus.SUCCESSFUL
            assert result.return_value == {"skipped": "stale"}
        other = daily_run_task.enqueue(world.agencies["social_a"].pk, before[0][0])  # no schedule at all
        assert other.return_value == {"skipped": "stale"}
    assert callbacks == []
    assert _schedule_state(agency) == before
    assert appointment_of(due) is None  # nothing booked, nobody invited
    assert {p.status for p in proposals_of(due)} == {"open"}
    assert not AccessEvent.objects.filter(action__startswith="appointment.").exclude(
        action="appointment.proposed").exists()


def test_a_run_does_the_work_and_schedules_the_next_day(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    configure(world)
    agency = world.agencies["abh"]
    due = _due(world, today)
    DailySchedule.objects.create(agency=agency, run_at=datetime.time(0, 0))  # always passed today
    with django_capture_on_commit_callbacks():
        schedule_next(agency.pk)
    key = DailySchedule.objects.get().run_key

    with django_capture_on_commit_callbacks() as callbacks:
        result = daily_run_task.enqueue(agency.pk, key)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    report = result.return_value
    assert (report["booked"], report["invited"]) == (1, 1)
    assert appointment_of(due).status == AppointmentStatus.INVITED
    assert len(callbacks) == 1  # exactly one next run enqueued

    schedule = DailySchedule.objects.get()
    assert schedule.run_key != key
    assert schedule.last_report == report and schedule.last_run_at is not None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert schedule.next_run_at == datetime.datetime.combine(tomorrow, datetime.time(0, 0), tzinfo=BERLIN)

    # the same task delivered a second time is stale now: no second run, nothing scheduled
    with django_capture_on_commit_callbacks() as callbacks:
        assert daily_run_task.enqueue(agency.pk, key).return_value == {"skipped": "stale"}
    assert callbacks == []


def test_the_run_enqueues_its_successor_with_the_new_key(world, queue, django_capture_on_commit_callbacks):
    configure(world)
    agency = world.agencies["abh"]
    DailySchedule.objects.create(agency=agency, run_at=datetime.time(0, 0))
    with django_capture_on_commit_callbacks(execute=True):
        schedule_next(agency.pk)
    (first,) = _daily_runs(queue)
    with django_capture_on_commit_callbacks(execute=True):
        daily_run_task.call(*first.args)  # what the worker does at run_after
    _first, successor = _daily_runs(queue)
    schedule = DailySchedule.objects.get()
    assert list(successor.args) == [agency.pk, schedule.run_key]
    assert successor.task.run_after == schedule.next_run_at > timezone.now()


# --- the invitation by e-mail, or on paper --------------------------------------------------

def test_an_invitation_by_email_is_one_mail_with_letter_and_calendar(world, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.LOTSE_PUBLIC_BASE_URL = BASE_URL
    today = timezone.localdate()
    configure(world)
    agency = world.agencies["abh"]
    nour = _due(world, today, given="Nour", family="Saleh", language="uk", email="nour@example.org")
    omar = _due(world, today, given="Omar", family="Aziz", language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        report = daily_run(agency, today)
    assert (report["invited"], report["emails"]) == (2, 1)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nour@example.org"]
    assert message.subject == f"{TEXTS['de']['subject']} / {TEXTS['uk']['subject']}"
    assert email.utils.parseaddr(message.from_email)[1]
    appointment = appointment_of(nour)
    assert f"{BASE_URL}/termin/{token_of(appointment)}/" in message.body
    assert "Omar" not in message.body and "Aziz" not in message.body
    attachments = {a[2]: a for a in message.attachments}
    assert sorted(attachments) == ["application/pdf", "text/calendar"]
    name, pdf, _type = attachments["application/pdf"]
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert "Nour Saleh" in extract_text(pdf)
    name, ics, _type = attachments["text/calendar"]
    assert name.endswith(".ics")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.starts_at

    # the other person has no address: no mail, a letter in the print queue instead
    assert appointment_of(omar).invited_by_email is False
    result = send_invitation_task.enqueue(appointment_of(omar).pk, BASE_URL)
    assert result.return_value == {"sent": False}
    assert len(mail.outbox) == 1


def test_no_mail_for_an_appointment_cancelled_before_the_mail_went_out(world, django_capture_on_commit_callbacks):
    from lotse.appointments.services import appointment_cancel

    today = timezone.localdate()
    configure(world)
    nour = _due(world, today, email="nour@example.org")
    with django_capture_on_commit_callbacks() as callbacks:  # the mail task waits in the queue
        daily_run(world.agencies["abh"], today)
    assert len(callbacks) == 1
    appointment_cancel(ctx=world.ctx("abh"), appointment_id=appointment_of(nour).pk)
    result = send_invitation_task.enqueue(appointment_of(nour).pk, BASE_URL)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == {"sent": False}
    assert mail.outbox == []


def test_a_letter_without_an_email_waits_in_the_print_queue(world):
    today = timezone.localdate()
    configure(world)
    agency = world.agencies["abh"]
    _due(world, today, given="Nour", family="Saleh", email="nour@example.org")
    omar = _due(world, today, given="Omar", family="Aziz")
    daily_run(agency, today)
    letter = appointment_of(omar)

    abh = _client_for(world, "abh")
    listing = html.unescape(abh.get("/appointments/list/?view=to_print").content.decode())
    assert "Omar Aziz" in listing and "Nour Saleh" not in listing
    response = abh.get("/appointments/print/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = extract_text(response.content)
    assert "Omar Aziz" in text and "Nour Saleh" not in text
    assert text.count(letter.ref) >= 1

    for stranger in ("social_a", "jobcentre"):
        client = _client_for(world, stranger)
        assert client.get("/appointments/print/").status_code == 404
        assert client.post("/appointments/print/", {"appointment": letter.pk}).status_code == 404
    assert appointment_of(omar).letter_printed_at is None

    marked = abh.post("/appointments/print/", {"appointment": [letter.pk, "x", "9" * 40]})
    assert marked.status_code == 302
    assert appointment_of(omar).letter_printed_at is not None
    listing = html.unescape(abh.get("/appointments/list/?view=to_print").content.decode())
    assert "Omar Aziz" not in listing
    assert abh.get("/appointments/print/").status_code == 302  # nothing left to print
