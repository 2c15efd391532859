"""What contests hold about a person (see ``accounts.personal_data``)."""

from accounts.personal_data import PersonalData, anonymise, custom, delete, keep
from contests.models import (
    ContestJuror,
    ContestQuestion,
    ContestResult,
    Entry,
    EntryEvent,
    EntryMember,
    EntryStatus,
    JuryAssignment,
    JuryConflict,
    PublicVote,
    QuestionStatus,
)

CONTEST_RECORD = (
    "Progetto consegnato a un contest: è parte degli atti del concorso (protocollo, "
    "valutazioni della giuria, classifica pubblicata). Restano codice, titolo, descrizione e "
    "file del progetto; l'account della persona di riferimento è svuotato."
)
JURY_RECORD = (
    "Valutazione della giuria: i punteggi e la motivazione sono parte della classifica "
    "pubblicata del contest; il nome non compare (account svuotato)."
)
CONFLICT_RECORD = (
    "Dichiarazione di conflitto di interessi: prova dell'imparzialità della giuria; il motivo "
    "scritto è cancellato."
)
OFFICE_ACT = (
    "Conferma dei risultati fatta per conto dell'ente: la traccia serve a rendere conto della "
    "decisione; l'account è svuotato."
)


ENTRY_TRAIL = (
    "Traccia di iscrizione, consegna e ritiro di un progetto: rende conto della consegna "
    "entro il termine e del ritiro (con il protocollo); il motivo scritto è cancellato e "
    "l'account è svuotato."
)
ANSWER_ACT = (
    "Risposta pubblica a una domanda sul contest, data per conto dell'ente: la traccia serve "
    "a rendere conto di chi ha risposto; l'account è svuotato."
)


def _erase_entries(rows) -> None:
    """Drafts (and entries withdrawn before they were ever submitted) go, with their files;
    submitted entries stay (the contest's record), withdrawn ones with their protocol too."""
    never_submitted = rows.filter(status=EntryStatus.DRAFT) | rows.filter(
        status=EntryStatus.WITHDRAWN, protocol__isnull=True
    )
    for entry in never_submitted:
        for item in entry.files.all():
            item.file.delete(save=False)
        entry.delete()


def _erase_questions(rows) -> None:
    """Unanswered or set-aside questions go; published ones stay without their asker."""
    rows.exclude(status=QuestionStatus.PUBLISHED).delete()
    rows.update(asker=None)


PERSONAL_DATA = (
    PersonalData(
        Entry,
        "contact",
        name="contest_entries",
        holds="progetti presentati ai contest come persona di riferimento",
        personal=("organisation", "title", "summary", "video_url"),
        export=("code", "contest", "kind", "organisation", "title", "status", "protocol"),
        erase=custom(
            _erase_entries,
            summary="drafts and never-submitted withdrawn entries deleted with their files; "
            "submitted entries kept",
            keeps_link=True,
            legal_basis=CONTEST_RECORD,
        ),
    ),
    PersonalData(
        EntryMember,
        "user",
        name="contest_team_memberships",
        holds="squadre di cui la persona fa parte, con indirizzo e-mail e ruolo",
        personal=("email", "role"),
        export=("entry", "email", "role", "invited_at", "accepted_at"),
        erase=delete(),
    ),
    PersonalData(
        EntryMember,
        "email",
        name="contest_invitations",
        holds="inviti in una squadra ricevuti all'indirizzo e-mail dell'account",
        personal=("email",),
        export=("entry", "role", "invited_at"),
        erase=delete(),
        key=lambda user: user.email,
    ),
    PersonalData(
        ContestJuror,
        "user",
        name="contest_jury_seats",
        holds="giurie di cui la persona fa parte",
        export=("contest",),
        erase=delete(),
    ),
    PersonalData(
        JuryAssignment,
        "juror",
        name="contest_jury_scores",
        holds="valutazioni scritte come giurato/a: punteggi e motivazione",
        personal=("comment",),
        export=("entry", "scores", "comment", "assigned_at", "submitted_at"),
        erase=keep(legal_basis=JURY_RECORD),
    ),
    PersonalData(
        JuryConflict,
        "juror",
        name="contest_conflicts",
        holds="conflitti di interessi dichiarati come giurato/a, con il motivo",
        personal=("reason",),
        export=("entry", "reason", "declared_at"),
        erase=anonymise({"reason": ""}, legal_basis=CONFLICT_RECORD),
    ),
    PersonalData(
        PublicVote,
        "voter",
        name="contest_votes",
        holds="voti pubblici dati nei contest",
        export=("contest", "entry", "created_at"),
        erase=delete(),
    ),
    PersonalData(
        EntryEvent,
        "actor",
        name="contest_entry_events",
        holds="iscrizioni, consegne e ritiri di progetti fatti, con il motivo del ritiro",
        personal=("reason",),
        export=("entry", "kind", "reason", "at"),
        erase=anonymise({"reason": ""}, legal_basis=ENTRY_TRAIL),
    ),
    PersonalData(
        ContestQuestion,
        "asker",
        name="contest_questions",
        holds="domande fatte sui contest (pubblicate senza nome, con la risposta)",
        personal=("question",),
        export=("contest", "question", "status", "answer", "created_at"),
        erase=custom(
            _erase_questions,
            summary="unpublished questions deleted; published ones unlinked (asker emptied)",
            keeps_link=False,
            legal_basis=(
                "Domanda pubblicata con la sua risposta sulla pagina del contest, senza nome: "
                "resta perché la risposta vale per tutte e tutti; non è più legata all'account."
            ),
        ),
    ),
    PersonalData(
        ContestQuestion,
        "answered_by",
        name="contest_questions_answered",
        holds="risposte date alle domande sui contest",
        export=("contest", "question", "status", "answered_at"),
        erase=keep(legal_basis=ANSWER_ACT),
    ),
    PersonalData(
        ContestResult,
        "confirmed_by",
        name="contest_results_confirmed",
        holds="risultati di contest confermati",
        export=("contest", "confirmed_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
)
