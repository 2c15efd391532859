"""Reads that shape the conversation pages: the next statement to vote on, a person's votes,
the moderation queue, and the opinion map as it may be published."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from wagtail import hooks

from conversations.analysis.ordering import Candidate, draw, priority
from conversations.disclosure import REST, overall, percent
from conversations.models import (
    Conversation,
    OpinionSnapshot,
    Statement,
    StatementStatus,
    StatementVote,
)
from core.kept import Kept
from psm import page_cache

#: How groups look on the map: a letter, a shape and a colour each (never the colour alone).
#: Colours have at least 4.5:1 contrast on white.
GROUP_STYLES = (
    ("A", "circle", "#0b5394"),
    ("B", "square", "#a33c00"),
    ("C", "triangle", "#1b6e3a"),
    ("D", "diamond", "#7a3b8f"),
    ("E", "cross", "#5c5000"),
)
SHAPE_NAMES = {
    "circle": "cerchi",
    "square": "quadrati",
    "triangle": "triangoli",
    "diamond": "rombi",
    "cross": "croci",
}
MAP_SIZE = 400
MAP_MARGIN = 24


#: Kept in this process (``core.kept``): statements with their vote facts (about 3 KB each),
#: conversations' published statements and ordering facts.
_kept_statements = Kept(2048, page_cache.MAX_AGE, copies=True)
_kept_published = Kept(64, page_cache.MAX_AGE)
_kept_ordering = Kept(64, page_cache.MAX_AGE)
_kept_priorities = Kept(64, page_cache.MAX_AGE)


def _vote_facts_key(statement_id: int, content: str, pages: str) -> str:
    return f"conversations:vote-facts:{statement_id}:{content}:{pages}"


def statement_for_vote(pk: int) -> Statement | None:
    """The statement with its conversation, its consultation, the consultation's phases and
    who is suspended there, as a vote checks them (``conversations.services.statement_vote``),
    or None. From the cache under the **content and page versions** of ``psm.page_cache`` (any
    save or delete — a moderation, a phase, a block — and any publish or move make the copy
    unreachable, and it lives at most ``MAX_AGE`` seconds, as a cached page), else three
    queries (the statement with its page, the phases, the blocks): a vote on a busy
    conversation does not load the Wagtail page from the database each time. A process keeps
    the copies it read (``core.kept``: each caller unpickles its own; one thread reads a missing
    one while the others wait), so a burst of votes on one statement reads the cache once."""
    content, pages = page_cache.facts_versions()
    key = _vote_facts_key(pk, content, pages)
    return _kept_statements.get_or_load(key, lambda: _load_statement(pk, key))


def _load_statement(pk: int, key: str) -> Statement | None:
    statement = cache.get(key)
    if statement is None:
        statement = (
            Statement.objects.select_related("conversation__consultation").filter(pk=pk).first()
        )
        if statement is None:
            return None
        consultation = statement.conversation.consultation
        consultation.read_cached_phases()
        consultation.load_active_blocks()
        consultation.get_view_restrictions()  # remembered on the copy (psm.caching)
        cache.set(key, statement, page_cache.MAX_AGE)
    return statement


def latest_snapshot(conversation: Conversation) -> OpinionSnapshot | None:
    return conversation.snapshots.order_by("-computed_at", "-pk").first()


@dataclass(frozen=True)
class VotingCard:
    """What a participant's voting card shows: the statement to vote on next (None when every
    published statement has their vote) and how many of the published ones they have voted."""

    statement: Statement | None
    voted: int
    total: int


#: How long the latest map's ordering facts stay cached (a new map also drops them).
ORDERING_FACTS_SECONDS = 60


def ordering_facts_key(conversation_id: int) -> str:
    return f"conversations:ordering-facts:{conversation_id}"


def _ordering_facts(conversation: Conversation) -> tuple[dict, dict | None]:
    """The latest map's divisiveness and vote totals per statement id (the ordering's inputs):
    kept in the process under the content version (a new map is a save, which replaces it),
    else from the cache, else two keys of the map's JSON (not the whole map); totals are None
    before the first map. ``snapshot_compute`` drops the cached copy when it stores a new map.
    Callers read them, never change them."""
    kept_key = (conversation.pk, page_cache.content_version())
    return _kept_ordering.get_or_load(kept_key, lambda: _load_ordering_facts(conversation))


def _load_ordering_facts(conversation: Conversation) -> tuple[dict, dict | None]:
    key = ordering_facts_key(conversation.pk)
    facts = cache.get(key)
    if facts is None:
        row = (
            conversation.snapshots.order_by("-computed_at", "-pk")
            .values_list("data__divisiveness", "data__totals")
            .first()
        )
        if row is None:
            facts = ({}, None)
        else:
            totals = {int(pk): sum(cells) for pk, cells in (row[1] or {}).items()}
            facts = ({int(pk): float(v) for pk, v in (row[0] or {}).items()}, totals)
        cache.set(key, facts, ORDERING_FACTS_SECONDS)
    return facts


def _priorities(conversation: Conversation) -> dict[int, float]:
    """Each statement's ordering priority (``analysis.ordering.priority``) from the latest map's
    facts, kept in the process with them; before the first map, from the votes counted now
    (statements absent have none: no votes yet)."""
    divisiveness, counts = _ordering_facts(conversation)
    if counts is None:
        counts = dict(
            StatementVote.objects.filter(conversation=conversation)
            .order_by()
            .values_list("statement_id")
            .annotate(n=Count("pk"))
        )
        return _weigh(counts, divisiveness)
    kept_key = (conversation.pk, page_cache.content_version())
    return _kept_priorities.get_or_load(kept_key, lambda: _weigh(counts, divisiveness))


def _weigh(counts: dict, divisiveness: dict) -> dict[int, float]:
    return {
        pk: priority(Candidate(pk, counts.get(pk, 0), divisiveness.get(pk, 0.0)))
        for pk in counts.keys() | divisiveness.keys()
    }


def published_statements(conversation: Conversation) -> list[tuple[int, str]]:
    """``(id, text)`` of the published statements, in order: kept in the process and in the
    cache under the content version (a statement written, approved or hidden is a save, which
    replaces it), else one query. Callers read the list, never change it."""
    key = f"conversations:published:{conversation.pk}:{page_cache.content_version()}"
    return _kept_published.get_or_load(key, lambda: _load_published(conversation, key))


def _load_published(conversation: Conversation, key: str) -> list[tuple[int, str]]:
    published = cache.get(key)
    if published is None:
        published = list(
            conversation.statements.filter(status=StatementStatus.PUBLISHED)
            .order_by("pk")
            .values_list("pk", "text")
        )
        cache.set(key, published, page_cache.MAX_AGE)
    return published


def voting_card(
    conversation: Conversation, participant_key: str, voted: set[int] | None = None
) -> VotingCard:
    """The statement to offer next (``conversations.analysis.ordering``) and the person's
    progress. Two queries whatever the number of votes (the published statements' ids and
    texts, the person's votes, unless ``voted`` gives their ids) and the latest map's ordering
    facts from the cache (a third query when they are not there; their vote counts lag the
    newest votes by at most a debounce, and statements newer than the map count as unvoted, so
    they come first). Before the first map, the votes are counted live."""
    published = published_statements(conversation)
    if voted is None:
        voted = set(
            StatementVote.objects.filter(
                conversation=conversation, participant_key=participant_key
            ).values_list("statement_id", flat=True)
        )
    remaining = [(pk, text) for pk, text in published if pk not in voted]
    card_total = len(published)
    if not remaining:
        return VotingCard(statement=None, voted=card_total, total=card_total)
    weights = _priorities(conversation)
    ids = [pk for pk, _text in remaining]  # in id order, as published
    chosen = draw(
        ids,
        [weights.get(pk) or priority(Candidate(pk, 0)) for pk in ids],
        seed=f"{conversation.seed}:{participant_key}:{len(voted)}",
    )
    text = next(text for pk, text in remaining if pk == chosen)
    statement = Statement(
        pk=chosen, conversation=conversation, text=text, status=StatementStatus.PUBLISHED
    )
    return VotingCard(statement=statement, voted=card_total - len(remaining), total=card_total)


def votes_of(conversation: Conversation, participant_key: str) -> list[StatementVote]:
    """The person's votes on published statements, latest first."""
    return list(
        StatementVote.objects.filter(
            conversation=conversation,
            participant_key=participant_key,
            statement__status=StatementStatus.PUBLISHED,
        )
        .select_related("statement")
        .order_by("-updated_at", "-pk")
    )


def moderation_queue(conversation: Conversation) -> list[tuple[str, str, list[Statement]]]:
    """``(status, label, statements)`` for pending, published and hidden statements, newest
    first, with their vote counts. One query."""
    rows = (
        conversation.statements.select_related("author")
        .annotate_vote_counts()
        .order_by("-created_at", "-pk")
    )
    queue: dict[str, list[Statement]] = {status: [] for status in StatementStatus.values}
    for statement in rows:
        queue[statement.status].append(statement)
    return [(status, label, queue[status]) for status, label in StatementStatus.choices]


# --------------------------------------------------------------------------- the opinion map
@dataclass
class StatementLine:
    statement: Statement
    direction: str = ""
    share: int | None = None  # percent of the group (or of everyone) in that direction
    rest_share: int | None = None
    score: float = 0.0
    links: list[tuple[str, str]] = field(default_factory=list)  # where the statement went


@dataclass
class GroupView:
    index: int
    letter: str
    shape: str
    shape_name: str
    colour: str
    size: int
    hull: str  # SVG polygon points
    label_x: float
    label_y: float
    points: list[tuple[float, float]] = field(default_factory=list)
    representative: list[StatementLine] = field(default_factory=list)


@dataclass
class OpinionMap:
    snapshot: OpinionSnapshot
    groups: list[GroupView]
    consensus: list[StatementLine]
    divisive: list[StatementLine]
    participants: int
    placed: int
    undescribed: bool  # some placed people are in groups too small to describe
    size: int = MAP_SIZE


def _to_map(x: float, y: float) -> tuple[float, float]:
    half = (MAP_SIZE - 2 * MAP_MARGIN) / 2
    return round(MAP_MARGIN + half * (1 + x), 1), round(MAP_MARGIN + half * (1 - y), 1)


def opinion_map(conversation: Conversation, snapshot: OpinionSnapshot) -> OpinionMap:
    """The snapshot as it may be published (``conversations.disclosure``): only described
    groups appear, with their points, outline, representative statements and shares."""
    data = snapshot.data
    published = data.get("published", {"sizes": {}, "statements": {}})
    sizes = {int(g): n for g, n in published["sizes"].items()}
    cells = published["statements"]
    wanted = {r["statement"] for g in data["groups"] for r in g["representative"]}
    wanted |= {c["statement"] for c in data["consensus"]} | {
        d["statement"] for d in data["divisive"]
    }
    texts = conversation.statements.filter(
        pk__in=wanted, status=StatementStatus.PUBLISHED
    ).in_bulk()
    groups = []
    for group in data["groups"]:
        index = group["index"]
        if index not in sizes or index >= len(GROUP_STYLES):
            continue
        letter, shape, colour = GROUP_STYLES[index]
        hull = " ".join("{},{}".format(*_to_map(x, y)) for x, y in group["hull"])
        label_x, label_y = _to_map(*group["centroid"])
        view = GroupView(
            index, letter, shape, SHAPE_NAMES[shape], colour, sizes[index], hull, label_x, label_y
        )
        view.points = [_to_map(x, y) for x, y, g in data["points"] if g == index]
        for item in group["representative"]:
            statement = texts.get(item["statement"])
            if statement is None:
                continue
            shown = cells.get(str(statement.pk), {}).get("groups", {}).get(str(index))
            column = 0 if item["direction"] == "agree" else 1
            share = percent(shown[column], shown) if shown else None
            view.representative.append(StatementLine(statement, item["direction"], share))
        groups.append(view)
    return OpinionMap(
        snapshot=snapshot,
        groups=groups,
        consensus=_overall_lines(data["consensus"], texts, cells, "agree"),
        divisive=_overall_lines(data["divisive"], texts, cells, ""),
        participants=snapshot.participants_count,
        placed=snapshot.placed_count,
        undescribed=sum(sizes.values()) < snapshot.placed_count,
    )


def _overall_lines(items, texts, cells, direction) -> list[StatementLine]:
    lines = []
    for item in items:
        statement = texts.get(item["statement"])
        if statement is None:
            continue
        found = cells.get(str(statement.pk))
        totals = overall(found) if found else None
        share = percent(totals[0], totals) if totals else None
        lines.append(StatementLine(statement, direction, share, score=item["score"]))
    return lines


def statement_rows(conversation: Conversation, snapshot: OpinionSnapshot | None) -> list[dict]:
    """Every published statement with its publishable vote counts overall and per described
    group (from the snapshot; exports and the results table)."""
    published = (snapshot.data.get("published") if snapshot else None) or {
        "sizes": {},
        "statements": {},
    }
    described = sorted(int(g) for g in published["sizes"])
    rows = []
    statements = conversation.statements.filter(status=StatementStatus.PUBLISHED).order_by("pk")
    hidden = [None, None, None]
    for statement in statements:
        cells = published["statements"].get(str(statement.pk))
        rows.append(
            {
                "statement": statement,
                "totals": overall(cells) if cells else hidden,
                "groups": {
                    g: (cells["groups"].get(str(g)) if cells else None) or hidden for g in described
                },
                "rest": cells[REST] if cells else hidden,
            }
        )
    return rows


def group_letters(snapshot: OpinionSnapshot | None) -> list[tuple[int, str]]:
    if snapshot is None:
        return []
    sizes = (snapshot.data.get("published") or {}).get("sizes", {})
    return [(int(g), GROUP_STYLES[int(g)][0]) for g in sorted(sizes, key=int)]


#: Layers above conversations (accountability) say where statements went: a hook function
#: takes ``(statement ids, viewer)`` and returns ``{statement id: [(label, url)]}``.
STATEMENT_LINKS_HOOK = "conversation_statement_links"


def attach_statement_links(lines: list[StatementLine], viewer) -> list[StatementLine]:
    """Fill each line's ``links`` from the ``conversation_statement_links`` hooks."""
    ids = [line.statement.pk for line in lines]
    if not ids:
        return lines
    found: dict[int, list[tuple[str, str]]] = {}
    for hook in hooks.get_hooks(STATEMENT_LINKS_HOOK):
        for statement_id, links in hook(ids, viewer).items():
            found.setdefault(statement_id, []).extend(links)
    for line in lines:
        line.links = found.get(line.statement.pk, [])
    return lines
