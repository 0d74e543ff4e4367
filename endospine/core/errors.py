"""The error every domain service raises for bad input or a refused rule.

The API turns it into HTTP 422 `{"errors": [{"field", "message"}]}`; pages
show each message beside its field. Services raise it *before* writing, or
inside an atomic block, so nothing is ever half-stored.
"""

from collections.abc import Iterable


class DomainError(Exception):
    def __init__(self, field: str, message: str, *, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.errors: list[tuple[str, str]] = [(field, message)]
        self.status = status

    @classmethod
    def many(cls, errors: Iterable[tuple[str, str]], *, status: int = 422) -> "DomainError":
        pairs = list(errors)
        error = cls(*pairs[0], status=status)
        error.errors = pairs
        return error

    def as_json(self) -> dict[str, list[dict[str, str]]]:
        return {"errors": [{"field": f, "message": m} for f, m in self.errors]}
