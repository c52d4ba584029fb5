"""Template helpers of the public guide."""

from django import template

from lotse.guide.languages import language_name

register = template.Library()


@register.filter
def text_for(texts: dict, key: str) -> str:
    """`{{ t|text_for:"kind_abh" }}`: a fixed guide text by a computed key ("" if unknown)."""
    return texts.get(key, "")


@register.filter
def prefixed(value: str, prefix: str) -> str:
    """`{{ office.agency.kind|prefixed:"kind_" }}` → "kind_abh"."""
    return f"{prefix}{value}"


@register.filter
def fill(text: str, value) -> str:
    """`{{ t.deadline_days|fill:14 }}`: put `value` into the text's one placeholder ({days} …)."""
    start, end = text.find("{"), text.find("}")
    if start < 0 or end < start:
        return text
    return f"{text[:start]}{value}{text[end + 1:]}"


@register.filter
def language_label(code: str) -> str:
    """A language's own name ("العربية", "Türkçe"): readable by its speakers in every page language."""
    return language_name(code)
