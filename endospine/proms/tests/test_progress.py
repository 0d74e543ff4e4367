"""Expected recovery range, summaries and the chart (no database)."""

from endospine.proms.progress import MEASURES, Point, build, expected_range, render_svg

POINTS = [
    Point("baseline", "Before surgery", 0, 8),
    Point("week6", "6 weeks", 42, 3),
    Point("month3", "3 months", 91, 6),
    Point("month12", "12 months", 365, None),
]


def test_expected_range_shape() -> None:
    leg = MEASURES["nrs_leg"]
    assert expected_range(leg, 8, 0) == (8, 8)
    best, worst = expected_range(leg, 8, 91)
    assert (best, worst) == (0.8, 3.6)  # 8 x 0.106; 8 - 4.4
    assert expected_range(leg, 8, 365) == (0.8, 3.6)
    assert expected_range(leg, 8, 42)[0] == 0.8  # better edge is reached early
    assert 3.6 < expected_range(leg, 8, 42)[1] < 8
    assert expected_range(leg, 2, 365) == (0.0, 0.0)  # a low baseline: both edges reach 0
    assert expected_range(MEASURES["odi"], 60, 91) == (7.6, 31.3)


def test_summary_says_where_each_answer_sits_and_mic() -> None:
    progress = build("nrs_leg", POINTS, mic_points=2, mic_percent=30)
    assert progress.summary[0] == "Leg pain before surgery: 8 out of 10"
    assert "within the expected range" in progress.summary[1]
    assert "above the expected range" in progress.summary[2]
    assert (progress.change, progress.mic) == (-2.0, True)
    stuck = build(
        "nrs_leg", [*POINTS[:1], Point("week6", "6 weeks", 42, 7)], mic_points=2, mic_percent=30
    )
    assert stuck.mic is False


def test_without_baseline_or_answers() -> None:
    none = build(
        "odi", [Point("baseline", "Before surgery", 0, None)], mic_points=10, mic_percent=30
    )
    assert none.summary == ["Disability (ODI): no answers yet."] and not none.has_data
    later = build(
        "odi",
        [Point("baseline", "Before surgery", 0, None), Point("week6", "6 weeks", 42, 30)],
        mic_points=10,
        mic_percent=30,
    )
    assert later.mic is None and "needs an answer from before surgery" in later.summary[-1]


def test_svg_is_accessible_and_escaped() -> None:
    progress = build("nrs_back", POINTS, mic_points=2, mic_percent=30)
    svg = render_svg(progress, element_id="back<1>")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="back&lt;1&gt;-t">Back pain, out of 10, lower is better</title>' in svg
    assert svg.count("<circle") == 3 and "prom-band" in svg
    assert "Back pain before surgery: 8 out of 10" in svg
    assert ">Before</text>" in svg and ">12 mo</text>" in svg
