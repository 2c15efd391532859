"""What people contribute to a consultation: proposals, votes, comments, reports, and what
moderation and history keep of them.

Plain rows with ordinary foreign keys; every write goes through ``proposals.services``
(participants) or ``proposals.moderation`` (facilitators). One module per family:
``choices`` (vocabularies), ``participation`` (proposals, votes, comments), ``moderation``
(reports, status history, audit log), ``history`` (versions and frozen results),
``amendments`` (amendments and the change sets that publish them), ``images`` (pictures being
cleaned), ``valuation`` (the technical valuation before a budget vote).
"""

from proposals.models.amendments import Amendment, ChangeSet
from proposals.models.choices import (
    AmendmentState,
    ChangeSetState,
    CommentVisibility,
    ModerationVerb,
    ProposalKind,
    ProposalStatus,
    ReportReason,
    Source,
    VersionState,
    Visibility,
)
from proposals.models.history import (
    CommentVersion,
    ProposalVersion,
    ResultsSnapshot,
)
from proposals.models.images import ImageUpload, ImageUploadState
from proposals.models.moderation import (
    ModerationAction,
    Report,
    StatusChange,
)
from proposals.models.participation import (
    BudgetBallot,
    Comment,
    CommentLike,
    OfflineTally,
    Proposal,
    ProposalQuerySet,
    Vote,
)
from proposals.models.valuation import Valuation, ballot_error, official_cost, valuation_of

__all__ = [
    "Amendment",
    "AmendmentState",
    "ChangeSet",
    "ChangeSetState",
    "BudgetBallot",
    "Comment",
    "CommentLike",
    "CommentVersion",
    "CommentVisibility",
    "ImageUpload",
    "ImageUploadState",
    "ModerationAction",
    "ModerationVerb",
    "OfflineTally",
    "Proposal",
    "ProposalKind",
    "ProposalQuerySet",
    "ProposalStatus",
    "ProposalVersion",
    "Report",
    "ReportReason",
    "ResultsSnapshot",
    "Source",
    "StatusChange",
    "Valuation",
    "VersionState",
    "Visibility",
    "Vote",
    "ballot_error",
    "official_cost",
    "valuation_of",
]
