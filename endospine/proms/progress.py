"""Scores over time against an expected recovery range, as data and as SVG. Pure: no Django.

The expected range is anchored on the patient's own score before surgery
(figures from reference section 6 and 7):
- the worse edge falls by the smallest improvement that counts as important:
  the minimal important change that is also above the minimal detectable change
  (issue 11 item 12, issue 16 item 15). It used to be the registry MEAN gain,
  which put half of all registry patients "above the expected range" and told a
  patient whose back pain went 5 -> 2 to worry. We hold no registry centiles;
  a site that has its registry's 25th-centile gain can use it as the MIC setting;
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

from endospine.proms.scoring import mic_reached, mic_threshold

PLATEAU_DAYS = 91
FAST_DAYS = 42


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    maximum: int
    mean_gain: float  # registry mean gain: shown as context, no longer a band edge
    good_residual: float  # share of baseline left in a good endoscopic result
    unit: str
    # False: no published range applies (the ODI structure without its licensed
    # wording), so no band and no minimal-important-change verdict.
    comparable: bool = True


MEASURES: dict[str, Measure] = {
    "nrs_leg": Measure("nrs_leg", "Leg pain", 10, 4.4, 0.81 / 7.64, "out of 10"),
    "nrs_back": Measure("nrs_back", "Back pain", 10, 3.2, 0.0, "out of 10"),
    "odi": Measure("odi", "Disability (ODI)", 100, 28.7, 8.5 / 67.2, "out of 100"),
    "odi_unlicensed": Measure(
        "odi_unlicensed", "Daily life (own questions)", 100, 0.0, 1.0, "out of 100", False
    ),
}
SOURCES = (
    "worse edge: the smallest important improvement (Ostelo 2008 consensus: 2 points or 30% "
    "for pain, 10 points or 30% for the ODI), and never less than the smallest change that "
    "can be measured (ODI 10 points; pain 2 points, Childs 2005)",
    "better edge: transforaminal endoscopic cohort, n=204, at 1 year (ODI 67.2 to 8.5; "
    "leg 7.64 to 0.81)",
    "for comparison, Norwegian spine registry mean gains (ODI 28.7, leg 4.4, back 3.2)",
    "decompression scores level off by about 3 months",
)


@dataclass(frozen=True)
class Point:
    code: str  # timepoint code
    label: str  # "Before surgery", "6 weeks"...
    days: int  # days after surgery; negative or 0 for the baseline
    value: float | None  # None: not answered


def expected_range(
    measure: Measure, baseline: float, days: int, *, important_gain: float
) -> tuple[float, float]:
    """(best, worst) expected score `days` after surgery for this baseline; the worst
    edge at the plateau is `important_gain` below the baseline."""
    if days <= 0:
        return baseline, baseline
    worst_end = max(0.0, baseline - important_gain)
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


def _position(value: float, band: tuple[float, float] | None, improved_enough: bool) -> str:
    if band is None:
        return ""
    best, worst = band
    if value < best:
        return " (better than the expected range)"
    # An improvement of at least the minimal important change never alarms
    # (issue 11 item 12), whatever the band says.
    if value > worst and not improved_enough:
        return " (less improvement than expected so far: worth talking to your care team about)"
    return " (within the expected range)"


def build(
    measure_code: str,
    points: Sequence[Point],
    *,
    mic_points: float,
    mic_percent: float,
    mdc: float = 0.0,
) -> MeasureProgress:
    """Bands, a plain-language summary and the minimal-important-change verdict."""
    measure = MEASURES[measure_code]
    progress = MeasureProgress(measure, list(points))
    baseline = next((p.value for p in points if p.days <= 0 and p.value is not None), None)
    mic = {"points": mic_points, "percent": mic_percent, "mdc": mdc}
    progress.bands = [
        None
        if baseline is None or not measure.comparable
        else expected_range(
            measure, baseline, p.days, important_gain=mic_threshold(baseline, **mic)
        )
        for p in points
    ]
    answered = [(p, b) for p, b in zip(points, progress.bands, strict=True) if p.value is not None]
    if not answered:
        progress.summary = [f"{measure.title}: no answers yet."]
        return progress
    progress.summary = [
        f"{measure.title} {p.label.lower()}: {_fmt(p.value)} {measure.unit}"  # type: ignore[arg-type]
        + (
            ""
            if p.days <= 0
            else _position(
                p.value,  # type: ignore[arg-type]
                b,
                baseline is not None and mic_reached(baseline, p.value, **mic),  # type: ignore[arg-type]
            )
        )
        for p, b in answered
    ]
    latest = answered[-1][0]
    if baseline is None:
        progress.summary.append("The expected range needs an answer from before surgery.")
    elif latest.days > 0 and latest.value is not None:
        progress.change = round(latest.value - baseline, 1)
        if measure.comparable:
            progress.mic = mic_reached(baseline, latest.value, **mic)
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
