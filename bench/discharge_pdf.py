"""How long generating one discharge-instructions PDF takes (target: under 1 s).

Times the whole generation the PDF endpoint does after its database reads:
loading the content template (cached after the first call, as in the server),
personalising it, and rendering the PDF with reportlab.

    .venv/bin/python bench/discharge_pdf.py [runs]
"""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from endospine.operate import instructions, pdf  # noqa: E402

TARGET_SECONDS = 1.0


def generate(run: int) -> bytes:
    name, template = instructions.load_template(ROOT / "content", "north")
    facts = instructions.Facts(
        site_name="North Spine Clinic",
        emergency_number="911",
        care_team_phone="+1 555 0100",
        fever_c=38.0,
        operation_date=date(2026, 11, 20),
        discharge_date=date(2026, 11, 20),
        same_day=run % 2 == 0,
        technique="open" if run % 5 == 0 else "uniportal_full_endoscopic",
        closure=("suture", "skin_glue", "staples", "adhesive_strips")[run % 4],
        events=["dural_tear"] if run % 3 == 0 else ["none"],
        levels=["L4-L5"],
        pain_at_discharge=run % 11,
    )
    built = instructions.build(template, facts, template_name=name)
    return pdf.render(built, header=["For: Demo Patient", "Operation: L4-L5"])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    generate(0)  # warm-up: imports, font metrics, template cache
    timings = []
    size = 0
    for run in range(runs):
        start = time.perf_counter()
        size = len(generate(run))
        timings.append(time.perf_counter() - start)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"discharge PDF: runs={runs} size~{size // 1024} KiB")
    worst = timings[-1]
    print(f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {worst * 1000:.1f} ms")
    print(f"target < {TARGET_SECONDS * 1000:.0f} ms: {'met' if p95 < TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
