"""The hash-chained access log: gapless, append-only, and every kind of tampering is named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.audit.chain import EventData, append_events
from lotse.audit.checkpoints import sign_head
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _keys(settings):
    from lotse.audit.checkpoints import checkpoint_file, generate_keypair

    if not settings.LOTSE_AUDIT_KEY_FILE.exists():
        generate_keypair(settings.LOTSE_AUDIT_KEY_FILE, settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)
    checkpoint_file().unlink(missing_ok=True)
    yield
    checkpoint_file().unlink(missing_ok=True)


def _append(n: int, start: int = 0) -> None:
    with transaction.atomic():
        append_events(
            EventData(action="person.read", decision="allowed", actor_id=1, agency_id=2,
                      person_id=start + i, categories="identity", purpose="registry",
                      basis="identity=own_agency")
            for i in range(n)
        )


class _Tamper:
    """Raw SQL on the log table, as an attacker with database access would do it."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER USER")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS audit_accessevent_no_update")
        return self

    def sql(self, statement: str, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER USER")


def test_sequence_has_no_gaps_and_chain_verifies():
    _append(5)
    _append(3)
    assert list(AccessEvent.objects.values_list("seq", flat=True)) == list(range(1, 9))
    sign_head()
    result = verify_chain()
    assert result.ok and result.entries == 8 and result.checkpoints == 1


def test_database_refuses_update():
    _append(2)
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic():
            AccessEvent.objects.filter(seq=1).update(purpose="changed")


def test_delete_is_refused_on_postgresql_and_caught_everywhere():
    _append(3)
    sign_head()
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"):
            with transaction.atomic():
                AccessEvent.objects.filter(seq=2).delete()
        assert verify_chain().ok
    else:  # SQLite keeps DELETE possible for the test flush; the verifier names the hole.
        AccessEvent.objects.filter(seq=2).delete()
        result = verify_chain()
        assert not result.ok and result.first_broken_seq == 2


def test_modified_row_is_named():
    _append(10)
    with _Tamper() as t:
        t.sql("UPDATE audit_accessevent SET person_id = 999 WHERE seq = 4")
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 4 and "changed" in result.problem


def test_deleted_row_is_named():
    _append(10)
    with _Tamper() as t:
        t.sql("DELETE FROM audit_accessevent WHERE seq = 6")
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 6 and "missing" in result.problem


def test_inserted_row_is_named():
    _append(5)
    with _Tamper() as t:
        # A forged row appended at the end with a made-up link.
        t.sql("INSERT INTO audit_accessevent (seq, ts, action, actor_id, agency_id, person_id,"
              " categories, purpose, decision, basis, object_ref, request_id, prev_hash, entry_hash)"
              " VALUES (6, %s, 'person.read', 1, 2, 7, 'identity', 'registry', 'allowed', '', '',"
              " '', %s, %s)", ["2026-01-01T00:00:00+00:00", "f" * 64, "e" * 64])
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 6 and "link" in result.problem


def test_reordered_rows_are_named():
    _append(6)
    with _Tamper() as t:
        t.sql("UPDATE audit_accessevent SET seq = 100 WHERE seq = 3")
        t.sql("UPDATE audit_accessevent SET seq = 3 WHERE seq = 4")
        t.sql("UPDATE audit_accessevent SET seq = 4 WHERE seq = 100")
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 3


def test_rewritten_chain_is_caught_by_the_signed_checkpoint():
    from lotse.audit.chain import GENESIS_HASH, canonical_payload, entry_hash

    _append(8)
    sign_head()
    with _Tamper() as t:
        t.sql("UPDATE audit_accessevent SET person_id = 12345 WHERE seq = 2")
        prev = GENESIS_HASH
        for row in AccessEvent.objects.order_by("seq").values():
            digest = entry_hash(prev, canonical_payload(row))
            t.sql("UPDATE audit_accessevent SET prev_hash = %s, entry_hash = %s WHERE seq = %s",
                  [prev, digest, row["seq"]])
            prev = digest
    result = verify_chain()
    assert not result.ok and "checkpoint" in result.problem


def test_truncated_tail_is_caught_by_the_checkpoint():
    _append(8)
    sign_head()
    with _Tamper() as t:
        t.sql("DELETE FROM audit_accessevent WHERE seq >= 7")
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 7


def test_forged_checkpoint_signature_is_rejected(settings):
    _append(3)
    sign_head()
    from lotse.audit.models import AuditCheckpoint

    AuditCheckpoint.objects.update(entry_hash="0" * 64)
    result = verify_chain()
    assert not result.ok and "signature" in result.problem


def test_verify_audit_command_reports_the_first_broken_entry():
    _append(4)
    call_command("audit_checkpoint")
    call_command("verify_audit")
    with _Tamper() as t:
        t.sql("UPDATE audit_accessevent SET action = 'x' WHERE seq = 2")
    with pytest.raises(CommandError, match="#2"):
        call_command("verify_audit")


TAMPERS = ["modify", "delete", "swap", "rewrite", "truncate"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=3, max_value=40), data=st.data())
def test_every_tamper_is_detected_and_intact_logs_pass(n, data):
    from lotse.audit.chain import GENESIS_HASH, canonical_payload, entry_hash
    from lotse.audit.checkpoints import checkpoint_file
    from lotse.audit.models import AuditCheckpoint

    with _Tamper() as t:
        t.sql("DELETE FROM audit_accessevent")
    AuditCheckpoint.objects.all().delete()
    checkpoint_file().unlink(missing_ok=True)
    _append(n)
    sign_head()
    assert verify_chain().ok  # no false alarm
    kind = data.draw(st.sampled_from(TAMPERS))
    victim = data.draw(st.integers(min_value=1, max_value=n - 1))
    with _Tamper() as t:
        if kind == "modify":
            t.sql("UPDATE audit_accessevent SET categories = 'health' WHERE seq = %s", [victim])
        elif kind == "delete":
            t.sql("DELETE FROM audit_accessevent WHERE seq = %s", [victim])
        elif kind == "swap":
            t.sql("UPDATE audit_accessevent SET seq = -1 WHERE seq = %s", [victim])
            t.sql("UPDATE audit_accessevent SET seq = %s WHERE seq = %s", [victim, victim + 1])
            t.sql("UPDATE audit_accessevent SET seq = %s WHERE seq = -1", [victim + 1])
        elif kind == "truncate":
            t.sql("DELETE FROM audit_accessevent WHERE seq > %s", [victim])
        else:
            t.sql("UPDATE audit_accessevent SET person_id = -5 WHERE seq = %s", [victim])
            prev = GENESIS_HASH
            for row in AccessEvent.objects.order_by("seq").values():
                digest = entry_hash(prev, canonical_payload(row))
                t.sql("UPDATE audit_accessevent SET prev_hash = %s, entry_hash = %s WHERE seq = %s",
                      [prev, digest, row["seq"]])
                prev = digest
    assert not verify_chain().ok


def test_dashed_command_names_work(capsys):
    from lotse.manage import command_argv

    _append(2)
    for dashed in ("audit-checkpoint", "verify-audit"):
        argv = command_argv(["lotse", dashed])
        call_command(argv[1])
    assert command_argv(["lotse", "verify-audit", "--help"]) == ["lotse", "verify_audit", "--help"]
    assert "Access log intact: 2 entries, 1 signed checkpoints" in capsys.readouterr().out


def test_a_log_without_any_signed_checkpoint_is_not_called_intact():
    _append(3)
    result = verify_chain()
    assert not result.ok and result.first_broken_seq is None and "checkpoint" in result.problem
    assert verify_chain(require_checkpoints=False).ok
