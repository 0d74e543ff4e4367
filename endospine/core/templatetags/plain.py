"""`{{ code|plain }}`: a content code in plain words where it has no label of its own."""

from django import template

register = template.Library()


@register.filter
def plain(code: object) -> str:
    return str(code or "").replace("_", " ")
