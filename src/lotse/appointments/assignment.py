"""Assigning invitation proposals to appointment slots (issue 5, point 4). Pure: no database.

The caller (`appointments.planning`) turns offices, opening hours, holidays, closures,
interpreter hours, travel times and open proposals into a `Problem`; `assign(problem)` returns
a `Solution` that keeps every hard rule:

- each group (one person, or the members of one household who are invited together) gets one
  block of adjacent slots at ONE counter of ONE office on ONE day, or none;
- the day lies between the group's `earliest` and `latest` (both inclusive);
- the block lies inside one opening period of that office on that day (sessions exist only
  for days that are open: the caller leaves out weekends, public holidays and closures);
- no two blocks overlap on the same counter, and no block overlaps a `Busy` booking;
- a group with an interpreter `language` gets one interpreter who speaks it and whose shift
  at that office covers the whole block; no interpreter is in two places at once;
- the block starts on the office's slot grid (`Session.slot_minutes` from the period start).

Soft goals, in the objective (smaller is better):
    travel:  weights.travel_per_minute * travel minutes (municipality -> office) * group size
    waiting: weights.wait_per_day * (day - earliest).days
    unassigned: weights.unassigned per group left without a slot

A `Busy` row with an office and a counter blocks that counter; with an office and no counter it
blocks every counter of the office (a closure for part of a day); with an interpreter it blocks
that interpreter wherever they are.

How `assign` works, in three steps:

1. Choose the day. A mixed-integer program (HiGHS through `scipy.optimize.milp`) picks one
   session (office and day) per group, or "unassigned". It knows the window, whether the block
   fits a period, whether an interpreter of the language can cover it, and the capacity of each
   session counted in grid points: a block of m minutes keeps ceil(m / slot) grid points of its
   counter and of its interpreter for itself. It ignores where exactly the blocks lie, so it is
   a relaxation of the real problem, and its optimum is a lower bound for every schedule that
   keeps the hard rules (`Solution.lower_bound`). A small program is solved exactly (the bound
   is HiGHS's dual bound). A large one is first solved as a linear program, whose optimum is the
   bound; the groups it puts wholly into one session stay there, and a small mixed-integer
   program places the few it splits between sessions.
2. Place. Inside each session the chosen groups get times, counters and interpreters:
   interpreter groups first, longest first, each at the earliest time an interpreter (the one
   with the fewest languages) is free; then the others, longest first, each in the free gap of
   a counter it fills best. If groups are left over, the same with all groups longest first,
   and the better of the two counts.
3. Repair. A group that did not fit tries its other sessions, cheapest first; if none has room,
   the groups in the way of its block may move to other blocks of their own sessions when that
   lowers the cost. If it still has no block it stays unassigned with a reason code. When more
   groups stay unassigned than step 1 had to leave out, step 1 plans again with less capacity
   where step 2 could not realise the plan (see `assign`).

`Solution.cost` is the objective of the final schedule; `Solution.gap` says how far from the
optimum it can be at most. `assign_greedy` is the baseline without step 1, `violations` checks
a solution against the hard rules independently of the solver, and `synthetic_month` makes
realistic test and benchmark problems.
"""

import bisect
import dataclasses
import datetime
import itertools
import math
import random
import re
import time
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import csr_array

from lotse.appointments.problem import (  # noqa: F401 - the solver's input and output, re-exported
    NO_CAPACITY,
    NO_INTERPRETER,
    NO_SESSION_IN_WINDOW,
    REASONS,
    TOO_LONG,
    Busy,
    Group,
    Member,
    MemberTime,
    Period,
    Placement,
    Problem,
    Session,
    Shift,
    Solution,
    Weights,
)

# HiGHS stops when the schedule of step 1 is within this relative distance of its bound.
MIP_RELATIVE_GAP = 1e-4
# Languages per session up to which every connected language set gets its own capacity row.
MAX_LANGUAGES_FOR_SUBSETS = 8
# Up to this many (group, session) pairs step 1 is solved exactly as one mixed-integer program.
EXACT_PAIRS = 2_000
# Time for the mixed-integer program of the split groups; the repair of step 3 catches the rest.
REST_SECONDS = 1.0
# How many plans step 1 may make (see `assign`).
ROUNDS = 3


# --- time in whole minutes ------------------------------------------------------------------


