"""Paragraphs of an action's text and the three-way merge of amendments, as pure functions.

A paragraph is a run of non-empty lines; paragraphs are separated by one or more empty
lines. The merge works word by word with ``merge3`` (the three-way merge of Bazaar/Breezy,
on top of :mod:`difflib`): two amendments that change different words of the same text both
apply; two that change the same words differently are a conflict, never an overwrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from merge3 import Merge3

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
#: Words and the whitespace between them: joining the tokens gives the text back.
_TOKEN = re.compile(r"\s+|[^\s]+")


def normalise(text: str) -> str:
    """Line ends as ``\\n`` and no blank space around the text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, in order (an empty text has none)."""
    text = normalise(text)
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()] if text else []


def join_paragraphs(parts: list[str]) -> str:
    return "\n\n".join(part.strip() for part in parts)


def replace_paragraph(text: str, number: int, new: str) -> str:
    """``text`` with its paragraph ``number`` (1-based) replaced by ``new``."""
    parts = paragraphs(text)
    if not 1 <= number <= len(parts):
        raise IndexError(number)
    # The new paragraph stays one paragraph: blank lines inside it become line breaks.
    parts[number - 1] = _PARAGRAPH_BREAK.sub("\n", normalise(new))
    return join_paragraphs(parts)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


@dataclass(frozen=True)
class Merge:
    """The outcome of a three-way merge: ``text`` when clean, ``conflicts`` otherwise (each
    one as what the base, this change and the current text have at that place)."""

    text: str | None
    conflicts: tuple[tuple[str, str, str], ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_three(*, base: str, theirs: str, current: str) -> Merge:
    """Apply the change from ``base`` to ``theirs`` onto ``current``.

    Where ``current`` also changed the same words in another way the result is a conflict
    and no text is returned.
    """
    base_t, theirs_t, current_t = tokens(base), tokens(theirs), tokens(current)
    merged: list[str] = []
    conflicts: list[tuple[str, str, str]] = []
    for group in Merge3(base_t, current_t, theirs_t).merge_groups():
        kind = group[0]
        if kind == "conflict":
            _kind, base_part, current_part, theirs_part = group
            conflicts.append(("".join(base_part), "".join(theirs_part), "".join(current_part)))
        else:
            merged.extend(group[1])
    if conflicts:
        return Merge(text=None, conflicts=tuple(conflicts))
    return Merge(text=normalise("".join(merged)))
