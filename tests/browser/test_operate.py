"""A surgeon files an operative record, signs it, and the patient reads their discharge sheet."""

import pytest

from endospine.journey.models import Episode, Stage
from endospine.operate.models import OperativeRecord

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
def test_a_surgeon_files_and_signs_an_operative_record(
    live_server, cast, page, login, assert_accessible
):
    Episode.objects.filter(pk=cast.episode.pk).update(stage=Stage.OPERATE)
    login(page, live_server, "sam_surgeon")
    page.goto(f"{live_server.url}/operate/{cast.episode.pk}/record/")
    page.get_by_role("heading", name="Operative record").wait_for()
    assert_accessible(page)

    page.get_by_label("Operation date").fill(cast.episode.opened_on.isoformat())
    page.get_by_label("Anaesthesia").select_option("local_sedation")
    page.get_by_label("Technique").select_option("uniportal_full_endoscopic")
    page.get_by_label("Approach", exact=True).select_option("transforaminal")
    page.get_by_label("Levels").fill("L4-L5")
    page.get_by_label("Side").select_option("left")
    page.get_by_label("Outer diameter").fill("6.9")
    page.get_by_label("Working channel").fill("4.1")
    page.get_by_label("Viewing angle").fill("30")
    page.get_by_label("Irrigation fluid").select_option("normal_saline")
    page.get_by_label("Irrigation mode").select_option("pump")
    page.get_by_label("Pump pressure").fill("40")
    page.get_by_label("Incision length").fill("75")  # a slip of the finger: out of range
    page.get_by_label("Skin-to-skin time").fill("70")
    page.get_by_label("Fluoroscopy time").fill("30")
    page.get_by_label("Estimated blood loss").fill("10")
    page.get_by_label("None", exact=True).check()
    page.get_by_label("Specimen").select_option("histology")
    page.get_by_label("Closure").select_option("suture")
    page.get_by_role("button", name="Save draft").click()

    page.get_by_text("Incision length must be between 3 and 60 mm (you entered 75).").wait_for()
    assert not OperativeRecord.objects.exists()
    page.get_by_label("Incision length").fill("8")
    page.get_by_role("button", name="Save draft").click()

    page.get_by_role("heading", name="Operative note").wait_for()
    page.get_by_label("I have read this note and it is complete and correct").check()
    page.get_by_role("button", name="Sign and lock").click()
    page.get_by_text("The record is now locked").wait_for()
    assert_accessible(page)
    record = OperativeRecord.objects.get()
    assert record.is_signed and record.incision_length_mm == 8
    assert page.get_by_role("button", name="Sign and lock").count() == 0
    page.get_by_label("Addendum").fill("Specimen sent labelled L4-L5.")
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Specimen sent labelled L4-L5.").wait_for()


@pytest.mark.browser
def test_a_patient_reads_their_discharge_instructions_on_their_phone(
    live_server, cast, phone_page, login, assert_accessible
):
    from endospine.operate.tests.helpers import discharged

    discharged(cast.episode, cast.surgeon)
    login(phone_page, live_server, "pat")
    phone_page.goto(f"{live_server.url}/operate/{cast.episode.pk}/instructions/")
    phone_page.get_by_role("heading", name="Emergency warning signs").wait_for()
    phone_page.get_by_text("Call 911 now if you have:").wait_for()
    assert phone_page.get_by_role("link", name="+1 555 0100").count() >= 1
    assert_accessible(phone_page)
    with phone_page.expect_response(lambda r: r.url.endswith("instructions.pdf")) as pdf:
        phone_page.evaluate("url => fetch(url)", f"/operate/{cast.episode.pk}/instructions.pdf")
    assert pdf.value.headers["content-type"] == "application/pdf"
