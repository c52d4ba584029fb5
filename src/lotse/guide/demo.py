"""Demo content of the newcomers' guide for Kreis Düren, loaded by `lotse seed`: office profiles
of the public agencies, the five welcome counsellors (one fixed contact person per
municipality, seed 000), the guide's text pages, and draft translations of all of them.

Demo values, not the offices' real ones: opening hours, office hours and languages spoken are
plausible inventions; the counsellors are fictitious persons (any resemblance to real people is
coincidental), their phone numbers are fictitious (000000) and e-mail and web addresses use
example.org. Review dates are relative to the day of seeding: most lie ahead, a few have passed
so that the "past review date" list has entries.

The German texts below are the source. Each has a stable name (`office.abh.description`,
`hours.kreishaus`, `step.registration.title` …) under which `demo_translations` keeps its
translations; a few are templates filled per municipality (`{place}`, `{of_place}`) or with a
list of municipalities (`{places}`).
"""

import datetime
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from lotse.guide.demo_translations import (
    MISSING_ON_PURPOSE,
    OUTDATED_ON_PURPOSE,
    TRANSLATIONS,
    join_places,
)
from lotse.guide.languages import GUIDE_LANGUAGES, SOURCE_LANGUAGE, TRANSLATED_LANGUAGES
from lotse.guide.models import GuideText, OfficeProfile, Translation, TranslationStatus, WelcomeCounsellor
from lotse.guide.translation import source_hash
from lotse.offers.demo import NORTH, PSYCHOSOCIAL
from lotse.organisations.kreis_dueren import (
    DISTRICT_AGENCIES,
    INTERPRETERS,
    MUNICIPALITIES,
    MunicipalitySpec,
    municipal_agencies,
    slug,
)
from lotse.organisations.models import Agency, District, Municipality
from lotse.rules.reference import FIRST_STEPS

# --- German source texts, by stable name ------------------------------------------------------
OFFICE_TEXTS: dict[str, str] = {
    "office.abh.description":
        "Die Ausländerbehörde des Kreises Düren ist für Ihren Aufenthalt zuständig. Sie stellt "
        "Aufenthaltstitel aus, verlängert sie und stellt die Berechtigung für den Integrationskurs aus.",
    "office.abh-juelich.description":
        "Die Nebenstelle Jülich der Ausländerbehörde ist für Menschen aus {places} zuständig. Sie "
        "stellt Aufenthaltstitel aus und verlängert sie.",
    "office.jobcom.description":
        "Die job-com ist das Jobcenter des Kreises Düren. Sie zahlt Bürgergeld und hilft bei der "
        "Suche nach Arbeit, Ausbildung und Sprachkursen.",
    "office.jobcom-juelich.description":
        "Die Geschäftsstelle Jülich der job-com ist für Menschen aus {places} zuständig. Sie zahlt "
        "Bürgergeld und hilft bei der Suche nach Arbeit.",
    "office.ki.description":
        "Das Kommunale Integrationszentrum berät neu zugewanderte Familien zu Schule und Bildung und "
        "zur Anerkennung von Berufsabschlüssen. Es koordiniert die Willkommensberatung im Kreis.",
    "office.welcome.description":
        "Das Welcome Center ist die erste Anlaufstelle für internationale Fachkräfte, Studierende und "
        "ihre Arbeitgeber. Es hilft bei Aufenthalt, Anerkennung, Arbeitssuche und Wohnungssuche.",
    "office.einbuergerung.description":
        "Die Einbürgerungsbehörde berät Sie, wann und wie Sie die deutsche Staatsangehörigkeit "
        "bekommen können. Hier stellen Sie den Antrag auf Einbürgerung.",
    "office.welfare.description":
        "Willkommensberatung für {places}: Eine feste Ansprechperson hilft Ihnen bei den ersten "
        "Schritten, egal mit welchem Aufenthaltsstatus. Die Beratung ist kostenlos.",
    "office.mbe.description":
        "Die Migrationsberatung für Erwachsene (MBE) begleitet Zugewanderte ab 27 Jahren in den "
        "ersten Jahren: bei Aufenthalt, Sprachkurs, Arbeit und Wohnen.",
    "office.jmd.description":
        "Der Jugendmigrationsdienst (JMD) begleitet junge Menschen von 12 bis 27 Jahren bei Schule, "
        "Ausbildung und Beruf.",
    "office.psych.description":
        "Die Psychosoziale Beratung hilft geflüchteten Menschen in Krisen und nach schweren "
        "Erlebnissen und vermittelt in Therapie. Das Angebot gilt für Menschen aus {places}.",
    "office.sozialamt.description":
        "Das Sozialamt {of_place} zahlt Leistungen nach dem Asylbewerberleistungsgesetz und gibt die "
        "Gesundheitskarte oder den Behandlungsschein aus. Es ist auch für die Unterbringung zuständig.",
    "office.buergerbuero.description":
        "Im Bürgerbüro {of_place} melden Sie Ihre Wohnung an und bekommen die Meldebescheinigung. "
        "Melden Sie sich innerhalb von zwei Wochen nach dem Einzug an.",
}

