"""ASVS 13.3.1: TOTP seeds are sealed at rest with a key outside the database, so a copy of the
database yields no second factor; a seed that cannot be opened verifies nothing and fails no
request."""

import binascii
import importlib
import os
import stat
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.organisations.models import StaffTOTPDevice
from lotse.organisations.services import TOTP_TOLERANCE
from lotse.organisations.totp_seeds import SEALED_PREFIX, SeedUnreadable, seal, unseal

SEED_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test seed


def code_now(seed: bytes) -> str:
    return f"{TOTP(seed).token():06d}"


def stored_key(device_pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device_pk])
        return cursor.fetchone()[0]


def test_a_device_stores_its_seed_sealed_and_still_accepts_its_code(world):
    device = StaffTOTPDevice.objects.create(user=world.users["caritas"], name="phone", key=SEED_HEX,
                                            confirmed=True, tolerance=TOTP_TOLERANCE)
    raw = stored_key(device.pk)
    assert raw.startswith(SEALED_PREFIX) and len(raw) <= 80  # fits django-otp's column
    assert SEED_HEX not in raw and SEED_HEX.upper() not in raw
    fresh = StaffTOTPDevice.objects.get(pk=device.pk)
    assert fresh.bin_key == binascii.unhexlify(SEED_HEX)
    assert fresh.verify_token(code_now(fresh.bin_key))
    fresh.refresh_from_db()
    assert stored_key(device.pk) == raw  # a verification saves the device and keeps the seal


def test_a_device_made_by_django_otp_defaults_is_sealed_too(world):
    device = StaffTOTPDevice.objects.create(user=world.users["caritas"], name="phone")
    assert stored_key(device.pk).startswith(SEALED_PREFIX)
    assert len(StaffTOTPDevice.objects.get(pk=device.pk).bin_key) == 20


def test_the_database_alone_yields_no_seed(world, settings, tmp_path):
    device = StaffTOTPDevice.objects.create(user=world.users["caritas"], name="phone", key=SEED_HEX,
                                            confirmed=True, tolerance=TOTP_TOLERANCE)
    # What django-otp itself would read from a dump: not a seed.
    with pytest.raises(binascii.Error):
        TOTPDevice.objects.get(pk=device.pk).bin_key  # noqa: B018
    # Another installation's key (or a lost key file) opens nothing, and the code is refused
    # instead of failing the request.
    settings.LOTSE_TOTP_SEED_KEY_FILE = tmp_path / "another.key"
    other = StaffTOTPDevice.objects.get(pk=device.pk)
    with pytest.raises(SeedUnreadable):
        other.bin_key  # noqa: B018
    assert other.verify_token(code_now(binascii.unhexlify(SEED_HEX))) is False


def test_the_login_refuses_a_code_when_the_seed_cannot_be_opened(world, settings, tmp_path):
    user = world.users["caritas"]
    StaffTOTPDevice.objects.create(user=user, name="phone", key=SEED_HEX, confirmed=True, tolerance=TOTP_TOLERANCE)
    settings.LOTSE_TOTP_SEED_KEY_FILE = tmp_path / "another.key"
    client = Client()
    client.post("/login/", {"username": user.username, "password": "test-password-123"})
    response = client.post("/login/otp/", {"token": code_now(binascii.unhexlify(SEED_HEX))})
    assert response.status_code == 200  # the form again, with its error; not a 500
    assert client.get("/").status_code == 302  # not logged in


def test_the_key_file_is_made_once_readable_by_the_owner_only(settings, tmp_path):
    settings.LOTSE_TOTP_SEED_KEY_FILE = tmp_path / "keys" / "seed.key"
    sealed = seal(SEED_HEX)
    path = tmp_path / "keys" / "seed.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    content = path.read_bytes()
    assert seal(SEED_HEX) != sealed  # a fresh nonce each time
    assert path.read_bytes() == content  # the key is not replaced
    assert unseal(sealed) == binascii.unhexlify(SEED_HEX)
    assert [p.name for p in path.parent.iterdir()] == ["seed.key"]  # no draft left behind


def test_a_damaged_key_file_is_reported_not_replaced(settings, tmp_path):
    path = tmp_path / "short.key"
    path.write_text("dG9vIHNob3J0\n")  # "too short"
    settings.LOTSE_TOTP_SEED_KEY_FILE = path
    with pytest.raises(SeedUnreadable, match="not 32 bytes"):
        seal(SEED_HEX)
    assert path.read_text() == "dG9vIHNob3J0\n"


def test_the_migration_seals_plain_seeds_and_its_reverse_opens_them(world):
    migration = importlib.import_module("lotse.organisations.migrations.0005_totp_seeds_sealed")
    device = StaffTOTPDevice.objects.create(user=world.users["caritas"], name="phone", key=SEED_HEX, confirmed=True)
    StaffTOTPDevice.objects.filter(pk=device.pk).update(key=SEED_HEX)  # as before the migration
    editor = SimpleNamespace(connection=connection)  # the functions use its connection only
    migration.seal_existing_seeds(apps, editor)
    assert stored_key(device.pk).startswith(SEALED_PREFIX)
    assert StaffTOTPDevice.objects.get(pk=device.pk).bin_key == binascii.unhexlify(SEED_HEX)
    migration.seal_existing_seeds(apps, editor)  # a second run leaves sealed seeds alone
    assert StaffTOTPDevice.objects.get(pk=device.pk).bin_key == binascii.unhexlify(SEED_HEX)
    migration.open_seeds(apps, editor)
    assert stored_key(device.pk) == SEED_HEX


def test_an_unconfirmed_device_whose_key_is_gone_is_replaced_at_enrolment(world, settings, tmp_path):
    user = world.users["caritas"]
    client = Client()
    client.post("/login/", {"username": user.username, "password": "test-password-123"})
    assert client.get("/login/otp/setup/").status_code == 200
    first = StaffTOTPDevice.objects.get(user=user, confirmed=False)
    settings.LOTSE_TOTP_SEED_KEY_FILE = tmp_path / "another.key"  # the key file was lost
    response = client.get("/login/otp/setup/")
    assert response.status_code == 200  # the set-up page again, not a 500
    second = StaffTOTPDevice.objects.get(user=user, confirmed=False)
    assert second.pk != first.pk and second.seed_readable()
    assert not StaffTOTPDevice.objects.filter(pk=first.pk).exists()
