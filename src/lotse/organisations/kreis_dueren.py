"""Reference data of the demo district Kreis Düren (and a rough list of the NRW districts for
the state-scale load test).

Sources: /work/shared/domain-rules.md §6 (populations, towns). The official municipality keys
(Amtlicher Gemeindeschlüssel, 05358xxx) are given from memory and should be checked against
IT.NRW before any productive use. Street addresses other than the Kreishaus (Bismarckstraße 16,
52351 Düren) are approximate; all phone numbers are fictitious switchboard numbers
("… 0" / "… 22-0") and e-mail addresses use the reserved domain example.org.

Nothing here is personal data. The named demo persons live in `DEMO_PERSONS` below; they are
invented, any resemblance to real people is coincidental.
"""

import hashlib
from dataclasses import dataclass

from lotse.organisations.models import AgencyKind as K

DISTRICT = {"name": "Kreis Düren", "code": "05358", "state": "NW"}

KREISHAUS = {"street": "Bismarckstraße 16", "postal_code": "52351", "city": "Düren",
             "phone": "02421 22-0"}


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    code: str          # Amtlicher Gemeindeschlüssel (from memory, approximate)
    population: int    # as given in domain-rules.md §6 (dates differ, see there)
    is_town: bool
    postal_codes: tuple[str, ...]
    town_hall: str     # approximate street address of the town hall
    area_code: str     # telephone area code (Vorwahl)
    north: bool = False  # served by the Jülich branches of ABH and job-com


MUNICIPALITIES: list[MunicipalitySpec] = [
    MunicipalitySpec("Aldenhoven", "05358004", 13_745, False, ("52457",),
                     "Dietrich-Mülfahrt-Straße 11", "02464", north=True),
    MunicipalitySpec("Düren", "05358008", 93_323, True, ("52349", "52351", "52353", "52355"),
                     "Kaiserplatz 2", "02421"),
    MunicipalitySpec("Heimbach", "05358012", 4_397, True, ("52396",), "Hengebachstraße 14",
                     "02446"),
    MunicipalitySpec("Hürtgenwald", "05358016", 8_647, False, ("52393",),
                     "August-Scholl-Straße 5", "02429"),
    MunicipalitySpec("Inden", "05358020", 6_935, False, ("52459",), "Rathausstraße 1", "02465",
                     north=True),
    MunicipalitySpec("Jülich", "05358024", 33_158, True, ("52428",), "Große Rurstraße 17",
                     "02461", north=True),
    MunicipalitySpec("Kreuzau", "05358028", 17_196, False, ("52372",), "Bahnhofstraße 7", "02422"),
    MunicipalitySpec("Langerwehe", "05358032", 13_410, False, ("52379",),
                     "Schönthaler Straße 4", "02423"),
    MunicipalitySpec("Linnich", "05358036", 12_665, True, ("52441",), "Rurdorfer Straße 64",
                     "02462", north=True),
    MunicipalitySpec("Merzenich", "05358040", 9_842, False, ("52399",), "Valdersweg 1", "02421"),
    MunicipalitySpec("Nideggen", "05358044", 9_860, True, ("52385",), "Zülpicher Straße 1",
                     "02427"),
    MunicipalitySpec("Niederzier", "05358048", 13_672, False, ("52382",), "Rathausstraße 8",
                     "02428", north=True),
    MunicipalitySpec("Nörvenich", "05358052", 10_466, False, ("52388",), "Bahnhofstraße 25",
                     "02426"),
    MunicipalitySpec("Titz", "05358056", 8_260, False, ("52445",), "Landstraße 4", "02463",
                     north=True),
    MunicipalitySpec("Vettweiß", "05358060", 9_903, False, ("52391",), "Gereonstraße 14", "02424"),
]


@dataclass(frozen=True)
class AgencySpec:
    key: str
    kind: str
    name: str
    short_name: str = ""
    municipality: str | None = None     # name of the municipality it serves
    parent: str | None = None           # key of the main office
    secrecy: bool = False               # bound by professional secrecy (§ 203 StGB)
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""


def _kreishaus(**kwargs) -> dict:
    return {**KREISHAUS, **kwargs}


