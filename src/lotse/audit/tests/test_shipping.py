"""ASVS 16.4.3: access-log entries leave the machine as JSON lines on the logger
"lotse.audit.shipping", after their transaction commits, and only then."""

import json
import logging

import pytest
from django.db import transaction
from django.test import override_settings

from lotse.audit import shipping
from lotse.audit.chain import GENESIS_HASH, PAYLOAD_FIELDS, EventData, append_events, canonical_payload, entry_hash
from lotse.audit.models import AccessEvent

pytestmark = pytest.mark.django_db(transaction=True)

ROW_COLUMNS = {*PAYLOAD_FIELDS, "prev_hash", "entry_hash"}


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


class BrokenHandler(logging.Handler):
    """A handler whose emit raises outright (not through handleError)."""

    def emit(self, record):
        raise RuntimeError("the log host is on fire")


@pytest.fixture
def shipped():
    """Listen on the shipping logger the way a SysLogHandler would: own handler, INFO."""
    logger = logging.getLogger("lotse.audit.shipping")
    handler = ListHandler()
    old = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old[0])
    logger.propagate = old[1]


def _events(n: int, **extra) -> list[EventData]:
    return [EventData(action="person.read", decision="allowed", actor_id=7, agency_id=3,
                      person_id=100 + i, categories="identity", purpose="counselling",
                      basis="own_agency", object_ref=f"case:{i}", request_id="r" * 32, **extra)
            for i in range(n)]


def test_a_committed_append_ships_exactly_its_entries_in_seq_order(shipped):
    with transaction.atomic():
        append_events(_events(1))
    with transaction.atomic():
        append_events(_events(3))
        assert len(shipped) == 1  # nothing before the commit
    lines = [json.loads(line) for line in shipped]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4]
    rows = list(AccessEvent.objects.order_by("seq"))
    for line, row in zip(lines, rows, strict=True):
        assert line == {name: getattr(row, name) for name in ROW_COLUMNS} | {
            "ts": row.ts.isoformat(timespec="microseconds")}


def test_the_log_host_can_check_the_chain_from_the_lines_alone(shipped):
    with transaction.atomic():
        append_events(_events(5))
    prev = GENESIS_HASH
    for line in map(json.loads, shipped):
        assert line["prev_hash"] == prev
        assert entry_hash(prev, canonical_payload(line)) == line["entry_hash"]
        prev = line["entry_hash"]


def test_a_rolled_back_append_ships_nothing(shipped):
    with pytest.raises(RuntimeError), transaction.atomic():
        append_events(_events(2))
        raise RuntimeError("the action failed after logging")
    assert shipped == []
    # A rolled-back savepoint inside a committed transaction ships nothing either.
    with transaction.atomic():
        append_events(_events(1))
        try:
            with transaction.atomic():
                append_events(_events(2))
                raise RuntimeError("inner step failed")
        except RuntimeError:
            pass
    assert [json.loads(line)["seq"] for line in shipped] == [1]
    assert AccessEvent.objects.count() == 1


def test_a_line_holds_only_the_row_columns_and_no_free_text(shipped):
    from lotse.core.testing import build_world, register_person

    world = build_world()
    with transaction.atomic():
        pid = register_person(world, given_names="Zuleika", family_name="Quernheim-Ashworth")
    assert shipped
    for line in map(json.loads, shipped):
        assert set(line) == ROW_COLUMNS
    text = "\n".join(shipped)
    assert "Zuleika" not in text and "Quernheim" not in text
    assert any(json.loads(line)["person_id"] == pid for line in shipped)


@pytest.fixture
def shipping_level():
    """Set the shipping logger's level for a test (setLevel also clears logging's cache)."""
    logger = logging.getLogger("lotse.audit.shipping")
    old = logger.level
    yield logger.setLevel
    logger.setLevel(old)


def test_nothing_is_prepared_when_nobody_listens(shipping_level, monkeypatch):
    shipping_level(logging.WARNING)
    calls = []
    monkeypatch.setattr(shipping, "entry_line", lambda row: calls.append(row) or "")
    with transaction.atomic():
        append_events(_events(3))
        assert transaction.get_connection().run_on_commit == []
    assert calls == []


def test_a_failing_log_handler_never_breaks_the_action(shipped, caplog):
    logger = logging.getLogger("lotse.audit.shipping")
    broken = BrokenHandler()
    logger.addHandler(broken)
    try:
        with transaction.atomic():  # raises nothing although the handler does
            rows = append_events(_events(2))
    finally:
        logger.removeHandler(broken)
    assert AccessEvent.objects.filter(seq__in=[r.seq for r in rows]).count() == 2
    assert any("the log host is on fire" in r.getMessage() or
               (r.exc_info and "on fire" in str(r.exc_info[1])) for r in caplog.records)


def test_an_unreachable_syslog_host_never_breaks_the_action(shipped, capsys):
    import logging.handlers

    logger = logging.getLogger("lotse.audit.shipping")
    syslog = logging.handlers.SysLogHandler(address="/nonexistent/dev-log")  # nobody listens
    logger.addHandler(syslog)
    try:
        with transaction.atomic():
            append_events(_events(1))
    finally:
        logger.removeHandler(syslog)
        syslog.close()
    assert AccessEvent.objects.count() == 1 and len(shipped) == 1
    assert "--- Logging error ---" in capsys.readouterr().err  # reported, not raised


def test_deploy_check_warns_when_nothing_is_shipped(shipping_level, monkeypatch):
    logger = logging.getLogger("lotse.audit.shipping")
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "handlers", [])  # the test runner may have added its own
    with override_settings(DEV_MODE=False):
        shipping_level(logging.WARNING)
        assert [m.id for m in shipping.check_shipping()] == ["lotse.W002"]
        shipping_level(logging.INFO)
        assert [m.id for m in shipping.check_shipping()] == ["lotse.W002"]  # no handler
        monkeypatch.setattr(logger, "handlers", [ListHandler()])
        assert shipping.check_shipping() == []
    with override_settings(DEV_MODE=True):
        shipping_level(logging.WARNING)
        assert shipping.check_shipping() == []
