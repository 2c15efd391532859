from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.logout import logout
from config.health import healthz
from config.navigation import leadership_index
from consultations import urls as consultation_urls
from notifications.feedback_views import accessibility_declaration
from proposals import results_urls
from psm.views import search, switch_language
from psm.views import serve as serve_page
from territory.views import comuni_points

# Language-neutral routes: the same address whatever the language (health, admin, files, API).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Django's set_language, then the same page in the other language (psm.translations).
    path("i18n/setlang/", switch_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/conversations/", include(("conversations.api", "conversations_api"))),
    path("api/", include("proposals.api.urls")),
    path("territorio/comuni.json", comuni_points, name="comuni_points"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What people read, in Italian at the addresses it always had and in English under /en/.
urlpatterns += i18n_patterns(
    # allauth's logout with a response that clears this site's browser storage.
    path("account/logout/", logout, name="account_logout"),
    path("account/", include("allauth.urls")),
    path("profilo/", include("accounts.urls")),
    # SPID and CIE sign-in (SAML2 service provider; 404 while not configured).
    path("identita/", include("accounts.spid.urls")),
    path(
        "partecipa/",
        include((consultation_urls.urlpatterns + results_urls.urlpatterns, "consultations")),
    ),
    path("proposte/", include("proposals.urls")),
    path("programma/", include("leadership.urls")),
    path("leadership/", leadership_index, name="leadership_index"),
    path("laboratori/", include("workshops.urls")),
    path("conversazioni/", include("conversations.urls")),
    path("risultati-attuazione/", include("accountability.urls")),
    path("concorsi/", include("contests.urls")),
    path("area-di-lavoro/", include("staffhome.urls")),
    path("dati/", include("proposals.open_data.urls")),
    path("notifiche/", include("notifications.urls")),
    path("partecipazione/", include("equity.urls")),
    path("cerca/", search, name="search"),
    path(
        "privacy/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
    path("accessibilita/", accessibility_declaration, name="accessibility"),
    path(
        "chi-siamo/",
        TemplateView.as_view(template_name="pages/about.html"),
        name="about",
    ),
    # Wagtail's page serving with the route cached per page version and language
    # (psm/caching.py); Wagtail's own URLs (its "_util/" views, and serving itself) follow.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", serve_page),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
