"""What implementation records hold about a person (see ``accounts.personal_data``): only the
editing lock of the Wagtail admin. Who edited and published is kept by Wagtail's revisions
and log, like for every page."""

from accountability.models import ImplementationRecord, StatementOutcome
from accounts.personal_data import PersonalData, anonymise

PERSONAL_DATA = (
    PersonalData(
        ImplementationRecord,
        "locked_by",
        name="record_locks",
        holds="interventi bloccati per la modifica nell'area di amministrazione",
        personal=("locked_at",),
        export=("title", "locked_at"),
        erase=anonymise({"locked_by": None, "locked": False, "locked_at": None}),
    ),
    PersonalData(
        StatementOutcome,
        "created_by",
        name="statement_outcomes",
        holds="affermazioni condivise portate in proposte e interventi da chi modera",
        export=("statement__text", "created_at"),
        erase=anonymise({"created_by": None}),
    ),
)
