"""What live workshops hold about a person who took part logged in (see
``accounts.personal_data``). Answers from phones without an account carry no person."""

from accounts.personal_data import PersonalData, anonymise, custom, delete, unlink_participant_key
from workshops.models import Admission, Answer, Idea, LiveSession

TALLY = (
    "Risposte e idee restano, senza legame con la persona, perché i risultati mostrati in "
    "sala non cambino."
)


PERSONAL_DATA = (
    PersonalData(
        Answer,
        "user",
        name="answers",
        holds="risposte date ai laboratori",
        personal=("participant_key",),
        export=("activity", "activity__prompt", "value", "created_at"),
        erase=custom(
            unlink_participant_key, summary="unlinked (user and key removed)", legal_basis=TALLY
        ),
    ),
    PersonalData(
        Idea,
        "user",
        name="ideas",
        holds="idee proposte ai laboratori",
        personal=("participant_key",),
        export=("activity", "text", "approved", "created_at"),
        erase=custom(
            unlink_participant_key, summary="unlinked (user and key removed)", legal_basis=TALLY
        ),
    ),
    PersonalData(
        LiveSession,
        "facilitator",
        name="facilitated_sessions",
        holds="laboratori condotti",
        export=("title", "code", "created_at", "closed_at"),
        erase=anonymise({"facilitator": None}),
    ),
    PersonalData(
        Admission,
        "participant_key",
        key=lambda user: f"u{user.pk}",
        name="joined_sessions",
        holds="laboratori a cui si è partecipato da un account",
        personal=("network",),
        export=("session__title", "created_at"),
        erase=delete(),
    ),
)
