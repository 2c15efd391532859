from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquityConfig(AppConfig):
    """Participation across the territory: every source, per 1,000 residents aged 14–35."""

    name = "equity"
    verbose_name = _("Equità territoriale")

    def load_demo_data(self, *, accounts, stdout) -> None:
        from equity.demo import load_demo_counts

        load_demo_counts(accounts=accounts, stdout=stdout)
