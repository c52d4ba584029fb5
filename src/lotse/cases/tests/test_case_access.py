"""Cases through the spine: the owning agency works on them; other agencies see none of the
case data without a consent, a revoked consent hides it at once; Art. 9 notes stay with the
psychosocial counsellors of the owning agency; the caseload sorts by what needs attention."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.cases.models import NoteCategory, Phase
from lotse.cases.selectors import CaseloadFilter, CaseNotFound, case_detail, caseload, due_items
from lotse.cases.services import (
    case_assign,
    case_close,
    case_set_next_contact,
    note_add,
    task_add,
    task_done,
)
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.testing import open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _consent_caritas_to_jobcentre(world, pid, categories):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=categories,
        purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
        method="signed_form", informed_language="ar",
    )


@pytest.fixture
def case(world):
    pid = register_person(world, by="caritas", given_names="Canary-Given", family_name="Karimi")
    case = open_case(world, pid)
    note_add(ctx=world.ctx("caritas"), case_id=case.pk, category=NoteCategory.GENERAL,
             text="CANARY-NOTE wants to work as an electrician")
    note_add(ctx=world.ctx("caritas_psych"), case_id=case.pk, category=NoteCategory.HEALTH,
             text="CANARY-HEALTH trauma counselling")
    return case


def test_owning_case_manager_sees_the_case_but_not_the_art9_note(world, case):
    detail = case_detail(world.ctx("caritas"), case.pk)
    texts = [n.text for n in detail.notes]
    assert texts == ["CANARY-NOTE wants to work as an electrician"]
    assert detail.hidden_note_count == 1
    assert detail.record.person.given_names == "Canary-Given"


def test_psychosocial_counsellor_of_the_owning_agency_sees_the_art9_note(world, case):
    detail = case_detail(world.ctx("caritas_psych"), case.pk)
    assert {n.text for n in detail.notes} == {
        "CANARY-NOTE wants to work as an electrician", "CANARY-HEALTH trauma counselling"}


def test_team_lead_of_the_owning_agency_does_not_see_the_art9_note(world, case):
    detail = case_detail(world.ctx("teamlead"), case.pk)
    assert all("CANARY-HEALTH" not in n.text for n in detail.notes)


def test_other_agencies_see_nothing_of_the_case_without_consent(world, case):
    for user in ("jobcentre", "abh", "social_a", "psych", "dpo"):
        with pytest.raises(CaseNotFound):
            case_detail(world.ctx(user), case.pk)
        event = AccessEvent.objects.order_by("-seq").first()
        assert (event.decision, event.object_ref) == ("denied", f"case:{case.pk}")
        assert "counselling_notes" in event.categories


def test_consent_opens_the_case_to_the_job_centre_and_revocation_hides_it_at_once(world, case):
    consent = _consent_caritas_to_jobcentre(
        world, case.person_id, [C.IDENTITY, C.COUNSELLING_NOTES, C.HEALTH])
    detail = case_detail(world.ctx("jobcentre"), case.pk)
    assert [n.text for n in detail.notes] == ["CANARY-NOTE wants to work as an electrician"]
    # The Art. 9 rule blocks health data even though the consent names it.
    assert "blocked" in detail.explain(C.HEALTH) or not detail.shows(C.HEALTH)
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk,
                   note="Person revoked at the counter")
    with pytest.raises(CaseNotFound):
        case_detail(world.ctx("jobcentre"), case.pk)


def test_another_agency_cannot_write_to_the_case_even_with_consent(world, case):
    _consent_caritas_to_jobcentre(world, case.person_id, [C.IDENTITY, C.COUNSELLING_NOTES])
    with pytest.raises(AccessDenied):
        note_add(ctx=world.ctx("jobcentre"), case_id=case.pk, category="general", text="x")
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision) == ("case.note_add.refused", "denied")


def test_only_psychosocial_counsellors_write_health_notes(world, case):
    with pytest.raises(ValidationError):
        note_add(ctx=world.ctx("caritas"), case_id=case.pk, category=NoteCategory.HEALTH, text="x")


def test_closed_case_takes_no_more_notes(world, case):
    case_close(ctx=world.ctx("caritas"), case_id=case.pk, reason="goals_reached",
               outcome="achieved", note="Works as an electrician")
    detail = case_detail(world.ctx("caritas"), case.pk)
    assert detail.case.phase == Phase.CLOSED and detail.case.closed_on == TODAY
    with pytest.raises(ValidationError):
        note_add(ctx=world.ctx("caritas"), case_id=case.pk, category="general", text="late")


def test_only_team_leads_reassign_and_only_to_colleagues(world, case):
    with pytest.raises(AccessDenied):
        case_assign(ctx=world.ctx("caritas"), case_id=case.pk,
                    case_manager_id=world.users["teamlead"].pk)
    with pytest.raises(ValidationError):
        case_assign(ctx=world.ctx("teamlead"), case_id=case.pk,
                    case_manager_id=world.users["jobcentre"].pk)
    case_assign(ctx=world.ctx("teamlead"), case_id=case.pk,
                case_manager_id=world.users["caritas_psych"].pk)
    page = caseload(world.ctx("caritas_psych"), CaseloadFilter())
    assert [row.case.pk for row in page.rows] == [case.pk]
    assert caseload(world.ctx("caritas"), CaseloadFilter()).rows == []


def test_caseload_sorts_by_attention_and_filters(world):
    ctx = world.ctx("caritas")
    later = open_case(world, register_person(world, by="caritas", family_name="Later"))
    sooner = open_case(world, register_person(world, by="caritas", family_name="Sooner",
                                              town="b"), focus_area="labour_market")
    none = open_case(world, register_person(world, by="caritas", family_name="Nothing"))
    case_set_next_contact(ctx=ctx, case_id=later.pk, next_contact_on=TODAY + datetime.timedelta(days=9))
    task_add(ctx=ctx, case_id=sooner.pk, kind="accompany", title="Accompany to the job centre",
             due_on=TODAY - datetime.timedelta(days=1))
    rows = caseload(ctx, CaseloadFilter()).rows
    assert [r.case.pk for r in rows] == [sooner.pk, later.pk, none.pk]
    assert [r.record.person.family_name for r in rows] == ["Sooner", "Later", "Nothing"]
    assert [r.case.pk for r in caseload(ctx, CaseloadFilter(overdue_only=True)).rows] == [sooner.pk]
    assert [r.case.pk for r in caseload(ctx, CaseloadFilter(focus_area="labour_market")).rows] == [sooner.pk]
    assert [r.case.pk for r in caseload(ctx, CaseloadFilter(municipality_id=world.town_b.pk)).rows] == [sooner.pk]
    # The team view needs its permission: a case manager silently gets their own list.
    assert caseload(ctx, CaseloadFilter(team=True)).total == 3
    assert caseload(world.ctx("teamlead"), CaseloadFilter(team=True)).total == 3
    assert caseload(world.ctx("teamlead"), CaseloadFilter()).total == 0
    items = due_items(ctx)
    assert [(i.kind, i.case.pk) for i in items] == [("task", sooner.pk), ("next_contact", later.pk)]
    task_done(ctx=ctx, task_id=items[0].task.pk)
    assert [i.kind for i in due_items(ctx)] == ["next_contact"]


def test_caseload_phase_filter_returns_exactly_the_cases_in_that_phase(world):
    from lotse.cases.services import case_set_phase

    ctx = world.ctx("caritas")
    intake = open_case(world, register_person(world, by="caritas", family_name="Intake"))
    planning = open_case(world, register_person(world, by="caritas", family_name="Planning"))
    planning_too = open_case(world, register_person(world, by="caritas", family_name="PlanningToo"),
                             focus_area="labour_market")
    colleague = open_case(world, register_person(world, by="caritas", family_name="Colleague"),
                          by="caritas_psych")
    for case in (planning, planning_too):
        case_set_phase(ctx=ctx, case_id=case.pk, phase=Phase.PLANNING)
    case_set_phase(ctx=world.ctx("caritas_psych"), case_id=colleague.pk, phase=Phase.PLANNING)

    page = caseload(ctx, CaseloadFilter(phase=Phase.PLANNING))
    assert (page.total, {r.case.pk for r in page.rows}) == (2, {planning.pk, planning_too.pk})
    assert all(r.case.phase == Phase.PLANNING for r in page.rows)
    assert [r.case.pk for r in caseload(ctx, CaseloadFilter(phase=Phase.INTAKE)).rows] == [intake.pk]
    assert caseload(ctx, CaseloadFilter(phase=Phase.MONITORING)).rows == []
    # Combined with another filter, and in the team view (the colleague's case too).
    assert [r.case.pk for r in caseload(ctx, CaseloadFilter(phase=Phase.PLANNING,
                                                            focus_area="labour_market")).rows] == [planning_too.pk]
    team = caseload(world.ctx("teamlead"), CaseloadFilter(team=True, phase=Phase.PLANNING))
    assert {r.case.pk for r in team.rows} == {planning.pk, planning_too.pk, colleague.pk}


def test_caseload_paginates(world):
    for n in range(30):
        open_case(world, register_person(world, by="caritas", family_name=f"P{n:02d}"))
    first = caseload(world.ctx("caritas"), CaseloadFilter(), page=1)
    second = caseload(world.ctx("caritas"), CaseloadFilter(), page=2)
    assert (first.total, first.num_pages, len(first.rows), len(second.rows)) == (30, 2, 25, 5)
    assert not {r.case.pk for r in first.rows} & {r.case.pk for r in second.rows}


def test_a_psychosocial_case_stays_hidden_from_other_agencies_even_with_consent(world):
    pid = register_person(world, by="caritas", given_names="Lina", family_name="Canary")
    psych_case = open_case(world, pid, by="caritas_psych", focus_area="psychosocial")
    _consent_caritas_to_jobcentre(world, pid, [C.IDENTITY, C.COUNSELLING_NOTES, C.HEALTH])
    with pytest.raises(CaseNotFound):
        case_detail(world.ctx("jobcentre"), psych_case.pk)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.decision, event.object_ref) == ("denied", f"case:{psych_case.pk}")
    assert "returned=none" in event.basis  # nothing shown, nothing logged as allowed
    # Inside the agency the team lead still manages it.
    assert case_detail(world.ctx("teamlead"), psych_case.pk).case.pk == psych_case.pk


def test_a_refused_case_read_is_never_logged_as_allowed(world, case):
    _consent_caritas_to_jobcentre(world, case.person_id, [C.IDENTITY, C.CONTACT])
    before = AccessEvent.objects.count()
    with pytest.raises(CaseNotFound):
        case_detail(world.ctx("jobcentre"), case.pk)
    events = list(AccessEvent.objects.order_by("seq")[before:])
    assert [e.decision for e in events] == ["denied"]


def test_a_medical_document_must_be_filed_as_health_data(world, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.cases.services import document_add

    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        document_add(ctx=world.ctx("caritas"), case_id=case.pk, kind="medical", title="Attest",
                     category="general", upload=upload)
    assert "category" in exc.value.message_dict
