"""Speed and memory of the ask engine and GET /api/v1/ask, against plain rank-bm25.

    .venv/bin/python bench/ask_perf.py [--passages 5000] [--rounds 5]

Corpus: the shipped articles plus generated filler passages (words drawn from the shipped text)
up to --passages. Queries: the labelled question set (content/questions), repeated --rounds times.
Prints index build time, engine p50/p95, API p50/p95 (Django test client against a throw-away
SQLite database), resident memory of this process after serving, and rank-bm25 (BM25Okapi) build
time and p50/p95 on the same tokens and queries. Targets: build < 5 s, engine p95 < 10 ms, API p95
< 50 ms, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from endospine.learn.content import load_lexicon, parse_folders, passages_of  # noqa: E402
from endospine.learn.engine import AskEngine, Passage, words  # noqa: E402
from endospine.learn.topics import TOPICS  # noqa: E402


def questions() -> list[str]:
    found: list[str] = []
    for name in ("tuning.yaml", "heldout.yaml"):
        data = yaml.safe_load((ROOT / "content" / "questions" / name).read_text())
        found.extend(item["q"] for item in data["questions"])
    return found


def filler(real: list[Passage], total: int, seed: int = 7) -> list[Passage]:
    rng = random.Random(seed)
    vocab = [w for p in real for w in words(p.text)]
    topics = list(TOPICS)
    out = []
    for n in range(max(0, total - len(real))):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(60, 140)))
        heading = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 8)))
        out.append(
            Passage(
                f"filler-{n // 10}#s{n}",
                f"filler-{n // 10}",
                "Filler",
                heading,
                rng.choice(topics),
                text,
            )
        )
    return out


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms (n={len(ms)})"


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_engine(corpus: list[Passage], queries: list[str]) -> AskEngine:
    lexicon = load_lexicon(ROOT / "content" / "lexicon" / "synonyms.yaml")
    build = timed(lambda: AskEngine(corpus, lexicon))
    engine = AskEngine(corpus, lexicon)
    print(f"engine index build ({len(corpus)} passages): median {build:.2f} s")
    samples = []
    for q in queries:
        start = time.perf_counter()
        engine.search(q, limit=5)
        samples.append(time.perf_counter() - start)
    print(f"engine search: {percentiles(samples)}")
    return engine


def bench_rank_bm25(engine: AskEngine, queries: list[str]) -> None:
    from rank_bm25 import BM25Okapi

    tokens = [engine.analyzer.tokens(engine._indexed_text(p)) for p in engine.passages]
    build = timed(lambda: BM25Okapi(tokens))
    bm25 = BM25Okapi(tokens)
    print(f"rank-bm25 index build: median {build:.2f} s")
    samples = []
    for q in queries:
        query = engine.analyzer.tokens(q)  # same analyzer, no lexicon or typo work: a fair floor
        start = time.perf_counter()
        scores = bm25.get_scores(query)
        np.argsort(-scores)[:5]
        samples.append(time.perf_counter() - start)
    print(f"rank-bm25 search: {percentiles(samples)}")


def bench_api(corpus: list[Passage], real_count: int, queries: list[str]) -> None:
    tmp = tempfile.mkdtemp(prefix="askperf-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ENDOSPINE_DATA_DIR"] = tmp
    os.environ["ENDOSPINE_RATE_LIMIT_PER_MINUTE"] = "100000000"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from endospine.core import clock
    from endospine.learn import services
    from endospine.learn.models import Article, ContentLoad, Section

    call_command("migrate", verbosity=0)
    services.knowledge_load()
    extra = corpus[real_count:]
    articles = {}
    for passage in extra:
        if passage.article not in articles:
            articles[passage.article] = Article.objects.create(
                slug=passage.article,
                title="Filler",
                stage="learn",
                audience="patient",
                reviewed_by="bench",
                reviewed_on=clock.now().date(),
                sources=[],
                source_path="bench",
                order=1000,
            )
    Section.objects.bulk_create(
        Section(
            article=articles[p.article],
            position=i,
            anchor=p.key.split("#")[1],
            heading=p.section,
            topic=p.topic,
            text=p.text,
        )
        for i, p in enumerate(extra)
    )
    latest = ContentLoad.objects.latest()
    ContentLoad.objects.create(
        loaded_at=clock.now(),
        stamp="bench-filler",
        lexicon=latest.lexicon,
        paths=["bench"],
        article_count=Article.objects.count(),
        passage_count=Section.objects.count(),
    )
    client = Client()
    start = time.perf_counter()
    first = client.get("/api/v1/ask", {"q": "how long is recovery"})
    assert first.status_code == 200, first.content
    print(
        f"API first request (builds the engine, {Section.objects.count()} passages): "
        f"{(time.perf_counter() - start):.2f} s"
    )
    samples = []
    for q in queries:
        start = time.perf_counter()
        response = client.get("/api/v1/ask", {"q": q, "limit": 5})
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    print(f"GET /api/v1/ask (test client): {percentiles(samples)}")
    print(f"resident memory after serving: {rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    real = passages_of(parse_folders([ROOT / "content" / "knowledge"]))
    corpus = real + filler(real, args.passages)
    queries = questions() * args.rounds
    print(
        f"corpus: {len(real)} shipped + {len(corpus) - len(real)} filler passages; "
        f"{len(queries)} queries; rss at start {rss_mb():.0f} MB"
    )
    bench_api(corpus, len(real), queries)
    engine = bench_engine(corpus, queries)
    bench_rank_bm25(engine, queries)


if __name__ == "__main__":
    main()
