"""Issue 16 item 11: medicines with per-drug intervals and sources, the checklist's
new safety items, a defined imaging age and a consent lead time (site settings)."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from endospine.accounts.models import Site
from endospine.core.errors import DomainError
from endospine.journey.models import Stage
from endospine.journey.services import change_stage
from endospine.prepare import medicines
from endospine.prepare.services import operate_gate
from endospine.prepare.tests.conftest import item, recent_scan

CONTENT = Path(__file__).resolve().parents[3] / "content"


def test_every_drug_has_intervals_and_a_source() -> None:
    table = medicines.load(CONTENT / "medicines.yaml")
    by_code = {d.code: d for d in table.drugs}
    for code in (
        "warfarin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran_crcl_50_plus",
        "dabigatran_crcl_below_50", "clopidogrel", "prasugrel", "ticagrelor",
        "glp1_agonist", "sglt2_inhibitor", "insulin",
    ):  # fmt: skip
        assert code in by_code, code
    assert by_code["warfarin"].stop_before == 5
    assert by_code["dabigatran_crcl_below_50"].stop_before == 4
    assert by_code["prasugrel"].stop_before == 7
    assert by_code["sglt2_inhibitor"].stop_before == 3
    assert "CHEST 2022" in by_code["apixaban"].source
    assert "stent" in by_code["clopidogrel"].prescriber_flag
    assert "Bridging" in by_code["warfarin"].prescriber_flag


def test_a_broken_medicines_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "medicines.yaml"
    bad.write_text("version: 1\ndrugs:\n  - code: warfarin\n    stop_before: -2\n")
    with pytest.raises(medicines.MedicinesError) as caught:
        medicines.load(bad)
    assert "warfarin" in str(caught.value)


@pytest.mark.parametrize(
    "code",
    ["diabetes_medicines", "hba1c", "smoking", "allergies", "pregnancy", "skin_check",
     "vte_risk", "sleep_apnoea"],
)  # fmt: skip
def test_the_checklist_asks_the_safety_items(preparing, code: str) -> None:
    assert item(preparing, code).required


def test_smoking_stops_four_weeks_before(preparing) -> None:
    smoking = item(preparing, "smoking")
    assert smoking.due_on(preparing.surgery_date) == preparing.surgery_date - timedelta(days=28)


def test_consent_lead_time_is_a_site_setting(cast) -> None:
    Site.objects.filter(pk=cast.north.pk).update(settings={"consent_lead_days": 10})
    episode = cast.episode
    episode.surgery_date = date.today() + timedelta(days=30)
    episode.save()
    recent_scan(cast, episode)
    episode = change_stage(episode=episode, to_stage=Stage.PREPARE, actor=cast.surgeon)
    consent = item(episode, "consent")
    assert consent.due_on(episode.surgery_date) == episode.surgery_date - timedelta(days=10)
    assert "at least 10 days before" in consent.patient_text


def test_a_stale_scan_blocks_operate_and_cannot_be_verified(cast, preparing) -> None:
    from endospine.prepare.services import item_verify

    recent_scan(cast, preparing, days_ago=100)  # 120 days old on the day of surgery
    reasons = operate_gate(preparing)
    assert any("more than 90 days old" in r for r in reasons)
    with pytest.raises(DomainError) as caught:
        item_verify(item=item(preparing, "imaging_on_file"), actor=cast.nurse)
    assert caught.value.errors[0][0] == "state"


def test_a_recent_scan_passes_the_imaging_check(cast, preparing) -> None:
    assert not any(r.startswith("Imaging") for r in operate_gate(preparing))


def test_the_imaging_age_is_a_site_setting(cast, preparing) -> None:
    Site.objects.filter(pk=cast.north.pk).update(settings={"imaging_max_age_days": 20})
    preparing.refresh_from_db()
    assert any("more than 20 days old" in r for r in operate_gate(preparing))


def test_staff_see_the_medicines_table_and_the_imaging_reason(cast, preparing) -> None:
    recent_scan(cast, preparing, days_ago=100)
    page = cast.client_for(cast.nurse).get(f"/prepare/{preparing.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Prasugrel" in html and "Douketis et al., CHEST 2022" in html
    assert "more than 90 days old" in html


def test_the_system_check_refuses_a_broken_medicines_file(settings, tmp_path: Path) -> None:
    from endospine.prepare import checks

    assert checks.medicines_file_is_valid() == []
    bad = tmp_path / "medicines.yaml"
    bad.write_text("drugs: nope\n")
    settings.ENDOSPINE_MEDICINES_FILE = str(bad)
    assert [e.id for e in checks.medicines_file_is_valid()] == ["prepare.E002"]
