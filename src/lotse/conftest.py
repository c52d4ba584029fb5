import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data (roles, rules, questionnaires) once per test database: tests in a
    transaction see it without reloading it (`build_world` reloads it only when missing, i.e.
    after a transactional test emptied the tables)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def world(db):
    from lotse.core.testing import build_world

    return build_world()


def _counts_dir(config):
    import tempfile
    from pathlib import Path

    run_id = getattr(config, "workerinput", {}).get("testrunuid")
    if run_id is None:  # controller or single process: fix the id xdist hands to its workers
        import uuid

        run_id = getattr(config.option, "testrunuid", None) or uuid.uuid4().hex
        if hasattr(config.option, "testrunuid"):
            config.option.testrunuid = run_id
    return Path(tempfile.gettempdir()) / f"lotse-attempts-{run_id}"


def pytest_configure(config):
    _counts_dir(config)


def pytest_sessionfinish(session):
    """Each process (xdist worker or single run) writes its attempt counts for the summary."""
    import json
    import os

    from lotse.access.tests.attempt_counter import ATTEMPTS, LEAKS

    if not ATTEMPTS:
        return
    folder = _counts_dir(session.config)
    folder.mkdir(exist_ok=True)
    (folder / f"{os.getpid()}.json").write_text(json.dumps({"attempts": ATTEMPTS, "leaks": LEAKS}))


def pytest_terminal_summary(terminalreporter, config):
    import json
    import shutil
    from collections import Counter

    if hasattr(config, "workerinput"):
        return  # xdist workers report through the controller
    folder = _counts_dir(config)
    attempts: Counter = Counter()
    leaks: Counter = Counter()
    for file in sorted(folder.glob("*.json")) if folder.exists() else []:
        data = json.loads(file.read_text())
        attempts.update(data["attempts"])
        leaks.update(data["leaks"])
    for kind, number in sorted(attempts.items()):
        terminalreporter.write_line(
            f"generated access attempts ({kind}): {number}, "
            f"granted beyond rules and consents: {leaks[kind]}"
        )
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_checkpoint_file_left_behind():
    """A test that signs a checkpoint leaves the external copy in the worker's var folder; the
    next test's fresh database would then not match it."""
    yield
    from lotse.audit.checkpoints import checkpoint_file

    checkpoint_file().unlink(missing_ok=True)
