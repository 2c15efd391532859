from django.urls import path

from consultations import results_views, views
from consultations.urlids import bounded_ids

app_name = "consultations"

urlpatterns = [
    path("<int:pk>/segui/", bounded_ids(views.follow), name="follow"),
    # Results and exports (helper B's views).
    path(
        "<int:consultation_id>/risultati/",
        bounded_ids(results_views.results),
        name="results",
    ),
    path(
        "<int:consultation_id>/risultati/<str:fmt>/",
        bounded_ids(results_views.export),
        name="results_export",
    ),
]
