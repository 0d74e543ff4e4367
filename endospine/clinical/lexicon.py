"""Lexicon and grammar of the free-text symptom detector: loading and compiling.

Pure Python, no Django. Reads content/symptoms/lexicon.yaml (codes, levels, patterns, spelling
variants, protected words) and content/symptoms/grammar.yaml (the English word lists and
patterns the filters use), expands the pattern macros, compiles each code's regex, works out the
key words of the pre-filter and builds the typo-correction index. Detection itself (tokens,
clauses, negation, hypotheticals, temperatures, findings) is in endospine.clinical.symptoms;
docs/symptom-detector.md documents both.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

Level = Literal["emergency", "urgent", "review"]

# Same content folder as settings.CONTENT_DIR (this module must not import Django).
_CONTENT_DIR = Path(
    os.environ.get("ENDOSPINE_CONTENT_DIR") or Path(__file__).resolve().parents[2] / "content"
)
LEXICON_PATH = _CONTENT_DIR / "symptoms" / "lexicon.yaml"

LEVEL_RANK: dict[str, int] = {"emergency": 0, "urgent": 1, "review": 2}


GRAMMAR_PATH = LEXICON_PATH.with_name("grammar.yaml")


class _Grammar:
    """English word lists and patterns the filters use (content/symptoms/grammar.yaml), as
    upper-case attributes: g.NEGATION_CUES is a frozenset, g.IF_BEFORE a compiled pattern."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.NEGATION_WINDOW = int(data["negation_window"])
        self.CONTRACTIONS = {k: tuple(v.split()) for k, v in data["contractions"].items()}
        for name in ("nt_bases", "suffixes", "units"):
            setattr(self, name.upper(), dict(data[name]))
        for name, words in data["words"].items():
            setattr(self, name.upper(), frozenset(words.split()))
        for name, pattern in data["patterns"].items():
            setattr(self, name.upper(), re.compile(pattern))
        starters: frozenset[str] = self.CLAUSE_STARTERS | self.SUBJECT_STARTERS
        self.CLAUSE_STARTERS: frozenset[str] = starters
        self.CLAUSE_CUES: frozenset[str] = self.CLAUSE_BREAKERS | starters | {"or", "then"}

    def __getattr__(self, name: str) -> Any:  # typed access to the loaded attributes
        raise AttributeError(name)


