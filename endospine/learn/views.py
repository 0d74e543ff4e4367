"""Public pages of the learn step: the library, article pages and the Ask box."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from endospine.core.errors import DomainError
from endospine.core.ratelimit import rate_limited
from endospine.learn import selectors, services


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/index.html", {"shelves": selectors.library()})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "learn/article.html", selectors.article_page(slug))


@rate_limited("ask")
def ask(request: HttpRequest) -> HttpResponse:
    """Answers for ?q=; htmx requests get only the answers fragment. Nothing is stored."""
    question = request.GET.get("q", "")
    context: dict[str, object] = {"q": question}
    status = 200
    try:
        context["result"] = services.ask(question=question, limit=5)
    except DomainError as exc:
        context["error"] = exc.errors[0][1]
        status = 400 if question else 200  # an empty box just shows the form
    template = "learn/_answers.html" if request.headers.get("HX-Request") else "learn/ask.html"
    return render(request, template, context, status=status)
