"""Reads of the newcomers' guide: who is responsible for a person in a municipality, situation
and topic on a date; the first steps; the directory. Public content, never personal data: no
access spine here (the guard test lists no personal model in this app).

Responsibilities and first steps are dated rule data (`rules.models.GuideResponsibility`,
`FirstStep`): the answer for a day uses the versions in force that day."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from lotse.core.vocabulary import TOPIC_LIFE_AREAS, GuideTopic, NewcomerSituation
from lotse.guide.languages import SOURCE_LANGUAGE
from lotse.guide.models import GuideText, OfficeProfile, WelcomeCounsellor
from lotse.guide.public_texts import GUIDE_TEXTS
from lotse.guide.translation import Localized, entry_translations, localize
from lotse.offers.models import Offer
from lotse.organisations.models import Agency, AgencyKind, District, Municipality
from lotse.rules.models import FirstStep, GuideResponsibility


def guide_districts() -> list[District]:
    return list(District.objects.order_by("name"))


def guide_district(code: str) -> District | None:
    return District.objects.filter(code=code).first()


def municipalities_of(district: District) -> list[Municipality]:
    return list(district.municipalities.order_by("name"))


def municipality_of(district: District, municipality_id) -> Municipality | None:
    try:
        return district.municipalities.filter(pk=int(municipality_id)).first()
    except (TypeError, ValueError):
        return None


@dataclass
class Office:
    """An agency as the guide shows it, with its public profile in the page's language."""

    agency: Agency
    profile: Localized | None

    @property
    def address(self) -> str:
        return agency_address(self.agency)


def agency_address(agency: Agency) -> str:
    """"Street, postal code city" as the guide and the welcome sheet print it."""
    return ", ".join(part for part in (agency.street, f"{agency.postal_code} {agency.city}".strip()) if part)


@dataclass
class Step:
    rule: FirstStep
    text: Localized
    offices: list[Office]


@dataclass
class Answer:
    district: District
    municipality: Municipality
    situation: str
    topic: str
    on: datetime.date
    offices: list[Office] = field(default_factory=list)
    rules: list[GuideResponsibility] = field(default_factory=list)
    counsellors: list[Localized] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    offers: list[Localized] = field(default_factory=list)


# Internal agencies are not shown in the public guide unless a profile says otherwise.
INTERNAL_KINDS = frozenset({AgencyKind.DISTRICT_ADMINISTRATION})


def _agency_shown(prefix: str) -> Q:
    """The agency at `prefix` is active and not hidden from the guide (no profile, or public)."""
    return Q(**{f"{prefix}__is_active": True}) & ~Q(**{f"{prefix}__guide_profile__public": False}) & ~Q(
        **{f"{prefix}__kind__in": INTERNAL_KINDS, f"{prefix}__guide_profile__isnull": True})


def public_counsellors(district: District) -> QuerySet[WelcomeCounsellor]:
    """Active welcome counsellors of the district whose association is shown in the guide."""
    return (WelcomeCounsellor.objects.filter(_agency_shown("agency"), district=district, active=True)
            .select_related("agency").prefetch_related("municipalities").order_by("name"))


def public_offers(district: District) -> QuerySet[Offer]:
    """Active offers marked for the guide whose provider (if an agency in Lotse) is shown."""
    return (Offer.objects.filter(Q(provider_agency__isnull=True) | _agency_shown("provider_agency"),
                                 district=district, active=True, public=True)
            .select_related("provider_agency").prefetch_related("municipalities").order_by("life_area", "name"))


class OfficeResolver:
    """The district's public agencies, loaded once, resolved per kind and municipality."""

    def __init__(self, district: District, language: str):
        agencies = list(Agency.objects.filter(district=district, is_active=True)
                        .select_related("guide_profile", "municipality").order_by("name"))
        self.agencies = [a for a in agencies if _is_public(a)]
        found = entry_translations([a.guide_profile for a in self.agencies if _has_profile(a)], language)
        self.offices = {a.pk: Office(a, Localized(a.guide_profile, language, found) if _has_profile(a) else None)
                        for a in self.agencies}
        counselled = public_counsellors(district).values_list("agency_id", "municipalities")
        self.counselled: dict[int, set[int]] = {}
        for agency_id, municipality_id in counselled:
            self.counselled.setdefault(agency_id, set()).add(municipality_id)

    def serving(self, kind: str, municipality_id: int) -> list[Office]:
        """The agencies of a kind for a municipality: its own (social office, registration
        office), else those whose welcome counsellors serve it, else the district-wide main
        offices."""
        of_kind = [a for a in self.agencies if a.kind == kind]
        chosen = ([a for a in of_kind if a.municipality_id == municipality_id]
                  or [a for a in of_kind if municipality_id in self.counselled.get(a.pk, ())]
                  or [a for a in of_kind if a.municipality_id is None and a.parent_id is None])
        return [self.offices[a.pk] for a in chosen]


def _has_profile(agency: Agency) -> bool:
    try:
        return agency.guide_profile is not None
    except OfficeProfile.DoesNotExist:
        return False


def _is_public(agency: Agency) -> bool:
    if _has_profile(agency):
        return agency.guide_profile.public
    return agency.kind not in INTERNAL_KINDS


def responsibilities_in_force(*, topic: str, situation: str, on: datetime.date) -> list[GuideResponsibility]:
    rules = GuideResponsibility.objects.in_force(on).filter(topic=topic).order_by("order", "key")
    return [rule for rule in rules if rule.applies_to(situation)]


def first_steps_in_force(*, situation: str, on: datetime.date) -> list[FirstStep]:
    return [step for step in FirstStep.objects.in_force(on).order_by("order", "key") if step.applies_to(situation)]


