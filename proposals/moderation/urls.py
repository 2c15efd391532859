"""Admin URLs of the moderation views, mounted at /admin/moderazione/ by wagtail_hooks."""

from django.urls import path

from proposals.amendments import views as amendment_views
from proposals.moderation import valuation_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:consultation_id>/", views.queue, name="queue"),
    path("<id:consultation_id>/azione/", views.act, name="act"),
    path("<id:consultation_id>/proposte/", views.proposals, name="proposals"),
    path("<id:consultation_id>/proposte/<id:proposal_id>/", views.proposal, name="proposal"),
    path(
        "<id:consultation_id>/proposte/<id:proposal_id>/versioni/",
        views.versions,
        name="versions",
    ),
    path("<id:consultation_id>/in-presenza/", views.offline_proposal, name="offline"),
    path("<id:consultation_id>/registro/", views.audit, name="audit"),
    path(
        "modifiche-alle-azioni/<id:change_set_id>/",
        amendment_views.change_set_review,
        name="change_set",
    ),
    path("<id:consultation_id>/valutazione/", valuation_views.valuations, name="valuations"),
]
