from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffHomeConfig(AppConfig):
    """The staff's front-end area ("La mia area di lavoro"): what each role has to do, read
    from every domain app, with links to where it is done (moderation in the Wagtail admin,
    the review and coordination pages of the leadership programme, the workshops)."""

    name = "staffhome"
    verbose_name = _("Area di lavoro")
