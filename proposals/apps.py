from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposte")

    def ready(self):
        from proposals import signals

        signals.connect()

    def load_demo_data(self, *, accounts, stdout) -> None:
        from proposals.demo import load_demo_proposals
        from proposals.demo_amendments import demo_amendments_load
        from proposals.demo_answers import demo_answers_load
        from proposals.demo_results import demo_results_load

        load_demo_proposals(accounts=accounts, stdout=stdout)
        demo_results_load(accounts=accounts, stdout=stdout)
        demo_answers_load(accounts=accounts, stdout=stdout)
        demo_amendments_load(accounts=accounts, stdout=stdout)

    def profile_activity(self, user) -> list[tuple]:
        """What the person's profile page lists: (label, count, link)."""
        from proposals.models import Comment, Proposal

        return [
            (_("Proposte scritte"), Proposal.objects.filter(author=user).count(), ""),
            (_("Sostegni dati"), user.votes.count(), ""),
            (_("Commenti"), Comment.objects.filter(author=user, is_deleted=False).count(), ""),
        ]
