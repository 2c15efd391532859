"""What contests hold about a person (see ``accounts.personal_data``)."""

from accounts.personal_data import PersonalData, anonymise, custom, delete, keep
from contests.models import (
    ContestJuror,
    ContestResult,
    Entry,
    EntryMember,
    EntryStatus,
    JuryAssignment,
    JuryConflict,
    PublicVote,
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


def _erase_entries(rows) -> None:
    """Drafts go, with their files; submitted entries stay (the contest's record)."""
    for entry in rows.filter(status=EntryStatus.DRAFT):
        for item in entry.files.all():
            item.file.delete(save=False)
        entry.delete()


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
            summary="drafts deleted with their files; submitted entries kept",
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
        ContestResult,
        "confirmed_by",
        name="contest_results_confirmed",
        holds="risultati di contest confermati",
        export=("contest", "confirmed_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
)
