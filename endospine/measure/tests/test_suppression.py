"""Small groups are suppressed in GET /api/v1/outcomes, with a complementary group."""

from typing import Any

from endospine.measure.selectors import FIGURES, suppress


def _group(key: str, responded: int) -> dict[str, Any]:
    return {"key": key, "label": key, "eligible": responded + 2, "responded": responded,
            "success_n": responded // 2}  # fmt: skip


def test_a_small_group_is_nulled_and_so_is_the_next_smallest() -> None:
    # Program total 40 + 30 + 3 = 73: showing 40 and 30 would give away the 3.
    groups = [_group("a", 40), _group("b", 30), _group("c", 3)]
    suppress(groups, 5)
    assert [g["suppressed"] for g in groups] == [False, True, True]
    for group in groups[1:]:
        assert all(group[f] is None for f in FIGURES)
        assert group["key"] and group["label"]
    assert groups[0]["responded"] == 40


def test_two_small_groups_need_no_third() -> None:
    groups = [_group("a", 40), _group("b", 2), _group("c", 3)]
    suppress(groups, 5)
    assert [g["suppressed"] for g in groups] == [False, True, True]


def test_a_single_group_is_suppressed_alone() -> None:
    groups = [_group("program", 4)]
    suppress(groups, 5)
    assert groups[0]["suppressed"] and groups[0]["responded"] is None


def test_nothing_small_nothing_hidden() -> None:
    groups = [_group("a", 5), _group("b", 6)]
    suppress(groups, 5)
    assert not any(g["suppressed"] for g in groups)
