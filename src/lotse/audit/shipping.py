"""Shipping access-log entries to a separate system, ASVS 16.4.3.

After the transaction that appended entries to the chain commits, each entry is emitted as one
JSON line on the Python logger "lotse.audit.shipping". The operator attaches a handler to that
logger that sends it off the machine (LOTSE_SYSLOG_ADDRESS → SysLogHandler, or journald with
remote forwarding; see docs/operations.md). A rolled-back transaction ships nothing, because
its entries never existed.

A line holds exactly the columns of the row (ids, codes, time, sequence number and hashes,
never names or other personal data) in the canonical form the hash is computed over, so the
log host can recompute `entry_hash = SHA-256(prev_hash || payload)` and check the chain on its
own copy, independently of the database.

Cost on the hot path: one `isEnabledFor` check per append when nobody listens; otherwise one
`json.dumps` per entry, after the commit.
"""

import datetime
import json
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core import checks
from django.db import transaction

from lotse.audit.models import AccessEvent

log = logging.getLogger("lotse.audit.shipping")

# Every column of the row, and nothing else.
SHIPPED_FIELDS = tuple(field.attname for field in AccessEvent._meta.concrete_fields)


def entry_line(row: AccessEvent) -> str:
    """One JSON line with the row's columns; `ts` as ISO 8601 in UTC, as in the hash."""
    data = {name: getattr(row, name) for name in SHIPPED_FIELDS}
    data["ts"] = row.ts.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def ship_after_commit(rows: Sequence[AccessEvent]) -> None:
    """Emit `rows` on the shipping logger once the current transaction commits.

    Called by `append_events` inside the writing transaction. Does nothing (and registers
    nothing) when the logger is not enabled for INFO. `robust=True`: a handler that raises
    is logged by Django and never turns a committed action into an error page.
    """
    if not rows or not log.isEnabledFor(logging.INFO):
        return
    transaction.on_commit(lambda: _emit(rows), robust=True)


def _emit(rows: Sequence[AccessEvent]) -> None:
    for row in rows:
        log.info("%s", entry_line(row))


@checks.register(checks.Tags.security, deploy=True)
def check_shipping(app_configs=None, **kwargs):
    """`lotse check --deploy`: access-log entries must leave the machine (ASVS 16.4.3)."""
    if getattr(settings, "DEV_MODE", False) or (log.isEnabledFor(logging.INFO) and log.hasHandlers()):
        return []
    return [checks.Warning(
        "Access-log entries are not shipped to a separate log host.",
        hint="Set LOTSE_SYSLOG_ADDRESS (e.g. /dev/log, forwarded over TLS by rsyslog or "
             "journald); see docs/operations.md.",
        id="lotse.W002")]

