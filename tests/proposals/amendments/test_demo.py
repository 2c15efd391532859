"""The demo shows an amendment incorporated into a published revision, with its diff."""

from io import StringIO

from django.apps import apps
from django.urls import reverse

from accounts.demo import demo_accounts_load
from proposals.models import ChangeSet, ChangeSetState, ProposalKind, ProposalStatus
from psm.models import ActionPage


def test_demo_incorporates_one_amendment(plan, client):
    accounts = demo_accounts_load()
    apps.get_app_config("consultations").load_demo_data(accounts=accounts, stdout=StringIO())
    config = apps.get_app_config("proposals")
    out = StringIO()
    config.load_demo_data(accounts=accounts, stdout=out)
    config.load_demo_data(accounts=accounts, stdout=out)  # idempotent
    change_set = ChangeSet.objects.get()
    assert change_set.state == ChangeSetState.PUBLISHED
    amendment = change_set.amendments.get()
    assert amendment.proposal.kind == ProposalKind.AMENDMENT
    assert amendment.proposal.status == ProposalStatus.INCORPORATED
    action = ActionPage.objects.get(pk=change_set.action_id)
    assert action.official_text == change_set.published_text
    assert action.live_revision_id == change_set.published_revision_id
    page = client.get(action.url).content.decode()
    assert "Hai proposto, abbiamo fatto" in page
    public = client.get(reverse("proposals:change_set", kwargs={"pk": change_set.pk}))
    assert "<ins>" in public.content.decode()