g = _Grammar(yaml.safe_load(GRAMMAR_PATH.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Code:
    code: str
    level: Level
    regex: re.Pattern[str]
    needs_new: bool
    new_words: re.Pattern[str] | None
    fading_words: re.Pattern[str] | None
    shadowed_by: tuple[str, ...]
    improvable: bool


@dataclass(frozen=True)
class Lexicon:
    version: int
    codes: tuple[Code, ...]
    spelling: dict[str, str]
    typo_index: dict[str, tuple[str, ...]]
    known: frozenset[str]
    keys: dict[str, frozenset[int]]  # content word (or its start) -> codes whose patterns use it


# --- Lexicon loading -------------------------------------------------------------------------


_ANY_WORD = "(?:\\S+ )"
# A gap between a pattern's words never swallows a negation: in "not vomiting" the "not" must
# stay outside the match so the negation filter sees it.
_GAP_WORD = "(?:(?!(?:not|no|never|without|nor) )\\S+ )"


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):  # macros may use macros
        pattern = re.sub(r"<([A-Z]+)>", lambda m: macros[m.group(1)], pattern)
    return pattern.replace(_ANY_WORD, _GAP_WORD)


def _token_regex(patterns: list[str], macros: dict[str, str]) -> re.Pattern[str]:
    body = "|".join(f"(?:{_expand(p, macros)})" for p in patterns)
    # Whole tokens only. The text is " tok tok ... tok ", so a match starts at a space: the
    # leading literal space also lets the regex engine skip quickly to the next token.
    return re.compile(rf" (?:{body})(?= )")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _keys(branch: str) -> set[str]:
    """Content words a match of this branch must contain one of (lookarounds excluded)."""
    text = re.sub(r"\\.", " ", branch)
    while (m := re.search(r"\(\?<?[!=]", text)) is not None:  # drop lookarounds, nested too
        depth, i = 0, m.start()
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        text = text[: m.start()] + " " + text[i + 1 :]
    return {w for w in re.findall(r"[a-z]{3,}", text) if w not in g.STOP_WORDS}


def _close(seq: str, i: int) -> int:
    """Index of the parenthesis closing the group that opens at seq[i]."""
    depth = 0
    while i < len(seq):
        if seq[i] == "\\":
            i += 1
        elif seq[i] == "[":
            i = seq.index("]", i + 2)
        elif seq[i] == "(":
            depth += 1
        elif seq[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced parentheses in {seq!r}")


def _quantifier(seq: str, i: int) -> tuple[bool, int]:
    """(whether what precedes seq[i] may be absent, index after the quantifier)."""
    optional = False
    if i < len(seq) and seq[i] in "?*+":
        optional, i = seq[i] != "+", i + 1
    elif i < len(seq) and seq[i] == "{":
        end = seq.index("}", i)
        optional, i = seq[i + 1 : end].split(",")[0] in ("", "0"), end + 1
    if i < len(seq) and seq[i] == "?":  # lazy
        i += 1
    return optional, i


def _required(pattern: str, at_start: bool) -> set[str] | None:
    """Words one of which starts a token of every match of the pattern (None: not known)."""
    found: set[str] = set()
    for branch in _branches(pattern):
        keys = _required_seq(branch, at_start)
        if keys is None:
            return None
        found |= keys
    return found


def _required_seq(seq: str, at_start: bool) -> set[str] | None:
    best: list[set[str]] = []
    word, word_ok, i = "", at_start, 0

    def flush() -> None:
        if word_ok and len(word) >= 3 and word.isalpha() and word not in g.STOP_WORDS:
            best.append({word})

    while i < len(seq):
        ch = seq[i]
        if ch == "(":
            j = _close(seq, i)
            inner = seq[i + 1 : j]
            optional, i = _quantifier(seq, j + 1)
            flush()
            if not inner.startswith(("?=", "?!", "?<")):  # lookarounds consume nothing
                body = inner[2:] if inner.startswith("?:") else inner
                starts = word_ok and not word
                keys = None if optional else _required(body, starts)
                if keys:
                    best.append(keys)
                word_ok = starts and all(b.endswith(" ") for b in _branches(body))
            word = ""
        elif ch == " ":
            flush()
            word, word_ok, i = "", True, i + 1
        elif ch.isalnum() and not (i + 1 < len(seq) and seq[i + 1] in "?*{"):
            word, i = word + ch, i + 1
        else:  # escapes, classes, dots, optional letters: the word ends here
            flush()
            i = seq.index("]", i + 2) + 1 if ch == "[" else i + (2 if ch == "\\" else 1)
            word, word_ok = "", False
            i = _quantifier(seq, i)[1]
    flush()
    return min(best, key=len) if best else None


def _code_keys(code: str, patterns: list[str], macros: dict[str, str]) -> set[str]:
    """Key words for the pre-filter: a sentence holding none of them cannot match the code."""
    keys: set[str] = set()
    for pattern in patterns:
        for branch in _branches(_expand(pattern, macros)):
            found = _required(branch, True) or _keys(branch)
            if not found:  # such a branch could match without any key word: refuse it
                raise ValueError(f"{code}: pattern {branch!r} has no content word")
            keys |= found
    return keys


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _typo_index(targets: set[str]) -> dict[str, tuple[str, ...]]:
    """Symmetric-delete index: every target and each of its one-letter deletions."""
    index: dict[str, set[str]] = {}
    for word in targets:
        for key in deletions(word) | {word}:
            index.setdefault(key, set()).add(word)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    macros: dict[str, str] = data.get("macros", {})
    improvable = set(data.get("improvable", []))
    codes: list[Code] = []
    words: set[str] = set(g.TYPO_EXTRA)
    keys: dict[str, set[int]] = {}
    for code, spec in data["codes"].items():
        for key in _code_keys(code, spec["patterns"], macros):
            keys.setdefault(key, set()).add(len(codes))
        if spec["level"] not in LEVEL_RANK:
            raise ValueError(f"{path}: {code}: unknown level {spec['level']!r}")
        source = " ".join(_expand(p, macros) for p in spec["patterns"])
        words |= set(re.findall(r"[a-z]{5,}", source))
        codes.append(
            Code(
                code=code,
                level=spec["level"],
                regex=_token_regex(spec["patterns"], macros),
                needs_new=bool(spec.get("needs_new", False)),
                new_words=re.compile(rf"(?<!\S){spec['new_words']}(?!\S)")
                if spec.get("new_words")
                else None,
                fading_words=re.compile(rf"(?<!\S){spec['fading_words']}(?!\S)")
                if spec.get("fading_words")
                else None,
                shadowed_by=tuple(spec.get("shadowed_by", [])),
                improvable=code in improvable,
            )
        )
    spelling: dict[str, str] = data.get("spelling", {})
    targets = {w for w in words if len(w) >= 5} | set(spelling.values())
    protected = set(data.get("protected", []))
    return Lexicon(
        version=int(data["version"]),
        codes=tuple(codes),
        spelling=spelling,
        typo_index=_typo_index({t for t in targets if t.isalpha()}),
        known=frozenset(targets | protected | set(spelling)),
        keys={k: frozenset(v) for k, v in keys.items()},
    )


@cache
def lexicon() -> Lexicon:
    return load_lexicon()


def unprotected_words(lex: Lexicon, dictionary: set[str]) -> set[str]:
    """Real words that typo correction would turn into a lexicon word: they belong in the
    lexicon's `protected:` list (see "Typos" in docs/symptom-detector.md)."""
    targets = {w for words in lex.typo_index.values() for w in words}
    return {
        w
        for w in dictionary
        if len(w) >= 5
        and w.isalpha()
        and w not in lex.known
        and w not in targets
        and any(
            one_edit_apart(w, t) for k in (deletions(w) | {w}) for t in lex.typo_index.get(k, ())
        )
    }


def one_edit_apart(a: str, b: str) -> bool:
    """True when a and b are one insertion, deletion, substitution or transposition apart."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]
