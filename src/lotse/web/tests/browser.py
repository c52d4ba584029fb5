"""Helpers for browser tests: Debian's Chromium through Playwright, axe-core on every page."""

import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import Error as PlaywrightError

from lotse.organisations.models import StaffTOTPDevice
from lotse.organisations.services import TOTP_TOLERANCE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core from the project's npm lock (node_modules), not the copy bundled with the wrapper.
AXE_SCRIPT = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} missing: run `make bootstrap` (npm ci)"
_axe = Axe.from_file(AXE_SCRIPT)


def _run_axe(page):
    # A click that starts a navigation returns before the new document exists; wait for it, and
    # run again once if the navigation replaced the document while axe was reading it.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
            page.wait_for_timeout(100)
    raise AssertionError("unreachable")


def assert_accessible(page) -> None:
    """Fail on any axe-core violation of impact serious or critical."""
    results = _run_axe(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in bad)


def enrol_totp(user) -> StaffTOTPDevice:
    return StaffTOTPDevice.objects.create(user=user, name="test", confirmed=True, tolerance=TOTP_TOLERANCE)


def current_code(device: StaffTOTPDevice) -> str:
    """The code of the current step; near the step's end it waits for the next one, since the
    server accepts a code in its own step only."""
    into = time.time() % device.step
    if into > device.step - 2:
        time.sleep(device.step - into + 0.05)
    key = device.bin_key
    return f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def log_in(page, live_server_url: str, user, device: StaffTOTPDevice, password="test-password-123"):
    page.goto(f"{live_server_url}/login/")
    assert_accessible(page)
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url("**/login/otp/")
    assert_accessible(page)
    page.get_by_label("Sechsstelliger Code").fill(current_code(device))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server_url}/")
