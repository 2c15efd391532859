from contests.models.entries import (
    EntrantKind,
    Entry,
    EntryFile,
    EntryMember,
    EntryStatus,
    FileKind,
    MemberRole,
)
from contests.models.jury import (
    Agreement,
    ContestResult,
    JuryAssignment,
    JuryConflict,
    PublicVote,
)
from contests.models.pages import (
    ContestAnswer,
    ContestCriterion,
    ContestDocument,
    ContestJuror,
    ContestPage,
    ContestPrize,
    Phase,
)

__all__ = [
    "Agreement",
    "ContestAnswer",
    "ContestCriterion",
    "ContestDocument",
    "ContestJuror",
    "ContestPage",
    "ContestPrize",
    "ContestResult",
    "EntrantKind",
    "Entry",
    "EntryFile",
    "EntryMember",
    "EntryStatus",
    "FileKind",
    "JuryAssignment",
    "JuryConflict",
    "MemberRole",
    "Phase",
    "PublicVote",
]
