"""The vocabulary of consultations: verbs, phase kinds, vote modes, territory scopes, statuses.

Plain enumerations with no models, so rules, models and other apps can all use them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    READ = "read", _("leggere")
    SUBMIT = "submit", _("proporre")
    COMMENT = "comment", _("commentare")
    VOTE = "vote", _("votare")
    READ_ANSWERS = "read_answers", _("leggere le risposte")
    CONVERSE = "converse", _("partecipare alla conversazione")


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Informazione")
    PROPOSALS = "proposals", _("Proposte")
    DISCUSSION = "discussion", _("Discussione")
    VOTING = "voting", _("Voto")
    RESULTS = "results", _("Risultati")
    CONVERSATION = "conversation", _("Conversazione")


#: What each phase kind allows (reading is always allowed while a phase runs).
PHASE_VERBS: dict[str, frozenset[str]] = {
    PhaseKind.INFORMATION: frozenset({Verb.READ}),
    PhaseKind.PROPOSALS: frozenset({Verb.READ, Verb.SUBMIT, Verb.COMMENT}),
    PhaseKind.DISCUSSION: frozenset({Verb.READ, Verb.COMMENT}),
    PhaseKind.VOTING: frozenset({Verb.READ, Verb.VOTE, Verb.COMMENT}),
    PhaseKind.RESULTS: frozenset({Verb.READ, Verb.READ_ANSWERS}),
    # Conversations (the conversations app): write short statements and vote on them.
    PhaseKind.CONVERSATION: frozenset({Verb.READ, Verb.CONVERSE}),
}

#: How a refusal names the verb's phase ("La fase di voto apre il 3 marzo").
VERB_PHASE_NAMES = {
    Verb.SUBMIT: _("La fase delle proposte"),
    Verb.COMMENT: _("La fase di discussione"),
    Verb.VOTE: _("La fase di voto"),
    Verb.READ_ANSWERS: _("La fase dei risultati"),
    Verb.CONVERSE: _("La fase di conversazione"),
    Verb.READ: _("La consultazione"),
}


class TerritoryScope(models.TextChoices):
    ALL = "all", _("Tutta la Città metropolitana (e chi vive fuori area)")
    COMUNI = "comuni", _("Solo alcuni comuni")
    ZONES = "zones", _("Solo alcune zone altimetriche")


class VoteMode(models.TextChoices):
    SUPPORT = "support", _("Un sostegno per proposta, senza limiti")
    LIMITED = "limited", _("Al massimo N sostegni a persona")
    BUDGET = "budget", _("Bilancio: una scelta di proposte entro il budget")


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("In arrivo")
    OPEN = "open", _("Aperta")
    CLOSED = "closed", _("Conclusa")
