"""The figures of the eAT appointments on a small hand-built data set where every number is
written out: invitations per office and month, the median days from invitation to
appointment, the share of renewals done before the title expired, the no-show rate and the
travel per person; cells with fewer than MIN_CELL appointments shown as "fewer than";
another district's offices never counted; the coordinator sees the page (no name on it), a
social office gets 404."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext

from lotse.appointments.figures import MIN_CELL, FiguresNotAllowed, appointment_figures
from lotse.appointments.models import (
    Appointment,
    AppointmentMember,
    AppointmentProposal,
    AppointmentStatus,
    Office,
    Outcome,
    ProposalReason,
    ProposalStatus,
    ServiceKind,
)
from lotse.appointments.tests.factories import person_with_title
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world
from lotse.people.models import ResidenceStatus
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

D = datetime.date
BERLIN = ZoneInfo("Europe/Berlin")
JAN, FEB = D(2025, 1, 1), D(2025, 2, 1)
C = AppointmentStatus.COMPLETED
NO_SHOW = AppointmentStatus.NO_SHOW
CANCELLED = AppointmentStatus.CANCELLED
RENEWAL, FIRST = ProposalReason.EXPIRY, ProposalReason.FIRST_EAT


def at(day: D, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def office(world, name: str) -> Office:
    return Office.objects.create(agency=world.agencies["abh"], name=name, municipality=world.town_a,
                                 street="Marktplatz 1", postal_code="11111", city="A-Dorf")


class Booker:
    """Appointments written directly, each member a person of their own with a title that
    expired long ago (so the expiry scan proposes nothing by itself)."""

    def __init__(self, world):
        self.world = world
        self.count = 0

    def member(self) -> tuple[int, int]:
        self.count += 1
        pid = person_with_title(self.world, expires_on=D(2024, 12, 31), given=f"Vorname{self.count:02d}",
                                family="Zahlenfall")
        with personal_data_scope():
            return pid, ResidenceStatus.objects.get(person_id=pid).pk

    def book(self, place: Office, *, invited_at, starts: datetime.datetime, status: str, travel: int,
             members: list[tuple[str, D | None, str]]) -> Appointment:
        """members: (reason, title expires on, outcome) for each person, the applicant first."""
        people = [self.member() for _m in members]
        with personal_data_scope():
            appointment = Appointment.objects.create(
                owning_agency=place.agency, office=place, counter=1, starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=20 * len(members)), status=status,
                travel_minutes=travel, invited_at=invited_at)
            for i, ((reason, expires_on, outcome), (pid, status_id)) in enumerate(zip(members, people, strict=True)):
                proposal = AppointmentProposal.objects.create(
                    person_id=pid, owning_agency=place.agency, residence_status_id=status_id, reason=reason,
                    service=ServiceKind.RENEWAL if expires_on else ServiceKind.FIRST_APPLICATION,
                    earliest_on=D(2024, 12, 1), latest_on=D(2025, 3, 31), expires_on=expires_on,
                    status=ProposalStatus.DONE)
                AppointmentMember.objects.create(
                    appointment=appointment, proposal=proposal, person_id=pid,
                    service=proposal.service if i == 0 else ServiceKind.FAMILY,
                    starts_at=starts + datetime.timedelta(minutes=20 * i),
                    ends_at=starts + datetime.timedelta(minutes=20 * (i + 1)), outcome=outcome)
        return appointment


TAKEN, ORDERED = Outcome.APPLICATION_TAKEN, Outcome.CARD_ORDERED


@pytest.fixture
def data(world):
    """Main office, January 2025 (invited in January: A1-A4 and A8)
        A1 invited 02.01., on 12.01. (10 days), completed, 10 min travel, renewal expiring 31.01. (in time)
        A2 invited 03.01., on 23.01. (20 days), completed, 20 min, renewal expiring 20.01. (late)
        A3 invited 31.01. 23:30, on 04.02. (4 days), missed, 30 min (counts for February)
        A4 invited 10.01., on 15.01. (5 days), completed, 10 min, a renewal (expiring 01.03.,
           in time) and a family member's first eAT (not a renewal)
        A5 invited 20.12.2024, on 20.01., cancelled, 99 min (left out everywhere)
        A6 invited 28.12.2024, on 28.01., missed, 40 min
        A7 invited 02.03., on 10.03., completed (outside the period)
        A8 invited 08.01., on 17.01. (9 days), completed, 25 min, two renewals: one expiring
           31.01. (in time), one expiring 16.01. (late)
    Branch office, January: B1-B4, all renewals completed in time (four: a small cell)
    Another district's office: X1 in January, completed (never counted)."""
    book = Booker(world)
    main, branch = office(world, "Hauptstelle Test"), office(world, "Nebenstelle Test")
    book.book(main, invited_at=at(D(2025, 1, 2)), starts=at(D(2025, 1, 12)), status=C, travel=10,
              members=[(RENEWAL, D(2025, 1, 31), TAKEN)])
    book.book(main, invited_at=at(D(2025, 1, 3)), starts=at(D(2025, 1, 23)), status=C, travel=20,
              members=[(RENEWAL, D(2025, 1, 20), ORDERED)])
    book.book(main, invited_at=at(D(2025, 1, 31), 23, 30), starts=at(D(2025, 2, 4)), status=NO_SHOW, travel=30,
              members=[(RENEWAL, D(2025, 2, 28), "")])
    book.book(main, invited_at=at(D(2025, 1, 10)), starts=at(D(2025, 1, 15)), status=C, travel=10,
              members=[(RENEWAL, D(2025, 3, 1), TAKEN), (FIRST, None, TAKEN)])
    book.book(main, invited_at=at(D(2024, 12, 20)), starts=at(D(2025, 1, 20)), status=CANCELLED, travel=99,
              members=[(RENEWAL, D(2025, 2, 15), "")])
    book.book(main, invited_at=at(D(2024, 12, 28)), starts=at(D(2025, 1, 28)), status=NO_SHOW, travel=40,
              members=[(RENEWAL, D(2025, 2, 20), "")])
    book.book(main, invited_at=at(D(2025, 3, 2)), starts=at(D(2025, 3, 10)), status=C, travel=10,
              members=[(RENEWAL, D(2025, 4, 1), TAKEN)])
    book.book(main, invited_at=at(D(2025, 1, 8)), starts=at(D(2025, 1, 17)), status=C, travel=25,
              members=[(RENEWAL, D(2025, 1, 31), TAKEN), (RENEWAL, D(2025, 1, 16), TAKEN)])
    for invited, on, travel in ((D(2025, 1, 6), D(2025, 1, 16), 15),   # B1: 10 days
                                (D(2025, 1, 7), D(2025, 1, 27), 25),   # B2: 20 days
                                (D(2025, 1, 13), D(2025, 1, 21), 20),  # B3: 8 days
                                (D(2025, 1, 14), D(2025, 1, 30), 20)):  # B4: 16 days
        book.book(branch, invited_at=at(invited), starts=at(on), status=C, travel=travel,
                  members=[(RENEWAL, D(2025, 2, 1), TAKEN)])
    other = build_world("88888")
    foreign = Office.objects.create(agency=other.agencies["abh"], name="Fremdamt", municipality=other.town_a,
                                    street="Weg 9", postal_code="88888", city="X-Stadt")
    Booker(other).book(foreign, invited_at=at(D(2025, 1, 2)), starts=at(D(2025, 1, 9)), status=C, travel=5,
                       members=[(RENEWAL, D(2025, 6, 1), TAKEN)])
    return {"main": main, "branch": branch, "other": other}


