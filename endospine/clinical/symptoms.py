"""Free-text symptom detector shared by the Ask urgent guard and check-in triage.

Pure Python, no Django. `detect(text)` returns the red-flag symptoms a patient reports in their
own words; `highest_level` picks the level to act on. The lexicon (codes, levels, patterns,
spelling variants) is data: content/symptoms/lexicon.yaml, loaded and compiled by
endospine.clinical.lexicon; `lexicon`, `unprotected_words` and `Level` stay importable from
here. The decision rules (negation, what counts as a general or hypothetical question) are
documented in docs/symptom-detector.md.

How a text is read:
1. Tokens: lower case, contractions expanded ("can't" -> "cannot"), British -> American
   spelling, one-edit typos of lexicon words corrected. Each token keeps its span in the
   original text, so the evidence quoted back is the patient's own words.
2. Sentences split at . ! ? ; and new lines; clauses split at "but", "however", ... and at a
   comma or "and" followed by a new subject ("no fever, I can't pee").
3. Every lexicon pattern is matched on the normalised text; a match is dropped when it is
   negated inside its clause, hypothetical ("if", "risk of"), or a general question with no
   first-person report in it. When in doubt about a first-person statement, it fires.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Loading and compiling live in lexicon.py; the names below stay importable from here.
from endospine.clinical.lexicon import GRAMMAR_PATH as GRAMMAR_PATH
from endospine.clinical.lexicon import LEVEL_RANK, Code, deletions, g, one_edit_apart
from endospine.clinical.lexicon import LEXICON_PATH as LEXICON_PATH
from endospine.clinical.lexicon import Level as Level
from endospine.clinical.lexicon import Lexicon as Lexicon
from endospine.clinical.lexicon import lexicon as lexicon
from endospine.clinical.lexicon import load_lexicon as load_lexicon
from endospine.clinical.lexicon import unprotected_words as unprotected_words


@dataclass(frozen=True)
class SymptomFinding:
    code: str
    level: Level
    evidence: str


# --- Tokens ----------------------------------------------------------------------------------


_NUMBER_RE = re.compile(r" \d")
_TOKEN_RE = re.compile(r"\d+(?:\.\d+|,\d(?!\d))?|[^\W\d_]+(?:['’][^\W\d_]+)*|\n|[^\w\s]")
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")


@lru_cache(maxsize=8192)
def _correct(word: str) -> str:
    lex = lexicon()
    word = lex.spelling.get(word, word)
    if len(word) < 5 or word in lex.known or not word.isalpha():
        return word
    candidates: set[str] = set(lex.typo_index.get(word, ()))
    for key in deletions(word):
        candidates.update(lex.typo_index.get(key, ()))
    matches = [c for c in candidates if one_edit_apart(word, c)]
    if not matches:
        return word
    # Prefer a same-length fix (swap, wrong key), then a missed letter, then an extra one.
    return min(matches, key=lambda c: ({0: 0, 1: 1, -1: 2}[len(c) - len(word)], c))


@lru_cache(maxsize=16384)
def _normalise(raw: str) -> tuple[str, ...]:
    word = raw.lower().replace("’", "'")
    if word in g.CONTRACTIONS:
        return g.CONTRACTIONS[word]
    if word.endswith("n't"):
        base = word[:-3]
        return (g.NT_BASES.get(base, base), "not")
    if "'" in word:
        head, _, tail = word.partition("'")
        return (_correct(head), *([g.SUFFIXES[tail]] if tail in g.SUFFIXES else []))
    if word == "\n":
        return (".",)
    return (_correct(word),)


@lru_cache(maxsize=16384)
def _triggers(word: str) -> frozenset[int]:
    """Codes whose patterns could match a text containing this token."""
    keys = lexicon().keys
    found: set[int] = set()
    for end in range(3, len(word) + 1):
        found |= keys.get(word[:end], frozenset())
    return frozenset(found)


def _tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Normalised words; for each, the index of the written token it comes from; and the
    offsets that bound written token k in the text: bounds[2k] to bounds[2k + 1]."""
    pieces = _SPLIT_RE.split(text)  # gap, token, gap, token, ..., gap
    bounds = list(itertools.accumulate(map(len, pieces)))
    parts = [_normalise(raw) for raw in pieces[1::2]]
    words = [w for p in parts for w in p]
    origin = [i for i, p in enumerate(parts) for _ in p]
    return words, origin, bounds


