"""Leaving the site on a shared computer (school, library): the logout also clears what this
site keeps in the browser (proposal drafts in localStorage), with the ``Clear-Site-Data``
header rather than a script, so it works under the strict CSP and without JavaScript."""

from allauth.account.views import LogoutView as AllauthLogoutView
from django.http import HttpResponse

#: Clears localStorage, sessionStorage and IndexedDB of this origin (not cookies or cache).
CLEAR_SITE_STORAGE = '"storage"'


def clear_site_storage(response: HttpResponse) -> HttpResponse:
    response["Clear-Site-Data"] = CLEAR_SITE_STORAGE
    return response


class LogoutView(AllauthLogoutView):
    """allauth's logout (same URL, name and redirect) whose response clears site storage."""

    def post(self, *args, **kwargs) -> HttpResponse:
        return clear_site_storage(super().post(*args, **kwargs))


logout = LogoutView.as_view()