HOURS: dict[str, str] = {
    "hours.abh": "Mo–Fr 8:00–12:00; Mo, Di und Do auch 13:30–15:30. Bitte vereinbaren Sie vorher "
                 "einen Termin.",
    "hours.abh-juelich": "Di und Do 8:30–12:00; Do auch 13:30–16:00. Bitte vereinbaren Sie vorher "
                         "einen Termin.",
    "hours.jobcom": "Mo–Fr 8:00–12:30, Do auch 14:00–17:00",
    "hours.jobcom-juelich": "Mo–Fr 8:00–12:30",
    "hours.kreishaus": "Mo–Do 8:00–16:00, Fr 8:00–13:00",
    "hours.welcome": "Mo–Do 8:00–16:00, Fr 8:00–13:00; Beratung auch abends nach Vereinbarung",
    "hours.buergerbuero-dueren": "Mo–Fr 7:30–12:30, Do auch 14:00–18:00; Sa 9:00–12:00 nur mit Termin",
    "hours.buergerbuero-juelich": "Mo–Fr 8:00–12:00, Di 14:00–16:00, Do 14:00–18:00",
    "hours.town-a": "Mo–Fr 8:00–12:00, Do auch 14:00–17:30",
    "hours.town-b": "Mo, Di, Do und Fr 8:00–12:00, Mi 14:00–18:00",
    "hours.social-a": "Mo–Fr 8:30–12:00, Do auch 14:00–16:00",
    "hours.social-b": "Mo, Di und Do 8:00–12:00 und nach Vereinbarung",
    "hours.association": "Mo–Do 9:00–16:00, Fr 9:00–12:00 und nach Vereinbarung",
    "hours.counselling": "Termine nach Vereinbarung; offene Sprechstunde Di 10:00–12:00",
}

COUNSELLOR_HOURS: dict[str, str] = {
    "counsellor.awo.office_hours":
        "Di 9:00–12:00 im Rathaus Jülich, Mi 14:00–16:00 im Rathaus Linnich, Do 9:00–11:00 im "
        "Rathaus Titz; sonst nach Vereinbarung.",
    "counsellor.caritas.office_hours":
        "Mo 9:00–12:00 im Rathaus Aldenhoven, Mi 9:00–12:00 im Rathaus Niederzier, Do 14:00–16:00 "
        "im Rathaus Inden; sonst nach Vereinbarung.",
    "counsellor.paritaet.office_hours":
        "Mo–Do 9:00–12:00 im Büro des Paritätischen, Friedrichstraße 27; Di auch 14:00–17:00 offene "
        "Sprechstunde; sonst nach Vereinbarung.",
    "counsellor.diakonie.office_hours":
        "Mo 9:00–12:00 im Rathaus Kreuzau, Di 9:00–11:00 im Rathaus Nideggen, Mi 14:00–16:00 im "
        "Rathaus Hürtgenwald, Do 9:00–11:00 im Rathaus Heimbach; sonst nach Vereinbarung.",
    "counsellor.drk.office_hours":
        "Mo 14:00–16:00 im Rathaus Langerwehe, Di 9:00–12:00 im Rathaus Merzenich, Mi 9:00–11:00 im "
        "Rathaus Nörvenich, Do 9:00–11:00 im Rathaus Vettweiß; sonst nach Vereinbarung.",
}


