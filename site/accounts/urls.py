from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("modifica/", views.profile_edit, name="edit"),
    path("i-miei-dati.json", views.export_data, name="export"),
    path("elimina/", views.delete_account, name="delete"),
    path("conferma-residenza/", views.confirm_residence, name="confirm_residence"),
]
