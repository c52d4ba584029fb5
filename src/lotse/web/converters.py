"""URL converters: ids are bounded so a huge number answers 404, not a database error."""

from django.urls import register_converter


class IdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


# Registered on import, so every URL module that uses `<id:…>` can import this one first.
register_converter(IdConverter, "id")
