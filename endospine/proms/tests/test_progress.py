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
    assert expected_range(leg, 8, 0, important_gain=2.4) == (8, 8)
    best, worst = expected_range(leg, 8, 91, important_gain=2.4)
    assert (best, worst) == (0.8, 5.6)  # 8 x 0.106; 8 - the important gain
    assert expected_range(leg, 8, 365, important_gain=2.4) == (0.8, 5.6)
    assert expected_range(leg, 8, 42, important_gain=2.4)[0] == 0.8  # better edge early
    assert 5.6 < expected_range(leg, 8, 42, important_gain=2.4)[1] < 8
    assert expected_range(leg, 2, 365, important_gain=2) == (0.0, 0.0)
    assert expected_range(MEASURES["odi"], 60, 91, important_gain=18) == (7.6, 42)


def test_summary_says_where_each_answer_sits_and_mic() -> None:
    progress = build("nrs_leg", POINTS, mic_points=2, mic_percent=30)
    assert progress.summary[0] == "Leg pain before surgery: 8 out of 10"
    assert "within the expected range" in progress.summary[1]
    assert "within the expected range" in progress.summary[2]  # 8 -> 6: an important change
    assert (progress.change, progress.mic) == (-2.0, True)
    stuck = build(
        "nrs_leg",
        [*POINTS[:1], Point("month3", "3 months", 91, 7)],
        mic_points=2,
        mic_percent=30,
        mdc=2,
    )
    assert stuck.mic is False
    assert "less improvement than expected so far" in stuck.summary[1]


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


def test_back_pain_5_to_2_never_alarms() -> None:
    # Issue 11 item 12: the old worse edge was the registry mean (5 - 3.2 = 1.8).
    for days in (42, 91, 365):
        points = [Point("baseline", "Before surgery", 0, 5), Point("later", "Later", days, 2)]
        progress = build("nrs_back", points, mic_points=2, mic_percent=30, mdc=2)
        assert "worth talking" not in progress.summary[1], days
        assert progress.mic is True


def test_an_improvement_of_the_mic_never_alarms_whatever_the_baseline() -> None:
    for baseline in range(1, 11):
        for value in range(0, baseline + 1):
            points = [Point("b", "Before surgery", 0, baseline), Point("m", "3 months", 91, value)]
            progress = build("nrs_leg", points, mic_points=2, mic_percent=30, mdc=2)
            if progress.mic:
                assert "worth talking" not in progress.summary[1], (baseline, value)


def test_a_change_within_measurement_error_is_not_important() -> None:
    # Issue 16 item 15: leg pain 3 -> 2 is 33% but below the 2-point MDC.
    points = [Point("b", "Before surgery", 0, 3), Point("m", "3 months", 91, 2)]
    assert build("nrs_leg", points, mic_points=2, mic_percent=30, mdc=2).mic is False
    assert build("nrs_leg", points, mic_points=2, mic_percent=30, mdc=0).mic is True


def test_the_odi_structure_without_licence_has_no_band_and_no_verdict() -> None:
    points = [Point("b", "Before surgery", 0, 40), Point("m", "3 months", 91, 10)]
    progress = build("odi_unlicensed", points, mic_points=10, mic_percent=30, mdc=10)
    assert progress.bands == [None, None] and progress.mic is None
    assert "ODI" not in progress.measure.title
    assert "expected range" not in " ".join(progress.summary)
