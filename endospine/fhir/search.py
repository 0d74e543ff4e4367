"""Read and search over the sources: filters, paging across sources, _include, audit.

Pages are offset-based and ordered by each source's stable order, so the `next`
link of a searchset Bundle always continues where the last page ended.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.db.models import DateField, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from endospine.accounts.models import Site, User
from endospine.audit.models import AuditAction
from endospine.audit.services import record, record_many
from endospine.fhir import mapping, params
from endospine.fhir.outcome import FhirError, Issue
from endospine.fhir.sources import Source, build, uuid_or_none
from endospine.proms.models import Response

DEFAULT_COUNT = 50
MAX_COUNT = 500
COMMON = ("_id", "_count", "_offset", "_lastUpdated", "_include", "_format")
INCLUDES = {
    "QuestionnaireResponse:questionnaire": ("QuestionnaireResponse", "Questionnaire"),
    "Observation:derived-from": ("Observation", "QuestionnaireResponse"),
}


@lru_cache(maxsize=1)
def registry() -> dict[str, list[Source]]:
    return build()


def supported_params(resource: str) -> list[str]:
    """The search parameters a type accepts besides the common ones."""
    sources = registry()[resource]
    names = []
    if any(s.patient and s.patient != "pk" for s in sources):
        names += ["patient", "subject"] if resource != "EpisodeOfCare" else ["patient"]
    if resource == "Patient":
        names.append("identifier")
    if any(s.date for s in sources):
        names.append("date")
    if any(s.codes or s.code_field for s in sources):
        names.append("code")
    if any(s.status for s in sources):
        names.append("status")
    return names


@dataclass
class Query:
    resource: str
    filters: dict[str, list[str]]
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def translated(exc: params.ParamError) -> str:
    return gettext(exc.template) % exc.values


def parse_query(resource: str, query: Mapping[str, list[str]], strict: bool) -> Query:
    """Validate the parameters; unknown ones are refused (strict) or warned about."""
    allowed = set(COMMON) | set(supported_params(resource))
    parsed = Query(resource, {})
    for name, values in query.items():
        base = name.split(":", 1)[0]
        if base not in allowed:
            issue = Issue(
                "not-supported",
                gettext("unknown search parameter '%(name)s'") % {"name": name},
                name,
            )
            if strict:
                raise FhirError([issue])
            parsed.warnings.append(Issue(issue.code, issue.diagnostics, name, "warning"))
            continue
        try:
            _take(parsed, base, values)
        except params.ParamError as exc:
            raise FhirError.one("invalid", translated(exc), exc.name) from None
    return parsed


def _take(parsed: Query, name: str, values: list[str]) -> None:
    if name == "_count":
        parsed.count = params.parse_count(values[-1], MAX_COUNT)
    elif name == "_offset":
        parsed.offset = params.parse_offset(values[-1])
    elif name == "_include":
        for value in values:
            if INCLUDES.get(value, ("",))[0] != parsed.resource:
                raise params.ParamError(
                    "_include", gettext("'%(value)s' is not supported here") % {"value": value}
                )
            parsed.includes.append(value)
    elif name != "_format":
        parsed.filters[name] = values


def _range_q(source_field: str, model: Any, raw: str, name: str) -> Q:
    rng = params.parse_date(name, raw)
    start: Any = rng.start
    end: Any = rng.end
    # A DateTimeField is a DateField too: only a plain date column compares by day.
    if type(model._meta.get_field(source_field)) is DateField:
        start, end = rng.start.date(), rng.end.date()
    lookups = {
        "eq": Q(**{f"{source_field}__gte": start, f"{source_field}__lt": end}),
        "lt": Q(**{f"{source_field}__lt": start}),
        "le": Q(**{f"{source_field}__lt": end}),
        "gt": Q(**{f"{source_field}__gte": end}),
        "ge": Q(**{f"{source_field}__gte": start}),
        "sa": Q(**{f"{source_field}__gte": end}),
        "eb": Q(**{f"{source_field}__lt": start}),
    }
    if rng.prefix == "ne":
        return ~lookups["eq"]
    return lookups[rng.prefix]


def _code_q(source: Source, values: str) -> Q | None:
    """None when no value can match this source (the source then drops out)."""
    q = Q(pk__in=[])
    matched = False
    for raw in values.split(","):
        system, code = params.parse_token(raw)
        if (system, code) in source.codes or (
            system is None and code in {c for _, c in source.codes}
        ):
            return Q()
        if source.code_field and system in (None, mapping.codes.local_system(source.code_system)):
            q |= Q(**{source.code_field: code})
            matched = True
    return q if matched else None


def _identifier_q(values: str) -> Q:
    q = Q(pk__in=[])
    for raw in values.split(","):
        system, value = params.parse_token(raw)
        sites = [s.pk for s in Site.objects.all() if system in (None, mapping.mrn_system(s))]
        q |= Q(site_id__in=sites, mrn=value)
    return q


def _status_q(source: Source, value: str) -> Q | None:
    found = (
        [q for q in (source.status(v) for v in value.split(",")) if q is not None]
        if source.status
        else []
    )
    if not found:
        return None
    combined = found[0]
    for extra in found[1:]:
        combined |= extra
    return combined


def _patient_q(source: Source, name: str, value: str) -> Q | None:
    ids = [params.parse_reference(name, v) for v in value.split(",")]
    pks = [pk for pk in map(uuid_or_none, ids) if pk is not None]
    return Q(**{f"{source.patient}__in": pks}) if source.patient and pks else None


def _param_q(source: Source, model: Any, name: str, value: str) -> Q | None:
    """The filter one parameter value puts on a source; None when the source cannot match."""
    if name == "_id":
        pks = [pk for pk in map(source.pk_of, value.split(",")) if pk is not None]
        return Q(pk__in=pks) if pks else None
    if name in ("patient", "subject"):
        return _patient_q(source, name, value)
    if name in ("date", "_lastUpdated"):
        column = source.date if name == "date" else source.updated
        return _range_q(column, model, value, name) if column else None
    if name == "status":
        return _status_q(source, value)
    if name == "code":
        return _code_q(source, value)
    if name == "identifier":
        return _identifier_q(value)
    return Q()


def _filter(source: Source, qs: QuerySet[Any], query: Query) -> QuerySet[Any] | None:
    for name, values in query.filters.items():
        for value in values:
            q = _param_q(source, qs.model, name, value)
            if q is None:
                return None
            qs = qs.filter(q)
    return qs


def _scoped(source: Source, user: User, query: Query) -> QuerySet[Any] | None:
    qs = _filter(source, source.queryset(user), query)
    return qs.order_by(*source.order) if qs is not None else None


@dataclass
class Page:
    total: int
    rows: list[tuple[Source, Any]]
    included: list[tuple[Source, Any]]


def run(query: Query, user: User) -> Page:
    """The page of rows the query asks for, across the type's sources, with the total."""
    try:
        scoped = [
            (s, qs)
            for s in registry()[query.resource]
            if (qs := _scoped(s, user, query)) is not None
        ]
    except params.ParamError as exc:
        raise FhirError.one("invalid", translated(exc), exc.name) from None
    total, rows = 0, []
    skip, want = query.offset, query.count
    for source, qs in scoped:
        size = qs.count()
        total += size
        if want and skip < size:
            chunk = list(qs[skip : skip + want])
            rows += [(source, row) for row in chunk]
            want -= len(chunk)
        skip = max(0, skip - size)
    return Page(total, rows, _included(query, rows, user))


