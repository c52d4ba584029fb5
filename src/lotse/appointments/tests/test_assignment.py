"""Assigning invitation groups to appointment blocks: the hard rules, the reason codes, the
optimum on tiny problems (against brute force), and a month of Kreis Düren renewals.

Pure: no database. The month prints its figures (run with -s to see them); no timing asserts.
"""

import dataclasses
import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.appointments.assignment import (
    NO_CAPACITY,
    NO_INTERPRETER,
    NO_SESSION_IN_WINDOW,
    TOO_LONG,
    Busy,
    Group,
    Member,
    Period,
    Placement,
    Problem,
    Session,
    Shift,
    Solution,
    Weights,
    assign,
    assign_greedy,
    synthetic_month,
    violations,
)

# Needs no database: run once, in the SQLite pass (see Makefile, docs/development.md).
pytestmark = pytest.mark.db_independent

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime.date(2027, 3, 1)
TUESDAY = MONDAY + datetime.timedelta(days=1)
SATURDAY = MONDAY + datetime.timedelta(days=5)


def at(day: datetime.date, clock: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def period(day: datetime.date, starts: str, ends: str, counters: int = 1) -> Period:
    return Period(at(day, starts), at(day, ends), counters)


def group(key: int, *minutes: int, earliest=MONDAY, latest=None, municipality=1, language="") -> Group:
    members = tuple(Member(key=key * 10 + index, minutes=m) for index, m in enumerate(minutes))
    return Group(key, members, earliest, latest or earliest, municipality, language)


def shift(interpreter: int, languages: str, office: int, day, starts: str, ends: str) -> Shift:
    return Shift(interpreter, frozenset(languages.split()), office, at(day, starts), at(day, ends))


def problem(groups, sessions, **extra) -> Problem:
    extra.setdefault("travel", {(1, 1): 10, (1, 2): 40, (2, 1): 30, (2, 2): 10})
    return Problem(groups=tuple(groups), sessions=tuple(sessions), **extra)


def solved(p: Problem) -> Solution:
    """assign(), checked against the hard rules and the bound on the way."""
    solution = assign(p)
    assert violations(p, solution) == []
    assert solution.lower_bound <= solution.cost + 1e-6
    return solution


def placed(solution: Solution) -> dict[int, Placement]:
    return {p.group_key: p for p in solution.placements}


def clock(moment: datetime.datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%H:%M")


def overlap(a: Placement, b: Placement) -> bool:
    return a.starts < b.ends and b.starts < a.ends


# --- the hard rules, kept by assign ------------------------------------------------------------


def test_the_day_lies_in_the_window_even_when_an_earlier_day_would_be_cheaper():
    p = problem(
        [group(1, 30, earliest=TUESDAY, latest=TUESDAY + datetime.timedelta(days=3))],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "12:00", 3),)),
         Session(2, TUESDAY, (period(TUESDAY, "08:00", "12:00", 3),))],
    )
    placement = placed(solved(p))[1]
    assert placement.day == TUESDAY and placement.office_id == 2


def test_a_block_lies_inside_one_opening_period():
    # 08:00-08:40 and 09:00-10:00: a block of 50 minutes fits only the second period
    p = problem([group(1, 20, 30)], [Session(1, MONDAY, (period(MONDAY, "08:00", "08:40"),
                                                         period(MONDAY, "09:00", "10:00")))])
    placement = placed(solved(p))[1]
    assert at(MONDAY, "09:00") <= placement.starts and placement.ends <= at(MONDAY, "10:00")


def test_blocks_start_on_the_slot_grid_of_their_period():
    # A period starting 08:05 with 15-minute slots: blocks of 20 minutes start 08:05, 08:35, 09:05
    p = problem([group(key, 20) for key in (1, 2, 3)],
                [Session(1, MONDAY, (period(MONDAY, "08:05", "09:35"),), slot_minutes=15)])
    solution = solved(p)
    assert sorted(clock(p.starts) for p in solution.placements) == ["08:05", "08:35", "09:05"]


