from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contest di rigenerazione urbana")

    def ready(self):
        # psm must not import contests: the action page learns here that a contest may live
        # under it, next to what other apps declared.
        from psm.models import ActionPage

        if "contests.ContestPage" not in ActionPage.subpage_types:
            ActionPage.subpage_types = [*ActionPage.subpage_types, "contests.ContestPage"]

    def load_demo_data(self, *, accounts, stdout) -> None:
        from contests.demo import load_demo_contest

        load_demo_contest(accounts=accounts, stdout=stdout)
