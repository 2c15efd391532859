"""Every event the platform broadcasts: its name and the shape of its payload.

A service builds one of these and hands it to :func:`realtime.broadcast.broadcast_event` (sent
after the commit) or :func:`realtime.broadcast.send_event` (sent now); consumers relay
``{"event": name, "payload": payload}`` to the browser unchanged. Payloads hold only JSON
types (dicts with string keys, lists, strings, numbers, booleans, null), so what the browser
parses is what the service built.

| event             | group                          | read by                      |
|-------------------|--------------------------------|------------------------------|
| `proposal.totals` | `group_name("consultation", pk)` | `static/js/live-updates.js` |
| `proposals.totals` | `group_name("consultation", pk)` | `static/js/live-updates.js` |
| `comment.created` | `group_name("proposal", pk)`     | `static/js/live-updates.js` |
| `live.state`      | `group_name("live", pk)`         | `static/js/live.js`         |
| `live.console`    | `group_name("live.console", pk)` | `static/js/live.js`         |
"""

from dataclasses import asdict, dataclass
from typing import ClassVar, TypedDict

PROPOSAL_TOTALS = "proposal.totals"
PROPOSALS_TOTALS = "proposals.totals"
COMMENT_CREATED = "comment.created"
LIVE_STATE = "live.state"
LIVE_CONSOLE = "live.console"


@dataclass(frozen=True)
class Event:
    """Base of every event: ``name`` is the event's namespaced name."""

    name: ClassVar[str]

    def to_payload(self) -> dict:
        """The payload as JSON-serialisable data (nested events and lists copied)."""
        return asdict(self)


# --------------------------------------------------------------------------- proposals


@dataclass(frozen=True)
class ProposalTotals(Event):
    """A proposal's support total (online votes plus in-person supports) changed."""

    name: ClassVar[str] = PROPOSAL_TOTALS
    proposal: int
    supports: int


@dataclass(frozen=True)
class ProposalsTotals(Event):
    """The support totals of several proposals of a consultation, as they stand: the one event
    that closes a burst (``realtime.coalesce``). ``supports`` maps proposal ids (strings, as
    JSON keys are) to totals."""

    name: ClassVar[str] = PROPOSALS_TOTALS
    consultation: int
    supports: dict[str, int]


@dataclass(frozen=True)
class CommentCreated(Event):
    """A comment was posted under a proposal (the page fetches it)."""

    name: ClassVar[str] = COMMENT_CREATED
    proposal: int
    comment: int


# --------------------------------------------------------------------------- live workshops


class LiveResultItem(TypedDict):
    index: int
    label: str
    count: int
    percent: int


class LiveIdea(TypedDict):
    pk: int
    text: str


class LiveResults(TypedDict):
    """Totals of one activity: ``items`` for votes, ``ideas`` (approved) for idea collection."""

    total: int
    items: list[LiveResultItem]
    average: float | None
    ideas: list[LiveIdea]


@dataclass(frozen=True)
class LiveActivity:
    """The activity on screen; ``results`` only once the facilitator reveals them."""

    id: int
    kind: str
    state: str
    results_visible: bool
    total: int
    results: LiveResults | None


@dataclass(frozen=True)
class LiveState(Event):
    """What projector and phones show; ``key`` changes whenever the page must change."""

    name: ClassVar[str] = LIVE_STATE
    session: int
    status: str
    activity: LiveActivity | None
    key: str


@dataclass(frozen=True)
class LiveConsole(Event):
    """Something changed in a session: the facilitator's console reloads its region."""

    name: ClassVar[str] = LIVE_CONSOLE
    session: int


#: Every declared event, by name.
EVENTS: dict[str, type[Event]] = {
    event.name: event
    for event in (ProposalTotals, ProposalsTotals, CommentCreated, LiveState, LiveConsole)
}
