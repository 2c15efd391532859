"""WebSocket consumer of proposal pages (new comments)."""

from proposals.models import Proposal
from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer


class ProposalConsumer(GroupRelayConsumer):
    """Events of one published proposal (new comments)."""

    def authorise(self) -> str | None:
        pk = self.route_pk()
        if Proposal.objects.published().filter(pk=pk).exists():
            return group_name("proposal", pk)
        return None
