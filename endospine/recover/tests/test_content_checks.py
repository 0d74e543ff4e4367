"""Issue 10: triage content is checked like code. A broken rule file, lexicon, grammar or review
net fails `endospine check` with an id; every rule has a source and at least three vignettes."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from endospine.recover.checks import triage_rules_are_valid
from endospine.recover.engine import RuleSetError, load_ruleset, ruleset_from_dict

# `check` also runs recover.W001, which reads the sites.
pytestmark = pytest.mark.django_db

RULES = django_settings.CONTENT_DIR / "rules" / "triage.yaml"
VIGNETTES = django_settings.CONTENT_DIR / "vignettes" / "triage"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "triage.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_content_passes_the_checks() -> None:
    assert triage_rules_are_valid() == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("level: emergency", "level: critical", "level must be"),
        (
            "    source: drugs.com discharge care (",
            "    soruce: drugs.com discharge care (",
            "soruce",
        ),
        ("when: {chest_pain: true}", "when: {chest_pains: true}", "unknown field"),
        ("rules:\n", "rules: []\nold_rules:\n", "non-empty"),
        ("version:", "version: [", "cannot read"),
    ],
)
def test_endospine_check_fails_on_a_broken_rule_file(
    tmp_path: Path, settings: Any, old: str, new: str, message: str
) -> None:
    settings.TRIAGE_RULES_PATH = str(_broken(tmp_path, old, new))
    errors = triage_rules_are_valid()
    assert [e.id for e in errors] == ["recover.E001"] and message in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"recover\.E001"):
        call_command("check")


def test_a_free_text_rule_the_detector_cannot_fire_fails(tmp_path: Path, settings: Any) -> None:
    extra = (
        "\n  - id: mystery\n    level: urgent\n    message: m\n    rationale: r\n    source: s\n"
    )
    path = tmp_path / "triage.yaml"
    path.write_text(RULES.read_text(encoding="utf-8") + extra, encoding="utf-8")
    settings.TRIAGE_RULES_PATH = str(path)
    assert [e.id for e in triage_rules_are_valid()] == ["recover.E002"]


def test_a_broken_rule_file_refuses_to_load() -> None:
    with pytest.raises(RuleSetError):
        ruleset_from_dict({"version": "1", "rules": [{"id": "x"}]})


def _vignette_codes() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sorted(VIGNETTES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in data.get("vignettes", []):
            for code in group.get("codes") or []:
                counts[code] = counts.get(code, 0) + len(group["cases"])
    return counts


def test_every_rule_has_a_source_and_at_least_three_vignettes() -> None:
    counts = _vignette_codes()
    for rule in load_ruleset(RULES).rules:
        assert rule.source.strip(), rule.id
        assert counts.get(rule.id, 0) >= 3, f"rule {rule.id} needs 3 vignettes in {VIGNETTES}"


def test_every_vignette_names_a_known_source_and_level() -> None:
    sources = yaml.safe_load((VIGNETTES / "sources.yaml").read_text(encoding="utf-8"))
    total = 0
    for path in sorted(VIGNETTES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in data.get("vignettes", []):
            assert group["source"] in sources, group["id"]
            assert group["level"] in ("routine", "review", "urgent", "emergency")
            total += len(group["cases"])
    assert total >= 400


@pytest.mark.parametrize(
    ("name", "old", "new", "check_id"),
    [
        ("lexicon.yaml", "level: emergency", "level: critical", "clinical.E001"),
        ("review.yaml", "version: 1", "version: one", "clinical.E003"),
    ],
)
def test_endospine_check_fails_on_broken_symptom_content(
    tmp_path: Path, monkeypatch: Any, name: str, old: str, new: str, check_id: str
) -> None:
    from endospine.clinical import lexicon, review
    from endospine.recover.checks import symptom_content_is_valid

    source = django_settings.CONTENT_DIR / "symptoms" / name
    path = tmp_path / name
    path.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    # The loaders take their path as a default argument: point the module constant at the copy.
    if name == "lexicon.yaml":
        monkeypatch.setattr(lexicon.load_lexicon, "__defaults__", (path,))
    else:
        monkeypatch.setattr(review.load_review_net, "__defaults__", (path,))
    assert [e.id for e in symptom_content_is_valid()] == [check_id]
