from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clients import client_ip


class AccountAdapter(DefaultAccountAdapter):
    # allauth's Italian catalogue says "Un utente è già registrato": our words, for everyone.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _("Esiste già un account con questo indirizzo e-mail."),
        "unknown_email": _("Nessun account usa questo indirizzo e-mail."),
    }

    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        """Save the allauth user together with our extra sign-up fields, in one write."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.display_name = data["display_name"].strip()
        user.birth_date = data["birth_date"]
        user.gender = data.get("gender") or ""
        for field, value in form.cleaned_residence().items():
            setattr(user, field, value)
        user.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        user.privacy_accepted_at = timezone.now()
        if commit:
            user.save()
        return user

    def get_logout_redirect_url(self, request):
        """The home page in the language being read (``/en/`` after signing out from an
        English page), not always the Italian one."""
        return reverse("wagtail_serve", args=[""])

    def get_client_ip(self, request):
        """The address allauth's rate limits key on: the project's one client-address rule."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of allauth's per-account failed-login limit, made per client *and* account:
        five wrong passwords typed elsewhere must not lock the owner out. (allauth keeps one
        per-client limit besides, for someone trying many accounts.) A successful password
        reset clears the key of the client that reset it."""
        return (
            f"{super()._get_login_attempts_cache_key(request, **credentials)}@{client_ip(request)}"
        )
