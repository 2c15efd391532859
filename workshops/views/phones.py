"""The participants' side of a live workshop: joining by code and answering on a phone.

People take part without an account: a random device token in a signed cookie (no personal
data) stands for them, or their account when they are logged in. Every write is a POST handled
by a service, then a redirect: everything works without JavaScript. ``?fragment=1`` returns only
the part of the page that live.js refreshes.
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

from core.errors import REFUSALS, message_refusal
from workshops import selectors, services
from workshops.forms import IdeaForm, JoinForm, answer_form_for
from workshops.models import Activity, Answer, Idea, LiveSession
from workshops.services import Participant
from workshops.views.common import is_fragment

DEVICE_COOKIE = "psm_live_device"
DEVICE_SALT = "live.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 30
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def _participant(request) -> tuple[Participant, str | None]:
    """The person (logged in) or the device (a random token, no personal data)."""
    if request.user.is_authenticated:
        return Participant(key=f"u{request.user.pk}", user=request.user), None
    token = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    new_token = None
    if not token or not _TOKEN.match(token):
        token = new_token = secrets.token_urlsafe(16)
    return Participant(key=f"d{token}"), new_token


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
    if form.is_bound and form.is_valid():
        session = selectors.session_open_by_code(
            code=selectors.normalise_code(form.cleaned_data["code"])
        )
        if session is not None:
            return redirect("live:participate", code=session.code)
        form.add_error(
            "code",
            _(
                "Nessun laboratorio aperto con questo codice. Controlla le lettere sullo "
                "schermo della sala e riprova."
            ),
        )
    sessions = []
    if request.user.is_authenticated:
        sessions = list(
            LiveSession.objects.filter(facilitator=request.user).select_related("page")[:20]
        )
    return render(request, "live/join.html", {"form": form, "my_sessions": sessions})


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
        if activity.kind == Activity.Kind.IDEAS:
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
    session = selectors.session_open_by_code(code=code)
    if session is None:
        ended = LiveSession.objects.filter(code=code).order_by("-created_at").first()
        return render(request, "live/not_found.html", {"ended": ended, "code": code}, status=404)
    participant, token = _participant(request)
    context = _participate_context(request, session, participant)
    template = (
        "live/includes/participate_region.html" if is_fragment(request) else "live/participate.html"
    )
    return _remember_device(request, render(request, template, context), token)


def _open_activity(code: str, activity_pk) -> Activity | None:
    session = selectors.session_open_by_code(code=selectors.normalise_code(code))
    if session is None:
        return None
    return (
        Activity.objects.select_related("session").filter(pk=activity_pk, session=session).first()
    )


def _activity_gone(request, code: str):
    """The session closed (or the activity is not in it) while the phone was on the page."""
    messages.error(request, _("Questa attività non è più disponibile."))
    return redirect("live:participate", code=selectors.normalise_code(code))


@require_POST
def answer(request, code: str, activity_pk: int):
    activity = _open_activity(code, activity_pk)
    if activity is None:
        return _activity_gone(request, code)
    participant, token = _participant(request)
    form = answer_form_for(activity, request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli una risposta tra quelle proposte prima di inviare."))
    else:
        try:
            services.answer_submit(activity=activity, participant=participant, value=form.value())
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Risposta registrata, grazie!"))
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


@require_POST
def idea(request, code: str, activity_pk: int):
    activity = _open_activity(code, activity_pk)
    if activity is None:
        return _activity_gone(request, code)
    participant, token = _participant(request)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi un'idea di al massimo 280 caratteri."))
    else:
        try:
            services.idea_submit(
                activity=activity, participant=participant, text=form.cleaned_data["text"]
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(
                request, _("Idea inviata! Comparirà sullo schermo quando sarà approvata.")
            )
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)


@require_GET
def qr_code(request, code: str):
    session = selectors.session_open_by_code(code=selectors.normalise_code(code))
    if session is None:
        raise Http404
    url = request.build_absolute_uri(reverse("live:participate", kwargs={"code": session.code}))
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=12, border=2)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=600"
    return response
