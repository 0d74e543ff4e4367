"""The default rule set, vignette by vignette (pure: no database)."""

import pytest

from endospine.assess.engine import evaluate_data
from endospine.assess.rules import load_ruleset
from endospine.assess.tests.vignettes import VIGNETTES, Vignette

RULES = load_ruleset()


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette(vignette: Vignette) -> None:
    result = evaluate_data(vignette.data(), RULES)
    fired = [r.id for r in result.rules]

    assert (result.recommendation, result.urgency, result.approach) == (
        vignette.recommendation,
        vignette.urgency,
        vignette.approach,
    )
    if vignette.deciding:
        assert fired[0] == vignette.deciding
    if vignette.approach_rule:
        approach_fired = [r for r in result.rules if r.section == "approach"]
        assert approach_fired[0].id == vignette.approach_rule
        assert approach_fired[0].decisive
    for rule_id in vignette.also:
        assert rule_id in fired
    assert result.ruleset_version == RULES.version


def test_there_are_at_least_30_vignettes() -> None:
    assert len(VIGNETTES) >= 30


def test_every_rule_decides_at_least_one_vignette() -> None:
    deciding = set()
    for vignette in VIGNETTES:
        for fired in evaluate_data(vignette.data(), RULES).rules:
            if fired.decisive:
                deciding.add(fired.id)
    everything = {rule.id for rule in RULES.rules} | {f.id for f in RULES.urgency_floors}
    assert deciding == everything


def test_only_the_first_rule_of_each_section_is_decisive() -> None:
    data = VIGNETTES[0].data() | {
        "cauda_equina_signs": True,
        "red_flags": ["fever"],
        "motor_deficit": "none",
    }
    result = evaluate_data(data, RULES)
    assert [r.decisive for r in result.rules] == [True, False]


def test_an_urgency_floor_never_lowers_the_urgency() -> None:
    # Severe weakness with cauda equina signs stays an emergency (floor: urgent).
    data = VIGNETTES[0].data() | {"cauda_equina_signs": True, "motor_deficit": "severe"}
    result = evaluate_data(data, RULES)
    assert result.urgency == "emergency"
    assert "severe_weakness_is_never_elective" not in [r.id for r in result.rules]


def test_no_severe_weakness_vignette_is_elective() -> None:
    for vignette in VIGNETTES:
        if vignette.data()["motor_deficit"] in ("severe", "progressive"):
            assert evaluate_data(vignette.data(), RULES).urgency != "elective", vignette.name


def test_catch_all_is_not_reported_when_another_rule_decides() -> None:
    data = VIGNETTES[0].data() | {"cauda_equina_signs": True}
    assert "candidate" not in [r.id for r in evaluate_data(data, RULES).rules]


def test_no_approach_rules_run_for_a_non_candidate() -> None:
    data = VIGNETTES[0].data() | {"red_flags": ["fever"]}
    result = evaluate_data(data, RULES)
    assert result.approach is None
    assert all(r.section == "recommendation" for r in result.rules)


def test_alternatives_come_from_the_rule_file() -> None:
    result = evaluate_data(VIGNETTES[0].data(), RULES)
    expected = RULES.recommendations["endoscopic_candidate"].alternatives
    assert list(result.alternatives[: len(expected)]) == expected
    assert RULES.approaches["transforaminal"].alternatives[0] in result.alternatives


def test_response_shape_matches_the_api_contract() -> None:
    body = evaluate_data(VIGNETTES[0].data(), RULES).as_dict()
    assert set(body) == {
        "recommendation",
        "urgency",
        "approach",
        "rules",
        "alternatives",
        "ruleset_version",
    }
    assert all(set(rule) == {"id", "rationale"} for rule in body["rules"])
    assert all(isinstance(text, str) for text in body["alternatives"])
