"""Reads that shape the proposal pages, each with a constant number of queries."""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Mod
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationPage, Phase, VoteMode
from core.ids import parse_id
from proposals.caching import attach_card_heads, cached_listing_facts
from proposals.models import (
    BudgetBallot,
    Comment,
    CommentLike,
    CommentVisibility,
    Proposal,
    ProposalStatus,
    Visibility,
    official_cost,
    valuation_of,
)
from psm.localisation import attach_reading_rows
from territory.models import Comune

PER_PAGE = 20
SORTS = {
    "recenti": _("Più recenti"),
    "sostegni": _("Più sostenute"),
    "commenti": _("Più commentate"),
    "casuale": _("In ordine casuale"),
}
SEED_SESSION_KEY = "proposals_random_seed"


def _random_seed(request) -> int:
    """A per-visitor seed kept in the session, so "random" order is stable while paging."""
    seed = request.session.get(SEED_SESSION_KEY)
    if not isinstance(seed, int):
        seed = random.randint(1, 10_000)  # noqa: S311 - ordering, not security
        request.session[SEED_SESSION_KEY] = seed
    return seed


def proposals_for_listing(consultation: ConsultationPage):
    return (
        Proposal.objects.filter(consultation=consultation)
        .published()
        .select_related("author", "category", "comune")
        .annotate_support_count()
        .annotate_comment_count()
    )


def proposal_list_for_page(*, consultation: ConsultationPage, request) -> dict:
    """The filtered, searched, sorted, paginated proposals of a consultation."""
    params = request.GET
    proposals = proposals_for_listing(consultation)
    category_id = parse_id(params.get("categoria"))
    if category_id:
        proposals = proposals.filter(category_id=category_id)
    comune_code = (params.get("comune") or "").strip()[:6]
    if comune_code:
        proposals = proposals.filter(comune_id=comune_code)
    status = params.get("stato", "")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    else:
        status = ""
    query = (params.get("q") or "").strip()[:100]
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(body__icontains=query))
    sort = params.get("ordina", "recenti")
    if sort not in SORTS:
        sort = "recenti"
    if sort == "sostegni":
        proposals = proposals.order_by("-support_count", "-created_at", "-pk")
    elif sort == "commenti":
        proposals = proposals.order_by("-comment_count", "-created_at", "-pk")
    elif sort == "casuale":
        seed = _random_seed(request)
        proposals = proposals.annotate(
            shuffle=Mod(F("pk") * Value(7919) + Value(seed), Value(10007))
        ).order_by("shuffle", "pk")
    else:
        proposals = proposals.order_by("-created_at", "-pk")
    filtering = bool(category_id or comune_code or status or query)
    facts = cached_listing_facts(consultation.pk, lambda: _listing_facts(consultation))
    paginator = Paginator(proposals, PER_PAGE)
    if not filtering:
        paginator.count = facts["published"]  # the cached count (a cached_property)
    page = paginator.get_page(params.get("pagina"))
    page.object_list = list(page.object_list)
    categories = facts["categories"]
    attach_reading_rows([*categories, *(p.category for p in page.object_list if p.category_id)])
    attach_card_heads(page.object_list, is_budget=consultation.vote_mode == VoteMode.BUDGET)
    filters = params.copy()
    filters.pop("pagina", None)
    return {
        "proposal_page": page,
        "filter_query": filters.urlencode(),
        "filtering": filtering,
        "filter_category": category_id,
        "filter_comune": comune_code,
        "filter_status": status,
        "search_query": query,
        "sort": sort,
        "sorts": SORTS.items(),
        "categories": categories,
        "comuni": facts["comuni"],
        "statuses": ProposalStatus.choices,
    }


def _listing_facts(consultation: ConsultationPage) -> dict:
    """The reads of the list that are the same for everybody: the two that grow with the
    consultation, and its categories (cached per proposals and page version)."""
    published = Proposal.objects.filter(consultation=consultation).published()
    return {
        "categories": list(consultation.categories.all()),
        "published": published.count(),
        "comuni": list(
            Comune.objects.filter(pk__in=published.values("comune_id").distinct()).order_by("name")
        ),
    }


