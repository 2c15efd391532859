"""What people contribute to a consultation: proposals, votes, comments, reports.

Plain rows with ordinary foreign keys; every write goes through ``proposals.services``
(participants) or ``proposals.moderation`` (facilitators).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposta")
    AMENDMENT = "amendment", _("Emendamento a un'azione")


class Visibility(models.TextChoices):
    PENDING = "pending", _("In attesa di verifica")
    PUBLISHED = "published", _("Pubblicata")
    HIDDEN = "hidden", _("Nascosta da chi modera")
    WITHDRAWN = "withdrawn", _("Ritirata")


class ProposalStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In valutazione")
    ACCEPTED = "accepted", _("Accolta")
    REJECTED = "rejected", _("Non accolta")
    IMPLEMENTED = "implemented", _("Realizzata")
    MERGED = "merged", _("Unita a un'altra proposta")


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In presenza")


class CommentVisibility(models.TextChoices):
    PUBLISHED = "published", _("Pubblicato")
    HIDDEN = "hidden", _("Nascosto da chi modera")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Pubblicità o spam")
    OFFENSIVE = "offensive", _("Contenuto offensivo")
    PERSONAL_DATA = "personal_data", _("Contiene dati personali")
    OFF_TOPIC = "off_topic", _("Fuori tema")
    OTHER = "other", _("Altro")


class ModerationVerb(models.TextChoices):
    HIDE = "hide", _("Nascosto")
    RESTORE = "restore", _("Ripristinato")
    BLOCK = "block", _("Partecipante sospeso/a")
    UNBLOCK = "unblock", _("Sospensione revocata")
    ANSWER = "answer", _("Risposta ufficiale")
    STATUS = "status", _("Cambio di stato")
    OFFLINE_RECORD = "offline_record", _("Registrazione in presenza")
    AMENDMENT_ACCEPT = "amendment_accept", _("Emendamento accolto")


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility=Visibility.PUBLISHED)

    def annotate_support_count(self):
        """``support_count``: online votes plus supports recorded at in-person meetings."""
        offline = (
            OfflineTally.objects.filter(proposal=OuterRef("pk"))
            .order_by()
            .values("proposal")
            .annotate(total=Sum("supports"))
            .values("total")
        )
        online = (
            Vote.objects.filter(proposal=OuterRef("pk"))
            .order_by()
            .values("proposal")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            online_support_count=Coalesce(Subquery(online), Value(0)),
            offline_support_count=Coalesce(Subquery(offline), Value(0)),
        ).annotate(
            support_count=models.F("online_support_count") + models.F("offline_support_count")
        )

    def annotate_comment_count(self):
        counted = (
            Comment.objects.filter(
                proposal=OuterRef("pk"),
                is_deleted=False,
                visibility=CommentVisibility.PUBLISHED,
            )
            .order_by()
            .values("proposal")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(comment_count=Coalesce(Subquery(counted), Value(0)))


class Proposal(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultazione"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore/autrice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    kind = models.CharField(
        _("tipo"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.PROPOSAL
    )
    title = models.CharField(_("titolo"), max_length=140)
    body = models.TextField(_("testo"))
    category = models.ForeignKey(
        "consultations.Category",
        verbose_name=_("categoria"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    latitude = models.DecimalField(
        _("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    image = models.ImageField(_("immagine"), upload_to="proposals/", null=True, blank=True)
    cost = models.DecimalField(
        _("costo stimato (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amended_action = models.ForeignKey(
        "psm.ActionPage",
        verbose_name=_("azione da modificare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )
    amended_text = models.TextField(_("testo proposto per l'azione"), blank=True)
    visibility = models.CharField(
        _("visibilità"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    hidden_reason = models.TextField(_("motivo (pubblico)"), blank=True)
    status = models.CharField(
        _("stato"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.IN_REVIEW,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("unita a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_proposals",
    )
    answer = models.TextField(_("risposta ufficiale"), blank=True)
    answered_at = models.DateTimeField(_("risposta data il"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    in_person_date = models.DateField(_("data dell'incontro"), null=True, blank=True)
    created_at = models.DateTimeField(_("creata il"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["consultation", "visibility", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="proposal_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED

    @property
    def is_amendment(self) -> bool:
        return self.kind == ProposalKind.AMENDMENT


class BudgetBallot(models.Model):
    """One person's set of proposals in a budget vote; replaced as a whole."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="ballots"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_ballots"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scheda di bilancio")
        verbose_name_plural = _("schede di bilancio")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} @ {self.consultation_id}"


class Vote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    ballot = models.ForeignKey(
        BudgetBallot, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sostegno")
        verbose_name_plural = _("sostegni")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.proposal_id}"


class OfflineTally(models.Model):
    """Supports counted at an in-person meeting ("in presenza")."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="offline_tallies")
    supports = models.PositiveIntegerField(_("sostegni"))
    meeting_date = models.DateField(_("data dell'incontro"))
    place = models.CharField(_("luogo"), max_length=160)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conteggio in presenza")
        verbose_name_plural = _("conteggi in presenza")

    def __str__(self) -> str:
        return f"{self.supports} @ {self.place}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("commento"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=10, choices=CommentVisibility.choices, default=CommentVisibility.PUBLISHED
    )
    hidden_reason = models.TextField(_("motivo (pubblico)"), blank=True)

    class Meta:
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_visible(self) -> bool:
        return not self.is_deleted and self.visibility == CommentVisibility.PUBLISHED


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_like")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.comment_id}"


class Report(models.Model):
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reason = models.CharField(_("motivo"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("dettagli"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(comment__isnull=True))
                | (Q(proposal__isnull=True) & Q(comment__isnull=False)),
                name="report_targets_exactly_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.proposal_id or self.comment_id})"


class StatusChange(models.Model):
    """Public history of a proposal's status."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ProposalStatus.choices)
    answer = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("cambio di stato")
        verbose_name_plural = _("cambi di stato")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ModerationAction(models.Model):
    """Audit trail of what facilitators did."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationVerb.choices)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("azione di moderazione")
        verbose_name_plural = _("azioni di moderazione")

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d})"
