"""The SVG chart geometry (pure, no database)."""

from endospine.recover.chart import HEIGHT, PAD_BOTTOM, PAD_TOP, Series, build


def test_points_follow_the_values_and_skip_unreported_ones() -> None:
    chart = build(
        title="t",
        series=[Series("temperature_c", "Temperature", [37.0, None, 39.0])],
        low=35,
        high=41,
        unit="C",
        thresholds=[("fever", 38.0)],
    )
    drawn = chart.series[0]
    assert len(drawn.dots) == 2
    (x1, y1, _), (x2, y2, _) = drawn.dots
    assert x1 < x2 and y2 < y1  # later and higher
    assert chart.thresholds[0].y < y1 and chart.thresholds[0].y > y2


def test_values_outside_the_range_are_drawn_at_the_edge() -> None:
    chart = build(title="t", series=[Series("p", "p", [12, -3])], low=0, high=10, unit="")
    ys = [y for _, y, _ in chart.series[0].dots]
    assert ys == [PAD_TOP, HEIGHT - PAD_BOTTOM]
