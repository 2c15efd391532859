from django.urls import path, re_path

from consultations.live import views

app_name = "live"

CODE = r"(?P<code>[A-Za-z0-9]{6})"

urlpatterns = [
    path("", views.join, name="join"),
    path("nuovo/", views.session_create, name="create"),
    path("sessione/<id:pk>/", views.archive, name="archive"),
    path("sessione/<id:pk>/schermo/", views.projector, name="projector"),
    path("sessione/<id:pk>/conduzione/", views.console, name="console"),
    path("sessione/<id:pk>/conduzione/azione/", views.console_action, name="console_action"),
    path("sessione/<id:pk>/attivita/nuova/", views.activity_add, name="activity_add"),
    path("sessione/<id:pk>/risultati.csv", views.results_csv, name="results_csv"),
    path("sessione/<id:pk>/idee-in-proposte/", views.ideas_to_proposals, name="ideas_to_proposals"),
    path(
        "api/consultation/<id:pk>/totals.json",
        views.consultation_totals,
        name="consultation_totals",
    ),
    re_path(rf"^{CODE}/$", views.participate, name="participate"),
    re_path(rf"^{CODE}/qr\.svg$", views.qr_code, name="qr"),
    re_path(rf"^{CODE}/attivita/(?P<activity_pk>[0-9]+)/risposta/$", views.answer, name="answer"),
    re_path(rf"^{CODE}/attivita/(?P<activity_pk>[0-9]+)/idea/$", views.idea, name="idea"),
]
