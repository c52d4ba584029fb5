"""Content management of the newcomers' guide, the services: coordinators edit their own
district's entries, translators translate into their languages only, a translation is current
for the German text it was made from and outdated after the German text changes, and bad input
or a stranger changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotse.access.spine import AccessDenied
from lotse.audit.models import AccessEvent
from lotse.core.testing import build_world
from lotse.guide.entries import entry_for_key, translation_languages, translation_work, translators_of
from lotse.guide.models import GuideText, OfficeProfile, Translation, TranslatorLanguages, WelcomeCounsellor
from lotse.guide.services import (
    CounsellorData,
    GuideTextData,
    OfficeProfileData,
    counsellor_create,
    counsellor_deactivate,
    counsellor_update,
    guide_text_create,
    guide_text_update,
    office_profile_save,
    translation_save,
    translations_save,
    translator_languages_set,
)
from lotse.guide.translation import translation_overview
from lotse.offers.services import OfferData, offer_create, offer_update
from lotse.organisations.models import Role

pytestmark = pytest.mark.django_db


def _text(world, **values) -> GuideText:
    data = {"slug": "willkommen", "title": "Willkommen", "body": "Willkommen im Kreis."}
    data.update(values)
    return guide_text_create(ctx=world.ctx("coordinator"), data=GuideTextData(**data))


def _counsellor_data(world, **values) -> CounsellorData:
    data = {"name": "Nadia Karimi", "agency_id": world.agencies["caritas"].pk,
            "municipality_ids": [world.town_a.pk], "languages": ["de", "fa"], "office_hours": "Montags 9–12 Uhr"}
    data.update(values)
    return CounsellorData(**data)


def _actions(prefix: str) -> list[str]:
    return [e.action for e in AccessEvent.objects.filter(action__startswith=prefix).order_by("seq")]


def test_a_translation_is_current_until_the_german_text_changes_and_again_when_saved_anew(world):
    ctx = world.ctx("coordinator")
    text = _text(world)
    translation_save(ctx=ctx, key=text.translation_key, field="body", language="en",
                     text="Welcome to the district.", status="reviewed")
    assert translation_overview(text, ["en"])["en"]["body"] == "reviewed"

    guide_text_update(ctx=ctx, text_id=text.pk, data=GuideTextData(
        slug="willkommen", title="Willkommen", body="Herzlich willkommen im Kreis."))
    text.refresh_from_db()
    assert translation_overview(text, ["en"])["en"] == {"title": "missing", "body": "outdated"}

    translation_save(ctx=ctx, key=text.translation_key, field="body", language="en",
                     text="A warm welcome to the district.", status="machine_draft")
    assert translation_overview(text, ["en"])["en"]["body"] == "machine_draft"
    row = Translation.objects.get(key=text.translation_key, field="body", language="en")
    assert (row.text, row.district_id, row.updated_by_id) == (
        "A warm welcome to the district.", world.district.pk, world.users["coordinator"].pk)
    assert _actions("guide.") == ["guide.text.created", "guide.translation.saved", "guide.text.updated",
                                  "guide.translation.saved"]


def test_a_translator_translates_only_into_the_assigned_languages(world):
    text = _text(world)
    translator = world.ctx("translator")
    assert translation_languages(translator) == []
    translator_languages_set(ctx=world.ctx("coordinator"), user_id=world.users["translator"].pk, languages=["ar"])
    assert translation_languages(translator) == ["ar"]

    translation_save(ctx=translator, key=text.translation_key, field="title", language="ar",
                     text="أهلاً وسهلاً", status="reviewed")
    with pytest.raises(AccessDenied):
        translation_save(ctx=translator, key=text.translation_key, field="title", language="uk",
                         text="Ласкаво просимо", status="reviewed")
    assert list(Translation.objects.values_list("language", flat=True)) == ["ar"]
    assert AccessEvent.objects.order_by("-seq").first().action == "guide.translation.save.refused"
    # Translators edit no entries and assign no languages.
    with pytest.raises(AccessDenied):
        guide_text_update(ctx=translator, text_id=text.pk, data=GuideTextData(slug="x", title="X", body="Y"))
    with pytest.raises(AccessDenied):
        translator_languages_set(ctx=translator, user_id=world.users["translator"].pk, languages=["uk"])
    assert TranslatorLanguages.objects.get(user=world.users["translator"]).languages == ["ar"]
    assert translators_of(world.district.pk) == [(world.users["translator"], ["ar"])]


def test_users_without_a_guide_permission_are_refused(world):
    text = _text(world)
    with pytest.raises(AccessDenied):
        translation_save(ctx=world.ctx("caritas"), key=text.translation_key, field="title", language="en",
                         text="Welcome", status="reviewed")
    with pytest.raises(AccessDenied):
        office_profile_save(ctx=world.ctx("caritas"), agency_id=world.agencies["caritas"].pk,
                            data=OfficeProfileData(description="Beratung"))
    assert not Translation.objects.exists() and not OfficeProfile.objects.exists()


def test_bad_translations_are_refused_and_store_nothing(world):
    ctx = world.ctx("coordinator")
    text = _text(world)
    key = text.translation_key
    for values in [{"language": "xx"}, {"language": "de"}, {"key": "text:999999"}, {"key": "nonsense"},
                   {"field": "slug"}, {"field": "easy_body"}, {"text": "  "}, {"status": "perfect"}]:
        data = {"key": key, "field": "title", "language": "en", "text": "Welcome", "status": "reviewed"}
        data.update(values)
        with pytest.raises(ValidationError):
            translation_save(ctx=ctx, **data)
    # A field whose German text is empty needs (and takes) no translation.
    profile = office_profile_save(ctx=ctx, agency_id=world.agencies["jobcentre"].pk,
                                  data=OfficeProfileData(description="Geld und Arbeit"))
    with pytest.raises(ValidationError) as exc:
        translation_save(ctx=ctx, key=profile.translation_key, field="opening_hours", language="en",
                         text="Mon–Fri", status="reviewed")
    assert "opening_hours" in exc.value.message_dict
    # All or nothing: one bad field saves none.
    with pytest.raises(ValidationError):
        translations_save(ctx=ctx, key=key, language="en",
                          texts={"title": ("Welcome", "reviewed"), "body": ("", "reviewed")})
    assert not Translation.objects.exists()


def test_first_steps_are_translated_for_every_district_by_those_who_keep_the_rules(world):
    """First steps are rule data shared by all districts: a district's coordinator cannot change
    the text every other district shows; a user who also keeps the rules can."""
    step = entry_for_key(world.district, "step:registration", on=datetime.date(2026, 1, 1))
    assert step is not None and step.title == "Wohnung anmelden"
    with pytest.raises(AccessDenied):
        translation_save(ctx=world.ctx("coordinator"), key="step:registration", field="title", language="tr",
                         text="Adres kaydı", status="reviewed")
    assert not Translation.objects.filter(key="step:registration").exists()

    coordinator = world.users["coordinator"]
    coordinator.roles.add(Role.objects.get(code="administrator", district__isnull=True))
    translation_save(ctx=world.ctx("coordinator"), key="step:registration", field="title", language="tr",
                     text="Adres kaydı", status="reviewed")
    row = Translation.objects.get(key="step:registration")
    assert row.district_id is None
    other = build_world("88888")
    assert translation_overview(entry_for_key(other.district, "step:registration"), ["tr"])["tr"]["title"] == "reviewed"


def test_other_spellings_of_a_key_are_unknown(world):
    text = _text(world)
    for spelling in (f"text:0{text.pk}", f"text: {text.pk}", f"text:+{text.pk}", "step:registration\x00",
                     "step:" + "k" * 81, "step:", "text:"):
        assert entry_for_key(world.district, spelling) is None, spelling
    assert entry_for_key(world.district, text.translation_key) == text


def test_entries_of_another_district_look_missing(world):
    other = build_world("88888")
    text = _text(other)
    counsellor = counsellor_create(ctx=other.ctx("coordinator"), data=_counsellor_data(other))
    ctx = world.ctx("coordinator")
    assert entry_for_key(world.district, text.translation_key) is None
    assert entry_for_key(world.district, counsellor.translation_key) is None
    with pytest.raises(ValidationError):
        translation_save(ctx=ctx, key=text.translation_key, field="title", language="en", text="Hi",
                         status="reviewed")
    with pytest.raises(ValidationError):
        guide_text_update(ctx=ctx, text_id=text.pk, data=GuideTextData(slug="x", title="X", body="Y"))
    with pytest.raises(ValidationError):
        counsellor_update(ctx=ctx, counsellor_id=counsellor.pk, data=_counsellor_data(world))
    with pytest.raises(ValidationError):
        counsellor_deactivate(ctx=ctx, counsellor_id=counsellor.pk)
    with pytest.raises(ValidationError):
        office_profile_save(ctx=ctx, agency_id=other.agencies["abh"].pk, data=OfficeProfileData())
    with pytest.raises(ValidationError):
        translator_languages_set(ctx=ctx, user_id=other.users["translator"].pk, languages=["ar"])
    # … and a counsellor is not set up with the other district's association or municipalities.
    for values, field in [({"agency_id": other.agencies["caritas"].pk}, "agency"),
                          ({"municipality_ids": [other.town_a.pk]}, "municipalities")]:
        with pytest.raises(ValidationError) as exc:
            counsellor_create(ctx=ctx, data=_counsellor_data(world, **values))
        assert field in exc.value.message_dict
    assert GuideText.objects.get(pk=text.pk).title == "Willkommen"
    assert WelcomeCounsellor.objects.get(pk=counsellor.pk).active
    assert not Translation.objects.exists() and not TranslatorLanguages.objects.exists()
    assert WelcomeCounsellor.objects.filter(district=world.district).count() == 0


def test_counsellors_are_created_changed_and_taken_out_of_the_guide(world):
    ctx = world.ctx("coordinator")
    counsellor = counsellor_create(ctx=ctx, data=_counsellor_data(world, review_due=datetime.date(2027, 1, 31)))
    assert (counsellor.district_id, counsellor.languages, list(counsellor.municipalities.all())) == (
        world.district.pk, ["de", "fa"], [world.town_a])
    counsellor_update(ctx=ctx, counsellor_id=counsellor.pk,
                      data=_counsellor_data(world, municipality_ids=[world.town_a.pk, world.town_b.pk]))
    assert counsellor.municipalities.count() == 2
    counsellor_deactivate(ctx=ctx, counsellor_id=counsellor.pk)
    counsellor.refresh_from_db()
    assert not counsellor.active
    assert _actions("guide.counsellor") == ["guide.counsellor.created", "guide.counsellor.updated",
                                            "guide.counsellor.deactivated"]


def test_bad_counsellor_input_is_refused_with_the_field_named(world):
    ctx = world.ctx("coordinator")
    for values, field in [({"name": " "}, "name"), ({"languages": ["xx"]}, "languages"),
                          ({"municipality_ids": [999999]}, "municipalities"), ({"municipality_ids": []}, "municipalities"),
                          ({"agency_id": world.agencies["abh"].pk}, "agency"), ({"email": "no-address"}, "email")]:
        with pytest.raises(ValidationError) as exc:
            counsellor_create(ctx=ctx, data=_counsellor_data(world, **values))
        assert field in exc.value.message_dict, values
    assert not WelcomeCounsellor.objects.exists()


def test_office_profiles_and_guide_texts_check_their_input(world):
    ctx = world.ctx("coordinator")
    profile = office_profile_save(ctx=ctx, agency_id=world.agencies["abh"].pk, data=OfficeProfileData(
        description="Aufenthalt", languages=["de", "en"], website="https://example.org"))
    office_profile_save(ctx=ctx, agency_id=world.agencies["abh"].pk, data=OfficeProfileData(public=False))
    profile.refresh_from_db()
    assert (profile.public, profile.description, OfficeProfile.objects.count()) == (False, "", 1)
    for values, field in [({"languages": ["xx"]}, "languages"), ({"website": "no url"}, "website")]:
        with pytest.raises(ValidationError) as exc:
            office_profile_save(ctx=ctx, agency_id=world.agencies["abh"].pk, data=OfficeProfileData(**values))
        assert field in exc.value.message_dict
    _text(world)
    for values, field in [({"slug": "willkommen"}, "slug"), ({"slug": "Mit Leerzeichen"}, "slug"),
                          ({"slug": "neu", "title": ""}, "title"), ({"slug": "neu", "body": " "}, "body")]:
        with pytest.raises(ValidationError) as exc:
            _text(world, **values)
        assert field in exc.value.message_dict, values
    assert GuideText.objects.count() == 1


def test_the_work_list_names_missing_outdated_and_machine_drafts(world):
    ctx = world.ctx("coordinator")
    text = _text(world)
    translation_save(ctx=ctx, key=text.translation_key, field="title", language="en", text="Welcome",
                     status="reviewed")
    translation_save(ctx=ctx, key=text.translation_key, field="body", language="en", text="Welcome here",
                     status="machine_draft")
    rows = [row for row in translation_work(world.district, languages=["en", "ar"], on=ctx.today)
            if row.key == text.translation_key]
    assert {row.language: row.states for row in rows} == {
        "en": {"body": "machine_draft"}, "ar": {"title": "missing", "body": "missing"}}
    guide_text_update(ctx=ctx, text_id=text.pk, data=GuideTextData(slug="willkommen", title="Hallo", body="Text"))
    rows = [row for row in translation_work(world.district, languages=["en"], states=("outdated",), on=ctx.today)
            if row.key == text.translation_key]
    assert rows[0].states == {"title": "outdated", "body": "outdated"}


def test_offers_keep_target_groups_and_eligibility(world):
    ctx = world.ctx("coordinator")
    data = OfferData(name="Sprachcafé", life_area="language", provider_agency_id=world.agencies["caritas"].pk,
                     target_groups=["tolerated", "asylum_procedure"], eligibility_note="Ab 16 Jahren",
                     public=False, review_due=datetime.date(2027, 3, 1))
    offer = offer_create(ctx=ctx, data=data)
    assert (offer.target_groups, offer.eligibility_note, offer.public, offer.review_due) == (
        ["asylum_procedure", "tolerated"], "Ab 16 Jahren", False, datetime.date(2027, 3, 1))
    data.target_groups = ["martians"]
    with pytest.raises(ValidationError) as exc:
        offer_update(ctx=ctx, offer_id=offer.pk, data=data)
    assert "target_groups" in exc.value.message_dict
    offer.refresh_from_db()
    assert offer.target_groups == ["asylum_procedure", "tolerated"]
