"""Demo content of steering for Kreis Düren, loaded by `lotse seed`: the committees of seed 001
(steering group, working groups, integration course conference, jour fixe), the goals and
measures of seeds 001 and 003 plus the Rheine goal of seed 002, the five welcome-counselling
positions of seed 000 spread over the municipalities each association serves, an imported
statistics table, three gap reports at different stages and meetings around today.

Invented values where the seeds give none: the statistics (about 0.8 % of the population
arrived in the last 12 months), the split of each position over its municipalities, dates,
minutes. Everything is created once: a district that already has committees is left alone."""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from lotse.core.vocabulary import LifeArea
from lotse.gaps.models import GapKind, GapReport, GapSource, GapStatus
from lotse.guide.demo import DEMO_COUNSELLORS
from lotse.organisations.kreis_dueren import MUNICIPALITIES
from lotse.organisations.models import Agency, District, Municipality
from lotse.steering.models import (
    AgendaItem,
    Committee,
    CommitteeKind,
    CounsellingCapacity,
    Goal,
    Measure,
    MeasureStatus,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    ResidentStatistic,
)

STATISTICS_SOURCE = "IT.NRW, Ausländerstatistik (Demo-Werte)"
NEWCOMER_SHARE = Decimal("0.008")

COMMITTEES = [
    # name, kind, member agency keys, description
    ("Lenkungsgruppe Kommunales Integrationsmanagement", CommitteeKind.STEERING_GROUP,
     ("ki", "kreis", "abh", "jobcom", "caritas", "diakonie", "awo", "drk", "paritaet", "welcome"),
     "Leitungen der Ämter der Kreisverwaltung, Geschäftsführungen der freien Träger, Agentur für "
     "Arbeit, Sprecherin der Bürgermeister*innen, BAMF-Regionalkoordination, Integrationsräte. "
     "Entscheidet über Bedarfe und Lücken, die die Arbeitskreise vorlegen."),
    ("Arbeitskreis Migration", CommitteeKind.WORKING_GROUP,
     ("ki", "abh", "jobcom", "caritas", "diakonie", "mbe", "jmd"), ""),
    ("Arbeitskreis Beratung für Frauen mit Zuwanderungsgeschichte", CommitteeKind.WORKING_GROUP,
     ("ki", "awo", "drk", "paritaet", "psych"), ""),
    ("Arbeitskreis hauptamtliche Sozialarbeiter*innen in der Flüchtlingsarbeit",
     CommitteeKind.WORKING_GROUP, ("ki", "caritas", "diakonie", "awo", "drk", "paritaet"), ""),
    ("Integrationskurskonferenz", CommitteeKind.COURSE_CONFERENCE, ("ki", "abh", "jobcom", "welcome"),
     "Kursträger, Ausländerbehörde, job-com und BAMF stimmen das Kursangebot ab."),
    ("Jour fixe Case-Management", CommitteeKind.JOUR_FIXE,
     ("ki", "caritas", "diakonie", "awo", "drk", "paritaet"),
     "Zweimal monatlich; Austausch der Case-Manager*innen, regelmäßig mit Gästen aus Ämtern und "
     "Beratungsstellen."),
]

GOALS = [
    # title, life area, indicator
    ("Optimierung der Zusammenarbeit zwischen Kommunen und den freien Trägern", "", "referrals_accepted_share"),
    ("Erhöhung des Bekanntheitsgrades des Case-Managements", "", "caseload_per_manager"),
    ("Qualitative und quantitative Weiterentwicklung der individuellen, rechtskreisübergreifenden "
     "Beratung", "", "referral_open_age_days"),
    ("Optimierung der nachhaltigen Integrationschancen für Menschen mit Zuwanderungsgeschichte in "
     "den Arbeitsmarkt", LifeArea.WORK_TRAINING, "benefit_gap_days"),
    ("Jede berechtigte Person beginnt binnen 8 Wochen einen Integrationskurs", LifeArea.LANGUAGE,
     "course_start_days"),
]

