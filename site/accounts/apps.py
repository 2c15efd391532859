from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Account")

    def ready(self):
        from django.contrib.auth import get_user_model

        from accounts.backends import connect_permission_signals

        connect_permission_signals(get_user_model())
