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
                       "their requests (who saw my data) and to supervise processing, also "
                       "when every agency has closed its file on the person (Art. 15 export, "
                       "legal hold under Art. 18 GDPR).",
        "source_note": "A request under Art. 15 GDPR or a legal hold matters most when all "
                       "files are closed and the retention periods run, so this rule (and "
                       "only this one) includes persons whose files are all closed.",
        "includes_closed_files": True,
        "valid_from": D(2018, 5, 25),
    },
]

ACCESS_RULES.append({
    "key": "art9-health-stays-with-owner",
    "kind": "blocked", "source_kind": "", "source_professional_secrecy": False,
    "recipient_kind": "", "categories": [C.HEALTH], "purposes": [],
    "scope": "district",
    "legal_reference": "Art. 9 Abs. 1 DSGVO; § 203 StGB",
    "description": "Health and psychosocial notes (Art. 9 GDPR) stay with the agency that "
                   "wrote them; there only psychosocial counsellors read them. No consent "
                   "recorded in Lotse and no emergency access opens them to another agency.",
    "source_note": "Issue 3 (case management): 'notes of category health/psychosocial are "
                   "visible only to psychosocial counsellors of the owning agency'. A transfer "
                   "on an explicit written consent per case happens outside Lotse.",
    "valid_from": D(2018, 5, 25),
})

for _source, _recipient in ((K.SOCIAL_OFFICE, K.JOB_CENTRE), (K.JOB_CENTRE, K.SOCIAL_OFFICE)):
    ACCESS_RULES.append({
        "key": f"handover-identity-{_source}-to-{_recipient}",
        "kind": "statutory", "source_kind": _source, "source_professional_secrecy": False,
        "recipient_kind": _recipient, "categories": [C.IDENTITY],
        "purposes": [P.BENEFITS_HANDOVER], "scope": "open_handover",
        "legal_reference": "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 50 Abs. 1 SGB II",
        "description": "While a change of benefits regime between the two offices is open, the "
                       "other office learns who the person and the household members are "
                       "(identity only); everything else needs the person's consent.",
        "source_note": "UNVERIFIED: to be confirmed by the district's data-protection officer "
                       "(domain-rules.md §1: transfer without consent only where needed for a "
                       "statutory SGB task). Deactivate by setting valid_to if not confirmed.",
        "valid_from": D(2011, 1, 1),
    })

# Periods fixed by law or by local agreement: (key, name (German: shown in the UI), amount,
# unit, legal reference,
# valid from, valid to, source note). Plan templates and flags compute dates from these.
DEADLINE_RULES = [
    ("integration-course-start", "Beginn des Integrationskurses nach Berechtigung", 8, "weeks",
     "KIM target system (cf. Rheine: 'Integrationskurs binnen 8 Wochen'); § 44, § 44a AufenthG",
     D(2017, 4, 1), None,
     "A local target adopted by steering groups, not a statutory deadline. The older § 7 Abs. 3 "
     "IntV said a course should start within 6 weeks of registration (domain-rules.md §7)."),
    ("integration-course-registration", "Anmeldung bei einem Kursträger nach Berechtigung",
     2, "weeks", "§ 7 Abs. 2 IntV ('unverzüglich')", D(2005, 1, 1), None,
     "The IntV says 'without delay'; two weeks is the practical reading used here. Correct it "
     "as data if your district agrees on another period."),
    ("recognition-decision", "Anerkennungsbescheid nach vollständigen Unterlagen", 3, "months",
     "§ 6 Abs. 3 BQFG", D(2012, 4, 1), None,
     "The competent body decides within three months of complete documents; it may extend once "
     "in difficult cases."),
    ("recognition-documents", "Unterlagen für das Anerkennungsverfahren vollständig", 6, "weeks",
     "Local practice (Anerkennungsberatung IQ NRW)", D(2012, 4, 1), None,
     "Not a statutory period: a planning value for the case plan."),
    ("p104c-validity", "Geltungsdauer des Chancen-Aufenthaltsrechts", 18, "months",
     "§ 104c Abs. 3 S. 3 AufenthG", D(2022, 12, 31), None,
     "Granted for 18 months, not extendable. Applications were possible until 2025-12-31 "
     "(domain-rules.md §3); permits granted before then still run out by this rule."),
    ("p104c-followup-application", "Antrag auf § 25a/§ 25b vor Ablauf der Erlaubnis nach § 104c",
     -6, "weeks", "§ 104c Abs. 3 S. 4, § 81 Abs. 4 AufenthG", D(2022, 12, 31), None,
     "Applying before expiry keeps the legal stay (§ 81 Abs. 4). Berlin asks for 4–6 weeks "
     "before expiry; 6 weeks is used here."),
    ("p104c-language-a2", "Mündliche Deutschkenntnisse A2 für § 25b", -12, "weeks",
     "§ 25b Abs. 1 S. 2 Nr. 4 AufenthG", D(2022, 12, 31), None,
     "Planning value: the A2 certificate should be there well before the follow-on application."),
    ("referral-response", "Antwort auf eine Vermittlung", 14, "days",
     "KIM cooperation agreement of the district (local rule)", D(2020, 1, 1), None,
     "Open referrals older than this are flagged to both sides. A local agreement: change it "
     "as data."),
]