# --- Clauses ---------------------------------------------------------------------------------


@dataclass
class _Clause:
    start: int  # first token index
    end: int  # one past the last token index
    kind: str  # "statement", "question", "why" (a question that presumes) or "hypothetical"
    modal: bool  # a question opened by will/would/could/can/might/may
    text: str  # its words joined by spaces


def _sentences(words: list[str]) -> list[tuple[int, int]]:
    """Token ranges of the sentences, without their closing punctuation."""
    ends = [i for i, w in enumerate(words) if w in g.SENTENCE_END]
    bounds = zip([0, *(e + 1 for e in ends)], [*ends, len(words)], strict=True)
    return [(lo, hi) for lo, hi in bounds if hi > lo]


def _clauses(words: list[str], lo: int, hi: int) -> list[_Clause]:
    """Split one sentence into clauses and decide whether each is a statement or a question."""
    asked = hi < len(words) and words[hi] == "?"
    cuts = [lo]
    cues = g.CLAUSE_CUES
    cuts += [i for i in range(lo + 1, hi) if words[i] in cues and _opens_clause(words, i)]
    cuts.append(hi)
    clauses: list[_Clause] = []
    for s, e in itertools.pairwise(cuts):
        kind, modal = _clause_kind(words[s:e], asked and e == hi)
        clauses.append(_Clause(s, e, kind, modal, " ".join(words[s:e])))
    return clauses


def _opens_clause(words: list[str], i: int) -> bool:
    w, prev = words[i], words[i - 1]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in g.CLAUSE_BREAKERS:
        return True
    if prev in g.COMMA_LIKE and w in g.CLAUSE_STARTERS:
        return True
    return w in ("and", "or", "so", "then") and nxt in g.SUBJECT_STARTERS


def _clause_kind(words: list[str], asked: bool) -> tuple[str, bool]:
    i = 0
    while i < len(words) and (words[i] in g.CONNECTORS or words[i] in g.COMMA_LIKE):
        i += 1
    first = words[i] if i < len(words) else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if first in g.IF_WORDS:
        return "hypothetical", False
    if first == "why":
        return "why", False
    if first in g.WH_WORDS:
        return "question", False
    if first == "had" and nxt in g.ELLIPTIC_HAD:  # "Had a fall", "had my stitches out"
        return "statement", False
    if first in g.AUX_ALWAYS or (first in g.AUX_IF_SUBJECT and nxt in g.SUBJECTS):
        return "question", first in g.MODALS
    if asked and first not in g.STATEMENT_STARTERS:
        return "question", False
    return "statement", False


# --- Filters ---------------------------------------------------------------------------------


def _negated_before(words: list[str], clause: _Clause, at: int, covered: set[int]) -> bool:
    """A negation cue earlier in the clause, close enough and not cut off by a terminator."""
    lo = max(clause.start, at - g.NEGATION_WINDOW)
    for i in range(at - 1, lo - 1, -1):
        w = words[i]
        if w in g.NEGATION_TERMINATORS:
            return False
        if w in g.NEGATION_CUES and i not in covered:
            after = " ".join(words[i + 1 : i + 3])
            if not g.PSEUDO_NEGATION.match(after):
                return True
    return False


def _negated_after(words: list[str], clause: _Clause, end: int, improvable: bool) -> bool:
    """'... has gone', 'fever: no', and for improvable codes '... is getting better'."""
    tail = " ".join(words[end : min(clause.end, end + 7)])
    if g.POST_ANSWER_NO.match(tail):
        return True
    m = g.POST_RESOLVED.search(tail) or (g.POST_IMPROVING.search(tail) if improvable else None)
    return m is not None and not g.NOT_BEFORE.search(tail[: m.start()])


