from django.http import HttpRequest, HttpResponse


def kickoff(request: HttpRequest, site_id: object = None) -> HttpResponse:
    raise NotImplementedError


status = download = kickoff
