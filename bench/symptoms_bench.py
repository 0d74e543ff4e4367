"""Benchmark the shared free-text symptom detector on a 2,000-character check-in note.

Run: .venv/bin/python bench/symptoms_bench.py
Prints the median and p95 of detect() per call, warm (the typo-correction cache holds the
words, as in a running server) and cold (caches cleared before every call), and the same for a
short question as typed into Ask. Target (issue 5): well under 1 ms for a 2,000-char text.
"""

import os
import statistics
import time

from endospine.clinical import symptoms
from endospine.clinical.symptoms import detect

NOTE = (
    "Hi, day 3 after the keyhole op. No fever, chills or chest pain and I'm not short of breath. "
    "The wound looks clean, a little red around the edge but no pus. My temperature this "
    "morning was 37.4 and last night 99.1 F. I have been walking around the house a bit more "
    "each day, the physio exercises are fine. Leg pain is much better than before surgery, "
    "maybe 3/10, back is sore when I get up from the sofa. I do not have any numbness in my "
    "groin and peeing is normal. Slept badly because of the dressing, it itches. Question: "
    "when can I drive again, and is it normal for the scar to feel tight? Also my wife says "
    "I should ask whether I can have a bath yet or only a shower. I'm taking paracetamol and "
    "ibuprofen as prescribed, they help. Yesterday evening the dressing had a small spot of "
    "blood on it which the nurse said is ok. I feel a bit tired but eating well. "
) * 3
NOTE = (NOTE[:1900] + " But today I can't pee and my left calf is swollen.")[:2000]
QUESTION = "is it normal to feel numb in my leg after the operation?"


def _clear_caches() -> None:
    for cached in (symptoms._correct, symptoms._normalise, symptoms._triggers):
        cached.cache_clear()


def measure(text: str, *, cold: bool, runs: int = 2000) -> tuple[float, float, float]:
    """Median and p95 wall time, and mean CPU time, of one detect() call, in ms."""
    detect(text)  # load the lexicon once
    times: list[float] = []
    cpu = 0.0
    for _ in range(runs):
        if cold:
            _clear_caches()
        c0, t0 = time.process_time(), time.perf_counter()
        detect(text)
        times.append((time.perf_counter() - t0) * 1000)
        cpu += time.process_time() - c0
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)], cpu * 1000 / runs


def main() -> None:
    # Wall times include waiting for a core when the machine is busy: compare with the load.
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"note: {len(NOTE)} chars -> {[f.code for f in detect(NOTE)]}")
    for label, text in (("2000-char note", NOTE), ("short question", QUESTION)):
        for cold in (False, True):
            med, p95, cpu = measure(text, cold=cold)
            mode = "cold caches" if cold else "warm caches"
            print(
                f"{label:15} {mode}: median {med:.3f} ms  p95 {p95:.3f} ms  mean CPU {cpu:.3f} ms"
            )


if __name__ == "__main__":
    main()
