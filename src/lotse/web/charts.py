"""Accessible bar charts as inline SVG, for the steering pages.

A chart is drawn from the numbers that a table beside it shows too: the SVG carries a title
and a description (`role="img"`, `aria-labelledby`), and every bar its label and value as
text, so a screen reader or a black-and-white print loses nothing. Hidden values (small cells)
are drawn as no bar with their text ("fewer than 5"). No script, no library."""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 110
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not shown (small cell or no data)
    text: str  # the value as the table writes it


@dataclass(frozen=True)
class DrawnBar:
    label: str
    text: str
    y: int
    width: float
    text_x: float
    label_y: int


@dataclass
class BarChart:
    """`chart_id` must be unique on the page (it names the title and description elements)."""

    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    target: float | None = None
    target_label: str = ""
    drawn: list[DrawnBar] = field(init=False)
    height: int = field(init=False)
    target_x: float | None = field(init=False)

    def __post_init__(self) -> None:
        values = [b.value for b in self.bars if b.value is not None and b.value > 0]
        top = max([*values, self.target or 0, 0]) or 1
        span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
        self.drawn = []
        for index, bar in enumerate(self.bars):
            y = TOP + index * ROW_HEIGHT
            width = round(span * max(bar.value or 0, 0) / top, 1)
            self.drawn.append(DrawnBar(bar.label, bar.text, y, width, LABEL_WIDTH + width + 6,
                                       y + BAR_HEIGHT - 4))
        self.height = TOP * 2 + max(len(self.bars), 1) * ROW_HEIGHT
        self.target_x = LABEL_WIDTH + round(span * self.target / top, 1) if self.target else None

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT
