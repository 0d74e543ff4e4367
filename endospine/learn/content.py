"""Parse and validate knowledge-base files (pure: no Django).

An article is Markdown with YAML front matter. Every `## ` heading starts a retrievable passage
and must carry attributes naming its anchor, its one topic code and the sources it draws on:

    ## How long does the operation take? {#duration topic=surgery_duration sources=guide,cleveland}

Any problem is reported as `file:line: message` and the whole load is refused, so a clinic never
ends up with half an article set.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from endospine.learn.engine import Lexicon, Passage
from endospine.learn.topics import AUDIENCES, STAGES, TOPICS

REQUIRED = ("title", "slug", "stage", "audience", "reviewed_by", "reviewed_on", "sources")
OPTIONAL = ("order", "summary")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_RE = re.compile(r"^##\s+(?P<heading>.+?)\s*(?:\{(?P<attrs>[^{}]*)\})?\s*$")
ATTR_RE = re.compile(r"^(?:#(?P<anchor>[a-z0-9-]+)|(?P<key>[a-z_]+)=(?P<value>\S+))$")
MAX_PASSAGE_CHARS = 4000


class ContentError(Exception):
    """One or more `file:line: message` problems; nothing was loaded."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    ref: str


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    topic: str
    sources: tuple[str, ...]
    text: str
    line: int


@dataclass
class Article:
    path: str
    title: str
    slug: str
    stage: str
    audience: str
    reviewed_by: str
    reviewed_on: dt.date
    sources: list[Source]
    intro: str
    sections: list[Section] = field(default_factory=list)
    order: int = 100
    summary: str = ""


class _Problems:
    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}")


def _key_line(lines: list[str], key: str, offset: int) -> int:
    """Line number of a front-matter key, so errors point at it (1 if not found)."""
    for number, text in enumerate(lines, start=offset):
        if text.startswith(f"{key}:"):
            return number
    return 1


def _split_front_matter(text: str, problems: _Problems) -> tuple[list[str], list[str], int] | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.add(1, "file must start with '---' and YAML front matter")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return lines[1:index], lines[index + 1 :], index + 2
    problems.add(1, "front matter is not closed with '---'")
    return None


def _check_sources(raw: Any, line: int, problems: _Problems) -> list[Source]:
    if raw in (None, ""):
        return []  # already reported as a missing field
    if not isinstance(raw, list) or not raw:
        problems.add(line, "sources must be a non-empty list of {id, title, ref}")
        return []
    sources: list[Source] = []
    for item in raw:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("id", "title", "ref")
        ):
            problems.add(line, f"each source needs id, title and ref: {item!r}")
            continue
        sources.append(Source(id=item["id"], title=item["title"], ref=item["ref"]))
    ids = [s.id for s in sources]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.add(line, f"source id '{dup}' is declared twice")
    return sources


def _check_meta(meta: dict[str, Any], fm: list[str], problems: _Problems) -> dict[str, Any]:
    def line(key: str) -> int:
        return _key_line(fm, key, 2)

    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            problems.add(line(key) if key in meta else 1, f"front matter is missing '{key}'")
    for key in meta:
        if key not in REQUIRED + OPTIONAL:
            problems.add(line(key), f"unknown front matter field '{key}'")
    slug = meta.get("slug")
    if slug is not None and not (isinstance(slug, str) and SLUG_RE.match(slug)):
        problems.add(line("slug"), f"slug '{slug}' must be lower-case words joined by '-'")
    if "stage" in meta and meta["stage"] not in STAGES:
        problems.add(line("stage"), f"stage '{meta['stage']}' is not one of {', '.join(STAGES)}")
    if "audience" in meta and meta["audience"] not in AUDIENCES:
        problems.add(line("audience"), f"audience must be one of {', '.join(AUDIENCES)}")
    reviewed_on = meta.get("reviewed_on")
    if reviewed_on is not None and not isinstance(reviewed_on, dt.date):
        problems.add(line("reviewed_on"), "reviewed_on must be a date like 2026-01-31")
    if "order" in meta and not isinstance(meta["order"], int):
        problems.add(line("order"), "order must be a whole number")
    return meta


