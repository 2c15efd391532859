"""Reads about consultations for other pages (home page, action pages), with a constant number
of queries. The consultation pages build their own context (``consultations.models.pages``)."""

from __future__ import annotations

from consultations.models import ConsultationPage
from psm.localisation import attach_reading_versions, in_source_language


def consultations_with_phases():
    return ConsultationPage.objects.visible_to(None).with_phases()


def consultations_by_status(*, action=None, now=None) -> dict[str, list[ConsultationPage]]:
    """Live consultations grouped by status (upcoming, open, closed), optionally of one action.

    "Of an action" means under the action page or linked to it (the Italian action, when
    ``action`` is its English translation). Each page knows its version in the language
    being read (``page.reading``).
    """
    if action is not None:
        action = in_source_language(action)
    groups = consultations_with_phases().of_action(action).by_status(now)
    attach_reading_versions(page for pages in groups.values() for page in pages)
    return groups