DISTRICT_AGENCIES: list[AgencySpec] = [
    AgencySpec("abh", K.FOREIGNERS_AUTHORITY, "Ausländerbehörde Kreis Düren", "ABH Düren",
               **_kreishaus(email="auslaenderbehoerde@kreis-dueren.example.org")),
    AgencySpec("abh-juelich", K.FOREIGNERS_AUTHORITY,
               "Ausländerbehörde Kreis Düren – Nebenstelle Jülich", "ABH Jülich",
               parent="abh", street="Große Rurstraße 17", postal_code="52428", city="Jülich",
               phone="02461 63-0", email="abh-juelich@kreis-dueren.example.org"),
    AgencySpec("jobcom", K.JOB_CENTRE, "job-com Kreis Düren (Jobcenter)", "job-com",
               street="Bismarckstraße 10", postal_code="52351", city="Düren",
               phone="02421 12345-0", email="info@job-com.example.org"),
    AgencySpec("jobcom-juelich", K.JOB_CENTRE, "job-com – Geschäftsstelle Jülich",
               "job-com Jülich", parent="jobcom", street="Kölnstraße 5", postal_code="52428",
               city="Jülich", phone="02461 12345-0", email="juelich@job-com.example.org"),
    AgencySpec("ki", K.INTEGRATION_CENTRE, "Kommunales Integrationszentrum Kreis Düren", "KI Düren",
               **_kreishaus(email="ki@kreis-dueren.example.org")),
    AgencySpec("welcome", K.WELCOME_CENTER, "Welcome Center Kreis Düren", "Welcome Center",
               **_kreishaus(email="welcome@kreis-dueren.example.org")),
    AgencySpec("einbuergerung", K.NATURALISATION_OFFICE, "Einbürgerungsbehörde Kreis Düren",
               "Einbürgerung", **_kreishaus(email="einbuergerung@kreis-dueren.example.org")),
    AgencySpec("kreis", K.DISTRICT_ADMINISTRATION, "Kreisverwaltung Düren – Datenschutz",
               "Kreisverwaltung", **_kreishaus(email="datenschutz@kreis-dueren.example.org")),
    # Welfare associations (the five KIM partners named in the seeds; addresses approximate)
    AgencySpec("caritas", K.WELFARE_ASSOCIATION,
               "Caritasverband für die Region Düren-Jülich", "Caritas",
               street="Kurfürstenstraße 10", postal_code="52351", city="Düren",
               phone="02421 481-0", email="kim@caritas-dueren.example.org"),
    AgencySpec("diakonie", K.WELFARE_ASSOCIATION,
               "Diakonisches Werk des Kirchenkreises Jülich", "Diakonie",
               street="Wilhelm-Wester-Weg 1", postal_code="52349", city="Düren",
               phone="02421 188-0", email="kim@diakonie-juelich.example.org"),
    AgencySpec("awo", K.WELFARE_ASSOCIATION, "AWO Kreisverband Düren", "AWO",
               street="Weierstraße 21", postal_code="52349", city="Düren",
               phone="02421 9403-0", email="willkommen@awo-dueren.example.org"),
    AgencySpec("drk", K.WELFARE_ASSOCIATION, "DRK Kreisverband Düren", "DRK",
               street="Zehnthofstraße 70", postal_code="52349", city="Düren",
               phone="02421 9474-0", email="migration@drk-dueren.example.org"),
    AgencySpec("paritaet", K.WELFARE_ASSOCIATION, "Der Paritätische Düren", "Paritätische",
               street="Friedrichstraße 27", postal_code="52351", city="Düren",
               phone="02421 2869-0", email="dueren@paritaet.example.org"),
    # Counselling services (bound by professional secrecy)
    AgencySpec("mbe", K.COUNSELLING_SERVICE, "Migrationsberatung für Erwachsene (MBE)", "MBE",
               secrecy=True, street="Kurfürstenstraße 10", postal_code="52351", city="Düren",
               phone="02421 481-200", email="mbe@caritas-dueren.example.org"),
    AgencySpec("jmd", K.COUNSELLING_SERVICE, "Jugendmigrationsdienst (JMD)", "JMD",
               secrecy=True, street="Wilhelm-Wester-Weg 1", postal_code="52349", city="Düren",
               phone="02421 188-300", email="jmd@diakonie-juelich.example.org"),
    AgencySpec("psych", K.COUNSELLING_SERVICE, "Psychosoziale Beratung für Geflüchtete",
               "Psychosoziale Beratung", secrecy=True, street="Weierstraße 21",
               postal_code="52349", city="Düren", phone="02421 9403-400",
               email="psb@awo-dueren.example.org"),
]


