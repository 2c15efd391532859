"""The participants' side of a live workshop: joining by code and answering on a phone.

People take part without an account: a random device token in a signed cookie (no personal
data) stands for them, or their account when they are logged in. Every write is a POST handled
by a service, then a redirect: everything works without JavaScript. ``?fragment=1`` returns only
the part of the page that live.js refreshes.

Join codes are short, so guessing them is throttled per client (``CODE_GUESSES``: codes that
match no session, counted per network in a sliding window); a device the session already let in
is never throttled on its own session. Each new device is admitted by the service, within the
per-session and per-network bounds (``admissions.session_admit``).
"""

import re
import secrets

import qrcode
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from qrcode.image.svg import SvgPathImage

from core.errors import REFUSALS, message_refusal, refusal_message
from core.ids import parse_id
from core.ratelimit import SlidingWindow, client_network
from workshops import conversation_reads, selectors, services
from workshops.devices import DEVICE_COOKIE, DEVICE_MAX_AGE, DEVICE_SALT, device_token
from workshops.forms import IdeaForm, JoinForm, answer_form_for
from workshops.models import Activity, Answer, Idea, LiveSession
from workshops.services import Participant
from workshops.views.common import is_fragment, refuse

# Wrong codes one network may try: 40 in 10 minutes lets a class mistype plenty, while a guess
# among the 85 million codes would take a network thousands of years (docs/permissions.md).
CODE_GUESSES = SlidingWindow("live-code", limit=40, seconds=600)


class TooManyGuesses(Exception):
    """The client tried too many codes that match no workshop."""


def _participant(request) -> tuple[Participant, str | None]:
    """The person (logged in) or the device (a random token, no personal data)."""
    if request.user.is_authenticated:
        return Participant(key=f"u{request.user.pk}", user=request.user), None
    token = device_token(request.COOKIES)
    new_token = None
    if token is None:
        token = new_token = secrets.token_urlsafe(16)
    return Participant(key=f"d{token}"), new_token


def _session_for_code(request, code: str, participant: Participant | None = None):
    """The open session with ``code``, None if there is none; raises TooManyGuesses when the
    client is throttled (unless this device is already in that session)."""
    session = selectors.session_open_by_code(code=selectors.normalise_code(code))
    if (
        session is not None
        and participant is not None
        and services.is_admitted(session=session, participant=participant)
    ):
        return session
    network = client_network(request)
    if CODE_GUESSES.exceeded(network):
        raise TooManyGuesses
    if (
        session is None
        and not LiveSession.objects.filter(code=selectors.normalise_code(code)).exists()
    ):
        CODE_GUESSES.hit(network)  # ended sessions' codes are not guesses
    return session


def _too_many_guesses(request):
    return refuse(request, _too_many_message(), status=429)


def _too_many_message() -> str:
    return _(
        "Troppi codici sbagliati da questa rete: aspetta qualche minuto e riprova, oppure "
        "inquadra il codice QR sullo schermo della sala."
    )


def _remember_device(request, response, token: str | None):
    if token:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            token,
            salt=DEVICE_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_GET
def join(request):
    form = JoinForm(request.GET if "code" in request.GET else None)
    status = 200
    if form.is_bound and form.is_valid():
        code = selectors.normalise_code(form.cleaned_data["code"])
        try:
            session = _session_for_code(request, code)
        except TooManyGuesses:
            form.add_error("code", _too_many_message())
            status = 429
        else:
            if session is not None:
                return redirect("live:participate", code=session.code)
            form.add_error("code", _unknown_code_message(code))
    sessions = []
    if request.user.is_authenticated:
        sessions = list(
            LiveSession.objects.filter(facilitator=request.user).select_related("page")[:20]
        )
    return render(request, "live/join.html", {"form": form, "my_sessions": sessions}, status=status)


def _unknown_code_message(code: str) -> str:
    if LiveSession.objects.filter(code=code).exists():  # none running: it ended or expired
        return _("Il laboratorio con questo codice è terminato: il codice non vale più.")
    return _(
        "Nessun laboratorio aperto con questo codice. Controlla le lettere sullo "
        "schermo della sala e riprova."
    )


