"""Small-cell suppression for anonymous tables (exports to the state programme and committees).

A table of counts with its row totals, column totals and grand total: every count of 1 to 4
persons is hidden (primary suppression). A hidden cell could still be recovered by subtracting
the others of its row or column from the total, so wherever a line (a row or a column, totals
included) has exactly one hidden cell, another one is hidden too — the smallest count of that
line — until no line has a single hidden cell (secondary suppression). Zeros are shown: they
say nothing about a person. The same table always gives the same result."""

from dataclasses import dataclass

THRESHOLD = 5  # counts of 1 to THRESHOLD - 1 persons are hidden


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[i][j]` the counts, `row_totals[i]`, `column_totals[j]`, `total`: None where hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress(counts: list[list[int]], threshold: int = THRESHOLD) -> SuppressedTable:
    rows, columns = len(counts), len(counts[0]) if counts else 0
    if any(len(row) != columns for row in counts) or any(c < 0 for row in counts for c in row):
        raise ValueError("A table of counts needs rows of equal length and no negative counts.")
    # The extended table: the last column holds the row totals, the last row the column totals.
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(counts[i][j] for i in range(rows)) for j in range(columns)] + [sum(map(sum, counts))])
    hidden = {(i, j) for i, line in enumerate(grid) for j, value in enumerate(line) if 0 < value < threshold}
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    _close_single_hidden(grid, lines, hidden)
    while (cell := _leaking_line(grid, lines, hidden, threshold)) is not None:
        hidden.add(cell)
        _close_single_hidden(grid, lines, hidden)
    shown = [[None if (i, j) in hidden else value for j, value in enumerate(line)] for i, line in enumerate(grid)]
    return SuppressedTable([line[:columns] for line in shown[:rows]], [line[columns] for line in shown[:rows]],
                           shown[rows][:columns], shown[rows][columns])


Cell = tuple[int, int]


def _smallest_shown(grid, line, hidden) -> Cell | None:
    candidates = [cell for cell in line if cell not in hidden and grid[cell[0]][cell[1]] > 0]
    return min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell)) if candidates else None


def _close_single_hidden(grid, lines, hidden: set[Cell]) -> None:
    """Hide the smallest shown count of every line with exactly one hidden cell, until none has."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            cell = _smallest_shown(grid, line, hidden)
            if cell is not None:  # else only zeros beside it: the hidden count equals the total, itself hidden
                hidden.add(cell)
                changed = True


def _leaking_line(grid, lines, hidden: set[Cell], threshold: int) -> Cell | None:
    """A further cell to hide where the hidden cells still give something away, or None."""
    for line in lines:
        total = line[-1]
        if total in hidden:
            continue
        parts = [cell for cell in line[:-1] if cell in hidden]
        if parts and 0 < sum(grid[i][j] for i, j in parts) < threshold:
            found = _smallest_shown(grid, line, hidden)
            if found is not None:
                return found
    small = [cell for cell in hidden if 0 < grid[cell[0]][cell[1]] < threshold]
    for cell in sorted(_determined(lines, hidden) & set(small), key=lambda c: (grid[c[0]][c[1]], c)):
        for line in lines:
            if cell in line and (found := _smallest_shown(grid, line, hidden)) is not None:
                return found
    return None


def _determined(lines, hidden: set[Cell]) -> set[Cell]:
    """The hidden cells that the line equations (each line: its cells − its total = 0) fix.

    A hidden cell is fixed exactly when its unit vector lies in the row space of the equations
    restricted to the hidden cells; in reduced row echelon form that is a row with a single
    non-zero entry. Coefficients are 0 and ±1 on at most a few hundred cells, so floating point
    elimination with a tolerance is exact enough and fast."""
    import numpy as np

    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {c: k for k, c in enumerate(unknowns)}
    matrix = np.zeros((len(lines), len(unknowns)))
    for r, line in enumerate(lines):
        for position, member in enumerate(line):
            if member in index:
                matrix[r, index[member]] = -1.0 if position == len(line) - 1 else 1.0
    rows, pivot_row = matrix.shape[0], 0
    for column in range(len(unknowns)):
        if pivot_row == rows:
            break
        pivot = pivot_row + int(np.argmax(np.abs(matrix[pivot_row:, column])))
        if abs(matrix[pivot, column]) < 1e-9:
            continue
        matrix[[pivot_row, pivot]] = matrix[[pivot, pivot_row]]
        matrix[pivot_row] /= matrix[pivot_row, column]
        others = np.abs(matrix[:, column]) > 1e-12
        others[pivot_row] = False
        matrix[others] -= np.outer(matrix[others, column], matrix[pivot_row])
        pivot_row += 1
    fixed = set()
    for row in matrix[:pivot_row]:
        nonzero = np.flatnonzero(np.abs(row) > 1e-9)
        if len(nonzero) == 1:
            fixed.add(unknowns[int(nonzero[0])])
    return fixed
