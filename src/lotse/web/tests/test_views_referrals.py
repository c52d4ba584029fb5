"""Referral and offer pages through Django's test client: the form tells which consent is
missing and links to the prefilled consent form with a safe way back; inbox, detail and answers
for the right agency only; bad input saves nothing; the offers directory filters and is edited
by coordinators only."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import translation
from django.utils.translation import gettext

from lotse.consent.services import consent_record, consent_revoke
from lotse.core.scoping import personal_data_scope
from lotse.core.testing import open_case, register_person
from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.offers.models import Offer
from lotse.referrals.models import Referral, ReferralStatus
from lotse.web.tests.test_views import _client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _de(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


def _label(choice) -> str:
    with translation.override("de"):
        return str(choice.label)


@pytest.fixture
def case(world):
    pid = register_person(world, by="social_a", given_names="Amina", family_name="Haddad",
                          email="amina@example.org")
    return open_case(world, pid)


def _consent(world, pid, categories=(C.IDENTITY, C.CONTACT)):
    return consent_record(
        ctx=world.ctx("caritas"), person_id=pid, categories=list(categories),
        purpose=P.BENEFITS_ADMINISTRATION, to_agency_id=world.agencies["jobcentre"].pk,
        from_agency_id=world.agencies["caritas"].pk, given_on=TODAY, valid_until=None,
        method="signed_form", informed_language="ar",
    )


def _referrals() -> list[Referral]:
    with personal_data_scope():
        return list(Referral.objects.all())


def _post_referral(client, world, case, button="send", **extra):
    data = {"to_agency": world.agencies["jobcentre"].pk, "categories": [C.IDENTITY, C.CONTACT],
            "message": "Sucht Arbeit als Elektriker", button: "1", **extra}
    return client.post(f"/cases/{case.pk}/referrals/new/", data)


def test_missing_consent_is_named_and_linked_to_the_prefilled_consent_form(world, case):
    client = _client_for(world, "caritas")
    page = client.get(f"/cases/{case.pk}/referrals/new/")
    assert page.status_code == 200
    assert _label(C.CONTACT) in page.content.decode()

    response = _post_referral(client, world, case)
    assert response.status_code == 400
    assert _referrals() == []
    html = response.content.decode()
    assert _de("Consent missing") in html and _label(C.CONTACT) in html
    link = response.context["consent_link"]
    url = urlparse(link)
    query = parse_qs(url.query)
    assert url.path == f"/persons/{case.person_id}/consents/new/"
    assert query["from"] == [str(world.agencies["caritas"].pk)]
    assert query["to"] == [str(world.agencies["jobcentre"].pk)]
    assert query["purpose"] == [P.BENEFITS_ADMINISTRATION]
    assert sorted(query["categories"]) == sorted([C.IDENTITY, C.CONTACT])
    back = query["next"][0]
    assert back.startswith(f"/cases/{case.pk}/referrals/new/?")
    # No personal data in any URL: the message stays on the server.
    assert "Elektriker" not in link

    form = client.get(link)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["categories"] == [C.IDENTITY, C.CONTACT]
    assert initial["purpose"] == P.BENEFITS_ADMINISTRATION
    assert str(initial["to_agency"]) == str(world.agencies["jobcentre"].pk)

    recorded = client.post(link, {
        "categories": [C.IDENTITY, C.CONTACT], "from_agency": world.agencies["caritas"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": P.BENEFITS_ADMINISTRATION,
        "given_on": TODAY.isoformat(), "method": "signed_form", "informed_language": "ar", "record": "1",
    })
    assert recorded.status_code == 302 and recorded["Location"] == back

    again = client.get(back)
    assert again.status_code == 200
    assert again.context["preview"].coverage.missing == []
    assert again.context["form"]["message"].value() == "Sucht Arbeit als Elektriker"  # the kept draft

    sent = _post_referral(client, world, case)
    assert sent.status_code == 302 and sent["Location"] == f"/cases/{case.pk}/"
    (referral,) = _referrals()
    assert (referral.status, referral.to_agency_id) == (ReferralStatus.SENT, world.agencies["jobcentre"].pk)
    assert referral.message == "Sucht Arbeit als Elektriker"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "\\\\evil", "",
])
def test_consent_form_returns_only_to_relative_paths_of_this_site(world, case, target):
    client = _client_for(world, "caritas")
    response = client.post(f"/persons/{case.person_id}/consents/new/?next={target}", {
        "categories": [C.IDENTITY], "from_agency": world.agencies["caritas"].pk,
        "to_agency": world.agencies["jobcentre"].pk, "purpose": P.BENEFITS_ADMINISTRATION,
        "given_on": TODAY.isoformat(), "method": "signed_form", "informed_language": "ar", "record": "1",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{case.person_id}/"


def test_bad_referral_input_saves_nothing(world, case):
    _consent(world, case.person_id)
    client = _client_for(world, "caritas")
    response = client.post(f"/cases/{case.pk}/referrals/new/", {"categories": [C.IDENTITY], "send": "1"})
    assert response.status_code == 400 and _referrals() == []
    response = _post_referral(client, world, case, to_agency=world.agencies["caritas"].pk)
    assert response.status_code == 400 and _referrals() == []
    response = _post_referral(client, world, case, message="x" * 5000)
    assert response.status_code == 400 and _referrals() == []


def test_an_offer_outside_lotse_shows_its_contact_details_instead(world, case):
    offer = Offer.objects.create(district=world.district, name="Integrationskurs", life_area="language",
                                 provider_name="VHS Teststadt", phone="0000 123456")
    client = _client_for(world, "caritas")
    # Offers outside Lotse are not offered as recipients at all …
    page = client.get(f"/cases/{case.pk}/referrals/new/")
    assert "Integrationskurs" not in page.content.decode()
    # … and a forged choice is refused; the directory lists its contact.
    response = client.post(f"/cases/{case.pk}/referrals/new/", {"offer": offer.pk, "send": "1"})
    assert response.status_code == 400 and _referrals() == []
    listing = client.get("/offers/")
    assert "0000 123456" in listing.content.decode()


def test_other_agencies_and_users_without_permission_get_404(world, case):
    assert _client_for(world, "jobcentre").get(f"/cases/{case.pk}/referrals/new/").status_code == 404
    coordinator = _client_for(world, "coordinator")
    assert coordinator.get(f"/cases/{case.pk}/referrals/new/").status_code == 404
    assert coordinator.get("/referrals/").status_code == 404


@pytest.fixture
def sent(world, case):
    from lotse.referrals.services import referral_send

    consent = _consent(world, case.person_id)
    referral = referral_send(ctx=world.ctx("caritas"), person_id=case.person_id,
                             to_agency_id=world.agencies["jobcentre"].pk, case_id=case.pk, purpose=None,
                             categories=[C.IDENTITY, C.CONTACT], message="Sucht Arbeit als Elektriker")
    return referral, consent


def test_recipient_answers_in_the_inbox_and_the_sender_sees_the_outcome(world, sent):
    referral, _ = sent
    jobcentre = _client_for(world, "jobcentre")
    inbox = jobcentre.get("/referrals/")
    assert inbox.status_code == 200 and "Amina Haddad" in inbox.content.decode()
    detail = jobcentre.get(f"/referrals/{referral.pk}/")
    html = detail.content.decode()
    assert "amina@example.org" in html and "Elektriker" in html

    response = jobcentre.post(f"/referrals/{referral.pk}/accept/")
    assert response.status_code == 302
    empty = jobcentre.post(f"/referrals/{referral.pk}/done/", {"feedback": ""})
    assert empty.status_code == 400
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    done = jobcentre.post(f"/referrals/{referral.pk}/done/", {"feedback": "In Arbeit vermittelt"})
    assert done.status_code == 302

    caritas = _client_for(world, "caritas")
    outbox = caritas.get("/referrals/sent/")
    assert _label(ReferralStatus.DONE) in outbox.content.decode()
    assert "In Arbeit vermittelt" in caritas.get(f"/referrals/{referral.pk}/").content.decode()


def test_wrong_agency_sees_404_and_cannot_answer(world, sent):
    referral, _ = sent
    social = _client_for(world, "social_a")
    assert social.get(f"/referrals/{referral.pk}/").status_code == 404
    assert social.post(f"/referrals/{referral.pk}/accept/").status_code == 404
    caritas = _client_for(world, "caritas")
    assert caritas.post(f"/referrals/{referral.pk}/accept/").status_code == 404
    assert _client_for(world, "jobcentre").post(f"/referrals/{referral.pk}/withdraw/").status_code == 404
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert caritas.get(f"/referrals/{referral.pk}/accept/").status_code == 405


def test_decline_without_reason_is_shown_as_error_and_saves_nothing(world, sent):
    referral, _ = sent
    jobcentre = _client_for(world, "jobcentre")
    response = jobcentre.post(f"/referrals/{referral.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    assert response.context["decline_form"].errors
    with personal_data_scope():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_revoked_consent_lists_the_referral_without_the_person(world, sent):
    referral, consent = sent
    consent_revoke(ctx=world.ctx("caritas"), consent_id=consent.pk, note="revoked")
    jobcentre = _client_for(world, "jobcentre")
    html = jobcentre.get("/referrals/").content.decode()
    assert _de("Person not visible (no valid consent)") in html
    assert "Haddad" not in html
    detail = jobcentre.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Haddad" not in detail and "Elektriker" not in detail and "amina@example.org" not in detail


def test_overdue_referrals_are_flagged_on_both_sides(world, sent):
    from django.utils import timezone

    referral, _ = sent
    Referral._plain.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=20))
    since = (TODAY - datetime.timedelta(days=6)).strftime("%d.%m.%Y")
    with translation.override("de"):
        flag = gettext("overdue since %(date)s") % {"date": since}
    assert flag in _client_for(world, "jobcentre").get("/referrals/").content.decode()
    caritas = _client_for(world, "caritas")
    assert flag in caritas.get("/referrals/sent/").content.decode()
    assert flag in caritas.get(f"/referrals/{referral.pk}/").content.decode()


# --- offers -----------------------------------------------------------------------------------

@pytest.fixture
def offers(world):
    course = Offer.objects.create(district=world.district, name="Sprachkurs A-Dorf", life_area="language",
                                  provider_name="VHS", languages=["de"])
    course.municipalities.set([world.town_a])
    Offer.objects.create(district=world.district, name="Beratung arabisch", life_area="participation",
                         provider_agency=world.agencies["caritas"], languages=["de", "ar"])
    Offer.objects.create(district=world.district, name="Alter Kurs", life_area="language",
                         provider_name="VHS", active=False)


def test_offers_list_filters_by_life_area_municipality_and_language(world, offers):
    client = _client_for(world, "caritas")
    html = client.get("/offers/").content.decode()
    assert "Sprachkurs A-Dorf" in html and "Beratung arabisch" in html and "Alter Kurs" not in html
    html = client.get("/offers/", {"language": "ar"}).content.decode()
    assert "Beratung arabisch" in html and "Sprachkurs A-Dorf" not in html
    html = client.get("/offers/", {"municipality": world.town_b.pk}).content.decode()
    assert "Beratung arabisch" in html and "Sprachkurs A-Dorf" not in html  # whole district vs. A-Dorf
    html = client.get("/offers/", {"life_area": "language"}).content.decode()
    assert "Sprachkurs A-Dorf" in html and "Beratung arabisch" not in html


def test_only_coordinators_create_and_edit_offers(world, offers):
    assert _client_for(world, "caritas").get("/offers/new/").status_code == 404
    assert _client_for(world, "abh").get("/offers/").status_code == 404
    client = _client_for(world, "coordinator")
    response = client.post("/offers/new/", {"name": "Wohnraumberatung", "life_area": "housing",
                                            "provider_agency": world.agencies["caritas"].pk,
                                            "languages": ["de", "uk"], "active": "on"})
    assert response.status_code == 302
    offer = Offer.objects.get(name="Wohnraumberatung")
    assert offer.languages == ["de", "uk"] and offer.district_id == world.district.pk
    # Neither a provider agency nor a provider name: refused, nothing changes.
    response = client.post(f"/offers/{offer.pk}/", {"name": "Wohnraumberatung", "life_area": "housing"})
    assert response.status_code == 400
    assert Offer.objects.get(pk=offer.pk).provider_agency_id == world.agencies["caritas"].pk
    response = client.post(f"/offers/{offer.pk}/", {"name": "Wohnraumberatung", "life_area": "housing",
                                                     "provider_name": "Stadt", "languages": ["de"]})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.active, offer.provider_agency_id, offer.provider_name) == (False, None, "Stadt")
