"""What proposals, supports, comments and reports hold about a person (see
``accounts.personal_data``): exported on request, erased or anonymised when the account goes."""

from django.db import transaction

from accounts.personal_data import PersonalData, anonymise, custom, delete, keep
from consultations.models import ConsultationPage
from core.files import private_storage
from proposals.image_files import image_forget_on_commit
from proposals.models import (
    BudgetBallot,
    ChangeSet,
    Comment,
    CommentLike,
    CommentVersion,
    ImageUpload,
    ModerationAction,
    OfflineTally,
    Proposal,
    ProposalVersion,
    Report,
    StatusChange,
    Valuation,
    Vote,
)
from proposals.results import results_are_public

PUBLIC_RECORD = (
    "Testi pubblicati nella consultazione, che l'informativa dichiara destinati a restare: "
    "restano firmati «Partecipante rimosso», senza immagine né punto sulla mappa."
)
OFFICE_ACT = (
    "Atto compiuto per conto dell'ente (moderazione, risposte, conteggi): la traccia serve a "
    "rendere conto delle decisioni; l'account è svuotato, resta il solo identificativo."
)
PUBLISHED_RESULT = (
    "Voti di consultazioni con risultati già pubblicati: il risultato pubblicato non cambia "
    "(punto 8). Restano legati all'account svuotato, senza alcun dato della persona."
)


def _erase_proposal_media(rows) -> None:
    for proposal in rows.exclude(image=""):
        proposal.image.delete(save=False)
    rows.update(image=None, latitude=None, longitude=None)


def _erase_version_media(rows) -> None:
    """Versions lose map points and pictures like the proposal itself (a file a version
    shares with the proposal is gone already; deleting it again is harmless)."""
    for name in set(rows.exclude(image="").values_list("image", flat=True)):
        image_forget_on_commit(name)
    rows.update(image="", latitude=None, longitude=None)


def _erase_uploads(rows) -> None:
    """Pictures still being cleaned go with their received file (the task then finds nothing)."""
    for name in rows.exclude(original="").values_list("original", flat=True):
        transaction.on_commit(lambda name=name: private_storage.delete(name))
    rows.delete()


def _erase_deleted_comments(rows) -> None:
    """A comment the person deleted is no longer public: its text has no reason to stay."""
    rows.filter(is_deleted=True).update(body="")


def _results_public_consultations(rows, lookup: str) -> list[int]:
    pages = ConsultationPage.objects.filter(pk__in=rows.values(lookup))
    return [page.pk for page in pages if results_are_public(page)]


def _erase_votes(rows) -> None:
    public = _results_public_consultations(rows, "proposal__consultation")
    rows.exclude(proposal__consultation__in=public).delete()


def _erase_ballots(rows) -> None:
    public = _results_public_consultations(rows, "consultation")
    rows.exclude(consultation__in=public).delete()


VOTES_RULE = (
    "deleted while results are not public; kept, attached to the emptied account, once they are"
)

