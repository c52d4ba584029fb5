"""Bulk change of benefits regime: the 2022-06-01 change of § 24 holders from the AsylbLG to
SGB II for a group of `--persons` (default 5,000) in Kreis Düren.

The seeded population holds fewer § 24 holders on that day (≈800 at Kreis scale), so the group
is topped up with synthetic § 24 holders under the AsylbLG since spring 2022 (a third of them
in households of 2–6, like the seed), written straight into the tables as the seed does. Then
the preview and the run (`bulk_run_start`, its task body run in this process) are timed and
their database statements counted; the end state is checked (every group member who was under
the AsylbLG on 2022-05-31 is in exactly one handover)."""

import datetime
import random
from collections import Counter

TITLE = "Bulk change of benefits regime, § 24 on 2022-06-01 (AsylbLG → SGB II)"
RULE = "ukraine-2022-to-sgb2"
ON = datetime.date(2022, 6, 1)
SEED = 2022
HOUSEHOLD_SHARE = 0.33
P24_VALID_TO = datetime.date(2027, 3, 4)


def _coordinator_ctx():
    from lotse.access.context import context_for_user
    from lotse.organisations.models import StaffUser

    return context_for_user(StaffUser.objects.get(username="koordination"))


def _group_size(ctx) -> int:
    from lotse.handovers.bulk import _group_person_ids, _kinds, _rule_for

    rule = _rule_for(RULE, ON, ctx)
    return len(_group_person_ids(ctx.district_id, _kinds(rule), ON))


def synthesise(ctx, count: int) -> int:
    """Add `count` § 24 holders under the AsylbLG on 2022-05-31 (invented, deterministic)."""
    from django.db import transaction

    from lotse.organisations.models import Agency, AgencyKind, Municipality
    from lotse.people.models import BenefitsRegime, Household, Person, PersonAgencyLink, ResidenceStatus
    from lotse.people.name_data import COUNTRIES
    from lotse.rules.models import ResidenceKind

    rng = random.Random(SEED)
    names = COUNTRIES["UA"]
    kind = ResidenceKind.objects.in_force(ON).get(code="p24")
    agencies = list(Agency.objects.filter(district_id=ctx.district_id))
    abh = next(a for a in agencies if a.kind == AgencyKind.FOREIGNERS_AUTHORITY and a.parent_id is None)
    jobcentre = next(a for a in agencies if a.kind == AgencyKind.JOB_CENTRE and a.parent_id is None)
    social = {a.municipality_id: a for a in agencies if a.kind == AgencyKind.SOCIAL_OFFICE}
    municipalities = list(Municipality.objects.filter(district_id=ctx.district_id, pk__in=list(social)))
    weights = [m.population for m in municipalities]
    made = 0
    with transaction.atomic():
        while made < count:
            size = 1
            if rng.random() < HOUSEHOLD_SHARE / 3 and count - made > 1:
                size = min(rng.choice((2, 2, 3, 3, 4, 4, 5, 6)), count - made)
            municipality = rng.choices(municipalities, weights)[0]
            arrived = ON - datetime.timedelta(days=rng.randint(1, 89))  # 2022-03-04 … 2022-05-31
            household = Household._plain.create(district_id=ctx.district_id) if size > 1 else None
            family = rng.choice(names.family).latin[0]
            persons = []
            for member in range(size):
                role = "" if size == 1 else ("head" if member == 0 else "partner" if member == 1 else "child")
                sex = rng.choice("mf")
                given = rng.choice(names.male if sex == "m" else names.female).latin[0]
                born = rng.randint(2005, 2021) if role == "child" else rng.randint(1960, 2003)
                persons.append(Person(
                    district_id=ctx.district_id, given_names=given, family_name=family, birth_year=born,
                    sex=sex, nationalities=[names.destatis], languages=["uk"], preferred_language="uk",
                    city=municipality.name, municipality=municipality, arrival_germany=arrived,
                    arrival_district=arrived, household=household, household_role=role))
            persons = Person._plain.bulk_create(persons)
            office = social[municipality.pk]
            PersonAgencyLink._plain.bulk_create(
                [PersonAgencyLink(person=p, agency=abh, file_number=f"BENCH-ABH-{p.pk}", since=arrived)
                 for p in persons]
                + [PersonAgencyLink(person=p, agency=office, file_number=f"BENCH-SO-{p.pk}", since=arrived,
                                    until=ON - datetime.timedelta(days=1)) for p in persons])
            ResidenceStatus._plain.bulk_create(
                [ResidenceStatus(person=p, owning_agency=abh, kind=kind, document="eat", valid_from=arrived,
                                 valid_to=P24_VALID_TO) for p in persons])
            BenefitsRegime._plain.bulk_create(
                [BenefitsRegime(person=p, regime="asylblg", responsible_agency=office, valid_from=arrived,
                                valid_to=ON - datetime.timedelta(days=1)) for p in persons]
                + [BenefitsRegime(person=p, regime="sgb2", responsible_agency=jobcentre, valid_from=ON)
                   for p in persons])
            made += size
    return made


