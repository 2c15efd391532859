"""Reads about consultations for other pages (home page, action pages), with a constant number
of queries. The consultation pages build their own context (``consultations.models.pages``)."""

from __future__ import annotations

from consultations.models import ConsultationPage


def consultations_with_phases():
    return ConsultationPage.objects.live().public().with_phases()


def consultations_by_status(*, action=None, now=None) -> dict[str, list[ConsultationPage]]:
    """Live consultations grouped by status (upcoming, open, closed), optionally of one action.

    "Of an action" means under the action page or linked to it.
    """
    return consultations_with_phases().of_action(action).by_status(now)
