"""What conversations hold about a person (see ``accounts.personal_data``): the statements
they wrote, their votes, the conversations they opened and the statements they moderated."""

from accounts.personal_data import PersonalData, anonymise, custom, unlink_participant_key
from conversations.models import Conversation, Statement, StatementVote

PUBLIC_RECORD = (
    "Affermazioni pubblicate nella conversazione, su cui altre persone hanno votato: restano, "
    "senza autore o autrice."
)
TALLY = (
    "I voti restano, senza legame con la persona, perché la mappa delle opinioni e i conteggi "
    "pubblicati non cambino."
)


PERSONAL_DATA = (
    PersonalData(
        Statement,
        "author",
        name="conversation_statements",
        holds="affermazioni scritte nelle conversazioni",
        personal=("text",),
        export=("conversation__question", "text", "status", "created_at"),
        erase=anonymise({"author": None}, legal_basis=PUBLIC_RECORD),
    ),
    PersonalData(
        StatementVote,
        "user",
        name="statement_votes",
        holds="voti sulle affermazioni delle conversazioni",
        personal=("participant_key", "choice"),
        export=("statement__text", "choice", "updated_at"),
        erase=custom(
            unlink_participant_key, summary="unlinked (user and key removed)", legal_basis=TALLY
        ),
    ),
    PersonalData(
        Conversation,
        "created_by",
        name="conversations_opened",
        holds="conversazioni aperte da chi modera",
        export=("question", "created_at"),
        erase=anonymise({"created_by": None}),
    ),
    PersonalData(
        Statement,
        "moderated_by",
        name="statements_moderated",
        holds="affermazioni moderate",
        export=("text", "status", "moderated_at"),
        erase=anonymise({"moderated_by": None}),
    ),
)
