"""Participant pages through HTTP: list (filters, sorting, search, pages, query counts),
detail, forms, votes, comments, budget ballot, escaping of everything people write."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from consultations.models import Category, Follow
from proposals.drafts import draft_key
from proposals.models import Comment, Proposal, ProposalStatus, Visibility, Vote
from territory.models import TORINO_ISTAT_CODE, Comune
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory, years_ago
from tests.proposals.factories import CommentFactory, ProposalFactory, VoteFactory, on_ballot

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="h5 mb-1"[^>]*><a href="/proposte/\d+/">([^<]+)</a>', html)


# --------------------------------------------------------------------------- list
def test_list_filters_search_and_status(plan, client):
    consultation = make_consultation(phase="proposals")
    school = Category.objects.create(page=consultation, name="Scuola")
    torino = Comune.objects.get(name="Torino")
    ProposalFactory(consultation=consultation, title="Aule studio aperte", category=school)
    ProposalFactory(consultation=consultation, title="Bus notturni", comune=torino)
    ProposalFactory(
        consultation=consultation, title="Campi da basket", status=ProposalStatus.ACCEPTED
    )
    ProposalFactory(consultation=consultation, title="Nascosta", visibility=Visibility.HIDDEN)
    ProposalFactory(consultation=consultation, title="In attesa", visibility=Visibility.PENDING)
    url = consultation.url
    assert sorted(_titles(client.get(url))) == [
        "Aule studio aperte",
        "Bus notturni",
        "Campi da basket",
    ]
    assert _titles(client.get(url, {"categoria": school.pk})) == ["Aule studio aperte"]
    assert _titles(client.get(url, {"comune": TORINO_ISTAT_CODE})) == ["Bus notturni"]
    assert _titles(client.get(url, {"stato": "accepted"})) == ["Campi da basket"]
    assert _titles(client.get(url, {"q": "NOTTURNI"})) == ["Bus notturni"]
    assert _titles(client.get(url, {"q": "nessuna corrispondenza"})) == []
    # Bad input never breaks the page.
    for params in ({"categoria": "x"}, {"stato": "boh"}, {"ordina": "1;DROP"}, {"pagina": "-3"}):
        assert client.get(url, params).status_code == 200


def test_sorting(plan, client):
    consultation = make_consultation(phase="voting")
    quiet = ProposalFactory(consultation=consultation, title="Poco sostenuta")
    popular = ProposalFactory(consultation=consultation, title="Molto sostenuta")
    talked = ProposalFactory(consultation=consultation, title="Molto commentata")
    for _ in range(3):
        VoteFactory(proposal=popular)
    for _ in range(2):
        CommentFactory(proposal=talked)
    url = consultation.url
    assert _titles(client.get(url))[0] == "Molto commentata"  # newest first
    assert _titles(client.get(url, {"ordina": "sostegni"}))[0] == "Molto sostenuta"
    assert _titles(client.get(url, {"ordina": "commenti"}))[0] == "Molto commentata"
    assert quiet.pk


def test_random_order_is_stable_per_visitor(plan, client):
    consultation = make_consultation(phase="proposals")
    for n in range(30):
        ProposalFactory(consultation=consultation, title=f"Proposta {n:02d}")
    first = _titles(client.get(consultation.url, {"ordina": "casuale"}))
    again = _titles(client.get(consultation.url, {"ordina": "casuale"}))
    assert first == again
    assert len(first) == 20
    second_page = _titles(client.get(consultation.url, {"ordina": "casuale", "pagina": 2}))
    assert len(second_page) == 10
    assert not set(first) & set(second_page)
    assert sorted(first + second_page) == [f"Proposta {n:02d}" for n in range(30)]


def test_pagination_twenty_per_page(plan, client):
    consultation = make_consultation(phase="proposals")
    Proposal.objects.bulk_create(
        [
            Proposal(consultation=consultation, title=f"P{n}", body="testo", visibility="published")
            for n in range(45)
        ]
    )
    page3 = client.get(consultation.url, {"pagina": 3})
    assert len(_titles(page3)) == 5
    assert "Pagina 3 di 3" in page3.content.decode()


def _bulk(consultation, n):
    voters = [UserFactory() for _ in range(3)]
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=voters[i % 3],
                title=f"Proposta {i}",
                body="Testo della proposta",
                visibility="published",
                comune_id=TORINO_ISTAT_CODE,
            )
            for i in range(n)
        ]
    )
    Vote.objects.bulk_create([Vote(proposal=p, voter=voters[0]) for p in proposals[:50]])
    Comment.objects.bulk_create(
        [Comment(proposal=p, author=voters[1], body="Ok") for p in proposals[:50]]
    )


@pytest.mark.parametrize("sort", ["recenti", "sostegni", "commenti", "casuale"])
def test_list_query_count_is_constant(plan, client, django_assert_num_queries, sort):
    """The same number of queries with 10 and with 1,000 proposals (each list rendered, not
    its cached fragment: the content version is bumped before each request measured)."""
    from psm.page_cache import bump_content_version

    user = UserFactory()
    client.force_login(user)
    counts = []
    for n in (10, 1000):
        consultation = make_consultation(phase="voting")
        _bulk(consultation, n)
        client.get(consultation.url, {"ordina": sort})  # warm session, content types
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        bump_content_version()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(consultation.url, {"ordina": sort})
        assert response.status_code == 200
        assert len(_titles(response)) == min(n, 20)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    bump_content_version()
    with django_assert_num_queries(counts[1]):
        client.get(consultation.url, {"ordina": sort, "pagina": 3})


def test_detail_query_count_is_constant(plan, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = make_consultation(phase="voting")
    user = UserFactory()
    client.force_login(user)
    counts = []
    for replies in (1, 30):
        proposal = ProposalFactory(consultation=consultation)
        top = CommentFactory(proposal=proposal)
        for _ in range(replies):
            CommentFactory(proposal=proposal, parent=top)
            CommentFactory(proposal=proposal)
        client.get(proposal.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            client.get(proposal.get_absolute_url())
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --------------------------------------------------------------------------- escaping
def test_user_text_is_escaped_everywhere(plan, client, user):
    consultation = make_consultation(phase="proposals")
    client.force_login(user)
    response = client.post(
        reverse("proposals:create", args=[consultation.pk]),
        {
            "title": f"Titolo {XSS}",
            "body": f"Corpo lungo abbastanza {XSS}\nvedi https://example.org",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    CommentFactory(proposal=proposal, body=f"Commento {XSS}")
    for url in (proposal.get_absolute_url(), consultation.url):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;" in html
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert '<a href="https://example.org" rel="nofollow">https://example.org</a>' in detail


# --------------------------------------------------------------------------- submit / edit
def test_submit_flow_marks_draft_for_clearing(plan, client, user):
    consultation = make_consultation(phase="proposals")
    client.force_login(user)
    form = client.get(reverse("proposals:create", args=[consultation.pk]))
    key = draft_key(user, consultation.pk, "proposal")
    assert f'data-autosave-key="{key}"' in form.content.decode()
    response = client.post(
        reverse("proposals:create", args=[consultation.pk]),
        {"title": "Una buona idea", "body": "Spiegata con abbastanza parole."},
        follow=True,
    )
    html = response.content.decode()
    assert "La tua proposta è pubblicata" in html
    assert f'data-clear-draft="{key}"' in html
    # Shown once only.
    assert (
        "data-clear-draft"
        not in client.get(Proposal.objects.get().get_absolute_url()).content.decode()
    )


def test_submit_errors_keep_what_was_typed(plan, client, user):
    consultation = make_consultation(phase="proposals")
    client.force_login(user)
    response = client.post(
        reverse("proposals:create", args=[consultation.pk]),
        {"title": "Ok titolo", "body": "corto"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ok titolo" in html
    assert "corto" in html
    assert not Proposal.objects.exists()


def test_anonymous_is_sent_to_login_with_next(plan, client):
    consultation = make_consultation(phase="proposals")
    url = reverse("proposals:create", args=[consultation.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert f"next={url}" in response["Location"]


def test_ineligible_sees_why_and_cannot_post(plan, client):
    consultation = make_consultation(phase="proposals")
    client.force_login(UserFactory(birth_date=years_ago(50)))
    page = client.get(consultation.url).content.decode()
    assert "rivolta a chi ha tra 14 e 35 anni" in page
    response = client.post(
        reverse("proposals:create", args=[consultation.pk]),
        {"title": "Una buona idea", "body": "Spiegata con abbastanza parole."},
    )
    assert "rivolta a chi ha tra 14 e 35 anni" in response.content.decode()
    assert not Proposal.objects.exists()


def test_upcoming_phase_named_on_page(plan, client, user):
    consultation = make_consultation(phase="information")
    client.force_login(user)
    html = client.get(consultation.url).content.decode()
    assert "La fase delle proposte apre il" in html
    assert 'aria-current="step"' in html


def test_edit_and_withdraw_through_http(plan, client, user):
    consultation = make_consultation(phase="proposals")
    proposal = ProposalFactory(consultation=consultation, author=user)
    client.force_login(user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": "Titolo corretto", "body": "Testo corretto e abbastanza lungo."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Titolo corretto"
    client.post(reverse("proposals:withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.WITHDRAWN
    assert "è stata ritirata" in client.get(proposal.get_absolute_url()).content.decode()


def test_other_people_cannot_edit(plan, client, user, other_user):
    proposal = ProposalFactory(consultation=make_consultation(phase="proposals"), author=user)
    client.force_login(other_user)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": "Dirottata", "body": "Testo che non dovrebbe passare mai."},
        follow=True,
    )
    assert "Solo chi ha scritto la proposta può modificarla." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title != "Dirottata"


def test_pending_proposal_visible_to_author_and_facilitator_only(plan, client, user):
    consultation = make_consultation(phase="proposals", premoderation=True)
    proposal = ProposalFactory(
        consultation=consultation, author=user, visibility=Visibility.PENDING
    )
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert "in attesa di verifica" in client.get(url).content.decode()
    client.force_login(make_facilitator(consultation))
    assert client.get(url).status_code == 200


def test_hidden_proposal_shows_reason_not_content(plan, client):
    proposal = ProposalFactory(
        consultation=make_consultation(phase="proposals"),
        visibility=Visibility.HIDDEN,
        hidden_reason="Contiene dati personali",
        title="Titolo con un nome e cognome",
        body="Il numero di telefono segreto di qualcuno",
    )
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Contiene dati personali" in html
    assert "telefono segreto" not in html
    assert "nome e cognome" not in html


# --------------------------------------------------------------------------- votes and comments
def test_support_and_withdraw_support(plan, client, user):
    consultation = make_consultation(phase="voting", vote_mode="limited", max_supports=2)
    proposal = ProposalFactory(consultation=consultation)
    client.force_login(user)
    response = client.post(reverse("proposals:vote", args=[proposal.pk]), follow=True)
    assert "Puoi ancora dare 1 sostegni" in response.content.decode()
    assert Vote.objects.filter(proposal=proposal, voter=user).exists()
    response = client.post(reverse("proposals:vote", args=[proposal.pk]), follow=True)
    assert "Hai già sostenuto questa proposta." in response.content.decode()
    client.post(reverse("proposals:vote", args=[proposal.pk]), {"azione": "ritira"})
    assert not Vote.objects.filter(proposal=proposal).exists()


def test_vote_redirects_only_to_safe_next(plan, client, user):
    proposal = ProposalFactory(consultation=make_consultation(phase="voting"))
    client.force_login(user)
    response = client.post(
        reverse("proposals:vote", args=[proposal.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == proposal.get_absolute_url()


def test_comment_reply_like_delete(plan, client, user, other_user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    client.force_login(user)
    client.post(reverse("proposals:comment", args=[proposal.pk]), {"body": "Primo commento"})
    top = Comment.objects.get()
    client.force_login(other_user)
    client.post(
        reverse("proposals:comment", args=[proposal.pk]), {"body": "Risposta", "parent": top.pk}
    )
    client.post(reverse("proposals:comment_like", args=[top.pk]))
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Risposta" in html
    assert "1 mi piace" in html
    assert 'aria-pressed="true"' in html
    client.force_login(user)
    client.post(reverse("proposals:comment_delete", args=[top.pk]))
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Commento eliminato da chi l'ha scritto." in html
    assert "Risposta" in html


def test_empty_comment_explained(plan, client, user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    client.force_login(user)
    response = client.post(
        reverse("proposals:comment", args=[proposal.pk]), {"body": ""}, follow=True
    )
    assert "Il commento è vuoto o troppo lungo" in response.content.decode()


def test_budget_ballot_page(plan, client, user):
    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    a = on_ballot(consultation=consultation, cost=Decimal("70"), title="Sala prove")
    b = on_ballot(consultation=consultation, cost=Decimal("50"), title="Coworking")
    client.force_login(user)
    url = reverse("proposals:budget", args=[consultation.pk])
    assert "Sala prove" in client.get(url).content.decode()
    response = client.post(url, {"proposte": [a.pk, b.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "più del budget" in html
    assert f'value="{a.pk}" id="proposta-{a.pk}" data-cost="70.00" checked' in html
    response = client.post(url, {"proposte": [a.pk]}, follow=True)
    assert "La tua scheda è registrata" in response.content.decode()
    assert list(Vote.objects.filter(voter=user).values_list("proposal", flat=True)) == [a.pk]


def test_follow_toggle(plan, client, user):
    consultation = make_consultation(phase="proposals")
    client.force_login(user)
    client.post(reverse("consultations:follow", args=[consultation.pk]), {"segui": "1"})
    assert Follow.objects.filter(user=user, consultation=consultation).exists()
    client.post(reverse("consultations:follow", args=[consultation.pk]), {"segui": "0"})
    assert not Follow.objects.exists()


def test_report_a_comment(plan, client, user):
    proposal = ProposalFactory(consultation=make_consultation(phase="discussion"))
    comment = CommentFactory(proposal=proposal)
    client.force_login(user)
    url = reverse("proposals:report", args=["commento", comment.pk])
    response = client.post(url, {"reason": "other", "text": ""})
    assert "Spiega in poche parole" in response.content.decode()
    response = client.post(url, {"reason": "offensive"}, follow=True)
    assert "la segnalazione è arrivata" in response.content.decode()
    assert comment.reports.count() == 1


# --------------------------------------------------------------------------- home, action, index
def test_home_action_and_index_lists(plan, client):
    from consultations.demo import load_demo_consultations

    load_demo_consultations()
    upcoming = make_consultation(phase="information", title="In arrivo presto")
    upcoming.phases.update(starts_at=upcoming.phases.order_by("starts_at").first().starts_at)
    closed = make_consultation(phase="closed", title="Già conclusa")
    home = client.get("/").content.decode()
    assert "Cosa deve cambiare nel PSM per le giovani generazioni?" in home
    assert "Già conclusa" in home
    action = client.get("/piano/asse-5/strategia-5-2/azione-5-2-1/").content.decode()
    assert "Partecipa su questa azione" in action
    assert "Già conclusa" in action
    index = client.get("/consultazioni/", {"stato": "closed"}).content.decode()
    assert "Già conclusa" in index
    assert "Cosa deve cambiare" not in index
    index = client.get("/consultazioni/", {"azione": "5.3.5"}).content.decode()
    assert "ex scuola di Usseaux" in index
    assert "Già conclusa" not in index
    assert closed.pk


@pytest.mark.parametrize(
    "path", ["/proposte/{}/", "/proposte/nuova/{}/", "/partecipa/{}/risultati/"]
)
def test_huge_ids_are_404(plan, client, user, path):
    client.force_login(user)
    assert client.get(path.format(2**64)).status_code == 404


def test_huge_filter_values_never_fail(plan, client):
    consultation = make_consultation(phase="proposals")
    for params in ({"categoria": str(2**63)}, {"pagina": str(2**63), "ordina": "casuale"}):
        assert client.get(consultation.url, params).status_code == 200
