"""/api/: the public read-only API, its OpenAPI 3 schema and a CDN-free documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from proposals.api import docs as api_docs
from proposals.api import views as api

app_name = "api"

router = DefaultRouter()
router.register("consultations", api.ConsultationViewSet, basename="consultation")
router.register("proposals", api.ProposalViewSet, basename="proposal")
router.register("answers", api.AnswerViewSet, basename="answer")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs.docs, name="docs"),
    path(
        "consultations/<id:pk>/results/",
        api.ConsultationResultsView.as_view(),
        name="consultation-results",
    ),
    path("", include(router.urls)),
]
