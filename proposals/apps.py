from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposte")

    def export_personal_data(self, user) -> dict:
        from proposals.services.personal_data import personal_data_export

        return personal_data_export(user=user)

    def anonymise_personal_data(self, user) -> None:
        from proposals.services.personal_data import personal_data_anonymise

        personal_data_anonymise(user=user)

    def load_demo_data(self, *, accounts, stdout) -> None:
        from proposals.demo import load_demo_proposals
        from proposals.demo_answers import demo_answers_load

        load_demo_proposals(accounts=accounts, stdout=stdout)
        demo_answers_load(accounts=accounts, stdout=stdout)

    def profile_activity(self, user) -> list[tuple]:
        """What the person's profile page lists: (label, count, link)."""
        from proposals.models import Comment, Proposal

        return [
            (_("Proposte scritte"), Proposal.objects.filter(author=user).count(), ""),
            (_("Sostegni dati"), user.votes.count(), ""),
            (_("Commenti"), Comment.objects.filter(author=user, is_deleted=False).count(), ""),
        ]
