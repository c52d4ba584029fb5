"""The synthetic population: fictitious but plausible newcomers for demos and load tests.

Pure generation logic, no database: `PopulationGenerator(plan, ...).batches(count)` yields
`Batch`es of plain tuples whose order is given by the `*_COLUMNS` constants (database column
names), ready for `executemany`/`bulk_create`. `lotse seed` writes them. The output depends
only on the arguments (seed, plan, today, first ids), so two runs give the same rows.

What the population looks like (Kreis Düren-like proportions; estimates, not statistics):
- nationality by `name_data.COUNTRIES[...].weight` (Turkey, Syria, Ukraine, Poland …);
- about 30 % of persons live in households (Bedarfsgemeinschaften) of 2–6;
- residence status by nationality: Ukrainians § 24, Syrians § 25 Abs. 2 / § 9, EU citizens
  free movement, Afghans/Iraqis/Nigerians partly Gestattung or Duldung, skilled workers
  § 18a/§ 18b/§ 16b …; earlier statuses are kept as history (Gestattung before protection,
  Duldung → § 104c → § 25b or back to Duldung);
- arrival 2014–2026; titles valid 1–3 years, a share expiring in the coming months and a few
  expired with a pending renewal (Fiktionsbescheinigung);
- benefits consistent with the status: Gestattung/Duldung → AsylbLG at the municipality's
  social office; protection → SGB II at the job centre (after an AsylbLG period that ended at
  the end of the month the title was granted); EU citizens and skilled workers mostly none;
- 10–15 % of dates of birth incomplete (year only, or year and month);
- about 3 % of records are a second record of another person under a transliteration variant
  (`name_data.variant_of`); the pairs are reported in `Batch.variant_pairs` as ground truth.
"""

from __future__ import annotations

import datetime
import json
import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from lotse.people.matching import blocking_keys
from lotse.people.name_data import COUNTRIES, CountryNames, NameEntry, family_entry_for, variant_of

DEFAULT_SEED = 2026

def needs_interpreter(person_id: int, preferred: str, arrival, today_ordinal: int) -> bool:
    """Half of those who came in the last five years and prefer a language other than German or
    English need an interpreter at appointments (decided by the id: no draw from the random
    generator, so the rest of the population stays as it was)."""
    if preferred in ("", "de", "en") or arrival is None:
        return False
    return today_ordinal - arrival.toordinal() < 5 * 365 and person_id % 2 == 0


HOUSEHOLD_COLUMNS = ("id", "district_id", "created_at")
PERSON_COLUMNS = (
    "id", "district_id", "given_names", "family_name", "given_names_original",
    "family_name_original", "other_names", "birth_year", "birth_month", "birth_day", "sex",
    "nationalities", "languages", "preferred_language", "azr_number", "street", "postal_code",
    "city", "municipality_id", "phone", "email", "arrival_germany", "arrival_district",
    "household_id", "household_role", "merged_into_id", "created_at", "updated_at",
    "interpreter_needed",
)
LINK_COLUMNS = ("person_id", "agency_id", "file_number", "since", "until")
STATUS_COLUMNS = (
    "person_id", "owning_agency_id", "kind_id", "document", "valid_from", "valid_to",
    "application_pending_since", "recorded_at",
)
BENEFITS_COLUMNS = (
    "person_id", "regime", "responsible_agency_id", "valid_from", "valid_to", "recorded_at",
)
NAME_KEY_COLUMNS = ("person_id", "district_id", "key")


@dataclass(frozen=True)
class MunicipalityPlan:
    id: int
    name: str
    weight: float
    postal_codes: tuple[str, ...]
    social_office_id: int
    registration_office_id: int
    abh_id: int                      # responsible foreigners' authority (or its branch)
    jobcentre_id: int                # responsible job centre (or its branch)
    psychosocial_ok: bool = False    # residents may use the psychosocial counselling


@dataclass(frozen=True)
class DistrictPlan:
    """Ids of what exists in one district; the generator only needs ids."""

    district_id: int
    code: str
    municipalities: tuple[MunicipalityPlan, ...]
    welfare_ids: tuple[int, ...] = ()
    mbe_id: int | None = None
    jmd_id: int | None = None
    psych_id: int | None = None
    welcome_center_id: int | None = None