@dataclass(frozen=True)
class DemoText:
    slug: str
    order: int
    title: str
    body: str
    easy_body: str = ""   # Leichte Sprache: one short statement per line
    review_in_days: int = 180


DEMO_TEXTS: list[DemoText] = [
    DemoText(
        "welcome", 10, "Willkommen im Kreis Düren",
        "Herzlich willkommen im Kreis Düren! Dieser Wegweiser zeigt Ihnen, welche Stelle für Ihre "
        "Fragen zuständig ist. Wählen Sie Ihre Stadt oder Gemeinde und Ihre Situation. Dann sehen Sie "
        "Ihre ersten Schritte und die passenden Ämter und Beratungsstellen. In jeder Stadt und "
        "Gemeinde hilft Ihnen eine Willkommensberatung kostenlos weiter.",
        easy_body="\n".join([
            "Willkommen im Kreis Düren.",
            "Sie sind neu hier.",
            "Sie haben viele Fragen.",
            "Diese Seite hilft Ihnen.",
            "Hier steht: Welches Amt ist für Sie da?",
            "Hier steht: Was machen Sie zuerst?",
            "Wählen Sie Ihren Wohn-Ort.",
            "Wählen Sie Ihre Situation.",
            "In jedem Ort gibt es eine Willkommens-Beratung.",
            "Die Beratung hilft Ihnen.",
            "Die Beratung kostet nichts.",
        ]),
        review_in_days=200),
    DemoText(
        "welcome-counselling", 20, "Die Willkommensberatung",
        "In allen 15 Städten und Gemeinden des Kreises Düren gibt es eine Willkommensberatung. Sie "
        "wird von Wohlfahrtsverbänden angeboten: Caritas, Diakonie, AWO, DRK und Der Paritätische. "
        "Für jeden Ort gibt es eine feste Ansprechperson. Die Beratung ist kostenlos und für alle da, "
        "egal mit welchem Aufenthaltsstatus. Sie hilft bei Anträgen, begleitet Sie zu Terminen und "
        "nennt Ihnen weitere Beratungsstellen.",
        easy_body="\n".join([
            "Es gibt die Willkommens-Beratung.",
            "Die Willkommens-Beratung gibt es in jedem Ort im Kreis Düren.",
            "Für Ihren Ort gibt es eine feste Person.",
            "Die Person hilft Ihnen.",
            "Zum Beispiel bei Anträgen.",
            "Die Person geht auch mit zu Terminen.",
            "Die Beratung kostet nichts.",
            "Die Beratung ist für alle Menschen.",
            "Ihr Aufenthalts-Status ist egal.",
        ]),
        review_in_days=120),
    DemoText(
        "documents", 30, "Wichtige Dokumente",
        "Haben Sie Ihren Pass oder Ihren Aufenthaltstitel immer dabei. Bringen Sie zu jedem Termin "
        "beim Amt Ihre Dokumente mit: Pass, Aufenthaltstitel, Meldebescheinigung und die Briefe vom "
        "Amt. Machen Sie Kopien oder Fotos von allen wichtigen Papieren. Öffnen Sie Briefe vom Amt "
        "sofort, denn oft gibt es eine Frist. Wenn Sie einen Brief nicht verstehen, hilft Ihnen die "
        "Willkommensberatung.",
        review_in_days=240),
    DemoText(
        "emergency", 40, "Im Notfall",
        "Polizei: 110. Feuerwehr und Rettungsdienst: 112. Die Notrufe 110 und 112 sind kostenlos. "
        "Ärztlicher Bereitschaftsdienst, wenn die Arztpraxis geschlossen ist: 116 117. Hilfetelefon "
        "bei Gewalt gegen Frauen, rund um die Uhr und in vielen Sprachen: 116 016.",
        review_in_days=-14),
]


def source_texts() -> dict[str, str]:
    """Every German source text of the demo by stable name (templates unfilled). The
    translations in `demo_translations` use the same names."""
    texts: dict[str, str] = {}
    for key, _order, _topic, _situations, title, text, _kind, outside, *_rest in FIRST_STEPS:
        for field, value in (("title", title), ("text", text), ("outside_office", outside)):
            if value.strip():
                texts[f"step.{key}.{field}"] = value
    for spec in DEMO_TEXTS:
        texts[f"text.{spec.slug}.title"] = spec.title
        texts[f"text.{spec.slug}.body"] = spec.body
    return {**texts, **OFFICE_TEXTS, **HOURS, **COUNSELLOR_HOURS}