MEASURES = [
    # goal index, title, owner agency key, due in days, status
    (0, "Ausarbeitung von Kooperationsmöglichkeiten zwischen Case-Management, freien Trägern und "
        "Kommunen", "ki", 120, MeasureStatus.IN_PROGRESS),
    (1, "Veranstaltung zur Vorstellung des Case-Managements bei den Kommunen", "ki", 60,
     MeasureStatus.PLANNED),
    (2, "Teilnahme an Arbeitskreisen zum Netzwerkaufbau des Case-Managements", "caritas", 180,
     MeasureStatus.IN_PROGRESS),
    (3, "Regelmäßiges Austauschformat der Akteure der Arbeitsmarktintegration einrichten", "jobcom",
     90, MeasureStatus.PLANNED),
]


def _agencies(district: District) -> dict[str, Agency]:
    from lotse.organisations.kreis_dueren import DISTRICT_AGENCIES

    by_name = {a.name: a for a in Agency.objects.filter(district=district)}
    return {spec.key: by_name[spec.name] for spec in DISTRICT_AGENCIES if spec.name in by_name}


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """`total` in `parts` shares of two decimals that add up to it exactly (rest to the first)."""
    share = (total / parts).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [total - share * (parts - 1)] + [share] * (parts - 1)


def _capacities(district: District, towns: dict[str, Municipality], agencies: dict[str, Agency]) -> int:
    rows = []
    for counsellor in DEMO_COUNSELLORS:
        for name, fte in zip(counsellor.municipalities, _split(Decimal("1.00"), len(counsellor.municipalities)),
                             strict=True):
            rows.append(CounsellingCapacity(district=district, agency=agencies[counsellor.agency_key],
                                            municipality=towns[name], fte=fte))
    CounsellingCapacity.objects.bulk_create(rows)
    return len(rows)


def _statistics(district: District, towns: dict[str, Municipality], today: datetime.date) -> int:
    reference = datetime.date(today.year - 1, 12, 31)
    rows = [ResidentStatistic(district=district, municipality=towns[spec.name], reference_date=reference,
                              newcomers_last_12_months=int(spec.population * NEWCOMER_SHARE),
                              source=STATISTICS_SOURCE)
            for spec in MUNICIPALITIES]
    ResidentStatistic.objects.bulk_create(rows)
    return len(rows)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _gap_reports(district: District, towns, agencies, today: datetime.date) -> list[GapReport]:
    specs = [
        ("Keine Sprechstunde der Ausländerbehörde am Nachmittag in Jülich", towns["Jülich"],
         LifeArea.RESIDENCE, GapKind.WAITING_TIME, "caritas", today - datetime.timedelta(days=75),
         "Berufstätige Klient*innen aus dem Nordkreis können die Vormittagssprechstunde nicht "
         "wahrnehmen; Termine werden mehrfach verschoben."),
        ("Kinderbetreuung während des Integrationskurses fehlt im Südkreis", None, LifeArea.LANGUAGE,
         GapKind.MISSING_OFFER, "drk", today - datetime.timedelta(days=30),
         "Mütter mit kleinen Kindern beginnen den Kurs nicht, weil es keine kursbegleitende "
         "Kinderbetreuung gibt."),
        ("Dolmetschende für Tigrinya bei Terminen im Jobcenter", None, LifeArea.WORK_TRAINING,
         GapKind.LANGUAGE_BARRIER, "awo", today - datetime.timedelta(days=6),
         "Für Tigrinya stehen keine Dolmetschenden zur Verfügung; Termine werden ohne Verständigung "
         "geführt."),
    ]
    reports = []
    for title, town, area, kind, agency, reported_on, description in specs:
        report = GapReport.objects.create(
            district=district, municipality=town, life_area=area, kind=kind, title=title,
            description=description, source=GapSource.CASE_WORK, reporting_agency=agencies[agency])
        GapReport.objects.filter(pk=report.pk).update(reported_on=reported_on)
        reports.append(report)
    return reports


