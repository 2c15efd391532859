"""What the participation counts hold about a person (see ``accounts.personal_data``): only who
entered or withdrew a count, an act done for the body. The counts themselves name nobody."""

from accounts.personal_data import PersonalData, keep
from equity.models import PaperTally, WorkshopHeadcount

OFFICE_ACT = (
    "Atto compiuto per conto dell'ente (moderazione, risposte, conteggi): la traccia serve a "
    "rendere conto delle decisioni; l'account è svuotato, resta il solo identificativo."
)

PERSONAL_DATA = (
    PersonalData(
        WorkshopHeadcount,
        "entered_by",
        name="workshop_headcounts_entered",
        holds="presenze dei laboratori inserite",
        export=("session__title", "count", "entered_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        WorkshopHeadcount,
        "withdrawn_by",
        name="workshop_headcounts_withdrawn",
        holds="presenze dei laboratori ritirate",
        export=("session__title", "count", "withdrawn_at", "withdrawal_reason"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        PaperTally,
        "entered_by",
        name="paper_tallies_entered",
        holds="schede su carta contate e inserite",
        export=("consultation__title", "count", "entered_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        PaperTally,
        "withdrawn_by",
        name="paper_tallies_withdrawn",
        holds="schede su carta ritirate",
        export=("consultation__title", "count", "withdrawn_at", "withdrawal_reason"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
)
