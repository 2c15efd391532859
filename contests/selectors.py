"""Reads that shape contest pages: scores through the shared engine, the combined ranking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from contests.models import (
    ContestPage,
    ContestQuestion,
    ContestResult,
    Entry,
    EntryMember,
    EntryStatus,
    JuryAssignment,
    Phase,
    PublicVote,
    QuestionStatus,
)
from psm.localisation import attach_reading_rows, in_source_language
from reviewing.ranking import rank_with_reasons
from reviewing.scoring import ItemScore, score_items
from workshops.models import LiveSession


def contest_behind(page_id: int | None, *, public: bool = True) -> ContestPage | None:
    """The contest behind a page id: the Italian ``ContestPage``, also when the id is its
    English copy's (entries, questions, votes and results belong to the Italian page). With
    ``public`` only a live page open to everyone counts (the doors of participants); without,
    any (who runs the contest works on drafts too). None when there is no such contest."""
    if page_id is None:
        return None
    pages = ContestPage.objects.all()
    if public:
        pages = pages.live().public()
    page = pages.filter(pk=page_id).first()
    if page is None:
        return None
    source = in_source_language(page)
    # A view restriction or an unpublished Italian page is not carried by its English copy:
    # the contest itself must be open to everyone, whichever id reached it.
    if public and source.pk != page.pk and not pages.filter(pk=source.pk).exists():
        return None
    return source


def published_questions(contest: ContestPage):
    return ContestQuestion.objects.filter(
        contest=contest, status=QuestionStatus.PUBLISHED
    ).order_by("answered_at", "pk")


def codesign_of(contest: ContestPage) -> list:
    """The follow-up's co-design workshops, oldest first (none before the results)."""
    return list(
        LiveSession.objects.filter(contest_results__contest=contest).order_by("created_at", "pk")
    )


def jury_scores(contest: ContestPage) -> dict[int, ItemScore]:
    weights = {str(c.pk): float(c.weight) for c in contest.criteria.all()}
    reviews = JuryAssignment.objects.filter(
        entry__contest=contest, submitted_at__isnull=False
    ).values_list("entry_id", "juror_id", "scores")
    return score_items(
        list(reviews), weights, disagreement_threshold=float(contest.disagreement_threshold)
    )


def vote_counts(contest: ContestPage) -> dict[int, int]:
    return dict(
        PublicVote.objects.filter(contest=contest)
        .values("entry_id")
        .annotate(n=Count("pk"))
        .values_list("entry_id", "n")
    )


@dataclass
class Row:
    entry: Entry
    score: ItemScore
    jury: float  # 0..1
    public: float  # 0..1, share of the most voted entry's votes
    votes: int
    total: float
    position: int = 0
    reason: str = ""


def _jury_share(contest: ContestPage, scores: dict[int, ItemScore]) -> dict[int, float]:
    """The jury's score of each entry on a 0–1 scale: the weighted mean over the maximum, or,
    when scores are calibrated, the z-score mean rescaled between the lowest and highest."""
    if not contest.normalise_scores:
        return {pk: s.mean / contest.score_max for pk, s in scores.items()}
    values = [s.normalised for s in scores.values()]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    return {
        pk: (s.normalised - low) / (high - low) if high > low else 1.0 for pk, s in scores.items()
    }


def contest_ranking(contest: ContestPage) -> list[Row]:
    """Every scored submitted entry, best first, with the reason of its place.

    Total = (1 − w) × jury + w × public vote, where w is the weight declared on the contest
    page (0 when there is no public vote), jury is on a 0–1 scale (``_jury_share``) and public
    is the entry's votes over the most voted entry's."""
    entries = {e.pk: e for e in Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)}
    scores = {pk: s for pk, s in jury_scores(contest).items() if pk in entries}
    jury = _jury_share(contest, scores)
    votes = vote_counts(contest) if contest.public_vote_enabled else {}
    most = max(votes.values(), default=0)
    weight = float(contest.public_vote_weight) if contest.public_vote_enabled else 0.0
    rows = {}
    for pk, score in scores.items():
        public = votes.get(pk, 0) / most if most else 0.0
        total = (1 - weight) * jury[pk] + weight * public
        rows[pk] = Row(entries[pk], score, jury[pk], public, votes.get(pk, 0), round(total, 4))
    ordered = []
    for place in rank_with_reasons({pk: row.total for pk, row in rows.items()}):
        row = rows[place.item_id]
        row.position, row.reason = place.position, place.reason
        ordered.append(row)
    return ordered


def entries_of(user) -> list[Entry]:
    if not user.is_authenticated:
        return []
    return list(
        Entry.objects.filter(members__user=user, members__accepted_at__isnull=False)
        .select_related("contest")
        .order_by("-created_at")
    )


def invitations_of(user):
    if not user.is_authenticated:
        return EntryMember.objects.none()
    return EntryMember.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, entry__status=EntryStatus.DRAFT
    ).select_related("entry__contest")


def contest_page_context(contest: ContestPage, user) -> dict:
    from contests.predicates import is_juror_of, manages_contest
    from contests.services.eligibility import person_error
    from contests.services.questions import question_error, questions_open
    from contests.services.vote import vote_error

    entry = None
    voted = None
    if user.is_authenticated:
        entry = (
            Entry.objects.filter(
                contest=contest, members__user=user, members__accepted_at__isnull=False
            )
            .exclude(status=EntryStatus.WITHDRAWN)
            .first()
        )
        voted = PublicVote.objects.filter(contest=contest, voter=user).first()
    result = ContestResult.objects.filter(contest=contest).first()
    vote_open = contest.public_vote_open()
    return {
        "phase": Phase(contest.phase()).label,
        "entry": entry,
        "entry_error": person_error(contest, user) if user.is_authenticated else None,
        "accepts_entries": contest.accepts_entries(),
        "vote_open": vote_open,
        "vote_error": vote_error(contest, user) if vote_open else None,
        "voted": voted,
        "ballot": (
            Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).order_by("code")
            if vote_open
            else []
        ),
        "result": result if contest.results_public() else None,
        "codesign": codesign_of(contest) if result and contest.results_public() else [],
        "questions": list(published_questions(contest)),
        "questions_open": questions_open(contest),
        "question_error": (
            question_error(contest, user)
            if user.is_authenticated and questions_open(contest)
            else None
        ),
        "is_juror": is_juror_of(user, contest),
        "manages": manages_contest(user, contest),
        # The Italian contest's rows (the jury scores its criteria), with their words in the
        # language being read (psm.localisation.attach_reading_rows).
        "prizes": attach_reading_rows(contest.prizes.all()),
        "criteria": attach_reading_rows(contest.criteria.all()),
        "documents": attach_reading_rows(contest.documents.select_related("document")),
        "answers": attach_reading_rows(contest.answers.all()),
    }
