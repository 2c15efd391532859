from django.urls import path

from accountability import statement_views, views

app_name = "accountability"

urlpatterns = [
    path("", views.plan_records, name="plan"),
    path("azione/<str:code>/", views.action_records, name="action"),
    path("interventi/<id:pk>/", views.record_detail, name="detail"),
    path(
        "conversazioni/<id:pk>/nel-percorso/",
        statement_views.conversation_outcomes,
        name="conversation_outcomes",
    ),
    path(
        "affermazioni/<id:pk>/in-proposta/",
        statement_views.statement_to_proposal,
        name="statement_to_proposal",
    ),
    path(
        "affermazioni/<id:pk>/in-intervento/",
        statement_views.statement_to_record,
        name="statement_to_record",
    ),
]
