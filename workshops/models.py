"""Live workshops: a session with a join code, its activities, the answers and ideas.

A session hangs off any Wagtail page (a consultation or an action page). People join by
code without an account (a random device token in a signed cookie) or logged in; each device
or person answers an activity once, enforced by a unique constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# No 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B: letters and digits that are easy to read aloud.
JOIN_CODE_ALPHABET = "ACEFHJKMNPRTUVWXY3479"
JOIN_CODE_LENGTH = 6


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
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)

    class Meta:
        verbose_name = _("laboratorio dal vivo")
        verbose_name_plural = _("laboratori dal vivo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="open"),
                name="live_session_code_unique_among_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Activity(models.Model):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Scelta singola")
        MULTIPLE_CHOICE = "multiple_choice", _("Scelta multipla")
        SCALE_1_5 = "scale_1_5", _("Scala da 1 a 5")
        IDEAS = "ideas", _("Raccolta di idee")
        RANKING = "ranking", _("Classifica")

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
