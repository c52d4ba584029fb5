"""The checks of the soak (bench/soak.py, issue 9 point 6): the access log after a load run is
matched with what the load generator saw (`bench.http_load.access_log_check`), and the soak's
verdict (`bench.soak.problems`). The modules live in the repository's bench/ folder."""

import pytest

from lotse.access.spine import access_person, log_action
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world, register_person
from lotse.core.tests.bench_modules import bench_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench_modules():
    return bench_module("http_load"), bench_module("soak")


def _last_seq() -> int:
    return AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_log_of_a_load_matches_the_pages_it_served(bench_modules):
    http_load, _soak = bench_modules
    world = build_world()
    shown = register_person(world, by="social_a")
    other = register_person(world, by="social_a")
    before = _last_seq()
    access_person(world.ctx("social_a", request_id="load1-1"), shown, "benefits_administration")
    reads = [["load1-1", "person page", 200, True, [shown]], ["load1-2", "start page", 200, True, []]]

    check = http_load.access_log_check({"reads": reads}, before)
    assert check["chain_verifies"] is True
    assert (check["reads_shown"], check["reads_logged"]) == (1, 1)
    assert (check["missed_reads"], check["unattributed_entries"], check["linked_page_mismatches"]) == (0, 0, 0)

    # A page that showed a person the log does not have: a missed read, and a mismatch.
    reads[0][4] = [shown, other]
    check = http_load.access_log_check({"reads": reads}, before)
    assert (check["missed_reads"], check["linked_page_mismatches"]) == (1, 1)

    # An entry of a request the load generator never sent.
    log_action(world.ctx("social_a", request_id="somebody-else"), "person.read", person_id=other)
    check = http_load.access_log_check({"reads": reads[1:]}, before)
    assert check["unattributed_entries"] == 2  # load1-1 is no longer among those sent, nor this one


def test_the_soak_fails_on_errors_growth_or_a_log_that_does_not_match(bench_modules):
    _http_load, soak = bench_modules
    log = {"chain_verifies": True, "chain_problem": "", "unattributed_entries": 0, "missed_reads": 0,
           "reads_logged_for_failed_requests": 0, "linked_page_mismatches": 0, "reads_shown": 40}
    figures = {"errors_whole_run": 0, "failures": {}, "access_log": log,
               "worker_memory": {"growth_mb_per_worker": [0.4, 1.2, None]}}
    assert soak.problems(figures) == []
    assert "grew by 12.5 MB" in " ".join(soak.problems({**figures, "worker_memory": {"growth_mb_per_worker": [12.5]}}))
    assert "2 requests failed" in " ".join(soak.problems({**figures, "errors_whole_run": 2}))
    broken = {**log, "chain_verifies": False, "chain_problem": "entry #7 was changed"}
    assert "entry #7 was changed" in " ".join(soak.problems({**figures, "access_log": broken}))
    assert "missed_reads = 3" in " ".join(soak.problems({**figures, "access_log": {**log, "missed_reads": 3}}))
    assert soak.problems({**figures, "access_log": {**log, "reads_shown": 0}})