SOURCE = source_texts()


# --- Welcome counsellors: one post per welfare association, each municipality exactly once ---
@dataclass(frozen=True)
class DemoCounsellor:
    agency_key: str
    name: str
    municipalities: tuple[str, ...]
    address: str
    phone: str
    email: str
    languages: tuple[str, ...]
    review_in_days: int


def _town_hall(name: str) -> str:
    spec = next(m for m in MUNICIPALITIES if m.name == name)
    return f"Rathaus {name}, {spec.town_hall}, {spec.postal_codes[0]} {name}"


DEMO_COUNSELLORS: list[DemoCounsellor] = [
    # North (Jülich branches of ABH and job-com)
    DemoCounsellor("awo", "Jonas Wirtz", ("Jülich", "Linnich", "Titz"), _town_hall("Jülich"),
                   "02461 000000-11", "jonas.wirtz@awo-dueren.example.org", ("de", "en", "ru"), 210),
    DemoCounsellor("caritas", "Amina Yousef", ("Aldenhoven", "Inden", "Niederzier"), _town_hall("Aldenhoven"),
                   "02464 000000-12", "amina.yousef@caritas-dueren.example.org", ("de", "ar", "en"), 150),
    # South: the town of Düren on its own, the Rur valley and Eifel, the east
    DemoCounsellor("paritaet", "Daria Melnyk", ("Düren",), "Friedrichstraße 27, 52351 Düren",
                   "02421 000000-13", "daria.melnyk@paritaet.example.org", ("de", "uk", "ru", "en"), 90),
    DemoCounsellor("diakonie", "Reza Karimi", ("Heimbach", "Hürtgenwald", "Kreuzau", "Nideggen"),
                   _town_hall("Kreuzau"), "02422 000000-14", "reza.karimi@diakonie-juelich.example.org",
                   ("de", "fa", "en"), 300),
    DemoCounsellor("drk", "Hülya Aksoy", ("Langerwehe", "Merzenich", "Nörvenich", "Vettweiß"),
                   _town_hall("Langerwehe"), "02423 000000-15", "huelya.aksoy@drk-dueren.example.org",
                   ("de", "tr", "en"), -10),
]


# --- Office profiles ------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoProfile:
    agency_key: str
    description: str = ""    # stable name in OFFICE_TEXTS
    hours: str = ""          # stable name in HOURS
    languages: tuple[str, ...] = ("de",)
    review_in_days: int = 180
    public: bool = True
    website: str = ""
    places: tuple[str, ...] = ()   # fills `{places}`
    municipality: MunicipalitySpec | None = None   # fills `{place}` and `{of_place}`


def _interpreted(office_key: str) -> tuple[str, ...]:
    """The guide languages with interpreter hours at an office of the foreigners' authority."""
    codes = {code for _name, languages, slots in INTERPRETERS for code in languages
             if any(slot[0] == office_key for slot in slots)}
    return tuple(code for code in GUIDE_LANGUAGES if code in codes)


_KREIS_WEB = "https://www.kreis-dueren.example.org"
_WELFARE_WEB = {"caritas": "https://www.caritas-dueren.example.org",
                "diakonie": "https://www.diakonie-juelich.example.org",
                "awo": "https://www.awo-dueren.example.org", "drk": "https://www.drk-dueren.example.org",
                "paritaet": "https://www.paritaet.example.org/dueren"}
# Profiles whose review date has passed (days ago), so the content management shows some.
_OVERDUE = {"welcome": 21, "paritaet": 40, "buergerbuero-linnich": 7, "sozialamt-heimbach": 60}


