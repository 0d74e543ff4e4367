"""Triage engine speed, in process: median and p95 per check-in (target < 1 ms).

    .venv/bin/python bench/triage_bench.py [iterations]

Times the pure engine alone and, when the shared detector is installed, the
engine plus the free-text reading.
"""

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from endospine.recover.engine import evaluate, load_ruleset  # noqa: E402

RULES = load_ruleset(ROOT / "content" / "rules" / "triage.yaml")
TEXTS = [
    "",
    "feeling ok, a bit sore",
    "no fever but my calf is swollen",
    "I can't pee since this morning",
    "temp 101.2F and the wound is leaking clear fluid",
]


def checkin(rng: random.Random) -> dict[str, Any]:
    return {
        "days_since_surgery": rng.randint(0, 60),
        "temperature_c": round(rng.uniform(36.0, 39.5), 1),
        "pain_back": rng.randint(0, 10), "pain_leg": rng.randint(0, 10),
        "pain_trend": rng.choice(["better", "same", "worse"]),
        "pain_controlled": rng.random() > 0.1,
        "wound_redness": rng.choice(["none", "mild", "spreading"]),
        "wound_drainage": rng.choice(["none", "clear", "bloody", "cloudy", "pus"]),
        "wound_open": rng.random() < 0.05, "new_weakness": rng.random() < 0.02,
        "new_numbness": rng.random() < 0.05, "saddle_numbness": rng.random() < 0.01,
        "bladder": rng.choice(["normal"] * 20 + ["retention", "incontinence"]),
        "bowel_incontinence": False, "headache_upright": rng.random() < 0.05,
        "clear_fluid_leak": False, "calf_pain_swelling": rng.random() < 0.03,
        "chest_pain": False, "short_of_breath": False, "confusion": False,
        "free_text": rng.choice(TEXTS),
    }  # fmt: skip


def run(label: str, fn: Any, samples: list[dict[str, Any]]) -> None:
    times = []
    for answers in samples:
        start = time.perf_counter()
        fn(answers)
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(f"{label}: n={len(times)} median={statistics.median(times):.1f} us p95={p95:.1f} us")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(5)
    samples = [checkin(rng) for _ in range(n)]
    run("engine only", lambda a: evaluate(a, RULES, fever_threshold_c=38.0), samples)
    try:
        from endospine.clinical.symptoms import detect
    except ImportError:
        print("engine + free text: skipped (endospine.clinical.symptoms not installed)")
        return

    def with_text(a: dict[str, Any]) -> None:
        findings = detect(a["free_text"], fever_threshold_c=38.0) if a["free_text"] else []
        evaluate(a, RULES, fever_threshold_c=38.0, findings=findings)

    run("engine + free text", with_text, samples)


if __name__ == "__main__":
    main()
