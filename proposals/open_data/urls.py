from django.urls import path

from proposals.open_data import views

app_name = "open_data"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogo.<str:fmt>", views.catalogue, name="catalogue"),
]
