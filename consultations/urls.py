from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("<id:pk>/segui/", views.follow, name="follow"),
]
