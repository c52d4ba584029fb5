"""ASVS 14.1.2: docs/operations.md, "Protection requirements of stored data", names every place
where Lotse keeps data. A setting that names a file or folder is either listed there, with its
protection, or declared here as holding nothing to protect (with the reason); a new place fails
this test until one of the two is done."""

import re

import pytest
from django.conf import settings

from lotse.core.testing import doc_section

pytestmark = pytest.mark.db_independent

PLACE_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*(?:_FILE|_ROOT|_DIR|_DIRS|_PATH|_FOLDER)$")

# Settings that name a place, and why no protection requirement is needed for it.
NOTHING_TO_PROTECT = {
    "SRC_DIR": "the code",
    "PROJECT_DIR": "the checkout of the code",
    "VAR_DIR": "only the parent of the places below, each listed on its own",
    "STATIC_ROOT": "public style sheets, scripts and images",
    "STATICFILES_DIRS": "public assets from node_modules",
    "LOTSE_AUDIT_PUBLIC_KEY_FILE": "the public half of the signing key, given to auditors",
    "FIXTURE_DIRS": "unused: Lotse loads no fixtures",
    "FORMAT_MODULE_PATH": "a Python module path, not a place on disk",
    "CSRF_COOKIE_PATH": "a URL path of a cookie",
    "SESSION_COOKIE_PATH": "a URL path of a cookie",
    "LANGUAGE_COOKIE_PATH": "a URL path of a cookie",
    "SESSION_FILE_PATH": "unused: sessions are kept in the database",
}

# Places that hold data but are not settings of their own; each must be named in the section.
OTHER_PLACES = ["var/keys/", "var/backups/", "audit_accessevent", "checkpoint file"]


def _section() -> str:
    return doc_section("operations.md", "Protection requirements of stored data")


def test_every_place_lotse_keeps_data_has_its_protection_requirement():
    section = _section()
    places = sorted(name for name in dir(settings) if PLACE_SETTING.match(name))
    assert "MEDIA_ROOT" in places and "LOTSE_TOTP_SEED_KEY_FILE" in places
    undocumented = [name for name in places if name not in NOTHING_TO_PROTECT and f"`{name}`" not in section]
    assert undocumented == [], "places without a protection requirement in docs/operations.md"
    assert [place for place in OTHER_PLACES if place not in section] == []


def test_the_list_of_places_without_protection_has_no_stale_entries():
    assert sorted(name for name in NOTHING_TO_PROTECT if not hasattr(settings, name)) == []