@transaction.atomic
def seed_demo_steering(district: District, today: datetime.date | None = None) -> int:
    """Create the demo steering content once; return the number of capacities, statistics,
    committees, goals, measures, meetings and gap reports created."""
    if Committee.objects.filter(district=district).exists():
        return 0
    today = today or timezone.localdate()
    towns = {m.name: m for m in Municipality.objects.filter(district=district)}
    agencies = _agencies(district)
    created = _capacities(district, towns, agencies) + _statistics(district, towns, today)
    committees = []
    for name, kind, members, description in COMMITTEES:
        committee = Committee.objects.create(district=district, name=name, kind=kind, description=description)
        committee.member_agencies.set([agencies[key] for key in members if key in agencies])
        committees.append(committee)
    goals = [Goal.objects.create(district=district, title=title, life_area=area, indicator=indicator,
                                 position=index + 1)
             for index, (title, area, indicator) in enumerate(GOALS)]
    for goal_index, title, owner, due_in, status in MEASURES:
        Measure.objects.create(district=district, title=title, owner_agency=agencies[owner],
                               due_on=today + datetime.timedelta(days=due_in), status=status,
                               goal=goals[goal_index])
    created += len(committees) + len(goals) + len(MEASURES)

    steering, migration, jour_fixe = committees[0], committees[1], committees[5]
    decided, on_agenda, new = _gap_reports(district, towns, agencies, today)
    held_on = today - datetime.timedelta(days=40)
    held = Meeting.objects.create(
        committee=steering, starts_at=_at(held_on, 14), ends_at=_at(held_on, 16),
        location="Kreishaus Düren, Bismarckstraße 16, Raum 75", status=MeetingStatus.HELD,
        minutes="Die Lenkungsgruppe hat die Lückenmeldung des Arbeitskreises Migration zur "
                "Sprechstunde der Ausländerbehörde in Jülich beraten. Die Ausländerbehörde prüft "
                "eine Nachmittagssprechstunde an einem Tag pro Woche.")
    held.present_agencies.set(list(steering.member_agencies.all())[:8])
    item = AgendaItem.objects.create(meeting=held, position=1, title=decided.title, gap_report=decided)
    decision = MeetingDecision.objects.create(
        meeting=held, agenda_item=item, decided_on=held_on,
        text="Die Ausländerbehörde richtet in der Nebenstelle Jülich donnerstags eine "
             "Nachmittagssprechstunde ein (Probelauf sechs Monate).")
    Measure.objects.create(district=district, title="Nachmittagssprechstunde der ABH-Nebenstelle Jülich",
                           owner_agency=agencies["abh-juelich"], due_on=today + datetime.timedelta(days=20),
                           status=MeasureStatus.IN_PROGRESS, decision=decision, gap_report=decided,
                           status_note="Raum und Personal geklärt; Start im nächsten Monat.")
    GapReport.objects.filter(pk=decided.pk).update(status=GapStatus.DECIDED, resolved_on=held_on)
    next_on = today + datetime.timedelta(days=21)
    upcoming = Meeting.objects.create(
        committee=migration, starts_at=_at(next_on, 10), ends_at=_at(next_on, 12),
        location="Kreishaus Düren, Bismarckstraße 16, Raum 75")
    AgendaItem.objects.create(meeting=upcoming, position=1, title=on_agenda.title, gap_report=on_agenda)
    AgendaItem.objects.create(meeting=upcoming, position=2, title="Bericht aus dem Jour fixe")
    GapReport.objects.filter(pk=on_agenda.pk).update(status=GapStatus.ON_AGENDA)
    for days in (3, 17):
        day = today + datetime.timedelta(days=days)
        meeting = Meeting.objects.create(committee=jour_fixe, starts_at=_at(day, 9), ends_at=_at(day, 11),
                                         location="Kommunales Integrationszentrum, Besprechungsraum")
        AgendaItem.objects.create(meeting=meeting, position=1, title="Aktuelle Problemlagen aus der Fallarbeit")
    return created + Meeting.objects.filter(committee__district=district).count() + len(
        [decided, on_agenda, new]) + 1
