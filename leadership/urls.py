from django.urls import path, register_converter

from leadership import views


class IdConverter:
    """A database id: at most 18 digits, so absurd numbers are a 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "leadership_id")

app_name = "leadership"

urlpatterns = [
    path("candidature/", views.my_applications, name="my_applications"),
    path("bandi/<leadership_id:call_id>/candidatura/", views.apply, name="apply"),
    path("bandi/<leadership_id:call_id>/resoconto/", views.public_report, name="report"),
    path("candidature/<leadership_id:pk>/bozza/", views.autosave, name="autosave"),
    path("candidature/<leadership_id:pk>/documenti/", views.upload_document, name="upload"),
    path(
        "candidature/<leadership_id:pk>/documenti/<leadership_id:document_id>/elimina/",
        views.delete_document,
        name="delete_document",
    ),
    path("candidature/<leadership_id:pk>/invia/", views.submit, name="submit"),
    path("candidature/<leadership_id:pk>/ritira/", views.withdraw, name="withdraw"),
    path("candidature/<leadership_id:pk>/posto/", views.seat, name="seat"),
    path("documenti/<leadership_id:document_id>/", views.document, name="document"),
    path("valutazione/", views.review_list, name="review_list"),
    path("valutazione/<leadership_id:pk>/", views.review_detail, name="review_detail"),
    path("valutazione/<leadership_id:pk>/conflitto/", views.conflict, name="conflict"),
    path("coordinamento/", views.coordination, name="coordination"),
    path("coordinamento/<leadership_id:call_id>/", views.dashboard, name="dashboard"),
    path("coordinamento/<leadership_id:call_id>/assegna/", views.assign, name="assign"),
    path(
        "coordinamento/<leadership_id:call_id>/correggi/<leadership_id:application_id>/",
        views.adjust,
        name="adjust",
    ),
    path("coordinamento/<leadership_id:call_id>/conferma/", views.confirm, name="confirm"),
    path(
        "coordinamento/<leadership_id:call_id>/resoconto/",
        views.publish_report,
        name="publish_report",
    ),
    path(
        "coordinamento/<leadership_id:call_id>/percorso/", views.create_cohort, name="create_cohort"
    ),
    path(
        "coordinamento/candidature/<leadership_id:pk>/",
        views.coordinator_application,
        name="coordinator_application",
    ),
    path("percorso/<leadership_id:cohort_id>/", views.pathway, name="pathway"),
    path(
        "percorso/<leadership_id:cohort_id>/tappe/<leadership_id:stage_id>/incontri/",
        views.session_add,
        name="session_add",
    ),
    path("percorso/<leadership_id:cohort_id>/completa/", views.complete, name="complete"),
    path("incontri/<leadership_id:session_id>/", views.session_detail, name="session"),
    path("incontri/<leadership_id:session_id>/presenze/", views.attendance, name="attendance"),
    path("presenza/<str:token>/", views.checkin, name="checkin"),
    path("attestati/<str:code>/", views.certificate_pdf, name="certificate"),
    path("verifica/", views.verify, name="verify"),
    path("verifica/<str:code>/", views.verify, name="verify_code"),
]
