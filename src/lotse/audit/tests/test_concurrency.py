"""Concurrent writers: sequence numbers stay gapless and the chain verifies."""

import threading

import pytest
from django.db import connection, transaction

from lotse.audit.chain import EventData, append_events
from lotse.audit.models import AccessEvent
from lotse.audit.verification import verify_chain

THREADS, APPENDS = 4, 60


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_have_no_gaps():
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for i in range(APPENDS):
                with transaction.atomic():
                    append_events([EventData(action="person.read", decision="allowed",
                                             actor_id=worker, person_id=i)])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AccessEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * APPENDS + 1))
    result = verify_chain(require_checkpoints=False)
    assert result.ok and result.entries == THREADS * APPENDS
