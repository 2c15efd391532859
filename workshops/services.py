"""Every write of the live workshops, with its permission check.

Writes come over HTTP; after the commit the new state goes to the session's WebSocket groups
(``group_name("live", pk)`` for projector and phones, ``group_name("live.console", pk)`` for the
facilitator). If the channel layer is down nothing raises: the answer is saved anyway.
"""

import hmac
import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from proposals.models import Proposal, ProposalKind, Source, Visibility
from realtime.broadcast import group_name
from workshops.admissions import (  # noqa: F401 - part of this module's API
    Participant,
    admission_error,
    is_admitted,
    session_admit,
)
from workshops.announce import announce as _announce
from workshops.announce import announce_burst as _announce_burst
from workshops.announce import send_state as _send_state
from workshops.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Activity,
    Answer,
    Idea,
    LiveSession,
)

MAX_IDEAS_PER_PARTICIPANT = 3
MAX_OPTIONS = 10

PROJECTOR_TOKEN_BYTES = 32


# --------------------------------------------------------------------------- permissions


def can_create_session(*, user, page) -> bool:
    return user.has_perm("live.create_session", page)


def can_facilitate(*, user, session: LiveSession) -> bool:
    return user.has_perm("live.facilitate_session", session)


def _require_facilitator(user, session: LiveSession) -> None:
    if not can_facilitate(user=user, session=session):
        raise PermissionDenied(
            _("Solo chi conduce questo laboratorio (o la redazione della pagina) può farlo.")
        )


# --------------------------------------------------------------------------- sessions


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _i in range(JOIN_CODE_LENGTH))


def new_projector_token() -> str:
    return secrets.token_urlsafe(PROJECTOR_TOKEN_BYTES)


def session_create(*, page, facilitator, title: str, comune=None) -> LiveSession:
    if not can_create_session(user=facilitator, page=page):
        raise PermissionDenied(
            _("Per aprire un laboratorio serve il ruolo di facilitatore/trice su questa pagina.")
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Scrivi un titolo per il laboratorio."))
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return LiveSession.objects.create(
                    page=page,
                    facilitator=facilitator,
                    title=title[:200],
                    comune=comune,
                    code=new_join_code(),
                    projector_token=new_projector_token(),
                )
        except IntegrityError:  # the code is taken by another open session: draw again
            continue
    raise ValidationError(_("Non è stato possibile generare un codice libero: riprova."))


def session_close(*, session: LiveSession, actor) -> LiveSession:
    _require_facilitator(actor, session)
    return session_end(session=session)


@transaction.atomic
def session_end(*, session: LiveSession) -> LiveSession:
    """The one way a session ends, closed by who conducts it or past its lifetime
    (``workshops/expiry.py``): open activities close, the code stops working, the network
    hashes go, screens and phones hear it. No permission check: callers make it."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if session.status != LiveSession.Status.OPEN:
        return session
    now = min(timezone.now(), session.expires_at)  # an overdue session ended at its expiry
    session.activities.filter(state=Activity.State.OPEN).update(
        state=Activity.State.CLOSED, closed_at=now
    )
    session.status = LiveSession.Status.CLOSED
    session.closed_at = now
    session.save(update_fields=["status", "closed_at"])
    # the bounds only matter while the session is open: the network hashes go now
    session.admissions.exclude(network="").update(network="")
    _announce(session)
    return session


@transaction.atomic
def projector_link_renew(*, session: LiveSession, actor) -> LiveSession:
    """A new secret projector link; the old one stops working, its open screens disconnect."""
    _require_facilitator(actor, session)
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    session.projector_token = new_projector_token()
    session.save(update_fields=["projector_token"])
    session_id = session.pk
    transaction.on_commit(lambda: _revoke_screens(session_id), robust=True)
    return session


def _revoke_screens(session_id: int) -> None:
    """Close the sockets opened with a projector link (they reconnect only with the new one)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group_name("live.screen", session_id), {"type": "screen.revoked"}
        )
    except Exception:  # best effort, like every live message: the link is revoked anyway
        return


def session_by_projector_token(token: str) -> LiveSession | None:
    """The session whose projector link carries ``token`` (None for anything else)."""
    if not isinstance(token, str) or len(token) < 32 or len(token) > 64:
        return None
    return (
        LiveSession.objects.select_related("page", "current_activity")
        .filter(projector_token=token)
        .first()
    )


def may_watch(*, session: LiveSession, user, participant_key: str | None, token: str) -> bool:
    """Who may follow a session's live state: who conducts it, the projector link, and the
    devices and people it admitted."""
    if user is not None and user.is_authenticated and can_facilitate(user=user, session=session):
        return True
    if token and session.projector_token and hmac.compare_digest(token, session.projector_token):
        return True
    keys = [participant_key] if participant_key else []
    if user is not None and user.is_authenticated:
        keys.append(f"u{user.pk}")
    return bool(keys) and session.admissions.filter(participant_key__in=keys).exists()


# --------------------------------------------------------------------------- activities


