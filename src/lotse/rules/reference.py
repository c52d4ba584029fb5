"""Reference rule data shipped with Lotse (dated, with legal references and open questions).

Loaded by `lotse load_reference_data`; administrators correct or extend it as data.
"""

import datetime

from lotse.core.vocabulary import DataCategory as C
from lotse.core.vocabulary import Purpose as P
from lotse.organisations.models import AgencyKind as K

D = datetime.date

ACCESS_RULES = [
    {
        "key": "abh-to-social-office-residence",
        "kind": "statutory", "source_kind": K.FOREIGNERS_AUTHORITY,
        "recipient_kind": K.SOCIAL_OFFICE, "categories": [C.IDENTITY, C.RESIDENCE],
        "purposes": [P.BENEFITS_ADMINISTRATION, P.BENEFITS_HANDOVER],
        "scope": "same_municipality", "read_only": True,
        "legal_reference": "§ 90 Abs. 3 AufenthG, § 87 AufenthG; § 9 AsylbLG",
        "description": "Social offices read the residence data of the foreigners' authority for "
                       "persons of their municipality (read-only), as agreed in Kreis Düren.",
        "source_note": "Seed 000: 'Sozialämter können in die Software der ABH einsehen'. Exact "
                       "legal basis to be confirmed by the district's data-protection officer.",
        "valid_from": D(2005, 1, 1),
    },
    {
        "key": "secrecy-to-abh-blocked",
        "kind": "blocked", "source_kind": "", "source_professional_secrecy": True,
        "recipient_kind": K.FOREIGNERS_AUTHORITY,
        "categories": [C.COUNSELLING_NOTES, C.HEALTH], "purposes": [],
        "scope": "district",
        "legal_reference": "§ 88 Abs. 2 AufenthG i. V. m. § 203 StGB",
        "description": "Data that professionals bound by secrecy (§ 203 StGB) learned in "
                       "counselling does not flow to the foreigners' authority.",
        "source_note": "security-notes.md §'Consent is not the only legal basis'.",
        "valid_from": D(2005, 1, 1),
    },
    {
        "key": "dpo-identity-for-data-subject-requests",
        "kind": "statutory", "source_kind": "",
        "recipient_kind": K.DISTRICT_ADMINISTRATION, "categories": [C.IDENTITY],
        "purposes": [P.DATA_PROTECTION], "scope": "district",
        "legal_reference": "Art. 15, 38, 39 DSGVO",
        "description": "The district's data-protection officer identifies persons to answer "
                       "their requests (who saw my data) and to supervise processing.",
        "source_note": "",
        "valid_from": D(2018, 5, 25),
    },
]

RECORD_RESPONSIBILITIES = [
    # (subject, agency kind, legal reference, valid from)
    ("residence", K.FOREIGNERS_AUTHORITY, "§ 71 Abs. 1 AufenthG", D(2005, 1, 1)),
    ("asylblg", K.SOCIAL_OFFICE, "§ 10 AsylbLG i. V. m. Landesrecht (AG AsylbLG NRW)", D(1993, 11, 1)),
    ("sgb2", K.JOB_CENTRE, "§ 6, § 6d SGB II", D(2005, 1, 1)),
    ("sgb12", K.SOCIAL_OFFICE, "§ 3 SGB XII", D(2005, 1, 1)),
]

RESIDENCE_KINDS = [
    ("gestattung", "Aufenthaltsgestattung", "§ 55 AsylG", False, D(1992, 7, 1), None),
    ("duldung", "Duldung", "§ 60a AufenthG", False, D(2005, 1, 1), None),
    ("p24", "Vorübergehender Schutz", "§ 24 AufenthG", True, D(2005, 1, 1), None),
    ("p25-1", "Asylberechtigung", "§ 25 Abs. 1 AufenthG", True, D(2005, 1, 1), None),
    ("p25-2-gfk", "Flüchtlingseigenschaft", "§ 25 Abs. 2 S. 1 Alt. 1 AufenthG", True, D(2005, 1, 1), None),
    ("p25-2-sub", "Subsidiärer Schutz", "§ 25 Abs. 2 S. 1 Alt. 2 AufenthG", True, D(2005, 1, 1), None),
    ("p25-3", "Abschiebungsverbot", "§ 25 Abs. 3 AufenthG", True, D(2005, 1, 1), None),
    ("p25-5", "Aufenthalt aus humanitären Gründen", "§ 25 Abs. 5 AufenthG", True, D(2005, 1, 1), None),
    ("p25a", "Aufenthalt für gut integrierte Jugendliche", "§ 25a AufenthG", True, D(2011, 7, 1), None),
    ("p25b", "Aufenthalt bei nachhaltiger Integration", "§ 25b AufenthG", True, D(2015, 8, 1), None),
    ("p104c", "Chancen-Aufenthaltsrecht", "§ 104c AufenthG", True, D(2022, 12, 31), D(2025, 12, 31)),
    ("p16b", "Studium", "§ 16b AufenthG", True, D(2020, 3, 1), None),
    ("p18a", "Fachkraft mit Berufsausbildung", "§ 18a AufenthG", True, D(2020, 3, 1), None),
    ("p18b", "Fachkraft mit akademischer Ausbildung", "§ 18b AufenthG", True, D(2020, 3, 1), None),
    ("p28-32", "Familiennachzug", "§§ 28–32 AufenthG", True, D(2005, 1, 1), None),
    ("p9", "Niederlassungserlaubnis", "§ 9 AufenthG", True, D(2005, 1, 1), None),
    ("p9a", "Erlaubnis zum Daueraufenthalt – EU", "§ 9a AufenthG", True, D(2007, 8, 28), None),
    ("freizuegig", "Freizügigkeit (EU)", "§ 2 FreizügG/EU", False, D(2005, 1, 1), None),
]
