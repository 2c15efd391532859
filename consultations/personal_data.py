"""What consultations hold about a person (see ``accounts.personal_data``)."""

from accounts.personal_data import PersonalData, anonymise, delete, keep
from consultations.models import (
    AgeBand,
    Facilitation,
    FacilitationLog,
    Follow,
    ParticipantBlock,
    Participation,
)

PARTICIPANT_COUNT = (
    "La riga resta, senza fascia d'età, genere, comune e zona, perché il numero di "
    "partecipanti di una consultazione non cambi; resta legata all'account svuotato."
)
OFFICE_ACT = (
    "Sospensione decisa per conto dell'ente: la traccia serve a rendere conto delle decisioni "
    "di moderazione; l'account è svuotato, resta il solo identificativo."
)

FACILITATION_RECORD = (
    "Assegnazioni decise per conto dell'ente: il registro rende conto di chi ha avuto i "
    "poteri di moderazione e chi li ha dati; l'account è svuotato, resta il solo identificativo."
)

PERSONAL_DATA = (
    PersonalData(
        Participation,
        "user",
        name="participations",
        holds="partecipazione a una consultazione, con fascia d'età, genere, comune e zona "
        "altimetrica del momento",
        personal=("age_band", "gender", "comune", "altimetric_zone"),
        export=(
            "consultation",
            "age_band",
            "gender",
            "comune",
            "comune__name",
            "altimetric_zone",
            "first_at",
        ),
        erase=anonymise(
            {"age_band": AgeBand.OTHER, "gender": "", "comune": None, "altimetric_zone": None},
            legal_basis=PARTICIPANT_COUNT,
        ),
    ),
    PersonalData(
        Follow,
        "user",
        name="follows",
        holds="consultazioni seguite",
        export=("consultation", "created_at"),
        erase=delete(),
    ),
    PersonalData(
        ParticipantBlock,
        "user",
        name="blocks",
        holds="sospensioni subite, con il motivo",
        personal=("reason",),
        export=("consultation", "reason", "created_at", "lifted_at"),
        erase=delete(),
    ),
    PersonalData(
        ParticipantBlock,
        "blocked_by",
        name="blocks_decided",
        holds="sospensioni decise come facilitatore/trice",
        export=("consultation", "created_at", "lifted_at"),
        erase=keep(legal_basis=OFFICE_ACT),
    ),
    PersonalData(
        Facilitation,
        "user",
        name="facilitations",
        holds="consultazioni e azioni del piano che facilita",
        export=("page", "page__title", "granted_at"),
        erase=delete(),
    ),
    PersonalData(
        Facilitation,
        "granted_by",
        name="facilitations_granted",
        holds="facilitazioni assegnate ad altre persone",
        export=("page", "granted_at"),
        erase=keep(legal_basis=FACILITATION_RECORD),
    ),
    PersonalData(
        FacilitationLog,
        "user",
        name="facilitation_log",
        holds="registro delle facilitazioni ricevute e tolte",
        export=("verb", "page_title", "created_at"),
        erase=keep(legal_basis=FACILITATION_RECORD),
    ),
    PersonalData(
        FacilitationLog,
        "actor",
        name="facilitation_log_actor",
        holds="registro delle facilitazioni assegnate o tolte ad altre persone",
        export=("verb", "page_title", "created_at"),
        erase=keep(legal_basis=FACILITATION_RECORD),
    ),
)
