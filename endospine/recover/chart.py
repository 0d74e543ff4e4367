"""Small server-side SVG line charts of check-in values over time. Pure Python, no Django.

A chart is a list of series (points as (x, value)) drawn on a fixed value
range, with horizontal threshold lines. The page renders the geometry in an
<svg> with a text alternative (a table of the same values), so nothing here
produces markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 560, 150
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 10, 22


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float | None]  # one per check-in, oldest first; None = not reported


@dataclass(frozen=True)
class Line:
    label: str
    y: float
    value: float


@dataclass(frozen=True)
class Drawn:
    key: str
    label: str
    points: str  # the SVG polyline "x,y x,y"
    dots: list[tuple[float, float, float]]  # (x, y, value)


@dataclass
class Chart:
    title: str
    low: float
    high: float
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    series: list[Drawn] = field(default_factory=list)
    thresholds: list[Line] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    xs: list[float] = field(default_factory=list)


def _x(index: int, count: int) -> float:
    span = WIDTH - PAD_LEFT - PAD_RIGHT
    return PAD_LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float, low: float, high: float) -> float:
    value = min(max(value, low), high)
    span = HEIGHT - PAD_TOP - PAD_BOTTOM
    return round(PAD_TOP + span * (high - value) / (high - low), 1)


def build(
    *,
    title: str,
    series: Sequence[Series],
    low: float,
    high: float,
    unit: str,
    thresholds: Sequence[tuple[str, float]] = (),
    ticks: Sequence[tuple[float, str]] = (),
) -> Chart:
    """Lay out the series on [low, high]; values outside are drawn at the edge."""
    count = max((len(s.values) for s in series), default=0)
    chart = Chart(title=title, low=low, high=high, unit=unit)
    chart.xs = [round(_x(i, count), 1) for i in range(count)]
    for s in series:
        dots = [
            (round(_x(i, count), 1), _y(v, low, high), v)
            for i, v in enumerate(s.values)
            if v is not None
        ]
        points = " ".join(f"{x},{y}" for x, y, _ in dots)
        chart.series.append(Drawn(s.key, s.label, points, dots))
    chart.thresholds = [Line(label, _y(value, low, high), value) for label, value in thresholds]
    chart.ticks = [(_y(value, low, high), label) for value, label in ticks]
    return chart
