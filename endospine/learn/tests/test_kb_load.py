"""`endospine kb load`: idempotent, all-or-nothing, and bad files reported as file:line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from endospine.learn import services
from endospine.learn.models import Article, ContentLoad, Section
from endospine.learn.topics import TOPICS

pytestmark = pytest.mark.django_db

CLINIC_ARTICLE = """---
title: Parking at North
slug: parking-at-north
stage: prepare
audience: patient
reviewed_by: Nina Nurse
reviewed_on: 2026-11-01
sources:
  - {id: office, title: North clinic office, ref: clinic handbook}
---
## Where do I park on the day? {#parking topic=preparation sources=office}

Use the multi-storey car park on level 2 (office).
"""


def load(*args: str) -> str:
    out = StringIO()
    call_command("kb", "load", *args, stdout=out)
    return out.getvalue()


def test_load_stores_every_article_and_topic() -> None:
    assert "knowledge base loaded: 11 articles, 56 passages" in load()
    assert Article.objects.count() == 11  # 10 articles and the discharge instructions
    assert set(Section.objects.values_list("topic", flat=True)) == set(TOPICS)
    article = Article.objects.get(slug="wound-and-scar")
    assert article.reviewed_by and article.sources[0]["ref"].startswith("seeds/")


def test_loading_twice_changes_nothing() -> None:
    load()
    ids = set(Section.objects.values_list("id", flat=True))
    assert "knowledge base unchanged" in load()
    assert set(Section.objects.values_list("id", flat=True)) == ids
    assert ContentLoad.objects.count() == 1


def test_a_clinic_folder_is_added_to_the_shipped_content(tmp_path: Path) -> None:
    (tmp_path / "parking.md").write_text(CLINIC_ARTICLE)
    assert "12 articles, 57 passages" in load(str(tmp_path))
    assert Article.objects.filter(slug="parking-at-north").exists()
    # Reloading without the clinic folder removes its article again.
    load()
    assert not Article.objects.filter(slug="parking-at-north").exists()


def test_a_bad_file_is_refused_with_file_and_line_and_nothing_changes(tmp_path: Path) -> None:
    load()
    before = ContentLoad.objects.count()
    (tmp_path / "good.md").write_text(CLINIC_ARTICLE)
    bad = CLINIC_ARTICLE.replace("parking-at-north", "bad-one").replace(
        "topic=preparation", "topic=parking"
    )
    (tmp_path / "bad.md").write_text(bad)
    with pytest.raises(CommandError) as caught:
        load(str(tmp_path))
    assert str(caught.value) == f"{tmp_path / 'bad.md'}:11: unknown topic code 'parking'"
    assert not Article.objects.filter(slug__in=["parking-at-north", "bad-one"]).exists()
    assert ContentLoad.objects.count() == before


def test_a_missing_path_is_refused() -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        load("/nonexistent/folder")


def test_check_validates_without_storing() -> None:
    out = StringIO()
    call_command("kb", "check", stdout=out)
    assert "11 articles, 56 passages: valid" in out.getvalue()
    assert Article.objects.count() == 0


def test_the_engine_is_rebuilt_when_content_changes(tmp_path: Path) -> None:
    load()
    first = services.current_engine()
    assert first is services.current_engine()  # cached between questions
    (tmp_path / "parking.md").write_text(CLINIC_ARTICLE)
    load(str(tmp_path))
    second = services.current_engine()
    assert second is not first
    assert second is not None
    assert second.search("where do i park", limit=1)[0].passage.article == "parking-at-north"
