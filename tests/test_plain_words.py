"""Plain words: no patient disclaimer on staff pages, and patients keep it everywhere."""

from django.urls import reverse

from conftest import Cast

NOTICE = "does not replace advice from your care team"


def test_staff_pages_do_not_carry_the_patient_disclaimer(cast: Cast) -> None:
    staff = cast.client_for(cast.nurse)
    for url in (
        reverse("recover:alerts"),
        reverse("assess:staff", kwargs={"episode_id": cast.episode.pk}),
    ):
        page = staff.get(url)
        assert page.status_code == 200, url
        assert NOTICE not in page.content.decode(), url


def test_patient_pages_keep_the_disclaimer(cast: Cast) -> None:
    page = cast.client_for(cast.pat.user).get(reverse("journey:patient_home"))
    assert NOTICE in page.content.decode()
    anonymous = cast.client_for(cast.pat.user)
    anonymous.logout()
    assert NOTICE in anonymous.get(reverse("learn:index")).content.decode()


def test_article_sources_never_show_internal_file_names_to_patients(cast: Cast) -> None:
    from django.core.management import call_command

    call_command("kb", "load", verbosity=0)
    client = cast.client_for(cast.pat.user)
    page = client.get("/learn/what-is-endoscopic-spine-surgery/").content.decode()
    assert "seeds/" not in page and ".txt" not in page
    staff = cast.client_for(cast.nurse).get("/learn/what-is-endoscopic-spine-surgery/")
    assert "seeds/" in staff.content.decode()  # reviewers still see where a fact came from
