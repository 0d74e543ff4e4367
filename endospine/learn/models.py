"""The knowledge base as loaded by `endospine kb load` (the files under content/ are the truth)."""

import uuid

from django.db import models

from endospine.learn.topics import STAGES, TOPICS


class Article(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=list(STAGES.items()))
    audience = models.CharField(max_length=20)
    order = models.IntegerField(default=100)
    summary = models.CharField(max_length=400, blank=True)
    intro = models.TextField(blank=True)
    reviewed_by = models.CharField(max_length=200)
    reviewed_on = models.DateField()
    sources = models.JSONField(default=list, help_text="[{id, title, ref}] as in the front matter")
    source_path = models.CharField(max_length=500, help_text="The file it was loaded from.")

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """One retrievable passage of an article."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    anchor = models.SlugField(max_length=80)
    heading = models.CharField(max_length=300)
    topic = models.CharField(max_length=40, choices=list(TOPICS.items()))
    sources = models.JSONField(default=list, help_text="Source ids of the article it draws on.")
    text = models.TextField()

    class Meta:
        ordering = ["article__order", "article__slug", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "anchor"], name="unique_section_anchor")
        ]

    def __str__(self) -> str:
        return f"{self.article.slug}#{self.anchor}"


class ContentLoad(models.Model):
    """One successful `kb load` that changed the content; the newest stamps the engine cache."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    loaded_at = models.DateTimeField()
    stamp = models.CharField(max_length=64, help_text="sha256 of the loaded articles and lexicon")
    lexicon = models.JSONField(default=dict)
    paths = models.JSONField(default=list)
    article_count = models.PositiveIntegerField()
    passage_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"{self.article_count} articles loaded {self.loaded_at:%Y-%m-%d %H:%M}"
