"""The reference intake questionnaire "kim-erstgespraech", version 1 (plain data).

It follows the KIM Erstgespräch: qualifications and their recognition, language levels (CEFR
per language, German included), work experience, the person's goals, support needs per life
area, the offices already involved and the person's view of how they work together. Sections
about qualifications, languages and work are data of the category `qualifications`; the rest
are counselling notes of the case's agency.

A district changes it by publishing a new version (`intake.services.questionnaire_publish`);
intakes keep the version they were taken with.
"""

import datetime

CODE = "kim-erstgespraech"
TITLE = "KIM-Erstgespräch"
PUBLISHED_ON = datetime.date(2025, 1, 1)


def _l(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


def _options(*pairs: tuple[str, str, str]) -> list[dict]:
    return [{"value": value, "label": _l(de, en)} for value, de, en in pairs]


LANGUAGES = _options(
    ("de", "Deutsch", "German"), ("en", "Englisch", "English"), ("fr", "Französisch", "French"),
    ("ar", "Arabisch", "Arabic"), ("fa", "Persisch (Farsi)", "Persian (Farsi)"),
    ("prs", "Dari", "Dari"), ("ps", "Paschtu", "Pashto"), ("ku", "Kurdisch", "Kurdish"),
    ("tr", "Türkisch", "Turkish"), ("uk", "Ukrainisch", "Ukrainian"), ("ru", "Russisch", "Russian"),
    ("ti", "Tigrinya", "Tigrinya"), ("so", "Somali", "Somali"), ("am", "Amharisch", "Amharic"),
    ("sq", "Albanisch", "Albanian"), ("sr", "Serbisch/Bosnisch/Kroatisch", "Serbian/Bosnian/Croatian"),
    ("ro", "Rumänisch", "Romanian"), ("pl", "Polnisch", "Polish"), ("es", "Spanisch", "Spanish"),
    ("ur", "Urdu", "Urdu"), ("other", "Andere Sprache", "Other language"),
)

LIFE_AREAS = _options(
    ("language", "Sprache", "Language"),
    ("work_training", "Arbeit und Ausbildung", "Work and training"),
    ("recognition", "Anerkennung von Abschlüssen", "Recognition of qualifications"),
    ("housing", "Wohnen", "Housing"),
    ("health", "Gesundheit", "Health"),
    ("education", "Bildung, Kinderbetreuung und Schule", "Education, childcare and school"),
    ("livelihood", "Lebensunterhalt", "Livelihood"),
    ("residence", "Aufenthalt", "Residence"),
    ("participation", "Gesellschaftliche Teilhabe", "Social participation"),
)

AGENCY_KINDS = _options(
    ("abh", "Ausländerbehörde", "Foreigners' authority"),
    ("social_office", "Sozialamt", "Social office"),
    ("job_centre", "Jobcenter", "Job centre"),
    ("employment_agency", "Agentur für Arbeit", "Employment agency"),
    ("integration_centre", "Kommunales Integrationszentrum", "Municipal integration centre"),
    ("welcome_center", "Welcome Center", "Welcome Center"),
    ("welfare_association", "Wohlfahrtsverband / Migrationsberatung", "Welfare association / migration counselling"),
    ("registration_office", "Meldebehörde", "Registration office"),
    ("naturalisation_office", "Einbürgerungsbehörde", "Naturalisation office"),
    ("counselling_service", "Beratungsstelle", "Counselling service"),
    ("youth_office", "Jugendamt", "Youth welfare office"),
    ("school_childcare", "Schule oder Kita", "School or day care"),
    ("recognition_body", "Anerkennungsstelle", "Recognition body"),
)

WORK_FIELDS = _options(
    ("crafts", "Handwerk", "Crafts and trades"),
    ("construction", "Bau", "Construction"),
    ("care", "Pflege und Gesundheit", "Care and health"),
    ("hospitality", "Gastronomie und Hotel", "Hospitality"),
    ("retail", "Handel und Verkauf", "Retail and sales"),
    ("logistics", "Lager, Transport und Logistik", "Warehouse, transport and logistics"),
    ("production", "Industrie und Produktion", "Industry and production"),
    ("agriculture", "Landwirtschaft", "Agriculture"),
    ("office", "Büro und Verwaltung", "Office and administration"),
    ("it", "IT und Technik", "IT and engineering"),
    ("education", "Erziehung und Bildung", "Childcare and education"),
    ("cleaning", "Reinigung und Hauswirtschaft", "Cleaning and housekeeping"),
    ("other", "Anderer Bereich", "Other field"),
)

DEFINITION = {
    "sections": [
        {
            "key": "education", "category": "qualifications",
            "title": _l("Schul- und Berufsabschlüsse", "School and vocational qualifications"),
            "intro": _l("Alle Abschlüsse, auch ohne Nachweis, mit dem Stand der Anerkennung.",
                        "Every qualification, also without papers, with the state of its recognition."),
            "questions": [
                {"key": "school_years", "type": "number",
                 "label": _l("Jahre Schulbesuch", "Years of schooling"), "min": 0, "max": 25},
                {"key": "qualifications", "type": "qualifications", "rows": 3,
                 "label": _l("Abschlüsse", "Qualifications"),
                 "help": _l("Art, Bezeichnung, Land, Dauer in Jahren und Stand der Anerkennung.",
                            "Kind, title, country, duration in years and recognition status.")},
                {"key": "documents_available", "type": "yesno",
                 "label": _l("Liegen Zeugnisse oder Nachweise vor?",
                             "Are certificates or other proof available?")},
            ],
        },
        {
            "key": "languages", "category": "qualifications",
            "title": _l("Sprachkenntnisse", "Language skills"),
            "questions": [
                {"key": "language_levels", "type": "language_levels", "rows": 4, "required": True,
                 "label": _l("Sprachen und Niveau (GER)", "Languages and level (CEFR)"),
                 "help": _l("Deutsch bitte immer angeben, auch ohne Kenntnisse („keine“).",
                            "Always give German, also without any knowledge (\"none\")."),
                 "options": LANGUAGES},
                {"key": "german_course", "type": "choice",
                 "label": _l("Deutschkurs", "German course"),
                 "options": _options(
                     ("none", "Noch kein Kurs", "No course yet"),
                     ("waiting", "Angemeldet oder auf der Warteliste", "Registered or on the waiting list"),
                     ("attending", "Besucht einen Kurs", "Attending a course"),
                     ("completed", "Kurs abgeschlossen", "Course completed"),
                     ("dropped", "Kurs abgebrochen", "Course discontinued"),
                 )},
            ],
        },
        {
            "key": "work", "category": "qualifications",
            "title": _l("Berufserfahrung", "Work experience"),
            "questions": [
                {"key": "work_years", "type": "number", "min": 0, "max": 60,
                 "label": _l("Jahre Berufserfahrung", "Years of work experience")},
                {"key": "work_fields", "type": "multichoice",
                 "label": _l("Berufsfelder", "Fields of work"), "options": WORK_FIELDS},
                {"key": "work_details", "type": "text",
                 "label": _l("Tätigkeiten und Arbeitgeber", "Activities and employers")},
            ],
        },
        {
            "key": "goals", "category": "counselling_notes",
            "title": _l("Ziele der Person", "The person's goals"),
            "questions": [
                {"key": "goals", "type": "text", "required": True,
                 "label": _l("Was möchte die Person erreichen?", "What does the person want to achieve?"),
                 "help": _l("In den Worten der Person.", "In the person's own words.")},
                {"key": "goal_areas", "type": "multichoice",
                 "label": _l("Vorrangige Lebensbereiche", "Priority life areas"), "options": LIFE_AREAS},
            ],
        },
        {
            "key": "support", "category": "counselling_notes",
            "title": _l("Unterstützungsbedarf", "Support needs"),
            "questions": [
                {"key": "support_needs", "type": "multichoice",
                 "label": _l("Unterstützungsbedarf nach Lebensbereich", "Support needs by life area"),
                 "options": LIFE_AREAS},
                {"key": "support_details", "type": "text",
                 "label": _l("Erläuterung zum Bedarf", "Details of the needs")},
            ],
        },
        {
            "key": "offices", "category": "counselling_notes",
            "title": _l("Beteiligte Stellen", "Offices already involved"),
            "questions": [
                {"key": "offices_involved", "type": "multichoice",
                 "label": _l("Welche Stellen sind bereits beteiligt?", "Which offices are already involved?"),
                 "options": AGENCY_KINDS},
                {"key": "offices_other", "type": "text",
                 "label": _l("Weitere Stellen und Ansprechpersonen", "Other offices and contact persons")},
            ],
        },
        {
            "key": "cooperation", "category": "counselling_notes",
            "title": _l("Zusammenarbeit der Stellen aus Sicht der Person",
                        "How the offices work together, in the person's view"),
            "questions": [
                {"key": "cooperation_rating", "type": "choice",
                 "label": _l("Wie gut arbeiten die Stellen aus Ihrer Sicht zusammen?",
                             "How well do the offices work together, in your view?"),
                 "options": _options(
                     ("very_good", "Sehr gut", "Very well"),
                     ("good", "Gut", "Well"),
                     ("mixed", "Teils, teils", "Partly"),
                     ("poor", "Schlecht", "Poorly"),
                     ("very_poor", "Sehr schlecht", "Very poorly"),
                     ("unknown", "Kann ich nicht sagen", "Cannot say"),
                 )},
                {"key": "cooperation_comment", "type": "text",
                 "label": _l("Was läuft gut, was nicht?", "What works well, what does not?")},
            ],
        },
    ],
}
