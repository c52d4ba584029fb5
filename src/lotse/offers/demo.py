"""Demo offers of Kreis Düren for the seed command: the offers directory as case managers there
would find it. Provider names follow the real landscape (VHS, IQ Netzwerk, MBE, JMD …);
addresses are approximate, phone numbers fictitious (000000), e-mail and web addresses use
example.org. Review dates are demo values relative to the day of seeding (a few have passed).
Offers link to an agency of the district where one of that kind exists in Lotse; others name
their provider and contact details (a referral to them is not possible through Lotse).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lotse.core.vocabulary import LifeArea as A
from lotse.core.vocabulary import NewcomerSituation as S
from lotse.offers.models import Offer
from lotse.organisations.kreis_dueren import (
    DISTRICT_AGENCIES,
    MUNICIPALITIES,
    PSYCHOSOCIAL_COUNSELLING_MUNICIPALITIES,
)
from lotse.organisations.models import Agency, District, Municipality
from lotse.organisations.models import AgencyKind as K

_AGENCY_NAMES = {spec.key: spec.name for spec in DISTRICT_AGENCIES}
NORTH = tuple(m.name for m in MUNICIPALITIES if m.north)
SOUTH = tuple(m.name for m in MUNICIPALITIES if not m.north)
PSYCHOSOCIAL = PSYCHOSOCIAL_COUNSELLING_MUNICIPALITIES


@dataclass(frozen=True)
class DemoOffer:
    name: str
    life_area: str
    description: str
    languages: tuple[str, ...]
    agency_key: str = ""   # an agency of kreis_dueren.DISTRICT_AGENCIES, if it runs the offer
    agency_kind: str = ""  # else: any agency of this kind in the district
    provider_name: str = ""  # provider outside Lotse (or when no such agency exists)
    municipalities: tuple[str, ...] = ()  # none: the whole district
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    target_groups: tuple[str, ...] = ()  # situations (NewcomerSituation); none: everybody
    eligibility_note: str = ""
    review_in_days: int = 180  # review date relative to the day of seeding


DEMO_OFFERS: list[DemoOffer] = [
    DemoOffer("Integrationskurs (allgemein), Düren", A.LANGUAGE,
              "Sprachkurs bis B1 und Orientierungskurs nach § 43 AufenthG; Vormittags- und "
              "Abendkurse, Kinderbetreuung nach Absprache. Anmeldung mit Berechtigungsschein.",
              ("de",), provider_name="Volkshochschule Rur-Eifel (VHS Düren)", municipalities=SOUTH,
              address="Violengasse 2, 52349 Düren", phone="02421 000000", email="info@vhs-rur-eifel.example.org",
              website="https://vhs-rur-eifel.example.org", review_in_days=150),
    DemoOffer("Integrationskurs mit Alphabetisierung, Düren", A.LANGUAGE,
              "Integrationskurs für Menschen, die nicht oder nicht in lateinischer Schrift lesen "
              "und schreiben können (bis 1.200 Unterrichtseinheiten).",
              ("de",), provider_name="Volkshochschule Rur-Eifel (VHS Düren)", municipalities=SOUTH,
              address="Violengasse 2, 52349 Düren", phone="02421 000000", email="info@vhs-rur-eifel.example.org",
              review_in_days=150),
    DemoOffer("Integrationskurs (allgemein), Jülich", A.LANGUAGE,
              "Integrationskurs für den Nordkreis; Einstufungstest jeden ersten Dienstag im Monat.",
              ("de",), provider_name="VHS Jülicher Land (VHS Jülich)", municipalities=NORTH,
              address="Neusser Straße 23, 52428 Jülich", phone="02461 000000", email="info@vhs-juelich.example.org",
              review_in_days=150),
    DemoOffer("Berufssprachkurs B2 (DeuFöV)", A.WORK_TRAINING,
              "Berufsbezogene Deutschsprachförderung nach § 45a AufenthG, auch in Teilzeit neben "
              "der Arbeit; Zugang über Jobcenter oder Agentur für Arbeit.",
              ("de",), provider_name="Volkshochschule Rur-Eifel (VHS Düren)",
              address="Violengasse 2, 52349 Düren", phone="02421 000000", email="info@vhs-rur-eifel.example.org",
              eligibility_note="Zugang über das Jobcenter oder die Agentur für Arbeit.", review_in_days=200),
    DemoOffer("IQ Anerkennungs- und Qualifizierungsberatung", A.RECOGNITION,
              "Beratung zur Anerkennung ausländischer Berufs- und Studienabschlüsse, zu "
              "Ausgleichsmaßnahmen und Kosten (Anerkennungszuschuss). Termine auch online.",
              ("de", "en", "ar", "ru", "tr"), provider_name="IQ Netzwerk NRW – Anerkennungsberatung Aachen/Düren",
              phone="0241 000000", email="anerkennung@iq-nrw.example.org", website="https://iq-nrw.example.org",
              review_in_days=120),
    DemoOffer("Migrationsberatung für Erwachsene (MBE) – Caritas", A.PARTICIPATION,
              "Begleitung von Zugewanderten ab 27 Jahren in den ersten Jahren: Aufenthalt, "
              "Sprachkurs, Arbeit, Wohnen, Behörden. Offene Sprechstunde dienstags.",
              ("de", "en", "ar", "fa"), agency_key="mbe", agency_kind=K.COUNSELLING_SERVICE,
              eligibility_note="Für Zugewanderte ab 27 Jahren.", review_in_days=90),
    DemoOffer("Migrationsberatung für Erwachsene (MBE) – Diakonie", A.PARTICIPATION,
              "MBE-Beratung des Diakonischen Werks, auch im Nordkreis (Sprechstunde in Jülich).",
              ("de", "uk", "ru"), agency_key="diakonie", agency_kind=K.WELFARE_ASSOCIATION,
              eligibility_note="Für Zugewanderte ab 27 Jahren.", review_in_days=90),
    DemoOffer("Jugendmigrationsdienst (JMD)", A.EDUCATION,
              "Begleitung junger Menschen von 12 bis 27 Jahren bei Schule, Ausbildung und Beruf; "
              "Gruppenangebote und Bewerbungstraining.",
              ("de", "en", "ar", "tr"), agency_key="jmd", agency_kind=K.COUNSELLING_SERVICE,
              eligibility_note="Für junge Menschen von 12 bis 27 Jahren.", review_in_days=-15),
    DemoOffer("Psychosoziale Beratung für Geflüchtete", A.HEALTH,
              "Stabilisierende Beratung, Clearing und Vermittlung in Psychotherapie; mit "
              "Sprachmittlung. Unterliegt der Schweigepflicht (§ 203 StGB).",
              ("de", "ar", "fa", "uk"), agency_key="psych", agency_kind=K.COUNSELLING_SERVICE,
              municipalities=PSYCHOSOCIAL,
              eligibility_note="Nur für Menschen, die in der Stadt Düren, in Heimbach, Nideggen, Kreuzau, "
                               "Hürtgenwald oder Vettweiß wohnen.", review_in_days=60),
    DemoOffer("Arbeitsvermittlung für Geflüchtete (Jobcenter)", A.WORK_TRAINING,
              "Integrationsfachkräfte für Geflüchtete: Beratung zu Arbeit, Ausbildung und "
              "Förderung nach SGB II (Eingliederungsvereinbarung, Kooperationsplan).",
              ("de", "en", "ar"), agency_key="jobcom", agency_kind=K.JOB_CENTRE,
              target_groups=(S.PROTECTION, S.TEMPORARY_PROTECTION),
              eligibility_note="Für Geflüchtete, die Bürgergeld vom Jobcenter bekommen.", review_in_days=240),
    DemoOffer("Welcome Center: Orientierung für internationale Fachkräfte", A.WORK_TRAINING,
              "Erste Anlaufstelle für zugewanderte Fachkräfte und Arbeitgeber: Aufenthalt, "
              "Anerkennung, Jobsuche, Ankommen in der Region.",
              ("de", "en"), agency_key="welcome", agency_kind=K.WELCOME_CENTER,
              target_groups=(S.SKILLED_WORKER_STUDENT,), review_in_days=180),
    DemoOffer("Wohnraumberatung und Hilfe bei der Wohnungssuche", A.HOUSING,
              "Unterstützung bei Wohnungssuche, Mietvertrag, Wohnberechtigungsschein und "
              "Konflikten mit Vermietern; Auszug aus der Gemeinschaftsunterkunft.",
              ("de", "ar", "uk"), agency_key="awo", agency_kind=K.WELFARE_ASSOCIATION, review_in_days=240),
    DemoOffer("Seiteneinstiegsberatung Schule und Kita", A.EDUCATION,
              "Beratung neu zugewanderter Familien zu Schulplatz, Kita-Platz und "
              "Bildungsangeboten; Vermittlung in Sprachfördergruppen.",
              ("de", "en", "ar", "uk"), agency_key="ki", agency_kind=K.INTEGRATION_CENTRE,
              eligibility_note="Für neu zugewanderte Familien mit Kindern im Schul- oder Kita-Alter.",
              review_in_days=100),
    DemoOffer("Schuldner- und Insolvenzberatung", A.LIVELIHOOD,
              "Beratung bei Schulden, Pfändungsschutzkonto und Haushaltsplanung.",
              ("de", "en"), agency_key="caritas", agency_kind=K.WELFARE_ASSOCIATION, review_in_days=-45),
]


def _provider(district: District, spec: DemoOffer) -> Agency | None:
    agencies = Agency.objects.filter(district=district, is_active=True)
    if spec.agency_key:
        found = agencies.filter(name=_AGENCY_NAMES.get(spec.agency_key, "")).first()
        if found is not None:
            return found
    if spec.agency_kind:
        return agencies.filter(kind=spec.agency_kind, parent__isnull=True).order_by("name").first()
    return None


@transaction.atomic
def seed_demo_offers(district: District, *, today: datetime.date | None = None) -> int:
    """Create the demo offers of the district that do not exist yet (by name); return how many
    were created. Idempotent."""
    today = today or timezone.localdate()
    created = 0
    for spec in DEMO_OFFERS:
        if Offer.objects.filter(district=district, name=spec.name).exists():
            continue
        provider = _provider(district, spec)
        offer = Offer.objects.create(
            district=district, name=spec.name, life_area=spec.life_area, description=spec.description,
            provider_agency=provider,
            provider_name="" if provider else (spec.provider_name or _AGENCY_NAMES.get(spec.agency_key, "")),
            languages=list(spec.languages),
            address=spec.address if not provider else (
                f"{provider.street}, {provider.postal_code} {provider.city}".strip(", ")),
            phone=spec.phone or (provider.phone if provider else ""),
            email=spec.email or (provider.email if provider else ""),
            website=spec.website, target_groups=[str(group) for group in spec.target_groups],
            eligibility_note=spec.eligibility_note, review_due=today + datetime.timedelta(days=spec.review_in_days),
        )
        if spec.municipalities:
            offer.municipalities.set(Municipality.objects.filter(district=district, name__in=spec.municipalities))
        created += 1
    return created
