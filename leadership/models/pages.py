"""ProgrammePage (an edition) and CallPage (the public call, "bando")."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from leadership.models.applications import Application, Category, SelectionRun
from leadership.predicates import is_coordinator, is_reviewer

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
        context["calls"] = CallPage.objects.live().child_of(self).order_by("-closes_at")
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
        application = None
        if user.is_authenticated:
            application = Application.objects.filter(call=self, applicant=user).first()
        context.update(
            {
                "application": application,
                "is_open": self.is_open(),
                "is_closed": self.is_closed(),
                "categories": [Category(c).label for c in self.allowed_categories()],
                "selection_run": SelectionRun.objects.filter(call=self).first(),
                "is_reviewer": is_reviewer(user),
                "is_coordinator": is_coordinator(user),
            }
        )
        return context


class CallDocument(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("documento"), max_length=120)
    help_text = models.CharField(_("indicazioni"), max_length=255, blank=True)
    required = models.BooleanField(_("obbligatorio"), default=True)

    panels = [FieldPanel("label"), FieldPanel("help_text"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("documento richiesto")

    def __str__(self) -> str:
        return self.label


class QuestionKind(models.TextChoices):
    SHORT = "short", _("Risposta breve")
    LONG = "long", _("Testo lungo")
    CHOICE = "choice", _("Scelta tra opzioni")


class CallQuestion(Orderable):
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

    class Meta(Orderable.Meta):
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


class CallCriterion(Orderable):
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

    class Meta(Orderable.Meta):
        verbose_name = _("criterio di valutazione")

    def __str__(self) -> str:
        return self.name


class QuotaKind(models.TextChoices):
    GENDER_MIN_SHARE = "gender_share", _("Quota minima per ciascun genere (tra chi lo dichiara)")
    CATEGORY_MIN_SEATS = "category_seats", _("Posti minimi per ciascuna categoria")
    OUTSIDE_TORINO_MIN_SHARE = "outside_torino", _("Quota minima da fuori Torino città")
    MOUNTAIN_MIN_SHARE = "mountain", _("Quota minima da comuni montani")


class CallQuota(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField(_("tipo di quota"), max_length=20, choices=QuotaKind.choices)
    value = models.DecimalField(
        _("valore"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per le quote: percentuale (40 = 40 %). Per le categorie: numero di posti."),
    )

    panels = [FieldPanel("kind"), FieldPanel("value")]

    class Meta(Orderable.Meta):
        verbose_name = _("quota")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class CallFaq(Orderable):
    call = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("domanda"), max_length=255)
    answer = models.TextField(_("risposta"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("domanda frequente")

    def __str__(self) -> str:
        return self.question
