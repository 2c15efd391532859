"""Live workshops: a session with a join code, its activities, the answers and ideas.

A session hangs off any Wagtail page (a consultation or an action page). People join by
code without an account (a random device token in a signed cookie) or logged in; each device
or person answers an activity once, enforced by a unique constraint. A session left running
ends by itself ``LIVE_SESSION_MAX_HOURS`` after it started (``workshops/expiry.py``).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B: letters and digits that are easy to read aloud.
JOIN_CODE_ALPHABET = "ACEFHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6


def session_lifetime() -> timedelta:
    """How long a session may stay open: past it, it is over (the one expiry rule)."""
    return timedelta(hours=settings.LIVE_SESSION_MAX_HOURS)


class LiveSessionQuerySet(models.QuerySet):
    def running(self, now=None):
        """Open and not past their lifetime: the sessions whose code works."""
        cutoff = (now or timezone.now()) - session_lifetime()
        return self.filter(status=LiveSession.Status.OPEN, created_at__gt=cutoff)

    def overdue(self, now=None):
        """Still marked open but past their lifetime: to be ended (``workshops/expiry.py``)."""
        cutoff = (now or timezone.now()) - session_lifetime()
        return self.filter(status=LiveSession.Status.OPEN, created_at__lte=cutoff)


class LiveSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Aperta")
        CLOSED = "closed", _("Chiusa")

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="live_sessions",
        verbose_name=_("pagina"),
    )
    title = models.CharField(_("titolo"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="facilitated_live_sessions",
        verbose_name=_("facilitatore/trice"),
    )
    code = models.CharField(_("codice di accesso"), max_length=JOIN_CODE_LENGTH)
    # Where the workshop takes place: its admissions count there in the territorial statistics
    # (equity); empty for an online workshop or when the facilitator did not say.
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune in cui si svolge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    current_activity = models.ForeignKey(
        "live.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attività mostrata"),
    )
    # The secret of the projector link (/laboratori/schermo/<token>/) for a classroom computer
    # without a login; empty means no link. Regenerating it revokes the old link.
    projector_token = models.CharField(
        _("chiave del collegamento allo schermo"), max_length=64, blank=True, default=""
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("laboratorio dal vivo")
        verbose_name_plural = _("laboratori dal vivo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="open"),
                name="live_session_code_unique_among_open",
            ),
            models.UniqueConstraint(
                fields=["projector_token"],
                condition=~Q(projector_token=""),
                name="live_session_projector_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def expires_at(self):
        return (self.created_at or timezone.now()) + session_lifetime()

    @property
    def is_open(self) -> bool:
        """Open and not past its lifetime: an overdue session is over even before the
        periodic task marks it closed."""
        return self.status == self.Status.OPEN and timezone.now() < self.expires_at


class Activity(models.Model):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Scelta singola")
        MULTIPLE_CHOICE = "multiple_choice", _("Scelta multipla")
        SCALE_1_5 = "scale_1_5", _("Scala da 1 a 5")
        IDEAS = "ideas", _("Raccolta di idee")
        RANKING = "ranking", _("Classifica")
        CONVERSATION = "conversation", _("Conversazione (mappa delle opinioni)")

    class State(models.TextChoices):
        DRAFT = "draft", _("In preparazione")
        OPEN = "open", _("Aperta")
        CLOSED = "closed", _("Chiusa")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveIntegerField(_("ordine"))
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    prompt = models.CharField(_("domanda"), max_length=300)
    options = models.JSONField(_("opzioni"), default=list, blank=True)
    state = models.CharField(_("stato"), max_length=10, choices=State.choices, default=State.DRAFT)
    results_visible = models.BooleanField(_("risultati mostrati"), default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A conversation activity: the consultation's conversation the phones vote in
    # (workshops.live_conversations).
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="live_activities",
        verbose_name=_("conversazione"),
    )

    class Meta:
        verbose_name = _("attività")
        verbose_name_plural = _("attività")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="live_activity_order_unique")
        ]

    def __str__(self) -> str:
        return self.prompt

    @property
    def has_options(self) -> bool:
        return self.kind in {self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE, self.Kind.RANKING}

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Idea(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ideas")
    text = models.CharField(_("idea"), max_length=280)
    approved = models.BooleanField(_("approvata"), default=False)
    participant_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_ideas",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposta creata dall'idea"),
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("idee")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """One per device or person per activity: ``participant_key`` is a device token or u<id>."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="answers")
    participant_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_answers",
    )
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risposta")
        verbose_name_plural = _("risposte")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant_key"], name="live_one_answer_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.value}"


class Admission(models.Model):
    """A device or person let into an open session: the unit of the per-session and
    per-network bounds. ``network`` is a keyed hash of the client's network, salted with the
    session, so it links nobody across sessions; it is emptied when the session closes."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="admissions")
    participant_key = models.CharField(max_length=40)
    network = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ingresso")
        verbose_name_plural = _("ingressi")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant_key"], name="live_one_admission_per_participant"
            )
        ]
        indexes = [models.Index(fields=["session", "network"], name="live_admission_network")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.participant_key}"