def _included(query: Query, rows: list[tuple[Source, Any]], user: User) -> list[tuple[Source, Any]]:
    found: list[tuple[Source, Any]] = []
    for name in query.includes:
        target = INCLUDES[name][1]
        source = registry()[target][0]
        if target == "Questionnaire":
            codes = {row.instrument for _, row in rows}
            found += [(source, r) for r in source.queryset(user).filter(code__in=codes)]
        else:
            pks = [row.pk for _, row in rows if isinstance(row, Response)]
            found += [(source, r) for r in source.queryset(user).filter(pk__in=pks)]
    return found


def read(resource: str, fhir_id: str, user: User) -> tuple[Source, Any]:
    for source in registry()[resource]:
        pk = source.pk_of(fhir_id)
        if pk is None:
            continue
        row = source.queryset(user).filter(pk=pk).first()
        if row is not None:
            return source, row
    raise FhirError.one(
        "not-found",
        gettext("%(type)s/%(id)s is not known") % {"type": resource, "id": fhir_id},
        status=404,
    )


def audit(request: HttpRequest, rows: Iterable[tuple[Source, Any]], detail: str) -> None:
    """One read row per patient record served (none for sites, staff or instruments)."""
    served = [(row, source.patient_id(row)) for source, row in rows if source.patient]
    if len(served) == 1:
        row, patient_id = served[0]
        record(
            request=request, action=AuditAction.READ, obj=row, patient_id=patient_id, detail=detail
        )
    elif served:
        record_many(
            request=request,
            action=AuditAction.READ,
            objs=[row for row, _ in served],
            patient_ids=[pid for _, pid in served],
            detail=detail,
        )


def next_url(
    base: str, resource: str, query: Mapping[str, list[str]], page: Query, total: int
) -> str | None:
    if page.offset + page.count >= total:
        return None
    items = [(k, v) for k, vs in query.items() if k != "_offset" for v in vs]
    items.append(("_offset", str(page.offset + page.count)))
    return f"{base}/{resource}?{urlencode(items)}"
