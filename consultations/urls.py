from django.urls import path

from consultations import results_views, views

app_name = "consultations"

urlpatterns = [
    path("<int:pk>/segui/", views.follow, name="follow"),
    # Results and exports (helper B's views).
    path("<int:consultation_id>/risultati/", results_views.results, name="results"),
    path(
        "<int:consultation_id>/risultati/<str:fmt>/",
        results_views.export,
        name="results_export",
    ),
]
