"""Who may see a proposal or a comment: the one rule every view, service, consumer, export and
notification goes through (docs/permissions.md, "Visibilità").

A viewer (``consultations.visibility.Viewer.of``: a request, a scope, a user) sees a proposal
in full when it may see its consultation (``consultations.visibility``: live, not expired,
view restrictions passed, or moderated by the viewer) and the proposal is published or
withdrawn, or the viewer wrote it, or moderates the consultation. A hidden proposal whose
consultation is visible is *known* to others (its page says it was hidden, and why, without
title or text); a pending one is not known to anybody else. Comments follow their proposal;
a hidden or deleted comment is seen in full by its author and the moderators only.

Refusals never reveal existence: views answer 404, services raise ``PermissionDenied`` with
the same words whether the item does not exist or is out of sight.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from consultations.rules import is_facilitator_of
from consultations.visibility import Viewer, consultation_visible
from proposals.models import Comment, Proposal, Visibility


class Sight(enum.IntEnum):
    NONE = 0  # out of sight: 404
    PLACEHOLDER = 1  # a hidden proposal: its page says so, without title or text
    FULL = 2


def proposals_visible_to(who):
    """The proposals this viewer sees in full, as a queryset (``Proposal.objects.visible_to``)."""
    return Proposal.objects.visible_to(who)


def proposal_sight(who, proposal: Proposal | None) -> Sight:
    if proposal is None:
        return Sight.NONE
    viewer = Viewer.of(who)
    consultation = proposal.consultation
    if not consultation_visible(viewer, consultation):
        return Sight.NONE
    user = viewer.user
    if proposal.visibility in (Visibility.PUBLISHED, Visibility.WITHDRAWN):
        return Sight.FULL
    if user.is_authenticated and proposal.author_id == user.pk:
        return Sight.FULL
    if is_facilitator_of(user, consultation):
        return Sight.FULL
    if proposal.visibility == Visibility.HIDDEN:
        return Sight.PLACEHOLDER
    return Sight.NONE


def proposal_visible(who, proposal: Proposal | None) -> bool:
    return proposal_sight(who, proposal) == Sight.FULL


def comment_visible(who, comment: Comment | None) -> bool:
    if comment is None:
        return False
    viewer = Viewer.of(who)
    if not proposal_visible(viewer, comment.proposal):
        return False
    if comment.is_visible:
        return True
    user = viewer.user
    if user.is_authenticated and comment.author_id == user.pk:
        return True
    return is_facilitator_of(user, comment.proposal.consultation)


def _out_of_sight() -> PermissionDenied:
    return PermissionDenied(_("Contenuto non trovato o non accessibile."))


def refuse_unless_proposal_visible(who, proposal: Proposal) -> None:
    """For services: the same refusal whether the proposal is missing or out of sight."""
    if not proposal_visible(who, proposal):
        raise _out_of_sight()


def refuse_unless_comment_visible(who, comment: Comment) -> None:
    if not comment_visible(who, comment):
        raise _out_of_sight()


def refuse_unless_consultation_visible(who, consultation: ConsultationPage) -> None:
    if not consultation_visible(who, consultation):
        raise _out_of_sight()