def _clean_options(kind: str, options: list[str]) -> list[str]:
    options = [str(option).strip()[:120] for option in options or [] if str(option).strip()]
    if kind in {Activity.Kind.SINGLE_CHOICE, Activity.Kind.MULTIPLE_CHOICE, Activity.Kind.RANKING}:
        if len(options) < 2:
            raise ValidationError(_("Servono almeno due opzioni, una per riga."))
        if len(options) > MAX_OPTIONS:
            raise ValidationError(_("Al massimo %(n)d opzioni.") % {"n": MAX_OPTIONS})
        if len(set(options)) != len(options):
            raise ValidationError(_("Le opzioni devono essere diverse tra loro."))
        return options
    return []


@transaction.atomic
def activity_add(
    *, session: LiveSession, actor, kind: str, prompt: str, options: list[str] | None = None
) -> Activity:
    _require_facilitator(actor, session)
    if kind == Activity.Kind.CONVERSATION:  # a conversation of the consultation, seeded
        from workshops.conversation_activity import activity_add_conversation  # noqa: PLC0415

        return activity_add_conversation(
            session=session, actor=actor, prompt=prompt, statements=options
        )
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise ValidationError(_("Il laboratorio è chiuso."))
    if kind not in Activity.Kind.values:
        raise ValidationError(_("Tipo di attività non valido."))
    prompt = (prompt or "").strip()
    if not prompt:
        raise ValidationError(_("Scrivi la domanda."))
    last = session.activities.order_by("-order").values_list("order", flat=True).first() or 0
    activity = Activity.objects.create(
        session=session,
        order=last + 1,
        kind=kind,
        prompt=prompt[:300],
        options=_clean_options(kind, options or []),
    )
    _announce(session)
    return activity


def _locked(activity: Activity) -> tuple[LiveSession, Activity]:
    session = LiveSession.objects.select_for_update().get(pk=activity.session_id)
    return session, Activity.objects.get(pk=activity.pk)


@transaction.atomic
def activity_open(*, activity: Activity, actor) -> Activity:
    """Start an activity (and show it): any other open activity of the session closes."""
    _require_facilitator(actor, activity.session)
    session, activity = _locked(activity)
    if not session.is_open:
        raise ValidationError(_("Il laboratorio è chiuso."))
    now = timezone.now()
    session.activities.filter(state=Activity.State.OPEN).exclude(pk=activity.pk).update(
        state=Activity.State.CLOSED, closed_at=now
    )
    activity.state = Activity.State.OPEN
    activity.opened_at = activity.opened_at or now
    activity.closed_at = None
    activity.save(update_fields=["state", "opened_at", "closed_at"])
    session.current_activity = activity
    session.save(update_fields=["current_activity"])
    _announce(session)
    return activity


@transaction.atomic
def activity_close(*, activity: Activity, actor) -> Activity:
    _require_facilitator(actor, activity.session)
    session, activity = _locked(activity)
    if activity.state == Activity.State.OPEN:
        activity.state = Activity.State.CLOSED
        activity.closed_at = timezone.now()
        activity.save(update_fields=["state", "closed_at"])
        _announce(session)
    return activity


@transaction.atomic
def activity_show(*, activity: Activity, actor) -> Activity:
    """Put an activity (e.g. a closed one, to discuss its results) on the projector."""
    _require_facilitator(actor, activity.session)
    session, activity = _locked(activity)
    session.current_activity = activity
    session.save(update_fields=["current_activity"])
    _announce(session)
    return activity


@transaction.atomic
def activity_set_results_visible(*, activity: Activity, actor, visible: bool) -> Activity:
    _require_facilitator(actor, activity.session)
    session, activity = _locked(activity)
    activity.results_visible = visible
    activity.save(update_fields=["results_visible"])
    _announce(session)
    return activity


@transaction.atomic
def session_next(*, session: LiveSession, actor) -> Activity | None:
    """Close the activity on screen and open the next one in order (None at the end)."""
    _require_facilitator(actor, session)
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise ValidationError(_("Il laboratorio è chiuso."))
    current = session.current_activity
    after = current.order if current else 0
    following = session.activities.filter(order__gt=after).order_by("order").first()
    if following is None:
        if current is not None and current.is_open:
            activity_close(activity=current, actor=actor)
        return None
    return activity_open(activity=following, actor=actor)


# --------------------------------------------------------------------------- participation


def _validate_value(activity: Activity, value):  # noqa: C901 - one branch per kind
    size = len(activity.options or [])
    kind = activity.kind
    try:
        if kind == Activity.Kind.SINGLE_CHOICE:
            index = int(value)
            if 0 <= index < size:
                return index
            raise ValueError
        if kind == Activity.Kind.MULTIPLE_CHOICE:
            indexes = sorted({int(v) for v in value})
            if not indexes:
                raise ValidationError(_("Scegli almeno un'opzione."))
            if all(0 <= index < size for index in indexes):
                return indexes
            raise ValueError
        if kind == Activity.Kind.SCALE_1_5:
            number = int(value)
            if 1 <= number <= 5:
                return number
            raise ValueError
        if kind == Activity.Kind.RANKING:
            order = [int(v) for v in value]
            if sorted(order) == list(range(size)):
                return order
            raise ValidationError(
                _("Metti ogni opzione in una posizione diversa: ogni posizione una volta sola.")
            )
    except (TypeError, ValueError):
        pass
    raise ValidationError(_("Risposta non valida: scegli una delle opzioni proposte."))


