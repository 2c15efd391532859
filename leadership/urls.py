from django.urls import path

from leadership import views

app_name = "leadership"

urlpatterns = [
    path("candidature/", views.my_applications, name="my_applications"),
    path("bandi/<id:call_id>/candidatura/", views.apply, name="apply"),
    path("bandi/<id:call_id>/resoconto/", views.public_report, name="report"),
    path("candidature/<id:pk>/bozza/", views.autosave, name="autosave"),
    path("candidature/<id:pk>/documenti/", views.upload_document, name="upload"),
    path(
        "candidature/<id:pk>/documenti/<id:document_id>/elimina/",
        views.delete_document,
        name="delete_document",
    ),
    path("candidature/<id:pk>/invia/", views.submit, name="submit"),
    path("candidature/<id:pk>/ritira/", views.withdraw, name="withdraw"),
    path("candidature/<id:pk>/posto/", views.seat, name="seat"),
    path("documenti/<id:document_id>/", views.document, name="document"),
    path("valutazione/", views.review_list, name="review_list"),
    path("valutazione/<id:pk>/", views.review_detail, name="review_detail"),
    path("valutazione/<id:pk>/conflitto/", views.conflict, name="conflict"),
    path("coordinamento/", views.coordination, name="coordination"),
    path("coordinamento/<id:call_id>/", views.dashboard, name="dashboard"),
    path("coordinamento/<id:call_id>/assegna/", views.assign, name="assign"),
    path(
        "coordinamento/<id:call_id>/correggi/<id:application_id>/",
        views.adjust,
        name="adjust",
    ),
    path("coordinamento/<id:call_id>/conferma/", views.confirm, name="confirm"),
    path(
        "coordinamento/<id:call_id>/resoconto/",
        views.publish_report,
        name="publish_report",
    ),
    path("coordinamento/<id:call_id>/percorso/", views.create_cohort, name="create_cohort"),
    path(
        "coordinamento/candidature/<id:pk>/",
        views.coordinator_application,
        name="coordinator_application",
    ),
    path("percorso/<id:cohort_id>/", views.pathway, name="pathway"),
    path(
        "percorso/<id:cohort_id>/tappe/<id:stage_id>/incontri/",
        views.session_add,
        name="session_add",
    ),
    path("percorso/<id:cohort_id>/completa/", views.complete, name="complete"),
    path("incontri/<id:session_id>/", views.session_detail, name="session"),
    path("incontri/<id:session_id>/presenze/", views.attendance, name="attendance"),
    path("presenza/<str:token>/", views.checkin, name="checkin"),
    path("attestati/<str:code>/", views.certificate_pdf, name="certificate"),
    path("verifica/", views.verify, name="verify"),
    path("verifica/<str:code>/", views.verify, name="verify_code"),
]
