from django.urls import path

from consultations import results_views, views

app_name = "consultations"

urlpatterns = [
    path("<id:pk>/segui/", views.follow, name="follow"),
    # Results and exports (helper B's views).
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