def demo_profiles() -> list[DemoProfile]:
    counsellor_places = {c.agency_key: c.municipalities for c in DEMO_COUNSELLORS}
    profiles = [
        DemoProfile("abh", "office.abh.description", "hours.abh", ("de", "en", *_interpreted("abh")), 180,
                    website=f"{_KREIS_WEB}/auslaenderbehoerde"),
        DemoProfile("abh-juelich", "office.abh-juelich.description", "hours.abh-juelich",
                    ("de", "en", *_interpreted("abh-juelich")), 180, website=f"{_KREIS_WEB}/auslaenderbehoerde",
                    places=NORTH),
        DemoProfile("jobcom", "office.jobcom.description", "hours.jobcom", ("de", "en", "ar", "tr"), 240,
                    website="https://www.job-com.example.org"),
        DemoProfile("jobcom-juelich", "office.jobcom-juelich.description", "hours.jobcom-juelich",
                    ("de", "en", "ru", "uk"), 240, website="https://www.job-com.example.org", places=NORTH),
        DemoProfile("ki", "office.ki.description", "hours.kreishaus", ("de", "en", "ar", "tr", "uk"), 120,
                    website=f"{_KREIS_WEB}/integrationszentrum"),
        DemoProfile("welcome", "office.welcome.description", "hours.welcome", ("de", "en"),
                    website=f"{_KREIS_WEB}/welcome-center"),
        DemoProfile("einbuergerung", "office.einbuergerung.description", "hours.kreishaus", ("de", "en"), 300,
                    website=f"{_KREIS_WEB}/einbuergerung"),
        # Internal: the data protection office is no place newcomers go to.
        DemoProfile("kreis", public=False, review_in_days=365),
        DemoProfile("mbe", "office.mbe.description", "hours.counselling", ("de", "en", "ar", "fa"), 160),
        DemoProfile("jmd", "office.jmd.description", "hours.counselling", ("de", "en", "ar", "tr"), 160),
        DemoProfile("psych", "office.psych.description", "hours.counselling", ("de", "ar", "fa", "uk"), 100,
                    places=PSYCHOSOCIAL),
    ]
    welfare_languages = {"caritas": ("de", "en", "ar"), "diakonie": ("de", "en", "fa", "uk", "ru"),
                         "awo": ("de", "en", "ru", "ar"), "drk": ("de", "en", "tr"),
                         "paritaet": ("de", "en", "uk", "ru")}
    for index, (key, languages) in enumerate(welfare_languages.items()):
        profiles.append(DemoProfile(key, "office.welfare.description", "hours.association", languages,
                                    150 + 30 * index, website=_WELFARE_WEB[key],
                                    places=counsellor_places.get(key, ())))
    for index, spec in enumerate(MUNICIPALITIES):
        place = slug(spec.name)
        social_hours = "hours.social-a" if spec.name in ("Düren", "Jülich") or index % 2 else "hours.social-b"
        registration_hours = {"Düren": "hours.buergerbuero-dueren", "Jülich": "hours.buergerbuero-juelich"}.get(
            spec.name, "hours.town-a" if index % 2 else "hours.town-b")
        big = spec.name in ("Düren", "Jülich")
        website = f"https://www.{place}.example.org"
        profiles += [
            DemoProfile(f"sozialamt-{place}", "office.sozialamt.description", social_hours,
                        ("de", "en", "ar") if big else ("de", "en"), 60 + 17 * index, website=website,
                        municipality=spec),
            DemoProfile(f"buergerbuero-{place}", "office.buergerbuero.description", registration_hours,
                        ("de", "en", "uk") if big else ("de", "en"), 90 + 13 * index, website=website,
                        municipality=spec),
        ]
    return [replace(profile, review_in_days=-_OVERDUE[profile.agency_key])
            if profile.agency_key in _OVERDUE else profile for profile in profiles]


def _agency_names() -> dict[str, str]:
    names = {spec.key: spec.name for spec in DISTRICT_AGENCIES}
    for m_spec in MUNICIPALITIES:
        names.update({spec.key: spec.name for spec in municipal_agencies(m_spec)})
    return names


# --- Filling the templates ------------------------------------------------------------------
def _fill(template: str, language: str, *, places: tuple[str, ...] = (),
          municipality: MunicipalitySpec | None = None) -> str:
    values = {"places": join_places(places, language)}
    if municipality is not None:
        kind_word = "Stadt" if municipality.is_town else "Gemeinde"
        values.update(place=municipality.name, of_place=f"der {kind_word} {municipality.name}")
    return template.format(**values)


def _translated(name: str, language: str) -> tuple[str, str] | None:
    """(translation, German source it was made from) of a stable name in a language, or None
    where the demo leaves it missing on purpose. Outdated on purpose: a translation of the
    previous German text."""
    if name in MISSING_ON_PURPOSE.get(language, ()):
        return None
    older = OUTDATED_ON_PURPOSE.get(name)
    if older is not None and language in older[1]:
        name = older[0]
    return TRANSLATIONS[language][name], SOURCE[name]


