"""Mounted at /admin/facilitazioni/ by ``consultations.wagtail_hooks``."""

from django.urls import path

from consultations.facilitation import views

app_name = "facilitation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/togli/", views.revoke, name="revoke"),
    path("registro/", views.log, name="log"),
]
