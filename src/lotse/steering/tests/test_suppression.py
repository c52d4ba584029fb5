"""Small cells (1–4 persons) hidden so that no count can be recovered by subtraction: every
expected table worked out by hand."""

import pytest

from lotse.steering.suppression import suppress

pytestmark = pytest.mark.db_independent


def _consistent(cells, row_totals, column_totals, total, shown) -> bool:
    """Does a full table agree with everything shown (None = hidden)?"""
    full = ([value for row in cells for value in row] + row_totals + column_totals + [total])
    seen = ([value for row in shown.cells for value in row] + shown.row_totals + shown.column_totals
            + [shown.total])
    return all(s is None or s == f for s, f in zip(seen, full, strict=True))


def test_a_small_count_is_hidden_and_cannot_be_recovered_by_subtraction():
    # 10 | 3 → 13;  20 | 7 → 27;  totals 30 | 10 → 40. The 3 alone hidden would be 13 − 10.
    shown = suppress([[10, 3], [20, 7]])
    assert shown.cells == [[None, None], [None, None]]
    assert (shown.row_totals, shown.column_totals, shown.total) == ([13, 27], [30, 10], 40)
    # Two different tables agree with what is shown: the 3 could as well be a 4.
    assert _consistent([[10, 3], [20, 7]], [13, 27], [30, 10], 40, shown)
    assert _consistent([[9, 4], [21, 6]], [13, 27], [30, 10], 40, shown)


def test_a_small_row_total_is_hidden_with_its_partners():
    # 2 | 0 → 2;  6 | 9 → 15;  totals 8 | 9 → 17.
    shown = suppress([[2, 0], [6, 9]])
    assert shown.cells == [[None, 0], [None, 9]]
    assert (shown.row_totals, shown.column_totals, shown.total) == ([None, None], [8, 9], 17)
    assert _consistent([[2, 0], [6, 9]], [2, 15], [8, 9], 17, shown)
    assert _consistent([[3, 0], [5, 9]], [3, 14], [8, 9], 17, shown)


def test_no_line_keeps_a_single_hidden_cell():
    table = [[12, 4, 30, 0], [7, 15, 2, 9], [40, 11, 6, 1]]
    shown = suppress(table)
    grid = [[*row, total] for row, total in zip(shown.cells, shown.row_totals, strict=True)]
    grid.append([*shown.column_totals, shown.total])
    lines = grid + [list(column) for column in zip(*grid, strict=True)]
    assert all(sum(value is None for value in line) != 1 for line in lines)
    hidden_small = [(i, j) for i, row in enumerate(table) for j, v in enumerate(row) if 0 < v < 5]
    assert all(shown.cells[i][j] is None for i, j in hidden_small)
    assert shown.cells[0][3] == 0  # zeros stay visible


def test_tables_without_small_counts_are_shown_whole():
    shown = suppress([[0, 12], [8, 9]])
    assert shown.cells == [[0, 12], [8, 9]]
    assert (shown.row_totals, shown.column_totals, shown.total) == ([12, 17], [8, 21], 29)


def test_bad_tables_are_refused():
    for table in ([[1, 2], [3]], [[-1, 5]]):
        with pytest.raises(ValueError):
            suppress(table)


def _solvable_small_cells(table, shown) -> list[tuple[int, int]]:
    """Hidden small cells that the shown numbers determine, found independently of the module:
    with numpy's rank of the line equations (float arithmetic) over the full extended table."""
    import numpy as np

    rows, columns = len(table), len(table[0])
    grid = [[*row, sum(row)] for row in table]
    grid.append([sum(table[i][j] for i in range(rows)) for j in range(columns)] + [sum(map(sum, table))])
    shown_grid = [[*cells, total] for cells, total in zip(shown.cells, shown.row_totals, strict=True)]
    shown_grid.append([*shown.column_totals, shown.total])
    unknowns = [(i, j) for i in range(rows + 1) for j in range(columns + 1) if shown_grid[i][j] is None]
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations = []
    for i in range(rows + 1):  # each row: its cells minus its total = 0
        equations.append([(cell, 1) for cell in [(i, j) for j in range(columns)]] + [((i, columns), -1)])
    for j in range(columns + 1):
        equations.append([(cell, 1) for cell in [(i, j) for i in range(rows)]] + [((rows, j), -1)])
    matrix = np.array([[sum(c for cell, c in eq if cell == u) for u in unknowns] for eq in equations], dtype=float)
    rank = np.linalg.matrix_rank(matrix) if unknowns else 0
    solvable = []
    for cell in unknowns:
        value = grid[cell[0]][cell[1]]
        unit = np.zeros(len(unknowns))
        unit[index[cell]] = 1
        if 0 < value < 5 and np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            solvable.append(cell)
    return solvable


def test_hidden_cells_cannot_be_solved_from_row_and_column_sums_together():
    # The greedy rule alone leaves no line with a single hidden cell, yet x10 + x12 = 25 + 14 − 17,
    # so x11 = 27 − 22 = 5 and x01 = 8 − 5 = 3 could be computed (found in review).
    table = [[0, 3, 0, 6, 6, 6], [20, 5, 2, 0, 6, 0], [5, 5, 12, 0, 40, 6]]
    shown = suppress(table)
    assert shown.cells[0][1] is None and shown.cells[1][2] is None
    assert _solvable_small_cells(table, shown) == []


def test_hidden_cells_of_a_line_never_add_up_to_a_small_known_sum():
    # 1 and 2 hidden beside a shown total of 13 and a shown 10 would tell that they make 3.
    shown = suppress([[10, 1, 2], [20, 30, 40]])
    first_row = [*shown.cells[0], shown.row_totals[0]]
    known = sum(v for v in shown.cells[0] if v is not None)
    assert shown.row_totals[0] is None or shown.row_totals[0] - known == 0 or shown.row_totals[0] - known >= 5
    assert first_row.count(None) >= 2


def test_no_small_count_is_solvable_in_many_random_tables():
    import random

    rng = random.Random(20261205)
    for _ in range(300):
        rows, columns = rng.randint(1, 4), rng.randint(1, 6)
        table = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20, 40]) for _ in range(columns)] for _ in range(rows)]
        shown = suppress(table)
        assert _solvable_small_cells(table, shown) == [], table
