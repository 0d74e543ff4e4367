"""The FHIR R4 endpoints: parse -> authenticate and check scopes -> one search/service -> respond.

Plain Django views (not the /api/v1 Ninja API): FHIR has its own media type and
its own error resource, the OperationOutcome.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from endospine.fhir import search
from endospine.fhir.auth import Caller, authenticate
from endospine.fhir.capability import capability_statement
from endospine.fhir.outcome import (
    FhirError,
    Issue,
    error_response,
    fhir_response,
    operation_outcome,
)

View = Callable[..., HttpResponseBase]


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4")


def fhir_view(*methods: str) -> Callable[[View], View]:
    """Allow the methods, answer every FhirError as an OperationOutcome."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                error = FhirError.one(
                    "not-supported",
                    gettext("%(method)s is not supported here") % {"method": request.method},
                    status=405,
                )
                response = error_response(error)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except FhirError as error:
                return error_response(error)

        return wrapper

    return decorate


def strict(request: HttpRequest) -> bool:
    prefer = request.headers.get("Prefer", "")
    return "handling=strict" in prefer.replace(" ", "")


def _known(resource: str) -> None:
    if resource not in search.registry():
        raise FhirError.one(
            "not-supported",
            gettext("resource type '%(type)s' is not supported") % {"type": resource},
            status=404,
        )


def body_json(request: HttpRequest) -> dict[str, Any]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise FhirError.one(
            "too-costly", gettext("the request body is too large"), status=413
        ) from None
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FhirError.one("structure", gettext("the body is not valid JSON")) from None
    if not isinstance(data, dict) or "resourceType" not in data:
        raise FhirError.one(
            "structure", gettext("the body must be a FHIR resource"), "resourceType"
        )
    return data


@fhir_view("GET")
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(base_url(request)))


@fhir_view("GET", "POST")
def type_endpoint(request: HttpRequest, resource: str) -> HttpResponse:
    _known(resource)
    caller = authenticate(request)
    if request.method == "POST":
        return _create(request, caller, resource)
    caller.require(resource, "s")
    query = search.parse_query(resource, dict(request.GET.lists()), strict(request))
    page = search.run(query, caller.user)
    for name in query.includes:
        caller.require(search.INCLUDES[name][1], "s")
    search.audit(request, [*page.rows, *page.included], "fhir search")
    return fhir_response(_bundle(request, resource, query, page))


def _bundle(
    request: HttpRequest, resource: str, query: search.Query, page: search.Page
) -> dict[str, Any]:
    base = base_url(request)
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    following = search.next_url(base, resource, dict(request.GET.lists()), query, page.total)
    if following:
        links.append({"relation": "next", "url": following})
    entries = [_entry(base, source, row, "match") for source, row in page.rows]
    entries += [_entry(base, source, row, "include") for source, row in page.included]
    if query.warnings:
        entries.append(
            {"resource": operation_outcome(query.warnings), "search": {"mode": "outcome"}}
        )
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
        "entry": entries,
    }


def _entry(base: str, source: Any, row: Any, mode: str) -> dict[str, Any]:
    resource = source.to_fhir(row, base)
    return {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


@fhir_view("GET")
def instance(request: HttpRequest, resource: str, fhir_id: str) -> HttpResponse:
    _known(resource)
    caller = authenticate(request)
    caller.require(resource, "r")
    source, row = search.read(resource, fhir_id, caller.user)
    search.audit(request, [(source, row)], "fhir read")
    body = source.to_fhir(row, base_url(request))
    return fhir_response(body, ETag=f'W/"{body.get("meta", {}).get("lastUpdated", "1")}"')


def _create(request: HttpRequest, caller: Caller, resource: str) -> HttpResponse:
    if resource != "QuestionnaireResponse":
        raise FhirError.one(
            "not-supported",
            gettext("%(type)s cannot be created here") % {"type": resource},
            status=405,
        )
    from endospine.fhir import writes

    caller.require(resource, "c")
    data = body_json(request)
    created, response = writes.questionnaire_response_create(
        caller=caller,
        data=data,
        if_none_exist=request.headers.get("If-None-Exist", ""),
        request=request,
    )
    body = search.registry()["QuestionnaireResponse"][0].to_fhir(response, base_url(request))
    location = f"{base_url(request)}/QuestionnaireResponse/{response.pk}"
    return fhir_response(body, 201 if created else 200, Location=location)


@fhir_view("POST")
def transaction(request: HttpRequest) -> HttpResponse:
    from endospine.fhir import referral

    caller = authenticate(request)
    data = body_json(request)
    result = referral.referral_receive(caller=caller, bundle=data, request=request)
    return fhir_response(result)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(FhirError([Issue("not-found", gettext("no such FHIR endpoint"))], 404))
