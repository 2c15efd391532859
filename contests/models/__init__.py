from contests.models.entries import (
    EntrantKind,
    Entry,
    EntryEvent,
    EntryEventKind,
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
from contests.models.questions import ContestQuestion, QuestionStatus

__all__ = [
    "Agreement",
    "ContestAnswer",
    "ContestCriterion",
    "ContestDocument",
    "ContestJuror",
    "ContestPage",
    "ContestPrize",
    "ContestQuestion",
    "ContestResult",
    "EntrantKind",
    "Entry",
    "EntryEvent",
    "EntryEventKind",
    "EntryFile",
    "EntryMember",
    "EntryStatus",
    "FileKind",
    "JuryAssignment",
    "JuryConflict",
    "MemberRole",
    "Phase",
    "PublicVote",
    "QuestionStatus",
]
