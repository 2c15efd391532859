"""Parsing ids that arrive as text (query strings, form fields, JSON bodies).

An id is 1 to 18 ASCII digits: anything else (signs, spaces, Unicode digits such as "١٢",
NUL, overflowing numbers) is not an id. Callers turn ``None`` into their own 404 or message.
"""

from collections.abc import Iterable

MAX_ID_DIGITS = 18


def parse_id(raw) -> int | None:
    """The id written in ``raw``, or None when ``raw`` is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw < 10**MAX_ID_DIGITS else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def parse_ids(values: Iterable) -> list[int] | None:
    """Every id of ``values`` (for ``__in`` look-ups), in order, without repeats; None if any
    value is not an id, so a tampered list is refused whole rather than silently shortened."""
    ids: list[int] = []
    for raw in values:
        pk = parse_id(raw)
        if pk is None:
            return None
        if pk not in ids:
            ids.append(pk)
    return ids