def _cells(rows) -> list[tuple]:
    return [(r.month, r.office, r.invited, r.median_wait_days, r.renewals_in_time, r.renewals_completed,
             r.renewals_in_time_share, r.no_shows, r.completed, r.no_show_rate, r.persons, r.travel_per_person)
            for r in rows]


EXPECTED = [
    # month, office, invited, median days, renewals in time/completed, share, missed, completed, rate,
    # persons, travel per person
    # Main, January: invited A1, A2, A3, A4, A8 (5), waits 4, 5, 9, 10, 20 → median 9; renewals
    # A1, A4, A8a in time, A2, A8b late → 3/5; missed A6 (1) of 1 + 4 completed (A1, A2, A4, A8)
    # → 1/5; persons A1, A2, A4 ×2, A6, A8 ×2 (7), travel 10 + 20 + 2·10 + 40 + 2·25 = 140 → 140/7.
    (JAN, "Hauptstelle Test", 5, 9, 3, 5, 3 / 5, 1, 4, 1 / 5, 7, 20.0),
    # Branch, January: a cell of four everywhere (shown when the threshold was 3): all hidden.
    (JAN, "Nebenstelle Test", 4, None, 4, 4, None, 0, 4, None, 4, None),
    (FEB, "Hauptstelle Test", 0, None, 0, 0, None, 1, 0, None, 1, None),
]


