"""What people contribute: proposals (with the queryset that counts their supports and
comments), budget ballots, votes, in-person tallies, comments and likes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationPage
from consultations.visibility import Viewer
from proposals.models.choices import (
    CommentVisibility,
    ProposalKind,
    ProposalStatus,
    Source,
    Visibility,
)


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility=Visibility.PUBLISHED)

    def visible_to(self, who):
        """What this viewer sees in full (``proposals.visibility``, as a query): in a
        consultation visible to them, published or withdrawn, or their own, or moderated by
        them. ``who``: a request, a Channels scope, a user or None."""
        viewer = Viewer.of(who)
        user = viewer.user
        shown = Q(visibility__in=[Visibility.PUBLISHED, Visibility.WITHDRAWN])
        if user.is_authenticated:
            shown |= Q(author=user)
        moderated = ConsultationPage.objects.moderated_by(user).values("pk")
        return self.filter(
            shown | Q(consultation__in=moderated),
            consultation__in=ConsultationPage.objects.visible_to(viewer).values("pk"),
        )

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


def written_language() -> str:
    """The language of the site the person is reading as they write (``/en/…`` or not): what
    they write stays in it, shown with its ``lang`` (content is never machine-translated)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


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
    language = models.CharField(
        _("lingua"), max_length=8, choices=settings.LANGUAGES, default=written_language
    )
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
    language = models.CharField(
        _("lingua"), max_length=8, choices=settings.LANGUAGES, default=written_language
    )
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