def _parse_attrs(attrs: str | None, line: int, problems: _Problems) -> dict[str, str]:
    if attrs is None:
        problems.add(line, "section heading needs {#anchor topic=<code> sources=<id,...>}")
        return {}
    found: dict[str, str] = {}
    for part in attrs.split():
        match = ATTR_RE.match(part)
        if not match:
            problems.add(line, f"cannot read heading attribute '{part}'")
        elif match["anchor"]:
            found["anchor"] = match["anchor"]
        else:
            found[match["key"]] = match["value"]
    for key in ("anchor", "topic", "sources"):
        if key not in found:
            problems.add(line, f"section heading is missing '{key}'")
    for key in set(found) - {"anchor", "topic", "sources"}:
        problems.add(line, f"unknown heading attribute '{key}'")
    return found


def _tidy(text: str) -> str:
    """Join hard-wrapped lines into one line per paragraph; paragraphs stay apart."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _parse_sections(
    body: list[str], first_line: int, source_ids: set[str], problems: _Problems
) -> tuple[str, list[Section]]:
    intro: list[str] = []
    sections: list[Section] = []
    current: dict[str, Any] | None = None
    chunks: list[str] = []

    def close() -> None:
        if current is None:
            return
        text = _tidy("\n".join(chunks))
        if not text:
            problems.add(current["line"], "section has no text")
        elif len(text) > MAX_PASSAGE_CHARS:
            problems.add(current["line"], f"section is longer than {MAX_PASSAGE_CHARS} characters")
        sections.append(Section(text=text, **current))

    for number, raw in enumerate(body, start=first_line):
        if raw.startswith("# ") or raw.startswith("### "):
            problems.add(number, "use '## ' headings for sections (one level only)")
        if not raw.startswith("## "):
            (chunks if current is not None else intro).append(raw)
            continue
        close()
        chunks = []
        match = HEADING_RE.match(raw)
        attrs = _parse_attrs(match["attrs"] if match else None, number, problems)
        topic = attrs.get("topic", "")
        if topic and topic not in TOPICS:
            problems.add(number, f"unknown topic code '{topic}'")
        cited = tuple(s for s in attrs.get("sources", "").split(",") if s)
        for source in cited:
            if source not in source_ids:
                problems.add(number, f"source '{source}' is not declared in the front matter")
        heading = match["heading"] if match else raw[3:]
        current = {"anchor": attrs.get("anchor", ""), "heading": heading.strip(), "topic": topic}
        current.update(sources=cited, line=number)
    close()
    anchors = [s.anchor for s in sections]
    for section in sections:
        if section.anchor and anchors.count(section.anchor) > 1:
            problems.add(section.line, f"anchor '#{section.anchor}' is used twice")
    if not sections:
        problems.add(first_line, "article has no '## ' sections")
    return _tidy("\n".join(intro)), sections


def parse_article(path: str, text: str) -> Article:
    """Parse one article, raising ContentError listing every problem found."""
    problems = _Problems(path)
    split = _split_front_matter(text, problems)
    if split is None:
        raise ContentError(problems.items)
    fm, body, body_line = split
    try:
        meta = yaml.safe_load("\n".join(fm)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add((mark.line + 2) if mark else 1, f"front matter is not valid YAML: {exc}")
        raise ContentError(problems.items) from None
    if not isinstance(meta, dict):
        problems.add(2, "front matter must be a mapping of fields")
        raise ContentError(problems.items)
    _check_meta(meta, fm, problems)
    sources = _check_sources(meta.get("sources"), _key_line(fm, "sources", 2), problems)
    intro, sections = _parse_sections(body, body_line, {s.id for s in sources}, problems)
    if problems.items:
        raise ContentError(problems.items)
    return Article(
        path=path,
        title=str(meta["title"]),
        slug=meta["slug"],
        stage=meta["stage"],
        audience=meta["audience"],
        reviewed_by=str(meta["reviewed_by"]),
        reviewed_on=meta["reviewed_on"],
        sources=sources,
        intro=intro,
        sections=sections,
        order=meta.get("order", 100),
        summary=str(meta.get("summary", "")),
    )


def article_files(paths: list[Path]) -> list[Path]:
    """Markdown files under the given files or folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.name.lower() != "readme.md"))
        else:
            found.append(path)
    return found


