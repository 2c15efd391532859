"""Drill: nothing reaches a proposal, comment or statistic its viewer may not see.

The rule is ``proposals.visibility`` on top of ``consultations.visibility`` (docs/permissions.md,
"Visibilità"). Every door is tried on eight items (a consultation behind a shared password,
behind "login", behind groups, behind a password on an ancestor page, unpublished, expired; a
pending and a hidden proposal in an open consultation) by four people (anonymous, another
participant, the author, a facilitator of another consultation). Where the person may not see
the item, no response may carry its title, text, comment or answer, the status is a refusal
(404, 403, a redirect to a login page, a closed socket) and a refused POST leaves every
participation table as it was. Where the person may see it, the proposal page shows it (so the
drill cannot pass by refusing everything).

Each consultation also runs a conversation whose question and statement are secrets of the
same case (the statement is pending or hidden where the proposal is).

The doors come from the URL resolver and the WebSocket router: every URL served by the
``proposals``, ``consultations`` or ``conversations`` apps (or equity's counts views: a
consultation's paper tally), or in the ``api`` and ``moderation`` namespaces, needs a case in
:data:`DOORS` or a reason in :data:`EXEMPT`, so a new URL without a case fails
``test_every_door_has_a_case``. ``VISIBILITY_STATS=<file>`` appends the counts as JSON.
"""

from __future__ import annotations

import datetime
import json
import os
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from config.routing import websocket_urlpatterns
from consultations.consumers import ConsultationConsumer
from consultations.models import ConsultationPage, Follow, VoteMode
from conversations.models import Conversation, Statement, StatementStatus, StatementVote
from equity.models import PaperTally
from proposals.consumers import ProposalConsumer
from proposals.models import (
    BudgetBallot,
    Comment,
    CommentLike,
    ModerationAction,
    OfflineTally,
    Proposal,
    ProposalStatus,
    Report,
    StatusChange,
    Valuation,
    Visibility,
    Vote,
)
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CASES = ("password", "login", "groups", "ancestor", "unpublished", "expired", "pending", "hidden")
ACTORS = ("anonymous", "participant", "author", "facilitator_elsewhere")
PASSWORD = "parola-riservata"  # noqa: S105 - a test page's shared password
STATS: Counter = Counter()
LOGIN_PAGES = ("/account/login/", "/admin/login/", "/_util/login/")


def consultation_seen(case: str, actor: str) -> bool:
    """The expected answer of ``consultations.visibility`` for the drill's people."""
    if case == "login":
        return actor != "anonymous"
    return case in ("pending", "hidden")


def proposal_seen(case: str, actor: str) -> bool:
    """The expected answer of ``proposals.visibility`` (in full)."""
    if case in ("pending", "hidden"):
        return actor == "author"
    return consultation_seen(case, actor)


# --------------------------------------------------------------------------- the world
@dataclass
class Item:
    case: str
    consultation: ConsultationPage
    budget: ConsultationPage
    proposal: Proposal
    priced: Proposal
    comment: Comment
    answer: StatusChange
    conversation: Conversation
    statement: Statement
    secrets: tuple[str, ...]


def _restrict(page, case: str) -> None:
    if case in ("password", "ancestor"):
        PageViewRestriction.objects.create(
            page=page, restriction_type="password", password=PASSWORD
        )
    elif case == "login":
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    elif case == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name=f"Classe riservata {page.pk}"))