def _general(words: list[str], clause: _Clause, at: int) -> bool:
    """True when the words are about symptoms in general, not a report by the writer."""
    # Look at most 20 words either side: clauses are short, and a long run-on text must not
    # cost a search of the whole clause for every match.
    before = " ".join(words[max(clause.start, at - 20) : at])
    if clause.kind == "hypothetical" or g.IF_BEFORE.search(before):
        return True
    after = " ".join(words[at : min(clause.end, at + 20)])
    i_report, my_report, weak, first_person, generic = _marks(clause.text)
    strong = i_report or my_report
    if (g.GENERIC_BEFORE.search(before) or g.GENERIC_AFTER.search(after)) and not strong:
        return True
    if clause.kind == "why":  # "why can't I pee?" takes the symptom as given
        return not first_person
    if clause.kind == "question":
        if clause.modal:  # "will my legs feel weak?": the subject of a modal is not a report
            return not i_report
        return not (strong or weak)
    return generic and not first_person


@lru_cache(maxsize=1024)
def _marks(text: str) -> tuple[bool, bool, bool, bool, bool]:
    """Report and generic markers of a clause (searched once per clause)."""
    return (
        bool(g.I_REPORT.search(text)),
        bool(g.MY_REPORT.search(text)),
        bool(g.WEAK_REPORT.search(text)),
        bool(g.FIRST_PERSON.search(text)),
        bool(g.GENERIC_SUBJECT.search(text)),
    )


# --- Temperatures ----------------------------------------------------------------------------


_Temp = tuple[float, int, int, bool]  # Celsius, first token, end token, unit or context given


def _temperatures(words: list[str], norm: str, starts: list[int]) -> list[_Temp]:
    """Each temperature written in the text."""
    found: list[_Temp] = []
    for m in _NUMBER_RE.finditer(norm):
        i = bisect_right(starts, m.start() + 1) - 1
        w = words[i]
        value = float(w.replace(",", "."))
        j, unit, degree = i + 1, "", False
        while j < len(words) and words[j] in g.DEGREE_WORDS:
            j, degree = j + 1, True
        if j < len(words) and words[j] in g.UNITS:
            unit, j = g.UNITS[words[j]], j + 1
        context = any(words[k] in g.TEMPERATURE_WORDS for k in range(max(0, i - 4), i))
        if any(words[k] in g.NOT_BODY_TEMPERATURE for k in range(j, min(len(words), j + 3))):
            continue  # "38 degrees outside", "the bath was 40 degrees"
        explicit = bool(unit or degree or context)
        if not explicit and not _bare_temperature(words, i):
            continue
        celsius = (value - 32) * 5 / 9 if unit == "F" or value > 45 else value
        if 30 <= celsius <= 45:
            first = i - 2 if context and i >= 2 and words[i - 1] == "of" else i
            found.append((round(celsius, 2), first, j, explicit))
    return found


def _bare_temperature(words: list[str], i: int) -> bool:
    """A decimal such as "38.5" or "101.3" with no unit: a temperature unless it measures
    something else ("sats 95.5", "70.5 kg")."""
    w = words[i]
    value = float(w.replace(",", "."))
    if not ("." in w or "," in w) or not (35 <= value < 43 or 95 <= value < 110):
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    before = words[max(0, i - 3) : i]
    return after not in g.OTHER_UNITS and not any(b in g.OTHER_MEASURES for b in before)


# --- Detection -------------------------------------------------------------------------------


def detect(text: str, *, fever_threshold_c: float = 38.0) -> list[SymptomFinding]:
    """Red-flag symptoms the writer reports, deduplicated by code, emergency first."""
    if not text or not text.strip():
        return []
    lex = lexicon()
    words, origin, bounds = _tokens(text)
    norm = f" {' '.join(words)} "
    starts = list(itertools.accumulate([len(w) + 1 for w in words], initial=1))  # in norm
    sentences = _sentences(words)
    raw = _match(lex, words, norm, starts, sentences)
    temps = _temperatures(words, norm, starts)
    if not raw and not temps:
        return []  # the common case in Ask: nothing to filter
    # Clauses only for the sentences where something matched.
    sentence_starts = [lo for lo, _ in sentences]
    firsts = [a for _, a, _ in raw] + [t[1] for t in temps]
    wanted = {bisect_right(sentence_starts, a) - 1 for a in firsts}
    clauses = [c for k in sorted(wanted) for c in _clauses(words, *sentences[k])]
    clause_starts = [c.start for c in clauses]

    def clause_at(k: int) -> _Clause:
        return clauses[bisect_right(clause_starts, k) - 1]

    covered = {k for _, a, b in raw for k in range(a, b)}
    found: dict[str, list[tuple[int, int]]] = {}
    for code, a, b in raw:
        found.setdefault(code.code, []).append((a, b))

    hits: dict[str, tuple[int, int]] = {}
    for code, a, b in raw:
        if code.code in hits:  # one finding per code: the first match that survives
            continue
        clause = clause_at(a)
        if _drop(code, words, clause, a, b, covered, found):
            continue
        hits.setdefault(code.code, (a, b))

    _apply_temperatures(words, temps, clause_at, covered, hits, fever_threshold_c)
    by_code = {c.code: c for c in lex.codes}
    findings = [
        SymptomFinding(
            code, by_code[code].level, text[bounds[2 * origin[a]] : bounds[2 * origin[b - 1] + 1]]
        )
        for code, (a, b) in hits.items()
    ]
    order = {c.code: i for i, c in enumerate(lex.codes)}
    return sorted(findings, key=lambda f: (LEVEL_RANK[f.level], order[f.code]))


