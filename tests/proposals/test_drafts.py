"""Proposal drafts on shared computers (issue 11, finding 9): the browser-storage key of a
draft belongs to one account and the logout clears this site's storage."""

import re

import pytest
from django.urls import reverse

from proposals.drafts import DRAFT_PREFIX, draft_key
from tests.consultations.factories import make_consultation
from tests.factories import PASSWORD, UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

KEY = re.compile(r'data-autosave-key="([^"]+)"')
PREFIX = re.compile(r'data-draft-prefix="([^"]+)"')


def form_keys(client, user, url) -> tuple[str, str]:
    client.force_login(user)
    html = client.get(url).content.decode()
    return KEY.search(html).group(1), PREFIX.search(html).group(1)


def test_two_accounts_on_one_browser_get_different_draft_keys(plan, client):
    consultation = make_consultation(phase="proposals")
    url = reverse("proposals:create", args=[consultation.pk])
    first, second = UserFactory(), UserFactory()
    first_key, first_prefix = form_keys(client, first, url)
    client.logout()
    second_key, second_prefix = form_keys(client, second, url)
    assert first_key != second_key
    assert first_key.startswith(first_prefix)
    assert second_key.startswith(second_prefix)
    assert not second_key.startswith(first_prefix)


def test_the_key_is_opaque_and_stable(plan):
    user = UserFactory(email="mario.rossi@example.org")
    key = draft_key(user, 7, "proposal")
    assert key.startswith(DRAFT_PREFIX)
    assert "mario" not in key
    assert "example" not in key
    assert f"-{user.pk}-" not in key
    assert key == draft_key(user, 7, "proposal")
    assert draft_key(user, 7, "proposal", proposal_id=3) != key


def test_edit_form_draft_is_keyed_to_the_author(plan, client):
    consultation = make_consultation(phase="proposals")
    proposal = ProposalFactory(consultation=consultation)
    key, _prefix = form_keys(client, proposal.author, reverse("proposals:edit", args=[proposal.pk]))
    assert key == draft_key(proposal.author, consultation.pk, proposal.kind, proposal.pk)


def test_logout_clears_the_site_storage(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session


def test_logout_confirmation_page_does_not_clear_yet(client):
    client.force_login(UserFactory())
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "Clear-Site-Data" not in response


def test_account_deletion_clears_the_site_storage(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
