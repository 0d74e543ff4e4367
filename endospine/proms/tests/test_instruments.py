"""The shipped instrument files and the licensed-wording merge (no database)."""

import json
from pathlib import Path

import pytest

from endospine.proms.instruments import (
    InstrumentError,
    apply_odi_wording,
    option_label,
    problems,
    read,
    read_all,
    read_odi_wording,
)
from endospine.proms.scoring import ODI_SECTIONS

CONTENT = Path(__file__).resolve().parents[3] / "content" / "instruments"


def wording() -> dict[str, object]:
    return {
        "instrument": "odi",
        "copyright": "Licensed to North Spine Clinic",
        "sections": {
            code: {"title": f"Section {code}", "options": [f"{code} level {i}" for i in range(6)]}
            for code in ODI_SECTIONS
        },
    }


def test_shipped_files_are_valid_and_complete() -> None:
    found = {q["id"]: q for q in read_all(CONTENT)}
    assert set(found) == {"odi", "nrs_back", "nrs_leg"}
    assert [i["linkId"] for i in found["odi"]["item"]] == list(ODI_SECTIONS)


def test_odi_file_ships_no_item_wording() -> None:
    odi = json.loads((CONTENT / "odi.json").read_text())
    for item in odi["item"]:
        assert all("valueCoding" not in o for o in item["answerOption"])


def test_problems_are_named() -> None:
    odi = json.loads((CONTENT / "odi.json").read_text())
    odi["item"] = odi["item"][:-1]
    assert "items must be" in problems(odi)[0]
    assert problems({"resourceType": "Patient"})
    assert "no scorer" in problems({"resourceType": "Questionnaire", "id": "sf36"})[0]
    nrs = json.loads((CONTENT / "nrs_leg.json").read_text())
    nrs["item"][0]["extension"][1]["valueInteger"] = 100
    assert "integer from 0 to 10" in problems(nrs)[0]


def test_read_rejects_bad_json_and_wrong_file_name(tmp_path: Path) -> None:
    (tmp_path / "odi.json").write_text("{not json")
    with pytest.raises(InstrumentError):
        read(tmp_path / "odi.json")
    (tmp_path / "other.json").write_text((CONTENT / "odi.json").read_text())
    with pytest.raises(InstrumentError, match="file name"):
        read(tmp_path / "other.json")


def test_licensed_wording_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "odi-wording.json"
    path.write_text(json.dumps(wording()))
    odi = read(CONTENT / "odi.json")
    merged = apply_odi_wording(odi, read_odi_wording(path))
    walking = next(i for i in merged["item"] if i["linkId"] == "walking")
    assert walking["text"] == "Section walking"
    assert option_label(walking, 3) == "walking level 3"
    assert problems(merged) == []
    assert merged["copyright"] == "Licensed to North Spine Clinic"
    assert odi["item"][3].get("answerOption")[0] == {"valueInteger": 0}  # original untouched


def test_wording_file_must_cover_every_section(tmp_path: Path) -> None:
    bad = wording()
    del bad["sections"]["sex_life"]  # type: ignore[attr-defined]
    path = tmp_path / "w.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(InstrumentError, match="ten ODI section"):
        read_odi_wording(path)
    short = wording()
    short["sections"]["walking"]["options"] = ["a"]  # type: ignore[index]
    path.write_text(json.dumps(short))
    with pytest.raises(InstrumentError, match=r"sections\.walking"):
        read_odi_wording(path)
