"""The assignment problem as plain data: offices' open days (`Session`, `Period`), interpreter
hours (`Shift`), times already taken (`Busy`), the groups to place (`Group`, `Member`), the
weights of the objective, and the answer (`Solution`, `Placement`). No solver and no database
here, so the rest of the app (slots, planning, the desk) imports it without loading SciPy; the
solver is `appointments.assignment`, whose docstring states the rules."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Period:
    """Opening hours of an office on one day, with the number of staffed counters."""

    starts: datetime.datetime  # aware
    ends: datetime.datetime  # aware
    counters: int


@dataclass(frozen=True)
class Session:
    """One office on one open day."""

    office_id: int
    day: datetime.date
    periods: tuple[Period, ...]
    slot_minutes: int = 10


@dataclass(frozen=True)
class Shift:
    """An interpreter at an office, on one day, from `starts` to `ends`."""

    interpreter_id: int
    languages: frozenset[str]
    office_id: int
    starts: datetime.datetime
    ends: datetime.datetime


@dataclass(frozen=True)
class Busy:
    """Time already taken: a counter of an office, or an interpreter (counter/office None)."""

    starts: datetime.datetime
    ends: datetime.datetime
    office_id: int | None = None
    counter: int | None = None
    interpreter_id: int | None = None


@dataclass(frozen=True)
class Member:
    key: int  # the proposal id
    minutes: int  # the service length of this member's appointment


@dataclass(frozen=True)
class Group:
    key: int  # the id of the group's first proposal
    members: tuple[Member, ...]  # in the order they are seen, one after the other
    earliest: datetime.date
    latest: datetime.date
    municipality_id: int | None
    language: str = ""  # interpreter language ("" = none needed)

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.members)


@dataclass(frozen=True)
class Weights:
    travel_per_minute: float = 1.0
    wait_per_day: float = 1.0
    unassigned: float = 10_000.0
    # travel minutes used when a municipality has no entry for an office
    unknown_travel_minutes: int = 120


@dataclass(frozen=True)
class Problem:
    groups: tuple[Group, ...]
    sessions: tuple[Session, ...]
    shifts: tuple[Shift, ...] = ()
    busy: tuple[Busy, ...] = ()
    travel: dict[tuple[int | None, int], int] = field(default_factory=dict)  # (municipality, office) -> minutes
    weights: Weights = field(default_factory=Weights)
    time_limit_seconds: float = 30.0


@dataclass(frozen=True)
class MemberTime:
    key: int
    starts: datetime.datetime
    ends: datetime.datetime


@dataclass(frozen=True)
class Placement:
    group_key: int
    office_id: int
    day: datetime.date
    counter: int  # 1 .. counters of the period
    starts: datetime.datetime
    ends: datetime.datetime
    interpreter_id: int | None
    members: tuple[MemberTime, ...]
    travel_minutes: int


@dataclass(frozen=True)
class Solution:
    placements: tuple[Placement, ...]
    unassigned: dict[int, str]  # group key -> reason code
    cost: float  # objective value of the placements and the unassigned groups
    lower_bound: float  # no schedule keeping the hard rules costs less than this
    seconds: float
    method: str

    @property
    def gap(self) -> float:
        """Relative distance to the optimum, at most: (cost - lower bound) / lower bound."""
        if self.lower_bound <= 0:
            return 0.0 if self.cost <= 0 else float("inf")
        return max(0.0, (self.cost - self.lower_bound) / self.lower_bound)


# Reason codes for groups left without a slot.
NO_SESSION_IN_WINDOW = "no_open_day_in_window"
NO_INTERPRETER = "no_interpreter"
NO_CAPACITY = "no_free_slot"
TOO_LONG = "block_longer_than_opening_hours"


REASONS = (NO_SESSION_IN_WINDOW, NO_INTERPRETER, NO_CAPACITY, TOO_LONG)
