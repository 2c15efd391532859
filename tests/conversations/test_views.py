"""HTTP: voting one statement at a time (eligibility, one vote, changing it, hidden statements
never shown), writing statements, moderation and exports (moderators only)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conversations.models import Choice, StatementStatus, StatementVote
from tests.consultations.factories import make_consultation
from tests.conversations.factories import (
    ConversationFactory,
    StatementFactory,
    StatementVoteFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _detail(conversation):
    return reverse("conversations:detail", args=[conversation.pk])


def test_anonymous_people_are_asked_to_sign_in(client, conversation):
    StatementFactory(conversation=conversation, text="Autobus gratis per chi studia")
    response = client.get(_detail(conversation))
    assert response.status_code == 200
    assert "Per partecipare accedi o registrati." in response.content.decode()
    assert "Autobus gratis" not in response.content.decode()


def test_one_statement_at_a_time_and_hidden_ones_never_shown(client, conversation, user):
    shown = StatementFactory(conversation=conversation, text="Autobus gratis per chi studia")
    StatementFactory(conversation=conversation, text="Testo nascosto da chi modera", hidden=True)
    StatementFactory(conversation=conversation, text="Testo in attesa di controllo", pending=True)
    client.force_login(user)
    page = client.get(_detail(conversation)).content.decode()
    assert shown.text in page
    assert "nascosto da chi modera" not in page
    assert "in attesa di controllo" not in page
    response = client.post(reverse("conversations:vote", args=[shown.pk]), {"voto": "agree"})
    assert response.status_code == 302
    page = client.get(_detail(conversation)).content.decode()
    assert "Hai votato tutte le affermazioni pubblicate" in page


def test_a_vote_on_a_statement_others_voted_reads_its_facts_from_the_cache(
    client, conversation, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The busy path: someone who already took part votes on a statement that others vote
    on: the upsert and the person's votes for the card; the session, the statement, its page,
    phases, blocks, view restrictions and the published statements come from the cache, and the
    person is kept in the process (``accounts.session_user.kept_person``)."""
    statements = StatementFactory.create_batch(2, conversation=conversation)
    someone, voter = UserFactory.create_batch(2)
    other_client = Client()
    other_client.force_login(someone)
    client.force_login(voter)  # signing in saves the person: before the votes, as in life
    with django_capture_on_commit_callbacks(execute=True):  # committed, as in life
        client.post(reverse("conversations:vote", args=[statements[0].pk]), {"voto": "pass"})
        other_client.post(reverse("conversations:vote", args=[statements[0].pk]), {"voto": "pass"})
        other_client.post(
            reverse("conversations:vote", args=[statements[1].pk]),
            {"voto": "pass"},
            headers={"HX-Request": "true"},
        )
    # The commit above also ran the opinion map's recompute, a new content version: one more
    # vote by someone else reads the facts into the cache again.
    other_client.post(
        reverse("conversations:vote", args=[statements[1].pk]),
        {"voto": "agree"},
        headers={"HX-Request": "true"},
    )
    url = reverse("conversations:vote", args=[statements[1].pk])
    with django_assert_num_queries(2):
        response = client.post(url, {"voto": "agree"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert StatementVote.objects.get(statement=statements[1], user=voter).choice == Choice.AGREE


def test_a_block_a_moderation_and_a_restriction_apply_to_the_next_vote_at_once(
    client, conversation, facilitator
):
    """The vote's cached facts go with the content and page versions: a suspension, a hidden
    statement and a view restriction on the consultation apply to the very next vote."""
    from wagtail.models import PageViewRestriction

    from consultations.models import ParticipantBlock
    from conversations import services

    statement, other = StatementFactory.create_batch(2, conversation=conversation)
    voter, blocked = UserFactory.create_batch(2)
    for person in (voter, blocked):
        client.force_login(person)
        response = client.post(reverse("conversations:vote", args=[statement.pk]), {"voto": "pass"})
        assert response.status_code == 302
    ParticipantBlock.objects.create(
        consultation=conversation.consultation, user=blocked, reason="x", blocked_by=facilitator
    )
    client.force_login(blocked)
    client.post(reverse("conversations:vote", args=[statement.pk]), {"voto": "agree"})
    assert StatementVote.objects.get(statement=statement, user=blocked).choice == Choice.PASS
    services.statement_moderate(statement=statement, moderator=facilitator, action="hide")
    client.force_login(voter)
    client.post(reverse("conversations:vote", args=[statement.pk]), {"voto": "agree"})
    assert StatementVote.objects.get(statement=statement, user=voter).choice == Choice.PASS
    client.post(reverse("conversations:vote", args=[other.pk]), {"voto": "agree"})  # cached
    PageViewRestriction.objects.create(
        page=conversation.consultation, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.post(reverse("conversations:vote", args=[other.pk]), {"voto": "pass"})
    assert response.status_code == 404
    assert StatementVote.objects.get(statement=other, user=voter).choice == Choice.AGREE


def test_an_htmx_vote_answers_with_the_next_card_only(
    client, conversation, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """With htmx a vote answers with the voting card (the next statement, the outcome in a
    status line): no full page, no stored message. The queries are pinned (the session comes
    from the cache, the person is kept in the process): the statement with its page, the
    phases and the blocks (the vote's facts, cached under the content version, which the
    recompute's new map replaced), the upsert, then the card's two (the published statements,
    the person's votes). The participation row is known from the cache."""
    first, second = StatementFactory.create_batch(2, conversation=conversation)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # warm, committed as in life
        client.post(reverse("conversations:vote", args=[first.pk]), {"voto": "pass"})
    url = reverse("conversations:vote", args=[second.pk])
    with django_assert_num_queries(6):
        response = client.post(url, {"voto": "agree"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="scheda-voto"' in html
    assert 'role="status"' in html
    assert "<html" not in html
    assert "Hai votato tutte le affermazioni pubblicate" in html
    assert StatementVote.objects.get(statement=second).choice == Choice.AGREE
    third = StatementFactory(conversation=conversation, hidden=True)
    refused = client.post(
        reverse("conversations:vote", args=[third.pk]),
        {"voto": "agree"},
        headers={"HX-Request": "true"},
    )
    assert "non è più in votazione" in refused.content.decode()


def test_a_vote_is_recorded_once_and_can_be_changed(client, conversation, user):
    statement = StatementFactory(conversation=conversation)
    client.force_login(user)
    url = reverse("conversations:vote", args=[statement.pk])
    client.post(url, {"voto": "agree"})
    client.post(url, {"voto": "disagree", "da": "risposte"})
    vote = StatementVote.objects.get(statement=statement)
    assert vote.choice == Choice.DISAGREE
    page = client.get(reverse("conversations:my_votes", args=[conversation.pk])).content.decode()
    assert statement.text in page
    assert "In disaccordo" in page


def test_ineligible_people_cannot_vote(client, conversation):
    statement = StatementFactory(conversation=conversation)
    client.force_login(UserFactory(birth_date=datetime.date(1970, 1, 1)))
    response = client.post(
        reverse("conversations:vote", args=[statement.pk]), {"voto": "agree"}, follow=True
    )
    assert "tra 14 e 35 anni" in response.content.decode()
    assert not StatementVote.objects.exists()


def test_anonymous_votes_go_to_the_sign_in_page(client, conversation):
    statement = StatementFactory(conversation=conversation)
    response = client.post(reverse("conversations:vote", args=[statement.pk]), {"voto": "agree"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not StatementVote.objects.exists()


def test_voting_on_a_hidden_statement_is_refused(client, conversation, user):
    statement = StatementFactory(conversation=conversation, hidden=True)
    client.force_login(user)
    response = client.post(
        reverse("conversations:vote", args=[statement.pk]), {"voto": "agree"}, follow=True
    )
    assert "non è più in votazione" in response.content.decode()
    assert not StatementVote.objects.exists()


def test_an_unpublished_consultation_hides_its_conversation(client, plan, user):
    consultation = make_consultation(phases=("conversation",), live=False)
    conversation = ConversationFactory(consultation=consultation)
    client.force_login(user)
    assert client.get(_detail(conversation)).status_code == 404


def test_writing_a_statement(client, conversation, user):
    client.force_login(user)
    url = reverse("conversations:statement_create", args=[conversation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "x" * 141})
    assert response.status_code == 400
    response = client.post(url, {"text": "Più spazi studio aperti la sera"})
    assert response.status_code == 302
    assert conversation.statements.get().status == StatementStatus.PUBLISHED


def test_non_moderators_cannot_moderate_nor_export(client, conversation, user):
    statement = StatementFactory(conversation=conversation)
    client.force_login(user)
    assert (
        client.get(reverse("conversations:moderation", args=[conversation.pk])).status_code == 403
    )
    response = client.post(
        reverse("conversations:moderate", args=[statement.pk]), {"azione": "hide"}
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PUBLISHED
    for fmt in ("csv", "xlsx"):
        assert (
            client.get(reverse("conversations:export", args=[conversation.pk, fmt])).status_code
            == 403
        )
    create = reverse("conversations:create", args=[conversation.consultation.pk])
    assert client.get(create).status_code == 403


def test_moderators_seed_approve_and_hide(
    client, conversation, facilitator, django_assert_num_queries
):
    pending = StatementFactory.create_batch(3, conversation=conversation, pending=True)
    StatementVoteFactory.create_batch(2, statement=StatementFactory(conversation=conversation))
    client.force_login(facilitator)
    url = reverse("conversations:moderation", args=[conversation.pk])
    client.get(url)  # warm the session and permission caches, and the person
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert all(s.text in response.content.decode() for s in pending)
    client.post(reverse("conversations:moderate", args=[pending[0].pk]), {"azione": "approve"})
    client.post(reverse("conversations:moderate", args=[pending[1].pk]), {"azione": "hide"})
    statuses = {s.pk: s.status for s in conversation.statements.all()}
    assert statuses[pending[0].pk] == StatementStatus.PUBLISHED
    assert statuses[pending[1].pk] == StatementStatus.HIDDEN
    client.post(url, {"text": "Le biblioteche devono aprire la domenica"})
    seed = conversation.statements.get(text__startswith="Le biblioteche")
    assert seed.is_seed
    assert seed.status == StatementStatus.PUBLISHED


def test_moderators_open_a_conversation(client, conversation, facilitator):
    client.force_login(facilitator)
    url = reverse("conversations:create", args=[conversation.consultation.pk])
    response = client.post(
        url, {"question": "Cosa serve alla tua scuola?", "participants_write": "on"}
    )
    assert response.status_code == 302
    page = client.get(conversation.consultation.url).content.decode()
    assert "Cosa serve alla tua scuola?" in page


def test_the_export_escapes_formulas(client, conversation, facilitator):
    StatementFactory(conversation=conversation, text='=HYPERLINK("http://x")')
    client.force_login(facilitator)
    response = client.get(reverse("conversations:export", args=[conversation.pk, "csv"]))
    assert response.status_code == 200
    assert "'=HYPERLINK" in response.content.decode()
    response = client.get(reverse("conversations:export", args=[conversation.pk, "xlsx"]))
    assert response.status_code == 200
    assert (
        client.get(reverse("conversations:export", args=[conversation.pk, "pdf"])).status_code
        == 404
    )


def test_my_votes_page_has_constant_queries(client, conversation, user, django_assert_num_queries):
    for statement in StatementFactory.create_batch(5, conversation=conversation):
        StatementVoteFactory(statement=statement, participant_key=f"u{user.pk}", user=user)
    client.force_login(user)
    url = reverse("conversations:my_votes", args=[conversation.pk])
    client.get(url)  # the person is kept in the process from here on
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("Il tuo voto:") == 5
