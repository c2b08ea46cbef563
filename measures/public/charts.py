"""The geometry of the award chart on the policy page: one horizontal bar per award, grouped by measure.

Pure layout, no drawing and no queries: `award_chart(awards)` takes the awards of a policy (read with
`Award.objects.in_policy(policy).for_listing()`, so each has its clause and measure joined) and returns
the positions and sizes the template `measures/_award_chart.html` draws as SVG.

Amounts are labelled as everywhere on the public pages (Award.localized_display_text, money.format_amount).
Bar widths follow the money convention: they are computed from the integer yuan with integer
arithmetic, never through floats, on a linear scale whose end is a round amount (…, 1000, 2000,
5000万元, …). Coordinates are in the SVG's own units: the viewBox is VIEW_WIDTH wide and the page
scales it to the column, so on a 375 px phone one unit is about one pixel and the font sizes below
(in the same units) stay legible.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.utils import translation

from measures.text import money

VIEW_WIDTH = 360
PLOT_LEFT = 2  # room for the outline of a bar that starts at zero
MARKER_ROOM = 18  # right of the longest bar: room for the per-year marker
PLOT_WIDTH = VIEW_WIDTH - PLOT_LEFT - MARKER_ROOM
MAX_INTERVALS = 4  # gridlines on the amount axis, few enough for their labels to fit on a phone

# Vertical rhythm: each measure has a heading line, each award a label line above its bar.
TOP = 4
HEADING_LINE = 24
LABEL_LINE = 20
BAR_GAP = 4  # between the baseline of a label and the top of its bar
BAR_HEIGHT = 14
GROUP_GAP = 10
AXIS_LABEL_LINE = 19
BOTTOM = 6

MARKER_RADIUS = 4
TICK_FONT_SIZE = 13  # as in the template
TICK_LABEL_GAP = 6


@dataclass(frozen=True)
class Bar:
    award: object  # an Award, read through for_listing()
    label_y: int
    y: int
    width: Decimal  # in viewBox units, two decimals at most

    height = BAR_HEIGHT
    x = PLOT_LEFT

    @property
    def is_ceiling(self) -> bool:
        return self.award.limit == self.award.Limit.CEILING

    @property
    def is_per_year(self) -> bool:
        return self.award.recurrence == self.award.Recurrence.PER_YEAR

    @property
    def center_y(self) -> Decimal:
        return Decimal(2 * self.y + BAR_HEIGHT) / 2

    @property
    def marker_x(self) -> Decimal:
        """Centre of the per-year marker, just past the end of the bar."""
        return PLOT_LEFT + self.width + MARKER_RADIUS + 3


@dataclass(frozen=True)
class MeasureGroup:
    number: int
    title: str
    heading_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: Decimal
    label: str
    anchor: str  # SVG text-anchor: the end labels stay inside the picture


@dataclass(frozen=True)
class AwardChart:
    groups: list[MeasureGroup]
    ticks: list[Tick]
    width: int
    height: int
    grid_top: int
    axis_y: int
    axis_label_y: int

    @property
    def bars(self) -> list[Bar]:
        return [bar for group in self.groups for bar in group.bars]

    @property
    def bar_count(self) -> int:
        return len(self.bars)

    @property
    def has_exact(self) -> bool:
        return any(not bar.is_ceiling for bar in self.bars)

    @property
    def has_ceiling(self) -> bool:
        return any(bar.is_ceiling for bar in self.bars)

    @property
    def has_per_year(self) -> bool:
        return any(bar.is_per_year for bar in self.bars)

    @property
    def plot_left(self) -> int:
        return PLOT_LEFT

    @property
    def plot_right(self) -> int:
        return PLOT_LEFT + PLOT_WIDTH


def scale_step(largest_yuan: int, max_intervals: int = MAX_INTERVALS) -> int:
    """The gridline step in yuan: the smallest of 1, 2, 5 × 10^k yuan that covers the largest amount
    in at most `max_intervals` steps (3000万元 -> 1000万元; 500万元 -> 200万元)."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-largest_yuan // step) <= max_intervals:
                return step
        magnitude *= 10


