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
