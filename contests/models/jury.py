"""The jury's rows (scored through the shared engine, ``reviewing``), the public vote, the
confirmed result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import private_storage_callable


class JuryAssignment(models.Model):
    """A juror assigned to an entry; scored when ``submitted_at`` is set.

    Before seeing the entry the juror confirms they have no conflict of interest with it
    (``no_conflict_at``), or declares one (``JuryConflict``)."""

    entry = models.ForeignKey(
        "contests.Entry", on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    no_conflict_at = models.DateTimeField(
        _("assenza di conflitti confermata il"), null=True, blank=True
    )
    scores = models.JSONField(_("punteggi"), default=dict, blank=True)
    comment = models.TextField(_("motivazione"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assegnazione alla giuria")
        verbose_name_plural = _("assegnazioni alla giuria")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="one_assignment_per_juror")
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} → {self.entry_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class JuryConflict(models.Model):
    contest = models.ForeignKey("contests.ContestPage", on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("contests.Entry", on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("motivo"), max_length=255, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    after_submission = models.BooleanField(
        _("dichiarato dopo l'invio della valutazione"), default=False
    )

    class Meta:
        verbose_name = _("conflitto di interessi")
        verbose_name_plural = _("conflitti di interessi")
        constraints = [
            models.UniqueConstraint(fields=["juror", "entry"], name="one_conflict_per_juror_entry")
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} × {self.entry_id}"


class PublicVote(models.Model):
    """One vote per account and contest (the account's e-mail verified)."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="public_votes"
    )
    entry = models.ForeignKey("contests.Entry", on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voto pubblico")
        verbose_name_plural = _("voti pubblici")
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter"], name="one_public_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"


class ContestResult(models.Model):
    """The confirmed ranking: jury and public scores, each place's reason, the jury's reasoning,
    and the winner's follow-up record."""

    contest = models.OneToOneField(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="result"
    )
    reasoning = models.TextField(_("motivazione della giuria"))
    #: [{"entry": id, "code": str, "title": str, "position": n, "jury": x, "public": y,
    #:   "total": z, "reason": str}], best first
    ranking = models.JSONField(default=list)
    winner = models.ForeignKey(
        "contests.Entry", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    record = models.OneToOneField(
        "accountability.ImplementationRecord",
        verbose_name=_("intervento che ne nasce"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_result",
    )
    #: The co-design workshops of the follow-up (live sessions held on the contest page).
    codesign_sessions = models.ManyToManyField(
        "live.LiveSession",
        verbose_name=_("laboratori di co-progettazione"),
        blank=True,
        related_name="contest_results",
    )

    class Meta:
        verbose_name = _("esito del contest")
        verbose_name_plural = _("esiti dei contest")

    def __str__(self) -> str:
        return str(self.contest_id)


class Agreement(models.Model):
    """The co-management agreement (patto di collaborazione) that follows the contest: its
    document, parties and dates."""

    result = models.OneToOneField(ContestResult, on_delete=models.CASCADE, related_name="agreement")
    title = models.CharField(_("titolo del patto"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("documento del patto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The signed text uploaded on the platform (a PDF checked like every other upload, kept
    #: privately without its metadata, served under the contest's name once the results are
    #: public); ``document`` is the alternative from the Wagtail documents library.
    file = models.FileField(
        _("testo firmato (PDF)"),
        storage=private_storage_callable,
        upload_to="contests/agreements/%Y/",
        blank=True,
    )
    file_size = models.PositiveIntegerField(null=True, blank=True)
    #: one party a line: the Comune, the Città metropolitana, the winning team, an association
    parties = models.TextField(_("parti (una per riga)"))
    signed_on = models.DateField(_("firmato il"), null=True, blank=True)
    starts_on = models.DateField(_("in vigore dal"))
    ends_on = models.DateField(_("fino al"))

    class Meta:
        verbose_name = _("patto di collaborazione")
        verbose_name_plural = _("patti di collaborazione")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def party_list(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]
