from django.urls import path, re_path, register_converter

from consultations.live import views


class DatabaseIdConverter:
    """A database id: at most 18 digits, so absurd numbers are a 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "dbid")

app_name = "live"

CODE = r"(?P<code>[A-Za-z0-9]{6})"

urlpatterns = [
    path("", views.join, name="join"),
    path("nuovo/", views.session_create, name="create"),
    path("sessione/<dbid:pk>/", views.archive, name="archive"),
    path("sessione/<dbid:pk>/schermo/", views.projector, name="projector"),
    path("sessione/<dbid:pk>/conduzione/", views.console, name="console"),
    path("sessione/<dbid:pk>/conduzione/azione/", views.console_action, name="console_action"),
    path("sessione/<dbid:pk>/attivita/nuova/", views.activity_add, name="activity_add"),
    path("sessione/<dbid:pk>/risultati.csv", views.results_csv, name="results_csv"),
    path(
        "sessione/<dbid:pk>/idee-in-proposte/", views.ideas_to_proposals, name="ideas_to_proposals"
    ),
    path(
        "api/consultation/<dbid:pk>/totals.json",
        views.consultation_totals,
        name="consultation_totals",
    ),
    re_path(rf"^{CODE}/$", views.participate, name="participate"),
    re_path(rf"^{CODE}/qr\.svg$", views.qr_code, name="qr"),
    re_path(
        rf"^{CODE}/attivita/(?P<activity_pk>[0-9]{{1,18}})/risposta/$", views.answer, name="answer"
    ),
    re_path(rf"^{CODE}/attivita/(?P<activity_pk>[0-9]{{1,18}})/idea/$", views.idea, name="idea"),
]
