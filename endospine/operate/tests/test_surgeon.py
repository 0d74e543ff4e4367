"""Issue 11 item 7: right level and side, the surgery date, the printable note."""

from datetime import date
from typing import Any

from endospine.assess.models import Findings
from endospine.journey.models import Episode, TimelineEvent
from endospine.operate import services
from endospine.operate.site_check import check_site
from endospine.operate.tests.helpers import in_theatre, record_payload, signed_record


def _assessed(cast: Any, *, levels: list[str], side: str) -> None:
    Findings.objects.create(
        episode=cast.episode,
        recorded_by=cast.surgeon,
        modality="mri",
        concordant=True,
        levels=[{"level": level, "pathology": "herniation"} for level in levels],
        side=side,
    )


def test_check_site_names_each_difference() -> None:
    codes = [
        w.code
        for w in check_site(
            levels=["L3-L4", "L5-S1"], side="right", assessed_levels=["L4-L5"], assessed_side="left"
        )
    ]
    assert codes == [
        "level_not_assessed",
        "level_not_assessed",
        "side_differs",
        "levels_not_adjacent",
    ]
    assert (
        check_site(levels=["L4-L5"], side="left", assessed_levels=["L4-L5"], assessed_side="left")
        == []
    )
    assert (
        check_site(levels=["L4-L5", "L5-S1"], side="left", assessed_levels=[], assessed_side="")
        == []
    )


def test_the_note_warns_in_red_when_the_level_or_side_differs(cast: Any) -> None:
    _assessed(cast, levels=["L5-S1"], side="right")
    in_theatre(cast.episode)
    services.operative_record_create(
        episode=cast.episode, data=record_payload(levels=["L4-L5"], side="left"), actor=cast.surgeon
    )
    body = cast.client_for(cast.surgeon).get(f"/operate/{cast.episode.pk}/record/note/").content
    html = body.decode()
    assert "Operated level L4-L5 is not an assessed level (L5-S1)" in html
    assert "Operated side left differs from the assessed side (right)" in html
    assert 'class="errors" role="alert"' in html


def test_the_episode_surgery_date_follows_the_operative_record(cast: Any) -> None:
    in_theatre(cast.episode)
    record = services.operative_record_create(
        episode=cast.episode, data=record_payload(), actor=cast.surgeon
    )
    assert Episode.objects.get(pk=cast.episode.pk).surgery_date == record.operation_date
    earlier = date.fromordinal(record.operation_date.toordinal() - 1)
    services.operative_record_update(
        record=record, data=record_payload(operation_date=earlier.isoformat()), actor=cast.surgeon
    )
    assert Episode.objects.get(pk=cast.episode.pk).surgery_date == earlier
    assert TimelineEvent.objects.filter(episode=cast.episode, kind="surgery_date_set").count() == 2


def test_the_operative_note_prints_as_a_pdf_for_staff_only(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    response = cast.client_for(cast.nurse).get(f"/operate/{cast.episode.pk}/record/note.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert (
        cast.client_for(cast.pat.user)
        .get(f"/operate/{cast.episode.pk}/record/note.pdf")
        .status_code
        == 404
    )
    assert (
        cast.client_for(cast.nurse_south)
        .get(f"/operate/{cast.episode.pk}/record/note.pdf")
        .status_code
        == 404
    )
