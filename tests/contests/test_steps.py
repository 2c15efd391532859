"""Withdrawal, questions with public answers, the notices at each step, the contest behind an
English id, and the query counts of the pages these change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, PageViewRestriction

from contests.models import (
    ContestPage,
    ContestQuestion,
    Entry,
    EntryEventKind,
    EntryStatus,
    JuryAssignment,
    QuestionStatus,
)
from contests.selectors import contest_behind
from contests.services.entries import entry_start, require_draft
from contests.services.jury import jury_assign
from contests.services.notices import contest_notices_send
from contests.services.questions import question_answer, question_ask, question_reject
from contests.services.withdrawal import entry_withdraw
from notifications.models import EmailDelivery
from tests.contests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def staff(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def juror(plan):
    return UserFactory(display_name="Giurata Neutra")


@pytest.fixture
def contest(juror):
    return factories.make_contest(jurors=[juror], jurors_per_entry=1)


def _english(contest):
    english = ContestPage.objects.filter(
        translation_key=contest.translation_key, locale__language_code="en"
    ).first()
    return english or contest.copy_for_translation(
        Locale.objects.get(language_code="en"), alias=True
    )


# ----------------------------------------------------------------------------- withdrawal


def test_the_contact_withdraws_before_the_deadline_the_receipt_stays_valid(contest, juror, staff):
    now = factories.at(contest, "open")
    entry, people = factories.submitted_team(contest, now=now)
    protocol = entry.protocol
    jury_assign(contest=contest, actor=staff)  # assigned early: the withdrawal removes it
    assert JuryAssignment.objects.filter(entry=entry).exists()
    with pytest.raises(PermissionDenied):
        entry_withdraw(entry=entry, actor=people[1], now=now)
    with pytest.raises(ValidationError, match="termine"):
        entry_withdraw(entry=entry, actor=people[0], now=contest.submission_closes_at + SECOND)
    entry = entry_withdraw(entry=entry, actor=people[0], reason="Cambio di programma", now=now)
    assert entry.status == EntryStatus.WITHDRAWN
    assert entry.protocol == protocol  # the receipt names a number that stays on record
    assert not JuryAssignment.objects.filter(entry=entry).exists()
    event = entry.events.get(kind=EntryEventKind.WITHDRAWN)
    assert (event.actor, event.reason, event.at) == (people[0], "Cambio di programma", now)
    assert list(entry.events.values_list("kind", flat=True)) == [
        "started",
        "submitted",
        "withdrawn",
    ]
    notices = EmailDelivery.objects.filter(idempotency_key__startswith="contests:withdrawn:")
    assert notices.count() == 2
    assert protocol in notices.first().body
    with pytest.raises(ValidationError, match="ritirato"):
        require_draft(entry)
    with pytest.raises(ValidationError, match="già stato ritirato"):
        entry_withdraw(entry=entry, actor=people[0], now=now)
    # the jury never gets it, and the contact may enter again while the contest is open
    assert jury_assign(contest=contest, actor=staff)["created"] == 0
    again = entry_start(contest=contest, user=people[0], kind="group", now=now)
    assert again.pk != entry.pk


def test_withdrawal_over_http_and_the_jury_doors(client, contest, juror, staff):
    now = factories.at(contest, "open")
    entry, people = factories.submitted_team(contest, now=now)
    jury_assign(contest=contest, actor=staff)
    assignment = JuryAssignment.objects.get(entry=entry)
    url = reverse("contests:withdraw", args=[entry.pk])
    client.force_login(people[0])
    assert url.encode() in client.get(reverse("contests:entry", args=[entry.pk])).content
    client.post(url, {"reason": "x"})  # not confirmed
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.SUBMITTED
    client.force_login(people[1])
    client.post(url, {"confirm": "on"})  # not the contact
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.SUBMITTED
    client.force_login(juror)
    assert client.get(reverse("contests:jury_detail", args=[assignment.pk])).status_code == 200
    # a juror page left open must not show the entry once withdrawn, even if an assignment
    # survived (made by hand): every jury door reads submitted entries only
    client.force_login(people[0])
    client.post(url, {"confirm": "on", "reason": ""})
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.WITHDRAWN
    survivor = JuryAssignment.objects.create(entry=entry, juror=juror)
    client.force_login(juror)
    assert client.get(reverse("contests:jury_detail", args=[survivor.pk])).status_code == 404
    item = entry.files.first()
    jury_file = reverse("contests:jury_file", args=[survivor.pk, item.pk])
    assert client.get(jury_file).status_code == 404
    assert entry.code.encode() not in client.get(reverse("contests:jury_list")).content


# ----------------------------------------------------------------------------- questions


def test_questions_are_asked_in_the_phase_and_published_only_when_answered(
    client, contest, juror, staff
):
    asker = UserFactory(display_name="Ermenegilda Domandante")
    now = factories.at(contest, "open") - datetime.timedelta(days=10)  # questions are open
    with pytest.raises(PermissionDenied):
        question_ask(
            contest=contest, user=asker, text="Tardi?", now=contest.questions_close_at + SECOND
        )
    with pytest.raises(PermissionDenied, match="giuria"):
        question_ask(contest=contest, user=juror, text="Posso?", now=now)
    with pytest.raises(ValidationError):
        question_ask(contest=contest, user=asker, text="   ", now=now)
    kept = question_ask(contest=contest, user=asker, text="Si può usare il cortile?", now=now)
    aside = question_ask(contest=contest, user=asker, text="Chi è in giuria?", now=now)
    page = client.get(contest.url).content.decode()
    assert "Si può usare il cortile?" not in page  # moderated: nothing before the answer
    with pytest.raises(PermissionDenied):
        question_answer(question=kept, actor=asker, answer="Sì")
    question_answer(question=kept, actor=staff, answer="Sì, anche il cortile.")
    question_reject(question=aside, actor=staff)
    with pytest.raises(ValidationError):
        question_reject(question=kept, actor=staff)
    assert ContestQuestion.objects.get(pk=aside.pk).status == QuestionStatus.REJECTED
    page = client.get(contest.url).content.decode()
    assert "Si può usare il cortile?" in page
    assert "Sì, anche il cortile." in page
    assert "Chi è in giuria?" not in page
    assert "Ermenegilda" not in page
    mail = EmailDelivery.objects.get(idempotency_key=f"contests:answer:{kept.pk}")
    assert mail.user == asker
    assert "anche il cortile" in mail.body


def test_questions_over_http_through_the_english_id(client, contest, staff):
    english = _english(contest)
    asker = UserFactory()
    client.force_login(asker)
    response = client.post(reverse("contests:ask", args=[english.pk]), {"question": "Quando?"})
    assert response.status_code == 302
    question = ContestQuestion.objects.get()
    assert question.contest_id == contest.pk  # the Italian contest
    answer = reverse("contests:answer", args=[contest.pk, question.pk])
    assert client.post(answer, {"answer": "Domani."}).status_code == 404  # not who runs it
    client.force_login(staff)
    manage = client.get(reverse("contests:manage", args=[english.pk]))
    assert manage.status_code == 200
    assert manage.context["contest"].pk == contest.pk
    assert b"Quando?" in manage.content
    client.post(
        answer, {"question": "Quando si consegna?", "answer": "Domani.", "decision": "publish"}
    )
    question.refresh_from_db()
    assert (question.status, question.question) == (QuestionStatus.PUBLISHED, "Quando si consegna?")


def test_the_contest_behind_an_id():
    assert contest_behind(None) is None
    assert contest_behind(10**9) is None


def test_the_contest_behind_an_english_id_and_drafts(contest):
    english = _english(contest)
    assert contest_behind(english.pk).pk == contest.pk
    assert contest_behind(contest.pk).pk == contest.pk
    contest.unpublish()
    assert contest_behind(contest.pk) is None
    assert contest_behind(contest.pk, public=False).pk == contest.pk


def test_an_english_id_does_not_open_a_restricted_or_unpublished_contest(contest):
    english = _english(contest)
    restriction = PageViewRestriction.objects.create(
        page=contest, restriction_type=PageViewRestriction.LOGIN
    )
    assert contest_behind(english.pk) is None
    restriction.delete()
    assert contest_behind(english.pk).pk == contest.pk
    contest.unpublish()
    assert contest_behind(english.pk) is None
    assert contest_behind(english.pk, public=False).pk == contest.pk


# ----------------------------------------------------------------------------- notices


def test_teams_hear_the_submission_phase_once_and_jurors_get_a_reminder(contest, juror, staff):
    open_at = factories.at(contest, "open")
    drafting, people = factories.make_team(contest, now=open_at)
    submitted, _others = factories.submitted_team(contest, now=open_at)
    key = "contests:phase:"
    assert contest_notices_send(now=contest.questions_close_at - SECOND) == 0
    after = contest.questions_close_at + datetime.timedelta(minutes=5)
    assert contest_notices_send(now=after) == 2  # the two members of the team in draft
    assert contest_notices_send(now=after) == 0
    body = EmailDelivery.objects.filter(idempotency_key__startswith=key).first().body
    assert f"/concorsi/progetti/{drafting.pk}/" in body
    # a contest created with its steps long past does not mail them
    assert contest_notices_send(now=contest.questions_close_at + datetime.timedelta(days=3)) == 0
    jury_assign(contest=contest, actor=staff)
    reminder = contest.jury_ends_at - datetime.timedelta(hours=5)
    assert contest_notices_send(now=contest.jury_ends_at - datetime.timedelta(days=2)) == 0
    assert contest_notices_send(now=reminder) == 1
    assert contest_notices_send(now=reminder) == 0
    mail = EmailDelivery.objects.get(idempotency_key__startswith="contests:jury-reminder:")
    assert mail.user == juror
    assert submitted.code not in mail.body
    for person in [*people, *_others]:
        assert person.display_name not in mail.body
        assert person.email not in mail.body


# ----------------------------------------------------------------------------- query counts


def test_query_counts_of_the_contest_page_and_the_dashboard(
    client, contest, staff, django_assert_num_queries
):
    now = factories.at(contest, "open") - datetime.timedelta(days=10)
    for n in range(3):
        question = question_ask(contest=contest, user=UserFactory(), text=f"Domanda {n}", now=now)
        if n < 2:
            question_answer(question=question, actor=staff, answer=f"Risposta {n}")
    client.force_login(UserFactory())
    client.get(contest.url)  # warm the caches (site, locale)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(contest.url).status_code == 200
    client.force_login(staff)
    url = reverse("contests:manage", args=[contest.pk])
    client.get(url)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(url).status_code == 200


# The contest page read each of its rows (prizes, criteria, documents, answers) twice or three
# times from the template (22 queries): now once each, from the context; the session comes
# from the cache, the person kept in the process.
PAGE_QUERIES = 17
DASHBOARD_QUERIES = 16


def test_a_question_keeps_the_language_it_was_asked_in(client, contest, staff):
    asker = UserFactory()
    client.force_login(asker)
    with translation.override("en"):
        ask = reverse("contests:ask", args=[_english(contest).pk])
    assert ask.startswith("/en/")
    client.post(ask, {"question": "When is the deadline?"})
    question = ContestQuestion.objects.get()
    assert question.language == "en"
    client.force_login(staff)
    # The staff's Italian page (the request to /en/ above left English on in this thread).
    with translation.override("it"):
        answer = reverse("contests:answer", args=[contest.pk, question.pk])
    client.post(answer, {"answer": "Il 30 novembre.", "decision": "publish"})
    question.refresh_from_db()
    assert (question.status, question.answer_language) == (QuestionStatus.PUBLISHED, "it")
    with translation.override("it"):
        url = contest.url
    page = client.get(url).content.decode()
    assert '<dt lang="en">When is the deadline?</dt>' in page
    assert '<dd lang="it">Il 30 novembre.</dd>' in page
