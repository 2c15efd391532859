"""Questions asked through the site during the questions phase, answered in public by who runs
the contest (moderated: nothing is shown until it is answered and published)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from proposals.models.participation import written_language


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("In attesa di risposta")
    PUBLISHED = "published", _("Pubblicata con la risposta")
    REJECTED = "rejected", _("Non pubblicata")


class ContestQuestion(models.Model):
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="questions"
    )
    #: Never shown: the published question is anonymous.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="contest_questions",
    )
    question = models.TextField(_("domanda"))
    #: The language of the site the person asked from: shown with its ``lang``, never translated.
    language = models.CharField(
        _("lingua"), max_length=8, choices=settings.LANGUAGES, default=written_language
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    answer = models.TextField(_("risposta"), blank=True)
    #: The language of the site the answer was written from (set with the answer).
    answer_language = models.CharField(
        _("lingua della risposta"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("risposta del"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("domanda sul contest")
        verbose_name_plural = _("domande sul contest")
        ordering = ["pk"]
        indexes = [models.Index(fields=["contest", "status"], name="contest_question_status")]

    def __str__(self) -> str:
        return self.question[:60]
