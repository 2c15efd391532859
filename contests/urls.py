from django.urls import path

from contests.views import entries, jury, manage, public

app_name = "contests"

urlpatterns = [
    path("miei/", entries.mine, name="mine"),
    path("inviti/<id:member_id>/accetta/", entries.accept, name="accept"),
    path("<id:contest_id>/partecipa/", entries.start, name="start"),
    path("<id:contest_id>/voto/", public.vote, name="vote"),
    path("<id:contest_id>/domande/", public.ask, name="ask"),
    path("<id:contest_id>/patto/", public.agreement_file, name="agreement_file"),
    path("progetti/<id:pk>/", entries.entry, name="entry"),
    path("progetti/<id:pk>/bozza/", entries.autosave, name="autosave"),
    path("progetti/<id:pk>/squadra/", entries.invite, name="invite"),
    path(
        "progetti/<id:pk>/squadra/<id:member_id>/togli/",
        entries.remove_member,
        name="remove_member",
    ),
    path("progetti/<id:pk>/file/", entries.upload, name="upload"),
    path("progetti/<id:pk>/file/<id:file_id>/", entries.download, name="download"),
    path("progetti/<id:pk>/file/<id:file_id>/elimina/", entries.delete_file, name="delete_file"),
    path("progetti/<id:pk>/consegna/", entries.submit, name="submit"),
    path("progetti/<id:pk>/ritira/", entries.withdraw, name="withdraw"),
    path("giuria/", jury.jury_list, name="jury_list"),
    path("giuria/<id:pk>/", jury.jury_detail, name="jury_detail"),
    path("giuria/<id:pk>/nessun-conflitto/", jury.no_conflict, name="no_conflict"),
    path("giuria/<id:pk>/conflitto/", jury.conflict, name="conflict"),
    path("giuria/<id:pk>/file/<id:file_id>/", jury.jury_file, name="jury_file"),
    path("<id:contest_id>/gestione/", manage.dashboard, name="manage"),
    path("<id:contest_id>/gestione/assegna/", manage.assign, name="assign"),
    path("<id:contest_id>/gestione/risultati/", manage.confirm, name="confirm"),
    path("<id:contest_id>/gestione/seguito/", manage.follow_up, name="follow_up"),
    path("<id:contest_id>/gestione/patto/", manage.attach_agreement, name="attach_agreement"),
    path("<id:contest_id>/gestione/laboratori/", manage.codesign, name="codesign"),
    path("<id:contest_id>/gestione/domande/<id:question_id>/", manage.answer, name="answer"),
]