def _consultation(case: str, author, **fields) -> ConsultationPage:
    parent = None
    if case == "ancestor":
        parent = make_consultation(phase="proposals+voting")
        _restrict(parent, case)
    consultation = make_consultation(
        phase="proposals+voting+conversation", results_public=True, parent=parent, **fields
    )
    if case in ("password", "login", "groups"):
        _restrict(consultation, case)
    elif case == "unpublished":
        consultation.unpublish()
    elif case == "expired":  # past expire_at, before the scheduler unpublishes it
        ConsultationPage.objects.filter(pk=consultation.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
    return ConsultationPage.objects.get(pk=consultation.pk)


def build_item(case: str, author, participant) -> Item:
    visibility = {"pending": Visibility.PENDING, "hidden": Visibility.HIDDEN}.get(
        case, Visibility.PUBLISHED
    )
    consultation = _consultation(case, author)
    budget = _consultation(case, author, vote_mode=VoteMode.BUDGET, total_budget=Decimal(1000))
    title = f"Titolo riservato {case}"
    body = f"Testo riservato della proposta nel caso {case}, da non mostrare."
    proposal = Proposal.objects.create(
        consultation=consultation, author=author, title=title, body=body, visibility=visibility
    )
    priced = Proposal.objects.create(
        consultation=budget,
        author=author,
        title=f"Spesa riservata {case}",
        body=body,
        cost=Decimal(100),
        visibility=visibility,
    )
    Valuation.objects.create(proposal=priced, feasible=True, official_cost=Decimal(100))
    comment = Comment.objects.create(
        proposal=proposal, author=participant, body=f"Commento riservato {case}"
    )
    answer = StatusChange.objects.create(
        proposal=proposal,
        to_status=ProposalStatus.ACCEPTED,
        answer=f"Risposta riservata {case}",
    )
    conversation = Conversation.objects.create(
        consultation=consultation, question=f"Domanda riservata della conversazione {case}"
    )
    statement = Statement.objects.create(
        conversation=conversation,
        author=author,
        text=f"Affermazione riservata {case}",
        status={"pending": StatementStatus.PENDING, "hidden": StatementStatus.HIDDEN}.get(
            case, StatementStatus.PUBLISHED
        ),
    )
    secrets = (title, body, comment.body, answer.answer, priced.title, statement.text)
    if case not in ("pending", "hidden"):  # there the consultation, and its question, are public
        secrets += (conversation.question,)
    return Item(
        case=case,
        consultation=consultation,
        budget=budget,
        proposal=proposal,
        priced=priced,
        comment=comment,
        answer=answer,
        conversation=conversation,
        statement=statement,
        secrets=secrets,
    )


# --------------------------------------------------------------------------- the doors
@dataclass(frozen=True)
class Door:
    level: str  # "proposal": the proposal's rule; "consultation": the consultation's
    methods: tuple[str, ...]
    url: object  # Item -> str
    data: object = None  # Item -> dict, for POST
    moderators_only: bool = False
    listing: bool = False  # a list answers 200 to everybody, without what they cannot see


def _p(name, **extra):
    return lambda item: reverse(name, kwargs={"pk": item.proposal.pk, **extra})


def _c(name, key="pk", **extra):
    return lambda item: reverse(name, kwargs={key: item.consultation.pk, **extra})


def _conv(name, **extra):
    return lambda item: reverse(name, kwargs={"pk": item.conversation.pk, **extra})


def _statement(name):
    return lambda item: reverse(name, kwargs={"pk": item.statement.pk})


def _comment(name):
    return lambda item: reverse(name, kwargs={"pk": item.comment.pk})


def _paper_tally(item) -> PaperTally:
    """The item consultation's paper tally, made on first use (its withdrawal is a door)."""
    tally, _created = PaperTally.objects.get_or_create(
        consultation=item.consultation,
        defaults={"count": 4, "collected_on": datetime.date(2026, 1, 10)},
    )
    return tally


BODY = "Un testo nuovo scritto dal drill di visibilità, abbastanza lungo da valere."
DOORS: dict[str, list[Door]] = {
    "proposals:detail": [Door("proposal", ("GET",), _p("proposals:detail"))],
    "proposals:edit": [
        Door(
            "proposal",
            ("GET", "POST"),
            _p("proposals:edit"),
            lambda i: {"title": "Cambiato", "body": BODY},
        )
    ],
    "proposals:withdraw": [Door("proposal", ("GET", "POST"), _p("proposals:withdraw"))],
    "proposals:vote": [Door("proposal", ("POST",), _p("proposals:vote"))],
    "proposals:comment": [
        Door("proposal", ("POST",), _p("proposals:comment"), lambda i: {"body": "Dal drill"})
    ],
    "proposals:create": [
        Door(
            "consultation",
            ("GET", "POST"),
            _c("proposals:create", "consultation_id"),
            lambda i: {"title": "Proposta dal drill", "body": BODY},
        )
    ],
    "proposals:budget": [
        Door(
            "consultation",
            ("GET", "POST"),
            lambda i: reverse("proposals:budget", kwargs={"consultation_id": i.budget.pk}),
            lambda i: {"proposte": [str(i.priced.pk)]},
        )
    ],
    "proposals:comment_edit": [
        Door(
            "proposal",
            ("GET", "POST"),
            _comment("proposals:comment_edit"),
            lambda i: {"body": "Cambiato"},
        )
    ],
    "proposals:comment_delete": [Door("proposal", ("POST",), _comment("proposals:comment_delete"))],
    "proposals:comment_like": [Door("proposal", ("POST",), _comment("proposals:comment_like"))],
    "proposals:report": [
        Door(
            "proposal",
            ("GET", "POST"),
            lambda i: reverse("proposals:report", kwargs={"kind": "proposta", "pk": i.proposal.pk}),
            lambda i: {"reason": "spam"},
        ),
        Door(
            "proposal",
            ("GET", "POST"),
            lambda i: reverse("proposals:report", kwargs={"kind": "commento", "pk": i.comment.pk}),
            lambda i: {"reason": "spam"},
        ),
    ],
    "consultations:follow": [
        Door("consultation", ("POST",), _c("consultations:follow"), lambda i: {"segui": "1"})
    ],
    "consultations:results": [
        Door("consultation", ("GET",), _c("consultations:results", "consultation_id"))
    ],
    # open data once the results are public (without names), everything for moderators
    "consultations:results_export": [
        Door(
            "consultation", ("GET",), _c("consultations:results_export", "consultation_id", fmt=fmt)
        )
        for fmt in ("csv", "xlsx")
    ],
    "open_data:index": [
        Door("consultation", ("GET",), lambda i: reverse("open_data:index"), listing=True)
    ],
    "open_data:catalogue": [
        Door(
            "consultation",
            ("GET",),
            lambda i, fmt=fmt: reverse("open_data:catalogue", kwargs={"fmt": fmt}),
            listing=True,
        )
        for fmt in ("xml", "ttl", "jsonld")
    ],
    "live:consultation_totals": [Door("consultation", ("GET",), _c("live:consultation_totals"))],
    "api:consultation-list": [
        Door("consultation", ("GET",), lambda i: reverse("api:consultation-list"), listing=True)
    ],
    "api:consultation-detail": [Door("consultation", ("GET",), _c("api:consultation-detail"))],
    "api:consultation-results": [Door("consultation", ("GET",), _c("api:consultation-results"))],
    "api:proposal-list": [
        Door(
            "consultation",
            ("GET",),
            lambda i: f"{reverse('api:proposal-list')}?consultation={i.consultation.pk}",
            listing=True,
        )
    ],
    "api:proposal-detail": [Door("proposal", ("GET",), _p("api:proposal-detail"))],
    "api:answer-list": [
        Door("consultation", ("GET",), lambda i: reverse("api:answer-list"), listing=True)
    ],
    "api:answer-detail": [
        Door(
            "proposal", ("GET",), lambda i: reverse("api:answer-detail", kwargs={"pk": i.answer.pk})
        )
    ],
    **{
        f"moderation:{name}": [
            Door(
                "consultation",
                ("GET", "POST"),
                _c(f"moderation:{name}", "consultation_id", **extra),
                lambda i: {"op": "hide", "target": "proposal", "target_id": str(i.proposal.pk)},
                moderators_only=True,
            )
        ]
        for name, extra in (
            ("queue", {}),
            ("act", {}),
            ("proposals", {}),
            ("offline", {}),
            ("audit", {}),
        )
    },
    "moderation:proposal": [
        Door(
            "proposal",
            ("GET", "POST"),
            lambda i: reverse(
                "moderation:proposal",
                kwargs={"consultation_id": i.consultation.pk, "proposal_id": i.proposal.pk},
            ),
            lambda i: {"answer": "Risposta dal drill", "status": "accepted"},
            moderators_only=True,
        )
    ],
    "moderation:valuations": [
        Door(
            "consultation",
            ("GET", "POST"),
            lambda i: reverse("moderation:valuations", kwargs={"consultation_id": i.budget.pk}),
            lambda i: {
                "proposal": str(i.priced.pk),
                f"v{i.priced.pk}-feasible": "no",
                f"v{i.priced.pk}-reason": "Dal drill",
            },
            moderators_only=True,
        )
    ],
    "moderation:versions": [
        Door(
            "proposal",
            ("GET", "POST"),
            lambda i: reverse(
                "moderation:versions",
                kwargs={"consultation_id": i.consultation.pk, "proposal_id": i.proposal.pk},
            ),
            lambda i: {"op": "approve", "version": "1"},
            moderators_only=True,
        )
    ],
    # a consultation's paper tally: its moderators only (equity.count_paper)
    "equity:paper": [
        Door(
            "consultation",
            ("GET", "POST"),
            _c("equity:paper"),
            lambda i: {"count": "3", "collected_on": "2026-01-10"},
            moderators_only=True,
        )
    ],
    "equity:paper_withdraw": [
        Door(
            "consultation",
            ("POST",),
            lambda i: reverse(
                "equity:paper_withdraw",
                kwargs={"pk": i.consultation.pk, "entry_pk": _paper_tally(i).pk},
            ),
            lambda i: {"reason": "Dal drill"},
            moderators_only=True,
        )
    ],
}
STATEMENT = "Un'affermazione nuova scritta dal drill di visibilità."
DOORS.update(
    {
        "conversations:detail": [Door("consultation", ("GET",), _conv("conversations:detail"))],
        "conversations:statement_create": [
            Door(
                "consultation",
                ("GET", "POST"),
                _conv("conversations:statement_create"),
                lambda i: {"text": STATEMENT},
            )
        ],
        "conversations:my_votes": [Door("consultation", ("GET",), _conv("conversations:my_votes"))],
        "conversations:results": [Door("consultation", ("GET",), _conv("conversations:results"))],
        "conversations_api:results": [
            Door("consultation", ("GET",), _conv("conversations_api:results"))
        ],
        "conversations:export": [
            Door(
                "consultation",
                ("GET",),
                _conv("conversations:export", fmt=fmt),
                moderators_only=True,
            )
            for fmt in ("csv", "xlsx")
        ],
        "conversations:moderation": [
            Door(
                "consultation",
                ("GET", "POST"),
                _conv("conversations:moderation"),
                lambda i: {"text": STATEMENT},
                moderators_only=True,
            )
        ],
        # A pending or hidden statement is not open to votes, not even its author's.
        "conversations:vote": [
            Door("proposal", ("POST",), _statement("conversations:vote"), lambda i: {"voto": "1"})
        ],
        "conversations:moderate": [
            Door(
                "proposal",
                ("POST",),
                _statement("conversations:moderate"),
                lambda i: {"azione": "publish"},
                moderators_only=True,
            )
        ],
        "conversations:create": [
            Door(
                "consultation",
                ("GET", "POST"),
                _c("conversations:create", key="consultation_id"),
                lambda i: {"question": "Una domanda nuova dal drill?"},
                moderators_only=True,
            )
        ],
    }
)
#: Doors that reach no single proposal, comment or statistic, and why.
EXEMPT = {
    "moderation:index": "lists only the consultations the person moderates, no item",
    "api:api-root": "the list of API endpoints",
    "api:schema": "the OpenAPI schema, no data",
    "api:docs": "the API documentation page, no data",
    "facilitation:index": "who facilitates which page (editors and coordinators), no item",
    "facilitation:revoke": "removes a facilitation, no item",
    "facilitation:log": "the log of facilitations, no item",
    "proposals:change_set": "a published change to an action's text (the plan is public); the "
    "amendments it lists go through Proposal.objects.visible_to(request)",
    "moderation:change_set": "review of an action's text change: proposals.review_change_set "
    "(editors who may publish the action, or moderators of every amendment's consultation)",
    "equity:counts": "lists only the workshops and consultations the person may count, no item",
    "equity:headcount": "a workshop's headcount (equity.count_workshop): the session's title "
    "and counts, no proposal or consultation",
    "equity:headcount_withdraw": "withdraws a workshop's headcount entry (equity.count_workshop)",
    "wagtailsnippetchoosers_consultations_consultationtemplate:create": "refused to everybody: "
    "consultation templates are made in their own editor, not from Wagtail's chooser",
    "consultation_templates:create": "creates a draft consultation under an action the person "
    "may add pages to (consultations.rules.create_error); it shows no consultation or proposal",
}
#: The consultation page itself (Wagtail's ``serve``), with its proposal list.
PAGE_DOOR = Door(
    "consultation", ("GET",), lambda i: i.consultation.url or f"/{i.consultation.slug}/"
)
WS_DOORS = {
    ProposalConsumer: ("proposal", lambda item: item.proposal.pk),
    ConsultationConsumer: ("consultation", lambda item: item.consultation.pk),
}


def proposal_doors() -> set[str]:
    """Every named URL served by the proposals, consultations or conversations apps (and
    equity's counts views), or in the api, moderation, proposals and conversations namespaces."""
    names: set[str] = set()

    def walk(patterns, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                module = getattr(entry.callback, "__module__", "") or ""
                apps = ("proposals.", "consultations.", "conversations.", "equity.views.counts")
                if module.startswith(apps) or namespace in (
                    "api",
                    "moderation",
                    "proposals",
                    "conversations",
                    "conversations_api",
                ):
                    names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_door_has_a_case():
    missing = proposal_doors() - set(DOORS) - set(EXEMPT)
    assert not missing, f"URLs reaching proposals without a visibility case: {sorted(missing)}"
    stale = set(DOORS) - proposal_doors()
    assert not stale, f"cases for URLs that no longer exist: {sorted(stale)}"
    consumers = {
        pattern.callback.consumer_class
        for pattern in websocket_urlpatterns
        if pattern.callback.consumer_class.__module__.startswith(("proposals.", "consultations."))
    }
    assert consumers <= set(WS_DOORS), consumers - set(WS_DOORS)


# --------------------------------------------------------------------------- the run
TABLES = (
    Proposal,
    Vote,
    Comment,
    CommentLike,
    Report,
    BudgetBallot,
    Follow,
    StatusChange,
    ModerationAction,
    OfflineTally,
    Conversation,
    Statement,
    StatementVote,
    PaperTally,
)


def snapshot() -> tuple:
    counts = (
        *(model.objects.count() for model in TABLES),
        PaperTally.objects.active().count(),  # a withdrawal changes no count
    )
    proposals = tuple(Proposal.objects.order_by("pk").values_list("title", "body", "visibility"))
    comments = tuple(
        Comment.objects.order_by("pk").values_list("body", "is_deleted", "visibility", "edited_at")
    )
    statements = tuple(Statement.objects.order_by("pk").values_list("text", "status"))
    return counts, proposals, comments, statements


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:  # to a login page, or Wagtail admin's "permission denied"
        location = response["Location"]
        return location == "/admin/" or location.startswith(LOGIN_PAGES)
    return False


def leaked(response, item: Item) -> list[str]:
    content = b"".join(response) if response.streaming else response.content
    text = content.decode("utf-8", "replace")
    return [secret for secret in item.secrets if secret in text]


def users(case: str) -> dict:
    author = UserFactory()
    participant = UserFactory()
    elsewhere = make_facilitator(make_consultation(phase="proposals+voting"))
    return {"author": author, "participant": participant, "facilitator_elsewhere": elsewhere}


def client_for(actor: str, people: dict) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(people[actor])
    return client


def try_door(client, door: Door, item: Item, actor: str, failures: list, label: str) -> None:
    sees = proposal_seen if door.level == "proposal" else consultation_seen
    may_see = sees(item.case, actor) and not door.moderators_only
    url = door.url(item)
    for method in door.methods:
        if method == "POST" and may_see:
            continue  # allowed writes would change the item for the next person
        before = snapshot() if method == "POST" else None
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, door.data(item) if door.data else {})
        STATS[f"{method} requests"] += 1
        if response.status_code >= 500:
            failures.append(f"{label} {method} {url}: {response.status_code}")
            continue
        if not proposal_seen(item.case, actor) and (secrets := leaked(response, item)):
            failures.append(f"{label} {method} {url}: shows {secrets}")
        if may_see:
            continue
        placeholder = door is DOORS["proposals:detail"][0] and item.case == "hidden"
        # Wagtail answers a password-restricted page with its password form (checked for
        # leaks above).
        password_form = door is PAGE_DOOR and item.case in ("password", "ancestor")
        shown_empty = door.listing or placeholder or password_form
        if method == "GET" and not shown_empty and not refused(response):
            failures.append(f"{label} {method} {url}: answered {response.status_code}")
        if method == "POST" and snapshot() != before:
            failures.append(f"{label} {method} {url}: changed the database")
        STATS["refusals checked"] += 1


def try_sockets(item: Item, actor: str, people: dict, failures: list, label: str) -> None:
    user = people.get(actor)
    for consumer_class, (level, pk_of) in WS_DOORS.items():
        sees = proposal_seen if level == "proposal" else consultation_seen
        consumer = consumer_class()
        consumer.scope = {
            "type": "websocket",
            "user": user,
            "session": {},
            "url_route": {"kwargs": {"pk": pk_of(item)}},
        }
        group = consumer.authorise()
        STATS["socket connections"] += 1
        if group is not None and not sees(item.case, actor):
            failures.append(f"{label} socket {consumer_class.__name__}: joined {group}")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("actor", ACTORS)
def test_nothing_reaches_what_one_cannot_see(plan, case, actor):
    people = users(case)
    item = build_item(case, people["author"], people["participant"])
    client = client_for(actor, people)
    failures: list[str] = []
    label = f"[{case} × {actor}]"
    for doors in DOORS.values():
        for door in doors:
            try_door(client, door, item, actor, failures, label)
    try_door(client, PAGE_DOOR, item, actor, failures, label)
    try_sockets(item, actor, people, failures, label)
    # The control: who may see the proposal does see it on its page.
    if proposal_seen(case, actor):
        page = client.get(reverse("proposals:detail", kwargs={"pk": item.proposal.pk}))
        assert item.proposal.title in page.content.decode(), f"{label} the author lost sight"
        STATS["controls"] += 1
    if consultation_seen(case, actor):
        page = client.get(reverse("conversations:detail", kwargs={"pk": item.conversation.pk}))
        assert item.conversation.question in page.content.decode(), f"{label} lost the question"
        STATS["controls"] += 1
    STATS["combinations"] += 1
    if os.environ.get("VISIBILITY_STATS"):
        with open(os.environ["VISIBILITY_STATS"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"case": case, "actor": actor, **STATS}) + "\n")
    assert not failures, "\n".join(failures)


def test_password_pass_in_the_session_opens_the_door(plan):
    """Wagtail's own password form marks the session; the same session then sees and acts."""
    people = users("password")
    item = build_item("password", people["author"], people["participant"])
    client = client_for("participant", people)
    url = reverse("proposals:detail", kwargs={"pk": item.proposal.pk})
    assert client.get(url).status_code == 404
    restriction = PageViewRestriction.objects.get(page=item.consultation)
    form = client.get(item.consultation.url)
    assert form.status_code == 200
    assert item.proposal.title not in form.content.decode()
    action = f"/_util/authenticate_with_password/{restriction.pk}/{item.consultation.pk}/"
    client.post(action, {"password": PASSWORD, "return_url": item.consultation.url})
    assert item.proposal.title in client.get(url).content.decode()
    client.post(reverse("proposals:comment", kwargs={"pk": item.proposal.pk}), {"body": "Ci sono"})
    assert Comment.objects.filter(proposal=item.proposal, body="Ci sono").exists()
    # Another browser of the same person has no pass.
    other = client_for("participant", people)
    assert other.get(url).status_code == 404