PERSONAL_DATA = (
    PersonalData(
        Proposal,
        "author",
        name="proposals",
        holds="proposte ed emendamenti scritti, con luogo, categoria e immagine",
        personal=("image", "latitude", "longitude"),
        export=(
            "id",
            "consultation",
            "kind",
            "title",
            "body",
            "amended_action",
            "amended_text",
            "category__name",
            "comune",
            "comune__name",
            "latitude",
            "longitude",
            "cost",
            "image",
            "visibility",
            "status",
            "source",
            "created_at",
            "updated_at",
            "published_at",
        ),
        erase=custom(
            _erase_proposal_media,
            summary="image and map point removed; texts kept, signed «Partecipante rimosso»",
            keeps_link=True,
            legal_basis=PUBLIC_RECORD,
        ),
    ),
    PersonalData(
        Proposal,
        "answered_by",
        name="official_answers",
        holds="risposte ufficiali date come facilitatore/trice",
        export=("id", "answer", "answered_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        BudgetBallot,
        "voter",
        name="budget_ballots",
        holds="schede del voto sul bilancio",
        export=("consultation", "submitted_at"),
        erase=custom(
            _erase_ballots, summary=VOTES_RULE, keeps_link=True, legal_basis=PUBLISHED_RESULT
        ),
    ),
    PersonalData(
        Vote,
        "voter",
        name="votes",
        holds="sostegni dati alle proposte",
        export=("proposal", "ballot", "created_at"),
        erase=custom(
            _erase_votes, summary=VOTES_RULE, keeps_link=True, legal_basis=PUBLISHED_RESULT
        ),
    ),
    PersonalData(
        OfflineTally,
        "recorded_by",
        name="offline_tallies",
        holds="conteggi in presenza registrati",
        export=("proposal", "supports", "meeting_date", "place", "created_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        ImageUpload,
        "author",
        name="image_uploads",
        holds="immagini ricevute per le proposte, in attesa di essere ripulite o rifiutate",
        personal=("original",),
        export=("id", "state", "reason", "created_at", "processed_at"),
        erase=custom(_erase_uploads, summary="deleted, with the received file"),
    ),
    PersonalData(
        Comment,
        "author",
        name="comments",
        holds="commenti scritti",
        export=("id", "proposal", "parent", "body", "is_deleted", "created_at", "edited_at"),
        erase=custom(
            _erase_deleted_comments,
            summary="kept, signed «Partecipante rimosso»; the text of comments the person had "
            "already deleted is emptied",
            keeps_link=True,
            legal_basis=PUBLIC_RECORD,
        ),
    ),
    PersonalData(
        CommentLike,
        "user",
        name="comment_likes",
        holds="«mi piace» ai commenti",
        export=("comment", "created_at"),
        erase=delete(),
    ),
    PersonalData(
        Report,
        "reporter",
        name="reports",
        holds="segnalazioni inviate, con il testo scritto",
        personal=("text",),
        export=("proposal", "comment", "reason", "text", "created_at", "resolved_at"),
        erase=anonymise({"reporter": None, "text": ""}),
    ),
    PersonalData(
        StatusChange,
        "changed_by",
        name="status_changes",
        holds="cambi di stato decisi come facilitatore/trice",
        export=("proposal", "from_status", "to_status", "answer", "changed_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        Valuation,
        "valued_by",
        name="valuations",
        holds="valutazioni tecniche date come facilitatore/trice (voto sul bilancio)",
        export=("proposal", "feasible", "official_cost", "reason", "valued_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        ModerationAction,
        "actor",
        name="moderation_actions",
        holds="azioni di moderazione compiute",
        export=("consultation", "action", "proposal", "comment", "public_reason", "created_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        ModerationAction,
        "user",
        name="moderation_about_me",
        holds="azioni di moderazione che riguardano la persona (sospensioni)",
        export=("consultation", "action", "public_reason", "created_at"),
        erase=anonymise({"user": None}),
    ),
    PersonalData(
        ProposalVersion,
        "proposal__author",
        name="proposal_versions",
        holds="versioni delle proprie proposte, conservate a ogni modifica",
        personal=("image", "latitude", "longitude"),
        export=(
            "proposal",
            "state",
            "title",
            "body",
            "amended_text",
            "category__name",
            "comune__name",
            "latitude",
            "longitude",
            "cost",
            "image",
            "created_at",
        ),
        erase=custom(
            _erase_version_media,
            summary="image and map point removed; texts kept, as for the proposal",
            keeps_link=True,
            legal_basis=PUBLIC_RECORD,
        ),
    ),
    PersonalData(
        ProposalVersion,
        "editor",
        name="proposal_versions_edited",
        holds="modifiche fatte alle proposte",
        export=("proposal", "state", "created_at"),
        erase=keep(legal_basis=PUBLIC_RECORD),
    ),
    PersonalData(
        ProposalVersion,
        "reviewed_by",
        name="proposal_versions_reviewed",
        holds="modifiche verificate come facilitatore/trice",
        export=("proposal", "state", "reviewed_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        CommentVersion,
        "editor",
        name="comment_versions",
        holds="versioni dei propri commenti, conservate a ogni modifica",
        export=("comment", "body", "created_at"),
        erase=keep(legal_basis=PUBLIC_RECORD),
    ),
    PersonalData(
        ChangeSet,
        "created_by",
        name="change_sets_opened",
        holds="modifiche ai testi delle azioni aperte accogliendo un emendamento",
        export=("action", "state", "created_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        ChangeSet,
        "published_by",
        name="change_sets_published",
        holds="modifiche ai testi delle azioni pubblicate",
        export=("action", "published_revision", "published_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
)
