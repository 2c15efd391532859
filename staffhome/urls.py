from django.urls import path

from staffhome import views

app_name = "staffhome"

urlpatterns = [path("", views.home, name="home")]
