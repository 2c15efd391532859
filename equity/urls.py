from django.urls import path

from equity.views import counts, dashboard

app_name = "equity"

urlpatterns = [
    path("territorio/", dashboard.territory, name="territory"),
    path("territorio/conteggi/", counts.index, name="counts"),
    path("territorio/laboratori/<id:pk>/presenze/", counts.headcount, name="headcount"),
    path(
        "territorio/laboratori/<id:pk>/presenze/<id:entry_pk>/ritira/",
        counts.headcount_withdraw,
        name="headcount_withdraw",
    ),
    path("territorio/consultazioni/<id:pk>/schede/", counts.paper, name="paper"),
    path(
        "territorio/consultazioni/<id:pk>/schede/<id:entry_pk>/ritira/",
        counts.paper_withdraw,
        name="paper_withdraw",
    ),
]
