"""What the civic leadership programme holds about a person (see ``accounts.personal_data``).

The order matters: documents go before the applications they belong to (their files are
removed from the private storage), and applications before the audit rows that point at them.
"""

from django.db.models import F, Q
from django.utils import timezone

from accounts.personal_data import PersonalData, anonymise, custom, delete, keep
from leadership.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Attendance,
    Certificate,
    ConflictOfInterest,
    Review,
    SelectionOverride,
    SelectionRun,
)
from leadership.services.applications import application_withdraw

SELECTION_RECORD = (
    "Candidatura inviata a un bando la cui selezione è confermata: la graduatoria è un atto "
    "pubblico dell'ente (trasparenza e diritto di accesso degli altri candidati, L. 241/1990; "
    "conservazione degli atti del procedimento). Restano stato, categoria, protocollo, date e "
    "il genere e il comune dichiarati, su cui si sono calcolate le quote; risposte, documenti "
    "e motivazioni scritte dalla persona sono cancellati."
)
REVIEW_RECORD = (
    "Valutazione inviata per una selezione confermata: i punteggi sono parte della graduatoria "
    "pubblicata; il commento è cancellato e il nome non compare (account svuotato)."
)
CONFLICT_RECORD = (
    "Dichiarazione di conflitto di interessi: prova dell'imparzialità della selezione; il "
    "motivo scritto è cancellato."
)
OFFICE_ACT = (
    "Atto compiuto per conto dell'ente (assegnazioni, correzioni, conferme, presenze): la "
    "traccia serve a rendere conto delle decisioni; l'account è svuotato."
)
CERTIFICATE_RECORD = (
    "L'attestato è revocato e senza intestatario/a; il codice resta, così chi lo verifica "
    "vede che non è più valido."
)
#: states in which an application still holds, or waits for, a seat
OPEN_SEAT = (ApplicationStatus.SELECTED, ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)


def _erase_documents(rows) -> None:
    for document in rows:
        document.file.delete(save=False)
    rows.delete()


def _erase_applications(rows) -> None:
    """Drafts and applications of calls without a confirmed selection go; the others are the
    selection's record: a seat held or awaited is given up (the waitlist moves on), then the
    answers are emptied."""
    in_selection = Q(call__selection_run__isnull=False) & ~Q(status=ApplicationStatus.DRAFT)
    rows.exclude(in_selection).delete()
    for application in rows.filter(status__in=OPEN_SEAT).select_related("applicant"):
        application_withdraw(application=application, actor=application.applicant)
    rows.update(answers={}, eligibility_reason="")


def _erase_own_reasons(rows) -> None:
    """Reasons the person wrote about their own application (withdrawal, seat declined) go;
    a coordinator's decisions about other people's applications are acts of the office."""
    rows.filter(application__applicant=F("actor")).update(actor=None, reason="")


def _erase_reviews(rows) -> None:
    rows.filter(
        Q(submitted_at__isnull=True) | Q(application__call__selection_run__isnull=True)
    ).delete()
    rows.update(comment="")


def _revoke_certificates(rows) -> None:
    rows.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    rows.update(holder_name="")


PERSONAL_DATA = (
    PersonalData(
        ApplicationDocument,
        "application__applicant",
        name="application_documents",
        holds="documenti caricati con la candidatura (file nell'archivio privato)",
        personal=("file", "original_name"),
        export=("application", "requirement__label", "original_name", "size", "uploaded_at"),
        erase=custom(_erase_documents, summary="deleted, files too"),
    ),
    PersonalData(
        Application,
        "applicant",
        name="applications",
        holds="candidature: risposte, categoria, genere e comune dichiarati, esito",
        personal=("answers", "category", "gender", "comune", "eligibility_reason"),
        export=(
            "id",
            "call",
            "call__title",
            "status",
            "protocol",
            "category",
            "answers",
            "gender",
            "comune",
            "comune__name",
            "submitted_at",
            "eligibility_reason",
            "waitlist_position",
            "offer_expires_at",
        ),
        erase=custom(
            _erase_applications,
            summary="deleted, unless the call's selection is confirmed: then any seat is given "
            "up and the answers are emptied",
            keeps_link=True,
            kept=("category", "gender", "comune"),
            legal_basis=SELECTION_RECORD,
        ),
    ),
    PersonalData(
        ApplicationTransition,
        "application__applicant",
        name="application_history",
        holds="storia della candidatura, con le motivazioni di ogni passaggio",
        export=("application", "from_status", "to_status", "reason", "created_at"),
        erase=keep(legal_basis=SELECTION_RECORD),
    ),
    PersonalData(
        ApplicationTransition,
        "actor",
        name="transitions_made",
        holds="passaggi di stato fatti dalla persona, con la motivazione scritta (es. ritiro)",
        personal=("reason",),
        export=("application", "from_status", "to_status", "reason", "created_at"),
        erase=custom(
            _erase_own_reasons,
            summary="on the person's own applications: author unlinked, reason emptied; "
            "decisions taken for the institution on other people's applications stay",
            keeps_link=True,
            kept=("reason",),
            legal_basis=OFFICE_ACT,
        ),
    ),
    PersonalData(
        ConflictOfInterest,
        "reviewer",
        name="conflicts_declared",
        holds="conflitti di interessi dichiarati come valutatore/trice, con il motivo",
        personal=("reason",),
        export=("application", "reason", "declared_at"),
        erase=anonymise({"reason": ""}, legal_basis=CONFLICT_RECORD),
    ),
    PersonalData(
        Review,
        "reviewer",
        name="reviews_written",
        holds="valutazioni scritte come valutatore/trice: punteggi e commento",
        personal=("comment",),
        export=("application", "scores", "comment", "assigned_at", "submitted_at"),
        erase=custom(
            _erase_reviews,
            summary="deleted, unless submitted for a confirmed selection: then the comment is "
            "emptied and the scores stay",
            keeps_link=True,
            legal_basis=REVIEW_RECORD,
        ),
    ),
    PersonalData(
        Review,
        "assigned_by",
        name="reviews_assigned",
        holds="assegnazioni di valutazioni fatte dal coordinamento",
        export=("application", "assigned_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        SelectionOverride,
        "decided_by",
        name="selection_overrides",
        holds="correzioni della graduatoria decise, con la motivazione",
        export=("application", "include", "motivation", "decided_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        SelectionRun,
        "confirmed_by",
        name="selections_confirmed",
        holds="selezioni confermate",
        export=("call", "confirmed_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        Attendance,
        "participant",
        name="attendances",
        holds="presenze agli incontri del percorso",
        export=("session", "session__title", "present", "method", "marked_at"),
        erase=delete(),
    ),
    PersonalData(
        Attendance,
        "marked_by",
        name="attendances_marked",
        holds="presenze registrate dal coordinamento",
        export=("session", "marked_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        Certificate,
        "application__applicant",
        name="certificates",
        holds="attestati rilasciati, con il nome dell'intestatario/a",
        personal=("holder_name",),
        export=("code", "holder_name", "programme_title", "issued_at", "revoked_at"),
        erase=custom(
            _revoke_certificates,
            summary="revoked, holder's name removed",
            keeps_link=True,
            legal_basis=CERTIFICATE_RECORD,
        ),
    ),
)
