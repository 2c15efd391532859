from django.urls import path

from proposals.amendments import views as amendment_views
from proposals.views import participation as views

app_name = "proposals"

urlpatterns = [
    path("<id:pk>/", views.proposal_detail, name="detail"),
    path("<id:pk>/modifica/", views.proposal_edit, name="edit"),
    path("<id:pk>/ritira/", views.proposal_withdraw, name="withdraw"),
    path("<id:pk>/sostegno/", views.proposal_vote, name="vote"),
    path("<id:pk>/commenti/", views.comment_create, name="comment"),
    path("nuova/<id:consultation_id>/", views.proposal_create, name="create"),
    path("bilancio/<id:consultation_id>/", views.budget_ballot, name="budget"),
    path("commenti/<id:pk>/modifica/", views.comment_edit, name="comment_edit"),
    path("commenti/<id:pk>/elimina/", views.comment_delete, name="comment_delete"),
    path("commenti/<id:pk>/mi-piace/", views.comment_like, name="comment_like"),
    path("segnala/<str:kind>/<id:pk>/", views.report, name="report"),
    path("modifiche-alle-azioni/<id:pk>/", amendment_views.change_set_public, name="change_set"),
]
