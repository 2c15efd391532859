from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("lette/", views.notification_read, name="read"),
    path("<id:pk>/apri/", views.notification_open, name="open"),
    path("preferenze/", views.preferences, name="preferences"),
    path("disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
