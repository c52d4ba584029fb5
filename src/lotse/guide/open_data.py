"""The guide's directory and responsibilities as open data (JSON), for reuse by others, e.g. a
municipal app. Only public content: offices, welcome counsellors (work contacts published on
purpose), offers and the dated rules. Translated fields carry every current translation;
outdated ones are left out (the German source is authoritative)."""

import datetime

from django.conf import settings
from django.utils import timezone

from lotse.core.vocabulary import TOPIC_LIFE_AREAS
from lotse.guide.languages import GUIDE_LANGUAGES, SOURCE_LANGUAGE, TRANSLATED_LANGUAGES
from lotse.guide.models import OfficeProfile, Translation
from lotse.guide.selectors import OfficeResolver, public_counsellors, public_offers
from lotse.guide.translation import source_hash, translatable_fields
from lotse.organisations.models import Agency, District
from lotse.rules.models import FirstStep, GuideResponsibility

FORMAT_VERSION = "1.0"


def licence() -> dict:
    return dict(settings.LOTSE_OPEN_DATA_LICENCE)


def _header(district: District, kind: str) -> dict:
    return {
        "format": f"lotse-guide-{kind}", "version": FORMAT_VERSION, "licence": licence(),
        "publisher": district.name, "district_code": district.code,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "languages": list(GUIDE_LANGUAGES), "source_language": SOURCE_LANGUAGE,
    }


def _translations(entries) -> dict[str, list[Translation]]:
    keys = {entry.translation_key for entry in entries}
    rows: dict[str, list[Translation]] = {}
    for row in Translation.objects.filter(key__in=keys, language__in=TRANSLATED_LANGUAGES):
        rows.setdefault(row.key, []).append(row)
    return rows


def _current(entry, rows: dict[str, list[Translation]]) -> list[Translation]:
    """The entry's translations made from its current German source (one hash per field)."""
    hashes = {field: source_hash(entry.translatable()[field]) for field in translatable_fields(entry)}
    return [row for row in rows.get(entry.translation_key, []) if hashes.get(row.field) == row.source_hash]


def _texts(entry, rows: dict[str, list[Translation]]) -> dict[str, dict[str, str]]:
    """{field: {language: text}} with the German source and the current translations."""
    out = {field: {SOURCE_LANGUAGE: entry.translatable()[field]} for field in translatable_fields(entry)}
    for row in _current(entry, rows):
        out[row.field][row.language] = row.text
    return out


def _statuses(entry, rows: dict[str, list[Translation]]) -> dict[str, str]:
    states: dict[str, str] = {}
    for row in _current(entry, rows):
        states.setdefault(row.language, row.status)
    return states


def _address(agency: Agency) -> dict:
    return {"street": agency.street, "postal_code": agency.postal_code, "city": agency.city}


def directory_document(district: District) -> dict:
    agencies = OfficeResolver(district, SOURCE_LANGUAGE)
    profiles = [a.guide_profile for a in agencies.agencies if hasattr(a, "guide_profile")]
    counsellors = list(public_counsellors(district))
    offers = list(public_offers(district).order_by("name"))
    rows = _translations([*profiles, *counsellors, *offers])
    document = _header(district, "directory")
    document["offices"] = []
    for agency in agencies.agencies:
        profile: OfficeProfile | None = getattr(agency, "guide_profile", None)
        document["offices"].append({
            "id": agency.pk, "kind": agency.kind, "name": agency.name,
            "municipality": agency.municipality.code if agency.municipality_id else None,
            "main_office": agency.parent_id, "address": _address(agency), "phone": agency.phone,
            "email": agency.email, "website": profile.website if profile else "",
            "languages": profile.languages if profile else [],
            "texts": _texts(profile, rows) if profile else {},
            "translations": _statuses(profile, rows) if profile else {},
        })
    document["welcome_counsellors"] = [{
        "id": c.pk, "name": c.name, "organisation": c.agency.name, "organisation_id": c.agency_id,
        "municipalities": [m.code for m in c.municipalities.all()], "address": c.address, "phone": c.phone,
        "email": c.email, "languages": c.languages, "texts": _texts(c, rows), "translations": _statuses(c, rows),
    } for c in counsellors]
    document["offers"] = [{
        "id": o.pk, "life_area": o.life_area,
        "topics": [topic for topic, areas in TOPIC_LIFE_AREAS.items() if o.life_area in areas],
        "provider": o.provider_label, "provider_id": o.provider_agency_id,
        "eligibility": {"municipalities": [m.code for m in o.municipalities.all()],
                        "target_groups": o.target_groups or []},
        "languages": o.languages, "address": o.address, "phone": o.phone, "email": o.email,
        "website": o.website, "texts": _texts(o, rows), "translations": _statuses(o, rows),
    } for o in offers]
    document["municipalities"] = [{"code": m.code, "name": m.name}
                                  for m in district.municipalities.order_by("name")]
    return document


def responsibilities_document(district: District, *, on: datetime.date) -> dict:
    """Every version of the guide's rules (past, current and future, with their dates), and for
    the rules in force on `on` the offices they name in each municipality."""
    agencies = OfficeResolver(district, SOURCE_LANGUAGE)
    rules = list(GuideResponsibility.objects.order_by("topic", "order", "key", "valid_from"))
    steps = list(FirstStep.objects.order_by("order", "key", "valid_from"))
    rows = _translations(steps)
    document = _header(district, "responsibilities")
    document["valid_on"] = on.isoformat()
    document["responsibilities"] = [{
        "key": r.key, "topic": r.topic, "situations": r.situations or [], "agency_kind": r.agency_kind,
        "legal_reference": r.legal_reference, "valid_from": r.valid_from.isoformat(),
        "valid_to": r.valid_to.isoformat() if r.valid_to else None, "in_force": r.in_force_on(on),
    } for r in rules]
    document["first_steps"] = [{
        "key": s.key, "order": s.order, "topic": s.topic, "situations": s.situations or [],
        "agency_kind": s.agency_kind or None, "deadline_days": s.deadline_days,
        "legal_reference": s.legal_reference, "valid_from": s.valid_from.isoformat(),
        "valid_to": s.valid_to.isoformat() if s.valid_to else None, "in_force": s.in_force_on(on),
        "texts": _texts(s, rows),
    } for s in steps]
    kinds = sorted({r.agency_kind for r in rules if r.in_force_on(on)} | {
        s.agency_kind for s in steps if s.agency_kind and s.in_force_on(on)})
    document["offices_by_municipality"] = {
        m.code: {kind: [office.agency.pk for office in agencies.serving(kind, m.pk)] for kind in kinds}
        for m in district.municipalities.order_by("name")}
    return document