DEADLINE_RULES += [
    ("handover-application", "SGB-II-Antrag beim Jobcenter eingegangen", 0, "month_end",
     "§ 37 Abs. 2 S. 2 SGB II", D(2011, 1, 1), None,
     "An application takes effect back to the 1st of the month it is filed in; nothing is paid "
     "for earlier months. Anchor: the first day of SGB II. (domain-rules.md R1.3)"),
    ("handover-risk-warning", "Warnung: Antrag oder Bestätigung fehlt vor Monatsende", -5,
     "working_days", "Kooperationsvereinbarung Sozialamt/Jobcenter (lokale Regel)", D(2011, 1, 1),
     None, "N working days before the application deadline; change N here."),
    ("handover-consent", "Einwilligung zur Datenweitergabe an das Jobcenter", 5, "working_days",
     "§§ 67b, 67d SGB X (Einwilligung)", D(2011, 1, 1), None,
     "Planning value from the trigger date."),
    ("handover-residence-document", "Fiktionsbescheinigung oder eAT-Termin", 10, "working_days",
     "§ 81 Abs. 4/5 AufenthG", D(2011, 1, 1), None,
     "Planning value: the job centre needs proof of the residence title or of the application."),
    ("handover-documents", "Unterlagen für das Jobcenter vollständig", -10, "working_days",
     "§ 60 SGB I (Mitwirkung)", D(2011, 1, 1), None,
     "Counted back from the application deadline."),
    ("handover-confirmation", "Bestätigung des Jobcenters", 10, "working_days",
     "Kooperationsvereinbarung Sozialamt/Jobcenter (lokale Regel)", D(2011, 1, 1), None,
     "Counted from the first day of SGB II."),
    ("handover-first-payment", "Erste Zahlung nach SGB II", 1, "month_end",
     "§ 41 Abs. 1 SGB II (monatliche Zahlung im Voraus)", D(2011, 1, 1), None,
     "Planning value: by the end of the first full month after the start."),
]

# Proactive eAT appointments of the foreigners' authority (issue 5). Lead times are local
# planning values around statutory duties; correct them as data.
DEADLINE_RULES += [
    ("eat-invitation-horizon", "Einladung zum eAT-Termin vor Ablauf des Titels", -12, "weeks",
     "§ 81 Abs. 4 AufenthG (Antrag vor Ablauf); lokale Vorlaufzeit der Ausländerbehörde",
     D(2011, 9, 1), None,
     "A title expiring within this horizon gets an invitation proposal. Anchor: the expiry date. "
     "Card production and the application must fit in between."),
    ("eat-card-production", "Spätester Termin vor Ablauf (Kartenproduktion)", -6, "weeks",
     "§ 78 AufenthG (eAT); Produktionszeit der Bundesdruckerei", D(2011, 9, 1), None,
     "The card takes about 4–6 weeks to produce; the appointment must lie at least this long "
     "before the expiry. UNVERIFIED planning value: check the current production time."),
    ("eat-first-issue", "Termin für den ersten eAT nach Erteilung des Titels", 6, "weeks",
     "§ 78 AufenthG; lokale Zielvorgabe", D(2011, 9, 1), None,
     "Persons newly entitled (for instance after recognition, § 25 Abs. 1/2) get a first "
     "appointment within this period of the title's start. A local target."),
    ("eat-invitation-notice", "Vorlauf zwischen Einladung und Termin", 5, "working_days",
     "Lokale Regel (Postlaufzeit, Zeit für Rückfragen)", D(2011, 9, 1), None,
     "The earliest appointment after the invitation is made, so the letter arrives in time."),
    ("eat-no-show-latest", "Neuer Termin nach Nichterscheinen", 4, "weeks",
     "Lokale Regel der Ausländerbehörde", D(2011, 9, 1), None,
     "A missed appointment gets a new proposal due within this period."),
]

