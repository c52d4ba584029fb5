"""Reference plan templates: service chains ("Integrationsketten") as data.

Each step: "title"; optionally "responsible_kind" (an agency kind, or a list tried in order:
the district's agency of that kind nearest the person's municipality is filled in),
"responsible_label" (who does it, when not an agency of Lotse), "deadline_rules" (keys of
`rules.DeadlineRule`, applied in sequence from the anchor date, each rule as in force on the
date it counts from) and/or "offset_days". No date arithmetic lives in code: change a period
by changing the rule data.
"""

TEMPLATES = [
    {
        "code": "integration-course",
        "name": "Integrationskurs binnen 8 Wochen",
        "description": "Vom Berechtigungs- oder Verpflichtungsschein bis zum Kursbeginn; Ziel "
                       "des KIM-Zielsystems: Kursbeginn binnen 8 Wochen.",
        "life_area": "language",
        "goal_title": "Integrationskurs binnen 8 Wochen beginnen",
        "anchor_label": "Datum der Berechtigung oder Verpflichtung zum Integrationskurs",
        "steps": [
            {"title": "Berechtigungs- oder Verpflichtungsschein für den Integrationskurs liegt vor",
             "responsible_kind": ["abh", "job_centre"], "offset_days": 0},
            {"title": "Anmeldung bei einem Kursträger",
             "responsible_label": "Kursträger (Angebot wählen)",
             "deadline_rules": ["integration-course-registration"]},
            {"title": "Beginn des Integrationskurses",
             "responsible_label": "Kursträger",
             "deadline_rules": ["integration-course-start"]},
        ],
    },
    {
        "code": "recognition",
        "name": "Anerkennung eines ausländischen Abschlusses",
        "description": "Von der Anerkennungsberatung bis zum Bescheid und, bei teilweiser "
                       "Anerkennung, zur Ausgleichsmaßnahme.",
        "life_area": "recognition",
        "goal_title": "Ausländischen Abschluss anerkennen lassen",
        "anchor_label": "Datum der ersten Anerkennungsberatung",
        "steps": [
            {"title": "Anerkennungsberatung (z. B. IQ-Netzwerk)",
             "responsible_label": "Anerkennungsberatung (IQ NRW)", "offset_days": 0},
            {"title": "Unterlagen und beglaubigte Übersetzungen zusammenstellen",
             "responsible_label": "Person mit Unterstützung der Fallmanagerin / des Fallmanagers",
             "deadline_rules": ["recognition-documents"]},
            {"title": "Antrag bei der zuständigen Stelle stellen",
             "responsible_label": "Zuständige Stelle (Kammer, Bezirksregierung o. Ä.)",
             "deadline_rules": ["recognition-documents"]},
            {"title": "Bescheid über die Anerkennung",
             "responsible_label": "Zuständige Stelle (Kammer, Bezirksregierung o. Ä.)",
             "deadline_rules": ["recognition-documents", "recognition-decision"]},
            {"title": "Ausgleichsmaßnahme bei teilweiser Anerkennung (Anpassungslehrgang oder Prüfung)",
             "responsible_label": "Nur bei teilweiser Anerkennung; Träger nach Bescheid"},
        ],
    },
    {
        "code": "chancen-aufenthaltsrecht",
        "name": "Chancen-Aufenthaltsrecht (§ 104c) → § 25a/§ 25b",
        "description": "Die Aufenthaltserlaubnis nach § 104c AufenthG gilt 18 Monate und wird "
                       "nicht verlängert; bis dahin müssen die Voraussetzungen für § 25a oder "
                       "§ 25b erfüllt und der Antrag gestellt sein.",
        "life_area": "residence",
        "goal_title": "Übergang vom Chancen-Aufenthaltsrecht in § 25a oder § 25b AufenthG",
        "anchor_label": "Datum der Erteilung der Aufenthaltserlaubnis nach § 104c AufenthG",
        "steps": [
            {"title": "Mündliche Deutschkenntnisse auf Niveau A2 nachweisen",
             "responsible_label": "Sprachkursträger oder Prüfstelle",
             "deadline_rules": ["p104c-validity", "p104c-language-a2"]},
            {"title": "Lebensunterhalt überwiegend (mindestens 51 %) durch Erwerbstätigkeit sichern",
             "responsible_kind": "job_centre",
             "deadline_rules": ["p104c-validity", "p104c-followup-application"]},
            {"title": "Pass und Identität klären",
             "responsible_kind": "abh",
             "deadline_rules": ["p104c-validity", "p104c-followup-application"]},
            {"title": "Antrag auf Aufenthaltserlaubnis nach § 25a oder § 25b bei der Ausländerbehörde",
             "responsible_kind": "abh",
             "deadline_rules": ["p104c-validity", "p104c-followup-application"]},
            {"title": "Ablauf der Aufenthaltserlaubnis nach § 104c",
             "responsible_kind": "abh",
             "deadline_rules": ["p104c-validity"]},
        ],
    },
]
