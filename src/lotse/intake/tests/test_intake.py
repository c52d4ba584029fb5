"""The intake interview: the questionnaire as versioned data, answers checked and stored for
counting, and only the sections of categories a reader may see."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.access.spine import AccessDenied, access_person
from lotse.audit.models import AccessEvent
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import CaseAccess, CaseNotFound, case_access
from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import LifeArea
from lotse.core.vocabulary import Purpose as P
from lotse.intake import reference
from lotse.intake.definition import DefinitionError, validate_definition
from lotse.intake.models import Intake, IntakeAnswer, Questionnaire
from lotse.intake.selectors import (
    IntakeNotFound,
    answer_counts,
    intake_detail,
    intake_summaries,
    questionnaire_current,
)
from lotse.intake.services import intake_record, questionnaire_publish

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()

ANSWERS = {
    "school_years": "12",
    "qualifications": [
        {"kind": "school", "title": "Abitur", "country": "Syrien", "years": 12, "recognition": "recognised"},
        {"kind": "vocational", "title": "Elektriker", "country": "Syrien", "years": 3,
         "recognition": "partly_recognised"},
        {"kind": "", "title": "", "country": "", "years": None, "recognition": ""},  # empty row: ignored
    ],
    "language_levels": [{"language": "de", "level": "A2"}, {"language": "ar", "level": "C2"},
                        {"language": "", "level": ""}],
    "work_years": 6,
    "work_fields": ["crafts", "construction"],
    "goals": "CANARY-GOAL Arbeit als Elektriker finden",
    "support_needs": ["language", "work_training", "recognition"],
    "offices_involved": ["job_centre", "abh"],
    "cooperation_rating": "mixed",
}


def _questionnaire() -> Questionnaire:
    return questionnaire_current(reference.CODE)


def _record(world, case, answers=None, by="caritas", questionnaire=None):
    return intake_record(ctx=world.ctx(by), case_id=case.pk,
                         questionnaire_id=(questionnaire or _questionnaire()).pk,
                         taken_on=TODAY, answers=answers if answers is not None else ANSWERS)


def _consent_to_jobcentre(world, pid, categories):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=categories,
        purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
        method="signed_form", informed_language="ar",
    )


@pytest.fixture
def case(world):
    return open_case(world, register_person(world, by="caritas", given_names="Canary-Given"))


# --- the definition ----------------------------------------------------------------------------

def test_reference_questionnaire_is_shipped_as_valid_version_1(world):
    questionnaire = _questionnaire()
    assert (questionnaire.code, questionnaire.version) == ("kim-erstgespraech", 1)
    validate_definition(questionnaire.definition)
    sections = {s["key"]: s["category"] for s in questionnaire.definition["sections"]}
    assert sections == {"education": "qualifications", "languages": "qualifications",
                        "work": "qualifications", "goals": "counselling_notes",
                        "support": "counselling_notes", "offices": "counselling_notes",
                        "cooperation": "counselling_notes"}
    types = {q["key"]: q["type"] for s in questionnaire.definition["sections"] for q in s["questions"]}
    assert types["qualifications"] == "qualifications"
    assert types["language_levels"] == "language_levels"
    assert types["support_needs"] == "multichoice"
    assert types["cooperation_rating"] == "choice"
    support = next(q for s in questionnaire.definition["sections"] for q in s["questions"]
                   if q["key"] == "support_needs")
    assert [o["value"] for o in support["options"]] == LifeArea.values


def test_loading_reference_data_again_changes_nothing(world):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    assert Questionnaire.objects.filter(code=reference.CODE).count() == 1


def _messages(definition) -> str:
    with translation.override("en"), pytest.raises(DefinitionError) as exc:
        validate_definition(definition)
    return "\n".join(exc.value.messages)


def test_validator_names_unknown_types_duplicate_keys_and_missing_labels():
    definition = copy.deepcopy(reference.DEFINITION)
    questions = definition["sections"][0]["questions"]
    questions[0]["type"] = "slider"
    questions[1]["key"] = "school_years"
    del questions[2]["label"]["en"]
    definition["sections"][1]["category"] = "health"
    definition["sections"][1]["questions"][1]["options"] = []
    text = _messages(definition)
    assert "unknown type 'slider'" in text
    assert "question key 'school_years' is used twice" in text
    assert "has no text in en" in text
    assert "data category must be one of qualifications, counselling_notes" in text
    assert "question 2 (german_course): a question of type choice needs a list of options" in text


def test_validator_rejects_an_empty_definition():
    assert "non-empty list of sections" in _messages({"sections": []})
    assert "non-empty list of sections" in _messages([])


# --- recording ----------------------------------------------------------------------------------

def test_intake_is_stored_structured_for_counting_and_logged(world, case):
    intake = _record(world, case)
    with personal_data_scope():
        stored = Intake.objects.get(pk=intake.pk)
        rows = {(r.question_key, r.item, r.value, r.category)
                for r in IntakeAnswer.objects.filter(intake=intake)}
        phase = Case.objects.get(pk=case.pk).phase
    assert stored.questionnaire.version == 1
    assert stored.answers["language_levels"] == [{"language": "de", "level": "A2"},
                                                 {"language": "ar", "level": "C2"}]
    assert stored.answers["school_years"] == 12
    assert len(stored.answers["qualifications"]) == 2
    # a row per chosen option, per language, per qualification field
    assert {("support_needs", "", v, "counselling_notes") for v in ("language", "work_training", "recognition")} <= rows
    assert ("language_levels", "de", "A2", "qualifications") in rows
    assert ("language_levels", "ar", "C2", "qualifications") in rows
    assert ("qualifications.recognition", "1", "partly_recognised", "qualifications") in rows
    assert ("qualifications.title", "0", "Abitur", "qualifications") in rows
    assert not any(item == "2" for key, item, _v, _c in rows if key.startswith("qualifications."))
    assert phase == Phase.ASSESSMENT
    event = AccessEvent.objects.filter(action="intake.recorded").get()
    assert (event.decision, event.categories, event.person_id) == (
        "allowed", "qualifications,counselling_notes", case.person_id)


@pytest.mark.parametrize("bad, key", [
    ({"cooperation_rating": "excellent"}, "cooperation_rating"),
    ({"support_needs": ["language", "space_travel"]}, "support_needs"),
    ({"language_levels": [{"language": "de", "level": "D1"}]}, "language_levels"),
    ({"language_levels": [{"language": "de", "level": "A1"}, {"language": "de", "level": "B1"}]},
     "language_levels"),
    ({"language_levels": [{"language": "xx", "level": "A1"}]}, "language_levels"),
    ({"qualifications": [{"kind": "school", "title": "", "recognition": "recognised"}]}, "qualifications"),
    ({"qualifications": [{"kind": "school", "title": "Abitur", "recognition": "maybe"}]}, "qualifications"),
    ({"work_years": "many"}, "work_years"),
    ({"work_years": 99}, "work_years"),
    ({"goals": ""}, "goals"),
    ({"documents_available": "perhaps"}, "documents_available"),
    ({"favourite_colour": "blue"}, "__all__"),
])
def test_bad_answers_are_refused_and_nothing_is_written(world, case, bad, key):
    answers = {**ANSWERS, **bad}
    with pytest.raises(ValidationError) as exc:
        _record(world, case, answers)
    assert key in exc.value.message_dict
    with personal_data_scope():
        assert Intake.objects.count() == 0 and IntakeAnswer.objects.count() == 0
        assert Case.objects.get(pk=case.pk).phase == Phase.INTAKE
    assert not AccessEvent.objects.filter(action="intake.recorded").exists()


def test_a_required_language_question_must_be_answered(world, case):
    with pytest.raises(ValidationError) as exc:
        _record(world, case, {"goals": "x"})
    assert list(exc.value.message_dict) == ["language_levels"]


def test_interview_date_cannot_lie_in_the_future(world, case):
    with pytest.raises(ValidationError) as exc:
        intake_record(ctx=world.ctx("caritas"), case_id=case.pk, questionnaire_id=_questionnaire().pk,
                      taken_on=TODAY + datetime.timedelta(days=1), answers=ANSWERS)
    assert "taken_on" in exc.value.message_dict


def test_another_agency_cannot_record_an_intake_even_with_consent(world, case):
    _consent_to_jobcentre(world, case.person_id, [C.IDENTITY, C.COUNSELLING_NOTES, C.QUALIFICATIONS])
    with pytest.raises(AccessDenied):
        _record(world, case, by="jobcentre")
    with personal_data_scope():
        assert Intake.objects.count() == 0


# --- versions ------------------------------------------------------------------------------------------

def test_a_new_version_leaves_old_intakes_with_their_own_questions(world, case):
    old = _record(world, case)
    v2 = copy.deepcopy(reference.DEFINITION)
    v2["sections"][3]["questions"][0]["label"] = {"de": "Welche Ziele hat die Person (v2)?",
                                                  "en": "Which goals does the person have (v2)?"}
    v2["sections"][0]["questions"] = [q for q in v2["sections"][0]["questions"] if q["key"] != "school_years"]
    published = questionnaire_publish(code=reference.CODE, title="KIM-Erstgespräch", definition=v2,
                                      published_on=TODAY)
    assert published.version == 2
    assert questionnaire_current(reference.CODE).pk == published.pk

    with translation.override("de"):
        detail = intake_detail(world.ctx("caritas"), old.pk)
    labels = [a.label for s in detail.intake.sections for a in s.answers]
    assert detail.intake.version == 1
    assert "Was möchte die Person erreichen?" in labels and "Jahre Schulbesuch" in labels
    assert "Welche Ziele hat die Person (v2)?" not in labels

    # new interviews use the new version; the retired one takes no more
    with pytest.raises(ValidationError):
        _record(world, case, questionnaire=Questionnaire.objects.get(code=reference.CODE, version=1))
    new = _record(world, case, {k: v for k, v in ANSWERS.items() if k != "school_years"}, questionnaire=published)
    with translation.override("de"):
        labels = [a.label for s in intake_detail(world.ctx("caritas"), new.pk).intake.sections for a in s.answers]
    assert "Welche Ziele hat die Person (v2)?" in labels and "Jahre Schulbesuch" not in labels


def test_an_invalid_definition_is_not_published(world):
    broken = copy.deepcopy(reference.DEFINITION)
    broken["sections"][0]["questions"][0]["type"] = "slider"
    with pytest.raises(DefinitionError):
        questionnaire_publish(code=reference.CODE, title="x", definition=broken, published_on=TODAY)
    assert Questionnaire.objects.filter(code=reference.CODE).count() == 1


# --- who sees what ---------------------------------------------------------------------------------

def _section_keys(summaries):
    return [[s.key for s in summary.sections] for summary in summaries]


def test_owning_case_manager_sees_every_answered_section(world, case):
    _record(world, case)
    summaries = intake_summaries(case_access(world.ctx("caritas"), case.pk))
    assert _section_keys(summaries) == [["education", "languages", "work", "goals", "support", "offices",
                                         "cooperation"]]
    assert summaries[0].version == 1 and summaries[0].hidden_sections == 0
    texts = [a.text for s in summaries[0].sections for a in s.answers]
    assert "CANARY-GOAL Arbeit als Elektriker finden" in texts


def test_job_centre_with_consent_for_qualifications_sees_only_those_sections(world, case):
    _record(world, case)
    _consent_to_jobcentre(world, case.person_id, [C.IDENTITY, C.QUALIFICATIONS])
    ctx = world.ctx("jobcentre")
    # Without counselling notes the case itself stays hidden ...
    with pytest.raises(CaseNotFound):
        case_access(ctx, case.pk)
    # ... and a reader given the person's qualifications (e.g. with a referral) gets only those.
    record = access_person(ctx, case.person_id, ctx.work_purpose(),
                           categories=[C.IDENTITY, C.QUALIFICATIONS, C.COUNSELLING_NOTES])
    with personal_data_scope():
        case_row = Case.objects.get(pk=case.pk)
    summaries = intake_summaries(CaseAccess(case_row, record, is_own_agency=False))
    assert _section_keys(summaries) == [["education", "languages", "work"]]
    assert summaries[0].hidden_sections == 4
    assert "CANARY-GOAL" not in str(summaries)


def test_job_centre_with_consent_for_counselling_notes_sees_no_qualifications(world, case):
    _record(world, case)
    consent = _consent_to_jobcentre(world, case.person_id, [C.IDENTITY, C.COUNSELLING_NOTES])
    summaries = intake_summaries(case_access(world.ctx("jobcentre"), case.pk))
    assert _section_keys(summaries) == [["goals", "support", "offices", "cooperation"]]
    assert "Abitur" not in str(summaries) and "A2" not in str(summaries)
    intake_id = summaries[0].id
    assert intake_detail(world.ctx("jobcentre"), intake_id).intake.hidden_sections == 3
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked at the counter")
    with pytest.raises(IntakeNotFound):
        intake_detail(world.ctx("jobcentre"), intake_id)


def test_other_agencies_cannot_open_an_intake(world, case):
    intake = _record(world, case)
    for user in ("jobcentre", "abh", "psych", "social_a"):
        with pytest.raises(IntakeNotFound):
            intake_detail(world.ctx(user), intake.pk)
    with pytest.raises(IntakeNotFound):
        intake_detail(world.ctx("caritas"), 10**9)
    event = AccessEvent.objects.filter(action="intake.read").order_by("-seq").first()
    assert event.decision == "denied"


# --- counting -------------------------------------------------------------------------------------

def test_answers_are_counted_for_the_agency_without_personal_data(world, case):
    _record(world, case)
    other = open_case(world, register_person(world, by="caritas", family_name="Second"))
    _record(world, other, {**ANSWERS, "support_needs": ["language", "housing"],
                           "language_levels": [{"language": "de", "level": "A2"}, {"language": "fa", "level": "C1"}],
                           "qualifications": [{"kind": "academic", "title": "Bachelor", "recognition": "in_progress"}]})
    ctx = world.ctx("caritas")
    needs = {(c.value, c.count) for c in answer_counts(ctx, "support_needs")}
    assert needs == {("language", 2), ("work_training", 1), ("recognition", 1), ("housing", 1)}
    levels = {(c.item, c.value, c.count) for c in answer_counts(ctx, "language_levels")}
    assert ("de", "A2", 2) in levels and ("fa", "C1", 1) in levels
    recognition = {(c.value, c.count) for c in answer_counts(ctx, "qualifications.recognition")}
    assert recognition == {("recognised", 1), ("partly_recognised", 1), ("in_progress", 1)}
    assert answer_counts(world.ctx("jobcentre"), "support_needs") == []  # other agency: its own intakes only
    for free_text in ("goals", "qualifications.title", "nonsense"):
        with pytest.raises(ValueError):
            answer_counts(ctx, free_text)
    with pytest.raises(AccessDenied):
        answer_counts(world.ctx("abh"), "support_needs")  # role without counselling notes
