"""The results page and exports of a consultation. Served under /partecipa/ in the
``consultations`` namespace (``consultations:results``, ``consultations:results_export``):
``config.urls`` joins these patterns to ``consultations.urls``."""

from django.urls import path

from proposals.views import results as results_views

urlpatterns = [
    path(
        "<id:consultation_id>/risultati/",
        results_views.results,
        name="results",
    ),
    path(
        "<id:consultation_id>/risultati/<str:fmt>/",
        results_views.export,
        name="results_export",
    ),
]
