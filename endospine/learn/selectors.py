"""Reads of the learn step: the public library (no patient data, so nothing to audit)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from endospine.learn.models import Article, Section
from endospine.learn.topics import STAGES, TOPICS


@dataclass
class StageShelf:
    code: str
    label: str
    articles: list[Article]


def library() -> list[StageShelf]:
    """Articles grouped by journey stage, in journey order; empty stages left out."""
    by_stage: dict[str, list[Article]] = {code: [] for code in STAGES}
    for article in Article.objects.prefetch_related("sections"):
        by_stage.setdefault(article.stage, []).append(article)
    return [
        StageShelf(code, STAGES.get(code, code), arts) for code, arts in by_stage.items() if arts
    ]


def article_page(slug: str) -> dict[str, Any]:
    """One article with its sections; each section lists the sources it cites. 404 if unknown."""
    sections = Prefetch("sections", queryset=Section.objects.order_by("position"))
    article = Article.objects.prefetch_related(sections).filter(slug=slug).first()
    if article is None:
        raise Http404("no such article")
    titles = {s["id"]: s["title"] for s in article.sources}
    return {
        "article": article,
        "sections": [
            {
                "section": s,
                "topic_label": TOPICS.get(s.topic, s.topic),
                "cited": [titles.get(i, i) for i in s.sources],
            }
            for s in article.sections.all()
        ],
    }