def _minute(moment: datetime.datetime, *, up: bool = False) -> int:
    """Minutes since the epoch: absolute time, so summer time cannot shift a block. Seconds (not
    expected) are rounded down, or up with `up`: opening hours and shifts inwards, busy rows
    outwards."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime in an assignment problem: {moment!r}")
    minutes = moment.timestamp() / 60
    return math.ceil(minutes) if up else math.floor(minutes)


def _moment(minute: int, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(minute * 60, tz=tz)


def _overlaps(starts: int, ends: int, intervals: Iterable[tuple[int, int]]) -> bool:
    return any(starts < other_ends and other_starts < ends for other_starts, other_ends in intervals)


def _inside(minute: int, intervals: Iterable[tuple[int, int]]) -> bool:
    return any(starts <= minute < ends for starts, ends in intervals)


# --- the problem prepared for the solver ----------------------------------------------------


@dataclass(frozen=True)
class _Opening:
    """A period in epoch minutes. Grid points lie every `slot` minutes from `starts`."""

    starts: int
    ends: int
    counters: int
    slot: int

    @property
    def length(self) -> int:
        return self.ends - self.starts

    def grid(self) -> range:
        return range(self.starts, self.ends, self.slot)


@dataclass(frozen=True)
class _ShiftAt:
    interpreter_id: int
    languages: frozenset[str]
    starts: int
    ends: int


@dataclass(frozen=True)
class _Venue:
    """A session in epoch minutes, with the shifts and counter bookings that touch it."""

    index: int
    session: Session
    tz: datetime.tzinfo
    openings: tuple[_Opening, ...]
    shifts: tuple[_ShiftAt, ...]  # specialists (fewest languages) first, then by interpreter id
    counter_busy: dict[int, tuple[tuple[int, int], ...]]  # counter -> busy intervals (office-wide ones too), sorted
    reach: dict[str, int]  # language -> longest block an interpreter of it can cover here
    longest: int  # the longest period

    def busy_for(self, counter: int) -> tuple[tuple[int, int], ...]:
        return self.counter_busy.get(counter, ())


@dataclass(frozen=True)
class _Prepared:
    venues: tuple[_Venue, ...]
    interpreter_busy: dict[int, tuple[tuple[int, int], ...]]
    minutes: tuple[int, ...]  # per group: the length of its block
    options: tuple[tuple[int, ...], ...]  # per group: admissible venue indices, cheapest first
    costs: dict[tuple[int, int], float]  # (group index, venue index) -> objective of that choice


def _check(problem: Problem) -> None:
    keys = [group.key for group in problem.groups]
    if len(set(keys)) != len(keys):
        raise ValueError("group keys must be unique")
    for group in problem.groups:
        if not group.members or any(member.minutes <= 0 for member in group.members):
            raise ValueError(f"group {group.key} needs members with positive minutes")
    for session in problem.sessions:
        if session.slot_minutes <= 0:
            raise ValueError(f"session {session.office_id} {session.day}: slot_minutes must be positive")


def _reach(openings: Sequence[_Opening], shifts: Sequence[_ShiftAt]) -> dict[str, int]:
    """Per language, the longest block on the grid that one shift of that language covers."""
    reach: dict[str, int] = {}
    for shift in shifts:
        for opening in openings:
            earliest = max(shift.starts, opening.starts)
            first_point = opening.starts + math.ceil((earliest - opening.starts) / opening.slot) * opening.slot
            length = min(shift.ends, opening.ends) - first_point
            for language in shift.languages:
                reach[language] = max(reach.get(language, 0), length)
    return reach


def _venues(problem: Problem) -> tuple[_Venue, ...]:
    shifts_by_office: dict[int, list[_ShiftAt]] = {}
    for shift in problem.shifts:
        shifts_by_office.setdefault(shift.office_id, []).append(
            _ShiftAt(shift.interpreter_id, shift.languages, _minute(shift.starts, up=True), _minute(shift.ends))
        )
    busy_by_office: dict[int, list[tuple[int | None, int, int]]] = {}
    for busy in problem.busy:
        if busy.office_id is not None:
            interval = (busy.counter, _minute(busy.starts), _minute(busy.ends, up=True))
            busy_by_office.setdefault(busy.office_id, []).append(interval)
    venues = []
    for index, session in enumerate(problem.sessions):
        openings = tuple(
            sorted(
                (_Opening(_minute(p.starts, up=True), _minute(p.ends), p.counters, session.slot_minutes)
                 for p in session.periods),
                key=lambda opening: opening.starts,
            )
        )
        opens = min((o.starts for o in openings), default=0)
        closes = max((o.ends for o in openings), default=0)
        shifts = tuple(
            sorted(
                (s for s in shifts_by_office.get(session.office_id, ()) if s.starts < closes and opens < s.ends),
                key=lambda s: (len(s.languages), s.interpreter_id, s.starts),
            )
        )
        counters = max((o.counters for o in openings), default=0)
        counter_busy: dict[int, list[tuple[int, int]]] = {}
        for counter, starts, ends in busy_by_office.get(session.office_id, ()):
            if starts < closes and opens < ends:
                for blocked in range(1, counters + 1) if counter is None else (counter,):
                    counter_busy.setdefault(blocked, []).append((starts, ends))
        tz = session.periods[0].starts.tzinfo if session.periods else datetime.UTC
        venues.append(
            _Venue(
                index=index,
                session=session,
                tz=tz or datetime.UTC,
                openings=openings,
                shifts=shifts,
                counter_busy={counter: tuple(sorted(intervals)) for counter, intervals in counter_busy.items()},
                reach=_reach(openings, shifts),
                longest=max((opening.length for opening in openings), default=0),
            )
        )
    return tuple(venues)


def travel_minutes(problem: Problem, group: Group, office_id: int) -> int:
    return problem.travel.get((group.municipality_id, office_id), problem.weights.unknown_travel_minutes)


def placement_cost(problem: Problem, group: Group, office_id: int, day: datetime.date) -> float:
    """The objective of giving `group` a block at `office_id` on `day` (travel and waiting)."""
    weights = problem.weights
    travel = weights.travel_per_minute * travel_minutes(problem, group, office_id) * len(group.members)
    return travel + weights.wait_per_day * (day - group.earliest).days


def _admissible(group: Group, minutes: int, venue: _Venue) -> bool:
    """Could the group be served in this session if it were empty? (Necessary, not sufficient.)"""
    if not group.earliest <= venue.session.day <= group.latest:
        return False
    if minutes > venue.longest:
        return False
    return not group.language or minutes <= venue.reach.get(group.language, 0)


def _prepare(problem: Problem) -> _Prepared:
    _check(problem)
    venues = _venues(problem)
    interpreter_busy: dict[int, list[tuple[int, int]]] = {}
    for busy in problem.busy:
        if busy.interpreter_id is not None:
            interval = (_minute(busy.starts), _minute(busy.ends, up=True))
            interpreter_busy.setdefault(busy.interpreter_id, []).append(interval)
    minutes = tuple(group.minutes for group in problem.groups)
    by_day = sorted(venues, key=lambda venue: venue.session.day)
    days = [venue.session.day for venue in by_day]
    options = []
    costs: dict[tuple[int, int], float] = {}
    for group_index, group in enumerate(problem.groups):
        in_window = by_day[bisect.bisect_left(days, group.earliest) : bisect.bisect_right(days, group.latest)]
        admissible = [venue for venue in in_window if _admissible(group, minutes[group_index], venue)]
        for venue in admissible:
            costs[group_index, venue.index] = placement_cost(problem, group, venue.session.office_id, venue.session.day)
        admissible.sort(key=lambda v: (costs[group_index, v.index], v.session.day, v.session.office_id, v.index))
        options.append(tuple(venue.index for venue in admissible))
    return _Prepared(
        venues=venues,
        minutes=minutes,
        interpreter_busy={key: tuple(intervals) for key, intervals in interpreter_busy.items()},
        options=tuple(options),
        costs=costs,
    )


def _reason(group: Group, venues: Sequence[_Venue]) -> str:
    """Why a group stayed without a slot: the first of window, length, interpreter, capacity."""
    in_window = [venue for venue in venues if group.earliest <= venue.session.day <= group.latest]
    if not in_window:
        return NO_SESSION_IN_WINDOW
    fitting = [venue for venue in in_window if group.minutes <= venue.longest]
    if not fitting:
        return TOO_LONG
    if group.language and not any(group.minutes <= venue.reach.get(group.language, 0) for venue in fitting):
        return NO_INTERPRETER
    return NO_CAPACITY


# --- step 1: the day of each group (mixed-integer program) -----------------------------------


def _counter_points(venue: _Venue, openings: Iterable[_Opening]) -> int:
    """Grid points of the given periods, over all counters, that no busy row covers."""
    return sum(
        sum(1 for point in opening.grid() if not _inside(point, venue.busy_for(counter)))
        for opening in openings
        for counter in range(1, opening.counters + 1)
    )


def _interpreter_points(venue: _Venue, interpreter_busy: dict[int, tuple[tuple[int, int], ...]]) -> dict[int, int]:
    """Per interpreter, the grid points of this session inside one of their shifts and not busy."""
    points: dict[int, int] = {}
    for interpreter_id in {shift.interpreter_id for shift in venue.shifts}:
        shifts = [(s.starts, s.ends) for s in venue.shifts if s.interpreter_id == interpreter_id]
        busy = interpreter_busy.get(interpreter_id, ())
        points[interpreter_id] = sum(
            1
            for opening in venue.openings
            for point in opening.grid()
            if _inside(point, shifts) and not _inside(point, busy)
        )
    return points


def _interpreter_minutes(
    same_day: Sequence[_Venue], interpreter_busy: dict[int, tuple[tuple[int, int], ...]]
) -> dict[int, int]:
    """Per interpreter, the minutes of one day inside one of their shifts and an opening period
    of that shift's office, and not busy."""
    free: dict[int, set[int]] = {}
    for venue in same_day:
        for shift in venue.shifts:
            minutes = free.setdefault(shift.interpreter_id, set())
            for opening in venue.openings:
                minutes.update(range(max(shift.starts, opening.starts), min(shift.ends, opening.ends)))
    return {
        interpreter_id: sum(1 for minute in minutes if not _inside(minute, interpreter_busy.get(interpreter_id, ())))
        for interpreter_id, minutes in free.items()
    }


