"""Each person's language: remembered from the site they read, used for what they receive."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.session_user import bump_users_version

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_of(user) -> str:
    """The language to write to ``user`` in (Italian when unknown)."""
    code = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return code if code in SUPPORTED else settings.LANGUAGE_CODE


def in_language_of(user):
    """``with in_language_of(person):`` translates what is written for that person."""
    return translation.override(language_of(user))


class RememberLanguageMiddleware:
    """Remember the language a signed-in person reads the site in (the switch in the header,
    or the browser's), so e-mails reach them in it. One UPDATE when it changes, none else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        code = getattr(request, "LANGUAGE_CODE", None)
        if (
            user is not None
            and user.is_authenticated
            and code in SUPPORTED
            and getattr(user, "language", code) != code
        ):
            get_user_model().objects.filter(pk=user.pk).update(language=code)
            bump_users_version()  # an UPDATE sends no post_save (accounts.session_user)
            user.language = code
        return response