def counsellors_for(municipality: Municipality, language: str) -> list[Localized]:
    return localize(public_counsellors(municipality.district).filter(municipalities=municipality), language)


def offers_for_answer(district: District, *, municipality_id: int | None, situation: str | None,
                      topic: str | None, language: str, spoken_language: str = "") -> list[Localized]:
    """Public, active offers for a topic, available in the municipality (eligibility by
    residence) and open to the situation (target groups)."""
    offers = public_offers(district)
    if topic:
        offers = offers.filter(life_area__in=TOPIC_LIFE_AREAS.get(topic, ()))
    chosen = [o for o in offers
              if (municipality_id is None or o.available_in(municipality_id))
              and (not situation or o.serves(situation))
              and (not spoken_language or spoken_language in (o.languages or []))]
    return localize(chosen, language)


def answer(district: District, municipality: Municipality, situation: str, topic: str, *,
           on: datetime.date, language: str) -> Answer:
    """"Who is responsible for me?": the offices for the topic, the fixed welcome counsellor of
    the municipality, the first steps for the situation (each with its office) and the offers."""
    result = Answer(district, municipality, situation, topic, on)
    agencies = OfficeResolver(district, language)
    seen: set[int] = set()
    for rule in responsibilities_in_force(topic=topic, situation=situation, on=on):
        result.rules.append(rule)
        for office in agencies.serving(rule.agency_kind, municipality.pk):
            if office.agency.pk not in seen:
                seen.add(office.agency.pk)
                result.offices.append(office)
    result.counsellors = counsellors_for(municipality, language)
    result.steps = steps_for(agencies, municipality, situation, on=on, language=language)
    result.offers = offers_for_answer(district, municipality_id=municipality.pk, situation=situation,
                                      topic=topic, language=language)
    return result


def steps_for(agencies: OfficeResolver, municipality: Municipality, situation: str, *, on: datetime.date,
              language: str) -> list[Step]:
    rules = first_steps_in_force(situation=situation, on=on)
    found = entry_translations(rules, language)
    return [Step(rule, Localized(rule, language, found),
                 agencies.serving(rule.agency_kind, municipality.pk) if rule.agency_kind else [])
            for rule in rules]


def main_offices(district: District, municipality: Municipality, *, language: str,
                 kinds: tuple[str, ...]) -> list[Office]:
    """The offices of these kinds serving a municipality (for the welcome sheet)."""
    agencies = OfficeResolver(district, language)
    offices: list[Office] = []
    for kind in kinds:
        offices.extend(o for o in agencies.serving(kind, municipality.pk) if o not in offices)
    return offices


@dataclass
class Directory:
    offices: list[Office]
    counsellors: list[Localized]
    offers: list[Localized]


def _matches(query: str, *texts) -> bool:
    return not query or any(query in str(text).casefold() for text in texts if text)


def directory(district: District, *, language: str, on: datetime.date, topic: str = "",
              municipality: Municipality | None = None, spoken_language: str = "",
              situation: str = "", query: str = "") -> Directory:
    """The directory, filtered by topic, municipality (eligibility), language spoken, target
    group and a search word (in German and in the page's language)."""
    query = query.strip().casefold()
    municipality_id = municipality.pk if municipality else None
    agencies = OfficeResolver(district, language)
    kinds = None
    if topic:
        kinds = {rule.agency_kind for rule in GuideResponsibility.objects.in_force(on)
                 .filter(topic=topic)}
    offices = []
    for office in agencies.offices.values():
        agency = office.agency
        if kinds is not None and agency.kind not in kinds:
            continue
        if municipality_id and agency.municipality_id not in (None, municipality_id):
            continue
        spoken = office.profile.languages if office.profile else []
        if spoken_language and spoken_language not in (spoken or []):
            continue
        described = (office.profile.description, office.profile.entry.description) if office.profile else ()
        if not _matches(query, agency.name, GUIDE_TEXTS[language].get(f"kind_{agency.kind}", ""),
                        GUIDE_TEXTS[SOURCE_LANGUAGE].get(f"kind_{agency.kind}", ""), *described):
            continue
        offices.append(office)
    counsellors = public_counsellors(district)
    if municipality_id:
        counsellors = counsellors.filter(municipalities__id=municipality_id)
    counsellors = [c for c in counsellors.distinct()
                   if (not spoken_language or spoken_language in (c.languages or []))
                   and _matches(query, c.name, c.agency.name, *[m.name for m in c.municipalities.all()])]
    offers = [o for o in offers_for_answer(district, municipality_id=municipality_id, situation=situation,
                                           topic=topic or None, language=language,
                                           spoken_language=spoken_language)
              if _matches(query, o.name, o.description, o.entry.name, o.entry.description, o.provider_label)]
    return Directory(offices, localize(counsellors, language), offers)


def public_texts(district: District, language: str) -> list[Localized]:
    return localize(GuideText.objects.filter(district=district, public=True).order_by("order", "slug"), language)


def public_text(district: District, slug: str, language: str) -> Localized | None:
    text = GuideText.objects.filter(district=district, public=True, slug=slug).first()
    return localize([text], language)[0] if text else None


def situation_valid(code: str) -> bool:
    return code in NewcomerSituation.values


def topic_valid(code: str) -> bool:
    return code in GuideTopic.values


def review_overdue(district: District, *, today: datetime.date) -> list:
    """Entries of the district past their review date, oldest first (content management)."""
    due = Q(review_due__lt=today)
    entries = [*OfficeProfile.objects.filter(due, agency__district=district).select_related("agency"),
               *WelcomeCounsellor.objects.filter(due, district=district, active=True),
               *Offer.objects.filter(due, district=district, active=True),
               *GuideText.objects.filter(due, district=district)]
    return sorted(entries, key=lambda entry: entry.review_due)
