"""The data dictionary: every column of every results table, with its meaning and type.

The exports (``proposals.exports``) take their headers from here, so a column cannot be
published without a description. A column marked ``personal`` names a person: it stays in the
moderators' downloads and is left out of the public ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

INTEGER = _("numero intero")
DECIMAL = _("numero decimale (punto come separatore)")
TEXT = _("testo")
DATETIME = _("data e ora (AAAA-MM-GG hh:mm, ora italiana)")
YES_NO = _("sì / no")


@dataclass(frozen=True)
class Column:
    label: str
    description: str
    kind: str
    personal: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    #: the whole table is for moderators only (texts by many people, with their names)
    public: bool = True


PROPOSALS = Table(
    key="proposte",
    title=_("Proposte e sostegni"),
    description=_(
        "Una riga per proposta pubblicata, nell'ordine della classifica: sostegni online e in "
        "presenza, costo e finanziamento (voto sul bilancio), stato e risposta ufficiale."
    ),
    columns=(
        Column(_("posizione"), _("Posizione nella classifica per sostegni totali."), INTEGER),
        Column(_("id"), _("Identificativo della proposta, stabile nel tempo."), INTEGER),
        Column(_("titolo"), _("Titolo scritto da chi ha fatto la proposta."), TEXT),
        Column(_("categoria"), _("Categoria scelta tra quelle della consultazione."), TEXT),
        Column(_("comune"), _("Comune a cui la proposta si riferisce, se indicato."), TEXT),
        Column(_("origine"), _("Online, in un incontro in presenza o su carta."), TEXT),
        Column(
            _("autore/autrice"),
            _("Nome pubblico di chi ha scritto la proposta (solo per chi modera)."),
            TEXT,
            personal=True,
        ),
        Column(_("sostegni online"), _("Sostegni dati sulla piattaforma."), INTEGER),
        Column(
            _("sostegni in presenza"),
            _("Sostegni contati negli incontri e registrati da chi facilita."),
            INTEGER,
        ),
        Column(_("sostegni totali"), _("Somma dei sostegni online e in presenza."), INTEGER),
        Column(
            _("costo stimato (€)"),
            _("Costo in euro stimato da chi ha proposto; vuoto se non indicato."),
            DECIMAL,
        ),
        Column(
            _("costo ufficiale (€)"),
            _(
                "Costo in euro della valutazione tecnica fatta prima del voto (voto sul "
                "bilancio): è quello usato per la scheda e per il finanziamento; vuoto se non "
                "valutata."
            ),
            DECIMAL,
        ),
        Column(
            _("fattibile"),
            _(
                "Esito della valutazione tecnica (voto sul bilancio): solo le proposte fattibili "
                "vanno sulla scheda; vuoto se non valutata."
            ),
            YES_NO,
        ),
        Column(
            _("finanziata"),
            _(
                "Sì se rientra nel budget secondo la regola pubblicata (voto sul bilancio): le più "
                "votate in ordine, al costo ufficiale, finché il budget basta."
            ),
            YES_NO,
        ),
        Column(_("stato"), _("Esito deciso da chi facilita (accolta, non accolta…)."), TEXT),
        Column(_("risposta ufficiale"), _("Testo della risposta ufficiale più recente."), TEXT),
        Column(_("risposta data il"), _("Quando è stata data la risposta."), DATETIME),
        Column(
            _("unita a (id)"),
            _("Se la proposta è stata unita a un'altra, l'identificativo di quella."),
            INTEGER,
        ),
    ),
)

ANSWERS = Table(
    key="risposte",
    title=_("Storico risposte"),
    description=_("Ogni cambio di stato di una proposta, con la risposta pubblicata allora."),
    columns=(
        Column(_("id proposta"), _("Identificativo della proposta."), INTEGER),
        Column(_("proposta"), _("Titolo della proposta."), TEXT),
        Column(_("da"), _("Stato precedente."), TEXT),
        Column(_("a"), _("Nuovo stato."), TEXT),
        Column(_("risposta"), _("Risposta ufficiale data con il cambio di stato."), TEXT),
        Column(_("data"), _("Quando è cambiato lo stato."), DATETIME),
    ),
)

COMMENTS = Table(
    key="commenti",
    title=_("Commenti"),
    description=_("Commenti pubblicati sulle proposte pubblicate (solo per chi modera)."),
    public=False,
    columns=(
        Column(_("id commento"), _("Identificativo del commento."), INTEGER),
        Column(_("id proposta"), _("Proposta commentata."), INTEGER),
        Column(_("proposta"), _("Titolo della proposta commentata."), TEXT),
        Column(_("risposta a"), _("Commento a cui risponde, se è una risposta."), INTEGER),
        Column(_("autore/autrice"), _("Nome pubblico di chi ha commentato."), TEXT, personal=True),
        Column(_("data"), _("Quando è stato scritto."), DATETIME),
        Column(_("testo"), _("Testo del commento."), TEXT),
    ),
)

PARTICIPATION = Table(
    key="partecipazione",
    title=_("Partecipazione"),
    description=_(
        "Chi ha partecipato, per fascia d'età, genere, zona e comune, con il tasso ogni 1.000 "
        "residenti; i gruppi troppo piccoli per non rivelare le persone sono «riservato»."
    ),
    columns=(
        Column(_("dimensione"), _("La caratteristica per cui si conta (età, zona…)."), TEXT),
        Column(_("gruppo"), _("Il gruppo contato."), TEXT),
        Column(
            _("partecipanti"),
            _("Persone partecipanti nel gruppo, oppure «riservato» o «meno di 5»."),
            TEXT,
        ),
        Column(_("quota (%)"), _("Quota sul totale di chi ha partecipato."), DECIMAL),
        Column(_("residenti"), _("Residenti del gruppo usati come denominatore."), INTEGER),
        Column(
            _("partecipanti ogni 1.000 residenti"),
            _("Partecipanti diviso residenti, per 1.000."),
            DECIMAL,
        ),
    ),
)

TABLES: dict[str, Table] = {
    table.key: table for table in (PROPOSALS, ANSWERS, COMMENTS, PARTICIPATION)
}
PUBLIC_TABLES = tuple(key for key, table in TABLES.items() if table.public)


def columns(table: Table, *, public: bool) -> list[Column]:
    """The columns of ``table`` an audience gets: without the personal ones when ``public``
    (``proposals.open_data.audience`` says who is ``public``)."""
    return [column for column in table.columns if not (public and column.personal)]


def header(table: Table, *, public: bool) -> list[str]:
    return [str(column.label) for column in columns(table, public=public)]


def cut(table: Table, row: list, *, public: bool) -> list:
    """``row`` (one value per column) without the personal columns when ``public``."""
    if not public:
        return row
    return [value for column, value in zip(table.columns, row, strict=True) if not column.personal]
