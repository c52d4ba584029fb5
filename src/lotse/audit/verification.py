"""Verify the whole chain against its hashes and the signed checkpoints.

Names the first broken entry: a changed row (hash mismatch), a deleted row (gap in seq), an
inserted or reordered row (prev-link mismatch), or a rewritten chain (checkpoint mismatch).
"""

from collections.abc import Callable
from dataclasses import dataclass

from lotse.audit.chain import GENESIS_HASH, PAYLOAD_FIELDS, canonical_payload, entry_hash
from lotse.audit.checkpoints import SignedHead, load_checkpoints, load_public_key, verify_signature
from lotse.audit.models import AccessEvent

_BATCH = 5000


@dataclass
class VerificationResult:
    ok: bool
    entries: int
    checkpoints: int
    first_broken_seq: int | None = None
    problem: str = ""


def _rows(batch: int):
    last = 0
    columns = (*PAYLOAD_FIELDS, "prev_hash", "entry_hash")
    while True:
        chunk = list(
            AccessEvent.objects.filter(seq__gt=last).order_by("seq").values_list(*columns)[:batch]
        )
        if not chunk:
            return
        for row in chunk:
            yield dict(zip(columns, row, strict=True))
        last = chunk[-1][0]


def verify_chain(
    *, require_checkpoints: bool = True, progress: Callable[[int], None] | None = None
) -> VerificationResult:
    checkpoints: list[SignedHead] = load_checkpoints()
    result = VerificationResult(ok=True, entries=0, checkpoints=len(checkpoints))
    if checkpoints:
        public_key = load_public_key()
        for head in checkpoints:
            if not verify_signature(head, public_key):
                return _fail(result, head.seq, f"checkpoint at #{head.seq}: bad signature")
    by_seq = {head.seq: head for head in checkpoints}

    expected_seq, prev = 1, GENESIS_HASH
    for row in _rows(_BATCH):
        seq = row["seq"]
        if seq != expected_seq:
            return _fail(result, expected_seq, f"entry #{expected_seq} is missing (next is #{seq})")
        if row["prev_hash"] != prev:
            return _fail(result, seq, f"entry #{seq} does not link to entry #{seq - 1}")
        if entry_hash(prev, canonical_payload(row)) != row["entry_hash"]:
            return _fail(result, seq, f"entry #{seq} was changed (hash mismatch)")
        head = by_seq.get(seq)
        if head is not None and head.entry_hash != row["entry_hash"]:
            return _fail(result, seq, f"entry #{seq} differs from the signed checkpoint")
        prev = row["entry_hash"]
        expected_seq += 1
        result.entries += 1
        if progress and result.entries % 20000 == 0:
            progress(result.entries)
    last_checkpoint = checkpoints[-1].seq if checkpoints else 0
    if last_checkpoint >= expected_seq:
        return _fail(
            result, expected_seq,
            f"entries from #{expected_seq} on are missing (checkpoint signed #{last_checkpoint})",
        )
    if require_checkpoints and result.entries and not checkpoints:
        return _fail(result, None, "the hashes are consistent, but there is no signed checkpoint: "
                                   "a rewrite of the whole chain could not be detected "
                                   "(run `lotse audit_checkpoint`)")
    return result


def _fail(result: VerificationResult, seq: int | None, problem: str) -> VerificationResult:
    result.ok = False
    result.first_broken_seq = seq
    result.problem = problem
    return result
