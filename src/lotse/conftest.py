import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from lotse.core.testing import build_world

    return build_world()


def pytest_terminal_summary(terminalreporter):
    from lotse.access.tests.attempt_counter import ATTEMPTS, LEAKS

    for kind, number in sorted(ATTEMPTS.items()):
        terminalreporter.write_line(
            f"generated access attempts ({kind}): {number}, "
            f"granted beyond rules and consents: {LEAKS[kind]}"
        )
