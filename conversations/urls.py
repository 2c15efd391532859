from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("<id:pk>/", views.conversation_detail, name="detail"),
    path("<id:pk>/nuova-affermazione/", views.statement_create, name="statement_create"),
    path("<id:pk>/le-mie-risposte/", views.my_votes, name="my_votes"),
    path("<id:pk>/risultati/", views.results, name="results"),
    path("<id:pk>/risultati/<str:fmt>/", views.export, name="export"),
    path("<id:pk>/moderazione/", views.moderation, name="moderation"),
    path("affermazioni/<id:pk>/voto/", views.statement_vote, name="vote"),
    path("affermazioni/<id:pk>/modera/", views.statement_moderate, name="moderate"),
    path("nuova/<id:consultation_id>/", views.conversation_create, name="create"),
]
