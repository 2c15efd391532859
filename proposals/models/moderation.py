"""What moderation records: reports, the public status history and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models.choices import ModerationVerb, ProposalStatus, ReportReason
from proposals.models.participation import Comment, Proposal


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
    counts = models.BooleanField(
        _("conta per la verifica prioritaria"),
        default=False,
        help_text=_(
            "Vero se chi ha segnalato, in quel momento, poteva partecipare alla consultazione "
            "e aveva un account verificato e non nuovo."
        ),
    )

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
