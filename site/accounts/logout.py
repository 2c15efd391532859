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
    """allauth's logout (same URL, name and redirect) whose response clears site storage.
    After SPID or CIE sign-in it goes on to the identity provider's single logout
    (``accounts.spid.logout``)."""

    def post(self, *args, **kwargs) -> HttpResponse:
        from accounts.spid.logout import start_logout  # it imports this module

        single_logout = start_logout(self.request)
        response = super().post(*args, **kwargs)
        return clear_site_storage(single_logout or response)


logout = LogoutView.as_view()
