"""The error every domain service raises for bad input or a refused rule.

The API turns it into HTTP 422 `{"errors": [{"field", "message", "code"}]}`; pages
show each message beside its field. Services raise it *before* writing, or
inside an atomic block, so nothing is ever half-stored.
"""

from collections.abc import Iterable


class DomainError(Exception):
    """`code` is a stable machine code for API clients ("invalid", "conflict", ...).

    Without one, the API derives it from the status.
    """

    def __init__(
        self, field: str, message: str, *, status: int = 422, code: str | None = None
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.errors: list[tuple[str, str]] = [(field, message)]
        self.status = status
        self.code = code

    @classmethod
    def many(cls, errors: Iterable[tuple[str, str]], *, status: int = 422) -> "DomainError":
        pairs = list(errors)
        error = cls(*pairs[0], status=status)
        error.errors = pairs
        return error

    def as_json(self) -> dict[str, list[dict[str, str]]]:
        return {"errors": [{"field": f, "message": m} for f, m in self.errors]}