@dataclass
class Batch:
    households: list[tuple] = field(default_factory=list)
    persons: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    statuses: list[tuple] = field(default_factory=list)
    benefits: list[tuple] = field(default_factory=list)
    name_keys: list[tuple] = field(default_factory=list)
    variant_pairs: list[tuple[int, int]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Name keys, exactly as people.services.refresh_name_keys computes them
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=300_000)
def _keys(given: str, family: str) -> frozenset[str]:
    return frozenset(blocking_keys(given, family))


def person_name_keys(given_names: str, family_name: str, given_names_original: str = "",
                     family_name_original: str = "", other_names: str = "") -> set[str]:
    """The blocking keys of a person: Latin name, original-script name, every other spelling
    (mirrors `lotse.people.services.refresh_name_keys`)."""
    keys = set(_keys(given_names, family_name))
    for other in (f"{given_names_original} {family_name_original}", *other_names.split(";")):
        parts = other.split()
        if parts:
            keys |= _keys(" ".join(parts[:-1]), parts[-1])
    return keys


# --------------------------------------------------------------------------------------------
# Tables (weights are rough estimates for synthetic data)
# --------------------------------------------------------------------------------------------
# Current residence status by nationality.
STATUS_MIX: dict[str, dict[str, float]] = {
    "SY": {"p25-2-sub": 30, "p25-2-gfk": 25, "p9": 15, "gestattung": 7, "p28-32": 8, "p25-3": 3,
           "duldung": 3, "p25b": 3, "p25a": 2, "p18a": 2, "p16b": 2},
    "AF": {"gestattung": 24, "duldung": 12, "p25-2-gfk": 15, "p25-2-sub": 10, "p25-3": 12,
           "p25-5": 5, "p28-32": 6, "p9": 6, "p25b": 5, "p25a": 5},
    "IQ": {"gestattung": 12, "duldung": 14, "p25-2-gfk": 15, "p25-2-sub": 14, "p25-3": 5,
           "p25-5": 8, "p9": 15, "p28-32": 8, "p25b": 7, "p18b": 2},
    "IR": {"gestattung": 20, "p25-2-gfk": 24, "p25-1": 5, "p18b": 12, "p16b": 10, "p9": 12,
           "duldung": 6, "p28-32": 11},
    "UA": {"p24": 86, "p18a": 3, "p18b": 3, "p16b": 2, "p9": 3, "p28-32": 3},
    "TR": {"p9": 28, "p9a": 5, "p28-32": 20, "gestattung": 14, "p25-2-gfk": 5, "p18a": 9,
           "p18b": 7, "p16b": 5, "duldung": 4, "p25-2-sub": 3},
    "RO": {"freizuegig": 1}, "BG": {"freizuegig": 1}, "PL": {"freizuegig": 1},
    "ER": {"p25-2-gfk": 45, "p25-2-sub": 24, "gestattung": 8, "p28-32": 10, "p9": 8,
           "duldung": 5},
    "NG": {"duldung": 30, "gestattung": 24, "p16b": 12, "p18b": 6, "p25-5": 7, "p28-32": 10,
           "p25b": 6, "p25-3": 5},
    "RU": {"p9": 25, "p18b": 15, "p28-32": 20, "gestattung": 15, "p16b": 8, "p25-2-gfk": 7,
           "duldung": 5, "p9a": 5},
    "XK": {"p9": 25, "p18a": 25, "p28-32": 20, "duldung": 10, "p9a": 5, "p25b": 5, "p18b": 5,
           "p25-5": 5},
}
DEFAULT_STATUS_MIX = {"p28-32": 30, "p9": 30, "p18b": 15, "gestattung": 15, "duldung": 10}

# Share of birth dates recorded with the year only (documents without a day of birth).
YEAR_ONLY_SHARE = {"AF": 0.25, "ER": 0.25, "SY": 0.10, "IQ": 0.12, "NG": 0.10, "IR": 0.05}
YEAR_ONLY_DEFAULT = 0.03
YEAR_MONTH_SHARE = 0.04

