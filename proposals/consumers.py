"""WebSocket consumer of proposal pages (new comments)."""

from proposals.models import Proposal, Visibility
from proposals.visibility import proposal_visible
from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer


class ProposalConsumer(GroupRelayConsumer):
    """Events of one published proposal (new comments), for whoever may see it: the rule of
    ``proposals.visibility``, with the socket's user and session (password passes)."""

    def authorise(self) -> str | None:
        pk = self.route_pk()
        proposal = (
            Proposal.objects.select_related("consultation")
            .filter(pk=pk, visibility=Visibility.PUBLISHED)
            .first()
        )
        if proposal_visible(self.scope, proposal):
            return group_name("proposal", pk)
        return None
