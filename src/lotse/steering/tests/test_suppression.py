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
