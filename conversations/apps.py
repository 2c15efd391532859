from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversazioni")

    def load_demo_data(self, *, accounts, stdout) -> None:
        from conversations.demo import load_demo_conversation

        load_demo_conversation(accounts=accounts, stdout=stdout)

    def profile_activity(self, user) -> list[tuple]:
        """What the person's profile page lists: (label, count, link)."""
        from conversations.models import Statement, StatementVote

        return [
            (_("Affermazioni scritte"), Statement.objects.filter(author=user).count(), ""),
            (_("Voti sulle affermazioni"), StatementVote.objects.filter(user=user).count(), ""),
        ]
