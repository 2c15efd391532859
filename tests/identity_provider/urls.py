"""The site's URLs plus the test identity provider's (``@pytest.mark.urls`` in the tests)."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tests.identity_provider import views

urlpatterns = [
    path("idp-di-prova/<str:kind>/sso", views.sso, name="test_idp_sso"),
    path("idp-di-prova/<str:kind>/slo", views.slo, name="test_idp_slo"),
    *site_urlpatterns,
]
