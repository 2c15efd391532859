"""What people contribute: applications, documents, reviews, the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Gender
from core.files import private_storage


def _private_storage():
    """The storage of application documents (named in migration 0001)."""
    return private_storage


class Category(models.TextChoices):
    STUDENT = "studente", _("Studente/essa")
    WORKER = "lavoratore", _("Lavoratore/trice")
    ADMINISTRATOR = "amministratore", _("Amministratore/trice locale")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Inviata")
    ELIGIBLE = "eligible", _("Ammissibile")
    INELIGIBLE = "ineligible", _("Non ammissibile")
    UNDER_REVIEW = "under_review", _("In valutazione")
    SELECTED = "selected", _("Selezionata")
    WAITLISTED = "waitlisted", _("In lista d'attesa")
    NOT_SELECTED = "not_selected", _("Non selezionata")
    ACCEPTED = "accepted", _("Posto accettato")
    DECLINED = "declined", _("Posto rinunciato")
    COMPLETED = "completed", _("Percorso completato")
    WITHDRAWN = "withdrawn", _("Ritirata")


class Application(models.Model):
    call = models.ForeignKey(
        "leadership.CallPage", on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leadership_applications"
    )
    status = models.CharField(
        _("stato"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    category = models.CharField(_("categoria"), max_length=20, choices=Category.choices, blank=True)
    answers = models.JSONField(_("risposte"), default=dict, blank=True)
    # snapshot taken at submission: selection quotas use what was declared then
    gender = models.CharField(
        _("genere dichiarato"), max_length=20, blank=True, choices=Gender.choices
    )
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune di residenza"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    protocol = models.CharField(_("protocollo"), max_length=30, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    draft_saved_at = models.DateTimeField(_("bozza salvata il"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    eligibility_reason = models.TextField(_("esito della verifica di ammissibilità"), blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("accettare entro"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidatura")
        verbose_name_plural = _("candidature")
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="one_application_per_call")
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.protocol or f"bozza {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def anonymous_label(self) -> str:
        return f"#{self.pk:05d}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        "leadership.CallDocument", on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.FileField(storage=_private_storage, upload_to="leadership/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("documento della candidatura")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="one_document_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ApplicationTransition(models.Model):
    """The audit trail: every state change of an application, with who, when and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("cambio di stato")
        verbose_name_plural = _("cambi di stato")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class ConflictOfInterest(models.Model):
    call = models.ForeignKey("leadership.CallPage", on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("motivo"), max_length=255, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    # Declared after the review was submitted: the review is kept as part of the record and
    # the coordinator is shown the declaration (date and reason) to decide on it.
    after_submission = models.BooleanField(
        _("dichiarato dopo l'invio della valutazione"), default=False
    )

    class Meta:
        verbose_name = _("conflitto di interessi")
        verbose_name_plural = _("conflitti di interessi")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"], name="one_conflict_per_reviewer_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} × {self.application_id}"


class Review(models.Model):
    """An assignment of a reviewer to an application; scored when ``submitted_at`` is set."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leadership_reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    scores = models.JSONField(_("punteggi"), default=dict, blank=True)
    comment = models.TextField(_("commento"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("valutazione")
        verbose_name_plural = _("valutazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class SelectionOverride(models.Model):
    """A coordinator's manual adjustment of the proposed ranking, with its motivation."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="selection_override"
    )
    include = models.BooleanField(_("includi"))
    motivation = models.TextField(_("motivazione"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correzione della graduatoria")
        verbose_name_plural = _("correzioni della graduatoria")

    def __str__(self) -> str:
        return f"{self.application_id}: {'+' if self.include else '-'}"


class SelectionRun(models.Model):
    """A confirmed selection: when, by whom, and the anonymised aggregated report."""

    call = models.OneToOneField(
        "leadership.CallPage", on_delete=models.CASCADE, related_name="selection_run"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict)
    # Who moved against the ranking by score, by how many places and because of which rule:
    # {"application": id, "before": n, "after": n, "rules": [...]}. For the coordinator only;
    # the public report carries only protected aggregates of it.
    moves = models.JSONField(_("effetti delle quote sulla graduatoria"), default=list, blank=True)
    report_published = models.BooleanField(_("resoconto pubblicato"), default=False)

    class Meta:
        verbose_name = _("selezione confermata")
        verbose_name_plural = _("selezioni confermate")

    def __str__(self) -> str:
        return str(self.call_id)