def _participate_context(request, session: LiveSession, participant: Participant) -> dict:
    activity = session.current_activity
    context: dict = {"session": session, "activity": activity, "state": None}
    if activity is not None:
        state = selectors.session_public_state(session)
        context["state"] = state
        context["results"] = state["activity"]["results"]
        context["answered"] = Answer.objects.filter(
            activity=activity, participant_key=participant.key
        ).exists()
        if conversation_reads.is_conversation(activity):  # the map is on the projector
            context.update(conversation_reads.phone_context(activity, participant.key))
            context["results"] = None
        elif activity.kind == Activity.Kind.IDEAS:
            context["my_ideas"] = list(
                Idea.objects.filter(activity=activity, participant_key=participant.key)
            )
            context["ideas_left"] = services.MAX_IDEAS_PER_PARTICIPANT - len(context["my_ideas"])
            context["form"] = IdeaForm()
        else:
            context["form"] = answer_form_for(activity)
    return context


@never_cache
@require_GET
def participate(request, code: str):
    normal = selectors.normalise_code(code)
    if normal != code:
        return redirect("live:participate", code=normal)
    participant, token = _participant(request)
    try:
        session = _session_for_code(request, code, participant)
    except TooManyGuesses:
        return _too_many_guesses(request)
    if session is None:
        ended = LiveSession.objects.filter(code=code).order_by("-created_at").first()
        return render(request, "live/not_found.html", {"ended": ended, "code": code}, status=404)
    try:
        services.session_admit(
            session=session, participant=participant, network=client_network(request)
        )
    except REFUSALS as error:
        return refuse(request, refusal_message(error))
    context = _participate_context(request, session, participant)
    template = (
        "live/includes/participate_region.html" if is_fragment(request) else "live/participate.html"
    )
    return _remember_device(request, render(request, template, context), token)


def _open_activity(request, code: str, activity_pk, participant) -> Activity | None:
    session = _session_for_code(request, code, participant)
    pk = parse_id(activity_pk)
    if session is None or pk is None:
        return None
    return Activity.objects.select_related("session").filter(pk=pk, session=session).first()


def _activity_gone(request, code: str):
    """The session closed (or the activity is not in it) while the phone was on the page."""
    messages.error(request, _("Questa attività non è più disponibile."))
    return redirect("live:participate", code=selectors.normalise_code(code))


@require_POST
def answer(request, code: str, activity_pk: str):
    participant, token = _participant(request)
    try:
        activity = _open_activity(request, code, activity_pk, participant)
    except TooManyGuesses:
        return _too_many_guesses(request)
    if activity is None:
        return _activity_gone(request, code)
    form = answer_form_for(activity, request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli una risposta tra quelle proposte prima di inviare."))
    else:
        try:
            services.answer_submit(
                activity=activity,
                participant=participant,
                value=form.value(),
                network=client_network(request),
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Risposta registrata, grazie!"))
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


@require_POST
def idea(request, code: str, activity_pk: str):
    participant, token = _participant(request)
    try:
        activity = _open_activity(request, code, activity_pk, participant)
    except TooManyGuesses:
        return _too_many_guesses(request)
    if activity is None:
        return _activity_gone(request, code)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi un'idea di al massimo 280 caratteri."))
    else:
        try:
            services.idea_submit(
                activity=activity,
                participant=participant,
                text=form.cleaned_data["text"],
                network=client_network(request),
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(
                request, _("Idea inviata! Comparirà sullo schermo quando sarà approvata.")
            )
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


def qr_svg(request, session: LiveSession) -> str:
    """The QR code of the session's phone page, as SVG markup (no XML declaration)."""
    url = request.build_absolute_uri(reverse("live:participate", kwargs={"code": session.code}))
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=12, border=2)
    markup = image.to_string(encoding="unicode")
    markup = markup[markup.find("<svg") :]
    return re.sub(r'width="[^"]*" height="[^"]*"', 'width="240" height="240"', markup, count=1)


@require_GET
def qr_code(request, code: str):
    try:
        session = _session_for_code(request, code)
    except TooManyGuesses:
        return HttpResponse(_too_many_message(), status=429, content_type="text/plain")
    if session is None:
        raise Http404
    response = HttpResponse(qr_svg(request, session), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response
