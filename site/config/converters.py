"""URL converters.

``<id:pk>`` is ``<int:pk>`` bounded to what a 64-bit database column can hold: an absurd number
in a URL is a 404, never an overflow error on the way to the database.
"""

from django.urls import register_converter


class DatabaseIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(DatabaseIdConverter, "id")
