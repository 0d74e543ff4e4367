"""Free-text triage on the vignette corpus (content/vignettes/triage/).

    .venv/bin/python bench/triage_vignettes.py [--misses] [--part heldout|tuning]

Each vignette is triaged from its text alone (no check-in fields), exactly as a check-in's free
text is: the shared detector's findings, the rule set, then the review net. Prints, per part and
per group (a red flag, a control set or the routine set):

- recall: the vignettes triaged at their expected level or higher by the detector (a vignette
  caught only by the review net is NOT counted here; it is reported apart as "net"),
- the misses that matter: emergency or urgent vignettes called routine or review,
- over-triage of routine vignettes (urgent or emergency) and the review-net rate (review),
- the median and p95 time of one triage.

Pure: reads content/ directly, no database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from endospine.clinical.review import needs_review  # noqa: E402
from endospine.clinical.symptoms import detect  # noqa: E402
from endospine.recover.engine import LEVELS, evaluate, load_ruleset  # noqa: E402

VIGNETTES = ROOT / "content" / "vignettes" / "triage"
RANK = {level: i for i, level in enumerate(LEVELS)}


def load(part: str) -> list[dict[str, Any]]:
    """Every group of a part: heldout.yaml, or tuning.yaml plus tuning_*.yaml."""
    files = sorted(VIGNETTES.glob(f"{part}*.yaml"))
    return [
        group
        for path in files
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["vignettes"]
    ]


def triage(text: str, ruleset: Any) -> tuple[str, str, list[str]]:
    """(level without the net, level with it, finding codes)."""
    findings = detect(text, fever_threshold_c=38.0)
    result = evaluate({"free_text": text}, ruleset, fever_threshold_c=38.0, findings=findings)
    bare = result.level
    final = evaluate(
        {"free_text": text},
        ruleset,
        fever_threshold_c=38.0,
        findings=findings,
        needs_review=needs_review(text, findings),
    ).level
    return bare, final, [f.code for f in findings]


def run_part(part: str, ruleset: Any, show_misses: bool) -> dict[str, Any]:
    groups = load(part)
    print(f"\n== {part} ==")
    print(f"{'group':28} {'expect':9} {'n':>3} {'recall':>7} {'net':>4} {'codes':>6}")
    totals = {"n": 0, "serious_missed": 0, "net_only": 0, "routine": 0, "over": 0, "review": 0}
    for group in groups:
        want = group["level"]
        codes = set(group.get("codes") or [])
        n = ok = net = code_ok = 0
        for case in group["cases"]:
            bare, final, found = triage(case["text"], ruleset)
            n += 1
            totals["n"] += 1
            if want == "routine":
                totals["routine"] += 1
                over = RANK[final] >= RANK["urgent"]
                totals["over"] += over
                totals["review"] += final == "review"
                ok += final == "routine"
                if show_misses and final != "routine":
                    print(f"   {final:9} {case['text']!r} {found}")
                continue
            hit = RANK[bare] >= RANK[want]
            ok += hit
            code_ok += bool(codes & set(found))
            if not hit and RANK[final] >= RANK[want]:
                net += 1
            if not hit and want in ("emergency", "urgent"):
                totals["serious_missed"] += 1
                totals["net_only"] += RANK[final] >= RANK["review"]
            if show_misses and not hit:
                print(f"   miss {want}->{bare}/{final} {case['text']!r} {found}")
        codes_col = f"{code_ok}/{n}" if want != "routine" else ""
        print(f"{group['id']:28} {want:9} {n:3} {ok / n:7.0%} {net:4} {codes_col:>6}")
    routine = max(totals["routine"], 1)
    print(
        f"{part}: {totals['n']} vignettes; urgent/emergency called routine or review: "
        f"{totals['serious_missed']} (of which caught by the review net: {totals['net_only']}); "
        f"routine over-triaged to urgent/emergency: {totals['over']}/{totals['routine']} "
        f"({totals['over'] / routine:.1%}); review-net rate on routine: "
        f"{totals['review']}/{totals['routine']} ({totals['review'] / routine:.1%})"
    )
    return totals


def timing(ruleset: Any) -> None:
    texts = [c["text"] for part in ("tuning", "heldout") for g in load(part) for c in g["cases"]]
    samples = []
    for _ in range(3):
        for text in texts:
            start = time.perf_counter()
            triage(text, ruleset)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95)]
    print(
        f"\ntime per check-in triage: median {statistics.median(samples):.3f} ms, p95 {p95:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the tuning misses")
    parser.add_argument("--part", choices=["tuning", "heldout"])
    args = parser.parse_args()
    ruleset = load_ruleset(ROOT / "content" / "rules" / "triage.yaml")
    for part in [args.part] if args.part else ["tuning", "heldout"]:
        # Only tuning misses are ever listed: reading held-out misses would be tuning on them.
        run_part(part, ruleset, args.misses and part == "tuning")
    timing(ruleset)


if __name__ == "__main__":
    main()
