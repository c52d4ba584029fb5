"""The access spine's overhead per access, and the throughput of the audit-chain verification.

Per access, as the demo caseworker of the foreigners' authority ("abh"), on `ACCESSES` persons
of the district the role may see (a fixed random sample), each after `WARM_UP` untimed ones:

- `decision_and_append`: the smallest door, `access_people(ctx, [id], purpose,
  categories=[identity], with_history=False)` — facts gathered, the policy decision, one
  hash-chained append (`audit.chain.append_events`, the allowed row and, when a category is
  refused, the denied row, in one call) in its own transaction, and the person loaded. This is
  the figure of the goal (≤ 1 ms per access).
- `access_person`: the person page's door, `access_person` with every category of the role and
  the residence and benefits history.
- `page_of_25_per_person`: `access_people` for 25 persons at once (as a list page does),
  divided by 25.
- Parts of the first, measured apart: `decision_only` (`decide_person` on facts gathered before,
  no SQL), `facts_only` (`gather_facts`, `rules_for`, the consent and override look-ups: SQL,
  in one transaction as in the door), `append_only` (one event through `append_events` in its
  own transaction, with the commit).
- Baseline, in the same run: `baseline_plain_read`, the same persons read without the spine
  (`Person._plain.get`, the unscoped manager — in the benchmark only).

Verification: `CHAIN_ENTRIES[scale]` entries (250,000 at Kreis scale, 1,000,000 at state; override with
LOTSE_BENCH_CHAIN_ENTRIES) are appended through the real chain code in batches of `BATCH`
(`append_events` takes a list), a checkpoint is signed (`audit.checkpoints.sign_head`, its
external copy going to a scratch file under var/bench), and `audit.verification.verify_chain`
verifies the whole chain (the seed's entries, those of the per-access part and the appended
ones); entries/s and the time 10,000,000 entries would take at that rate (extrapolated, not
measured). All of it happens in one transaction that is rolled back at the end, so the
database keeps no bench entries (on PostgreSQL the access log refuses DELETE). `hash_only`
recomputes the hashes of `HASH_ONLY_ENTRIES` rows already in memory: the share of the
verification that is hashing rather than reading, split into the canonical JSON of the payload
and the SHA-256."""

import os
import random
import time

TITLE = "Access spine: policy decision + hash-chained append per access; audit-chain verification"
PAIRS = [("decision_and_append", "baseline_plain_read"), ("access_person", "baseline_plain_read"),
         ("page_of_25_per_person", "baseline_plain_read")]
GOALS = [("decision_and_append", "p95_ms", "<=", 1), ("chain_verify", "entries_per_s", ">=", 166_667)]
USER = "abh"
ACCESSES = 300
WARM_UP = 20
PAGE = 25
# Kreis: 250,000 keeps `make bench SCALE=kreis` within its 15 minutes (1,000,000 took 7.7 of a
# 19.4-minute run on a busy machine); the rate, not the count, is the figure.
CHAIN_ENTRIES = {"demo": 100_000, "kreis": 250_000, "state": 1_000_000}
BATCH = 5000
HASH_ONLY_ENTRIES = 50_000
GOAL_ENTRIES = 10_000_000
SEED = 8


def _timed(call, items, warm_up: int = WARM_UP, *, count: bool = True) -> dict:
    """p50/p95 of `call(item)` over `items` after `warm_up` untimed calls, with the SQL count."""
    from bench.common import count_queries, percentiles

    for item in items[:warm_up]:
        call(item)
    times, statements = [], set()
    for item in items:
        with count_queries() as counted:
            started = time.perf_counter()
            call(item)
            times.append(time.perf_counter() - started)
        statements.add(counted.queries)
    figure = percentiles(times)
    if count:
        figure["queries"] = min(statements) if len(statements) == 1 else sorted(statements)
    return figure


def _per_access(ctx, purpose: str, person_ids: list[int]) -> dict:
    from django.db import transaction

    from lotse.access.spine import (
        _consent_lookups,
        _override_lookups,
        access_people,
        access_person,
        decide_person,
        gather_facts,
        rules_for,
    )
    from lotse.audit.chain import EventData, append_events
    from lotse.core.vocabulary import DataCategory
    from lotse.people.models import Person

    identity = [DataCategory.IDENTITY]
    wanted = sorted(ctx.categories)

    def smallest_door(pid):
        if not access_people(ctx, [pid], purpose, categories=identity, with_history=False):
            raise RuntimeError(f"person {pid} is not visible to {USER}")

    def facts_only(pid):
        with transaction.atomic():  # as in the door: one transaction (on SQLite: one read snapshot)
            facts = gather_facts([pid], ctx.today)
            rules_for(ctx)
            _consent_lookups(ctx, list(facts), purpose)(pid)
            _override_lookups(ctx, list(facts), purpose)(pid)

    prepared = {}
    for pid in person_ids:
        facts = gather_facts([pid], ctx.today)[pid]
        prepared[pid] = (facts, _consent_lookups(ctx, [pid], purpose)(pid),
                         _override_lookups(ctx, [pid], purpose)(pid))
    rules = rules_for(ctx)

    def decision_only(pid):
        facts, consents, overrides = prepared[pid]
        decide_person(ctx, facts, purpose, wanted, rules, consents, overrides)

    def append_only(pid):
        with transaction.atomic():
            append_events([EventData(action="bench.access", decision="allowed", actor_id=ctx.user_id,
                                     agency_id=ctx.agency_id, person_id=pid, categories="identity",
                                     purpose=purpose, basis="identity=own_agency",
                                     request_id=ctx.request_id)])

    pages = [person_ids[i:i + PAGE] for i in range(0, len(person_ids) - PAGE + 1, PAGE)]
    page = _timed(lambda ids: access_people(ctx, ids, purpose, with_history=False), pages, warm_up=2)
    page_per_person = {key: round(value / PAGE, 2) for key, value in page.items() if key.endswith("_ms")}
    page_per_person["queries"] = page["queries"]
    return {
        "decision_and_append": _timed(smallest_door, person_ids),
        "access_person": _timed(lambda pid: access_person(ctx, pid, purpose), person_ids),
        "page_of_25_per_person": page_per_person,
        "decision_only": _timed(decision_only, person_ids, count=False),
        "facts_only": _timed(facts_only, person_ids),
        "append_only": _timed(append_only, person_ids),
        "baseline_plain_read": _timed(lambda pid: Person._plain.get(pk=pid), person_ids),
    }