@dataclass
class VoterState:
    voted_ids: set[int] = field(default_factory=set)
    supports_left: int | None = None
    ballot: BudgetBallot | None = None
    pending: list[Proposal] = field(default_factory=list)


def voter_state(*, consultation: ConsultationPage, user) -> VoterState:
    """What this person has already done in the consultation, in one query: the proposals
    they support and their own proposals waiting for moderation."""
    state = VoterState()
    if not user.is_authenticated:
        return state
    fields = ("pk", "title", "created_at", "supported")
    of_consultation = Proposal.objects.filter(consultation=consultation).order_by()
    supported = of_consultation.filter(votes__voter=user).annotate(
        supported=Value(True, output_field=BooleanField())
    )
    pending = of_consultation.filter(author=user, visibility=Visibility.PENDING).annotate(
        supported=Value(False, output_field=BooleanField())
    )
    rows = supported.values_list(*fields).union(pending.values_list(*fields), all=True)
    waiting = []
    for pk, title, created_at, is_supported in rows:
        if is_supported:
            state.voted_ids.add(pk)
        else:
            waiting.append((created_at, pk, Proposal(pk=pk, title=title)))
    state.pending = [proposal for *_order, proposal in sorted(waiting, reverse=True)]
    state.supports_left = consultation.supports_left(len(state.voted_ids))
    return state


# --------------------------------------------------------------------------- detail
def proposal_for_detail(pk: int):
    return (
        Proposal.objects.select_related(
            "author",
            "category",
            "comune",
            "amended_action",
            "merged_into",
            "consultation",
            "valuation",
        )
        .prefetch_related(
            Prefetch("consultation__phases", queryset=Phase.objects.order_by("starts_at"))
        )
        .annotate_support_count()
        .annotate_comment_count()
        .get(pk=pk)
    )


def comment_threads(*, proposal: Proposal, user) -> list[Comment]:
    """Top-level comments, each with ``thread_replies``; like counts and the viewer's likes."""
    comments = Comment.objects.filter(proposal=proposal).select_related("author")
    comments = comments.annotate(like_count=Count("likes", distinct=True))
    if user.is_authenticated:
        comments = comments.annotate(
            liked=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user=user))
        )
    else:
        comments = comments.annotate(liked=Value(False))
    comments = list(comments.order_by("created_at", "pk"))
    by_parent: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    roots = [c for c in comments if not c.parent_id]
    for root in roots:
        root.thread_replies = by_parent.get(root.pk, [])
    # A comment deleted by its author stays only as the head of a thread that still has replies;
    # hidden ones stay as a placeholder with the moderator's public reason.
    return [
        c
        for c in roots
        if c.is_visible
        or c.visibility == CommentVisibility.HIDDEN
        or any(r.is_visible for r in c.thread_replies)
    ]


_WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """``new`` compared with ``old`` word by word, escaped, with <del> and <ins> marks."""
    a = _WORD.findall(old or "")
    b = _WORD.findall(new or "")
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def budget_choices(*, consultation: ConsultationPage, user) -> dict:
    """The budget ballot page: the proposals on the ballot (valued feasible, with their official
    cost), the others with the reason they are not, the person's choice and its total."""
    proposals = list(
        Proposal.objects.filter(consultation=consultation)
        .published()
        .select_related("category", "comune", "valuation")
        .order_by("title", "pk")
    )
    chosen: set[int] = set()
    ballot = None
    if user.is_authenticated:
        ballot = BudgetBallot.objects.filter(consultation=consultation, voter=user).first()
        if ballot is not None:
            chosen = set(ballot.votes.values_list("proposal_id", flat=True))
    on_ballot = []
    off_ballot = []
    for proposal in proposals:
        proposal.official_cost = official_cost(proposal)
        if proposal.official_cost is None:
            off_ballot.append((proposal, valuation_of(proposal)))
        else:
            on_ballot.append(proposal)
    on_ballot.sort(key=lambda p: (p.official_cost, p.title, p.pk))
    total = sum((p.official_cost for p in on_ballot if p.pk in chosen), 0)
    return {
        "priced": on_ballot,
        "off_ballot": off_ballot,
        "chosen": chosen,
        "ballot": ballot,
        "chosen_total": total,
        "budget": consultation.total_budget or 0,
    }