def _check_open(activity: Activity) -> None:
    if not activity.session.is_open:
        raise ValidationError(_("Il laboratorio è chiuso: grazie per aver partecipato!"))
    if not activity.is_open:
        raise ValidationError(_("Questa attività non è aperta: aspetta il via di chi conduce."))


@transaction.atomic
def answer_submit(
    *, activity: Activity, participant: Participant, value, network: str = ""
) -> Answer:
    """Record one answer per device or person; a second one is refused (database constraint).
    A device not yet admitted to the session is admitted first, within the bounds."""
    activity = Activity.objects.select_related("session").get(pk=activity.pk)
    _check_open(activity)
    session_admit(session=activity.session, participant=participant, network=network)
    if activity.kind == Activity.Kind.IDEAS:
        raise ValidationError(_("In questa attività si propongono idee, non si vota."))
    clean = _validate_value(activity, value)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                activity=activity,
                participant_key=participant.key,
                user=participant.user,
                value=clean,
            )
    except IntegrityError:
        raise ValidationError(
            _("Hai già risposto a questa domanda: si risponde una volta sola.")
        ) from None
    _announce_burst(activity.session)
    return answer


@transaction.atomic
def idea_submit(
    *, activity: Activity, participant: Participant, text: str, network: str = ""
) -> Idea:
    activity = Activity.objects.select_related("session").get(pk=activity.pk)
    _check_open(activity)
    session_admit(session=activity.session, participant=participant, network=network)
    if activity.kind != Activity.Kind.IDEAS:
        raise ValidationError(_("Questa attività non raccoglie idee."))
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Scrivi la tua idea prima di inviarla."))
    if len(text) > 280:
        raise ValidationError(_("L'idea è troppo lunga: al massimo 280 caratteri."))
    sent = activity.ideas.filter(participant_key=participant.key).count()
    if sent >= MAX_IDEAS_PER_PARTICIPANT:
        raise ValidationError(
            _("Hai già inviato %(n)d idee per questa attività: è il massimo.")
            % {"n": MAX_IDEAS_PER_PARTICIPANT}
        )
    idea = Idea.objects.create(
        activity=activity, text=text, participant_key=participant.key, user=participant.user
    )
    _announce_burst(activity.session)
    return idea


@transaction.atomic
def idea_set_approved(*, idea: Idea, actor, approved: bool) -> Idea:
    session = idea.activity.session
    _require_facilitator(actor, session)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    idea.approved = approved
    idea.save(update_fields=["approved"])
    _announce(session)
    return idea


# --------------------------------------------------------------------------- ideas → proposals


def ideas_can_become_proposals(*, session: LiveSession) -> bool:
    """Ideas can become proposals when the session hangs off a consultation page."""
    return _consultation_of(session) is not None


def _consultation_of(session: LiveSession) -> ConsultationPage | None:
    page = session.page.specific
    return page if isinstance(page, ConsultationPage) else None


@transaction.atomic
def session_ideas_to_proposals(*, session: LiveSession, actor) -> list:
    """Turn every approved idea of the session into a published proposal, once.

    Proposals are marked ``source="in_person"`` with the session's date, and their title starts
    with "Dal laboratorio del <data>". Ideas already turned into proposals are skipped.
    """
    _require_facilitator(actor, session)
    consultation = _consultation_of(session)
    if consultation is None:
        raise ValidationError(
            _("Questo laboratorio non è collegato a una consultazione: le idee restano qui.")
        )
    if not actor.has_perm("consultations.moderate", consultation):  # where proposals appear
        raise PermissionDenied(
            _("Solo chi modera questa consultazione può pubblicarvi proposte dal laboratorio.")
        )
    day = timezone.localtime(session.created_at).date()
    prefix = _("Dal laboratorio del %(date)s: ") % {"date": day.strftime("%d/%m/%Y")}
    now = timezone.now()
    created = []
    ideas = Idea.objects.select_for_update().filter(
        activity__session=session, approved=True, proposal__isnull=True
    )
    for item in ideas.order_by("pk"):
        title = prefix + item.text
        if len(title) > 140:
            title = title[:139].rstrip() + "…"
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=None,
            kind=ProposalKind.PROPOSAL,
            title=title,
            body=item.text
            + "\n\n"
            + _("Idea emersa nel laboratorio «%(title)s» del %(date)s.")
            % {"title": session.title, "date": day.strftime("%d/%m/%Y")},
            visibility=Visibility.PUBLISHED,
            published_at=now,
            source=Source.IN_PERSON,
            in_person_date=day,
        )
        item.proposal = proposal
        item.save(update_fields=["proposal"])
        created.append(proposal)
    return created


# --------------------------------------------------------------------------- for activity modules

# The kinds written in their own modules (workshops.conversation_activity) share these steps.
require_facilitator = _require_facilitator
announce = _announce
announce_burst = _announce_burst
send_state = _send_state
check_open = _check_open
consultation_of = _consultation_of
