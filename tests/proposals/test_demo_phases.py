"""The demo consultations run their phases one after the other: a proposal written in the demo
can be edited while its phase lasts."""

from io import StringIO

from django.apps import apps

from accounts.demo import demo_accounts_load
from consultations.choices import PhaseKind
from consultations.demo import PSM_SLUG
from consultations.models import ConsultationPage
from proposals import rules as proposal_rules
from proposals.services.proposals import proposal_submit


def test_demo_proposal_phases_end_before_voting_and_proposals_stay_editable(plan):
    accounts = demo_accounts_load()
    for label in ("consultations", "proposals"):
        apps.get_app_config(label).load_demo_data(accounts=accounts, stdout=StringIO())
    for consultation in ConsultationPage.objects.all():
        phases = consultation.ordered_phases()
        proposals = [p for p in phases if p.kind == PhaseKind.PROPOSALS]
        voting = [p for p in phases if p.kind == PhaseKind.VOTING]
        for proposal_phase in proposals:
            for voting_phase in voting:
                assert proposal_phase.ends_at <= voting_phase.starts_at, consultation.title
        # no two phases of a demo consultation overlap at all
        for earlier, later in zip(phases, phases[1:], strict=False):
            assert earlier.ends_at <= later.starts_at, (consultation.title, earlier, later)
    psm = ConsultationPage.objects.get(locale__language_code="it", slug=PSM_SLUG)
    proposal = proposal_submit(
        consultation=psm,
        author=accounts["participant3"],
        title="Più spazi studio aperti la sera",
        body="Biblioteche e aule studio aperte fino alle 23 in ogni zona omogenea.",
    )
    assert proposal_rules.edit_error(accounts["participant3"], proposal) is None
