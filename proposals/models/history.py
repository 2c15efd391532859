"""What stays of earlier states: the versions of proposals and comments kept at every
edit, and the results frozen at publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models.choices import VersionState
from proposals.models.participation import Comment, Proposal


class ProposalVersion(models.Model):
    """One version of a proposal's content, kept at every edit so moderators can compare.

    The first edit also keeps the text as it was before (the original). In a premoderated
    consultation an edit of a published proposal waits here (``PENDING``) while the proposal
    keeps its approved text; approval copies the version onto the proposal.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    state = models.CharField(
        _("stato"), max_length=10, choices=VersionState.choices, default=VersionState.APPLIED
    )
    title = models.CharField(_("titolo"), max_length=140)
    body = models.TextField(_("testo"))
    category = models.ForeignKey(
        "consultations.Category",
        verbose_name=_("categoria"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    image = models.CharField(_("immagine (file)"), max_length=255, blank=True)
    image_upload = models.ForeignKey(
        "proposals.ImageUpload",
        verbose_name=_("immagine in elaborazione"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cost = models.DecimalField(
        _("costo stimato (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amended_text = models.TextField(_("testo proposto per l'azione"), blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modificata da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creata il"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("verificata il"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verificata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("versione di una proposta")
        verbose_name_plural = _("versioni delle proposte")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(state="pending"),
                name="one_pending_version_per_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class CommentVersion(models.Model):
    """One version of a comment's text, kept at every edit by its author (the first edit
    also keeps the original)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField(_("commento"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modificato da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("versione di un commento")
        verbose_name_plural = _("versioni dei commenti")

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ResultsSnapshot(models.Model):
    """The ranking and totals of a consultation as published, frozen once the results are public
    and no vote is open any more (see ``proposals.results.ranking``): a proposal withdrawn
    afterwards stays in it, with a note, and the totals do not move."""

    consultation = models.OneToOneField(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="results_snapshot",
        verbose_name=_("consultazione"),
    )
    taken_at = models.DateTimeField(_("fissati il"), default=timezone.now)
    data = models.JSONField(_("risultati pubblicati"))

    class Meta:
        verbose_name = _("risultati pubblicati")
        verbose_name_plural = _("risultati pubblicati")

    def __str__(self) -> str:
        return f"{self.consultation_id} @ {self.taken_at:%Y-%m-%d}"
