"""Search parameters: parsing FHIR values (dates with prefixes, tokens, references).

No Django imports: each parser returns plain values or raises ParamError with the
parameter's name, which the view turns into an OperationOutcome.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

PREFIXES = ("eq", "ne", "lt", "le", "gt", "ge", "sa", "eb")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages knows the name); the caller translates."""
    return message


class ParamError(ValueError):
    """A bad parameter: its name and an English template with named values to translate."""

    def __init__(self, name: str, template: str, **values: str) -> None:
        super().__init__(template % values)
        self.name = name
        self.template = template
        self.values = values


@dataclass(frozen=True)
class DateRange:
    """A date parameter as [start, end) in UTC with its prefix."""

    prefix: str
    start: datetime
    end: datetime


def _month_after(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def parse_date(name: str, raw: str) -> DateRange:
    prefix = raw[:2] if raw[:2] in PREFIXES else "eq"
    text = raw[2:] if raw[:2] in PREFIXES else raw
    match = _DATE.match(text)
    try:
        if match:
            year, month, dom = (int(g) if g else None for g in match.groups())
            assert year is not None
            if month is None:
                first, after = date(year, 1, 1), date(year + 1, 1, 1)
            elif dom is None:
                first, after = date(year, month, 1), _month_after(year, month)
            else:
                first = date(year, month, dom)
                after = first + timedelta(days=1)
            start = datetime.combine(first, time.min, tzinfo=UTC)
            return DateRange(prefix, start, datetime.combine(after, time.min, tzinfo=UTC))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AssertionError):
        raise ParamError(
            name,
            gettext_noop("'%(raw)s' is not a FHIR date such as 2026-03-01 or ge2026-03"),
            raw=raw,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return DateRange(prefix, moment, moment + timedelta(seconds=1))


def parse_count(raw: str, maximum: int) -> int:
    if not raw.isdigit():
        raise ParamError("_count", gettext_noop("give a whole number of entries per page"))
    return min(int(raw), maximum)


def parse_offset(raw: str) -> int:
    if not raw.isdigit():
        raise ParamError("_offset", gettext_noop("give a whole number"))
    return int(raw)


def parse_token(raw: str) -> tuple[str | None, str]:
    """'system|code' -> (system, code); 'code' -> (None, code); '|code' -> ('', code)."""
    if "|" in raw:
        system, _, code = raw.partition("|")
        return system, code
    return None, raw


def parse_reference(name: str, raw: str, kind: str = "Patient") -> str:
    """'Patient/<id>', a full URL ending so, or a bare id -> the id."""
    text = raw.rstrip("/")
    if "/" in text:
        head, _, tail = text.rpartition("/")
        if not head.endswith(kind):
            raise ParamError(
                name, gettext_noop("'%(raw)s' is not a reference to a %(kind)s"), raw=raw, kind=kind
            )
        text = tail
    if not text:
        raise ParamError(name, gettext_noop("give a reference such as Patient/<id>"))
    return text