# Only residents of these may use the psychosocial counselling (seed 001).
PSYCHOSOCIAL_COUNSELLING_MUNICIPALITIES = ("Düren", "Heimbach", "Hürtgenwald", "Kreuzau", "Nideggen", "Vettweiß")


_UMLAUTS = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss", " ": "-"})


def slug(name: str) -> str:
    return name.lower().translate(_UMLAUTS)


def municipal_agencies(spec: MunicipalitySpec) -> list[AgencySpec]:
    """The social office and the registration office (Bürgerbüro) of one municipality."""
    slug_ = slug(spec.name)
    where = {"street": spec.town_hall, "postal_code": spec.postal_codes[0], "city": spec.name}
    kind_word = "Stadt" if spec.is_town else "Gemeinde"
    return [
        AgencySpec(f"sozialamt-{slug_}", K.SOCIAL_OFFICE, f"Sozialamt {kind_word} {spec.name}",
                   f"Sozialamt {spec.name}", municipality=spec.name,
                   phone=f"{spec.area_code} 100-0", email=f"sozialamt@{slug_}.example.org",
                   **where),
        AgencySpec(f"buergerbuero-{slug_}", K.REGISTRATION_OFFICE,
                   f"Bürgerbüro {kind_word} {spec.name}", f"Bürgerbüro {spec.name}",
                   municipality=spec.name, phone=f"{spec.area_code} 100-1",
                   email=f"buergerbuero@{slug_}.example.org", **where),
    ]


# Demo staff users: one per reference role. The password is shared and for demos only.
DEMO_PASSWORD = "Lotse-Demo-2026!"  # noqa: S105 - documented demo credential, never for production
DEMO_TOTP_DEVICE_NAME = "Demo-Authenticator"


