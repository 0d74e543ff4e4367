"""The ask engine: BM25 retrieval over knowledge-base passages, tolerant of lay words and typos.

Pure Python (no Django). Build one `AskEngine` per process from the passages and the lexicon and
reuse it: building indexes the corpus with bm25s, asking is a sparse lookup of a few tokens.

How a question is matched:
1. Normalise: lower case, accents and apostrophes removed, British spellings mapped (lexicon
   `spelling`).
2. Typos: a word the corpus and lexicon do not know is replaced by the closest known word within
   one edit (two for long words), found through a symmetric-delete index so it stays fast.
3. Light stemming, so "operations", "operated" and "operating" meet.
4. Lexicon: a phrase from a synonym group ("slipped disc") adds the group's other phrases
   ("herniated disc") as extra query terms at a lower weight than the patient's own words.
5. Score: BM25 (bm25s) over each passage's article title, heading (counted twice) and text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import bm25s
import numpy as np

# bm25s logs every index build at DEBUG on its own logger; that is noise in server and test logs.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_STOPWORD_TEXT = """
up a an the and or but if of to in on at by for with from as is are was were be been being am
do does did doing have has had having i me my mine we our you your he she it its they them
their this that these those there here what which who whom whose how when where why will
would can could should shall may might must just so than then too very also about into over
any some all each more most such only own same s t get got im ive id dont isnt arent wasnt
cant wont please tell know want need going go really thing things much many lot lots like
yes no not kind sort
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Words never corrected as typos: short function words and common question words.
MIN_TYPO_LEN = 4
EXPANSION_WEIGHT = 0.35
# With the shipped articles, a best passage scoring below this shares too little with the
# question to be its answer (the services and the bench pass it; a bare engine answers anything).
MIN_SCORE = 1.0
# When none of the patient's words in the matched phrase occur in any passage ("paralysed",
# "knocked out"), the lexicon is the only bridge to an answer: the group counts almost fully.
BRIDGE_WEIGHT = 0.8


@dataclass(frozen=True)
class Passage:
    """One retrievable section of an article."""

    key: str  # "<slug>#<anchor>": unique
    article: str  # article slug
    title: str  # article title
    section: str  # section heading
    topic: str
    text: str


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


@dataclass
class Lexicon:
    spelling: dict[str, str] = field(default_factory=dict)
    groups: list[list[str]] = field(default_factory=list)
    version: int = 1
    # Phrases of questions the library cannot answer: Ask says so instead of a poor card.
    out_of_scope: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        """Build from the YAML mapping; raises ValueError naming the bad entry."""
        spelling = data.get("spelling") or {}
        groups = data.get("groups") or []
        if not isinstance(spelling, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in spelling.items()
        ):
            raise ValueError("spelling must map words to words")
        if not isinstance(groups, list):
            raise ValueError("groups must be a list of phrase lists")
        for index, group in enumerate(groups, start=1):
            if not isinstance(group, list) or len(group) < 2:
                raise ValueError(f"group {index} must list at least two phrases")
            if not all(isinstance(p, str) and p.strip() for p in group):
                raise ValueError(f"group {index} has an empty or non-text phrase")
        out_of_scope = data.get("out_of_scope") or []
        if not isinstance(out_of_scope, list) or not all(
            isinstance(p, str) and p.strip() for p in out_of_scope
        ):
            raise ValueError("out_of_scope must be a list of phrases")
        return cls(
            spelling={k.lower(): v.lower() for k, v in spelling.items()},
            groups=[[str(p).lower() for p in g] for g in groups],
            version=int(data.get("version", 1)),
            out_of_scope=[p.lower() for p in out_of_scope],
        )


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, so "Isn't" and "isnt" match."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return APOSTROPHES.sub("", text)


