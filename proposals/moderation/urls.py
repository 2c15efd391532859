"""Admin URLs of the moderation views, mounted at /admin/moderazione/ by wagtail_hooks."""

from django.urls import path

from proposals.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:consultation_id>/", views.queue, name="queue"),
    path("<id:consultation_id>/azione/", views.act, name="act"),
    path("<id:consultation_id>/proposte/", views.proposals, name="proposals"),
    path("<id:consultation_id>/proposte/<id:proposal_id>/", views.proposal, name="proposal"),
    path("<id:consultation_id>/in-presenza/", views.offline_proposal, name="offline"),
    path("<id:consultation_id>/registro/", views.audit, name="audit"),
]
