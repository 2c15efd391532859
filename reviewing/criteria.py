"""A submitted score sheet checked against the weighted criteria."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class Criterion(Protocol):
    pk: int
    name: str


def clean_scores(criteria: Iterable[Criterion], raw: Mapping, *, score_max: int) -> dict:
    """``{str(criterion.pk): int}`` for every criterion, each between 0 and ``score_max``.

    ``raw`` is keyed by the criterion's pk as a string (what a form posts). A missing or
    non-numeric value, or one out of range, is refused naming the criterion.
    """
    clean = {}
    for criterion in criteria:
        value = raw.get(str(criterion.pk))
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Dai un punteggio a «%(c)s».") % {"c": criterion.name}
            ) from None
        if not 0 <= value <= score_max:
            raise ValidationError(
                _("Il punteggio di «%(c)s» va da 0 a %(max)d.")
                % {"c": criterion.name, "max": score_max}
            )
        clean[str(criterion.pk)] = value
    return clean


def clean_comment(comment: str) -> str:
    return comment.replace("\x00", "").strip()[:5000]