def _events(count: int, start: int, ctx, purpose: str, person_ids: list[int]):
    from lotse.audit.chain import EventData

    return [EventData(action="person.read", decision="allowed", actor_id=ctx.user_id, agency_id=ctx.agency_id,
                      person_id=person_ids[(start + i) % len(person_ids)], categories="identity,contact,residence",
                      purpose=purpose, basis="identity=own_agency;contact=own_agency;residence=own_agency",
                      request_id=f"{start + i:032x}") for i in range(count)]


def _hash_only(limit: int) -> dict:
    from lotse.audit.chain import PAYLOAD_FIELDS, canonical_payload, entry_hash
    from lotse.audit.models import AccessEvent

    columns = (*PAYLOAD_FIELDS, "prev_hash", "entry_hash")
    rows = [dict(zip(columns, row, strict=True))
            for row in AccessEvent.objects.order_by("seq").values_list(*columns)[:limit]]
    started = time.perf_counter()
    payloads = [canonical_payload(row) for row in rows]
    payload_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for row, payload in zip(rows, payloads, strict=True):
        if entry_hash(row["prev_hash"], payload) != row["entry_hash"]:
            raise RuntimeError(f"entry #{row['seq']} does not verify")
    sha_seconds = time.perf_counter() - started
    seconds = payload_seconds + sha_seconds
    return {"entries": len(rows), "seconds": round(seconds, 2), "entries_per_s": round(len(rows) / seconds),
            "canonical_json_per_s": round(len(rows) / payload_seconds),
            "sha256_per_s": round(len(rows) / sha_seconds)}


def _chain(bench, ctx, purpose: str, person_ids: list[int]) -> dict:
    from django.db import transaction
    from django.test.utils import override_settings

    from lotse.audit.chain import append_events
    from lotse.audit.checkpoints import sign_head
    from lotse.audit.models import AccessEvent
    from lotse.audit.verification import verify_chain

    wanted = int(os.environ.get("LOTSE_BENCH_CHAIN_ENTRIES") or CHAIN_ENTRIES[bench.scale])
    scratch = bench.var_dir / "access-spine-checkpoints.jsonl"
    scratch.unlink(missing_ok=True)
    figures: dict = {}
    try:
        with transaction.atomic(), override_settings(LOTSE_AUDIT_CHECKPOINT_FILE=scratch):
            before = AccessEvent.objects.count()
            append_seconds = 0.0
            for start in range(0, wanted, BATCH):
                events = _events(min(BATCH, wanted - start), start, ctx, purpose, person_ids)
                started = time.perf_counter()
                append_events(events)
                append_seconds += time.perf_counter() - started
            sign_head()
            started = time.perf_counter()
            result = verify_chain()
            verify_seconds = time.perf_counter() - started
            if not result.ok or result.entries != before + wanted:
                raise RuntimeError(f"verification: {result}")
            rate = result.entries / verify_seconds
            figures = {
                "chain_append": {"p50_ms": round(append_seconds * 1000), "runs": 1, "entries": wanted,
                                 "batch": BATCH, "entries_per_s": round(wanted / append_seconds)},
                "chain_verify": {"p50_ms": round(verify_seconds * 1000), "runs": 1, "entries": result.entries,
                                 "checkpoints": result.checkpoints, "entries_per_s": round(rate),
                                 "extrapolated_seconds_for_10m": round(GOAL_ENTRIES / rate, 1)},
                "hash_only": _hash_only(HASH_ONLY_ENTRIES),
            }
            transaction.set_rollback(True)  # keep no bench entries
    finally:
        scratch.unlink(missing_ok=True)
    figures["entries_before"] = before
    return figures


def run(bench) -> dict:
    from lotse.access.context import context_for_user
    from lotse.access.spine import persons_visible_to
    from lotse.organisations.models import StaffUser

    ctx = context_for_user(StaffUser.objects.select_related("agency").get(username=USER))
    purpose = ctx.work_purpose()
    visible = list(persons_visible_to(ctx, purpose).order_by("pk").values_list("pk", flat=True))
    if not visible:
        raise RuntimeError(f"{USER} sees nobody")
    rng = random.Random(SEED)
    person_ids = rng.sample(visible, min(ACCESSES, len(visible)))
    if len(person_ids) < PAGE:  # demo scale: repeat the few persons there are
        person_ids = (person_ids * (-(-ACCESSES // len(person_ids))))[:ACCESSES]
    per_access = _per_access(ctx, purpose, person_ids)
    chain = _chain(bench, ctx, purpose, person_ids)
    plain = per_access["baseline_plain_read"]["p50_ms"]
    return {
        "user": USER,
        "purpose": purpose,
        "persons_visible": len(visible),
        "accesses_per_figure": len(person_ids),
        **per_access,
        "decision_and_append_vs_plain_p50": round(per_access["decision_and_append"]["p50_ms"] / max(plain, 0.01), 1),
        **chain,
    }
