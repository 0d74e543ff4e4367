"""Demo registry: two and a half years of operated episodes for both surgeons and both
approaches, with PROMs, realistic non-response and adverse events, so every
registry page shows real figures. The surgeons have verified every quarter but the
last one (left for the demo surgeon to verify), and Dr Rivera agreed to be named.
"""

from django.utils import timezone

from endospine.core.demo import DemoContext
from endospine.measure.generate import generate
from endospine.measure.models import PublicConsent, QuarterVerification
from endospine.measure.public import period

DEMO_CASES = 320


def populate(ctx: DemoContext) -> None:
    today = timezone.localdate()
    generate(site=ctx.site, surgeons=ctx.surgeons, nurse=ctx.nurse, n=DEMO_CASES, today=today)
    _start, _end, quarters = period(today)
    QuarterVerification.objects.bulk_create(
        QuarterVerification(surgeon=surgeon, quarter=quarter, cases=0, adverse_events=0)
        for surgeon in ctx.surgeons
        for quarter in quarters[:-1]
    )
    PublicConsent.objects.create(surgeon=ctx.surgeons[0])
