from django.core.cache import cache
from django.test import Client

from endospine.testing import well_inside_a_minute


def test_people_get_a_page_and_clients_get_json_when_rate_limited(db, settings):
    settings.RATE_LIMIT_PER_MINUTE = 2
    well_inside_a_minute()
    cache.clear()
    client = Client()
    statuses = [
        client.get("/learn/ask/", {"q": "how long is recovery"}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    page = client.get("/learn/ask/", {"q": "x"})
    assert page["Content-Type"].startswith("text/html")
    assert "Please wait a moment" in page.content.decode()
    assert page["Retry-After"] == "60"
    cache.clear()
    for _ in range(2):
        client.get("/api/v1/ask", {"q": "scar size"})
    api = client.get("/api/v1/ask", {"q": "scar size"})
    assert api.status_code == 429
    assert api.json()["errors"][0]["message"].startswith("Too many requests")
    cache.clear()
