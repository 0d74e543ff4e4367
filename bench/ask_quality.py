"""Answer quality of the ask engine on the labelled question set.

    .venv/bin/python bench/ask_quality.py [--misses] [--no-guard]

Prints top-1 topic accuracy and top-3 hit rate for the tuning and the held-out questions, how
many ordinary questions the urgent-symptom guard flags (should be 0), and how many of the urgent
questions it catches at the right level. Pure: reads content/ directly, no database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from endospine.learn.content import (  # noqa: E402
    discharge_article,
    load_lexicon,
    parse_folders,
    passages_of,
)
from endospine.learn.engine import MIN_SCORE, AskEngine  # noqa: E402

QUESTIONS = ROOT / "content" / "questions"


def build_engine() -> AskEngine:
    articles = parse_folders([ROOT / "content" / "knowledge"])
    articles.append(discharge_article(ROOT / "content" / "discharge" / "default.yaml"))
    lexicon = load_lexicon(ROOT / "content" / "lexicon" / "synonyms.yaml")
    return AskEngine(passages_of(articles), lexicon, min_score=MIN_SCORE)


def load(name: str) -> list[dict[str, str]]:
    return yaml.safe_load((QUESTIONS / name).read_text(encoding="utf-8"))["questions"]


def evaluate(
    engine: AskEngine, questions: list[dict[str, str]], show_misses: bool
) -> tuple[float, float]:
    """Top-1 and top-3 over the answerable questions; `topic: none` ones are counted apart by
    unanswerable_figures."""
    questions = [q for q in questions if q["topic"] != "none"]
    top1 = top3 = 0
    for item in questions:
        hits = engine.search(item["q"], limit=3)
        topics = [h.passage.topic for h in hits]
        top1 += bool(topics) and topics[0] == item["topic"]
        top3 += item["topic"] in topics
        if show_misses and (not topics or topics[0] != item["topic"]):
            mark = "miss3" if item["topic"] not in topics else "miss1"
            print(f"  {mark}: {item['q']!r} want {item['topic']} got {topics}")
    return top1 / len(questions), top3 / len(questions)


def unanswerable_figures(engine: AskEngine, questions: list[dict[str, str]]) -> None:
    """How many `topic: none` questions get no answer (Ask then says so and offers the care
    team's number), and how many answerable ones are wrongly left unanswered."""
    none = [q for q in questions if q["topic"] == "none"]
    answerable = [q for q in questions if q["topic"] != "none"]
    if not none:
        return
    declined = sum(not engine.search(q["q"], limit=3) for q in none)
    lost = sum(not engine.search(q["q"], limit=3) for q in answerable)
    print(
        f"   unanswerable declined {declined}/{len(none)}; "
        f"answerable left unanswered {lost}/{len(answerable)}"
    )


def guard_figures(ordinary: list[dict[str, str]]) -> None:
    try:
        from endospine.clinical.symptoms import detect, highest_level
    except ImportError:
        print("urgent guard: endospine.clinical.symptoms not available, skipped")
        return

    def urgent_level(text: str) -> str | None:  # as the Ask guard: review findings are not urgent
        return highest_level([f for f in detect(text) if f.level != "review"])

    false_positives = [q["q"] for q in ordinary if urgent_level(q["q"]) is not None]
    print(
        f"urgent guard false positives on {len(ordinary)} ordinary questions: "
        f"{len(false_positives)}"
    )
    for text in false_positives:
        print(f"  flagged: {text!r}")
    rank = {"urgent": 1, "emergency": 2}
    urgent = load("urgent.yaml")
    caught = 0
    for item in urgent:
        level = urgent_level(item["q"])
        ok = level is not None and rank[level] >= rank[item["level"]]
        caught += ok
        if not ok:
            print(f"  under-called: {item['q']!r} want {item['level']} got {level}")
    print(
        f"urgent guard caught {caught}/{len(urgent)} urgent questions at the right level or higher"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--misses", action="store_true", help="list the tuning questions answered wrongly"
    )
    parser.add_argument("--no-guard", action="store_true", help="skip the urgent-guard figures")
    args = parser.parse_args()
    engine = build_engine()
    print(f"passages: {len(engine.passages)}")
    ordinary: list[dict[str, str]] = []
    for name in ("tuning.yaml", "tuning_forum.yaml", "heldout.yaml", "heldout_forum.yaml"):
        questions = load(name)
        ordinary.extend(q for q in questions if q["topic"] != "none")
        print(f"{name}:")
        # Only tuning misses are listed: reading held-out misses would be tuning on them.
        top1, top3 = evaluate(engine, questions, args.misses and name.startswith("tuning"))
        n = sum(q["topic"] != "none" for q in questions)
        print(f"{name.split('.')[0]:>8}: n={n} top-1 {top1:.1%}  top-3 {top3:.1%}")
        unanswerable_figures(engine, questions)
    if not args.no_guard:
        guard_figures(ordinary)


if __name__ == "__main__":
    main()
