from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    name = "leadership"
    verbose_name = _("Leadership civica")

    def load_demo_data(self, *, accounts, stdout) -> None:
        from leadership.demo import demo_load

        demo_load(accounts=accounts, stdout=stdout)

    def profile_activity(self, user) -> list[tuple]:
        from django.urls import reverse

        count = user.leadership_applications.count()
        return [
            (_("Candidature alla leadership civica"), count, reverse("leadership:my_applications"))
        ]
