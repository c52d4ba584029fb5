"""Security checklist (docs/security.md), authentication and sessions: the second factor on
every staff URL, throttled TOTP codes, session ids replaced at login and at the second factor,
idle timeout, logout and deactivation ending the session on the server, and a password set by
an administrator that keeps the second factor."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from lotse.organisations.models import Role, StaffTOTPDevice
from lotse.web.middleware import PUBLIC_PREFIXES
from lotse.web.tests.browser import current_code, enrol_totp

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"

# Paths reachable without a second factor. Widening this list is a security decision: change
# docs/security.md (ASVS 6.3.3) together with the middleware.
EXPECTED_PUBLIC_PREFIXES = {"/login/", "/static/", "/api/", "/healthz", "/favicon.ico", "/termin/",
                            "/wegweiser/", "/open-data/"}

# One sample value per URL converter: enough to reach the middleware (the view never runs).
CONVERTER_SAMPLES = {"id": "1", "int": "1", "str": "de", "slug": "x", "token": "1." + "0" * 32}


def _fill(route: str) -> str:
    def sample(match: re.Match) -> str:
        converter = match.group(1) or "str"
        assert converter in CONVERTER_SAMPLES, f"no sample for <{converter}:…> in {route}"
        return CONVERTER_SAMPLES[converter]
    return re.sub(r"<(?:(\w+):)?\w+>", sample, route)


def url_samples(patterns=None, prefix: str = "/") -> list[str]:
    """One concrete path per URL pattern of the site, converters filled with sample values."""
    paths = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            paths += url_samples(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append(_fill(prefix + route))
    return paths


def staff_url_samples() -> list[str]:
    return [p for p in url_samples() if not p.startswith(tuple(EXPECTED_PUBLIC_PREFIXES))]


def log_in(client: Client, user, device, password: str = PASSWORD) -> None:
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/login/otp/"
    response = client.post("/login/otp/", {"token": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"


def client_for(world, key: str) -> Client:
    user = world.users[key]
    client = Client()
    log_in(client, user, enrol_totp(user))
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- 6.3.3: the second factor on every staff URL ----------------------------------------------

def test_the_public_prefixes_are_the_documented_ones():
    assert set(PUBLIC_PREFIXES) == EXPECTED_PUBLIC_PREFIXES


def test_every_staff_url_needs_a_login_and_the_second_factor(world):
    paths = staff_url_samples()
    assert len(paths) > 100, paths  # the walk found the site's URL patterns
    user = world.users["admin"]
    enrol_totp(user)
    anonymous = Client()
    password_only = Client()
    password_only.post("/login/", {"username": user.username, "password": PASSWORD})
    for path in paths:
        response = anonymous.get(path)
        assert (response.status_code, response["Location"]) == (302, "/login/"), path
        for method in (password_only.get, password_only.post):
            response = method(path)
            assert (response.status_code, response["Location"]) == (302, "/login/otp/"), path


# --- 6.3.1: guessing the second factor ----------------------------------------------------------

def test_a_wrong_totp_code_blocks_the_next_attempt_for_a_while(world):
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    code = current_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert client.post("/login/otp/", {"token": wrong}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Right after a failure even the right code is refused (django-otp: 1 s, doubling per failure).
    assert client.post("/login/otp/", {"token": code}).status_code == 200
    assert client.get("/").status_code == 302
    # Once the delay has passed, the right code works.
    StaffTOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5))
    response = client.post("/login/otp/", {"token": code})
    assert (response.status_code, response["Location"]) == (302, "/")


# --- 6.5.5: a TOTP code lives for its own 30-second step only ----------------------------------

def test_a_totp_code_is_accepted_in_its_own_step_only(world):
    import time

    from django_otp.oath import TOTP

    from lotse.organisations.services import enrolment_code_issue

    user = world.users["caritas"]
    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    client.get("/login/otp/setup/")
    device = StaffTOTPDevice.objects.get(user=user)
    assert device.tolerance == 0  # enrolled through the set-up page
    client.post("/login/otp/setup/", {"token": current_code(device), "enrolment_code": enrolment_code_issue(user=user)})
    client.post("/logout/")
    # Forget the step the enrolment used: only the code's age decides below, not its reuse.
    StaffTOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()

    def code_of(seconds_ago: int) -> str:
        code = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        code.time = time.time() - seconds_ago
        return f"{code.token():06d}"

    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    current_code(device)  # not at the end of a step: the previous step's code is 30-60 s old
    stale = code_of(30)
    assert client.post("/login/otp/", {"token": stale}).status_code == 200  # the form again, refused
    assert client.get("/").status_code == 302  # still not logged in
    StaffTOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post("/login/otp/", {"token": current_code(device)})
    assert response.status_code == 302 and client.get("/").status_code == 200


# --- 7.2.4: a new session id at login and again after the second factor --------------------------

def test_a_planted_session_id_is_replaced_at_login_and_again_after_the_second_factor(world):
    user = world.users["social_a"]
    device = enrol_totp(user)
    client = Client()
    planted = client.session  # an anonymous session an attacker could have fixed in the browser
    planted["lang"] = "de"
    planted.save()
    planted_key = session_key(client)
    assert Session.objects.filter(session_key=planted_key).exists()

    client.post("/login/", {"username": user.username, "password": PASSWORD})
    after_password = session_key(client)
    assert after_password != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()

    client.post("/login/otp/", {"token": current_code(device)})
    after_otp = session_key(client)
    assert after_otp not in (planted_key, after_password)
    assert not Session.objects.filter(session_key=after_password).exists()
    assert client.get("/").status_code == 200

    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert attacker.get("/")["Location"] == "/login/"


# --- 7.3.1: idle timeout -------------------------------------------------------------------------

def test_an_idle_session_ends_and_every_request_extends_it(world):
    client = client_for(world, "social_a")
    key = session_key(client)
    assert client.get("/").status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    remaining = (expiry - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/")


# --- 7.4.1 and 3.5.3: logout -----------------------------------------------------------------------

def test_logout_is_a_post_and_ends_the_session_on_the_server(world):
    client = client_for(world, "social_a")
    key = session_key(client)
    assert client.get("/logout/").status_code == 405  # a link or image cannot log anyone out
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/")["Location"] == "/login/"


# --- 7.4.2, 6.4.3, 6.2.x: what administrators change ------------------------------------------------

def _user_form(user, **changes) -> dict:
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "agency": user.agency_id,
            "roles": [role.pk for role in user.roles.all()], "is_active": "on", "password": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_deactivation_in_the_user_administration_ends_running_sessions(world):
    target = world.users["social_a"]
    victim = client_for(world, "social_a")
    assert victim.get("/").status_code == 200
    response = client_for(world, "admin").post(f"/admin/users/{target.pk}/", _user_form(target, is_active=None))
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert victim.get("/").status_code == 302
    assert Client().post("/login/", {"username": target.username, "password": PASSWORD}).status_code == 200


def test_a_password_set_by_the_administrator_keeps_the_second_factor(world):
    """There is no self-service reset: an administrator sets a new password. It ends running
    sessions, and the next login still needs the enrolled TOTP device (ASVS 6.4.3). The new
    password may be long, have spaces and any letters, and is checked exactly (6.2.8, 6.2.9)."""
    target = world.users["social_a"]
    device = enrol_totp(target)
    victim = Client()
    log_in(victim, target, device)
    new_password = "Lange Passphrase mit Leerzeichen, Umlauten äöü und Ziffern 2026 – ohne Kürzung!!"
    assert len(new_password) > 64
    admin = client_for(world, "admin")
    response = admin.post(f"/admin/users/{target.pk}/", _user_form(target, password=new_password))
    assert response.status_code == 302
    assert victim.get("/").status_code == 302  # the running session is over

    truncated = Client().post("/login/", {"username": target.username, "password": new_password[:64]})
    assert truncated.status_code == 200  # refused: nothing is cut off or folded
    client = Client()
    response = client.post("/login/", {"username": target.username, "password": new_password})
    assert (response.status_code, response["Location"]) == (302, "/login/otp/")
    for path in ("/", "/persons/", "/admin/users/"):
        assert client.get(path)["Location"] == "/login/otp/", path
    # The reset did not open a way around the device: no new enrolment is offered.
    assert client.get("/login/otp/setup/")["Location"] == "/login/otp/"
    assert list(StaffTOTPDevice.objects.filter(user=target).values_list("pk", "confirmed")) == [(device.pk, True)]


def test_the_user_administration_refuses_passwords_shorter_than_12_characters(world):
    target = world.users["social_a"]
    admin = client_for(world, "admin")
    before = target.password
    response = admin.post(f"/admin/users/{target.pk}/", _user_form(target, password="elf Zeichen"))
    assert response.status_code == 200 and 'class="kern-error"' in response.content.decode()
    target.refresh_from_db()
    assert target.password == before


@pytest.mark.parametrize(("password", "message"), [
    ("qwerty123456", "Dieses Passwort ist zu üblich."),
    ("202612052026", "Dieses Passwort ist komplett numerisch."),
    ("{username}-2026!", "Das Passwort ist zu ähnlich zu"),
])
def test_the_user_administration_runs_the_password_validators(world, password, message):
    """6.2.12 in part: passwords set in the UI meet the same validators as everywhere (Django's
    list of common passwords, not all digits, not like the user's names); nothing is saved."""
    target = world.users["social_a"]
    admin = client_for(world, "admin")
    before = target.password
    response = admin.post(f"/admin/users/{target.pk}/",
                          _user_form(target, password=password.format(username=target.username)))
    assert response.status_code == 200 and message in response.content.decode()
    target.refresh_from_db()
    assert target.password == before


def test_an_administrator_changes_neither_own_password_nor_own_second_factor(world):
    """7.5.1: a stolen administrator session cannot take the account over: the own password
    field is locked, the own second factor cannot be reset (refusal logged)."""
    from lotse.audit.models import AccessEvent

    admin_user = world.users["admin"]
    admin = client_for(world, "admin")
    device = StaffTOTPDevice.objects.get(user=admin_user)
    admin_user.refresh_from_db()
    before = admin_user.password
    response = admin.post(f"/admin/users/{admin_user.pk}/",
                          _user_form(admin_user, password="Eine ganz neue Passphrase 2026"))
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.password == before
    assert "Another administrator changes this for you." not in admin.get(
        f"/admin/users/{admin_user.pk}/").content.decode()  # shown in German
    assert "Dies ändert eine andere Person der Administration für Sie." in admin.get(f"/admin/users/{admin_user.pk}/").content.decode()

    response = admin.post(f"/admin/users/{admin_user.pk}/reset-otp/", follow=True)
    assert "Sie können Ihren eigenen zweiten Faktor nicht zurücksetzen" in response.content.decode()
    assert StaffTOTPDevice.objects.filter(pk=device.pk).exists()
    assert AccessEvent.objects.filter(action="admin.user_otp_reset", decision="denied",
                                      actor_id=admin_user.pk).exists()


def test_a_refused_administration_page_is_logged(world):
    """16.3.2: a function-level refusal (404) is written to the access log with the permission."""
    from lotse.audit.models import AccessEvent

    client = client_for(world, "social_a")
    for path in ("/admin/users/", "/audit/", "/admin/rules/"):
        assert client.get(path).status_code == 404
    refused = AccessEvent.objects.filter(action="permission.denied", actor_id=world.users["social_a"].pk)
    assert sorted(refused.values_list("object_ref", flat=True)) == ["/admin/rules/", "/admin/users/", "/audit/"]
    assert set(refused.values_list("basis", flat=True)) == {"admin:users", "audit:view", "rules:manage"}


# --- 8.3.2: a changed role applies at the next request of a running session ---------------------

def test_a_role_taken_away_applies_at_the_next_request_of_a_running_session(world):
    dpo = world.users["dpo"]
    client = client_for(world, "dpo")
    assert client.get("/audit/").status_code == 200
    dpo.roles.set(Role.objects.filter(code="social_office_caseworker", district=None))
    assert client.get("/audit/").status_code == 404


# --- 16.3.1: authentication events in the access log ---------------------------------------------

def test_every_step_of_a_login_is_in_the_access_log(world):
    """Password refused and accepted, TOTP code refused and accepted, logout: each an entry of
    the hash-chained access log, with the user's id where known and never the user name."""
    from lotse.audit.models import AccessEvent
    from lotse.audit.verification import verify_chain

    user = world.users["social_a"]
    device = enrol_totp(user)
    before = AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    client = Client()
    client.post("/login/", {"username": user.username, "password": "not the password at all"})
    client.post("/login/", {"username": user.username, "password": "test-password-123"})
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client.post("/login/otp/", {"token": wrong})
    # The wrong code throttled the device for a second; the user waits it out.
    StaffTOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post("/login/otp/", {"token": current_code(device)}).status_code == 302
    client.post("/logout/")
    events = list(AccessEvent.objects.filter(seq__gt=before).order_by("seq")
                  .values_list("action", "decision", "actor_id"))
    assert events == [
        ("auth.password_failed", "denied", None),
        ("auth.password_ok", "allowed", user.pk),
        ("auth.otp_failed", "denied", user.pk),
        ("auth.otp_ok", "allowed", user.pk),
        ("auth.logout", "allowed", user.pk),
    ]
    rows = AccessEvent.objects.filter(seq__gt=before).values_list("basis", "object_ref")
    assert all(user.username not in f"{basis} {ref}" for basis, ref in rows)
    assert verify_chain(require_checkpoints=False).ok


def test_the_help_page_explains_login_passwords_and_the_virus_scan(world):
    page = client_for(world, "social_a").get("/help/").content.decode()
    assert '<h2 class="kern-heading-medium" id="help-login">Anmeldung, zweiter Faktor und hochgeladene Dateien</h2>' in page
    for text in ("nur in seinen eigenen 30 Sekunden und nur einmal", "in keinem bekannten Datenleck vorkommen",
                 "auf Viren geprüft"):
        assert text in page, text