def _language_sets(shifts: Sequence[_ShiftAt]) -> list[frozenset[str]]:
    """The language sets that get their own interpreter capacity row for these shifts.

    For a set whose languages share no interpreter, the row is the sum of the rows of its parts,
    so only connected sets (linked by interpreters who speak several of them) are needed.
    """
    languages = sorted({language for shift in shifts for language in shift.languages})
    if len(languages) > MAX_LANGUAGES_FOR_SUBSETS:
        return [frozenset([language]) for language in languages]
    spoken_together = [shift.languages for shift in shifts if len(shift.languages) > 1]
    sets = []
    for size in range(1, len(languages) + 1):
        for combination in itertools.combinations(languages, size):
            if _connected(frozenset(combination), spoken_together):
                sets.append(frozenset(combination))
    return sets


def _connected(languages: frozenset[str], spoken_together: Sequence[frozenset[str]]) -> bool:
    reached = {min(languages)}
    grown = True
    while grown:
        grown = False
        for together in spoken_together:
            inside = together & languages
            if inside & reached and not inside <= reached:
                reached |= inside
                grown = True
    return reached == languages


@dataclass(frozen=True)
class _DayModel:
    """The program of step 1. Columns: x[g, s] for the admissible pairs, then u[g] per group.
    Rows: one "each group once" row per group, then the capacity rows of the sessions."""

    objective: np.ndarray
    matrix: csr_array
    lower: np.ndarray
    upper: np.ndarray
    column_group: np.ndarray  # group index of each x column
    column_venue: np.ndarray  # venue index of each x column
    unassigned_groups: np.ndarray  # group index of each u column

    @property
    def pairs(self) -> int:
        return len(self.column_group)

    def solve(self, *, integral: bool, seconds: float) -> OptimizeResult:
        integrality = np.concatenate([np.full(self.pairs, int(integral)), np.zeros(len(self.unassigned_groups))])
        return milp(
            self.objective,
            integrality=integrality,
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(self.matrix, self.lower, self.upper),
            options={"time_limit": max(seconds, 0.5), "mip_rel_gap": MIP_RELATIVE_GAP, "disp": False},
        )

    def choice(self, x: np.ndarray) -> dict[int, int]:
        chosen = np.flatnonzero(x[: self.pairs] > 0.5)
        return {int(self.column_group[c]): int(self.column_venue[c]) for c in chosen}

    def shrunk(self, misfits: dict[int, int]) -> "_DayModel":
        """The same program with less capacity where groups (group index -> venue index) did not
        fit in step 2: each row of their session loses what they would have taken of it."""
        wanted = set(misfits.items())
        chosen = np.array([(g, v) in wanted for g, v in zip(self.column_group, self.column_venue, strict=True)])
        group_rows = len(self.unassigned_groups)
        lost = self.matrix @ np.concatenate([chosen.astype(float), np.zeros(group_rows)])
        lost[:group_rows] = 0
        return dataclasses.replace(self, upper=np.maximum(self.upper - lost, 0))

    def rest(self, undecided: list[int], fixed: np.ndarray) -> "_DayModel":
        """The program for the `undecided` groups alone, in what the `fixed` columns leave free."""
        wanted = set(undecided)
        keep_pairs = np.flatnonzero([g in wanted for g in self.column_group])
        keep_unassigned = np.flatnonzero([g in wanted for g in self.unassigned_groups])
        group_rows = len(self.unassigned_groups)
        capacity_rows = np.arange(group_rows, len(self.lower))
        rows = np.concatenate([keep_unassigned, capacity_rows])  # row g belongs to group g
        columns = np.concatenate([keep_pairs, self.pairs + keep_unassigned])
        used = self.matrix[capacity_rows, :] @ np.concatenate([fixed, np.zeros(group_rows)])
        # The relaxation meets the rows up to a tolerance; never hand on a negative capacity.
        free = np.maximum(np.floor(self.upper[capacity_rows] - used + 1e-6), 0)
        return _DayModel(
            objective=self.objective[columns],
            matrix=self.matrix[rows, :][:, columns],
            lower=np.concatenate([self.lower[keep_unassigned], self.lower[capacity_rows]]),
            upper=np.concatenate([self.upper[keep_unassigned], free]),
            column_group=self.column_group[keep_pairs],
            column_venue=self.column_venue[keep_pairs],
            unassigned_groups=self.unassigned_groups[keep_unassigned],
        )