def demo_totp_key(username: str) -> str:
    """The fixed, publicly known hex TOTP key of a demo user (40 hex digits = 20 bytes), so
    `lotse demo_logins` can show the current code. Demo only: anyone can compute it."""
    digest = hashlib.sha1(f"lotse-demo-{username}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:40]


# username, role code, agency key, first name, last name, focus area
DEMO_USERS: list[tuple[str, str, str, str, str, str]] = [
    ("fallmanagement", "case_manager", "caritas", "Miriam", "Schmitz", "labour_market"),
    ("willkommen", "welcome_counsellor", "awo", "Jonas", "Wirtz", "welcome"),
    ("psychosozial", "psychosocial_counsellor", "psych", "Leyla", "Demir", "psychosocial"),
    ("abh", "abh_caseworker", "abh", "Thomas", "Hermanns", ""),
    ("sozialamt", "social_office_caseworker", "sozialamt-dueren", "Sabine", "Küpper", ""),
    ("sozialamt-juelich", "social_office_caseworker", "sozialamt-juelich", "Markus", "Esser", ""),
    ("sozialamt-leitung", "social_office_lead", "sozialamt-dueren", "Birgit", "Schumacher", ""),
    ("jobcenter", "jobcentre_caseworker", "jobcom", "Katrin", "Jansen", ""),
    ("melde", "registration_clerk", "buergerbuero-dueren", "Peter", "Lennartz", ""),
    ("teamleitung", "team_lead", "caritas", "Andrea", "Hoffmann", ""),
    ("koordination", "coordinator", "ki", "Stefanie", "Braun", ""),
    ("uebersetzung", "translator", "ki", "Rania", "Haddad", ""),
    ("lenkungsgruppe", "steering_member", "kreis", "Gerd", "Mommertz", ""),
    ("datenschutz", "data_protection_officer", "kreis", "Michael", "Offermann", ""),
    ("admin", "administrator", "kreis", "Julia", "Krings", ""),
]


# --- State scale: the 53 districts of North Rhine-Westphalia -------------------------------
# (name, district code, approximate inhabitants in thousands, a few municipalities).
# Kreisfreie Städte are their own single municipality. Codes of the districts are the official
# ones as far as remembered; municipality codes below district level are generated
# (district code + running number) and NOT official.
NRW_DISTRICTS: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("Düsseldorf", "05111", 630, ()),
    ("Duisburg", "05112", 500, ()),
    ("Essen", "05113", 580, ()),
    ("Krefeld", "05114", 227, ()),
    ("Mönchengladbach", "05116", 262, ()),
    ("Mülheim an der Ruhr", "05117", 172, ()),
    ("Oberhausen", "05119", 210, ()),
    ("Remscheid", "05120", 113, ()),
    ("Solingen", "05122", 160, ()),
    ("Wuppertal", "05124", 358, ()),
    ("Kreis Kleve", "05154", 316, ("Kleve", "Goch", "Emmerich am Rhein", "Geldern", "Kevelaer")),
    ("Kreis Mettmann", "05158", 485, ("Ratingen", "Velbert", "Mettmann", "Hilden", "Langenfeld")),
    ("Rhein-Kreis Neuss", "05162", 452, ("Neuss", "Grevenbroich", "Dormagen", "Meerbusch",
                                         "Kaarst")),
    ("Kreis Viersen", "05166", 300, ("Viersen", "Nettetal", "Willich", "Kempen")),
    ("Kreis Wesel", "05170", 460, ("Wesel", "Moers", "Dinslaken", "Kamp-Lintfort", "Voerde")),
    ("Bonn", "05314", 335, ()),
    ("Köln", "05315", 1085, ()),
    ("Leverkusen", "05316", 167, ()),
    ("Städteregion Aachen", "05334", 557, ("Aachen", "Eschweiler", "Stolberg", "Alsdorf",
                                           "Herzogenrath", "Würselen")),
    # Kreis Düren keeps its 15 municipalities (MUNICIPALITIES above).
    ("Kreis Düren", "05358", 273, ()),
    ("Rhein-Erft-Kreis", "05362", 473, ("Kerpen", "Bergheim", "Hürth", "Frechen", "Pulheim",
                                        "Erftstadt")),
    ("Kreis Euskirchen", "05366", 195, ("Euskirchen", "Mechernich", "Zülpich", "Schleiden")),
    ("Kreis Heinsberg", "05370", 256, ("Heinsberg", "Erkelenz", "Geilenkirchen", "Hückelhoven")),
    ("Oberbergischer Kreis", "05374", 272, ("Gummersbach", "Wiehl", "Radevormwald",
                                            "Bergneustadt")),
    ("Rheinisch-Bergischer Kreis", "05378", 285, ("Bergisch Gladbach", "Leichlingen",
                                                  "Wermelskirchen", "Overath")),
    ("Rhein-Sieg-Kreis", "05382", 605, ("Siegburg", "Troisdorf", "Sankt Augustin", "Bornheim",
                                        "Hennef")),
    ("Bottrop", "05512", 117, ()),
    ("Gelsenkirchen", "05513", 263, ()),
    ("Münster", "05515", 320, ()),
    ("Kreis Borken", "05554", 372, ("Borken", "Bocholt", "Ahaus", "Gronau")),
    ("Kreis Coesfeld", "05558", 222, ("Coesfeld", "Dülmen", "Lüdinghausen")),
    ("Kreis Recklinghausen", "05562", 615, ("Recklinghausen", "Marl", "Dorsten", "Gladbeck",
                                            "Castrop-Rauxel", "Herten")),
    ("Kreis Steinfurt", "05566", 452, ("Rheine", "Ibbenbüren", "Greven", "Emsdetten",
                                       "Steinfurt")),
    ("Kreis Warendorf", "05570", 280, ("Warendorf", "Ahlen", "Beckum", "Oelde")),
    ("Bielefeld", "05711", 338, ()),
    ("Kreis Gütersloh", "05754", 368, ("Gütersloh", "Rheda-Wiedenbrück", "Verl", "Halle")),
    ("Kreis Herford", "05758", 251, ("Herford", "Bünde", "Löhne")),
    ("Kreis Höxter", "05762", 141, ("Höxter", "Bad Driburg", "Warburg")),
    ("Kreis Lippe", "05766", 349, ("Detmold", "Lemgo", "Bad Salzuflen", "Lage")),
    ("Kreis Minden-Lübbecke", "05770", 311, ("Minden", "Bad Oeynhausen", "Lübbecke",
                                             "Porta Westfalica")),
    ("Kreis Paderborn", "05774", 311, ("Paderborn", "Delbrück", "Bad Lippspringe",
                                       "Salzkotten")),
    ("Bochum", "05911", 365, ()),
    ("Dortmund", "05913", 595, ()),
    ("Hagen", "05914", 190, ()),
    ("Hamm", "05915", 180, ()),
    ("Herne", "05916", 157, ()),
    ("Ennepe-Ruhr-Kreis", "05954", 325, ("Witten", "Hattingen", "Schwelm", "Gevelsberg")),
    ("Hochsauerlandkreis", "05958", 260, ("Arnsberg", "Meschede", "Sundern", "Brilon")),
    ("Märkischer Kreis", "05962", 410, ("Iserlohn", "Lüdenscheid", "Menden", "Plettenberg")),
    ("Kreis Olpe", "05966", 134, ("Olpe", "Attendorn", "Lennestadt")),
    ("Kreis Siegen-Wittgenstein", "05970", 276, ("Siegen", "Kreuztal", "Netphen",
                                                  "Bad Berleburg")),
    ("Kreis Soest", "05974", 303, ("Soest", "Lippstadt", "Werl", "Warstein")),
    ("Kreis Unna", "05978", 395, ("Unna", "Lünen", "Kamen", "Schwerte", "Bergkamen")),
]
DUEREN_WEIGHT = next(w for _name, code, w, _towns in NRW_DISTRICTS if code == DISTRICT["code"])


