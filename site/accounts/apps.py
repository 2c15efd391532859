from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Account")

    def ready(self):
        from django.contrib.auth import get_user_model

        from accounts.backends import connect_permission_signals
        from accounts.session_user import connect_users_version

        connect_permission_signals(get_user_model())
        connect_users_version(get_user_model())