def test_every_figure_per_office_and_month(world, data):
    assert MIN_CELL == 5  # the numbers below assume it
    for user in ("coordinator", "abh"):
        rows = appointment_figures(world.ctx(user), first_month=JAN, last_month=D(2025, 2, 28))
        assert _cells(rows) == EXPECTED, user


def test_a_renewal_booked_again_after_a_missed_appointment_counts_as_a_renewal(world, data):
    """The person missed the first appointment; the new proposal (reason no_show) keeps the
    title's expiry. Done after the expiry, it is a renewal that was late. It is the branch's
    fifth renewal in January, so its figures are shown now."""
    Booker(world).book(data["branch"], invited_at=at(D(2024, 12, 30)), starts=at(D(2025, 1, 29)), status=C,
                       travel=20, members=[(ProposalReason.NO_SHOW, D(2025, 1, 10), TAKEN)])
    rows = appointment_figures(world.ctx("coordinator"), first_month=JAN, last_month=JAN)
    [branch] = [r for r in rows if r.office == "Nebenstelle Test"]
    # B1-B4 in time, this one late: 4/5.
    assert (branch.renewals_in_time, branch.renewals_completed, branch.renewals_in_time_share) == (4, 5, 4 / 5)
    # Invited in January: B1-B4 (this one in December); 0 missed of 5; travel
    # 15 + 25 + 20 + 20 + 20 = 100 over 5 persons.
    assert (branch.invited, branch.completed, branch.no_show_rate, branch.persons, branch.travel_per_person) == (
        4, 5, 0.0, 5, 20.0)
    assert branch.median_wait_days is None  # four waits (10, 20, 8, 16): a small cell


def test_another_district_sees_only_its_own_office(world, data):
    rows = appointment_figures(data["other"].ctx("coordinator"), first_month=JAN, last_month=FEB)
    assert [(r.month, r.office, r.invited, r.completed, r.persons) for r in rows] == [(JAN, "Fremdamt", 1, 1, 1)]


def test_users_without_the_permission_get_no_figures(world, data):
    for user in ("social_a", "jobcentre", "caritas", "admin"):
        with pytest.raises(FiguresNotAllowed):
            appointment_figures(world.ctx(user), first_month=JAN, last_month=FEB)


def _de(msgid: str) -> str:
    with translation.override("de"):
        return gettext(msgid)


def test_the_coordinator_reads_the_figures_page_without_a_name_and_a_social_office_gets_404(world, data):
    coordinator = _client_for(world, "coordinator")
    response = coordinator.get("/appointments/figures/?first=2025-01-01&last=2025-02-28")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    body = page.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = [[cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in body.split("</tr>")[:-1]]
    fewer = _de("fewer than %(min_cell)s") % {"min_cell": 5}
    assert rows == [  # the figures of EXPECTED
        ["01/2025", "Hauptstelle Test", "5", "9,0", "60 % (3/5)", "20 % (1/5)", "20,0"],
        ["01/2025", "Nebenstelle Test", "4", fewer, fewer, fewer, fewer],
        ["02/2025", "Hauptstelle Test", "0", fewer, fewer, fewer, fewer],
    ]
    assert "Zahlenfall" not in page and "Vorname" not in page and "Fremdamt" not in page
    for user in ("social_a", "jobcentre"):
        assert _client_for(world, user).get("/appointments/figures/?first=2025-01-01").status_code == 404
    bad = coordinator.get("/appointments/figures/?first=2025-03-01&last=2025-01-01")
    assert bad.status_code == 400
    assert _de("The end lies before the start.") in html.unescape(bad.content.decode())
