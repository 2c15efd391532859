"""The identity routes. Their views (djangosaml2 and pysaml2's client, response and signature
modules, which load xmlschema and every SAML schema) are imported on the first request to one
of them, not with the URL conf: a web worker that serves no SPID or CIE request never loads
them (docs/performance.md, "Worker memory")."""

from functools import cache

from django.urls import path

app_name = "identity"


def _on_first_use(load, *, csrf_exempt: bool = False):
    """A view calling the one ``load()`` returns, loaded on the first request. ``csrf_exempt``
    must repeat the real view's own: the CSRF middleware reads it from the resolved view
    before calling it (``tests/accounts/test_identity_sign_in.py`` checks they agree)."""
    load = cache(load)

    def view(request, *args, **kwargs):
        return load()(request, *args, **kwargs)

    view.csrf_exempt = csrf_exempt
    view.load = load
    return view


def _views():
    from accounts.spid import views

    return views


def _logout():
    from accounts.spid import logout

    return logout


urlpatterns = [
    path("metadata/", _on_first_use(lambda: _views().metadata), name="metadata"),
    path("entra/", _on_first_use(lambda: _views().IdentityLoginView.as_view()), name="login"),
    path(
        "acs/",
        _on_first_use(lambda: _views().IdentityAssertionConsumerView.as_view(), csrf_exempt=True),
        name="acs",
    ),
    path(
        "sls/",
        _on_first_use(lambda: _logout().single_logout_service, csrf_exempt=True),
        name="sls",
    ),
    path("spid/", _on_first_use(lambda: _views().spid_providers), name="spid_providers"),
]