WORD_RE = re.compile(r"[a-z0-9]+")
APOSTROPHES = re.compile(r"['’`]")


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately light English stemmer: plurals and the commonest verb/noun endings."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, replacement in (
        ("ation", "ate"),
        ("ness", ""),
        ("ing", ""),
        ("eed", "eed"),
        ("ed", ""),
        ("ly", ""),
        ("ery", "er"),
        ("ry", "r"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = _undouble(word[: len(word) - len(suffix)] + replacement)
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class Speller:
    """Symmetric-delete typo correction (the SymSpell idea) against a known vocabulary."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.index: dict[str, list[str]] = {}
        for word in counts:
            if len(word) >= MIN_TYPO_LEN and not word.isdigit():
                for variant in _deletes(word, self._depth(word)):
                    self.index.setdefault(variant, []).append(word)

    @staticmethod
    def _depth(word: str) -> int:
        return 2 if len(word) >= 8 else 1

    def correct(self, word: str) -> str | None:
        """The closest known word, or None when the word is known or nothing is close enough."""
        if word in self.counts or len(word) < MIN_TYPO_LEN or word.isdigit():
            return None
        limit = self._depth(word)
        candidates = {c for v in _deletes(word, limit) for c in self.index.get(v, ())}
        scored = [(damerau(word, c, limit), -self.counts[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None


class Analyzer:
    """Turns text into index tokens; shared by passages and questions so both meet."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.spelling: dict[str, list[str]] = {
            k: words(v) or [v] for k, v in lexicon.spelling.items()
        }

    def surface(self, text: str) -> list[str]:
        """Words after folding and spelling normalisation, stop words kept (phrases need them)."""
        out: list[str] = []
        for word in words(text.replace("-", " ")):
            out.extend(self.spelling.get(word, [word]))
        return out

    def tokens(self, text: str) -> list[str]:
        return [stem(w) for w in self.surface(text) if w not in STOPWORDS]


@dataclass(frozen=True)
class QueryPlan:
    """What the engine made of a question: useful for tests and for explaining a result."""

    tokens: tuple[str, ...]
    expansions: tuple[tuple[str, ...], ...]  # one tuple of synonym tokens per matched lexicon group
    weights: tuple[float, ...]  # the weight of each expansion group
    corrections: tuple[tuple[str, str], ...]


