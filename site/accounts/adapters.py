from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.utils import timezone


class AccountAdapter(DefaultAccountAdapter):
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
