"""Benchmark the shared free-text symptom detector on a 2,000-character check-in note.

Run: .venv/bin/python bench/symptoms_bench.py
Prints the median and p95 of detect() per call, warm (the typo-correction cache holds the
words, as in a running server) and cold (cache cleared before every call), and the same for a
short question as typed into Ask. Target (issue 5): well under 1 ms for a 2,000-char text.
"""

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


def measure(text: str, *, cold: bool, runs: int = 2000) -> tuple[float, float]:
    detect(text)  # load the lexicon once
    times: list[float] = []
    for _ in range(runs):
        if cold:
            symptoms._correct.cache_clear()
        t0 = time.perf_counter()
        detect(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    print(f"note: {len(NOTE)} chars -> {[f.code for f in detect(NOTE)]}")
    for label, text in (("2000-char note", NOTE), ("short question", QUESTION)):
        for cold in (False, True):
            med, p95 = measure(text, cold=cold)
            mode = "cold cache" if cold else "warm cache"
            print(f"{label:15} {mode}: median {med:.3f} ms  p95 {p95:.3f} ms")


if __name__ == "__main__":
    main()