def _check_end_state(ctx) -> int:
    """Group members under the AsylbLG on 2022-05-31 that are not in exactly one handover."""
    from django.db.models import Q

    from lotse.core.scoping import personal_data_scope
    from lotse.handovers.bulk import _group_person_ids, _kinds, _rule_for
    from lotse.handovers.models import HandoverMember
    from lotse.people.models import BenefitsRegime

    rule = _rule_for(RULE, ON, ctx)
    group = _group_person_ids(ctx.district_id, _kinds(rule), ON)
    day = ON - datetime.timedelta(days=1)
    with personal_data_scope():
        under = set(BenefitsRegime.objects.filter(person_id__in=group, regime="asylblg", valid_from__lte=day)
                    .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).values_list("person_id", flat=True))
        membership = Counter(HandoverMember.objects.filter(handover__rule=rule).values_list("person_id", flat=True))
    return sum(1 for pid in under if membership[pid] != 1)


def run(bench) -> dict:
    from bench.common import count_queries, stopwatch
    from lotse.handovers.bulk import BATCH_SIZE, bulk_preview, bulk_run_start
    from lotse.handovers.models import BulkRunStatus, HandoverMember

    ctx = _coordinator_ctx()
    seeded = _group_size(ctx)
    added = synthesise(ctx, bench.persons - seeded) if bench.persons > seeded else 0
    with stopwatch() as preview_time, count_queries() as preview_queries:
        preview = bulk_preview(ctx, RULE, ON)
    with stopwatch() as run_time, count_queries() as run_queries:
        run = bulk_run_start(ctx, RULE, ON)
    if run.status != BulkRunStatus.FINISHED:
        raise RuntimeError(f"the run ended as {run.status}")
    if run.created != preview.would_open or run.total != preview.total:
        raise RuntimeError("the preview and the run disagree")
    wrong = _check_end_state(ctx)
    if wrong:
        raise RuntimeError(f"{wrong} persons are not in exactly one handover")
    with stopwatch() as second_time, count_queries() as second_queries:
        second = bulk_run_start(ctx, RULE, ON)
    if second.created:
        raise RuntimeError("the second run opened handovers")
    seconds = run_time["seconds"]
    moving = HandoverMember._plain.filter(handover__bulk_run=run).count()
    return {
        "persons_in_group": run.total,
        "of_which_seeded": seeded,
        "of_which_synthesised": added,
        "handovers_opened": run.created,
        "persons_in_handovers": moving,
        "persons_skipped": run.skipped,
        "skipped_by_reason": dict(Counter(row["reason"] for row in run.report)),
        "batch_size": BATCH_SIZE,
        "run_seconds": seconds,
        "persons_per_second": round(run.total / seconds, 1),
        "handovers_per_second": round(run.created / seconds, 1),
        "queries": run_queries.queries,
        "queries_per_person": round(run_queries.queries / run.total, 1),
        "queries_per_handover": round(run_queries.queries / max(run.created, 1), 1),
        "preview_seconds": preview_time["seconds"],
        "preview_queries": preview_queries.queries,
        "second_run_seconds": second_time["seconds"],
        "second_run_queries_per_person": round(second_queries.queries / second.total, 1),
    }
