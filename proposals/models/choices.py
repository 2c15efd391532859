"""The vocabularies of proposals: kinds, visibility, statuses, sources, report reasons,
moderation verbs and version states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposta")
    AMENDMENT = "amendment", _("Emendamento a un'azione")


class Visibility(models.TextChoices):
    PENDING = "pending", _("In attesa di verifica")
    PUBLISHED = "published", _("Pubblicata")
    HIDDEN = "hidden", _("Nascosta da chi modera")
    WITHDRAWN = "withdrawn", _("Ritirata")


class ProposalStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In valutazione")
    ACCEPTED = "accepted", _("Accolta")
    REJECTED = "rejected", _("Non accolta")
    IMPLEMENTED = "implemented", _("Realizzata")
    MERGED = "merged", _("Unita a un'altra proposta")
    #: An amendment whose text is now in the published action page (set only by publishing
    #: its change set, see ``proposals.amendments.services.changeset_publish``).
    INCORPORATED = "incorporated", _("Integrata nel testo dell'azione")


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In presenza")


class CommentVisibility(models.TextChoices):
    PUBLISHED = "published", _("Pubblicato")
    HIDDEN = "hidden", _("Nascosto da chi modera")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Pubblicità o spam")
    OFFENSIVE = "offensive", _("Contenuto offensivo")
    PERSONAL_DATA = "personal_data", _("Contiene dati personali")
    OFF_TOPIC = "off_topic", _("Fuori tema")
    OTHER = "other", _("Altro")


class ModerationVerb(models.TextChoices):
    HIDE = "hide", _("Nascosto")
    RESTORE = "restore", _("Ripristinato")
    BLOCK = "block", _("Partecipante sospeso/a")
    UNBLOCK = "unblock", _("Sospensione revocata")
    ANSWER = "answer", _("Risposta ufficiale")
    STATUS = "status", _("Cambio di stato")
    OFFLINE_RECORD = "offline_record", _("Registrazione in presenza")
    AMENDMENT_ACCEPT = "amendment_accept", _("Emendamento accolto")
    AMENDMENT_RESOLVE = "amendment_resolve", _("Conflitto tra emendamenti risolto")
    AMENDMENT_PUBLISH = "amendment_publish", _("Emendamento integrato nel testo pubblicato")
    EDIT_APPROVE = "edit_approve", _("Modifica approvata")
    EDIT_REJECT = "edit_reject", _("Modifica non approvata")
    FLAG = "flag", _("Segnalato per verifica prioritaria")
    VALUATION = "valuation", _("Valutazione tecnica")


class VersionState(models.TextChoices):
    """Where a version of a proposal stands: its text is (or was) the public one, waits for
    a moderator, was not approved, or was replaced by a later edit before anyone looked."""

    APPLIED = "applied", _("Applicata")
    PENDING = "pending", _("In attesa di verifica")
    REJECTED = "rejected", _("Non approvata")
    SUPERSEDED = "superseded", _("Sostituita da una modifica successiva")


class AmendmentState(models.TextChoices):
    """Where an amendment stands on its way into the action's text."""

    PROPOSED = "proposed", _("Proposto")
    MERGED = "merged", _("Accolto, nella modifica in preparazione")
    CONFLICT = "conflict", _("Accolto, in conflitto con un'altra modifica")
    INCORPORATED = "incorporated", _("Integrato nel testo pubblicato")


class ChangeSetState(models.TextChoices):
    OPEN = "open", _("In preparazione")
    PUBLISHED = "published", _("Pubblicata")
