from django.urls import path

from leadership import views

app_name = "leadership"

urlpatterns = [
    path("candidature/", views.my_applications, name="my_applications"),
    path("bandi/<int:call_id>/candidatura/", views.apply, name="apply"),
    path("bandi/<int:call_id>/resoconto/", views.public_report, name="report"),
    path("candidature/<int:pk>/bozza/", views.autosave, name="autosave"),
    path("candidature/<int:pk>/documenti/", views.upload_document, name="upload"),
    path(
        "candidature/<int:pk>/documenti/<int:document_id>/elimina/",
        views.delete_document,
        name="delete_document",
    ),
    path("candidature/<int:pk>/invia/", views.submit, name="submit"),
    path("candidature/<int:pk>/ritira/", views.withdraw, name="withdraw"),
    path("candidature/<int:pk>/posto/", views.seat, name="seat"),
    path("documenti/<int:document_id>/", views.document, name="document"),
    path("valutazione/", views.review_list, name="review_list"),
    path("valutazione/<int:pk>/", views.review_detail, name="review_detail"),
    path("valutazione/<int:pk>/conflitto/", views.conflict, name="conflict"),
    path("coordinamento/", views.coordination, name="coordination"),
    path("coordinamento/<int:call_id>/", views.dashboard, name="dashboard"),
    path("coordinamento/<int:call_id>/assegna/", views.assign, name="assign"),
    path(
        "coordinamento/<int:call_id>/correggi/<int:application_id>/",
        views.adjust,
        name="adjust",
    ),
    path("coordinamento/<int:call_id>/conferma/", views.confirm, name="confirm"),
    path("coordinamento/<int:call_id>/resoconto/", views.publish_report, name="publish_report"),
    path("coordinamento/<int:call_id>/percorso/", views.create_cohort, name="create_cohort"),
    path(
        "coordinamento/candidature/<int:pk>/",
        views.coordinator_application,
        name="coordinator_application",
    ),
    path("percorso/<int:cohort_id>/", views.pathway, name="pathway"),
    path(
        "percorso/<int:cohort_id>/tappe/<int:stage_id>/incontri/",
        views.session_add,
        name="session_add",
    ),
    path("percorso/<int:cohort_id>/completa/", views.complete, name="complete"),
    path("incontri/<int:session_id>/", views.session_detail, name="session"),
    path("incontri/<int:session_id>/presenze/", views.attendance, name="attendance"),
    path("presenza/<str:token>/", views.checkin, name="checkin"),
    path("attestati/<str:code>/", views.certificate_pdf, name="certificate"),
    path("verifica/", views.verify, name="verify"),
    path("verifica/<str:code>/", views.verify, name="verify_code"),
]
