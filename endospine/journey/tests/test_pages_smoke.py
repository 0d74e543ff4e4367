from django.urls import reverse


def test_each_role_lands_on_its_start_page(cast):
    expectations = {
        cast.pat.user: reverse("journey:patient_home"),
        cast.nurse: reverse("journey:worklist"),
        cast.lead: reverse("journey:program"),
        cast.admin: reverse("audit:search"),
    }
    for user, target in expectations.items():
        response = cast.client_for(user).get("/")
        assert response.status_code == 302
        assert response["Location"] == target
        assert cast.client_for(user).get(target).status_code == 200


def test_the_worklist_costs_the_same_queries_however_many_rows(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from endospine.testing import make_episode, make_patient

    client = cast.client_for(cast.nurse)
    client.get("/episodes/")
    counts = []
    for extra in (0, 30):
        for index in range(extra):
            make_episode(make_patient(f"w{index}", cast.north), surgeon=cast.surgeon)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/episodes/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["rows"]) == 25
    assert counts[0] == counts[1]
    assert counts[1] <= 12
