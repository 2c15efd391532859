from django.urls import path

from leadership.views import (
    applications,
    certificates,
    coordination,
    pathway,
    public,
    reviews,
)

app_name = "leadership"

urlpatterns = [
    path("candidature/", applications.my_applications, name="my_applications"),
    path("bandi/<id:call_id>/candidatura/", applications.apply, name="apply"),
    path("bandi/<id:call_id>/resoconto/", public.public_report, name="report"),
    path("candidature/<id:pk>/bozza/", applications.autosave, name="autosave"),
    path("candidature/<id:pk>/documenti/", applications.upload_document, name="upload"),
    path(
        "candidature/<id:pk>/documenti/<id:document_id>/elimina/",
        applications.delete_document,
        name="delete_document",
    ),
    path("candidature/<id:pk>/invia/", applications.submit, name="submit"),
    path("candidature/<id:pk>/ritira/", applications.withdraw, name="withdraw"),
    path("candidature/<id:pk>/posto/", applications.seat, name="seat"),
    path("documenti/<id:document_id>/", applications.document, name="document"),
    path("valutazione/", reviews.review_list, name="review_list"),
    path("valutazione/<id:pk>/", reviews.review_detail, name="review_detail"),
    path("valutazione/<id:pk>/conflitto/", reviews.conflict, name="conflict"),
    path("coordinamento/", coordination.coordination, name="coordination"),
    path("coordinamento/<id:call_id>/", coordination.dashboard, name="dashboard"),
    path("coordinamento/<id:call_id>/assegna/", coordination.assign, name="assign"),
    path(
        "coordinamento/<id:call_id>/correggi/<id:application_id>/",
        coordination.adjust,
        name="adjust",
    ),
    path("coordinamento/<id:call_id>/conferma/", coordination.confirm, name="confirm"),
    path(
        "coordinamento/<id:call_id>/resoconto/",
        coordination.publish_report,
        name="publish_report",
    ),
    path("coordinamento/<id:call_id>/percorso/", coordination.create_cohort, name="create_cohort"),
    path(
        "coordinamento/candidature/<id:pk>/",
        coordination.coordinator_application,
        name="coordinator_application",
    ),
    path("percorso/<id:cohort_id>/", pathway.pathway, name="pathway"),
    path(
        "percorso/<id:cohort_id>/tappe/<id:stage_id>/incontri/",
        pathway.session_add,
        name="session_add",
    ),
    path("percorso/<id:cohort_id>/completa/", pathway.complete, name="complete"),
    path("incontri/<id:session_id>/", pathway.session_detail, name="session"),
    path("incontri/<id:session_id>/presenze/", pathway.attendance, name="attendance"),
    path("presenza/<str:token>/", pathway.checkin, name="checkin"),
    path("attestati/<str:code>/", certificates.certificate_pdf, name="certificate"),
    path("verifica/", certificates.verify, name="verify"),
    path("verifica/<str:code>/", certificates.verify, name="verify_code"),
]
