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
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and grid[cell[0]][cell[1]] > 0]
            if not candidates:
                continue  # only zeros beside it: the hidden count equals the total, itself hidden
            hidden.add(min(candidates, key=lambda cell: (grid[cell[0]][cell[1]], cell)))
            changed = True
    shown = [[None if (i, j) in hidden else value for j, value in enumerate(line)] for i, line in enumerate(grid)]
    return SuppressedTable([line[:columns] for line in shown[:rows]], [line[columns] for line in shown[:rows]],
                           shown[rows][:columns], shown[rows][columns])
