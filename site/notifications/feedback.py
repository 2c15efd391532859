"""Accessibility feedback (AgID's "meccanismo di feedback"): anyone, signed in or not, tells the
platform's staff that something cannot be used. It reaches the editorial team and the
administrators as a notification (and e-mail), at most a few times an hour from one network."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.ratelimit import SlidingWindow
from notifications.models import NotificationKind
from notifications.services import notify

FEEDBACK_WINDOW = SlidingWindow("accessibility-feedback", limit=5, seconds=3600)
MAX_MESSAGE = 3000


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Che cosa non riesci a usare?"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Scrivi la pagina e il problema. Se usi un lettore di schermo o un altro aiuto, dillo pure."
        ),
    )
    page_url = forms.CharField(
        label=_("Indirizzo della pagina (facoltativo)"), max_length=500, required=False
    )
    reply_to = forms.EmailField(
        label=_("La tua e-mail, se vuoi una risposta (facoltativa)"), required=False
    )


def feedback_recipients():
    """The platform's staff: administrators and the editorial team."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=Role.EDITOR), is_active=True
    ).distinct()


@transaction.atomic
def accessibility_feedback_send(
    *, message: str, page_url: str = "", reply_to: str = "", sender: User | None, client: str
) -> int:
    """Notify every staff member; the number reached. Refuses (ValidationError) an empty message,
    and more than ``FEEDBACK_WINDOW.limit`` messages an hour from one client network."""
    message = (message or "").strip()
    if not message:
        raise ValidationError(gettext("Scrivi che cosa non riesci a usare."))
    if client and FEEDBACK_WINDOW.exceeded(client):
        raise ValidationError(
            gettext(
                "Hai già inviato diverse segnalazioni: riprova tra un'ora. Grazie per la pazienza."
            )
        )
    lines = [message[:MAX_MESSAGE], ""]
    if page_url:
        lines.append(gettext("Pagina: %(url)s") % {"url": page_url[:500]})
    if reply_to:
        lines.append(gettext("Risposta a: %(email)s") % {"email": reply_to})
    if sender is not None and sender.is_authenticated:
        lines.append(gettext("Inviata da: %(name)s") % {"name": sender.public_name})
    key = f"accessibility-feedback:{uuid.uuid4().hex}"
    reached = 0
    for staff in feedback_recipients():
        if notify(
            user=staff,
            key=f"{key}:{staff.pk}",
            kind=NotificationKind.ACCESSIBILITY_FEEDBACK,
            title=gettext("Segnalazione sull'accessibilità"),
            body="\n".join(lines),
        ):
            reached += 1
    if client:
        FEEDBACK_WINDOW.hit(client)
    return reached
