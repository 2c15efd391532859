"""Conversations: a question, short statements and agree / disagree / pass votes on them, and
the opinion groups computed from those votes (stored as snapshots by a Celery task).

A conversation belongs to a consultation page (its phases, eligibility and moderators). A vote
belongs to a *participant key*: ``u<user id>`` for a signed-in person, the device key of a
live workshop phone otherwise, so online and workshop votes share one matrix and one
constraint (one vote per participant per statement; changing it updates the row).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

STATEMENT_MAX = 140
#: Votes a participant gives before being placed on the opinion map (Pol.is uses 7).
MIN_VOTES_DEFAULT = 7


def _new_seed() -> int:
    return secrets.randbelow(2**31)


def user_key(user) -> str:
    """The participant key of a signed-in person."""
    return f"u{user.pk}"


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("In attesa di moderazione")
    PUBLISHED = "published", _("Pubblicata")
    HIDDEN = "hidden", _("Nascosta da chi modera")


class Choice(models.IntegerChoices):
    AGREE = 1, _("D'accordo")
    DISAGREE = -1, _("In disaccordo")
    PASS = 0, _("Passo")


class Conversation(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("consultazione"),
    )
    question = models.CharField(_("domanda"), max_length=300)
    description = models.TextField(_("descrizione"), blank=True)
    participants_write = models.BooleanField(
        _("le persone partecipanti scrivono affermazioni"), default=True
    )
    min_votes = models.PositiveSmallIntegerField(
        _("voti prima di comparire sulla mappa"), default=MIN_VOTES_DEFAULT
    )
    #: Seeds the order in which statements are offered (deterministic given the seed).
    seed = models.PositiveIntegerField(default=_new_seed, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creata da"),
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversazione")
        verbose_name_plural = _("conversazioni")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.question


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=StatementStatus.PUBLISHED)

    def annotate_vote_counts(self):
        return self.annotate(
            agree_count=Count("votes", filter=Q(votes__choice=Choice.AGREE)),
            disagree_count=Count("votes", filter=Q(votes__choice=Choice.DISAGREE)),
            pass_count=Count("votes", filter=Q(votes__choice=Choice.PASS)),
        )


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("affermazione"), max_length=STATEMENT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_statements",
        verbose_name=_("autore/autrice"),
    )
    #: Written by the facilitators to start the conversation.
    is_seed = models.BooleanField(_("di partenza"), default=False)
    status = models.CharField(
        _("stato"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    created_at = models.DateTimeField(_("scritta il"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderata il"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderata da"),
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("affermazione")
        verbose_name_plural = _("affermazioni")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "status"], name="statement_conv_status")]

    def __str__(self) -> str:
        return self.text


class StatementVote(models.Model):
    """One per participant per statement (database constraint); a changed vote updates it."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="votes", editable=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statement_votes",
    )
    choice = models.SmallIntegerField(_("voto"), choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voto su un'affermazione")
        verbose_name_plural = _("voti sulle affermazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant_key"], name="conversation_one_vote_per_statement"
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "participant_key"], name="statement_vote_voter")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.choice}"


class OpinionSnapshot(models.Model):
    """The opinion groups computed from the votes at one moment (``conversations.analysis``):
    ``data`` holds the groups, the map's points, representative, consensus and divisive
    statements, as :func:`conversations.analysis.report.build_report` shapes them."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="snapshots"
    )
    computed_at = models.DateTimeField(auto_now_add=True)
    #: When the latest vote seen was cast or changed: a newer vote makes the snapshot stale.
    votes_seen_at = models.DateTimeField(null=True, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    participants_count = models.PositiveIntegerField(default=0)
    placed_count = models.PositiveIntegerField(default=0)
    groups_count = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("mappa delle opinioni")
        verbose_name_plural = _("mappe delle opinioni")
        get_latest_by = "computed_at"
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"
