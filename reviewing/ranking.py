"""The order by score, with the reason of each place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


def by_score(items: Iterable, *, score=lambda item: item.score, key=lambda item: item.id) -> list:
    """Highest score first; equal scores by id (the earliest first), so ties are stable."""
    return sorted(items, key=lambda item: (-score(item), key(item)))


@dataclass(frozen=True)
class Place:
    item_id: int
    position: int  # 1 = best
    score: float
    reason: str


def rank_with_reasons(scores: dict[int, float], *, explain=None) -> list[Place]:
    """Every item in order, with the reason of its place.

    ``explain(item_id, position, score)`` may give the reason; by default it names the
    position and the score, and says when the score equals the one above (tie broken by the
    earlier entry).
    """
    ordered = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    places = []
    previous = None
    for position, (item_id, score) in enumerate(ordered, 1):
        if explain is not None:
            reason = explain(item_id, position, score)
        elif previous is not None and previous == score:
            reason = _(
                "Posizione %(pos)d: punteggio %(score).2f, pari a quello sopra (a parità conta "
                "l'ordine di iscrizione)."
            ) % {"pos": position, "score": score}
        else:
            reason = _("Posizione %(pos)d: punteggio %(score).2f.") % {
                "pos": position,
                "score": score,
            }
        places.append(Place(item_id, position, score, reason))
        previous = score
    return places