HOUSEHOLD_SIZES = (2, 3, 4, 5, 6)
HOUSEHOLD_SIZE_WEIGHTS = (30, 24, 24, 14, 8)   # mean ≈ 3.5
HOUSEHOLD_START_SHARE = 0.11                    # share of new units that are households → ~30 %
DUPLICATE_SHARE = 0.042                         # per unit → ≈ 3 % of all records

PROTECTION = frozenset({"p25-1", "p25-2-gfk", "p25-2-sub", "p25-3", "p25-5", "p25a", "p25b"})
ASYLUM = frozenset({"gestattung", "duldung"})
SKILLED = frozenset({"p18a", "p18b", "p16b"})
UNLIMITED = frozenset({"p9", "p9a", "freizuegig"})
P24_VALID_TO = datetime.date(2027, 3, 4)        # § 24 extended EU-wide until 4 March 2027
P24_START = datetime.date(2022, 3, 4)
SGB2_FOR_UKRAINIANS = datetime.date(2022, 6, 1)  # Rechtskreiswechsel for § 24 on 1 June 2022
P104C_FIRST = datetime.date(2023, 1, 1)
P104C_LAST_START = datetime.date(2024, 6, 30)   # 18 months must end before the rule ended
P104C_ARRIVED_BY = datetime.date(2017, 10, 31)  # five years of Duldung by 31 Oct 2022

STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Kirchstraße", "Schulstraße", "Gartenstraße", "Lindenstraße",
    "Friedrichstraße", "Mühlenweg", "Am Markt", "Rathausstraße", "Bergstraße", "Wiesenweg",
    "Feldstraße", "Goethestraße", "Schillerstraße", "Ringstraße", "Kölner Straße",
    "Aachener Straße", "Birkenweg", "Eichenweg", "Rosenstraße", "Talstraße", "Kapellenstraße",
    "Burgstraße", "Neue Straße", "Josef-Schregel-Straße", "Zehnthofstraße", "Wilhelmstraße",
    "Nideggener Straße", "Rurstraße", "Bismarckstraße", "Kaiserstraße", "Veldener Straße",
    "Marienstraße", "Am Wingert", "Jülicher Straße", "Dürener Straße", "Im Weiher",
)


def _cum(weights) -> list[float]:
    return list(accumulate(weights))


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


def _clip(rows: list[tuple], born: datetime.date, at: int = 1) -> list[tuple]:
    """A status history (valid_from/valid_to at `at`, `at + 1`) or benefits history as it
    applies to a child born on `born`: earlier rows dropped, the running one starting then."""
    out = []
    for row in rows:
        valid_to = row[at + 1]
        if valid_to is not None and valid_to < born:
            continue
        row = list(row)
        row[at] = max(row[at], born)
        if at == 1 and row[3] is not None:      # application pending since
            row[3] = max(row[3], born)
        out.append(tuple(row))
    return out


def _next_month_start(day: datetime.date) -> datetime.date:
    return _month_end(day) + datetime.timedelta(days=1)


@dataclass
class _Country:
    code: str
    data: CountryNames
    nationalities: str
    language_options: tuple[tuple[str, str], ...]   # (languages JSON, preferred language)
    status_codes: tuple[str, ...]
    status_cum: list[float]
    year_only: float