# --- eAT appointments of the foreigners' authority (issue 5) ---------------------------------
# Offices, hours, counters and interpreter hours are plausible demo values, not the authority's
# real ones; travel minutes by public transport are rough estimates from the map.

ABH_OFFICES = [
    # (agency key, name, municipality, street, postal code, city, phone,
    #  [(weekdays, opens, closes, counters)])
    ("abh", "Ausländerbehörde Düren (Kreishaus)", "Düren", "Bismarckstraße 16", "52351", "Düren",
     "02421 22-0", [((0, 1, 2, 3, 4), "08:00", "12:00", 4), ((0, 1, 3), "13:30", "15:30", 3)]),
    ("abh-juelich", "Ausländerbehörde Nebenstelle Jülich", "Jülich", "Große Rurstraße 17", "52428",
     "Jülich", "02461 63-0", [((1, 3), "08:30", "12:00", 2), ((3,), "13:30", "16:00", 1)]),
]

APPOINTMENT_MINUTES = {"first_application": 30, "renewal": 20, "family": 20}

INTERPRETERS = [
    # (name, languages, [(office agency key, weekday, starts, ends)])
    ("Sprachmittlung Arabisch (Vertragsdolmetscher)", ["ar"],
     [("abh", 0, "08:00", "12:00"), ("abh", 2, "08:00", "12:00"), ("abh-juelich", 1, "08:30", "12:00")]),
    ("Sprachmittlung Farsi/Dari", ["fa", "prs"], [("abh", 1, "08:00", "12:00"), ("abh", 1, "13:30", "15:30")]),
    ("Sprachmittlung Ukrainisch/Russisch", ["uk", "ru"],
     [("abh", 3, "08:00", "12:00"), ("abh-juelich", 3, "08:30", "12:00")]),
    ("Sprachmittlung Türkisch", ["tr"], [("abh", 4, "08:00", "12:00")]),
    ("Sprachmittlung Kurdisch", ["ku"], [("abh", 2, "08:00", "12:00")]),
    ("Sprachmittlung Tigrinya", ["ti"], [("abh", 0, "13:30", "15:30")]),
]

# Minutes by public transport from each municipality to (Düren, Jülich).
TRAVEL_MINUTES = {
    "Aldenhoven": (40, 20), "Düren": (10, 35), "Heimbach": (50, 80), "Hürtgenwald": (35, 60),
    "Inden": (30, 25), "Jülich": (35, 10), "Kreuzau": (20, 50), "Langerwehe": (20, 45),
    "Linnich": (55, 20), "Merzenich": (15, 40), "Nideggen": (35, 65), "Niederzier": (25, 25),
    "Nörvenich": (25, 50), "Titz": (50, 20), "Vettweiß": (30, 55),
}
