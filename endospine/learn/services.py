"""Writes of the learn step (loading the knowledge base) and the ask service.

`knowledge_load` replaces the stored knowledge base with the files, all or nothing. `ask` answers a
question: urgent-symptom guard first, then the engine. The engine is built once per process and
rebuilt only when a newer `ContentLoad` stamp appears, so `kb load` in another process is picked up
on the next question without a restart.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from endospine.accounts.models import Site
from endospine.core import clock
from endospine.core.errors import DomainError
from endospine.learn.content import Article as ParsedArticle
from endospine.learn.content import discharge_article, load_lexicon, parse_folders
from endospine.learn.engine import MIN_SCORE, AskEngine, Hit, Lexicon, Passage
from endospine.learn.models import Article, ContentLoad, Section

MAX_QUESTION_CHARS = 500
MAX_LIMIT = 20


def shipped_knowledge_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "knowledge"


def shipped_discharge_path() -> Path:
    return Path(settings.CONTENT_DIR) / "discharge" / "default.yaml"


def shipped_articles(extra_paths: list[Path] | None = None) -> list[ParsedArticle]:
    """The articles Ask searches: the knowledge base (plus a clinic's folders) and the
    discharge instructions (issue 10: "can I shower", "when can I drive")."""
    paths = [shipped_knowledge_dir(), *(extra_paths or [])]
    return [*parse_folders(paths), discharge_article(shipped_discharge_path())]


def shipped_lexicon_path() -> Path:
    return Path(settings.CONTENT_DIR) / "lexicon" / "synonyms.yaml"


@dataclass(frozen=True)
class LoadResult:
    articles: int
    passages: int
    changed: bool


def _stamp(articles: list[ParsedArticle], lexicon: Lexicon) -> str:
    payload = json.dumps(
        {
            "articles": [a.__dict__ for a in sorted(articles, key=lambda a: a.slug)],
            "lexicon": lexicon.__dict__,
        },
        default=lambda o: o.__dict__ if hasattr(o, "__dict__") else str(o),
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _store_article(parsed: ParsedArticle) -> None:
    article, _ = Article.objects.update_or_create(
        slug=parsed.slug,
        defaults={
            "title": parsed.title,
            "stage": parsed.stage,
            "audience": parsed.audience,
            "order": parsed.order,
            "summary": parsed.summary,
            "intro": parsed.intro,
            "reviewed_by": parsed.reviewed_by,
            "reviewed_on": parsed.reviewed_on,
            "sources": [s.__dict__ for s in parsed.sources],
            "source_path": parsed.path,
        },
    )
    article.sections.all().delete()
    Section.objects.bulk_create(
        Section(
            article=article,
            position=index,
            anchor=s.anchor,
            heading=s.heading,
            topic=s.topic,
            sources=list(s.sources),
            text=s.text,
        )
        for index, s in enumerate(parsed.sections)
    )


def knowledge_load(
    *, extra_paths: list[Path] | None = None, lexicon_path: Path | None = None
) -> LoadResult:
    """Validate the shipped articles plus a clinic's folders and replace the stored set.

    Raises ContentError (every problem as `file:line: message`) before writing anything. Loading the
    same files again changes nothing and returns changed=False.
    """
    paths = [shipped_knowledge_dir(), *(extra_paths or [])]
    articles = shipped_articles(extra_paths)
    lexicon = load_lexicon(lexicon_path or shipped_lexicon_path())
    stamp = _stamp(articles, lexicon)
    passages = sum(len(a.sections) for a in articles)
    latest = ContentLoad.objects.order_by("-loaded_at").first()
    if latest is not None and latest.stamp == stamp:
        return LoadResult(len(articles), passages, changed=False)
    with transaction.atomic():
        Article.objects.exclude(slug__in=[a.slug for a in articles]).delete()
        for parsed in articles:
            _store_article(parsed)
        ContentLoad.objects.create(
            loaded_at=clock.now(),
            stamp=stamp,
            lexicon=lexicon.__dict__,
            paths=[str(p) for p in paths],
            article_count=len(articles),
            passage_count=passages,
        )
    return LoadResult(len(articles), passages, changed=True)


# --- the engine cache -------------------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[str, AskEngine] | None = None


def _build_engine(load: ContentLoad) -> AskEngine | None:
    rows = Section.objects.select_related("article").order_by(
        "article__order", "article__slug", "position"
    )
    passages = [
        Passage(
            key=f"{s.article.slug}#{s.anchor}",
            article=s.article.slug,
            title=s.article.title,
            section=s.heading,
            topic=s.topic,
            text=s.text,
        )
        for s in rows
    ]
    if not passages:
        return None
    return AskEngine(passages, Lexicon.from_dict(load.lexicon), min_score=MIN_SCORE)


def current_engine() -> AskEngine | None:
    """The engine for the newest loaded content (None before the first `kb load`)."""
    global _cached
    load = ContentLoad.objects.order_by("-loaded_at").first()
    if load is None:
        return None
    key = f"{load.id}:{load.stamp}"
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != key:
            engine = _build_engine(load)
            if engine is None:
                return None
            _cached = (key, engine)
        return _cached[1]


# --- asking -----------------------------------------------------------------------------------

Level = Literal["emergency", "urgent"]


@dataclass(frozen=True)
class Urgent:
    level: Level
    message: str


@dataclass(frozen=True)
class Unanswered:
    """The library has no answer: say so and give the care team's number (issue 10)."""

    message: str
    care_team_phone: str


@dataclass
class AskResult:
    query: str
    urgent: Urgent | None
    answers: list[dict[str, Any]] = field(default_factory=list)
    unanswered: Unanswered | None = None


# Under an urgent answer only these topics are related; any other card would distract.
URGENT_TOPICS = frozenset({"warning_signs"})


def unanswered_message() -> Unanswered:
    site = Site.objects.order_by("name").first()
    phone = site.care_team_phone if site else ""
    if phone:
        message = _(
            "Our library has no answer to this question. Please ask your care team on %(phone)s."
        ) % {"phone": phone}
    else:
        message = _("Our library has no answer to this question. Please ask your care team.")
    return Unanswered(message=str(message), care_team_phone=phone)


def clean_question(raw: str | None) -> str:
    """The question stripped of surrounding space; DomainError (HTTP 400) when unusable."""
    question = (raw or "").strip()
    if not question:
        raise DomainError("q", "Type a question.", status=400)
    if len(question) > MAX_QUESTION_CHARS:
        raise DomainError(
            "q", f"Keep the question under {MAX_QUESTION_CHARS} characters.", status=400
        )
    return question


def urgent_message(level: Level) -> str:
    """What to do now, with the site's numbers (the API is public: the first site's, or default)."""
    site = Site.objects.order_by("name").first()
    emergency = site.emergency_number if site else settings.DEFAULT_EMERGENCY_NUMBER
    care_team = site.care_team_phone if site else ""
    if level == "emergency":
        return (
            f"What you describe can be an emergency. Call {emergency} now or go to the nearest "
            "emergency department. Do not wait for an answer here."
        )
    reach = f"on {care_team}" if care_team else "now"
    return (
        f"What you describe needs advice from your care team today: call them {reach}. "
        f"If you cannot reach them or you feel worse, call {emergency}."
    )


def guard(question: str) -> Urgent | None:
    """The urgent-symptom guard, using the detector shared with check-in triage."""
    from endospine.clinical.symptoms import detect, highest_level

    # A review-level finding (constipation) is not urgent: Ask answers it like any question.
    level = highest_level([f for f in detect(question) if f.level != "review"])
    if level is None or level == "review":
        return None
    return Urgent(level=level, message=urgent_message(level))


def _answer(hit: Hit) -> dict[str, Any]:
    passage = hit.passage
    url = reverse("learn:article", kwargs={"slug": passage.article})
    return {
        "topic": passage.topic,
        "article": passage.article,
        "title": passage.title,
        "section": passage.section,
        "passage": passage.text,
        "score": hit.score,
        "url": f"{url}#{passage.key.split('#', 1)[1]}",
    }


def ask(*, question: str | None, limit: int = 5) -> AskResult:
    """Answer a question; stores nothing and logs nothing about it (the question may hold PHI)."""
    text = clean_question(question)
    limit = max(1, min(limit, MAX_LIMIT))
    engine = current_engine()
    hits = engine.search(text, limit=limit) if engine is not None else []
    urgent = guard(text)
    if urgent is not None:  # what to do now comes first; no unrelated article cards under it
        hits = [h for h in hits if h.passage.topic in URGENT_TOPICS]
    unanswered = unanswered_message() if not hits and urgent is None else None
    return AskResult(
        query=text, urgent=urgent, answers=[_answer(h) for h in hits], unanswered=unanswered
    )
