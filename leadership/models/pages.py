"""ProgrammePage (an edition) and CallPage (the public call, "bando")."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from leadership.models.applications import Application, Category, SelectionRun
from leadership.predicates import is_coordinator, is_reviewer
from psm.caching import without_restricted
from psm.localisation import attach_reading_rows, in_source_language

RICH = ["h3", "bold", "italic", "link", "ol", "ul"]


class ProgrammePage(Page):
    """One edition of the civic leadership programme (e.g. 2027)."""

    edition = models.PositiveSmallIntegerField(_("edizione (anno)"))
    intro = RichTextField(_("presentazione"), blank=True, features=RICH)
    completion_min_share = models.DecimalField(
        _("presenza minima per tappa"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "Quota di incontri a cui partecipare in ogni tappa per completare il percorso "
            "(0,75 = 75 %)."
        ),
    )

    parent_page_types = ["psm.HomePage"]
    subpage_types = ["leadership.CallPage"]

    content_panels = Page.content_panels + [
        FieldPanel("edition"),
        FieldPanel("intro"),
        FieldPanel("completion_min_share"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("programma di leadership civica")
        verbose_name_plural = _("programmi di leadership civica")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Calls behind a view restriction are not listed (leadership.services.access.call_visible).
        calls = without_restricted(CallPage.objects.live().child_of(self))
        context["calls"] = calls.order_by("-closes_at")
        return context


class CallPage(Page):
    """The public call: who can apply, how, until when, and how people are chosen."""

    intro = RichTextField(_("presentazione"), blank=True, features=RICH)
    body = RichTextField(_("testo del bando"), blank=True, features=RICH)
    # eligibility
    age_min = models.PositiveSmallIntegerField(_("età minima"), default=18)
    age_max = models.PositiveSmallIntegerField(_("età massima"), default=35)
    residence_required = models.BooleanField(
        _("residenza nella Città metropolitana richiesta"), default=True
    )
    allow_students = models.BooleanField(_("aperto a studenti/esse"), default=True)
    allow_workers = models.BooleanField(_("aperto a lavoratori/trici"), default=True)
    allow_administrators = models.BooleanField(
        _("aperto ad amministratori/trici locali"), default=True
    )
    seats = models.PositiveSmallIntegerField(_("posti disponibili"), default=20)
    opens_at = models.DateTimeField(_("apertura delle candidature"))
    closes_at = models.DateTimeField(
        _("chiusura delle candidature"),
        help_text=_("Ora di Roma. Una candidatura inviata anche un secondo dopo è rifiutata."),
    )
    max_document_mb = models.PositiveSmallIntegerField(
        _("dimensione massima di ogni documento (MB)"), default=5
    )
    documents_reveal_identity = models.BooleanField(
        _("chi valuta può aprire i documenti"),
        default=False,
        help_text=_(
            "I documenti contengono il nome: se non spunti, la valutazione resta cieca e chi "
            "valuta vede solo le risposte alle domande."
        ),
    )
    # review
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("valutatori/trici per candidatura"), default=2, validators=[MinValueValidator(1)]
    )
    score_max = models.PositiveSmallIntegerField(
        _("punteggio massimo di ogni criterio"), default=5, validators=[MinValueValidator(1)]
    )
    normalise_scores = models.BooleanField(
        _("normalizza i punteggi per valutatore/trice (z-score)"), default=False
    )
    disagreement_threshold = models.DecimalField(
        _("soglia di disaccordo"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        help_text=_(
            "Scarto massimo tra i punteggi ponderati di chi valuta la stessa candidatura: "
            "oltre, la candidatura è segnalata."
        ),
    )
    review_deadline = models.DateTimeField(
        _("scadenza delle valutazioni"),
        null=True,
        blank=True,
        help_text=_(
            "Ora di Roma. Chi valuta riceve un promemoria il giorno prima se ha valutazioni "
            "ancora da inviare."
        ),
    )
    acceptance_days = models.PositiveSmallIntegerField(
        _("giorni per accettare il posto"), default=7, validators=[MinValueValidator(1)]
    )

    parent_page_types = ["leadership.ProgrammePage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("seats"),
            ],
            heading=_("Date e posti"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                FieldPanel("residence_required"),
                FieldPanel("allow_students"),
                FieldPanel("allow_workers"),
                FieldPanel("allow_administrators"),
            ],
            heading=_("Chi può candidarsi"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_document_mb"),
                FieldPanel("documents_reveal_identity"),
                InlinePanel("documents", label=_("Documento richiesto")),
            ],
            heading=_("Documenti"),
        ),
        InlinePanel("questions", label=_("Domanda")),
        MultiFieldPanel(
            [
                FieldPanel("reviewers_per_application"),
                FieldPanel("review_deadline"),
                FieldPanel("score_max"),
                FieldPanel("normalise_scores"),
                FieldPanel("disagreement_threshold"),
                InlinePanel("criteria", label=_("Criterio"), min_num=1),
            ],
            heading=_("Valutazione"),
        ),
        MultiFieldPanel(
            [FieldPanel("acceptance_days"), InlinePanel("quotas", label=_("Quota"))],
            heading=_("Selezione ed equilibrio"),
        ),
        InlinePanel("faqs", label=_("Domanda frequente")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("bando")
        verbose_name_plural = _("bandi")

    @property
    def programme(self) -> "ProgrammePage":
        return ProgrammePage.objects.get(pk=self.get_parent().pk)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) > self.closes_at

    def allowed_categories(self) -> list[str]:
        allowed = []
        if self.allow_students:
            allowed.append(Category.STUDENT)
        if self.allow_workers:
            allowed.append(Category.WORKER)
        if self.allow_administrators:
            allowed.append(Category.ADMINISTRATOR)
        return allowed

    def get_context(self, request, *args, **kwargs):
        """The call as the visitor sees it: their own application, if any, and their roles."""
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        # ``page`` is what is read (in its language); ``call`` is the one people apply to: the
        # Italian page, whose dates, rules, documents and questions decide (psm.localisation).
        call = in_source_language(self)
        application = None
        if user.is_authenticated:
            application = Application.objects.filter(call=call, applicant=user).first()
        context.update(
            {
                "call": call,
                "application": application,
                "is_open": call.is_open(),
                "is_closed": call.is_closed(),
                "categories": [Category(c).label for c in call.allowed_categories()],
                "selection_run": SelectionRun.objects.filter(call=call).first(),
                "quotas": call.quotas.select_related("zona"),
                # The Italian call's rows, with their words in the language being read.
                "documents": attach_reading_rows(call.documents.all()),
                "criteria": attach_reading_rows(call.criteria.all()),
                "faqs": attach_reading_rows(call.faqs.all()),
                "is_reviewer": is_reviewer(user),
                "is_coordinator": is_coordinator(user),
            }
        )
        return context


class CallDocument(TranslatableMixin, Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("documento"), max_length=120)
    help_text = models.CharField(_("indicazioni"), max_length=255, blank=True)
    required = models.BooleanField(_("obbligatorio"), default=True)

    panels = [FieldPanel("label"), FieldPanel("help_text"), FieldPanel("required")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("documento richiesto")

    def __str__(self) -> str:
        return self.label


class QuestionKind(models.TextChoices):
    SHORT = "short", _("Risposta breve")
    LONG = "long", _("Testo lungo")
    CHOICE = "choice", _("Scelta tra opzioni")


class CallQuestion(TranslatableMixin, Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("domanda"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=10, choices=QuestionKind.choices)
    max_chars = models.PositiveIntegerField(
        _("numero massimo di caratteri"), default=2000, validators=[MinValueValidator(1)]
    )
    choices = models.TextField(_("opzioni (una per riga)"), blank=True)
    required = models.BooleanField(_("obbligatoria"), default=True)

    panels = [
        FieldPanel("label"),
        FieldPanel("kind"),
        FieldPanel("max_chars"),
        FieldPanel("choices"),
        FieldPanel("required"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("domanda")

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def limit(self) -> int:
        return 200 if self.kind == QuestionKind.SHORT else self.max_chars

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class CallCriterion(TranslatableMixin, Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterio"), max_length=120)
    description = models.CharField(_("descrizione"), max_length=255, blank=True)
    weight = models.DecimalField(
        _("peso"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("weight")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("criterio di valutazione")

    def __str__(self) -> str:
        return self.name


class QuotaKind(models.TextChoices):
    """The balance rules a call can set (``leadership.selection.quotas`` describes each)."""

    GENDER_MAX_SHARE = "gender_cap", _("Tetto per genere")
    CATEGORY_MIN_SEATS = "category_seats", _("Posti minimi per categoria")
    OUTSIDE_TORINO_MIN_SHARE = "outside_torino", _("Quota minima da fuori Torino città")
    MOUNTAIN_MIN_SHARE = "mountain", _("Quota minima dai comuni montani")
    ZONA_MIN_SEATS = "zona_seats", _("Posti minimi per zona omogenea")
    ZONA_MAX_SHARE = "zona_cap", _("Tetto per zona omogenea")


#: Kinds whose value is a percentage of the seats; the others count seats.
SHARE_KINDS = frozenset(
    {
        QuotaKind.GENDER_MAX_SHARE,
        QuotaKind.OUTSIDE_TORINO_MIN_SHARE,
        QuotaKind.MOUNTAIN_MIN_SHARE,
        QuotaKind.ZONA_MAX_SHARE,
    }
)
CAP_KINDS = frozenset({QuotaKind.GENDER_MAX_SHARE, QuotaKind.ZONA_MAX_SHARE})


class CallQuota(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField(_("tipo di quota"), max_length=20, choices=QuotaKind.choices)
    value = models.DecimalField(
        _("valore"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Per quote e tetti: percentuale dei posti (40 = 40 %). Per categorie e zone: "
            "numero di posti."
        ),
    )
    zona = models.ForeignKey(
        "territory.ZonaOmogenea",
        verbose_name=_("zona omogenea"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Solo per i posti minimi per zona: lascia vuoto per applicarli a ogni zona."),
    )

    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("zona")]

    class Meta(Orderable.Meta):
        verbose_name = _("quota")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value}"

    def clean(self):
        super().clean()
        if self.value is None:
            return
        if self.kind in SHARE_KINDS and not (0 < self.value <= 100):
            raise ValidationError({"value": _("Indica una percentuale tra 1 e 100.")})
        if self.kind not in SHARE_KINDS and self.value != int(self.value):
            raise ValidationError({"value": _("Indica un numero intero di posti.")})
        if self.zona_id and self.kind != QuotaKind.ZONA_MIN_SEATS:
            raise ValidationError(
                {"zona": _("La zona si indica solo per i posti minimi per zona omogenea.")}
            )

    @property
    def display_value(self) -> str:
        """The value with its unit, e.g. "nessun genere oltre il 60 % dei posti", "almeno 2
        posti (ogni zona)"."""
        share = {"p": _number(self.value)}
        if self.kind == QuotaKind.GENDER_MAX_SHARE:
            return _("nessun genere oltre il %(p)s %% dei posti") % share
        if self.kind == QuotaKind.ZONA_MAX_SHARE:
            return _("nessuna zona oltre il %(p)s %% dei posti") % share
        if self.kind in SHARE_KINDS:
            return _("almeno il %(p)s %% dei posti") % share
        seats = int(self.value)
        text = ngettext("almeno %(n)d posto", "almeno %(n)d posti", seats) % {"n": seats}
        if self.kind == QuotaKind.ZONA_MIN_SEATS:
            where = str(self.zona) if self.zona_id else _("in ogni zona")
            return f"{text} ({where})"
        return _("%(seats)s per ciascuna categoria") % {"seats": text}


def _number(value: Decimal) -> str:
    """40.00 → "40", 12.50 → "12,5" (Italian decimal comma)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


class CallFaq(TranslatableMixin, Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("domanda"), max_length=255)
    answer = models.TextField(_("risposta"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("domanda frequente")

    def __str__(self) -> str:
        return self.question
