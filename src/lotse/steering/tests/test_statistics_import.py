"""Importing resident statistics: a valid file is stored (and replaces the rows of the same
municipality and date), a file with problems stores nothing and lists every problem with its
line in German; encodings and delimiters; coordinators only."""

import datetime

import pytest

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.organisations.models import Municipality
from lotse.steering.models import ResidentStatistic
from lotse.steering.statistics_import import MAX_BYTES, resident_statistics_import

pytestmark = pytest.mark.django_db

HEADER = "gemeinde;stichtag;neuzugewanderte;auslaender_gesamt\n"


def _import(world, text: str | bytes, source="IT.NRW, Ausländerstatistik", by="coordinator"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return resident_statistics_import(ctx=world.ctx(by), data=data, source=source)


def _stored():
    return sorted((s.municipality.name, s.reference_date, s.newcomers_last_12_months, s.foreign_residents, s.source)
                  for s in ResidentStatistic.objects.select_related("municipality"))


def _problems(result):
    return [(p.line, p.column, p.message) for p in result.problems]


def test_a_valid_file_is_stored_by_name_or_official_key(world):
    result = _import(world, HEADER + "A-Dorf;31.12.2025;44;900\n99999002;2025-12-31;30;\n;;;\n")
    assert (result.accepted, result.rows, result.created, result.replaced) == (True, 2, 2, 0)
    assert _stored() == [
        ("A-Dorf", datetime.date(2025, 12, 31), 44, 900, "IT.NRW, Ausländerstatistik"),
        ("B-Stadt", datetime.date(2025, 12, 31), 30, None, "IT.NRW, Ausländerstatistik")]
    assert {s.district_id for s in ResidentStatistic.objects.all()} == {world.district.pk}
    assert {s.imported_by_id for s in ResidentStatistic.objects.all()} == {world.users["coordinator"].pk}
    entry = AccessEvent.objects.get(action="steering.statistics.imported")
    assert (entry.object_ref, entry.actor_id, entry.person_id) == (
        "statistics:2025-12-31", world.users["coordinator"].pk, None)


def test_a_second_import_replaces_the_row_of_the_same_municipality_and_date(world):
    _import(world, HEADER + "A-Dorf;31.12.2025;40;800\nB-Stadt;31.12.2025;30;600\n")
    result = _import(world, HEADER + "A-Dorf;31.12.2025;44;\nA-Dorf;31.03.2026;47;950\n",
                     source="Einwohnermeldeamt")
    assert (result.created, result.replaced) == (1, 1)
    assert _stored() == [
        ("A-Dorf", datetime.date(2025, 12, 31), 44, None, "Einwohnermeldeamt"),
        ("A-Dorf", datetime.date(2026, 3, 31), 47, 950, "Einwohnermeldeamt"),
        ("B-Stadt", datetime.date(2025, 12, 31), 30, 600, "IT.NRW, Ausländerstatistik")]
    assert AccessEvent.objects.filter(action="steering.statistics.imported").last().object_ref == (
        "statistics:2025-12-31..2026-03-31")


def test_a_file_with_three_problems_stores_nothing_and_reports_all_three(world):
    result = _import(world, HEADER + "A-Dorf;31.12.2025;44;900\n"
                                     "Z-Hausen;31.12.2025;12;\n"
                                     "B-Stadt;31.13.2025;30;\n"
                                     "A-Dorf;2025-06-30;-3;\n")
    assert not result.accepted and result.problem_count == 3
    assert _problems(result) == [
        (3, "gemeinde", "Unbekannte Gemeinde. Geben Sie ihren Namen oder ihren amtlichen Gemeindeschlüssel an."),
        (4, "stichtag", "Dieses Datum gibt es nicht."),
        (5, "neuzugewanderte", "Eine Anzahl kann nicht negativ sein."),
    ]
    assert ResidentStatistic.objects.count() == 0
    assert not AccessEvent.objects.filter(action="steering.statistics.imported").exists()


def test_further_problems_of_rows(world):
    other = build_world("88888")
    result = _import(world, "Gemeinde;Stichtag;Neuzugewanderte;Ausländer gesamt\n"
                            f"{other.town_a.code};31.12.2025;5;\n"
                            "A-Dorf;Ende 2025;5;\n"
                            "A-Dorf;31.12.2025;3,5;\n"
                            "A-Dorf;31.12.2025;12;10\n"
                            "B-Stadt;31.12.2025;;\n"
                            "B-Stadt;31.12.2025;7;\n"
                            "b-stadt;2025-12-31;8;\n"
                            "A-Dorf;30.06.2025;1;2;3\n")
    assert _problems(result) == [
        (2, "Gemeinde", "Diese Gemeinde gehört zu einem anderen Kreis."),
        (3, "Stichtag", "Kein Datum. Verwenden Sie TT.MM.JJJJ oder JJJJ-MM-TT."),
        (4, "Neuzugewanderte", "Keine ganze Zahl. Geben Sie die Anzahl nur mit Ziffern an, ohne Trennzeichen."),
        (5, "Ausländer gesamt", "Es gibt insgesamt weniger ausländische Einwohner als Neuzugewanderte."),
        (6, "Neuzugewanderte", "Dieser Wert ist erforderlich."),
        (8, "Gemeinde", "Die Gemeinde steht mit demselben Stichtag schon in Zeile 7."),
        (9, "", "Die Zeile hat 5 Felder, die Kopfzeile 4. Prüfen Sie das Trennzeichen und die Anführungszeichen."),
    ]
    assert ResidentStatistic.objects.count() == 0


@pytest.mark.parametrize(("data", "expected"), [
    (b"", [(None, "", "Die Datei ist leer.")]),
    (b"gemeinde;stichtag;neuzugewanderte\n", [(None, "", "Die Datei enthält keine Datenzeilen.")]),
    (b"gemeinde;neuzugewanderte\nA-Dorf;5\n",
     [(1, "stichtag", "Die Pflichtspalte fehlt in der Kopfzeile.")]),
    (b"%PDF-1.7\n...", [(None, "", "Das ist keine CSV-Datei. Speichern Sie die Tabelle als CSV (durch Semikolon "
                                    "oder Komma getrennt) und laden Sie diese Datei hoch.")]),
    (b"Gemeinde Stichtag Anzahl\nA-Dorf 31.12.2025 5\n",
     [(1, "", "Das ist keine CSV-Datei: In der ersten Zeile steht kein Semikolon und kein Komma zwischen "
              "den Spaltennamen.")]),
    (b"gemeinde;stichtag;neuzugewanderte\n" + b"A-Dorf;31.12.2025;5\n" * (MAX_BYTES // 20 + 1),
     [(None, "", "Die Datei ist zu groß (höchstens 1 MB).")]),
])
def test_problems_of_the_whole_file(world, data, expected):
    result = resident_statistics_import(ctx=world.ctx("coordinator"), data=data, source="IT.NRW")
    assert _problems(result) == expected
    assert ResidentStatistic.objects.count() == 0


def test_the_source_must_be_named(world):
    result = _import(world, HEADER + "A-Dorf;31.12.2025;44;900\n", source="  ")
    assert _problems(result) == [(None, "", "Nennen Sie die Quelle der Zahlen.")]
    assert ResidentStatistic.objects.count() == 0


@pytest.mark.parametrize("encode", [
    lambda text: "\ufeff".encode() + text.encode("utf-8"),  # UTF-8 with byte order mark
    lambda text: text.replace(";", ",").encode("utf-8"),  # comma separated
    lambda text: text.replace("\n", "\r\n").encode("cp1252"),  # Excel on German Windows
])
def test_byte_order_mark_commas_and_windows_1252_are_read(world, encode):
    Municipality.objects.create(district=world.district, name="Nörvenich", code="99999004")
    result = _import(world, encode("Gemeinde;Stichtag;Zuzüge 12 Monate\nNörvenich;31.12.2025;17\n"))
    assert result.accepted, result.problems
    assert _stored() == [("Nörvenich", datetime.date(2025, 12, 31), 17, None, "IT.NRW, Ausländerstatistik")]


def test_only_coordinators_import(world):
    with pytest.raises(AccessDenied):
        _import(world, HEADER + "A-Dorf;31.12.2025;44;900\n", by="steering_member")
    assert ResidentStatistic.objects.count() == 0
    refusal = AccessEvent.objects.get(action="steering.statistics.refused")
    assert (refusal.decision, refusal.actor_id) == ("denied", world.users["steering_member"].pk)


def test_every_problem_is_counted_the_first_200_listed(world):
    result = _import(world, HEADER + "Z-Hausen;irgendwann;-1;\n" * 70)  # 3 problems in each of 70 rows
    assert (result.problem_count, len(result.problems)) == (210, 200)
    assert result.problems[-1].line == 68 and ResidentStatistic.objects.count() == 0