def _match(
    lex: Lexicon, words: list[str], norm: str, starts: list[int], sentences: list[tuple[int, int]]
) -> list[tuple[Code, int, int]]:
    """(code, first token, end token) of every pattern match. For speed each code's regex runs
    only over the sentences that contain one of its key words."""
    runs: dict[int, list[tuple[int, int]]] = {}  # code index -> sentence char ranges
    trig = {w: _triggers(w) for w in set(words)}
    for lo, hi in sentences:
        todo = frozenset().union(*map(trig.__getitem__, words[lo:hi]))
        span = (starts[lo] - 1, starts[hi])  # from the space before to the space after
        for ci in todo:
            runs.setdefault(ci, []).append(span)
    raw: list[tuple[Code, int, int]] = []
    for ci in sorted(runs):
        code = lex.codes[ci]
        for lo, hi in runs[ci]:
            for m in code.regex.finditer(norm, lo, hi):
                a = bisect_right(starts, m.start() + 1) - 1
                b = bisect_right(starts, m.end() - 1)
                raw.append((code, a, b))
    return raw


def _drop(
    code: Code,
    words: list[str],
    clause: _Clause,
    a: int,
    b: int,
    covered: set[int],
    spans: dict[str, list[tuple[int, int]]],
) -> bool:
    for other in code.shadowed_by:  # "numb groin": saddle numbness, not also leg numbness
        if any(clause.start <= x < clause.end for x, _ in spans.get(other, [])):
            return True
    if _negated_before(words, clause, a, covered):
        return True
    if _negated_after(words, clause, b, code.improvable):
        return True
    if _general(words, clause, a):
        return True
    if code.needs_new:
        text = clause.text
        if code.new_words and code.new_words.search(text):
            return False
        if code.fading_words and code.fading_words.search(text):
            return True
        return clause.kind not in ("statement", "why")  # "why is my foot numb?" reports it
    return False


def _apply_temperatures(
    words: list[str],
    temps: list[_Temp],
    clause_at: Callable[[int], _Clause],
    covered: set[int],
    hits: dict[str, tuple[int, int]],
    threshold: float,
) -> None:
    """A stated temperature decides fever on its own: at or above the threshold fires, below
    it switches off the fever words ("feverish, 37.6"). A bare decimal with no unit or
    temperature word ("38.5") can fire but never switches anything off."""
    stated = [
        t
        for t in temps
        if not _negated_before(words, clause_at(t[1]), t[1], covered)
        and not _general(words, clause_at(t[1]), t[1])
    ]
    if not stated:
        return
    celsius, a, b, _ = max(stated)
    if celsius + 1e-9 >= threshold:
        hits["fever"] = (a, b)
    elif any(explicit for *_, explicit in stated):
        hits.pop("fever", None)


def highest_level(findings: Sequence[SymptomFinding]) -> Level | None:
    """The most serious level among the findings, or None when there are none."""
    if not findings:
        return None
    return min((f.level for f in findings), key=lambda lv: LEVEL_RANK[lv])


def read_clauses(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(kind, normalised words) of every clause: kind is statement, question, why or
    hypothetical. The review net (endospine.clinical.review) reads text with it."""
    if not text or not text.strip():
        return []
    words, _, _ = _tokens(text)
    return [
        (c.kind, tuple(words[c.start : c.end]))
        for lo, hi in _sentences(words)
        for c in _clauses(words, lo, hi)
    ]
