"""ASVS 6.2.12 through the user administration: a password found in the breached-password list
(LOTSE_BREACHED_PASSWORDS) is refused with the German message and nothing is saved; a list
that cannot be read refuses the password too, with a page, not a server error."""

import pytest

from lotse.organisations.breached_passwords import password_sha1
from lotse.web.tests.test_security_auth import _user_form, client_for

pytestmark = pytest.mark.django_db

BREACHED = "Leuchtturm-Kornblume-1987"  # passes every other validator


@pytest.mark.parametrize(("list_state", "message"), [
    ("breached", "Dieses Passwort ist in einem bekannten Datenleck aufgetaucht. Wählen Sie ein anderes Passwort."),
    ("missing", "Die Liste kompromittierter Passwörter kann nicht gelesen werden"),
])
def test_the_staff_user_form_refuses_a_breached_password(world, settings, tmp_path, list_state, message):
    source = tmp_path / "pwnedpasswords.txt"
    if list_state == "breached":
        source.write_bytes(b"0" * 40 + b":3\r\n" + password_sha1(BREACHED) + b":12\r\n" + b"F" * 40 + b":1\r\n")
    settings.LOTSE_BREACHED_PASSWORDS = str(source)
    target = world.users["social_a"]
    admin = client_for(world, "admin")
    before = target.password
    response = admin.post(f"/admin/users/{target.pk}/", _user_form(target, password=BREACHED))
    assert response.status_code == 200 and message in response.content.decode()
    target.refresh_from_db()
    assert target.password == before
