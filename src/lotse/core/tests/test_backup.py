"""The restore drill: back up a small world, damage it, restore, and prove what came back.

Runs on the database of the pass (SQLite, or PostgreSQL with pg_dump/pg_restore) in the same
test database: transactional tests, since backup and restore work outside a transaction.
"""

import io
import json
import re
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lotse.access.spine import access_person
from lotse.audit.checkpoints import generate_keypair, sign_head
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain
from lotse.cases.models import CaseDocument
from lotse.cases.services import document_add
from lotse.core.backup import DUMP_NAMES, MANIFEST_NAME, read_manifest
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import build_world, open_case, register_person
from lotse.core.vocabulary import Purpose
from lotse.people.models import Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.reliability]

CANARY = "Canary-Backup-7f3e"
PDF = b"%PDF-1.4\n% Lotse backup drill\n" + bytes(range(256)) * 4


@pytest.fixture
def drill(settings, tmp_path):
    """A world with a canary person, a case with an uploaded document, logged reads and a
    signed checkpoint; media folder and audit keys in tmp_path (no other test sees them)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOTSE_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.pem"
    settings.LOTSE_AUDIT_PUBLIC_KEY_FILE = tmp_path / "keys" / "audit.pub.pem"
    settings.LOTSE_AUDIT_CHECKPOINT_FILE = tmp_path / "keys" / "checkpoints.jsonl"
    generate_keypair(settings.LOTSE_AUDIT_KEY_FILE, settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)

    world = build_world()
    canary = register_person(world, given_names=CANARY, family_name="Vogel")
    client = register_person(world, by="caritas", given_names="Leyla", family_name="Karimi")
    case = open_case(world, client)
    document = document_add(ctx=world.ctx("caritas"), case_id=case.pk, kind="certificate",
                            title="Zeugnis", category="general",
                            upload=SimpleUploadedFile("zeugnis.pdf", PDF, content_type="application/pdf"))
    access_person(world.ctx("social_a"), canary, Purpose.BENEFITS_ADMINISTRATION)
    access_person(world.ctx("caritas"), client, Purpose.CASE_MANAGEMENT)
    sign_head()
    return {"world": world, "canary": canary, "document": document, "tmp": tmp_path,
            "media_file": Path(settings.MEDIA_ROOT) / document.file.name}


def _backup(path: Path) -> dict:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    assert str(path) in out.getvalue()
    return read_manifest(path)


def _restore(path: Path, **options) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, **options)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _person_names() -> set[str]:
    with personal_data_scope():
        return set(Person.objects.values_list("given_names", flat=True))


def test_restore_drill_brings_back_data_files_and_a_verifiable_access_log(drill):
    archive = drill["tmp"] / "drill.tar"
    manifest = _backup(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["row_counts"] == _row_counts()
    head = AccessEvent.objects.order_by("-seq").first()
    assert manifest["access_log_head"] == {"seq": head.seq, "entry_hash": head.entry_hash}
    assert manifest["media"]["files"] == 1
    with tarfile.open(archive) as tar:
        assert set(tar.getnames()) == {MANIFEST_NAME, DUMP_NAMES[connection.vendor],
                                       f"media/{drill['document'].file.name}"}

    # Damage: the canary deleted, a person added, the upload gone, a stray file, more log rows.
    world = drill["world"]
    with personal_data_scope():
        Person.objects.filter(pk=drill["canary"]).delete()
    register_person(world, given_names="After-Backup", family_name="Neu")
    drill["media_file"].unlink()
    (drill["media_file"].parent / "stray.pdf").write_bytes(b"%PDF-stray")
    assert CANARY not in _person_names()
    assert AccessEvent.objects.count() > head.seq

    output = _restore(archive, force=True)
    print(output)  # the reliability figures: restore time, tables, rows (shown with -s)

    assert re.search(r"restored in \d+\.\d\d s, \d+ tables, \d+ rows", output), output
    assert f"{len(manifest['row_counts'])} tables, {sum(manifest['row_counts'].values())} rows" in output
    assert _row_counts() == manifest["row_counts"]
    result = verify_chain()
    assert result.ok, result.problem
    assert result.entries == manifest["access_log_head"]["seq"]
    names = _person_names()
    assert CANARY in names and "After-Backup" not in names
    assert drill["media_file"].read_bytes() == PDF
    assert not (drill["media_file"].parent / "stray.pdf").exists()
    with personal_data_scope():
        assert CaseDocument.objects.get(pk=drill["document"].pk).file.read() == PDF
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():  # trigger restored
        AccessEvent.objects.filter(seq=1).update(action="tampered")


def test_a_corrupted_archive_is_refused_and_nothing_changes(drill):
    archive = drill["tmp"] / "corrupt.tar"
    _backup(archive)
    register_person(drill["world"], given_names="After-Backup", family_name="Neu")
    with tarfile.open(archive) as tar:
        member = tar.getmember(DUMP_NAMES[connection.vendor])
        offset = member.offset_data + member.size // 2
    with archive.open("r+b") as handle:  # flip one byte in the middle of the dump
        handle.seek(offset)
        byte = handle.read(1)[0]
        handle.seek(offset)
        handle.write(bytes([byte ^ 0x01]))
    counts, media = _row_counts(), drill["media_file"].read_bytes()

    with pytest.raises(CommandError, match="SHA-256 of the database dump does not match"):
        _restore(archive, force=True)
    truncated = drill["tmp"] / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="Restore refused, nothing was changed"):
        _restore(truncated, force=True)

    assert _row_counts() == counts
    assert "After-Backup" in _person_names()
    assert drill["media_file"].read_bytes() == media
    assert verify_chain().ok


@pytest.mark.postgres_only
def test_a_failing_pg_restore_leaves_the_database_as_it_was(drill):
    archive = drill["tmp"] / "pg.tar"
    _backup(archive)
    register_person(drill["world"], given_names="After-Backup", family_name="Neu")
    counts = _row_counts()
    with connection.cursor() as cursor:  # as a newer migration might: a table the dump lacks
        cursor.execute("CREATE TABLE backup_drill_extra (person_id bigint REFERENCES people_person (id))")
    try:
        with pytest.raises(CommandError, match="Restore failed: pg_restore failed"):
            _restore(archive, force=True)
        assert _row_counts() == {**counts, "backup_drill_extra": 0}
        assert "After-Backup" in _person_names()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE backup_drill_extra")


def test_restore_into_a_database_with_data_needs_force(drill):
    archive = drill["tmp"] / "data.tar"
    _backup(archive)
    register_person(drill["world"], given_names="After-Backup", family_name="Neu")
    counts = _row_counts()

    with pytest.raises(CommandError, match="not empty.*--force"):
        _restore(archive)

    assert _row_counts() == counts


def test_restore_into_an_emptied_database_needs_no_force(drill):
    archive = drill["tmp"] / "full.tar"
    manifest = _backup(archive)
    call_command("flush", interactive=False, verbosity=0)  # what `migrate` on a new server leaves
    drill["media_file"].unlink()

    _restore(archive)

    assert _row_counts() == manifest["row_counts"]
    assert CANARY in _person_names()
    assert drill["media_file"].read_bytes() == PDF


def test_a_backup_of_another_vendor_or_format_is_refused(drill):
    archive = drill["tmp"] / "other.tar"
    _backup(archive)
    for change, message in (({"database_vendor": "oracle"}, "of a oracle database"),
                            ({"format_version": 99}, "format version 99")):
        altered = drill["tmp"] / "altered.tar"
        _rewrite_manifest(archive, altered, change)
        with pytest.raises(CommandError, match=message):
            _restore(altered, force=True)
        altered.unlink()


def test_signed_checkpoints_beyond_the_backup_are_reported_as_lost_entries(drill):
    archive = drill["tmp"] / "older.tar"
    manifest = _backup(archive)
    register_person(drill["world"], given_names="After-Backup", family_name="Neu")
    signed = sign_head()  # the hourly checkpoint after the backup, kept outside the database

    with pytest.raises(CommandError, match=rf"verifies up to #{manifest['access_log_head']['seq']}, "
                                           rf"but signed checkpoints reach #{signed.seq}"):
        _restore(archive, force=True)

    assert _row_counts() == manifest["row_counts"]  # the data is back; the report says what is lost


def _rewrite_manifest(source: Path, target: Path, change: dict) -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == MANIFEST_NAME:
                data = json.dumps({**json.loads(data), **change}).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
