"""Issue 16 item 14: every patient text reads at school grade 8 or below.

Measured with textstat 0.7.3 (pinned in pyproject.toml), Flesch-Kincaid grade
level. That version counts syllables with pyphen's bundled dictionaries only: it
never touches the network (newer textstat versions fetch nltk's cmudict at first
use, which this project must not do). Each document is measured as a whole
(a rule file's patient sentences, an article), because the formula is unstable
on a single short line. Grade 8 is the upper end of the 6-8 target; lower is fine.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textstat
import yaml

from endospine.learn.content import parse_folders

CONTENT = Path(__file__).resolve().parents[1] / "content"
MAX_GRADE = 8.0
# Articles written before issue 16 and not yet rewritten for reading level; each is
# a strict xfail, so the test fails (and the entry must go) as soon as one passes.
PENDING_REWRITE = {
    "what-is-endoscopic-spine-surgery",
    "conditions-and-candidacy",
    "consultation-and-team",
    "preparing-and-anaesthesia",
    "the-operation",
    "recovery",
}


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def _yaml(name: str) -> Any:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def _documents() -> dict[str, str]:
    triage = _yaml("rules/triage.yaml")
    assessment = _yaml("rules/assessment.yaml")
    discharge = _yaml("discharge/default.yaml")
    docs = {
        "triage messages": " ".join(r["message"] for r in triage["rules"]),
        "triage advice": " ".join(
            [triage["advice"]["emergency"], triage["advice"]["urgent"]]
            + [a["text"] for a in triage["advice"]["routine"]]
        ),
        "warning signs": " ".join(s["text"] for s in _yaml("warning_signs.yaml")["signs"]),
        "checklist": " ".join(i["patient_text"] for i in _yaml("checklists/default.yaml")["items"]),
    }
    for section in ("activity", "wound", "medicines", "warning_signs"):
        docs[f"discharge {section}"] = " ".join(_texts(discharge[section]))
    for code, explanation in {**assessment["recommendations"], **assessment["approaches"]}.items():
        docs[f"assessment {code}"] = f"{explanation['meaning']} {explanation['next_steps']}"
    return docs


DOCUMENTS = _documents()
ARTICLES = {a.slug: a for a in parse_folders([CONTENT / "knowledge"])}


def test_the_library_is_pinned_to_a_version_that_stays_offline() -> None:
    from importlib.metadata import version

    assert version("textstat") == "0.7.3"
    # The formula is stable: a plain sentence reads at a low grade, a dense one high.
    assert grade("Walk a little every day. Call us if the wound leaks.") < 4
    assert (
        grade(
            "Postoperative epidural haematoma necessitates immediate neurosurgical reexploration."
        )
        > 12
    )


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_patient_text_reading_level(name: str) -> None:
    assert grade(DOCUMENTS[name]) <= MAX_GRADE


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason="awaiting rewrite"))
        if s in PENDING_REWRITE
        else s
        for s in sorted(ARTICLES)
    ],
)
def test_article_reading_level(slug: str) -> None:
    article = ARTICLES[slug]
    assert grade(" ".join([article.intro, *(s.text for s in article.sections)])) <= MAX_GRADE
