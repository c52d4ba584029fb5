"""The permit register import: all rows or none, every problem named by line and column but
never by a person's data, matching by the authority's file number and the AZR number, the
people services (checks, log rows, the handover signal) doing the writing, and a second import
of the same file changing nothing."""

import csv
import datetime
import io
import json
from unittest import mock

import pytest

from lotse.access.spine import AccessDenied
from lotse.appointments import permit_import as module
from lotse.appointments.models import PermitImport
from lotse.appointments.permit_import import COLUMNS, permit_import_run, permit_import_template_csv
from lotse.audit.models import AccessEvent
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import add_benefits, register_person
from lotse.handovers.models import Handover
from lotse.organisations.models import Municipality
from lotse.people.models import Person, PersonAgencyLink, ResidenceStatus
from lotse.people.services import PersonData, person_create
from lotse.people.signals import residence_status_recorded

pytestmark = pytest.mark.django_db

D = datetime.date


def _row(**values) -> dict[str, str]:
    row = {
        "aktenzeichen": "ABH-2024-0001", "azr_nummer": "", "familienname": "Haddad", "vornamen": "Amina",
        "geburtsdatum": "17.05.1990", "staatsangehoerigkeit": "475", "sprache": "ar",
        "strasse": "Hauptstraße 1", "plz": "52349", "ort": "A-Dorf", "email": "",
        "gemeinde": "A-Dorf", "aufenthaltsstatus": "p25-2-gfk", "dokument": "eAT",
        "gueltig_ab": "01.03.2024", "gueltig_bis": "28.02.2027", "antrag_gestellt_am": "",
    }
    row.update(values)
    return row


