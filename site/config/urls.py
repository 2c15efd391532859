from django.conf import settings
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from consultations import urls as consultation_urls
from proposals import results_urls
from psm.views import search
from territory.views import comuni_points

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("allauth.urls")),
    path("profilo/", include("accounts.urls")),
    path(
        "partecipa/",
        include((consultation_urls.urlpatterns + results_urls.urlpatterns, "consultations")),
    ),
    path("proposte/", include("proposals.urls")),
    path("programma/", include("leadership.urls")),
    path("laboratori/", include("workshops.urls")),
    path("api/", include("proposals.api.urls")),
    path("notifiche/", include("notifications.urls")),
    path("cerca/", search, name="search"),
    path("territorio/comuni.json", comuni_points, name="comuni_points"),
    path(
        "privacy/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
    path(
        "accessibilita/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "chi-siamo/",
        TemplateView.as_view(template_name="pages/about.html"),
        name="about",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
