"""The review net: free text the detector could not classify with confidence is never silently
routine (issue 10).

Pure Python, no Django. `needs_review(text, findings)` is True when the detector found nothing
but a clause of the text reports something about the body that it does not recognise: a word
of `concern` (content/symptoms/review.yaml) with no `reassurance` word and no negation cue in
the same clause. Triage then raises a routine result to `review`: a clinician reads it within
the site's review window. Hypotheticals and general questions are not reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from endospine.clinical.lexicon import LEXICON_PATH, g
from endospine.clinical.symptoms import read_clauses

REVIEW_PATH = LEXICON_PATH.with_name("review.yaml")
_FIRST_PERSON = frozenset({"i", "my", "me", "he", "she", "his", "her", "we", "our"})


class ReviewNetError(ValueError):
    """review.yaml is malformed."""


@dataclass(frozen=True)
class ReviewNet:
    version: int
    concern: re.Pattern[str]
    reassurance: frozenset[str]
    phrases: tuple[str, ...]  # reassurance phrases of several words, padded with spaces
    not_a_report: frozenset[str]


def _word_pattern(words: list[str]) -> re.Pattern[str]:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(rf"(?:{'|'.join(parts)})")


def review_net_from_dict(data: Any) -> ReviewNet:
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise ReviewNetError("review.yaml needs an integer 'version'")
    lists = {}
    for key in ("concern", "reassurance", "not_a_report"):
        words = data.get(key)
        if not isinstance(words, list) or not words:
            raise ReviewNetError(f"review.yaml: '{key}' must be a non-empty list of words")
        bad = [
            w
            for w in words
            if not isinstance(w, str) or not re.fullmatch(r"[a-z]+(?: [a-z]+)*\*?", w)
        ]
        if bad:
            raise ReviewNetError(f"review.yaml: '{key}' holds entries that are not words: {bad}")
        lists[key] = words
    clash = set(lists["concern"]) & (set(lists["reassurance"]) | set(lists["not_a_report"]))
    if clash:
        raise ReviewNetError(f"review.yaml: concern words also listed as harmless: {sorted(clash)}")
    if any(" " in w for w in lists["concern"] + lists["not_a_report"]):
        raise ReviewNetError("review.yaml: only reassurance entries may be phrases")
    return ReviewNet(
        version=data["version"],
        concern=_word_pattern(lists["concern"]),
        reassurance=frozenset(w for w in lists["reassurance"] if " " not in w),
        phrases=tuple(f" {w} " for w in lists["reassurance"] if " " in w),
        not_a_report=frozenset(lists["not_a_report"]),
    )


def load_review_net(path: Path = REVIEW_PATH) -> ReviewNet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewNetError(f"cannot read {path.name}: {exc}") from exc
    return review_net_from_dict(data)


@cache
def review_net() -> ReviewNet:
    return load_review_net()


def unread_concerns(text: str) -> list[str]:
    """The words of the text that report something the detector did not classify."""
    net = review_net()
    found: list[str] = []
    for kind, words in read_clauses(text):
        if kind == "hypothetical" or _harmless(net, words):
            continue
        if kind == "question" and not _FIRST_PERSON.intersection(words):
            continue  # "what are the signs of an infection?" asks, it does not report
        for i, word in enumerate(words):
            if net.concern.fullmatch(word) and not _negated(words, i):
                found.append(word)
                break
    return found


_LOW_SCORE = re.compile(r"(?<!\S)[0-4](?:\.5)? (?:/|out of|over) (?:10|ten)(?!\S)")


def _harmless(net: ReviewNet, words: Sequence[str]) -> bool:
    """Reassured (mild, improving, absent) or not a report (a fear, a question about later)."""
    if net.reassurance.intersection(words) or net.not_a_report.intersection(words):
        return True
    joined = f" {' '.join(words)} "
    return any(p in joined for p in net.phrases) or bool(_LOW_SCORE.search(joined))


def _negated(words: Sequence[str], i: int) -> bool:
    return any(w in g.NEGATION_CUES for w in words[max(0, i - 6) : i])


def needs_review(text: str, findings: Sequence[Any]) -> bool:
    """True when a clinician should read the text although the detector found nothing."""
    return not findings and bool(text and unread_concerns(text))