def parse_folders(paths: list[Path]) -> list[Article]:
    """Parse every article under `paths`; all-or-nothing, with every problem reported."""
    problems: list[str] = []
    articles: list[Article] = []
    files = article_files(paths)
    if not files:
        raise ContentError([f"{', '.join(map(str, paths))}:1: no article files found"])
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            articles.append(parse_article(str(path), text))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}:1: cannot read file: {exc}")
        except ContentError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for article in articles:
        if article.slug in seen:
            problems.append(
                f"{article.path}:1: slug '{article.slug}' is also used by {seen[article.slug]}"
            )
        seen.setdefault(article.slug, article.path)
    if problems:
        raise ContentError(problems)
    return articles


def passages_of(articles: list[Article]) -> list[Passage]:
    """The retrievable passages of parsed articles, in article order."""
    return [
        Passage(
            key=f"{a.slug}#{s.anchor}",
            article=a.slug,
            title=a.title,
            section=s.heading,
            topic=s.topic,
            text=s.text,
        )
        for a in sorted(articles, key=lambda a: (a.order, a.slug))
        for s in a.sections
    ]


def load_lexicon(path: Path) -> Lexicon:
    """Read the synonym lexicon, raising ContentError as `file:line: message`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"{path}:1: cannot read lexicon: {exc}"]) from None
    if not isinstance(data, dict):
        raise ContentError([f"{path}:1: lexicon must be a mapping with spelling and groups"])
    try:
        return Lexicon.from_dict(data)
    except ValueError as exc:
        raise ContentError([f"{path}:1: {exc}"]) from None


# --- Discharge instructions as a searchable article (issue 10) -------------------------------

DISCHARGE_SLUG = "going-home"
# Each part of content/discharge/default.yaml becomes one passage: (YAML path, anchor, topic,
# heading). The heading counts twice in the index, so it names what patients ask about.
DISCHARGE_PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("activity", "activity", "activity_restrictions",
     "Walking, lifting, bending, driving and going back to work after you go home"),
    ("wound", "wound", "incision_and_scar",
     "Showering, bathing, your dressing and your stitches at home"),
    ("warning_signs", "when-to-call", "warning_signs",
     "When to call your care team or the emergency number after you go home"),
    ("follow_up", "follow-up", "follow_up_care", "Your clinic visits after the operation"),
    ("checkins", "checkins", "follow_up_care", "Check-ins from home: how you are doing"),
)  # fmt: skip
# Discharge texts hold per-patient placeholders; Ask shows the general wording instead.
_GENERIC = {
    "emergency_number": "the emergency number",
    "care_team_phone": "your care team's number",
    "fever_c": "38",
    "fever_f": "100.4",
    "clinic_date": "the date on your instructions",
    "second_date": "the date on your instructions",
    "stitch_date": "the date on your instructions",
}


class _Generic(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "the date on your instructions"


def _texts(node: Any) -> list[str]:
    """Every `text` (and `intro`) under a part of the discharge file, in file order."""
    if isinstance(node, dict):
        own = [node[k] for k in ("intro", "text") if isinstance(node.get(k), str)]
        return own + [t for k, v in node.items() if k not in ("intro", "text") for t in _texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def discharge_article(path: Path) -> Article:
    """The discharge instruction template (content/discharge/default.yaml) as an article, so
    that Ask finds "can I shower" and "when can I drive" in what the patient was given."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"{path}:1: cannot read discharge instructions: {exc}"]) from None
    if not isinstance(data, dict):
        raise ContentError([f"{path}:1: discharge instructions must be a mapping"])
    sections = []
    for key, anchor, topic, heading in DISCHARGE_PARTS:
        texts = [t.format_map(_Generic(_GENERIC)).strip() for t in _texts(data.get(key))]
        if not texts:
            raise ContentError([f"{path}:1: discharge part '{key}' has no text"])
        text = "\n".join(texts)
        sections.append(Section(anchor, heading, topic, ("discharge",), text, 1))
    return Article(
        path=str(path),
        title=str(data.get("title") or "Going home after your operation"),
        slug=DISCHARGE_SLUG,
        stage="operate",
        audience="patient",
        reviewed_by="Discharge instruction template (content/discharge/default.yaml)",
        reviewed_on=dt.date(2026, 12, 1),
        sources=[Source("discharge", "EndoSpine discharge instructions", str(path.name))],
        intro="The instructions you were given when you went home, in general wording.",
        sections=sections,
        order=95,
        summary="Showering, dressings, driving, activity and when to call, from your discharge "
        "instructions.",
    )
