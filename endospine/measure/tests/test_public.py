"""The public outcomes: verified quarters only, no count from 1 to 10 anywhere."""

import re
from typing import Any
from uuid import UUID

from django.core.cache import cache

from conftest import Cast
from endospine.accounts.models import User
from endospine.measure import disclosure
from endospine.measure.models import PublicConsent, QuarterVerification
from endospine.measure.public import period
from endospine.measure.selectors import quarter_bounds
from endospine.testing import well_inside_a_minute

URL = "/api/v1/public/outcomes"


def _row(key: str, **counts: int) -> dict[str, Any]:
    row: dict[str, Any] = {"key": key, "label": key, **dict.fromkeys(disclosure.COUNTS, 0)}
    row.update(counts)
    return row


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return _row("total", **{f: sum(r[f] for r in rows) for f in disclosure.COUNTS})


def test_one_small_cell_is_not_derivable_from_the_total() -> None:
    # 40 transforaminal + 7 interlaminar = 47: hiding only the 7 would leave 47 - 40.
    rows = [_row("transforaminal", volume=40), _row("interlaminar", volume=7)]
    shown, total = disclosure.protect(rows, _total(rows), 11)
    assert shown[1]["volume"] is None
    assert shown[0]["volume"] is None  # complementary suppression
    assert total["volume"] == 47


def test_the_smallest_other_cell_is_hidden_with_three_rows() -> None:
    rows = [_row("a", volume=50), _row("b", volume=30), _row("c", volume=3)]
    shown, _total_row = disclosure.protect(rows, _total(rows), 11)
    assert [r["volume"] for r in shown] == [50, None, None]


def test_a_complement_within_a_row_is_protected() -> None:
    # 20 answered, 15 successes: the 5 failures would be a small count.
    rows = [_row("a", volume=30, followed_12m=20, success_12m=15, eligible_12m=25),
            _row("b", volume=30, followed_12m=20, success_12m=12, eligible_12m=25)]  # fmt: skip
    shown, total = disclosure.protect(rows, _total(rows), 11)
    assert shown[0]["success_12m"] is None and shown[0]["success_12m_rate"] is None
    assert shown[1]["success_12m"] is None  # else 27 - 12 gives 15 back
    assert total["success_12m"] == 27


def test_zero_is_not_small() -> None:
    rows = [_row("a", volume=40), _row("b", volume=0)]
    shown, _total_row = disclosure.protect(rows, _total(rows), 11)
    assert [r["volume"] for r in shown] == [40, 0]


def _verify_all(*surgeons: User) -> None:
    from datetime import date

    _start, _end, quarters = period(date.today())
    for surgeon in surgeons:
        for quarter in quarters:
            QuarterVerification.objects.create(surgeon=surgeon, quarter=quarter, cases=0,
                                               adverse_events=0)  # fmt: skip


def _counts(value: Any) -> list[int]:
    found: list[int] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in disclosure.COUNTS and item is not None:
                found.append(item)
            found += _counts(item)
    elif isinstance(value, list):
        for item in value:
            found += _counts(item)
    return found


def _integers(value: Any) -> list[int]:
    """Every integer anywhere in the JSON, counts or not."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [n for item in items for n in _integers(item)]


def _page_numbers(html: str) -> list[int]:
    """Whole numbers in the page's text that are not percentages, dates, quarters, a
    reference (2008;33:90-94) or a phone number (the footer's +1 555 0100)."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\d+%|\d{4}-\d{2}-\d{2}|\d{4}Q[1-4]|\d+;\d+:\d+-\d+|\+[\d ]+", " ", text)
    return [int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", text)]


def test_nothing_is_published_before_surgeons_verify(cast: Cast, registry: list[UUID]) -> None:
    body = cast.client_for(cast.lead).get(URL).json()
    assert body["verified_quarters"] == []
    assert body["total"]["volume"] == 0


def test_no_count_from_1_to_10_in_json_or_page(
    cast: Cast, chen: User, registry: list[UUID]
) -> None:
    _verify_all(cast.surgeon, chen)
    PublicConsent.objects.create(surgeon=chen)
    client = cast.client_for(cast.lead).__class__()  # signed out
    body = client.get(URL).json()
    assert body["total"]["volume"] >= 11
    counts = _counts(body)
    assert counts and not [c for c in counts if 1 <= c <= 10]
    assert not [n for n in _integers(body) if 1 <= n <= 10]
    page = client.get("/outcomes/")
    assert page.status_code == 200
    cells = re.findall(r"<td data-count>([^<]*)</td>", page.content.decode())
    assert cells and all(c.strip().isdigit() or "fewer than" in c for c in cells)
    assert not [c for c in cells if c.strip().isdigit() and 1 <= int(c) <= 10]
    assert not [n for n in _page_numbers(page.content.decode()) if 1 <= n <= 10]
    assert [s["name"] for s in body["surgeons"]] == ["Dr Chen"]
    assert "Sam Surgeon" not in page.content.decode()


def test_only_verified_quarters_count(cast: Cast, registry: list[UUID]) -> None:
    from datetime import date

    _start, _end, quarters = period(date.today())
    QuarterVerification.objects.create(surgeon=cast.surgeon, quarter=quarters[-1], cases=0,
                                       adverse_events=0)  # fmt: skip
    from endospine.measure.models import OutcomeFact

    first, last = quarter_bounds(quarters[-1])
    expected = OutcomeFact.objects.filter(surgeon=cast.surgeon, measure="odi", timepoint="12m",
                                          surgery_date__range=(first, last)).count()  # fmt: skip
    body = cast.client_for(cast.lead).__class__().get(URL).json()
    assert body["verified_quarters"] == [quarters[-1]]
    assert body["total"]["volume"] == (expected if expected == 0 or expected >= 11 else None)


def test_public_outcomes_are_rate_limited(cast: Cast, settings: Any) -> None:
    cache.clear()
    settings.RATE_LIMIT_PER_MINUTE = 1
    well_inside_a_minute()
    client = cast.client_for(cast.lead).__class__()
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 429
