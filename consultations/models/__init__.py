"""The consultation models, one module per job: the pages, their phases, who may take part,
the rows about participants, the templates new consultations start from, and the inline
categories and linked actions. Everything is importable from ``consultations.models`` (the app label and model names are unchanged)."""

from consultations.choices import (
    PHASE_VERBS,
    VERB_PHASE_NAMES,
    ConsultationStatus,
    PhaseKind,
    TerritoryScope,
    Verb,
    VoteMode,
)
from consultations.models.categories import Category, ConsultationAction
from consultations.models.eligibility import Eligibility
from consultations.models.facilitation import Facilitation, FacilitationLog, FacilitationLogVerb
from consultations.models.pages import (
    RICH_FEATURES,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPageQuerySet,
)
from consultations.models.participation import (
    AgeBand,
    Follow,
    ParticipantBlock,
    Participation,
    age_band_for,
)
from consultations.models.phases import Phase, PhaseSchedule
from consultations.models.templates import (
    ConsultationTemplate,
    PlannedPhase,
    TemplatePhase,
)

__all__ = [
    "PHASE_VERBS",
    "RICH_FEATURES",
    "VERB_PHASE_NAMES",
    "AgeBand",
    "Category",
    "ConsultationAction",
    "ConsultationIndexPage",
    "ConsultationPage",
    "ConsultationPageQuerySet",
    "ConsultationStatus",
    "ConsultationTemplate",
    "Eligibility",
    "Facilitation",
    "FacilitationLog",
    "FacilitationLogVerb",
    "Follow",
    "ParticipantBlock",
    "Participation",
    "Phase",
    "PhaseKind",
    "PhaseSchedule",
    "PlannedPhase",
    "TemplatePhase",
    "TerritoryScope",
    "Verb",
    "VoteMode",
    "age_band_for",
]
