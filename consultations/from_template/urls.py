"""Mounted at /admin/consultazioni/ by ``consultations.wagtail_hooks``."""

from django.urls import path

from consultations.from_template import views

app_name = "consultation_templates"

urlpatterns = [path("nuova/<id:parent_pk>/", views.create, name="create")]
