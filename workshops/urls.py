from django.urls import path, re_path

from proposals.views.totals import consultation_totals
from workshops.views import console, conversation, exports, phones

app_name = "live"

CODE = r"(?P<code>[A-Za-z0-9]{6})"

urlpatterns = [
    path("", phones.join, name="join"),
    path("nuovo/", console.session_create, name="create"),
    path("sessione/<id:pk>/", exports.archive, name="archive"),
    path("sessione/<id:pk>/schermo/", console.projector, name="projector"),
    path(
        "sessione/<id:pk>/schermo/nuovo-collegamento/",
        console.projector_link_renew,
        name="projector_link_renew",
    ),
    path("schermo/<str:token>/", console.projector_link, name="projector_link"),
    path("sessione/<id:pk>/conduzione/", console.console, name="console"),
    path("sessione/<id:pk>/conduzione/azione/", console.console_action, name="console_action"),
    path("sessione/<id:pk>/attivita/nuova/", console.activity_add, name="activity_add"),
    path("sessione/<id:pk>/risultati.csv", exports.results_csv, name="results_csv"),
    path(
        "sessione/<id:pk>/idee-in-proposte/",
        console.ideas_to_proposals,
        name="ideas_to_proposals",
    ),
    # The proposals' support totals (re-read after a WebSocket reconnection): the view is
    # proposals', the path stays where pages and scripts already look for it.
    path("api/consultation/<id:pk>/totals.json", consultation_totals, name="consultation_totals"),
    re_path(rf"^{CODE}/$", phones.participate, name="participate"),
    re_path(rf"^{CODE}/qr\.svg$", phones.qr_code, name="qr"),
    re_path(rf"^{CODE}/attivita/(?P<activity_pk>[0-9]+)/risposta/$", phones.answer, name="answer"),
    re_path(rf"^{CODE}/attivita/(?P<activity_pk>[0-9]+)/idea/$", phones.idea, name="idea"),
    re_path(
        rf"^{CODE}/attivita/(?P<activity_pk>[0-9]+)/affermazione/$",
        conversation.vote,
        name="conversation_vote",
    ),
]