def _csv(*rows: dict, delimiter: str = ";", columns=COLUMNS, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode(encoding)


def _good_rows() -> list[dict]:
    return [
        _row(),
        _row(gueltig_ab="2022-03-01", gueltig_bis="2024-02-29", aufenthaltsstatus="gestattung",
             dokument="Papier"),
        _row(aktenzeichen="ABH-2024-0002", familienname="Saleh", vornamen="Rami", geburtsdatum="00.00.1985",
             staatsangehoerigkeit="475 166", sprache="", gemeinde="99999002", dokument="fiktion",
             aufenthaltsstatus="§ 25 Abs. 2 S. 1 Alt. 2 AufenthG", gueltig_bis="",
             antrag_gestellt_am="15.01.2025"),
    ]


def _run(world, data: bytes, by: str = "abh", **kwargs) -> PermitImport:
    return permit_import_run(ctx=world.ctx(by), data=data, file_name="register.csv", **kwargs)


def _counts() -> tuple[int, int, int]:
    with personal_data_scope():
        return Person.objects.count(), ResidenceStatus.objects.count(), PersonAgencyLink.objects.count()


def _statuses(world) -> list[tuple]:
    with personal_data_scope():
        return list(ResidenceStatus.objects.filter(owning_agency=world.agencies["abh"]).order_by(
            "person__family_name", "valid_from").values_list(
            "person__family_name", "kind__code", "document", "valid_from", "valid_to",
            "application_pending_since"))


def _events_since(seq: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- good files ------------------------------------------------------------------------------

def test_a_good_file_registers_persons_and_statuses_through_the_services_and_logs_them(world):
    seq = _last_seq()
    result = _run(world, _csv(*_good_rows()))
    assert result.accepted, result.report
    assert (result.rows, result.created_persons, result.created_statuses, result.updated_statuses,
            result.unchanged) == (3, 2, 3, 0, 0)
    assert result.report == [] and result.file_name == "register.csv" and len(result.sha256) == 64
    assert _statuses(world) == [
        ("Haddad", "gestattung", "paper", D(2022, 3, 1), D(2024, 2, 29), None),
        ("Haddad", "p25-2-gfk", "eat", D(2024, 3, 1), D(2027, 2, 28), None),
        ("Saleh", "p25-2-sub", "fiktion", D(2024, 3, 1), None, D(2025, 1, 15)),
    ]
    with personal_data_scope():
        amina = Person.objects.get(family_name="Haddad")
        rami = Person.objects.get(family_name="Saleh")
        files = dict(PersonAgencyLink.objects.filter(agency=world.agencies["abh"]).values_list(
            "person__family_name", "file_number"))
    assert (amina.given_names, amina.birth_display, amina.nationalities, amina.preferred_language,
            amina.municipality, amina.street) == ("Amina", "17.05.1990", ["475"], "ar", world.town_a,
                                                  "Hauptstraße 1")
    assert (rami.birth_display, rami.nationalities, rami.municipality) == ("1985", ["475", "166"], world.town_b)
    assert files == {"Haddad": "ABH-2024-0001", "Saleh": "ABH-2024-0002"}
    actions = [(e.action, e.decision) for e in _events_since(seq)]
    assert actions.count(("person.created", "allowed")) == 2
    assert actions.count(("residence.recorded", "allowed")) == 3
    assert actions[-1] == ("permit_import.applied", "allowed")


def test_importing_the_same_file_again_changes_nothing(world):
    data = _csv(*_good_rows())
    _run(world, data)
    before, statuses, seq = _counts(), _statuses(world), _last_seq()
    again = _run(world, data)
    assert again.accepted
    assert (again.created_persons, again.created_statuses, again.updated_statuses, again.unchanged) == (0, 0, 0, 3)
    assert _counts() == before and _statuses(world) == statuses
    assert [e.action for e in _events_since(seq)] == ["permit_import.applied"]  # no row about a person


def test_a_changed_end_of_validity_or_document_updates_the_status_and_logs_it(world):
    rows = _good_rows()
    _run(world, _csv(*rows))
    before, seq = _counts(), _last_seq()
    rows[0].update(gueltig_bis="31.12.2027", dokument="fiktion", antrag_gestellt_am="02.01.2025")
    result = _run(world, _csv(*rows))
    assert (result.created_statuses, result.updated_statuses, result.unchanged) == (0, 1, 2)
    assert ("Haddad", "p25-2-gfk", "fiktion", D(2024, 3, 1), D(2027, 12, 31), D(2025, 1, 2)) in _statuses(world)
    assert _counts() == before
    [update] = [e for e in _events_since(seq) if e.person_id]
    assert (update.action, update.decision, update.categories) == ("residence.updated", "allowed", "residence")


@pytest.mark.parametrize("delimiter", [";", ","])
def test_semicolon_and_comma_files_are_both_read(world, delimiter):
    rows = _good_rows()
    rows[2]["staatsangehoerigkeit"] = "475,166"  # quoted by the writer in a comma file
    result = _run(world, _csv(*rows, delimiter=delimiter))
    assert result.accepted, result.report
    assert result.created_statuses == 3
    with personal_data_scope():
        assert Person.objects.get(family_name="Saleh").nationalities == ["475", "166"]


def test_column_order_is_free_extra_columns_are_ignored_and_header_spelling_tolerated(world):
    columns = ["Bemerkung", *reversed(COLUMNS)]
    data = _csv(_row(Bemerkung="egal"), columns=columns).decode()
    data = data.replace("gueltig_ab", "Gültig ab").replace("familienname", "Familienname")
    result = _run(world, data.encode())
    assert result.accepted, result.report
    assert result.created_statuses == 1


def test_a_utf8_file_with_a_byte_order_mark_is_read(world):
    result = _run(world, b"\xef\xbb\xbf" + _csv(_row(familienname="Çelik", vornamen="Şükrü")))
    assert result.accepted, result.report
    with personal_data_scope():
        assert Person.objects.get().family_name == "Çelik"


def test_a_windows_1252_file_with_umlauts_is_read_when_the_caller_says_so(world):
    data = _csv(_row(familienname="Müller-Lüdenscheidt", vornamen="Jürgen", strasse="Große Straße 5",
                     aufenthaltsstatus="§ 60a AufenthG", dokument="kein"), encoding="cp1252")
    result = _run(world, data, encoding="cp1252")
    assert result.accepted, result.report
    with personal_data_scope():
        person = Person.objects.get()
    assert (person.family_name, person.given_names, person.street) == ("Müller-Lüdenscheidt", "Jürgen",
                                                                       "Große Straße 5")
    assert _statuses(world)[0][1:3] == ("duldung", "none")


def test_the_template_is_a_valid_file(world):
    Municipality.objects.create(district=world.district, name="Musterstadt", code="99999003")
    template = permit_import_template_csv()
    assert template.splitlines()[0] == ";".join(COLUMNS)
    result = _run(world, template.encode())
    assert result.accepted, result.report
    assert result.created_persons == 1


# --- matching existing persons ---------------------------------------------------------------

def test_a_person_with_the_authoritys_file_number_is_matched_not_registered_again(world):
    pid = person_create(ctx=world.ctx("abh"), data=PersonData(given_names="Amina", family_name="Haddad"),
                        file_number="ABH-2024-0001").pk
    result = _run(world, _csv(_row()))
    assert result.accepted and result.created_persons == 0 and result.created_statuses == 1
    with personal_data_scope():
        assert ResidenceStatus.objects.get().person_id == pid


def test_recognition_of_a_person_under_asylblg_found_by_azr_opens_a_file_and_a_handover(world):
    pid = register_person(world, given_names="Rami", family_name="Saleh", birth_year=1985,
                          azr_number="123456789")
    add_benefits(world, pid)
    seq = _last_seq()
    result = _run(world, _csv(_row(aktenzeichen="ABH-77", azr_nummer="123456789", familienname="Saleh",
                                   vornamen="Rami", geburtsdatum="03.04.1985", gueltig_ab="10.03.2026",
                                   gueltig_bis="09.03.2029")))
    assert result.accepted, result.report
    assert (result.created_persons, result.created_statuses) == (0, 1)
    with personal_data_scope():
        link = PersonAgencyLink.objects.get(person_id=pid, agency=world.agencies["abh"])
        [handover] = Handover.objects.all()
    assert link.file_number == "ABH-77"
    assert (handover.person_id, handover.from_regime, handover.to_regime) == (pid, "asylblg", "sgb2")
    actions = [e.action for e in _events_since(seq) if e.person_id == pid]
    assert actions[0] == "person.file_opened"
    assert "residence.recorded" in actions and "handover.opened" in actions


def test_an_azr_number_given_in_a_later_row_of_the_same_file_number_is_used(world):
    pid = register_person(world, given_names="Amina", family_name="Haddad", azr_number="123456789")
    rows = _good_rows()[:2]
    rows[1]["azr_nummer"] = "123456789"
    result = _run(world, _csv(*rows))
    assert result.accepted, result.report
    assert (result.created_persons, result.created_statuses) == (0, 2)
    with personal_data_scope():
        assert set(ResidenceStatus.objects.values_list("person_id", flat=True)) == {pid}


def test_an_azr_number_of_a_person_with_another_name_is_refused(world):
    register_person(world, given_names="Olena", family_name="Shevchenko", birth_year=1979,
                    azr_number="123456789")
    before = _counts()
    result = _run(world, _csv(_row(azr_nummer="123456789")))
    assert not result.accepted
    assert [(p["line"], p["field"]) for p in result.report] == [(2, "azr_nummer")]
    assert _counts() == before


def test_a_file_number_and_an_azr_number_of_two_different_persons_are_refused(world):
    person_create(ctx=world.ctx("abh"), data=PersonData(given_names="Amina", family_name="Haddad"),
                  file_number="ABH-2024-0001")
    register_person(world, given_names="Amina", family_name="Haddad", azr_number="123456789")
    before = _counts()
    result = _run(world, _csv(_row(azr_nummer="123456789")))
    assert [(p["line"], p["field"]) for p in result.report] == [(2, "azr_nummer")]
    assert _counts() == before


def test_listeners_hear_of_each_new_status_once_and_of_nothing_on_a_second_import(world):
    heard = []

    def listener(sender, *, ctx, status, **kwargs):
        heard.append((status.pk, status.kind.code, ctx.agency_id))

    residence_status_recorded.connect(listener, dispatch_uid="test-permit-import")
    try:
        _run(world, _csv(*_good_rows()))
        _run(world, _csv(*_good_rows()))
    finally:
        residence_status_recorded.disconnect(dispatch_uid="test-permit-import")
    with personal_data_scope():
        ids = sorted(ResidenceStatus.objects.values_list("pk", flat=True))
    assert sorted(pk for pk, _code, _agency in heard) == ids and len(ids) == 3
    assert [code for _pk, code, _agency in heard][0] == "gestattung"  # in order of validity
    assert {agency for *_rest, agency in heard} == {world.agencies["abh"].pk}


# --- bad files: all or nothing ---------------------------------------------------------------

BAD_VALUES = [
    ("gueltig_ab", "31.02.2024"),  # no such day
    ("gueltig_ab", "2024/03/01"),  # no accepted format
    ("gueltig_ab", ""),  # required
    ("gueltig_bis", "01.01.2023"),  # before gueltig_ab
    ("aufenthaltsstatus", "p99-unknown"),
    ("gemeinde", "Atlantis"),
    ("dokument", "Reisepass"),
    ("aktenzeichen", "X" * 51),
    ("vornamen", "Am\x00ina"),
    ("familienname", '=HYPERLINK("https://example.org/x","Haddad")'),
    ("strasse", "+49 1 2 3"),
    ("ort", "@SUM(A1)"),
    ("azr_nummer", "12ab34"),
    ("geburtsdatum", "32.13.1990"),
    ("geburtsdatum", "01.01.2999"),
    ("staatsangehoerigkeit", "SYR"),
    ("sprache", "arabic"),
    ("plz", "5234"),
    ("email", "amina(at)example.org"),
    ("antrag_gestellt_am", "01.01.2199"),
]


@pytest.mark.parametrize(("column", "value"), BAD_VALUES)
def test_one_bad_value_refuses_the_whole_file_and_names_line_and_column_only(world, column, value):
    before, seq = _counts(), _last_seq()
    good = _row(aktenzeichen="ABH-1", familienname="Nasser", vornamen="Ali")
    bad = _row(**{"aktenzeichen": "ABH-2", column: value})
    result = _run(world, _csv(good, bad))
    assert not result.accepted
    assert [(p["line"], p["field"]) for p in result.report] == [(3, column)], result.report
    assert (result.created_persons, result.created_statuses) == (0, 0)
    assert _counts() == before
    assert all(e.person_id is None for e in _events_since(seq))
    text = json.dumps(result.report, ensure_ascii=False)
    for personal in ("Haddad", "Amina", "Nasser", "ABH-2", value):
        assert not personal.strip() or personal not in text
    assert PermitImport.objects.get().pk == result.pk


def test_a_status_kind_not_in_force_on_the_start_date_is_refused(world):
    result = _run(world, _csv(_row(aufenthaltsstatus="p104c", gueltig_ab="01.03.2021", gueltig_bis="")))
    assert [(p["line"], p["field"]) for p in result.report] == [(2, "aufenthaltsstatus")]


def test_several_problems_are_all_listed(world):
    result = _run(world, _csv(_row(gemeinde="Atlantis", dokument="?"), _row(aktenzeichen="B", plz="1")))
    assert [(p["line"], p["field"]) for p in result.report] == [(2, "gemeinde"), (2, "dokument"), (3, "plz")]


def test_a_missing_required_column_is_reported_in_the_header_line(world):
    result = _run(world, _csv(_row(), columns=[c for c in COLUMNS if c != "gemeinde"]))
    assert not result.accepted
    assert [(p["line"], p["field"]) for p in result.report] == [(1, "gemeinde")]
    assert _counts() == (0, 0, 0)


def test_a_repeated_row_is_refused(world):
    result = _run(world, _csv(_row(), _row(aktenzeichen="ABH-9"), _row(dokument="fiktion")))
    assert not result.accepted
    assert [(p["line"], p["field"]) for p in result.report] == [(4, "")]
    assert "2" in result.report[0]["message"]
    assert _counts() == (0, 0, 0)


def test_a_file_number_with_two_identities_in_one_file_is_refused(world):
    result = _run(world, _csv(_row(), _row(vornamen="Amira", aufenthaltsstatus="duldung")))
    assert [(p["line"], p["field"]) for p in result.report] == [(3, "aktenzeichen")]
    assert "Amira" not in json.dumps(result.report)
    result = _run(world, _csv(_row(), _row(geburtsdatum="1990", aufenthaltsstatus="duldung")))
    assert [(p["line"], p["field"]) for p in result.report] == [(3, "aktenzeichen")]
    assert _counts() == (0, 0, 0)


def test_an_azr_number_under_two_file_numbers_is_refused(world):
    result = _run(world, _csv(_row(azr_nummer="123456789"),
                              _row(aktenzeichen="ABH-9", vornamen="Amira", azr_nummer="123456789")))
    assert [(p["line"], p["field"]) for p in result.report] == [(3, "azr_nummer")]


def test_invalid_utf8_is_one_clear_message_and_nothing_is_written(world):
    data = _csv(_row()) + "ABH-3;;Müller;Jörg".encode("cp1252") + b"\r\n"
    result = _run(world, data)
    assert not result.accepted
    assert len(result.report) == 1 and result.report[0]["line"] == 3
    assert "UTF-8" in result.report[0]["message"]
    assert _counts() == (0, 0, 0)


def test_a_utf8_file_announced_as_windows_1252_is_refused_with_a_hint(world):
    result = _run(world, b"\xef\xbb\xbf" + _csv(_row()), encoding="cp1252")
    assert not result.accepted and "UTF-8" in result.report[0]["message"]


def test_a_line_with_a_wrong_number_of_fields_is_refused(world):
    data = _csv(_row()) + b"ABH-5;Haddad;Amina\r\n"
    result = _run(world, data)
    assert [(p["line"], p["field"]) for p in result.report] == [(3, "")]
    assert _counts() == (0, 0, 0)


def test_a_header_without_rows_and_blank_lines_are_handled(world):
    result = _run(world, _csv())
    assert not result.accepted and [p["line"] for p in result.report] == [None]
    data = _csv(_row()) + b";;;;;;;;;;;;;;;;\r\n\r\n" + _csv(_row(aktenzeichen="ABH-9")).split(b"\r\n", 1)[1]
    result = _run(world, data)
    assert result.accepted, result.report
    assert (result.rows, result.created_persons) == (2, 2)


def test_the_limits_of_size_and_rows(world, monkeypatch):
    monkeypatch.setattr(module, "MAX_ROWS", 2)
    result = _run(world, _csv(_row(), _row(aktenzeichen="B"), _row(aktenzeichen="C")))
    assert not result.accepted and [p["line"] for p in result.report] == [None]
    monkeypatch.setattr(module, "MAX_BYTES", 100)
    result = _run(world, _csv(_row()))
    assert not result.accepted and [p["line"] for p in result.report] == [None]
    assert _run(world, b"").report[0]["line"] is None
    assert _counts() == (0, 0, 0)


def test_a_failure_while_writing_rolls_everything_back(world):
    """A listener of `residence_status_recorded` fails at the second status: nothing stays."""
    calls = []
    real = residence_status_recorded.send

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    with mock.patch.object(residence_status_recorded, "send", side_effect=fail_on_second):
        result = _run(world, _csv(*_good_rows()))
    assert not result.accepted
    assert len(result.report) == 1 and result.report[0]["line"] == 2  # in order of validity: line 3, then 2
    assert "disk full" not in result.report[0]["message"]
    assert _counts() == (0, 0, 0)
    assert not AccessEvent.objects.filter(action__in=["person.created", "residence.recorded"]).exists()
    assert AccessEvent.objects.order_by("-seq").first().action == "permit_import.failed"


# --- who may import --------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["social_a", "caritas", "coordinator"])
def test_users_without_the_permission_are_refused_and_the_refusal_is_logged(world, user):
    with pytest.raises(AccessDenied):
        _run(world, _csv(_row()), by=user)
    event = AccessEvent.objects.order_by("-seq").first()
    assert (event.action, event.decision, event.actor_id) == ("permit_import.refused", "denied",
                                                              world.users[user].pk)
    assert event.basis == "permission:appointments:manage"
    assert not PermitImport.objects.exists()
    assert _counts() == (0, 0, 0)