def test_a_counter_serves_one_block_at_a_time_and_the_rest_wait_for_a_free_counter():
    one_counter = problem([group(key, 20) for key in (1, 2, 3, 4)],
                          [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00"),))])
    solution = solved(one_counter)
    assert len(solution.placements) == 3
    assert list(solution.unassigned.values()) == [NO_CAPACITY]
    two_counters = dataclasses.replace(one_counter, sessions=(Session(1, MONDAY, (period(MONDAY, "08:00", "09:00", 2),)),))
    solution = solved(two_counters)
    assert len(solution.placements) == 4 and not solution.unassigned
    for a in solution.placements:
        for b in solution.placements:
            assert a is b or a.counter != b.counter or not overlap(a, b)


def test_busy_counters_and_an_office_wide_closure_are_kept_free():
    p = problem(
        [group(1, 20), group(2, 20)],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00", 2),))],
        busy=(Busy(at(MONDAY, "08:00"), at(MONDAY, "09:00"), office_id=1, counter=1),
              Busy(at(MONDAY, "08:00"), at(MONDAY, "08:20"), office_id=1)),  # all counters
    )
    solution = solved(p)
    assert sorted((p.counter, clock(p.starts)) for p in solution.placements) == [(2, "08:20"), (2, "08:40")]


def test_a_block_may_end_where_a_busy_row_starts_between_two_grid_points():
    p = problem([group(1, 10)], [Session(1, MONDAY, (period(MONDAY, "08:00", "08:30"),), slot_minutes=15)],
                busy=(Busy(at(MONDAY, "08:10"), at(MONDAY, "08:20"), office_id=1),))
    placement = placed(solved(p))[1]
    assert (clock(placement.starts), clock(placement.ends)) == ("08:00", "08:10")


def test_the_interpreter_speaks_the_language_and_the_shift_covers_the_whole_block():
    p = problem(
        [group(1, 40, language="ar")],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "10:00", 2),))],
        shifts=(shift(1, "fa", 1, MONDAY, "08:00", "10:00"),  # wrong language
                shift(2, "ar", 1, MONDAY, "08:30", "09:00"),  # too short
                shift(3, "ar", 2, MONDAY, "08:00", "10:00"),  # other office
                shift(4, "ar ku", 1, MONDAY, "09:10", "10:00")),
    )
    placement = placed(solved(p))[1]
    assert placement.interpreter_id == 4
    assert at(MONDAY, "09:10") <= placement.starts and placement.ends <= at(MONDAY, "10:00")


def test_an_interpreter_is_never_in_two_places_at_once():
    # Interpreter 1 is (by a data error) on shift at both offices at the same time.
    p = problem(
        [group(key, 30, language="ar", municipality=1 + key % 2) for key in (1, 2, 3, 4)],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00", 2),)),
         Session(2, MONDAY, (period(MONDAY, "08:00", "09:00", 2),))],
        shifts=(shift(1, "ar", 1, MONDAY, "08:00", "09:00"), shift(1, "ar", 2, MONDAY, "08:00", "09:00")),
    )
    solution = solved(p)
    assert len(solution.placements) == 2  # one hour of one interpreter
    first, second = solution.placements
    assert first.interpreter_id == second.interpreter_id == 1 and not overlap(first, second)
    assert sorted(solution.unassigned.values()) == [NO_CAPACITY, NO_CAPACITY]
    # The bound knows it too: one hour of one person, whatever the offices.
    assert solution.lower_bound == pytest.approx(solution.cost)


def test_an_interpreter_busy_elsewhere_is_not_booked():
    p = problem(
        [group(1, 30, language="ar"), group(2, 30, language="ar")],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00", 2),))],
        shifts=(shift(1, "ar", 1, MONDAY, "08:00", "09:00"),),
        busy=(Busy(at(MONDAY, "08:00"), at(MONDAY, "08:30"), interpreter_id=1),),
    )
    solution = solved(p)
    assert [clock(p.starts) for p in solution.placements] == ["08:30"]
    assert list(solution.unassigned.values()) == [NO_CAPACITY]


def test_family_members_follow_each_other_in_their_order_at_one_counter():
    family = group(1, 20, 30, 10)
    p = problem([family, group(2, 40)], [Session(1, MONDAY, (period(MONDAY, "08:00", "10:00", 2),))],
                busy=(Busy(at(MONDAY, "08:00"), at(MONDAY, "08:10"), office_id=1, counter=1),))
    placement = placed(solved(p))[1]
    assert [m.key for m in placement.members] == [10, 11, 12]
    assert placement.members[0].starts == placement.starts and placement.members[-1].ends == placement.ends
    for member, time_, following in zip(family.members, placement.members, placement.members[1:] + (None,),
                                        strict=True):
        assert time_.ends - time_.starts == datetime.timedelta(minutes=member.minutes)
        assert following is None or following.starts == time_.ends
    assert placement.ends - placement.starts == datetime.timedelta(minutes=60)


