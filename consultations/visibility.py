"""Who may see a consultation: the one rule every door to it and to what it holds goes through.

A consultation is visible to a viewer when

- it is live (published) and not expired (Wagtail's ``expired`` flag, or an ``expire_at``
  already past even before the scheduler unpublishes it), and
- every Wagtail view restriction on the page or on one of its ancestors accepts the viewer:
  a shared password through Wagtail's own session pass (``restriction.accept_request``), "login"
  when signed in, "groups" when in one of the groups (superusers always);

or, whatever its state, when the viewer moderates it (``consultations.rules.is_facilitator_of``).

A *viewer* is a request, a WebSocket scope's user and session, or a bare user (a service, a
task, an e-mail): anything :meth:`Viewer.of` understands. A bare user carries no session, so
no password pass: content behind a shared password is never mailed or pushed to anybody.
What is visible inside a consultation (proposals, comments) is ``proposals.visibility``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import PageViewRestriction

from accounts.models import Role
from consultations.rules import is_facilitator_of

if TYPE_CHECKING:
    from consultations.models import ConsultationPage


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a user (maybe anonymous) and the session holding Wagtail's password
    passes. It quacks like the request ``PageViewRestriction.accept_request`` expects."""

    user: Any
    session: Any = field(default_factory=dict)

    @classmethod
    def of(cls, who) -> Viewer:
        """A viewer from a request, a ``Viewer``, a Channels scope (a dict), a user or None."""
        if isinstance(who, Viewer):
            return who
        if isinstance(who, dict):  # a Channels scope (AuthMiddlewareStack: user and session)
            return cls(user=who.get("user") or AnonymousUser(), session=who.get("session") or {})
        if hasattr(who, "session") and hasattr(who, "user"):  # an HttpRequest
            return cls(user=who.user, session=who.session)
        return cls(user=who or AnonymousUser())


def restrictions_pass(viewer: Viewer, restrictions) -> bool:
    query = getattr(restrictions, "query", None)
    if query is not None and query.is_empty():  # none(): psm.caching's unrestricted pages
        return True
    return all(restriction.accept_request(viewer) for restriction in restrictions)


def is_published(consultation: ConsultationPage, now: datetime.datetime | None = None) -> bool:
    """Live and not expired."""
    now = now or timezone.now()
    if not consultation.live or consultation.expired:
        return False
    return consultation.expire_at is None or consultation.expire_at > now


def consultation_visible(who, consultation: ConsultationPage | None) -> bool:
    """The rule, for one consultation (see the module's docstring)."""
    if consultation is None:
        return False
    viewer = Viewer.of(who)
    if is_facilitator_of(viewer.user, consultation):
        return True
    if not is_published(consultation):
        return False
    return restrictions_pass(viewer, consultation.get_view_restrictions())


def refused_paths(who) -> list[str]:
    """Tree paths of the pages whose view restriction does not accept this viewer (their
    descendants are refused too). View restrictions are few: one query, plus one per groups
    restriction."""
    viewer = Viewer.of(who)
    restrictions = PageViewRestriction.objects.select_related("page").order_by("pk")
    return [r.page.path for r in restrictions if not r.accept_request(viewer)]


def may_moderate_some(user) -> bool:
    """Cheap pre-check: only superusers and facilitators moderate anything."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_role(Role.FACILITATOR)