class AskEngine:
    def __init__(
        self,
        passages: Sequence[Passage],
        lexicon: Lexicon,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        min_score: float = 0.0,
    ) -> None:
        self.min_score = min_score
        if not passages:
            raise ValueError("the engine needs at least one passage")
        self.passages = list(passages)
        self.lexicon = lexicon
        self.analyzer = Analyzer(lexicon)
        surfaces = [self.analyzer.surface(self._indexed_text(p)) for p in self.passages]
        corpus = [[stem(w) for w in ws if w not in STOPWORDS] for ws in surfaces]
        self.retriever = bm25s.BM25(k1=k1, b=b)
        self.retriever.index(corpus, show_progress=False)
        self.vocab: dict[str, int] = dict(self.retriever.vocab_dict)
        # The index as a token-by-passage sparse matrix (CSC-style arrays), for weighted queries.
        matrix = self.retriever.scores
        self._data, self._indices, self._indptr = (
            matrix["data"],
            matrix["indices"],
            matrix["indptr"],
        )
        self.speller = Speller(self._surface_counts(surfaces))
        self.phrases = self._compile_groups(lexicon.groups)
        self.out_of_scope = [
            " " + " ".join(stem(w) for w in self.analyzer.surface(p)) + " "
            for p in lexicon.out_of_scope
        ]
        self._stemmed = [" " + " ".join(stem(w) for w in ws) + " " for ws in surfaces]

    @staticmethod
    def _indexed_text(passage: Passage) -> str:
        # The heading often restates the patient's question, so it counts twice.
        return f"{passage.title}\n{passage.section}\n{passage.section}\n{passage.text}"

    def _surface_counts(self, surfaces: list[list[str]]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for surface in surfaces:
            for word in surface:
                counts[word] = counts.get(word, 0) + 1
        for group in self.lexicon.groups:
            for phrase in group:
                for word in self.analyzer.surface(phrase):
                    counts.setdefault(word, 1)
        for word in STOPWORDS:
            counts.setdefault(word, 1)
        return counts

    def _compile_groups(
        self, groups: Iterable[list[str]]
    ) -> list[tuple[str, int, tuple[str, ...]]]:
        """Each phrase as " stemmed words " (stop words kept, padded for whole-word matching),
        with its group number and its content tokens."""
        compiled = []
        self.group_tokens: list[list[str]] = []
        for number, group in enumerate(groups):
            tokens: list[str] = []
            for phrase in group:
                stems = [stem(w) for w in self.analyzer.surface(phrase)]
                if stems:
                    content = tuple(self.analyzer.tokens(phrase))
                    compiled.append((" " + " ".join(stems) + " ", number, content))
                tokens.extend(self.analyzer.tokens(phrase))
            self.group_tokens.append(list(dict.fromkeys(tokens)))
        return compiled

    def plan(self, question: str) -> QueryPlan:
        corrections: list[tuple[str, str]] = []
        surface: list[str] = []
        for word in self.analyzer.surface(question):
            fixed = self.speller.correct(word)
            if fixed is not None:
                corrections.append((word, fixed))
                surface.extend(self.analyzer.spelling.get(fixed, [fixed]))
            else:
                surface.append(word)
        stems = [stem(w) for w in surface]
        tokens = tuple(dict.fromkeys(stem(w) for w in surface if w not in STOPWORDS))
        joined = " " + " ".join(stems) + " "
        bridged: dict[int, bool] = {}
        for phrase, number, content in self.phrases:
            if phrase in joined:
                known = any(t in self.vocab for t in content)
                bridged[number] = bridged.get(number, True) and not known
        expansions: list[tuple[str, ...]] = []
        weights: list[float] = []
        for number in sorted(bridged):
            group = tuple(
                t for t in self.group_tokens[number] if t not in tokens and t in self.vocab
            )
            if group:
                expansions.append(group)
                weights.append(BRIDGE_WEIGHT if bridged[number] else EXPANSION_WEIGHT)
        return QueryPlan(tokens, tuple(expansions), tuple(weights), tuple(corrections))

    def _token_scores(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """(passage indices, BM25 scores) of one token, straight from the bm25s index."""
        t = self.vocab[token]
        start, end = self._indptr[t], self._indptr[t + 1]
        return self._indices[start:end], self._data[start:end]

    def _scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Summed BM25 score of the tokens per passage (what bm25s' get_scores computes)."""
        scores = np.zeros(len(self.passages), dtype=np.float32)
        for token in tokens:
            if token in self.vocab:
                docs, values = self._token_scores(token)
                scores[docs] += values  # a token lists each passage once: no repeats
        return scores

    def _best_of(self, tokens: Sequence[str]) -> np.ndarray:
        """Per passage, the best score of any one of the tokens (a synonym group is one concept)."""
        best = np.zeros(len(self.passages), dtype=np.float32)
        for token in tokens:
            docs, values = self._token_scores(token)
            best[docs] = np.maximum(best[docs], values)
        return best

    def out_of_scope_phrases(self, question: str) -> list[str]:
        """The lexicon's `out_of_scope` phrases in the question (costs, parking, bookings...)."""
        joined = " " + " ".join(stem(w) for w in self.analyzer.surface(question)) + " "
        return [phrase for phrase in self.out_of_scope if phrase in joined]

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        """The best passages for a question, best first. Empty when the library cannot answer
        it: out of scope, or no passage shares enough with it (MIN_SCORE)."""
        plan = self.plan(question)
        scores = self._scores(list(plan.tokens))
        for group, weight in zip(plan.expansions, plan.weights, strict=True):
            # A synonym group is one concept: a passage earns its best-matching synonym once, at a
            # lower weight than the patient's own words, so long synonym lists cannot outvote them.
            scores += weight * self._best_of(group)
        if not scores.any() or float(scores.max()) < self.min_score:
            return []
        # Out of scope unless the best passage itself speaks of it (a clinic's parking page).
        phrases = self.out_of_scope_phrases(question)
        if phrases and not any(p in self._stemmed[int(scores.argmax())] for p in phrases):
            return []
        limit = max(1, min(limit, len(self.passages)))
        top = (
            np.argpartition(-scores, limit - 1)[:limit]
            if limit < len(scores)
            else np.arange(len(scores))
        )
        ranked = sorted(top, key=lambda i: (-scores[i], i))
        return [Hit(self.passages[i], round(float(scores[i]), 4)) for i in ranked if scores[i] > 0]
