from conftest import Cast


def test_outcomes_by_surgeon(cast: Cast, registry: list[object]) -> None:
    response = cast.client_for(cast.lead).get(
        "/api/v1/outcomes", {"measure": "odi", "timepoint": "12m", "group_by": "surgeon"}
    )
    print(response.json())
    assert response.status_code == 200