# Changes of benefits regime triggered by a residence status (domain-rules.md §1).
REGIME_CHANGE_RULES = [
    {"key": "recognition-to-sgb2", "name": "Anerkennung: AsylbLG → SGB II",
     "trigger_kinds": ["p25-1", "p25-2-gfk", "p25-2-sub"], "from_regime": "asylblg",
     "to_regime": "sgb2", "new_start": "first_of_next_month", "not_before": None,
     "first_issued_after": None, "valid_from": D(2005, 1, 1), "valid_to": None,
     "legal_reference": "§ 1 Abs. 3 Nr. 2 AsylbLG; §§ 7, 37 SGB II",
     "source_note": "AsylbLG ends at the end of the month of recognition, even before it is "
                    "final; some Länder wait for finality (R1.2, UNSETTLED): correct the rule if "
                    "your district follows that reading."},
    {"key": "other-titles-to-sgb2", "name": "Aufenthaltserlaubnis mit SGB-II-Anspruch: AsylbLG → SGB II",
     "trigger_kinds": ["p25-3", "p25a", "p25b", "p104c"], "from_regime": "asylblg",
     "to_regime": "sgb2", "new_start": "first_of_next_month", "not_before": None,
     "first_issued_after": None, "valid_from": D(2005, 1, 1), "valid_to": None,
     "legal_reference": "§ 1 Abs. 1 Nr. 3, Abs. 3 Nr. 1 AsylbLG; § 7 SGB II",
     "source_note": "Titles not listed in § 1 Abs. 1 Nr. 3 AsylbLG lead to SGB II when the person "
                    "is able to work. Check the list against the current § 1 AsylbLG."},
    {"key": "ukraine-2022-to-sgb2", "name": "§ 24 (Ukraine) ab 1.6.2022: AsylbLG → SGB II",
     "trigger_kinds": ["p24"], "from_regime": "asylblg", "to_regime": "sgb2",
     "new_start": "first_of_next_month", "not_before": D(2022, 6, 1), "first_issued_after": None,
     "valid_from": D(2022, 2, 24), "valid_to": D(2026, 6, 30),
     "legal_reference": "Gesetz vom 23.5.2022 (BGBl. I S. 760); § 74 Abs. 5 SGB II, § 18 AsylbLG",
     "source_note": "§ 24 removed from § 1 Abs. 1 Nr. 3a AsylbLG from 1.6.2022; transition "
                    "1.6.–31.8.2022. Later applicants: AsylbLG to the end of the month of the "
                    "title, then SGB II. Ends when the return to the AsylbLG takes effect."},
    {"key": "ukraine-2026-to-asylblg",
     "name": "§ 24 erstmals nach dem 31.3.2025: SGB II → AsylbLG (geplant)",
     "trigger_kinds": ["p24"], "from_regime": "sgb2", "to_regime": "asylblg",
     "new_start": "first_of_next_month", "not_before": D(2026, 7, 1),
     "old_regime_continues_until": D(2026, 9, 30),
     "first_issued_after": D(2025, 3, 31), "valid_from": D(2025, 4, 1), "valid_to": None,
     "legal_reference": "Leistungsrechtsanpassungsgesetz (Kabinettsbeschluss 19.11.2025)",
     "source_note": "UNVERIFIED: planned entry into force 1.7.2026; existing SGB II grants run "
                    "to the end of their approval period, at most to the end of the 3rd month "
                    "after entry into force. Wording 'first issued' vs 'applied for' differs "
                    "between sources. UNVERIFIED: 'existing grants continue at most until' "
                    "30.9.2026 reads the cap as three months from 1.7.2026 (press: 'höchstens "
                    "drei Monate'); counting three months after July gives 31.10.2026. Correct "
                    "dates and conditions here once the law is final."},
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


# The newcomers' guide: which kind of office answers a topic for which situations (empty
# tuple = every situation). Codes of the situations: see core.vocabulary.NewcomerSituation.
_ASYLUM, _PROTECTION, _TEMPORARY = "asylum_procedure", "protection", "temporary_protection"
_TOLERATED, _EU, _SKILLED, _FAMILY = "tolerated", "eu_citizen", "skilled_worker_student", "family_reunification"
_ASYLBLG = (_ASYLUM, _TOLERATED)
_SGB2 = (_PROTECTION, _TEMPORARY, _FAMILY, _EU)

GUIDE_RESPONSIBILITIES = [
    # (key, topic, situations, agency kind, legal reference, valid from, valid to, note)
    ("registration", "registration", (), K.REGISTRATION_OFFICE, "§ 17 Abs. 1 BMG", D(2015, 11, 1), None, ""),
    ("residence-abh", "residence", (), K.FOREIGNERS_AUTHORITY, "§ 71 Abs. 1 AufenthG", D(2005, 1, 1), None,
     "EU citizens need no residence permit; the foreigners' authority is still responsible for "
     "questions of free movement (§ 5 FreizügG/EU)."),
    ("residence-welcome-center", "residence", (_SKILLED,), K.WELCOME_CENTER,
     "Kreis Düren: Welcome Center (Wirtschaftsförderung)", D(2020, 3, 1), None, "Seed 000."),
    ("money-asylblg", "money", _ASYLBLG, K.SOCIAL_OFFICE, "§ 10 AsylbLG i. V. m. AG AsylbLG NRW",
     D(1993, 11, 1), None, ""),
    ("money-temporary-asylblg", "money", (_TEMPORARY,), K.SOCIAL_OFFICE, "§ 1 Abs. 1 Nr. 3a AsylbLG a. F.",
     D(2022, 3, 4), D(2022, 5, 31),
     "Until the change of benefits regime of 1.6.2022 people with § 24 protection received AsylbLG."),
    ("money-sgb2", "money", (_PROTECTION, _FAMILY, _EU), K.JOB_CENTRE, "§ 6d, § 7 SGB II", D(2005, 1, 1), None,
     "EU citizens: exclusions under § 7 Abs. 1 S. 2 SGB II apply in the first months."),
    ("money-temporary-sgb2", "money", (_TEMPORARY,), K.JOB_CENTRE, "§ 74 SGB II (Rechtskreiswechsel)",
     D(2022, 6, 1), None,
     "A planned law moves new arrivals with § 24 protection back to the AsylbLG (UNVERIFIED; "
     "domain-rules.md): enter it as a new version from its date when it is final."),
    ("money-skilled", "money", (_SKILLED,), K.WELCOME_CENTER, "Kreis Düren: Welcome Center",
     D(2020, 3, 1), None, ""),
    ("work-sgb2", "work", _SGB2, K.JOB_CENTRE, "§ 16 SGB II", D(2005, 1, 1), None, ""),
    ("work-permission", "work", _ASYLBLG, K.FOREIGNERS_AUTHORITY, "§ 61 AsylG, § 4a AufenthG",
     D(2020, 3, 1), None, "Work needs the permission of the foreigners' authority."),
    ("work-skilled", "work", (_SKILLED,), K.WELCOME_CENTER, "Kreis Düren: Welcome Center",
     D(2020, 3, 1), None, ""),
    ("course-entitlement", "language_course", (_PROTECTION, _FAMILY, _SKILLED), K.FOREIGNERS_AUTHORITY,
     "§ 44 Abs. 1, § 44a Abs. 1 Nr. 1 AufenthG", D(2005, 1, 1), None, ""),
    ("course-obligation-sgb2", "language_course", _SGB2, K.JOB_CENTRE, "§ 44a Abs. 1 Nr. 2 AufenthG",
     D(2005, 1, 1), None, ""),
    ("course-counselling", "language_course", (*_ASYLBLG, _TEMPORARY, _EU), K.WELFARE_ASSOCIATION,
     "§ 44 Abs. 4 AufenthG (admission by the BAMF)", D(2005, 1, 1), None,
     "BAMF stopped admissions under § 44 Abs. 4 in 2026 (Trägerrundschreiben 02/26); the welcome "
     "counselling helps to find other courses."),
    ("recognition", "recognition", (), K.INTEGRATION_CENTRE, "BQFG; Anerkennungsgesetz NRW",
     D(2012, 4, 1), None, "Kreis Düren: first counselling at the integration centre; the recognising "
     "body depends on the occupation (chambers, Bezirksregierung)."),
    ("recognition-skilled", "recognition", (_SKILLED,), K.WELCOME_CENTER, "§ 81a AufenthG",
     D(2020, 3, 1), None, ""),
    ("school", "school_childcare", (), K.INTEGRATION_CENTRE, "§ 34 SchulG NRW; § 7 TIntG NRW",
     D(2013, 1, 1), None, "Advice for pupils joining mid-way (Seiteneinstiegsberatung)."),
    ("health-asylblg", "health", _ASYLBLG, K.SOCIAL_OFFICE, "§§ 4, 6 AsylbLG", D(1993, 11, 1), None, ""),
    ("health-sgb2", "health", _SGB2, K.JOB_CENTRE, "§ 5 Abs. 1 Nr. 2a SGB V", D(2005, 1, 1), None, ""),
    ("health-skilled", "health", (_SKILLED,), K.WELCOME_CENTER, "Kreis Düren: Welcome Center",
     D(2020, 3, 1), None, "Questions of health insurance for skilled workers and students."),
    ("housing-asylblg", "housing", _ASYLBLG, K.SOCIAL_OFFICE, "§ 53 AsylG; FlüAG NRW", D(2005, 1, 1), None, ""),
    ("housing-sgb2", "housing", _SGB2, K.JOB_CENTRE, "§ 22 SGB II", D(2005, 1, 1), None, ""),
    ("housing-skilled", "housing", (_SKILLED,), K.WELCOME_CENTER, "Kreis Düren: Welcome Center",
     D(2020, 3, 1), None, ""),
    ("counselling", "counselling", (), K.WELFARE_ASSOCIATION,
     "Förderrichtlinie KIM NRW (RdErl. vom 12.12.2024), Baustein II", D(2020, 7, 1), None,
     "Welcome counselling with fixed contact persons regardless of residence status (seed 000)."),
]

# The first-steps checklist: (key, order, topic, situations, title, text, agency kind,
# office outside Lotse, deadline in days, legal reference, valid from). Titles and texts are
# German (the source of the translations).
FIRST_STEPS = [
    ("registration", 10, "registration", (), "Wohnung anmelden",
     "Melden Sie Ihre Wohnung beim Bürgerbüro Ihrer Stadt oder Gemeinde an. Bringen Sie Ihren Pass "
     "und die Wohnungsgeberbestätigung Ihres Vermieters mit.",
     K.REGISTRATION_OFFICE, "", 14, "§ 17 Abs. 1, § 19 BMG", D(2015, 11, 1)),
    ("tax-id", 20, "work", (), "Steuer-Identifikationsnummer",
     "Nach der Anmeldung schickt Ihnen das Bundeszentralamt für Steuern Ihre Steuer-ID per Post. "
     "Sie brauchen sie für die Arbeit.",
     "", "Bundeszentralamt für Steuern", None, "§ 139b AO", D(2008, 7, 1)),
    ("health-insurance", 30, "health", (_PROTECTION, _TEMPORARY, _FAMILY, _EU, _SKILLED),
     "Krankenversicherung", "Wählen Sie eine gesetzliche Krankenkasse. Die Versicherung gilt vom "
     "ersten Tag an.", "", "Gesetzliche Krankenkasse Ihrer Wahl", None, "§ 5 SGB V", D(2005, 1, 1)),
    ("health-card", 30, "health", _ASYLBLG, "Gesundheitskarte",
     "Das Sozialamt gibt Ihnen eine Gesundheitskarte oder einen Behandlungsschein.",
     K.SOCIAL_OFFICE, "", None, "§§ 4, 6 AsylbLG", D(1993, 11, 1)),
    ("bank-account", 40, "money", (), "Bankkonto",
     "Eröffnen Sie ein Konto bei einer Bank oder Sparkasse. Jede Person hat ein Recht auf ein Basiskonto.",
     "", "Bank oder Sparkasse", None, "§ 31 ZKG", D(2016, 6, 18)),
    ("benefits-sgb2", 50, "money", (_PROTECTION, _TEMPORARY, _FAMILY), "Bürgergeld beantragen",
     "Beantragen Sie Bürgergeld beim Jobcenter. Das Geld gibt es erst ab dem Monat des Antrags.",
     K.JOB_CENTRE, "", None, "§ 37 SGB II", D(2005, 1, 1)),
    ("benefits-asylblg", 50, "money", _ASYLBLG, "Leistungen beantragen",
     "Das Sozialamt Ihrer Stadt oder Gemeinde zahlt Leistungen nach dem Asylbewerberleistungsgesetz.",
     K.SOCIAL_OFFICE, "", None, "§ 1 AsylbLG", D(1993, 11, 1)),
    ("residence-permit", 60, "residence", (_ASYLUM, _PROTECTION, _TEMPORARY, _TOLERATED, _SKILLED, _FAMILY),
     "Aufenthaltstitel", "Die Ausländerbehörde stellt Ihr Aufenthaltsdokument aus und verlängert es. "
     "Beantragen Sie die Verlängerung rechtzeitig vor dem Ablauf.",
     K.FOREIGNERS_AUTHORITY, "", None, "§ 81 AufenthG", D(2005, 1, 1)),
    ("integration-course", 70, "language_course", (_PROTECTION, _FAMILY, _SKILLED), "Integrationskurs",
     "Mit der Berechtigung der Ausländerbehörde melden Sie sich bei einem Kursträger an. Die "
     "Berechtigung verfällt nach einem Jahr.",
     K.FOREIGNERS_AUTHORITY, "", None, "§ 44 AufenthG", D(2005, 1, 1)),
    ("language-course-counselling", 70, "language_course", (*_ASYLBLG, _TEMPORARY, _EU), "Deutschkurs",
     "Ihre Willkommensberatung hilft Ihnen, einen passenden Deutschkurs zu finden.",
     K.WELFARE_ASSOCIATION, "", None, "§ 44 Abs. 4 AufenthG", D(2005, 1, 1)),
    ("recognition", 80, "recognition", (_PROTECTION, _TEMPORARY, _FAMILY, _EU, _SKILLED),
     "Berufsabschluss anerkennen lassen",
     "Lassen Sie sich beraten, welche Stelle Ihren Abschluss anerkennt.",
     K.INTEGRATION_CENTRE, "", None, "BQFG", D(2012, 4, 1)),
    ("school-childcare", 90, "school_childcare", (), "Schule und Kita",
     "Kinder müssen zur Schule gehen. Das Integrationszentrum berät zur Schule, das Jugendamt zur Kita.",
     K.INTEGRATION_CENTRE, "", None, "§ 34 SchulG NRW", D(2005, 1, 1)),
    ("broadcasting-fee", 100, "housing", (), "Rundfunkbeitrag",
     "Wer eine eigene Wohnung hat, meldet sie beim Beitragsservice an. Wer Bürgergeld oder Leistungen "
     "nach dem AsylbLG bekommt, kann sich befreien lassen.",
     "", "ARD ZDF Deutschlandradio Beitragsservice", None, "§§ 2, 4 RBStV", D(2013, 1, 1)),
    ("child-benefit", 110, "money", (_PROTECTION, _TEMPORARY, _FAMILY, _EU, _SKILLED), "Kindergeld",
     "Für Kinder können Sie Kindergeld bei der Familienkasse beantragen.",
     "", "Familienkasse", None, "§ 62 EStG", D(2005, 1, 1)),
]
