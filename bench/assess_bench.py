"""Benchmark: evaluating one intake in-process (target: under 1 ms).

Run: .venv/bin/python bench/assess_bench.py
Prints the median and p95 of validate+evaluate over every vignette, and of the
evaluation alone on an already-validated intake.
"""

import statistics
import time
from collections.abc import Callable

from endospine.assess.engine import evaluate, evaluate_data
from endospine.assess.inputs import AssessmentInput
from endospine.assess.rules import load_ruleset
from endospine.assess.tests.vignettes import VIGNETTES

ROUNDS = 200


def timings(call: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name:<32} n={len(samples):>6}  median={statistics.median(samples):7.1f} us  "
        f"p95={p95:7.1f} us  max={ordered[-1]:8.1f} us"
    )


def main() -> None:
    start = time.perf_counter()
    rules = load_ruleset()
    print(
        f"load + compile rule file: {(time.perf_counter() - start) * 1e3:.1f} ms "
        f"(version {rules.version}, {len(rules.rules)} rules)"
    )
    raw = [v.data() for v in VIGNETTES]
    parsed = [AssessmentInput.model_validate(d) for d in raw]
    for data in raw:  # warm up
        evaluate_data(data, rules)
    full: list[float] = []
    engine_only: list[float] = []
    for data, intake in zip(raw, parsed, strict=True):
        full += timings(lambda data=data: evaluate_data(data, rules))
        engine_only += timings(lambda intake=intake: evaluate(intake, rules))
    report("validate + evaluate", full)
    report("evaluate (validated intake)", engine_only)
    target_ok = statistics.median(full) < 1000 and sorted(full)[int(len(full) * 0.95) - 1] < 1000
    print("target < 1 ms:", "met" if target_ok else "NOT MET")


if __name__ == "__main__":
    main()
