"""Scores over time against an expected recovery range, as data and as SVG. Pure: no Django.

The expected range is anchored on the patient's own score before surgery
(figures from reference section 6 and 7):
- the worse edge falls by the mean gain in the Norwegian spine registry
  (ODI 28.7, leg NRS 4.4, back NRS 3.2);
- the better edge falls to the share of baseline left after an endoscopic
  (transforaminal) cohort at 1 year, n=204: ODI 67.2 -> 8.5, leg VAS 7.64 -> 0.81.
  That cohort gives no back-pain figure, so the better edge for back pain is 0;
- scores after decompression level off by about 3 months, so the worse edge
  reaches its level at 13 weeks; the better edge at 6 weeks, because leg pain
  often goes within days. This shape is our design choice, not a published curve.
It is a guide for a conversation, not a prediction for one person.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from endospine.proms.scoring import mic_reached

PLATEAU_DAYS = 91
FAST_DAYS = 42


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    maximum: int
    mean_gain: float
    good_residual: float  # share of baseline left in a good endoscopic result
    unit: str


MEASURES: dict[str, Measure] = {
    "nrs_leg": Measure("nrs_leg", "Leg pain", 10, 4.4, 0.81 / 7.64, "out of 10"),
    "nrs_back": Measure("nrs_back", "Back pain", 10, 3.2, 0.0, "out of 10"),
    "odi": Measure("odi", "Disability (ODI)", 100, 28.7, 8.5 / 67.2, "out of 100"),
}
SOURCES = (
    "Norwegian spine registry mean gains (ODI 28.7, leg 4.4, back 3.2)",
    "transforaminal endoscopic cohort, n=204, at 1 year (ODI 67.2 to 8.5; leg 7.64 to 0.81)",
    "decompression scores level off by about 3 months",
)


@dataclass(frozen=True)
class Point:
    code: str  # timepoint code
    label: str  # "Before surgery", "6 weeks"...
    days: int  # days after surgery; negative or 0 for the baseline
    value: float | None  # None: not answered


def expected_range(measure: Measure, baseline: float, days: int) -> tuple[float, float]:
    """(best, worst) expected score `days` after surgery for this baseline."""
    if days <= 0:
        return baseline, baseline
    worst_end = max(0.0, baseline - measure.mean_gain)
    best_end = min(baseline * measure.good_residual, worst_end)
    worst = baseline + (worst_end - baseline) * min(1.0, days / PLATEAU_DAYS)
    best = baseline + (best_end - baseline) * min(1.0, days / FAST_DAYS)
    return round(best, 1), round(worst, 1)


@dataclass
class MeasureProgress:
    measure: Measure
    points: list[Point]
    bands: list[tuple[float, float] | None] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    mic: bool | None = None  # None: not enough data to say
    change: float | None = None  # latest minus baseline

    @property
    def has_data(self) -> bool:
        return any(p.value is not None for p in self.points)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _position(value: float, band: tuple[float, float] | None) -> str:
    if band is None:
        return ""
    best, worst = band
    if value < best:
        return " (better than the expected range)"
    if value > worst:
        return " (above the expected range: worth talking to your care team about)"
    return " (within the expected range)"


def build(
    measure_code: str, points: Sequence[Point], *, mic_points: float, mic_percent: float
) -> MeasureProgress:
    """Bands, a plain-language summary and the minimal-important-change verdict."""
    measure = MEASURES[measure_code]
    progress = MeasureProgress(measure, list(points))
    baseline = next((p.value for p in points if p.days <= 0 and p.value is not None), None)
    progress.bands = [
        None if baseline is None else expected_range(measure, baseline, p.days) for p in points
    ]
    answered = [(p, b) for p, b in zip(points, progress.bands, strict=True) if p.value is not None]
    if not answered:
        progress.summary = [f"{measure.title}: no answers yet."]
        return progress
    progress.summary = [
        f"{measure.title} {p.label.lower()}: {_fmt(p.value)} {measure.unit}"  # type: ignore[arg-type]
        + ("" if p.days <= 0 else _position(p.value, b))  # type: ignore[arg-type]
        for p, b in answered
    ]
    latest = answered[-1][0]
    if baseline is None:
        progress.summary.append("The expected range needs an answer from before surgery.")
    elif latest.days > 0 and latest.value is not None:
        progress.change = round(latest.value - baseline, 1)
        progress.mic = mic_reached(baseline, latest.value, points=mic_points, percent=mic_percent)
    return progress


# --- SVG ----------------------------------------------------------------------
WIDTH, HEIGHT = 340, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 14, 40


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float, maximum: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / maximum)


def _band_polygon(progress: MeasureProgress) -> str:
    count, maximum = len(progress.points), progress.measure.maximum
    bands = [(i, b) for i, b in enumerate(progress.bands) if b is not None]
    if not bands:
        return ""
    upper = [f"{_x(i, count):.1f},{_y(b[1], maximum):.1f}" for i, b in bands]
    lower = [f"{_x(i, count):.1f},{_y(b[0], maximum):.1f}" for i, b in reversed(bands)]
    return (
        f'<polygon class="prom-band" points="{" ".join(upper + lower)}" '
        'fill="#cfe3f7" stroke="#6d9fd1" stroke-width="1"/>'
    )


def _axes(progress: MeasureProgress) -> list[str]:
    count, maximum = len(progress.points), progress.measure.maximum
    parts = []
    for tick in (0, maximum // 2, maximum):
        y = _y(tick, maximum)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>'
        )
    for i, point in enumerate(progress.points):
        parts.append(
            f'<text x="{_x(i, count):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'font-size="10">{escape(_short(point.label))}</text>'
        )
    return parts


def _short(label: str) -> str:
    """Axis labels fit a phone: "Before", "6 wk", "3 mo"."""
    if label.lower().startswith("before"):
        return "Before"
    return label.replace(" weeks", " wk").replace(" months", " mo")


def _series(progress: MeasureProgress) -> list[str]:
    count, maximum = len(progress.points), progress.measure.maximum
    coords = [
        (_x(i, count), _y(p.value, maximum), p.value)
        for i, p in enumerate(progress.points)
        if p.value is not None
    ]
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0b3d6b" stroke-width="2.5"/>')
    for x, y, value in coords:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#0b3d6b"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="bold">{_fmt(value)}</text>'
        )
    return parts


def render_svg(progress: MeasureProgress, *, element_id: str) -> str:
    """An accessible SVG chart; the text summary beside it carries the same facts."""
    title = escape(f"{progress.measure.title}, {progress.measure.unit}, lower is better")
    desc = escape(" ".join(progress.summary))
    eid = escape(element_id)
    body = [_band_polygon(progress), *_axes(progress), *_series(progress)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{eid}-t {eid}-d" class="prom-chart">'
        f'<title id="{eid}-t">{title}</title><desc id="{eid}-d">{desc}</desc>'
        + "".join(body)
        + "</svg>"
    )