def scaled(amount_yuan: int, scale_end_yuan: int, length: int = PLOT_WIDTH) -> Decimal:
    """amount / scale end × length, rounded half up to hundredths of a unit, in integers only."""
    if scale_end_yuan <= 0:
        return Decimal(0)
    hundredths = (2 * amount_yuan * length * 100 + scale_end_yuan) // (2 * scale_end_yuan)
    return Decimal(hundredths) / 100


def award_chart(awards) -> AwardChart | None:
    """Lay out one bar per award, grouped by measure in policy order; None when there are no awards."""
    awards = sorted(awards, key=lambda a: (a.clause.measure.number, a.clause.position, a.position))
    if not awards:
        return None
    largest = max(award.amount_yuan for award in awards)
    step = scale_step(largest) if largest else 1
    intervals = -(-largest // step)
    scale_end = step * intervals

    groups = []
    y = TOP
    for _number, measure_awards in groupby(awards, key=lambda a: a.clause.measure.number):
        measure_awards = list(measure_awards)
        measure = measure_awards[0].clause.measure
        y += HEADING_LINE
        heading_y = y
        bars = []
        for award in measure_awards:
            y += LABEL_LINE
            bars.append(Bar(award=award, label_y=y, y=y + BAR_GAP, width=scaled(award.amount_yuan, scale_end)))
            y += BAR_GAP + BAR_HEIGHT
        groups.append(MeasureGroup(number=measure.number, title=measure.title, heading_y=heading_y, bars=bars))
        y += GROUP_GAP

    ticks = _ticks(step, intervals, scale_end)
    axis_y = y
    axis_label_y = axis_y + AXIS_LABEL_LINE
    return AwardChart(
        groups=groups,
        ticks=ticks,
        width=VIEW_WIDTH,
        height=axis_label_y + BOTTOM,
        grid_top=TOP + HEADING_LINE + 4,
        axis_y=axis_y,
        axis_label_y=axis_label_y,
    )


def _ticks(step: int, intervals: int, scale_end: int) -> list[Tick]:
    """A gridline per step, labelled where the label fits: a middle label that would run into its
    neighbour's is left out (in English, 'RMB 20 million' next to 'RMB 30 million' on a phone)."""
    language = translation.get_language()
    ticks = []
    for i in range(intervals + 1):
        amount = step * i
        anchor = "start" if i == 0 else "end" if i == intervals else "middle"
        label = money.format_amount_in(amount, language) if amount else "0"
        ticks.append(Tick(x=PLOT_LEFT + scaled(amount, scale_end), label=label, anchor=anchor))
    # From the left, keep a middle label only if it clears the last label kept and the end label.
    last_kept_right = _extent(ticks[0])[1]
    end_left = _extent(ticks[-1])[0]
    for i in range(1, len(ticks) - 1):
        left_edge, right_edge = _extent(ticks[i])
        if left_edge >= last_kept_right + TICK_LABEL_GAP and right_edge <= end_left - TICK_LABEL_GAP:
            last_kept_right = right_edge
        else:
            ticks[i] = Tick(x=ticks[i].x, label="", anchor=ticks[i].anchor)
    return ticks


def _extent(tick: Tick) -> tuple[Decimal, Decimal]:
    """Left and right end of a tick label, estimated: a Chinese character is about one em wide, a
    Latin letter or digit a little over half of one."""
    width = (
        sum((Decimal(1) if ord(char) > 0x2E80 else Decimal("0.6") for char in tick.label), Decimal(0)) * TICK_FONT_SIZE
    )
    if tick.anchor == "start":
        return tick.x, tick.x + width
    if tick.anchor == "end":
        return tick.x - width, tick.x
    return tick.x - width / 2, tick.x + width / 2