def test_times_are_aware_and_in_the_zone_of_the_opening_hours():
    p = problem([group(1, 20, 20)], [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00"),))])
    placement = placed(solved(p))[1]
    for moment in (placement.starts, placement.ends, *(m.starts for m in placement.members)):
        assert moment.tzinfo is not None and moment.utcoffset() == datetime.timedelta(hours=1)
    with pytest.raises(ValueError, match="naive"):
        assign(problem([group(1, 20)], [Session(1, MONDAY, (Period(datetime.datetime(2027, 3, 1, 8),
                                                                    datetime.datetime(2027, 3, 1, 9), 1),))]))


def test_summer_time_keeps_the_local_opening_hours():
    sunday_of_the_change = datetime.date(2027, 3, 28)
    monday = sunday_of_the_change + datetime.timedelta(days=1)
    p = problem([group(1, 20, earliest=sunday_of_the_change, latest=monday)],
                [Session(1, monday, (period(monday, "08:00", "09:00"),))])
    placement = placed(solved(p))[1]
    assert clock(placement.starts) == "08:00" and placement.starts.utcoffset() == datetime.timedelta(hours=2)


def test_without_a_schedule_from_highs_the_greedy_result_is_used(monkeypatch):
    from scipy.optimize import OptimizeResult

    from lotse.appointments import assignment

    def no_schedule(*args, **kwargs):
        return OptimizeResult(x=None, status=1, fun=None, mip_dual_bound=None, success=False, message="time limit")

    monkeypatch.setattr(assignment, "milp", no_schedule)
    p = problem([group(1, 20), group(2, 20)], [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00"),))])
    solution = solved(p)
    assert solution.method.startswith("greedy") and len(solution.placements) == 2
    assert solution.lower_bound == 0.0


# --- the objective and the reason codes -------------------------------------------------------------


def test_when_the_nearer_office_is_full_the_farther_one_is_used():
    # Municipality 1: 10 minutes to office 1, 40 to office 2. Office 1 has room for one block.
    p = problem([group(1, 30), group(2, 30)],
                [Session(1, MONDAY, (period(MONDAY, "08:00", "08:30"),)),
                 Session(2, MONDAY, (period(MONDAY, "08:00", "12:00", 3),))])
    solution = solved(p)
    assert sorted(p.office_id for p in solution.placements) == [1, 2]
    assert sorted(p.travel_minutes for p in solution.placements) == [10, 40]
    assert solution.cost == 50 and solution.lower_bound == pytest.approx(50)


def test_waiting_a_day_is_weighed_against_travel_and_family_size():
    # Office 1 is full on Monday. A family of four waits a day for office 1 (1 < 4 * 30 minutes);
    # with a high price per day of waiting it travels to office 2 on Monday instead.
    sessions = [Session(1, MONDAY, (period(MONDAY, "08:00", "08:20"),)),
                Session(1, TUESDAY, (period(TUESDAY, "08:00", "12:00", 2),)),
                Session(2, MONDAY, (period(MONDAY, "08:00", "12:00", 2),))]
    groups = [group(1, 20, latest=TUESDAY), group(2, 20, 20, 20, 20, latest=TUESDAY)]
    cheap_wait = solved(problem(groups, sessions))
    assert {(p.office_id, p.day) for p in cheap_wait.placements} == {(1, MONDAY), (1, TUESDAY)}
    assert placed(cheap_wait)[2].day == TUESDAY
    costly_wait = solved(problem(groups, sessions, weights=Weights(wait_per_day=500)))
    assert {(p.office_id, p.day) for p in costly_wait.placements} == {(1, MONDAY), (2, MONDAY)}


def test_an_unknown_municipality_travels_the_default_minutes():
    p = problem([group(1, 20, municipality=None)], [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00"),))],
                weights=Weights(unknown_travel_minutes=77))
    solution = solved(p)
    assert solution.placements[0].travel_minutes == 77 and solution.cost == 77


def test_no_interpreter_for_the_language_or_none_long_enough():
    p = problem(
        [group(1, 30, language="tr"), group(2, 40, language="fa"), group(3, 30, language="ar")],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "12:00", 3),))],
        shifts=(shift(1, "ar", 1, MONDAY, "08:00", "12:00"), shift(2, "fa", 1, MONDAY, "08:00", "08:30")),
    )
    solution = solved(p)
    assert solution.unassigned == {1: NO_INTERPRETER, 2: NO_INTERPRETER}
    assert placed(solution)[3].interpreter_id == 1


def test_no_open_day_in_the_window():
    p = problem([group(1, 30, earliest=SATURDAY, latest=SATURDAY + datetime.timedelta(days=1))],
                [Session(1, MONDAY, (period(MONDAY, "08:00", "12:00", 3),))])
    solution = solved(p)
    assert solution.unassigned == {1: NO_SESSION_IN_WINDOW}
    assert solution.cost == solution.lower_bound == p.weights.unassigned


def test_a_block_longer_than_every_period():
    p = problem([group(1, 40, 40, 40, 40, 40)],  # 200 minutes
                [Session(1, MONDAY, (period(MONDAY, "08:00", "11:00", 3), period(MONDAY, "13:00", "15:30", 3)))])
    assert solved(p).unassigned == {1: TOO_LONG}


# --- the validator finds every broken rule -------------------------------------------------------------


@pytest.fixture
def valid() -> tuple[Problem, Solution]:
    p = problem(
        [group(1, 20, 30), group(2, 30, language="ar"), group(3, 20)],
        [Session(1, MONDAY, (period(MONDAY, "08:00", "09:00", 2), period(MONDAY, "10:00", "11:00", 1)))],
        shifts=(shift(7, "ar", 1, MONDAY, "08:00", "09:00"),),
        busy=(Busy(at(MONDAY, "10:00"), at(MONDAY, "10:30"), office_id=1, counter=1),),
    )
    return p, solved(p)


def later(moment_holder, minutes: int, **changes):
    """A placement or member time moved by `minutes`, members included."""
    by = datetime.timedelta(minutes=minutes)
    if isinstance(moment_holder, Placement):
        changes["members"] = tuple(later(m, minutes) for m in moment_holder.members)
    return dataclasses.replace(moment_holder, starts=moment_holder.starts + by, ends=moment_holder.ends + by,
                               **changes)


def changed(solution: Solution, key: int, **changes) -> Solution:
    """The solution with the placement of group `key` replaced by changed fields."""
    new = dataclasses.replace(placed(solution)[key], **changes)
    return dataclasses.replace(solution, placements=tuple(new if p.group_key == key else p
                                                          for p in solution.placements))


def moved(solution: Solution, key: int, starts: datetime.datetime, counter: int) -> Solution:
    """The solution with the block of group `key` moved to `starts` at `counter`."""
    p = placed(solution)[key]
    new = later(p, int((starts - p.starts).total_seconds()) // 60, counter=counter, day=starts.date())
    return dataclasses.replace(solution, placements=tuple(new if q.group_key == key else q
                                                          for q in solution.placements))


def members_of(solution: Solution, key: int):
    return placed(solution)[key].members


# In the valid solution: group 1 (20 + 30 minutes), group 2 (ar, interpreter 7), group 3 (20).
MUTATIONS = {
    "outside its window": lambda s: moved(s, 3, at(TUESDAY, "08:00"), 1),
    "no session": lambda s: changed(s, 3, office_id=9),
    "not inside one opening period": lambda s: moved(s, 3, at(MONDAY, "08:50"), 2),
    "off the 10-minute grid": lambda s: moved(s, 3, at(MONDAY, "10:35"), 1),
    "counter 2 of 1": lambda s: moved(s, 3, at(MONDAY, "10:30"), 2),
    "overlap at office 1": lambda s: moved(s, 3, placed(s)[1].starts, placed(s)[1].counter),
    "busy time of office 1": lambda s: moved(s, 3, at(MONDAY, "10:00"), 1),
    "no interpreter for ar": lambda s: changed(s, 2, interpreter_id=None),
    "has no ar shift covering": lambda s: changed(s, 2, interpreter_id=8),
    "members [11, 10]": lambda s: changed(s, 1, members=tuple(reversed(members_of(s, 1)))),
    "does not follow directly": lambda s: changed(s, 1, members=(members_of(s, 1)[0], later(members_of(s, 1)[1], 10))),
    "block of 60.0 minutes": lambda s: changed(s, 1, ends=placed(s)[1].ends + datetime.timedelta(minutes=10)),
    "neither placed nor unassigned": lambda s: dataclasses.replace(
        s, placements=tuple(p for p in s.placements if p.group_key != 3)),
    "placed twice": lambda s: dataclasses.replace(s, placements=(*s.placements, placed(s)[3])),
    "both placed and unassigned": lambda s: dataclasses.replace(s, unassigned={3: NO_CAPACITY}),
    "unknown reason": lambda s: dataclasses.replace(
        s, placements=tuple(p for p in s.placements if p.group_key != 3), unassigned={3: "bad luck"}),
    "differs from the objective": lambda s: dataclasses.replace(s, cost=s.cost - 1),
    "travel minutes 5 differ": lambda s: changed(s, 3, travel_minutes=5),
}


@pytest.mark.parametrize("message", MUTATIONS)
def test_the_validator_names_each_broken_rule(valid, message):
    p, solution = valid
    assert violations(p, solution) == []
    broken = MUTATIONS[message](solution)
    found = violations(p, broken)
    assert any(message in line for line in found), found


def test_the_validator_finds_a_double_booked_interpreter_and_a_busy_one(valid):
    p, solution = valid
    two = dataclasses.replace(p, groups=(*p.groups, group(4, 30, language="ar")))
    clash = placed(solution)[2]
    second = dataclasses.replace(clash, counter=3 - clash.counter, group_key=4,
                                 members=(dataclasses.replace(clash.members[0], key=40),))
    double = dataclasses.replace(solution, placements=(*solution.placements, second),
                                 cost=solution.cost + 10)
    assert any("interpreter 7 booked for groups 2 and 4 at once" in line for line in violations(two, double))
    busy = dataclasses.replace(p, busy=(*p.busy, Busy(clash.starts, clash.ends, interpreter_id=7)))
    assert any("busy time of interpreter 7" in line for line in violations(busy, solution))


# --- the optimum of tiny problems, by brute force ---------------------------------------------------


def brute_force_optimum(p: Problem) -> float:
    """The cost of the cheapest schedule keeping the hard rules: every block of every group is
    tried (branch and bound on the cost). Written without the solver's code."""
    w = p.weights

    def cost(g: Group, office: int, day: datetime.date) -> float:
        travel = p.travel.get((g.municipality_id, office), w.unknown_travel_minutes)
        return w.travel_per_minute * travel * len(g.members) + w.wait_per_day * (day - g.earliest).days

    def busy_at(starts, ends, *, office=None, counter=None, interpreter=None) -> bool:
        for b in p.busy:
            if not (b.starts < ends and starts < b.ends):
                continue
            if office is not None and b.office_id == office and b.counter in (None, counter):
                return True
            if interpreter is not None and b.interpreter_id == interpreter:
                return True
        return False

    options = []  # per group: (cost, office, counter, starts, ends, interpreter)
    for g in p.groups:
        length = datetime.timedelta(minutes=sum(m.minutes for m in g.members))
        blocks = []
        for s in p.sessions:
            if not g.earliest <= s.day <= g.latest:
                continue
            for period_ in s.periods:
                starts = period_.starts
                while starts + length <= period_.ends:
                    ends = starts + length
                    interpreters = [None]
                    if g.language:
                        interpreters = sorted({sh.interpreter_id for sh in p.shifts
                                               if sh.office_id == s.office_id and g.language in sh.languages
                                               and sh.starts <= starts and ends <= sh.ends
                                               and not busy_at(starts, ends, interpreter=sh.interpreter_id)})
                    for counter in range(1, period_.counters + 1):
                        if busy_at(starts, ends, office=s.office_id, counter=counter):
                            continue
                        for interpreter in interpreters:
                            blocks.append((cost(g, s.office_id, s.day), s.office_id, counter, starts, ends, interpreter))
                    starts += datetime.timedelta(minutes=s.slot_minutes)
        options.append(sorted(blocks, key=lambda block: block[0]))

    cheapest = [min([w.unassigned] + [block[0] for block in blocks]) for blocks in options]
    still = [sum(cheapest[i:]) for i in range(len(options) + 1)]
    best = [w.unassigned * len(options)]

    def fits(block, chosen) -> bool:
        _, office, counter, starts, ends, interpreter = block
        for _, o, c, s, e, i in chosen:
            if starts < e and s < ends and ((o, c) == (office, counter) or (interpreter is not None and i == interpreter)):
                return False
        return True

    def search(index: int, so_far: float, chosen: list) -> None:
        if so_far + still[index] >= best[0] - 1e-9:
            return
        if index == len(options):
            best[0] = so_far
            return
        for block in options[index]:
            if fits(block, chosen):
                search(index + 1, so_far + block[0], [*chosen, block])
        search(index + 1, so_far + w.unassigned, chosen)

    search(0, 0.0, [])
    return best[0]


def tiny_problem() -> Problem:
    """Two offices, two days, little room: the cheap choices collide."""
    sessions = [
        Session(1, MONDAY, (period(MONDAY, "08:00", "09:00"),), slot_minutes=15),
        Session(2, MONDAY, (period(MONDAY, "08:00", "08:40"),), slot_minutes=20),
        Session(1, TUESDAY, (period(TUESDAY, "08:00", "08:45"), period(TUESDAY, "09:00", "09:30")), slot_minutes=15),
    ]
    groups = [
        group(1, 20, 25, latest=TUESDAY),  # a family of two, 45 minutes
        group(2, 30, language="ar", latest=TUESDAY, municipality=2),
        group(3, 15, municipality=2),
        group(4, 20, latest=TUESDAY),
        group(5, 40, language="ar", latest=TUESDAY),
    ]
    shifts = (shift(1, "ar", 1, MONDAY, "08:00", "08:40"), shift(2, "ar fa", 2, MONDAY, "08:00", "08:40"),
              shift(1, "ar", 1, TUESDAY, "08:00", "09:30"))
    return problem(groups, sessions, shifts=shifts, weights=Weights(wait_per_day=15, unassigned=500))


def test_assign_reaches_the_brute_force_optimum_of_a_tiny_problem():
    p = tiny_problem()
    optimum = brute_force_optimum(p)
    solution = solved(p)
    assert solution.cost == pytest.approx(optimum)
    assert solution.lower_bound <= optimum + 1e-6
    assert not solution.unassigned  # the optimum places every group here
    greedy = assign_greedy(p)
    assert violations(p, greedy) == [] and greedy.cost >= optimum


@st.composite
def small_problems(draw) -> Problem:
    """Up to two offices and two days, one or two short periods, up to four groups, random
    interpreters and busy rows: small enough for brute force."""
    offices = draw(st.integers(1, 2))
    days = [MONDAY + datetime.timedelta(days=d) for d in range(draw(st.integers(1, 2)))]
    sessions = []
    for office in range(1, offices + 1):
        for day in days:
            if not draw(st.booleans()) and sessions:
                continue
            slot = draw(st.sampled_from([10, 15, 20]))
            starts = at(day, "08:00") + datetime.timedelta(minutes=draw(st.sampled_from([0, 5, 10])))
            periods = []
            for _ in range(draw(st.integers(1, 2))):
                ends = starts + datetime.timedelta(minutes=draw(st.sampled_from([30, 40, 45, 60])))
                periods.append(Period(starts, ends, draw(st.integers(1, 2))))
                starts = ends + datetime.timedelta(minutes=draw(st.sampled_from([0, 30])))
            sessions.append(Session(office, day, tuple(periods), slot))

    def moment() -> datetime.datetime:
        return at(draw(st.sampled_from(days)), "08:00") + datetime.timedelta(minutes=5 * draw(st.integers(0, 20)))

    shifts = []
    for _ in range(draw(st.integers(0, 3))):
        starts = moment()
        languages = draw(st.sampled_from([frozenset({"ar"}), frozenset({"fa"}), frozenset({"ar", "fa"})]))
        shifts.append(Shift(draw(st.integers(1, 2)), languages, draw(st.integers(1, offices)), starts,
                            starts + datetime.timedelta(minutes=draw(st.sampled_from([20, 30, 45, 60, 120])))))
    busy = []
    for _ in range(draw(st.integers(0, 2))):
        starts = moment()
        ends = starts + datetime.timedelta(minutes=draw(st.sampled_from([5, 10, 20, 45])))
        if draw(st.booleans()):
            busy.append(Busy(starts, ends, office_id=draw(st.integers(1, offices)),
                             counter=draw(st.sampled_from([None, 1, 2]))))
        else:
            busy.append(Busy(starts, ends, interpreter_id=draw(st.integers(1, 2))))
    groups = []
    for key in range(1, draw(st.integers(1, 4)) + 1):
        earliest = draw(st.sampled_from(days))
        minutes = draw(st.lists(st.sampled_from([10, 15, 20, 25, 30, 45]), min_size=1, max_size=2))
        groups.append(group(key, *minutes, earliest=earliest,
                            latest=earliest + datetime.timedelta(days=draw(st.integers(0, 1))),
                            municipality=draw(st.sampled_from([1, 2, None])),
                            language=draw(st.sampled_from(["", "", "ar", "fa"]))))
    travel = {(m, o): draw(st.integers(5, 60)) for m in (1, 2) for o in range(1, offices + 1)}
    weights = Weights(wait_per_day=draw(st.sampled_from([1.0, 30.0])),
                      unassigned=draw(st.sampled_from([100.0, 10_000.0])))
    return Problem(tuple(groups), tuple(sessions), tuple(shifts), tuple(busy), travel, weights)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_random_small_problems_keep_every_rule_and_bound_the_optimum(p):
    solution = assign(p)
    assert violations(p, solution) == []
    optimum = brute_force_optimum(p)
    assert solution.lower_bound <= optimum + 1e-6 <= solution.cost + 2e-6
    greedy = assign_greedy(p)
    assert violations(p, greedy) == []
    assert greedy.cost >= optimum - 1e-6


# --- a month of Kreis Düren ---------------------------------------------------------------------------


def test_synthetic_month_is_realistic_and_the_same_for_the_same_seed():
    month = synthetic_month(groups=300, seed=7, start=MONDAY)
    assert month == synthetic_month(groups=300, seed=7, start=MONDAY)
    assert month != synthetic_month(groups=300, seed=8, start=MONDAY)
    assert len(month.groups) == 300 and len({m.key for g in month.groups for m in g.members}) == sum(
        len(g.members) for g in month.groups)
    assert all(s.day.weekday() < 5 for s in month.sessions)
    assert {s.office_id for s in month.sessions} == {1, 2}
    for s in month.sessions:
        for period_ in s.periods:
            assert period_.starts.tzinfo == BERLIN and 3 <= period_.counters <= 6
    assert {g.language for g in month.groups} <= {"", "ar", "fa", "uk", "ru", "tr", "ku"}
    assert all(1 <= len(g.members) <= 5 and all(20 <= m.minutes <= 40 for m in g.members) for g in month.groups)
    assert 0.1 < sum(len(g.members) > 1 for g in month.groups) / 300 < 0.3
    assert all(g.earliest <= g.latest for g in month.groups)
    assert all(shift_.starts.tzinfo == BERLIN for shift_ in month.shifts)


@pytest.fixture(scope="module")
def month():
    p = synthetic_month(groups=1500, seed=1, start=MONDAY)
    solution = assign(p)
    greedy = assign_greedy(p)
    print(f"\nsynthetic month, 1500 groups, seed 1: assign {solution.seconds:.2f} s, cost {solution.cost:.0f}, "
          f"lower bound {solution.lower_bound:.0f}, gap {solution.gap:.2%}, unassigned {len(solution.unassigned)}, "
          f"{solution.method}; greedy {greedy.seconds:.2f} s, cost {greedy.cost:.0f}, "
          f"unassigned {len(greedy.unassigned)}")
    return p, solution, greedy


def test_a_month_of_renewals_keeps_every_rule(month):
    p, solution, greedy = month
    started = time.perf_counter()
    assert violations(p, solution) == []
    assert violations(p, greedy) == []
    print(f"\nviolations() of both: {time.perf_counter() - started:.2f} s")
    assert len(solution.placements) + len(solution.unassigned) == 1500


def test_a_month_of_renewals_is_close_to_the_optimum(month):
    _, solution, _ = month
    # Seeds 1-8 give gaps of 0.8 % to 2.8 % (every group placed); one unassigned group alone
    # would add about 14 % (a penalty of 10,000 against a bound of about 70,000).
    assert 0 < solution.lower_bound <= solution.cost
    assert solution.gap < 0.05
    assert not solution.unassigned


def test_a_month_of_renewals_beats_the_greedy_baseline(month):
    _, solution, greedy = month
    assert solution.cost <= greedy.cost
    assert greedy.lower_bound == 0.0 and greedy.method == "greedy"
