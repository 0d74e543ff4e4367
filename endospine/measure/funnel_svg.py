"""The funnel plot as server-side SVG. Pure: numbers in, markup out (escaped)."""

from collections.abc import Sequence
from html import escape

from endospine.measure.stats import Z95, Z998, funnel_limits

W, H, PAD = 560, 320, 48


def _x(n: float, n_max: float) -> float:
    return PAD + (W - 2 * PAD) * n / n_max


def _y(rate: float) -> float:
    return H - PAD - (H - 2 * PAD) * rate


def _limit_path(p0: float, n_max: int, z: float, upper: bool) -> str:
    points = []
    for step in range(1, 41):
        n = max(1, round(n_max * step / 40))
        lo, hi = funnel_limits(p0, n, z)
        points.append(f"{_x(n, n_max):.1f},{_y(hi if upper else lo):.1f}")
    return "M" + " L".join(points)


def render(
    *, title: str, description: str, p0: float, points: Sequence[tuple[str, int, float, bool]]
) -> str:
    """points: (label, n, adjusted rate, outside 99.8%)."""
    n_axis = int(max([n for _, n, _, _ in points] + [10]) * 1.1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="funnel-title funnel-desc" class="funnel">',
        f'<title id="funnel-title">{escape(title)}</title>',
        f'<desc id="funnel-desc">{escape(description)}</desc>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#444"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#444"/>',
        f'<line x1="{PAD}" y1="{_y(p0):.1f}" x2="{W - PAD}" y2="{_y(p0):.1f}" stroke="#1b4f72"/>',
    ]
    for z, dash in ((Z95, "6 4"), (Z998, "2 3")):
        for upper in (True, False):
            parts.append(
                f'<path d="{_limit_path(p0, n_axis, z, upper)}" fill="none" '
                f'stroke="#555" stroke-dasharray="{dash}"/>'
            )
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<text x="{PAD - 6}" y="{_y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{int(tick * 100)}%</text>'
        )
    parts.append(
        f'<text x="{W / 2}" y="{H - 12}" text-anchor="middle" font-size="12">'
        f"{escape('Patients with a follow-up answer')}</text>"
    )
    for label, n, rate, outside in points:
        colour = "#b00020" if outside else "#1b4f72"
        parts.append(
            f'<circle cx="{_x(n, n_axis):.1f}" cy="{_y(rate):.1f}" r="5" fill="{colour}">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
