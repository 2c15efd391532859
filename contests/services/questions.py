"""Questions through the site during the questions phase, and their public answers.

Anyone who may take part (``eligibility.person_error``) asks while the questions are open
(from the opening of registrations to ``questions_close_at``, to the second). Nothing is shown
until who runs the contest (``contests.manage``) answers it: the answer publishes the question
with it on the contest page, without the asker's name, and the asker gets an e-mail. A question
may also be set aside (not published). Answering continues after the questions close, so
what was asked in time is answered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests import emails
from contests.models import ContestPage, ContestQuestion, QuestionStatus
from contests.services.eligibility import person_error
from contests.services.jury import require_manager
from proposals.models.participation import written_language

QUESTION_MAX = 2000
ANSWER_MAX = 8000
#: Questions one person may have waiting for an answer in one contest.
PENDING_MAX = 5


def _clean(text: str, limit: int) -> str:
    return text.replace("\x00", "").strip()[:limit]


def questions_open(contest: ContestPage, now=None) -> bool:
    now = now or timezone.now()
    return contest.registration_opens_at <= now <= contest.questions_close_at


def question_error(contest: ContestPage, user, now=None) -> str | None:
    """None if ``user`` may ask a question now, otherwise why not."""
    if not questions_open(contest, now):
        return _("Le domande si fanno dall'apertura delle iscrizioni al termine per le domande.")
    return person_error(contest, user, now=now)


@transaction.atomic
def question_ask(*, contest: ContestPage, user: User, text: str, now=None) -> ContestQuestion:
    error = question_error(contest, user, now)
    if error:
        raise PermissionDenied(error)
    text = _clean(text, QUESTION_MAX)
    if not text:
        raise ValidationError(_("Scrivi la domanda."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one ask at a time per person
    waiting = ContestQuestion.objects.filter(
        contest=contest, asker=user, status=QuestionStatus.PENDING
    ).count()
    if waiting >= PENDING_MAX:
        raise ValidationError(
            _("Hai già %(n)d domande in attesa di risposta: aspetta le risposte.") % {"n": waiting}
        )
    return ContestQuestion.objects.create(contest=contest, asker=user, question=text)


def _question(question: ContestQuestion, actor: User) -> ContestQuestion:
    question = (
        ContestQuestion.objects.select_for_update(of=("self",))  # the asker may be gone (NULL)
        .select_related("contest", "asker")
        .get(pk=question.pk)
    )
    require_manager(question.contest, actor)
    return question


@transaction.atomic
def question_answer(
    *, question: ContestQuestion, actor: User, answer: str, question_text: str = ""
) -> ContestQuestion:
    """Publish the question with its answer (also to correct a published answer). The question's
    wording may be tidied (``question_text``), e.g. to take a name out of it."""
    question = _question(question, actor)
    answer = _clean(answer, ANSWER_MAX)
    if not answer:
        raise ValidationError(_("Scrivi la risposta: sarà pubblicata."))
    question_text = _clean(question_text, QUESTION_MAX)
    if question_text:
        question.question = question_text
    first = question.status != QuestionStatus.PUBLISHED
    question.answer = answer
    question.answer_language = written_language()
    question.status = QuestionStatus.PUBLISHED
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(
        update_fields=[
            "question",
            "answer",
            "answer_language",
            "status",
            "answered_by",
            "answered_at",
        ]
    )
    if first:
        emails.answer_queue(question)
    return question


@transaction.atomic
def question_reject(*, question: ContestQuestion, actor: User) -> ContestQuestion:
    """Set aside (off topic, already answered, personal): not published, kept on record."""
    question = _question(question, actor)
    if question.status == QuestionStatus.PUBLISHED:
        raise ValidationError(_("La domanda è già pubblicata con la sua risposta."))
    question.status = QuestionStatus.REJECTED
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["status", "answered_by", "answered_at"])
    return question
