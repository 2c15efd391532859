from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """Live workshops: join code, activities voted on phones, results on a projector.

    The label stays ``live`` (tables ``live_*``, permissions ``live.*``, templates ``live/``).
    """

    name = "workshops"
    label = "live"
    verbose_name = _("Laboratori dal vivo")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from conversations.signals import opinion_map_computed
        from workshops.conversation_activity import push_opinion_map

        # a new opinion map reaches the projectors showing its conversation
        opinion_map_computed.connect(push_opinion_map, dispatch_uid="live-opinion-map")

    def load_demo_data(self, *, accounts, stdout) -> None:
        from workshops.demo import live_demo_load
        from workshops.demo_conversation import live_conversation_demo_load

        live_demo_load(accounts=accounts, stdout=stdout)
        live_conversation_demo_load(accounts=accounts, stdout=stdout)
