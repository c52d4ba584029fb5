"""One page of a list shown to a user: the rows plus what the pager needs."""

from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


@dataclass
class Page(Generic[Row]):
    rows: list[Row]
    number: int
    num_pages: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1
