"""Who needs an appointment: the daily expiry scan and the first-eAT trigger. Dates come from the
dated rule data; the scan is idempotent and logged; a changed rule changes the dates."""

import datetime

import pytest

from lotse.appointments.models import ProposalReason, ProposalStatus, ServiceKind
from lotse.appointments.scan import expiry_scan
from lotse.appointments.tests.factories import configure, person_with_title, proposals_of
from lotse.audit.models import AccessEvent
from lotse.core.calendar import add_working_days
from lotse.rules.models import DeadlineRule
from lotse.rules.selectors import deadline_from

pytestmark = pytest.mark.django_db

# A year ahead, so that recording the test titles today proposes nothing by itself.
_NOW = datetime.date.today()
TODAY = _NOW + datetime.timedelta(weeks=52, days=-_NOW.weekday())  # a Monday


def scan(world, today=TODAY):
    return expiry_scan(world.ctx("abh", today=today), today)


def test_titles_expiring_within_the_horizon_get_one_proposal_with_dates_from_the_rules(world):
    configure(world)
    soon = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=10), language="ar")
    later = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=13), given="Later")
    expired = person_with_title(world, expires_on=TODAY - datetime.timedelta(days=3), given="Expired")
    long_gone = person_with_title(world, expires_on=TODAY - datetime.timedelta(days=90), given="Gone")
    report = scan(world)
    assert report.expiry == 2
    [proposal] = proposals_of(soon)
    expires = TODAY + datetime.timedelta(weeks=10)
    assert proposal.reason == ProposalReason.EXPIRY and proposal.service == ServiceKind.RENEWAL
    assert proposal.expires_on == expires
    assert proposal.earliest_on == add_working_days(TODAY, 5)  # eat-invitation-notice
    assert proposal.latest_on == expires - datetime.timedelta(weeks=6)  # eat-card-production
    assert proposal.interpreter_language == "ar"  # the district has an Arabic interpreter
    assert proposals_of(later) == [] and proposals_of(long_gone) == []
    # expired three days ago without an application: invited at once, the window never shorter than a week
    [urgent] = proposals_of(expired)
    assert urgent.latest_on == urgent.earliest_on + datetime.timedelta(days=7)


def test_the_scan_is_idempotent_and_logged(world):
    configure(world)
    person = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=9))
    first = scan(world)
    second = scan(world)
    assert (first.created, second.created) == (1, 0)
    assert len(proposals_of(person)) == 1
    events = AccessEvent.objects.filter(action="appointment.proposed", person_id=person)
    assert events.count() == 1 and events.get().actor_id == world.users["abh"].pk


def test_no_proposal_while_an_application_is_pending_or_for_a_replaced_status(world):
    from lotse.core.scoping import personal_data_scope
    from lotse.people.models import ResidenceStatus

    configure(world)
    pending = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=9))
    with personal_data_scope():
        ResidenceStatus.objects.filter(person_id=pending).update(application_pending_since=TODAY)
    renewed = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=9), given="Renewed")
    person_with_title_again = TODAY - datetime.timedelta(days=30)
    from lotse.people.services import residence_status_add
    from lotse.rules.models import ResidenceKind

    residence_status_add(ctx=world.ctx("abh"), person_id=renewed, kind_id=ResidenceKind.objects.get(code="p25-2-gfk").pk,
                         document="eat", valid_from=person_with_title_again, valid_to=TODAY + datetime.timedelta(days=900))
    scan(world)
    assert proposals_of(pending) == [] and proposals_of(renewed) == []


def test_a_changed_rule_changes_the_dates_without_code(world):
    configure(world)
    person = person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=14))
    assert scan(world).created == 0
    DeadlineRule.objects.filter(key="eat-invitation-horizon").update(amount=-16)
    DeadlineRule.objects.filter(key="eat-card-production").update(amount=-8)
    assert scan(world).created == 1
    [proposal] = proposals_of(person)
    expires = TODAY + datetime.timedelta(weeks=14)
    assert proposal.latest_on == expires - datetime.timedelta(weeks=8)
    assert proposal.latest_on == deadline_from(key="eat-card-production", anchor=expires)[0]


def test_a_recorded_recognition_without_a_card_proposes_a_first_eat_at_once(world):
    """The trigger from the handover issue: the authority records a new title (no eAT yet);
    the person gets a first-eAT proposal due within the rule's weeks of the title's start."""
    configure(world)
    start = datetime.date.today() - datetime.timedelta(days=3)
    person = person_with_title(world, expires_on=None, valid_from=start, document="none", language="uk")
    [proposal] = proposals_of(person)
    assert proposal.reason == ProposalReason.FIRST_EAT and proposal.service == ServiceKind.FIRST_APPLICATION
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.latest_on == max(deadline_from(key="eat-first-issue", anchor=start)[0],
                                     proposal.earliest_on + datetime.timedelta(days=7))
    assert proposal.interpreter_language == "uk"
    # a language nobody interprets: no interpreter requested (the letter still comes in it)
    other = person_with_title(world, expires_on=None, valid_from=start, document="none", language="fa",
                              given="Farid")
    assert proposals_of(other)[0].interpreter_language == ""


def test_one_open_proposal_per_person(world):
    configure(world)
    person = person_with_title(world, expires_on=None, valid_from=datetime.date.today(), document="none")
    assert len(proposals_of(person)) == 1
    scan(world, today=datetime.date.today())
    assert len(proposals_of(person)) == 1


def test_other_agencies_records_open_nothing(world):
    """Only the authority's own statuses are scanned; a job centre user cannot scan."""
    configure(world)
    person_with_title(world, expires_on=TODAY + datetime.timedelta(weeks=9))
    report = expiry_scan(world.ctx("jobcentre", today=TODAY), TODAY)
    assert report.created == 0
