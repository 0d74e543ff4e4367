"""The demo registry gives every page real figures."""

from datetime import date

from django.db.models import Count

from conftest import Cast
from endospine.accounts.models import Role
from endospine.core.demo import DemoContext
from endospine.measure import demo
from endospine.measure.models import AdverseEvent, OutcomeFact, PublicConsent, QuarterVerification
from endospine.operate.models import OperativeRecord
from endospine.testing import make_staff


def test_demo_history(cast: Cast) -> None:
    chen = make_staff("dr_chen", Role.SURGEON, cast.north)
    ctx = DemoContext(site=cast.north, surgeons=[cast.surgeon, chen], nurse=cast.nurse,
                      coordinator=cast.coordinator, lead=cast.lead, admin=cast.admin,
                      patients=[])  # fmt: skip
    demo.populate(ctx)
    records = OperativeRecord.objects.all()
    assert records.count() >= 300
    assert set(records.values_list("approach", flat=True)) == {"transforaminal", "interlaminar"}
    assert set(records.values_list("episode__surgeon", flat=True)) == {cast.surgeon.pk, chen.pk}
    twelve = OutcomeFact.objects.filter(measure="odi", timepoint="12m", closes_on__lt=date.today())
    answered = dict(twelve.values_list("responded").annotate(n=Count("pk")))
    assert 0.5 < answered[True] / (answered[True] + answered[False]) < 0.9  # realistic non-response
    assert AdverseEvent.objects.count() > 10
    assert QuarterVerification.objects.filter(surgeon=chen).count() == 7
    assert PublicConsent.objects.get().surgeon == cast.surgeon