class PopulationGenerator:
    """Generates the persons of one district. After `batches()` is exhausted,
    `next_person_id` and `next_household_id` give the first free ids for the next district."""

    def __init__(self, plan: DistrictPlan, *, kind_ids: dict[str, int], today: datetime.date,
                 seed: int = DEFAULT_SEED, stamp=None, first_person_id: int = 1,
                 first_household_id: int = 1) -> None:
        self.plan = plan
        self.kind_ids = kind_ids
        self.today = today
        self.stamp = stamp
        self.rng = random.Random(f"{seed}:{plan.code}")
        self.next_person_id = first_person_id
        self.next_household_id = first_household_id
        self.countries = [self._country(code, data) for code, data in COUNTRIES.items()]
        self.country_cum = _cum(c.data.weight for c in self.countries)
        self.municipality_cum = _cum(m.weight for m in plan.municipalities)
        self.size_cum = _cum(HOUSEHOLD_SIZE_WEIGHTS)
        self.t = today.toordinal()
        self.ordinal_2014 = datetime.date(2014, 1, 1).toordinal()

    def _country(self, code: str, data: CountryNames) -> _Country:
        mix = {k: w for k, w in STATUS_MIX.get(code, DEFAULT_STATUS_MIX).items()
               if k in self.kind_ids}
        langs = data.languages
        options = [(json.dumps([langs[0]]), langs[0])] * 4
        if len(langs) > 1:
            options.append((json.dumps(list(langs[:2])), langs[0]))
        options.append((json.dumps([langs[0], "de"]), langs[0]))
        return _Country(
            code=code, data=data, nationalities=json.dumps([data.destatis]),
            language_options=tuple(options), status_codes=tuple(mix),
            status_cum=_cum(mix.values()), year_only=YEAR_ONLY_SHARE.get(code, YEAR_ONLY_DEFAULT),
        )

    # ---- small helpers ------------------------------------------------------------------
    def _date_between(self, lo: datetime.date | int, hi: datetime.date | int) -> datetime.date:
        lo = lo if isinstance(lo, int) else lo.toordinal()
        hi = hi if isinstance(hi, int) else hi.toordinal()
        if hi <= lo:
            return datetime.date.fromordinal(lo)
        return datetime.date.fromordinal(self.rng.randint(lo, hi))

    def _birth(self, rng: random.Random, country: _Country, age_lo: int, age_hi: int,
               complete: bool = False) -> tuple[int, int | None, int | None]:
        born = datetime.date.fromordinal(self.t - rng.randint(age_lo * 365, age_hi * 365 + 364))
        if not complete:
            r = rng.random()
            if r < country.year_only:
                return born.year, None, None
            if r < country.year_only + YEAR_MONTH_SHARE:
                return born.year, born.month, None
        return born.year, born.month, born.day

    def _adult_age(self, rng: random.Random) -> tuple[int, int]:
        r = rng.random()
        if r < 0.03:
            return 16, 17            # (unaccompanied) minors
        if r < 0.55:
            return 18, 34
        if r < 0.88:
            return 35, 54
        return 55, 75

    def _name(self, rng: random.Random, entry: NameEntry, country: _Country,
              latin_index: int | None = None) -> tuple[str, str, int]:
        """(Latin spelling, original spelling or "", index of the Latin spelling used)."""
        latin = entry.latin
        idx = latin_index if latin_index is not None and latin_index < len(latin) else (
            0 if len(latin) == 1 or rng.random() < 0.7 else rng.randrange(len(latin)))
        spelling = latin[idx]
        original = entry.original if entry.original != spelling else ""
        return spelling, original, idx

    # ---- statuses and benefits ----------------------------------------------------------
    def _arrival(self, rng: random.Random, kind: str) -> datetime.date:
        t = self.t
        if kind == "p24":
            # most arrived in 2022
            if rng.random() < 0.6:
                return self._date_between(P24_START, datetime.date(2022, 12, 31))
            return self._date_between(datetime.date(2023, 1, 1), t - 30)
        if kind == "gestattung":
            return self._date_between(t - 720, t - 14)
        if kind in SKILLED:
            return self._date_between(datetime.date(2020, 3, 1), t - 30)
        if kind in ("p9", "p9a"):
            return self._date_between(self.ordinal_2014, datetime.date(2021, 6, 30))
        if kind == "p25b":
            return self._date_between(self.ordinal_2014, datetime.date(2019, 12, 31))
        if kind in PROTECTION or kind == "duldung":
            # the 2015/16 peak, then steady arrivals
            if rng.random() < 0.4:
                return self._date_between(datetime.date(2015, 1, 1), datetime.date(2016, 12, 31))
            return self._date_between(self.ordinal_2014, t - 200)
        return self._date_between(self.ordinal_2014, t - 30)

    def _titled(self, rng: random.Random, kind: str, start: datetime.date,
                years: tuple[int, int]) -> list[tuple]:
        """Rows of a limited title granted on `start`: the current document (1–3 years) and,
        when it was renewed, one row for the earlier periods, so the history has no gap.
        Rows are (kind, valid_from, valid_to, application_pending_since, document)."""
        duration = 365 * rng.randint(*years)
        s = start.toordinal()
        t = self.t
        pending = None
        document = "eat"
        r = rng.random()
        if r < 0.03 and t - 60 > s:
            # expired, renewal applied for in time: Fiktionsbescheinigung
            valid_to = rng.randint(max(s + 1, t - 60), t - 1)
            pending = datetime.date.fromordinal(max(s, valid_to - rng.randint(10, 50)))
            document = "fiktion"
        elif r < 0.15:
            # expiring within the next four months (the ABH's expiry scan finds these)
            valid_to = t + rng.randint(1, 120)
        else:
            valid_to = s + (max(0, (t - s) // duration) + 1) * duration
            if valid_to <= t:
                valid_to = t + rng.randint(30, duration)
        valid_from = max(s, valid_to - duration)
        rows = []
        if valid_from > s:
            rows.append((kind, start, datetime.date.fromordinal(valid_from - 1), None, "eat"))
        rows.append((kind, datetime.date.fromordinal(valid_from),
                     datetime.date.fromordinal(valid_to), pending, document))
        return rows

    def _statuses(self, rng: random.Random, kind: str, arrival: datetime.date
                  ) -> list[tuple[str, datetime.date, datetime.date | None,
                                  datetime.date | None, str]]:
        """History of (kind, valid_from, valid_to, pending_since, document), oldest first.
        The last entry is the current status."""
        t = self.t
        a = arrival.toordinal()
        if kind == "gestattung":
            valid_to = t + rng.randint(0, 180)
            return [("gestattung", arrival, datetime.date.fromordinal(valid_to), None, "paper")]
        if kind == "duldung":
            history = []
            start = arrival
            if (arrival <= P104C_ARRIVED_BY and "p104c" in self.kind_ids
                    and rng.random() < 0.15):
                # § 104c granted, requirements (§ 25a/§ 25b) not met in 18 months: Duldung again
                c_from = self._date_between(P104C_FIRST, P104C_LAST_START)
                c_to = c_from + datetime.timedelta(days=547)
                history.append(("duldung", arrival, c_from - datetime.timedelta(days=1), None,
                                "paper"))
                history.append(("p104c", c_from, c_to, None, "eat"))
                start = c_to + datetime.timedelta(days=1)
            valid_to = t + rng.randint(-10, 180)
            valid_from = max(start.toordinal(), valid_to - rng.choice((90, 180)))
            history.append(("duldung", datetime.date.fromordinal(valid_from),
                            datetime.date.fromordinal(valid_to), None, "paper"))
            return history
        if kind == "freizuegig":
            return [("freizuegig", arrival, None, None, "none")]
        if kind == "p24":
            start = max(arrival, P24_START)
            return [("p24", start, P24_VALID_TO, None, "eat")]
        if kind in SKILLED or kind == "p28-32":
            return self._titled(rng, kind, arrival, (1, 2) if kind == "p16b" else (1, 3))
        if kind in ("p9", "p9a"):
            # earlier protection or family reunification, settlement permit after 3–6 years
            prior = "p25-2-gfk" if rng.random() < 0.5 else "p28-32"
            granted = min(a + rng.randint(3 * 365, 6 * 365), t - 10)
            history = []
            if prior == "p25-2-gfk":
                decided = min(a + rng.randint(120, 540), granted - 30)
                history.append(("gestattung", arrival,
                                datetime.date.fromordinal(decided - 1), None, "paper"))
                history.append((prior, datetime.date.fromordinal(decided),
                                datetime.date.fromordinal(granted - 1), None, "eat"))
            else:
                history.append((prior, arrival, datetime.date.fromordinal(granted - 1), None,
                                "eat"))
            history.append((kind, datetime.date.fromordinal(granted), None, None, "eat"))
            return history
        if kind == "p25b":
            # long Duldung, sometimes § 104c as a bridge
            if arrival <= P104C_ARRIVED_BY and "p104c" in self.kind_ids and rng.random() < 0.6:
                c_from = self._date_between(P104C_FIRST, P104C_LAST_START)
                granted = c_from + datetime.timedelta(days=rng.randint(200, 540))
                history = [("duldung", arrival, c_from - datetime.timedelta(days=1), None,
                            "paper"),
                           ("p104c", c_from, granted - datetime.timedelta(days=1), None, "eat")]
            else:
                granted = datetime.date.fromordinal(min(a + rng.randint(6 * 365, 8 * 365),
                                                        t - 30))
                history = [("duldung", arrival, granted - datetime.timedelta(days=1), None,
                            "paper")]
            return history + self._titled(rng, "p25b", granted, (2, 2))
        # protection statuses (§ 25 …): Gestattung (or Duldung) during the procedure
        decided = min(a + rng.randint(90, 720), t - 7)
        if rng.random() < 0.06:
            # recently recognised: the change of benefits regime is under way
            decided = t - rng.randint(3, 40)
        before = "duldung" if kind in ("p25-3", "p25-5", "p25a") and rng.random() < 0.5 \
            else "gestattung"
        history = [(before, arrival, datetime.date.fromordinal(max(a, decided - 1)), None,
                    "paper")]
        decided_date = datetime.date.fromordinal(max(a + 1, decided))
        years = (1, 3) if kind in ("p25-2-sub", "p25-3", "p25-5", "p25a") else (3, 3)
        titled = self._titled(rng, kind, decided_date, years)
        if t - decided < 60:   # the eAT is still being produced: Fiktionsbescheinigung
            titled[-1] = (*titled[-1][:3], decided_date, "fiktion")
        return history + titled

    def _benefits(self, rng: random.Random, kind: str, history, arrival_district: datetime.date,
                  age: int) -> list[tuple[str, str, datetime.date, datetime.date | None]]:
        """(regime, "social"/"jobcentre", valid_from, valid_to) rows, oldest first."""
        if kind in ASYLUM:
            if rng.random() < 0.88:
                return [("asylblg", "social", arrival_district, None)]
            return []
        if kind in UNLIMITED:
            if rng.random() < (0.10 if kind == "freizuegig" else 0.15):
                return [("sgb2", "jobcentre", self._date_between(arrival_district, self.t - 30),
                         None)]
            return []
        if kind in SKILLED:
            return []
        if kind == "p24":
            rows = []
            if arrival_district < SGB2_FOR_UKRAINIANS:
                rows.append(("asylblg", "social", arrival_district,
                             SGB2_FOR_UKRAINIANS - datetime.timedelta(days=1)))
                start = SGB2_FOR_UKRAINIANS
            else:
                start = _next_month_start(arrival_district)
            if rng.random() < 0.8 and start.toordinal() <= self.t:
                rows.append(("sgb2", "jobcentre", start, None))
            return rows
        # protection / family reunification: the first title after Gestattung or Duldung
        granted = history[0][1]
        for previous, entry in zip(history, history[1:], strict=False):
            if previous[0] in ASYLUM and entry[0] not in ASYLUM:
                granted = previous[2] + datetime.timedelta(days=1)
                break
        had_asylum = history[0][0] in ASYLUM
        rows = []
        end = _month_end(granted)
        if had_asylum and arrival_district <= end:
            if end.toordinal() >= self.t:
                # the AsylbLG entitlement ends at the end of this month: handover pending
                return [("asylblg", "social", arrival_district, end)]
            rows.append(("asylblg", "social", arrival_district, end))
        if rng.random() < 0.62:
            if had_asylum:
                start = max(end + datetime.timedelta(days=1), arrival_district)
            else:
                start = self._date_between(max(history[0][1], arrival_district), self.t - 10)
            if start.toordinal() <= self.t:
                regime, office = ("sgb12", "social") if age >= 67 else ("sgb2", "jobcentre")
                rows.append((regime, office, start, None))
        return rows

    # ---- the generator ------------------------------------------------------------------
    def batches(self, count: int, batch_size: int = 5000) -> Iterator[Batch]:
        """Yield batches of about `batch_size` persons until `count` persons were made."""
        rng = self.rng
        made = 0
        batch = Batch()
        while made < count:
            remaining = count - made
            if remaining > 1 and rng.random() < HOUSEHOLD_START_SHARE:
                size = HOUSEHOLD_SIZES[bisect_left(self.size_cum, rng.random() * self.size_cum[-1])]
                size = min(size, remaining)
            else:
                size = 1
            made += self._unit(batch, size, allow_duplicate=remaining - size >= 1)
            if len(batch.persons) >= batch_size:
                yield batch
                batch = Batch()
        if batch.persons:
            yield batch

    def _unit(self, batch: Batch, size: int, allow_duplicate: bool) -> int:
        """One single person or one household (with maybe one second record). Returns the
        number of person rows written."""
        rng = self.rng
        plan = self.plan
        stamp = self.stamp
        country = self.countries[bisect_left(self.country_cum,
                                             rng.random() * self.country_cum[-1])]
        muni = plan.municipalities[bisect_left(self.municipality_cum,
                                               rng.random() * self.municipality_cum[-1])]
        kind = country.status_codes[bisect_left(country.status_cum,
                                                rng.random() * country.status_cum[-1])]
        arrival = self._arrival(rng, kind)
        if kind in ASYLUM or kind in PROTECTION or kind == "p24":
            arrival_district = arrival + datetime.timedelta(days=rng.randint(0, 90))
        else:
            arrival_district = arrival
        if rng.random() < 0.12:   # moved here later from elsewhere in Germany
            arrival_district = self._date_between(arrival_district, self.t - 1)
        if arrival_district.toordinal() > self.t:
            arrival_district = self.today
        history = self._statuses(rng, kind, arrival)
        street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        postal_code = rng.choice(muni.postal_codes)
        household_id = None
        if size > 1:
            household_id = self.next_household_id
            self.next_household_id += 1
            batch.households.append((household_id, plan.district_id, stamp))
            bg_number = f"{plan.code}BG{household_id:07d}"
        data = country.data
        family_entry = rng.choice(data.family)
        family_latin_idx = None
        written = 0
        head_age = 0
        head_sex = "m"
        for member in range(size):
            pid = self.next_person_id
            self.next_person_id += 1
            written += 1
            if member == 0:
                sex = "m" if rng.random() < 0.56 else "f"
                age_lo, age_hi = self._adult_age(rng) if size == 1 else (22, 55)
                birth = self._birth(rng, country, age_lo, age_hi)
                head_age = self.today.year - birth[0]
                head_sex = sex
                role = "head" if size > 1 else ""
            elif member == 1 and head_age >= 20 and rng.random() < 0.85:
                sex = "f" if head_sex == "m" else "m"
                birth = self._birth(rng, country, max(18, head_age - 8), head_age + 4)
                role = "partner"
            else:
                sex = "m" if rng.random() < 0.5 else "f"
                max_age = max(0, min(17, head_age - 18))
                birth = self._birth(rng, country, 0, max_age, complete=rng.random() < 0.95)
                role = "child"
            age = self.today.year - birth[0]
            member_arrival, member_district = arrival, arrival_district
            member_history = history
            if role == "child":
                born = datetime.date(birth[0], birth[1] or 1, birth[2] or 1)
                if born > arrival:   # born here: statuses start with the birth
                    member_arrival, member_district = born, max(born, arrival_district)
                    member_history = _clip(history, born)
            given_entry = rng.choice(data.male if sex == "m" else data.female)
            given, given_orig, _ = self._name(rng, given_entry, country)
            fam_entry = family_entry_for(data, family_entry, sex)
            family, family_orig, family_latin_idx = self._name(rng, fam_entry, country,
                                                               family_latin_idx)
            if given_orig and not family_orig and data.script != "Latn":
                family_orig = fam_entry.original
            if family_orig and not given_orig and data.script != "Latn":
                given_orig = given_entry.original
            other_names = ""
            if data.script != "Latn" and rng.random() < 0.15:
                alt_given = variant_of(given, rng)
                alt_family = variant_of(family, rng)
                if (alt_given, alt_family) != (given, family):
                    other_names = f"{alt_given} {alt_family}"
            languages, preferred = rng.choice(country.language_options)
            azr = str(rng.randrange(10**11, 10**12))
            batch.persons.append((
                pid, plan.district_id, given, family, given_orig, family_orig, other_names,
                birth[0], birth[1], birth[2], sex, country.nationalities, languages, preferred,
                azr, street, postal_code, muni.name, muni.id, "", "", member_arrival,
                member_district, household_id, role, None, stamp, stamp,
                needs_interpreter(pid, preferred, member_arrival, self.t),
            ))
            for key in person_name_keys(given, family, given_orig, family_orig, other_names):
                batch.name_keys.append((pid, plan.district_id, key))
            # the agencies' files
            links = batch.links
            links.append((pid, muni.registration_office_id, f"EWO-{pid:08d}", member_district,
                          None))
            links.append((pid, muni.abh_id, f"ABH-{plan.code}-{pid:08d}", member_district,
                          None))
            for code, vf, vt, pending, doc in member_history:
                batch.statuses.append((pid, muni.abh_id, self.kind_ids[code], doc, vf, vt,
                                       pending, stamp))
            if member == 0 or size == 1:
                benefits = self._benefits(rng, kind, history, arrival_district, age)
            social_since = jobcentre_since = None
            member_benefits = benefits if member_history is history else _clip(benefits, born, 2)
            for regime, office, vf, vt in member_benefits:
                agency = muni.social_office_id if office == "social" else muni.jobcentre_id
                batch.benefits.append((pid, regime, agency, vf, vt, stamp))
                if office == "social":
                    social_since = social_since or vf
                    social_until = vt
                else:
                    jobcentre_since = jobcentre_since or vf
            if social_since:
                links.append((pid, muni.social_office_id, f"SO-{muni.id}-{pid:08d}",
                              social_since, social_until))
            if jobcentre_since:
                number = bg_number if household_id else f"{plan.code}BG{pid:07d}"
                links.append((pid, muni.jobcentre_id, number, jobcentre_since, None))
            if role != "child" or age >= 14:
                self._counselling(batch, rng, pid, kind, age, muni, member_district)
        if allow_duplicate and rng.random() < DUPLICATE_SHARE:
            written += self._duplicate(batch, rng, batch.persons[-written], muni)
        return written

    def _counselling(self, batch: Batch, rng: random.Random, pid: int, kind: str, age: int,
                     muni: MunicipalityPlan, since: datetime.date) -> None:
        plan = self.plan
        r = rng.random()
        agency = None
        if kind in SKILLED and plan.welcome_center_id and r < 0.7:
            agency = plan.welcome_center_id
        elif r < 0.20 and plan.welfare_ids:
            agency = rng.choice(plan.welfare_ids)
        elif r < 0.24:
            agency = plan.jmd_id if age < 27 else plan.mbe_id
        elif r < 0.255 and muni.psychosocial_ok:
            agency = plan.psych_id
        if agency:
            batch.links.append((pid, agency, f"B-{agency}-{pid:08d}",
                                self._date_between(since, self.t), None))

    def _duplicate(self, batch: Batch, rng: random.Random, original: tuple,
                   muni: MunicipalityPlan) -> int:
        """A second record of `original` under another spelling, made by another office."""
        pid = self.next_person_id
        self.next_person_id += 1
        (orig_id, district_id, given, family, given_orig, family_orig, _other, year, month, day,
         sex, nationalities, languages, preferred, _azr, street, postal_code, city, muni_id,
         *_rest) = original
        arrival, arrival_district = original[21], original[22]
        r = rng.random()
        new_given = variant_of(given, rng) if r < 0.7 else given
        new_family = variant_of(family, rng) if r > 0.3 else family
        for _attempt in range(4):   # short names may offer no change: try the other part
            if (new_given, new_family) != (given, family):
                break
            new_family = variant_of(family, rng)
            new_given = variant_of(given, rng)
        if rng.random() < 0.5:
            given_orig = family_orig = ""
        if rng.random() < 0.5:
            month = day = None
        stamp = self.stamp
        batch.persons.append((
            pid, district_id, new_given, new_family, given_orig, family_orig, "", year, month,
            day, sex, nationalities, languages, preferred, "", street, postal_code, city, muni_id,
            "", "", arrival, arrival_district, None, "", None, stamp, stamp, original[28],
        ))
        for key in person_name_keys(new_given, new_family, given_orig, family_orig, ""):
            batch.name_keys.append((pid, district_id, key))
        plan = self.plan
        if plan.welfare_ids and rng.random() < 0.5:
            agency = rng.choice(plan.welfare_ids)
            number = f"B-{agency}-{pid:08d}"
        else:
            agency = muni.social_office_id
            number = f"SO-{muni.id}-{pid:08d}"
        batch.links.append((pid, agency, number, self._date_between(arrival_district, self.t),
                            None))
        batch.variant_pairs.append((orig_id, pid))
        return 1
