from django.utils.translation import gettext, override

# the browser fixtures of the staff UI's tests (Chromium, the live world, short timeouts)
from lotse.web.tests.conftest import (  # noqa: F401
    _short_browser_timeouts,
    browser_type_launch_args,
    live_world,
)


def german(msgid: str) -> str:
    with override("de"):
        return gettext(msgid)
