"""Generated input on the public guide: whatever a link, a bot or a typo sends, the pages answer
200, 400 or 404 in the guide's layout — never a server error — and echo nothing unescaped."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lotse.core.testing import build_world
from lotse.guide.tests.factories import counsellor, offer

pytestmark = pytest.mark.django_db

PAGES = ["", "zustaendig/", "verzeichnis/", "info/willkommen/"]
PARAMS = ["m", "s", "t", "q", "l", "easy", "lang"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1", "2", "999999999999999999999", "1e3", "tolerated", "money", "ar",
                     "<script>alert(1)</script>", "' OR 1=1 --", "\u202egerman", "%00", "../../etc"]),
)


@pytest.fixture
def guide(db):
    world = build_world()
    counsellor(world, "Leyla Demir", world.town_a)
    offer(world, "Sprachcafé", "language", towns=[world.town_a], languages=["ar"])
    return world


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lang=st.sampled_from(["de", "ar", "uk", "fa", "xx", "DE", "de-easy"]), page=st.sampled_from(PAGES),
       params=st.lists(st.tuples(st.sampled_from(PARAMS), TEXT), max_size=5))
def test_no_generated_request_breaks_a_guide_page(guide, lang, page, params):
    clean = [(key, value.replace("\x00", "")) for key, value in params]  # the test client refuses NUL
    response = Client().get(f"/wegweiser/{guide.district.code}/{lang}/{page}", clean)
    assert response.status_code in (200, 400, 404), (lang, page, params)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    if response.status_code in (200, 400):
        assert f'<html lang="{lang}"' in body


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(municipality=st.one_of(st.integers(min_value=-5, max_value=10**12), st.text(max_size=12)))
def test_welcome_sheet_links_for_unknown_places_are_404(guide, municipality):
    assume(str(municipality) not in {str(guide.town_a.pk), str(guide.town_b.pk)})
    response = Client().get(f"/wegweiser/{guide.district.code}/de/willkommensblatt/{municipality}.pdf")
    assert response.status_code == 404
