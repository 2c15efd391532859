from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/modifica/", views.proposal_edit, name="edit"),
    path("<int:pk>/ritira/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/sostegno/", views.proposal_vote, name="vote"),
    path("<int:pk>/commenti/", views.comment_create, name="comment"),
    path("nuova/<int:consultation_id>/", views.proposal_create, name="create"),
    path("bilancio/<int:consultation_id>/", views.budget_ballot, name="budget"),
    path("commenti/<int:pk>/modifica/", views.comment_edit, name="comment_edit"),
    path("commenti/<int:pk>/elimina/", views.comment_delete, name="comment_delete"),
    path("commenti/<int:pk>/mi-piace/", views.comment_like, name="comment_like"),
    path("segnala/<str:kind>/<int:pk>/", views.report, name="report"),
]
