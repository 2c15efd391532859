from django.urls import path

from consultations.urlids import bounded_ids
from proposals import views

app_name = "proposals"

urlpatterns = [
    path("<int:pk>/", bounded_ids(views.proposal_detail), name="detail"),
    path("<int:pk>/modifica/", bounded_ids(views.proposal_edit), name="edit"),
    path("<int:pk>/ritira/", bounded_ids(views.proposal_withdraw), name="withdraw"),
    path("<int:pk>/sostegno/", bounded_ids(views.proposal_vote), name="vote"),
    path("<int:pk>/commenti/", bounded_ids(views.comment_create), name="comment"),
    path("nuova/<int:consultation_id>/", bounded_ids(views.proposal_create), name="create"),
    path("bilancio/<int:consultation_id>/", bounded_ids(views.budget_ballot), name="budget"),
    path("commenti/<int:pk>/modifica/", bounded_ids(views.comment_edit), name="comment_edit"),
    path("commenti/<int:pk>/elimina/", bounded_ids(views.comment_delete), name="comment_delete"),
    path("commenti/<int:pk>/mi-piace/", bounded_ids(views.comment_like), name="comment_like"),
    path("segnala/<str:kind>/<int:pk>/", bounded_ids(views.report), name="report"),
]
