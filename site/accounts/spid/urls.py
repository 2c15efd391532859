from django.urls import path

from accounts.spid import logout, views

app_name = "identity"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("entra/", views.IdentityLoginView.as_view(), name="login"),
    path("acs/", views.IdentityAssertionConsumerView.as_view(), name="acs"),
    path("sls/", logout.single_logout_service, name="sls"),
    path("spid/", views.spid_providers, name="spid_providers"),
]