class _Translations:
    """Collects the draft translations of one district and creates those that do not exist yet
    (by key, field and language) in one go."""

    def __init__(self, district: District):
        self.district = district
        self.rows: list[Translation] = []

    def add(self, key: str, field: str, name: str, *, shared: bool = False, **fill) -> None:
        for language in TRANSLATED_LANGUAGES:
            found = _translated(name, language)
            if found is None:
                continue
            text, german = found
            self.rows.append(Translation(
                district=None if shared else self.district, key=key, field=field, language=language,
                text=_fill(text, language, **fill), status=TranslationStatus.MACHINE_DRAFT,
                source_hash=source_hash(_fill(german, SOURCE_LANGUAGE, **fill))))

    def save(self) -> int:
        existing = set(Translation.objects.filter(key__in={row.key for row in self.rows})
                       .values_list("key", "field", "language"))
        new = [row for row in self.rows if (row.key, row.field, row.language) not in existing]
        Translation.objects.bulk_create(new, batch_size=500)
        return len(new)


# --- The seed -------------------------------------------------------------------------------
@transaction.atomic
def seed_demo_guide(district: District, *, today: datetime.date | None = None) -> int:
    """Create the demo guide content of Kreis Düren that does not exist yet: office profiles,
    welcome counsellors, text pages and their draft translations. Agencies missing from the
    district are skipped. Idempotent; returns how many rows were created."""
    today = today or timezone.localdate()
    days = datetime.timedelta
    translations = _Translations(district)
    created = 0

    names = _agency_names()
    agencies = {a.name: a for a in Agency.objects.filter(district=district)}
    for spec in demo_profiles():
        agency = agencies.get(names.get(spec.agency_key, ""))
        if agency is None:
            continue
        fill = {"places": spec.places, "municipality": spec.municipality}
        profile, made = OfficeProfile.objects.get_or_create(agency=agency, defaults={
            "public": spec.public,
            "description": _fill(OFFICE_TEXTS[spec.description], SOURCE_LANGUAGE, **fill) if spec.description else "",
            "opening_hours": HOURS[spec.hours] if spec.hours else "",
            "website": spec.website, "languages": list(spec.languages),
            "review_due": today + days(spec.review_in_days)})
        created += made
        if spec.public and spec.description:
            translations.add(profile.translation_key, "description", spec.description, **fill)
        if spec.public and spec.hours:
            translations.add(profile.translation_key, "opening_hours", spec.hours)

    municipalities = {m.name: m for m in Municipality.objects.filter(district=district)}
    for spec in DEMO_COUNSELLORS:
        association = agencies.get(names[spec.agency_key])
        if association is None:
            continue
        counsellor, made = WelcomeCounsellor.objects.get_or_create(
            district=district, agency=association, name=spec.name, defaults={
                "address": spec.address, "phone": spec.phone, "email": spec.email,
                "office_hours": COUNSELLOR_HOURS[f"counsellor.{spec.agency_key}.office_hours"],
                "languages": list(spec.languages), "review_due": today + days(spec.review_in_days)})
        if made:
            counsellor.municipalities.set([municipalities[name] for name in spec.municipalities
                                           if name in municipalities])
            created += 1
        translations.add(counsellor.translation_key, "office_hours", f"counsellor.{spec.agency_key}.office_hours")

    for spec in DEMO_TEXTS:
        text, made = GuideText.objects.get_or_create(district=district, slug=spec.slug, defaults={
            "order": spec.order, "title": spec.title, "body": spec.body, "easy_body": spec.easy_body,
            "review_due": today + days(spec.review_in_days)})
        created += made
        for field in ("title", "body"):
            translations.add(text.translation_key, field, f"text.{spec.slug}.{field}")

    # First steps are rule data shared by all districts: their translations too.
    for key, *_rest in FIRST_STEPS:
        for field in ("title", "text", "outside_office"):
            if f"step.{key}.{field}" in SOURCE:
                translations.add(f"step:{key}", field, f"step.{key}.{field}", shared=True)
    return created + translations.save()