def _day_model(problem: Problem, prepared: _Prepared) -> _DayModel:
    groups, venues, minutes = problem.groups, prepared.venues, prepared.minutes
    column_group = [g for g, options in enumerate(prepared.options) for _ in options]
    column_venue = [v for options in prepared.options for v in options]
    pairs = len(column_group)
    objective = [prepared.costs[g, v] for g, v in zip(column_group, column_venue, strict=True)]
    objective += [problem.weights.unassigned] * len(groups)
    # Each group once: sum_s x[g, s] + u[g] = 1.
    rows = column_group + list(range(len(groups)))
    cols = list(range(pairs + len(groups)))
    values = [1.0] * (pairs + len(groups))
    lower = [1.0] * len(groups)
    upper = [1.0] * len(groups)

    def add_row(selected: list[int], slot: int, capacity: int) -> None:
        """sum of the grid points the selected columns' blocks take <= capacity"""
        row = len(lower)
        rows.extend([row] * len(selected))
        cols.extend(selected)
        values.extend(-(-minutes[column_group[column]] // slot) for column in selected)
        lower.append(-np.inf)
        upper.append(capacity)

    columns_of: dict[int, list[int]] = {}
    for column, venue_index in enumerate(column_venue):
        columns_of.setdefault(venue_index, []).append(column)
    for venue_index, here in columns_of.items():
        venue = venues[venue_index]
        slot = venue.session.slot_minutes
        # Grid points of all counters; long blocks only in periods long enough for them.
        add_row(here, slot, _counter_points(venue, venue.openings))
        lengths = sorted({opening.length for opening in venue.openings})
        for shorter in lengths[:-1]:
            long_ones = [c for c in here if minutes[column_group[c]] > shorter]
            if long_ones:
                longer = [opening for opening in venue.openings if opening.length > shorter]
                add_row(long_ones, slot, _counter_points(venue, longer))
        # Interpreter grid points, per connected set of languages.
        points = _interpreter_points(venue, prepared.interpreter_busy)
        for languages in _language_sets(venue.shifts):
            needing = [c for c in here if groups[column_group[c]].language in languages]
            if needing:
                speakers = {s.interpreter_id for s in venue.shifts if s.languages & languages}
                add_row(needing, slot, sum(points[i] for i in speakers))
    # An interpreter on shift at two offices on one day is still one person: interpreter
    # minutes of the whole day, per connected set of languages (in minutes: the grids differ).
    venues_of_day: dict[datetime.date, list[_Venue]] = {}
    for venue_index in columns_of:
        venues_of_day.setdefault(venues[venue_index].session.day, []).append(venues[venue_index])
    for same_day in venues_of_day.values():
        shifts = [shift for venue in same_day for shift in venue.shifts]
        postings = {(shift.interpreter_id, venue.session.office_id) for venue in same_day for shift in venue.shifts}
        if len(postings) == len({shift.interpreter_id for shift in shifts}):
            continue  # everyone at one office: the rows per session say it all
        day_minutes = _interpreter_minutes(same_day, prepared.interpreter_busy)
        for languages in _language_sets(shifts):
            needing = [c for venue in same_day for c in columns_of[venue.index]
                       if groups[column_group[c]].language in languages]
            if needing:
                speakers = {shift.interpreter_id for shift in shifts if shift.languages & languages}
                add_row(needing, 1, sum(day_minutes[i] for i in speakers))
    return _DayModel(
        objective=np.array(objective),
        matrix=csr_array((values, (rows, cols)), shape=(len(lower), pairs + len(groups))),
        lower=np.array(lower),
        upper=np.array(upper, dtype=float),
        column_group=np.array(column_group, dtype=int),
        column_venue=np.array(column_venue, dtype=int),
        unassigned_groups=np.arange(len(groups)),
    )


@dataclass(frozen=True)
class _DayChoice:
    choice: dict[int, int] | None  # group index -> venue index; None: HiGHS found no schedule
    lower_bound: float
    method: str
    unassigned: int = 0  # groups step 1 leaves out however it plans (the relaxation's, rounded up)
    left_out: frozenset[int] = frozenset()  # groups the optimum of the relaxation leaves out wholly


def _dual_bound(result: OptimizeResult) -> float:
    bound = getattr(result, "mip_dual_bound", None)
    return float(bound) if bound is not None and np.isfinite(bound) else 0.0


def _choose_days(problem: Problem, model: _DayModel, time_limit: float) -> _DayChoice:
    """Step 1: x[g, s] = 1 if group g goes to session s; u[g] = 1 if it stays unassigned.

    A small program is solved exactly. A large one first as a linear program: its optimum is the
    lower bound, the groups it puts wholly into one session stay there, and a mixed-integer
    program decides the few split ones in the capacity that is left. (HiGHS needs far longer to
    find the same schedules in the whole mixed-integer program.)
    """
    deadline = time.perf_counter() + time_limit
    if model.pairs == 0:
        groups = len(problem.groups)
        return _DayChoice(choice={}, lower_bound=problem.weights.unassigned * groups, method="milp", unassigned=groups)
    if model.pairs <= EXACT_PAIRS:
        result = model.solve(integral=True, seconds=time_limit)
        if result.x is None:
            return _DayChoice(None, _dual_bound(result), "milp (time limit)")
        method = "milp" if result.status == 0 else "milp (time limit)"
        left_out = frozenset(int(g) for g in np.flatnonzero(result.x[model.pairs :] > 0.5))
        return _DayChoice(model.choice(result.x), _dual_bound(result), method, len(left_out), left_out)
    relaxed = model.solve(integral=False, seconds=time_limit)
    if relaxed.x is None:
        return _DayChoice(choice=None, lower_bound=0.0, method="lp (time limit)")
    # Only the optimum of the relaxation bounds the real problem from below.
    lower_bound = float(relaxed.fun) if relaxed.status == 0 else 0.0
    whole = (relaxed.x[: model.pairs] > 1 - 1e-6).astype(float)
    choice = model.choice(whole)
    unassigned = relaxed.x[model.pairs :]
    undecided = [g for g in range(len(problem.groups)) if g not in choice and unassigned[g] < 1 - 1e-6]
    method = "lp+milp"
    if undecided:
        rest = model.rest(undecided, whole)
        result = rest.solve(integral=True, seconds=min(REST_SECONDS, deadline - time.perf_counter()))
        if result.x is not None:
            choice.update(rest.choice(result.x))
        if result.status != 0:
            method = "lp+milp (time limit)"
    left_out = frozenset(int(g) for g in np.flatnonzero(unassigned >= 1 - 1e-6))
    return _DayChoice(choice, lower_bound, method, math.ceil(unassigned.sum() - 1e-6), left_out)


# --- step 2: concrete times, counters and interpreters ---------------------------------------


@dataclass(frozen=True)
class _Spot:
    group_index: int
    venue_index: int
    opening_index: int
    counter: int
    first_point: int  # index of the block's first grid point in its period
    points: int  # grid points the block keeps for itself
    starts: int
    ends: int
    interpreter_id: int | None


_FREE_POINTS = re.compile(rb"\x00+")
_BUSY = 2  # a grid point inside a busy row, in `_Board.rows`


class _Board:
    """The schedule being built: the grid points of every counter (free, taken by a block, or
    busy) and the interpreters' bookings per day.

    A block takes the grid points from its start up to (not including) the first grid point at
    or after its end; blocks on one counter overlap exactly when they share a grid point. Points
    inside a busy row are marked busy, and a gap ends where a busy row starts (`_gaps`).
    """

    def __init__(self, problem: Problem, prepared: _Prepared) -> None:
        self.problem = problem
        self.prepared = prepared
        self.rows: dict[tuple[int, int, int], bytearray] = {}
        self.free_points = [0] * len(prepared.venues)
        for venue in prepared.venues:
            for opening_index, opening in enumerate(venue.openings):
                for counter in range(1, opening.counters + 1):
                    busy = venue.busy_for(counter)
                    row = bytearray(_BUSY if _inside(minute, busy) else 0 for minute in opening.grid())
                    self.rows[venue.index, opening_index, counter] = row
                    self.free_points[venue.index] += row.count(0)
        # (interpreter, day) -> group index -> (starts, ends)
        self.interpreting: dict[tuple[int, datetime.date], dict[int, tuple[int, int]]] = {}
        self.spots: dict[int, _Spot] = {}
        self.in_venue: dict[int, set[int]] = {venue.index: set() for venue in prepared.venues}
        # A gap shorter than the shortest block stays empty for good.
        self.shortest = min(prepared.minutes, default=0)

    def place(self, group_index: int, venue_index: int) -> bool:
        """Give the group a block in the session, if there is room; True if it got one."""
        venue = self.prepared.venues[venue_index]
        if -(-self.prepared.minutes[group_index] // venue.session.slot_minutes) > self.free_points[venue_index]:
            return False
        if self.problem.groups[group_index].language:
            spot = self._interpreted_spot(group_index, venue)
        else:
            spot = self._best_fit(group_index, venue)
        if spot is None:
            return False
        self.take(spot)
        return True

    def take(self, spot: _Spot) -> None:
        row = self.rows[spot.venue_index, spot.opening_index, spot.counter]
        row[spot.first_point : spot.first_point + spot.points] = b"\x01" * spot.points
        self.free_points[spot.venue_index] -= spot.points
        if spot.interpreter_id is not None:
            day = self.prepared.venues[spot.venue_index].session.day
            self.interpreting.setdefault((spot.interpreter_id, day), {})[spot.group_index] = (spot.starts, spot.ends)
        self.spots[spot.group_index] = spot
        self.in_venue[spot.venue_index].add(spot.group_index)

    def release(self, group_index: int) -> _Spot:
        spot = self.spots.pop(group_index)
        self.in_venue[spot.venue_index].discard(group_index)
        row = self.rows[spot.venue_index, spot.opening_index, spot.counter]
        row[spot.first_point : spot.first_point + spot.points] = b"\x00" * spot.points
        self.free_points[spot.venue_index] += spot.points
        if spot.interpreter_id is not None:
            day = self.prepared.venues[spot.venue_index].session.day
            del self.interpreting[spot.interpreter_id, day][group_index]
        return spot

    def _gaps(self, venue: _Venue) -> Iterable[tuple[int, int, int, int, int]]:
        """The free gaps of a session: (period index, counter, first grid point, start, end).

        A gap is a run of grid points that no block takes and no busy row covers; a block may
        start at any of its points and must end by the gap's end (in epoch minutes). A busy row
        that starts between two grid points ends a gap there.
        """
        for opening_index, opening in enumerate(venue.openings):
            slot = opening.slot
            for counter in range(1, opening.counters + 1):
                busy = venue.busy_for(counter)
                for run in _FREE_POINTS.finditer(self.rows[venue.index, opening_index, counter]):
                    first, run_end = run.start(), min(opening.ends, opening.starts + run.end() * slot)
                    for busy_starts, busy_ends in busy:  # sorted by start
                        starts = opening.starts + first * slot
                        if busy_ends <= starts or run_end <= busy_starts:
                            continue
                        if starts < busy_starts:
                            yield opening_index, counter, first, starts, busy_starts
                        first = max(first, -(-(busy_ends - opening.starts) // slot))
                    if first < run.end():
                        yield opening_index, counter, first, opening.starts + first * slot, run_end

    def _waste(self, ends: int, gap_end: int, slot: int, gap_starts: int) -> tuple[bool, int]:
        """What a block ending at `ends` leaves of its gap: (is the rest too short for any block,
        the rest in minutes)."""
        next_point = gap_starts + -(-(ends - gap_starts) // slot) * slot
        rest = max(gap_end - next_point, 0)
        return 0 < rest < self.shortest, rest

    def _best_fit(self, group_index: int, venue: _Venue) -> _Spot | None:
        """The gap the block fills best: no useless rest, the smallest rest, then earliest, lowest
        counter. The block starts where the gap starts, so the rest stays in one piece."""
        minutes = self.prepared.minutes[group_index]
        best: tuple[tuple[bool, int, int, int], _Spot] | None = None
        for opening_index, counter, first, starts, gap_end in self._gaps(venue):
            if starts + minutes > gap_end:
                continue
            slot = venue.openings[opening_index].slot
            score = (*self._waste(starts + minutes, gap_end, slot, starts), starts, counter)
            if best is None or score < best[0]:
                points = -(-minutes // slot)
                best = (score, _Spot(group_index, venue.index, opening_index, counter, first, points,
                                     starts, starts + minutes, None))
        return best[1] if best else None

    def _interpreted_spot(self, group_index: int, venue: _Venue) -> _Spot | None:
        """The earliest block with a free interpreter (so interpreters' hours fill up without
        holes); at that time the counter whose gap it fills best."""
        language, minutes = self.problem.groups[group_index].language, self.prepared.minutes[group_index]
        best: tuple[tuple[int, bool, bool, int, int], _Spot] | None = None
        for opening_index, counter, first, gap_starts, gap_end in self._gaps(venue):
            slot = venue.openings[opening_index].slot
            for starts in range(gap_starts, gap_end - minutes + 1, slot):
                if best is not None and starts > best[0][0]:
                    break
                interpreter_id = self._free_interpreter(venue, language, starts, starts + minutes)
                if interpreter_id is None:
                    continue
                waste = self._waste(starts + minutes, gap_end, slot, gap_starts)
                score = (starts, starts > gap_starts, *waste, counter)
                if best is None or score < best[0]:
                    first_point = first + (starts - gap_starts) // slot
                    best = (score, _Spot(group_index, venue.index, opening_index, counter, first_point,
                                         -(-minutes // slot), starts, starts + minutes, interpreter_id))
                break
        return best[1] if best else None

    def _free_interpreter(self, venue: _Venue, language: str, starts: int, ends: int) -> int | None:
        for shift in venue.shifts:  # specialists first, so polyglots stay free for the others
            if language not in shift.languages or not shift.starts <= starts < ends <= shift.ends:
                continue
            booked = self.interpreting.get((shift.interpreter_id, venue.session.day), {})
            busy = self.prepared.interpreter_busy.get(shift.interpreter_id, ())
            if not _overlaps(starts, ends, booked.values()) and not _overlaps(starts, ends, busy):
                return shift.interpreter_id
        return None


def _session_orders(groups: Sequence[Group], minutes: Sequence[int], chosen: list[int]) -> list[list[int]]:
    """Orders in which to try the chosen groups of one session: interpreter groups first, or
    simply the longest first."""
    interpreter_first = sorted(chosen, key=lambda g: (not groups[g].language, -minutes[g], groups[g].key))
    longest_first = sorted(chosen, key=lambda g: (-minutes[g], not groups[g].language, groups[g].key))
    return [interpreter_first, longest_first]


def _fill_session(board: _Board, venue_index: int, chosen: list[int]) -> list[int]:
    """Place the groups chosen for one session; return those that did not fit. Of the orders
    tried, the one that leaves over the fewest minutes of interpreter groups counts (their
    interpreter's hours are scarce elsewhere too), then the fewest minutes."""
    groups, minutes = board.problem.groups, board.prepared.minutes

    def left_over(failed: list[int]) -> tuple[int, int]:
        return sum(minutes[g] for g in failed if groups[g].language), sum(minutes[g] for g in failed)

    best: list[int] | None = None
    best_order: list[int] = []
    for order in _session_orders(groups, minutes, chosen):
        failed = [g for g in order if not board.place(g, venue_index)]
        if not failed:
            return []
        for g in order:
            if g in board.spots:
                board.release(g)
        if best is None or left_over(failed) < left_over(best):
            best, best_order = failed, order
    return [g for g in best_order if not board.place(g, venue_index)]


def _place_cheapest(board: _Board, group_index: int) -> bool:
    """Give the group a block in the cheapest of its sessions with room; True if it got one."""
    return any(board.place(group_index, venue_index) for venue_index in _affordable(board, group_index))


def _affordable(board: _Board, group_index: int) -> list[int]:
    """The group's sessions, cheapest first, as long as a block there costs less than none."""
    prepared, unassigned = board.prepared, board.problem.weights.unassigned
    return [v for v in prepared.options[group_index] if prepared.costs[group_index, v] < unassigned]


def _windows(board: _Board, group_index: int, venue: _Venue) -> list[tuple[int, set[int]]]:
    """Where in the session the group's block could go if the groups in the way moved: (grid
    points of those groups, the groups), fewest points first. For a group with an interpreter
    language the groups of the least booked interpreter who could cover the block count too."""
    minutes, language = board.prepared.minutes[group_index], board.problem.groups[group_index].language
    occupants = {g: board.spots[g] for g in board.in_venue[venue.index]}
    windows = []
    for opening_index, opening in enumerate(venue.openings):
        points = -(-minutes // opening.slot)
        for counter in range(1, opening.counters + 1):
            row = board.rows[venue.index, opening_index, counter]
            owner = [-1] * len(row)
            for g, spot in occupants.items():
                if (spot.opening_index, spot.counter) == (opening_index, counter):
                    owner[spot.first_point : spot.first_point + spot.points] = [g] * spot.points
            for first, starts in enumerate(opening.grid()):
                if starts + minutes > opening.ends:
                    break
                if _BUSY in row[first : first + points] or _overlaps(starts, starts + minutes, venue.busy_for(counter)):
                    continue
                in_way = {g for g in owner[first : first + points] if g >= 0}
                if language:
                    interpreting = _interpreter_in_way(board, venue, language, starts, starts + minutes, occupants)
                    if interpreting is None:
                        continue
                    in_way |= interpreting
                windows.append((sum(occupants[g].points for g in in_way), in_way))
    windows.sort(key=lambda window: (window[0], sorted(window[1])))
    return windows


def _interpreter_in_way(
    board: _Board, venue: _Venue, language: str, starts: int, ends: int, occupants: dict[int, _Spot]
) -> set[int] | None:
    """The groups booked with the least booked interpreter who could cover [starts, ends); None
    if no interpreter could (shift or busy row)."""
    best: set[int] | None = None
    for shift in venue.shifts:
        if language not in shift.languages or not shift.starts <= starts < ends <= shift.ends:
            continue
        if _overlaps(starts, ends, board.prepared.interpreter_busy.get(shift.interpreter_id, ())):
            continue
        bookings = board.interpreting.get((shift.interpreter_id, venue.session.day), {})
        booked = {g for g, (at, until) in bookings.items() if at < ends and starts < until}
        if booked - occupants.keys():
            continue  # booked at another office that day: leave that session alone
        if best is None or len(booked) < len(best):
            best = booked
    return best


def _make_room(board: _Board, group_index: int, *, windows_per_session: int = 3) -> bool:
    """Place the group by moving the groups in the way of its block to other blocks of their own
    sessions (cheapest first); True if that worked and lowered the cost. Sessions cheapest first,
    in each the windows with the fewest grid points in the way."""
    costs = board.prepared.costs
    for venue_index in _affordable(board, group_index):
        for _, in_way in _windows(board, group_index, board.prepared.venues[venue_index])[:windows_per_session]:
            before = {h: board.release(h) for h in in_way}
            moved = []
            if board.place(group_index, venue_index):
                for h in sorted(in_way, key=lambda h: (-board.prepared.minutes[h], h)):
                    if not _place_cheapest(board, h):
                        break
                    moved.append(h)
            if len(moved) == len(in_way):
                change = costs[group_index, venue_index] - board.problem.weights.unassigned + sum(
                    costs[h, board.spots[h].venue_index] - costs[h, before[h].venue_index] for h in in_way
                )
                if change < 0:
                    return True
            for h in moved:
                board.release(h)
            if group_index in board.spots:
                board.release(group_index)
            for spot in before.values():
                board.take(spot)
    return False


def _repair(board: _Board, waiting: list[int], *, no_room: frozenset[int], deadline: float) -> None:
    """Step 3: groups without a block try their sessions cheapest first; if none has room, the
    groups in the way of a block may move to other blocks (`_make_room`), until the deadline.
    Not for the groups in `no_room`, which the relaxation leaves out too (when demand exceeds
    capacity, that would be long and in vain)."""
    groups, minutes = board.problem.groups, board.prepared.minutes
    for g in sorted(waiting, key=lambda g: (groups[g].latest, -minutes[g], groups[g].key)):
        if not _place_cheapest(board, g) and g not in no_room and time.perf_counter() < deadline:
            _make_room(board, g)


# --- the solution -----------------------------------------------------------------------------


def _placement(board: _Board, spot: _Spot) -> Placement:
    problem, venue = board.problem, board.prepared.venues[spot.venue_index]
    group = problem.groups[spot.group_index]
    members = []
    starts = spot.starts
    for member in group.members:
        members.append(MemberTime(member.key, _moment(starts, venue.tz), _moment(starts + member.minutes, venue.tz)))
        starts += member.minutes
    return Placement(
        group_key=group.key,
        office_id=venue.session.office_id,
        day=venue.session.day,
        counter=spot.counter,
        starts=_moment(spot.starts, venue.tz),
        ends=_moment(spot.ends, venue.tz),
        interpreter_id=spot.interpreter_id,
        members=tuple(members),
        travel_minutes=travel_minutes(problem, group, venue.session.office_id),
    )


def solution_cost(problem: Problem, placements: Iterable[Placement], unassigned: int) -> float:
    """The objective: travel and waiting of the placements plus the penalty per unassigned group."""
    groups = {group.key: group for group in problem.groups}
    cost = sum(placement_cost(problem, groups[p.group_key], p.office_id, p.day) for p in placements)
    return cost + problem.weights.unassigned * unassigned


def _solution(board: _Board, lower_bound: float, started: float, method: str) -> Solution:
    problem = board.problem
    placements = tuple(
        sorted(
            (_placement(board, spot) for spot in board.spots.values()),
            key=lambda p: (p.day, p.office_id, p.starts, p.counter),
        )
    )
    unassigned = {
        group.key: _reason(group, board.prepared.venues)
        for index, group in enumerate(problem.groups)
        if index not in board.spots
    }
    cost = solution_cost(problem, placements, len(unassigned))
    if cost < lower_bound <= cost + 1e-6 * max(1.0, cost):
        lower_bound = cost  # the solver's tolerance, not a better schedule than the optimum
    return Solution(
        placements=placements,
        unassigned=unassigned,
        cost=cost,
        lower_bound=lower_bound,
        seconds=time.perf_counter() - started,
        method=method,
    )


def _fill_greedily(board: _Board) -> None:
    """In order of the latest date, each group takes a block in its cheapest session with room."""
    groups = board.problem.groups
    for g in sorted(range(len(groups)), key=lambda g: (groups[g].latest, groups[g].earliest, groups[g].key)):
        _place_cheapest(board, g)


def _fill_sessions(board: _Board, choice: dict[int, int]) -> dict[int, int]:
    """Step 2 for every session, day by day; return the groups that did not fit (-> session)."""
    chosen: dict[int, list[int]] = {}
    for group_index, venue_index in choice.items():
        chosen.setdefault(venue_index, []).append(group_index)
    venues = board.prepared.venues
    misfits = {}
    for venue_index in sorted(chosen, key=lambda v: (venues[v].session.day, venues[v].session.office_id, v)):
        misfits |= {g: venue_index for g in _fill_session(board, venue_index, chosen[venue_index])}
    return misfits


def assign(problem: Problem) -> Solution:
    """The schedule of smallest cost we can find, with a lower bound of the optimum.

    When more groups stay unassigned than the relaxation of step 1 must leave out, step 1 plans
    once more, with the capacity of each session lowered by what the groups that did not fit
    there in step 2 would have taken (at most `ROUNDS` plans, and only in the first half of the
    time limit); the cheapest result counts. The lower bound is that of the first plan, the only
    one on the real capacities.
    """
    started = time.perf_counter()
    deadline = started + problem.time_limit_seconds
    prepared = _prepare(problem)
    model = _day_model(problem, prepared)
    days = _choose_days(problem, model, deadline - time.perf_counter())
    lower_bound, unavoidable = days.lower_bound, days.unassigned
    if days.choice is None:
        board = _Board(problem, prepared)
        _fill_greedily(board)
        return _solution(board, lower_bound, started, f"greedy ({days.method}: HiGHS found no schedule)")
    best: Solution | None = None
    for plan in range(1, ROUNDS + 1):
        board = _Board(problem, prepared)
        misfits = _fill_sessions(board, days.choice)
        left_out = [g for g in range(len(problem.groups)) if g not in days.choice]
        _repair(board, [*misfits, *left_out], no_room=days.left_out, deadline=deadline)
        method = f"{days.method}+fit+repair, plan {plan}"
        solution = _solution(board, lower_bound, started, method)
        if best is None or solution.cost < best.cost:
            best = solution
        if plan == ROUNDS or len(solution.unassigned) <= unavoidable:
            break
        if time.perf_counter() > started + problem.time_limit_seconds / 2:
            break
        model = model.shrunk(misfits)
        days = _choose_days(problem, model, deadline - time.perf_counter())
        if days.choice is None:
            break
    assert best is not None  # the first plan always gives one
    return dataclasses.replace(best, seconds=time.perf_counter() - started)


def assign_greedy(problem: Problem) -> Solution:
    """Baseline without step 1: in order of the latest date, each group takes a block in its
    cheapest session with room (placed as in step 2). No lower bound."""
    started = time.perf_counter()
    board = _Board(problem, _prepare(problem))
    _fill_greedily(board)
    return _solution(board, 0.0, started, "greedy")


# --- an independent check of the hard rules ---------------------------------------------------


def _span(starts: datetime.datetime, ends: datetime.datetime) -> float:
    """Minutes from `starts` to `ends` in absolute time (aware subtraction in one zone would not be)."""
    return (ends.timestamp() - starts.timestamp()) / 60


def _sweep_overlaps(items: list[tuple[datetime.datetime, datetime.datetime, int]]) -> list[tuple[int, int]]:
    """Pairs of group keys whose intervals overlap, for intervals of one counter or interpreter."""
    clashes = []
    items = sorted(items, key=lambda item: (item[0].timestamp(), item[2]))
    latest_end: datetime.datetime | None = None
    latest_key = 0
    for starts, ends, key in items:
        if latest_end is not None and starts < latest_end:
            clashes.append((latest_key, key))
        if latest_end is None or ends > latest_end:
            latest_end, latest_key = ends, key
    return clashes


def violations(problem: Problem, solution: Solution) -> list[str]:
    """Every broken hard rule of `solution`, in words; an empty list means the schedule is valid.

    Written apart from the solver (datetimes, no grid arrays), so it can judge it.
    """
    found: list[str] = []
    groups = {group.key: group for group in problem.groups}
    sessions: dict[tuple[int, datetime.date], list[Session]] = {}
    for session in problem.sessions:
        sessions.setdefault((session.office_id, session.day), []).append(session)
    placed: set[int] = set()
    for placement in solution.placements:
        group = groups.get(placement.group_key)
        if group is None:
            found.append(f"placement of unknown group {placement.group_key}")
            continue
        if placement.group_key in placed:
            found.append(f"group {group.key} placed twice")
        placed.add(group.key)
        same_day = sessions.get((placement.office_id, placement.day), [])
        found += _placement_violations(problem, group, placement, same_day)
    for key, reason in solution.unassigned.items():
        if key not in groups:
            found.append(f"unknown group {key} listed as unassigned")
        if key in placed:
            found.append(f"group {key} both placed and unassigned")
        if reason not in REASONS:
            found.append(f"group {key}: unknown reason {reason!r}")
    for key in groups.keys() - placed - solution.unassigned.keys():
        found.append(f"group {key} neither placed nor unassigned")
    found += _clash_violations(problem, solution.placements)
    known = [p for p in solution.placements if p.group_key in groups]
    expected = solution_cost(problem, known, len(solution.unassigned))
    if abs(expected - solution.cost) > 1e-6 * max(1.0, abs(expected)):
        found.append(f"cost {solution.cost} differs from the objective {expected} of the schedule")
    return found


def _placement_violations(problem: Problem, group: Group, p: Placement, sessions: list[Session]) -> list[str]:
    found = []
    name = f"group {group.key}"
    if not group.earliest <= p.day <= group.latest:
        found.append(f"{name}: {p.day} outside its window {group.earliest}..{group.latest}")
    if p.starts.tzinfo is None or p.ends.tzinfo is None:
        return [*found, f"{name}: naive datetimes"]
    if _span(p.starts, p.ends) != group.minutes:
        found.append(f"{name}: block of {_span(p.starts, p.ends)} minutes, needs {group.minutes}")
    periods = [(session, period) for session in sessions for period in session.periods]
    inside = [(s, period) for s, period in periods if period.starts <= p.starts and p.ends <= period.ends]
    if not sessions:
        found.append(f"{name}: no session of office {p.office_id} on {p.day}")
    elif not inside:
        found.append(f"{name}: {p.starts:%H:%M}-{p.ends:%H:%M} not inside one opening period")
    else:
        session, period = inside[0]
        if not 1 <= p.counter <= period.counters:
            found.append(f"{name}: counter {p.counter} of {period.counters}")
        if _span(period.starts, p.starts) % session.slot_minutes:
            found.append(f"{name}: {p.starts:%H:%M} off the {session.slot_minutes}-minute grid")
    found += _member_violations(group, p)
    if group.language:
        covering = [
            shift
            for shift in problem.shifts
            if shift.interpreter_id == p.interpreter_id
            and shift.office_id == p.office_id
            and group.language in shift.languages
            and shift.starts <= p.starts
            and p.ends <= shift.ends
        ]
        if p.interpreter_id is None:
            found.append(f"{name}: no interpreter for {group.language}")
        elif not covering:
            found.append(f"{name}: interpreter {p.interpreter_id} has no {group.language} shift covering the block")
    if p.travel_minutes != travel_minutes(problem, group, p.office_id):
        found.append(f"{name}: travel minutes {p.travel_minutes} differ from the travel table")
    return found


def _member_violations(group: Group, p: Placement) -> list[str]:
    name = f"group {group.key}"
    if [m.key for m in p.members] != [m.key for m in group.members]:
        return [f"{name}: members {[m.key for m in p.members]} instead of {[m.key for m in group.members]}"]
    found = []
    previous_end = p.starts
    for member, time_ in zip(group.members, p.members, strict=True):
        if time_.starts != previous_end:
            found.append(f"{name}: member {member.key} does not follow directly")
        if _span(time_.starts, time_.ends) != member.minutes:
            given = _span(time_.starts, time_.ends)
            found.append(f"{name}: member {member.key} gets {given} of {member.minutes} minutes")
        previous_end = time_.ends
    if previous_end != p.ends:
        found.append(f"{name}: members do not fill the block")
    return found


def _clash_violations(problem: Problem, placements: Sequence[Placement]) -> list[str]:
    found = []
    by_counter: dict[tuple[int, int], list[tuple[datetime.datetime, datetime.datetime, int]]] = {}
    by_interpreter: dict[int, list[tuple[datetime.datetime, datetime.datetime, int]]] = {}
    for p in placements:
        by_counter.setdefault((p.office_id, p.counter), []).append((p.starts, p.ends, p.group_key))
        if p.interpreter_id is not None:
            by_interpreter.setdefault(p.interpreter_id, []).append((p.starts, p.ends, p.group_key))
    for (office_id, counter), items in by_counter.items():
        for first, second in _sweep_overlaps(items):
            found.append(f"groups {first} and {second} overlap at office {office_id}, counter {counter}")
    for interpreter_id, items in by_interpreter.items():
        for first, second in _sweep_overlaps(items):
            found.append(f"interpreter {interpreter_id} booked for groups {first} and {second} at once")
    office_busy: dict[int, list[Busy]] = {}
    interpreter_busy: dict[int, list[Busy]] = {}
    for busy in problem.busy:
        if busy.office_id is not None:
            office_busy.setdefault(busy.office_id, []).append(busy)
        if busy.interpreter_id is not None:
            interpreter_busy.setdefault(busy.interpreter_id, []).append(busy)
    for p in placements:
        for busy in office_busy.get(p.office_id, ()):
            if busy.counter in (None, p.counter) and p.starts < busy.ends and busy.starts < p.ends:
                found.append(f"group {p.group_key} overlaps a busy time of office {p.office_id}, counter {p.counter}")
        for busy in interpreter_busy.get(p.interpreter_id, ()) if p.interpreter_id is not None else ():
            if p.starts < busy.ends and busy.starts < p.ends:
                found.append(f"group {p.group_key} overlaps a busy time of interpreter {p.interpreter_id}")
    return found


# --- a realistic month, for tests and the benchmark ---------------------------------------------

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LANGUAGE_SHARES = {"ar": 0.35, "uk": 0.2, "fa": 0.15, "ru": 0.1, "tr": 0.1, "ku": 0.1}
# First languages of the interpreter roster, in order, and the second language some also speak.
ROSTER = ("ar", "uk", "fa", "ar", "ru", "tr", "ku", "ar", "uk", "fa")
SECOND_LANGUAGE = {"ar": "ku", "ku": "ar", "uk": "ru", "ru": "uk", "fa": "ar", "tr": "ku"}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def synthetic_month(
    *,
    groups: int,
    seed: int,
    start: datetime.date,
    offices: int = 2,
    days: int = 31,
    municipalities: int = 15,
    interpreters: int = 10,
    language_share: float = 0.3,
    family_share: float = 0.2,
    slot_minutes: int = 10,
    weights: Weights | None = None,
    time_limit_seconds: float = 30.0,
) -> Problem:
    """A month of eAT renewals in a Kreis like Düren, the same for the same seed.

    Sessions on weekdays only (holidays are the caller's business), 08:00-12:00 and (not on
    Fridays) 13:00-15:30 in Europe/Berlin, 3-6 counters, some counter time already booked.
    Households of 1-5 (`family_share` of them families), services of 20-40 minutes; windows
    from 1-5 days after `start` to 8 days after it or up to 10 days after the month; travel of
    5-60 minutes from each of the municipalities to each office. `language_share` of the groups
    need an interpreter (ar, uk, fa, ru, tr, ku); interpreters speak one or two of them and work
    three fixed weekdays at one office, about half of them all day, the others in the mornings.
    """
    rng = random.Random(seed)
    sessions, busy = _synthetic_sessions(rng, start, days, offices, slot_minutes)
    shifts, interpreter_busy = _synthetic_shifts(rng, sessions, interpreters)
    travel: dict[tuple[int | None, int], int] = {
        (municipality, office): rng.randint(5, 60)
        for municipality in range(1, municipalities + 1)
        for office in range(1, offices + 1)
    }
    municipality_weights = [rng.uniform(0.3, 3.0) for _ in range(municipalities)]
    proposal = 0
    made = []
    for _ in range(groups):
        size = rng.choice((2, 2, 3, 3, 4, 5)) if rng.random() < family_share else 1
        members = []
        for _ in range(size):
            proposal += 1
            members.append(Member(key=proposal, minutes=rng.choice((20, 30, 30, 40))))
        earliest = start + datetime.timedelta(days=rng.randint(1, 5))
        latest = max(earliest, start + datetime.timedelta(days=rng.randint(8, days + 10)))
        language = ""
        if rng.random() < language_share:
            language = rng.choices(list(LANGUAGE_SHARES), weights=list(LANGUAGE_SHARES.values()))[0]
        made.append(
            Group(
                key=members[0].key,
                members=tuple(members),
                earliest=earliest,
                latest=latest,
                municipality_id=rng.choices(range(1, municipalities + 1), weights=municipality_weights)[0],
                language=language,
            )
        )
    return Problem(
        groups=tuple(made),
        sessions=tuple(sessions),
        shifts=tuple(shifts),
        busy=tuple(busy + interpreter_busy),
        travel=travel,
        weights=weights or Weights(),
        time_limit_seconds=time_limit_seconds,
    )


def _synthetic_sessions(
    rng: random.Random, start: datetime.date, days: int, offices: int, slot_minutes: int
) -> tuple[list[Session], list[Busy]]:
    staff = {office: rng.randint(5, 6) if office == 1 else rng.randint(4, 5) for office in range(1, offices + 1)}
    sessions, busy = [], []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for office in range(1, offices + 1):
            counters = max(3, min(6, staff[office] + rng.choice((-1, 0, 0, 0, 1))))
            periods = [Period(_at(day, 8), _at(day, 12), counters)]
            if day.weekday() != 4:
                periods.append(Period(_at(day, 13), _at(day, 15, 30), counters))
            sessions.append(Session(office_id=office, day=day, periods=tuple(periods), slot_minutes=slot_minutes))
            for _ in range(rng.randint(0, 3)):  # appointments booked before this run
                period = rng.choice(periods)
                starts = period.starts + datetime.timedelta(minutes=slot_minutes * rng.randint(0, 8))
                busy.append(
                    Busy(
                        starts=starts,
                        ends=starts + datetime.timedelta(minutes=rng.choice((20, 30, 60))),
                        office_id=office,
                        counter=rng.randint(1, period.counters),
                    )
                )
    return sessions, busy


def _synthetic_shifts(rng: random.Random, sessions: list[Session], interpreters: int) -> tuple[list[Shift], list[Busy]]:
    offices = sorted({session.office_id for session in sessions})
    shifts, busy = [], []
    for interpreter_id in range(1, interpreters + 1):
        first = ROSTER[(interpreter_id - 1) % len(ROSTER)]
        languages = frozenset({first, SECOND_LANGUAGE[first]} if rng.random() < 0.3 else {first})
        office = offices[(interpreter_id - 1) % len(offices)] if offices else 1
        weekdays = set(rng.sample(range(5), 3))
        full_day = rng.random() < 0.5
        for session in sessions:
            if session.office_id != office or session.day.weekday() not in weekdays:
                continue
            ends = session.periods[-1].ends if full_day else session.periods[0].ends
            shifts.append(Shift(interpreter_id, languages, office, session.periods[0].starts, ends))
            if rng.random() < 0.05:  # a court hearing, say
                busy.append(Busy(_at(session.day, 9), _at(session.day, 10), interpreter_id=interpreter_id))
    return shifts, busy
