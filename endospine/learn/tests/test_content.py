"""Knowledge-base files: the shipped set is complete and bad files are refused with file:line."""

from pathlib import Path

import pytest

from endospine.learn.content import ContentError, load_lexicon, parse_article, parse_folders
from endospine.learn.topics import TOPICS

ROOT = Path(__file__).resolve().parents[3]

GOOD = """---
title: Test article
slug: test-article
stage: recover
audience: patient
reviewed_by: Dr Test
reviewed_on: 2026-01-31
sources:
  - {id: faq, title: An FAQ, ref: seeds/000.txt}
---
Intro line.

## How big is the cut? {#size topic=incision_and_scar sources=faq}

About 7 mm (faq).
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_article("bad.md", text)
    return caught.value.problems


def test_shipped_content_covers_every_topic_twice() -> None:
    articles = parse_folders([ROOT / "content" / "knowledge"])
    counts = dict.fromkeys(TOPICS, 0)
    for article in articles:
        for section in article.sections:
            counts[section.topic] += 1
            assert section.sources, f"{article.slug}#{section.anchor} names no source"
    assert {code: n for code, n in counts.items() if n < 2} == {}


def test_shipped_lexicon_loads() -> None:
    lexicon = load_lexicon(ROOT / "content" / "lexicon" / "synonyms.yaml")
    assert lexicon.spelling["anaesthesia"] == "anesthesia"
    assert any("slipped disc" in group for group in lexicon.groups)


def test_a_good_article_parses() -> None:
    article = parse_article("good.md", GOOD)
    assert article.slug == "test-article"
    assert article.intro == "Intro line."
    [section] = article.sections
    assert (section.anchor, section.topic, section.sources) == (
        "size",
        "incision_and_scar",
        ("faq",),
    )
    assert section.heading == "How big is the cut?"
    assert section.text == "About 7 mm (faq)."


def test_unknown_topic_is_reported_with_its_line() -> None:
    bad = GOOD.replace("topic=incision_and_scar", "topic=scars")
    assert problems(bad) == ["bad.md:13: unknown topic code 'scars'"]


def test_undeclared_source_is_reported() -> None:
    bad = GOOD.replace("sources=faq}", "sources=faq,nice}")
    assert problems(bad) == ["bad.md:13: source 'nice' is not declared in the front matter"]


def test_missing_front_matter_field_is_reported() -> None:
    bad = GOOD.replace("reviewed_by: Dr Test\n", "")
    assert problems(bad) == ["bad.md:1: front matter is missing 'reviewed_by'"]


def test_bad_stage_and_unknown_field_point_at_their_lines() -> None:
    bad = GOOD.replace("stage: recover", "stage: later").replace(
        "audience: patient", "audiance: patient"
    )
    found = problems(bad)
    assert "bad.md:4: stage 'later' is not one of learn, assess, prepare, operate, recover" in found
    assert "bad.md:5: unknown front matter field 'audiance'" in found


def test_heading_without_attributes_is_refused() -> None:
    bad = GOOD.replace(" {#size topic=incision_and_scar sources=faq}", "")
    assert problems(bad) == [
        "bad.md:13: section heading needs {#anchor topic=<code> sources=<id,...>}"
    ]


def test_no_front_matter_is_refused() -> None:
    assert problems("# Just a title\n") == [
        "bad.md:1: file must start with '---' and YAML front matter"
    ]


def test_broken_yaml_is_refused() -> None:
    bad = GOOD.replace("title: Test article", "title: [unclosed")
    [message] = problems(bad)
    assert message.startswith("bad.md:") and "not valid YAML" in message


def test_a_folder_with_one_bad_file_loads_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(
        GOOD.replace("slug: test-article", "slug: other").replace(
            "topic=incision_and_scar", "topic=nope"
        )
    )
    with pytest.raises(ContentError) as caught:
        parse_folders([tmp_path])
    assert caught.value.problems == [f"{tmp_path / 'b.md'}:13: unknown topic code 'nope'"]


def test_duplicate_slugs_across_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    with pytest.raises(ContentError, match="slug 'test-article' is also used"):
        parse_folders([tmp_path])
