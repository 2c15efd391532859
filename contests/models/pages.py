"""ContestPage: the contest as a Wagtail page under an action, with its phases, prizes,
documents, criteria, jury and the public answers to questions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from psm.localisation import in_source_language

RICH = ["h3", "bold", "italic", "link", "ol", "ul"]


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("In arrivo")
    REGISTRATION = "registration", _("Iscrizioni aperte")
    SUBMISSION = "submission", _("Consegna dei progetti")
    JURY = "jury", _("Lavori della giuria")
    PUBLIC_VOTE = "public_vote", _("Voto pubblico")
    RESULTS = "results", _("Risultati")


class ContestPage(Page):
    """A contest of ideas or design for a place to regenerate."""

    intro = RichTextField(_("presentazione"), blank=True, features=RICH)
    brief = RichTextField(_("il tema (brief)"), features=RICH)
    # the place
    site_name = models.CharField(_("luogo o edificio"), max_length=160)
    site_street = models.CharField(_("indirizzo"), max_length=200, blank=True)
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune"),
        on_delete=models.PROTECT,
        related_name="contests",
    )
    latitude = models.DecimalField(
        _("latitudine"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitudine"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    # eligibility
    allow_individuals = models.BooleanField(_("aperto a singole persone"), default=True)
    allow_groups = models.BooleanField(_("aperto a gruppi informali"), default=True)
    allow_schools = models.BooleanField(_("aperto a classi e scuole"), default=True)
    allow_associations = models.BooleanField(_("aperto ad associazioni"), default=True)
    age_min = models.PositiveSmallIntegerField(_("età minima"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("età massima"), null=True, blank=True)
    max_team_size = models.PositiveSmallIntegerField(
        _("persone al massimo per squadra"), default=6, validators=[MinValueValidator(1)]
    )
    # phases (Rome time; each a moment to the second)
    registration_opens_at = models.DateTimeField(_("apertura delle iscrizioni"))
    questions_close_at = models.DateTimeField(
        _("termine per le domande"),
        help_text=_("Le risposte sono pubblicate su questa pagina, per tutte e tutti."),
    )
    submission_closes_at = models.DateTimeField(
        _("termine di consegna"),
        help_text=_("Ora di Roma. Un progetto inviato anche un secondo dopo è rifiutato."),
    )
    jury_ends_at = models.DateTimeField(_("fine dei lavori della giuria"))
    public_vote_enabled = models.BooleanField(_("voto pubblico"), default=False)
    public_vote_closes_at = models.DateTimeField(
        _("chiusura del voto pubblico"),
        null=True,
        blank=True,
        help_text=_("Il voto pubblico si apre alla fine dei lavori della giuria."),
    )
    public_vote_weight = models.DecimalField(
        _("peso del voto pubblico"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.50"))],
        help_text=_(
            "Dichiarato prima dell'apertura: 0,20 vuol dire 20 % voto pubblico e 80 % giuria."
        ),
    )
    results_at = models.DateTimeField(_("pubblicazione dei risultati"))
    follow_up = RichTextField(
        _("dopo il contest: co-progettazione e patto di collaborazione"),
        blank=True,
        features=RICH,
    )
    # files and jury
    max_file_mb = models.PositiveSmallIntegerField(
        _("dimensione massima di ogni file (MB)"), default=10
    )
    max_files = models.PositiveSmallIntegerField(_("file al massimo per progetto"), default=6)
    jurors_per_entry = models.PositiveSmallIntegerField(
        _("giurati/e per progetto"), default=2, validators=[MinValueValidator(1)]
    )
    score_max = models.PositiveSmallIntegerField(
        _("punteggio massimo di ogni criterio"), default=10, validators=[MinValueValidator(1)]
    )
    normalise_scores = models.BooleanField(
        _("normalizza i punteggi per giurato/a (z-score)"), default=False
    )
    disagreement_threshold = models.DecimalField(
        _("soglia di disaccordo"), max_digits=4, decimal_places=2, default=Decimal("2.00")
    )

    parent_page_types = ["psm.ActionPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("brief"),
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("site_street"),
                FieldPanel("comune"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Il luogo"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("allow_individuals"),
                FieldPanel("allow_groups"),
                FieldPanel("allow_schools"),
                FieldPanel("allow_associations"),
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                FieldPanel("max_team_size"),
            ],
            heading=_("Chi può partecipare"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_opens_at"),
                FieldPanel("questions_close_at"),
                FieldPanel("submission_closes_at"),
                FieldPanel("jury_ends_at"),
                FieldPanel("public_vote_enabled"),
                FieldRowPanel(
                    [FieldPanel("public_vote_closes_at"), FieldPanel("public_vote_weight")]
                ),
                FieldPanel("results_at"),
                FieldPanel("follow_up"),
            ],
            heading=_("Fasi"),
        ),
        InlinePanel("prizes", label=_("Premio")),
        InlinePanel("documents", label=_("Documento")),
        InlinePanel("answers", label=_("Domanda e risposta pubblica")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("max_file_mb"), FieldPanel("max_files")]),
                FieldPanel("jurors_per_entry"),
                FieldPanel("score_max"),
                FieldPanel("normalise_scores"),
                FieldPanel("disagreement_threshold"),
                InlinePanel("criteria", label=_("Criterio"), min_num=1),
                InlinePanel("jurors", label=_("Giurato/a")),
            ],
            heading=_("Giuria"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("brief")]

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contest")

    def clean(self):
        super().clean()
        errors = {}
        order = [
            ("registration_opens_at", self.registration_opens_at),
            ("questions_close_at", self.questions_close_at),
            ("submission_closes_at", self.submission_closes_at),
            ("jury_ends_at", self.jury_ends_at),
        ]
        if self.public_vote_enabled:
            if not self.public_vote_closes_at:
                errors["public_vote_closes_at"] = _("Indica quando si chiude il voto pubblico.")
            else:
                order.append(("public_vote_closes_at", self.public_vote_closes_at))
        order.append(("results_at", self.results_at))
        for (_n, before), (name, after) in zip(order, order[1:], strict=False):
            if before and after and after < before:
                errors.setdefault(name, _("Le fasi vanno in ordine: questa data è troppo presto."))
        if self.age_min and self.age_max and self.age_max < self.age_min:
            errors["age_max"] = _("L'età massima non può essere minore di quella minima.")
        if errors:
            raise ValidationError(errors)

    # ----------------------------------------------------------------- phases

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.registration_opens_at:
            return Phase.UPCOMING
        if now <= self.submission_closes_at:
            return Phase.SUBMISSION if now > self.questions_close_at else Phase.REGISTRATION
        if now <= self.jury_ends_at:
            return Phase.JURY
        if (
            self.public_vote_enabled
            and self.public_vote_closes_at
            and now <= self.public_vote_closes_at
        ):
            return Phase.PUBLIC_VOTE
        return Phase.RESULTS

    def accepts_entries(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now <= self.submission_closes_at

    def public_vote_open(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.public_vote_enabled
            and self.public_vote_closes_at
            and self.jury_ends_at < now <= self.public_vote_closes_at
        )

    def results_public(self, now=None) -> bool:
        return (now or timezone.now()) >= self.results_at and hasattr(self, "result")

    def allowed_kinds(self) -> list[str]:
        from contests.models.entries import EntrantKind

        pairs = [
            (self.allow_individuals, EntrantKind.INDIVIDUAL),
            (self.allow_groups, EntrantKind.GROUP),
            (self.allow_schools, EntrantKind.SCHOOL),
            (self.allow_associations, EntrantKind.ASSOCIATION),
        ]
        return [kind for allowed, kind in pairs if allowed]

    def get_context(self, request, *args, **kwargs):
        from contests.selectors import contest_page_context

        context = super().get_context(request, *args, **kwargs)
        # ``page`` is what is read (in its language); ``contest`` is where entries, votes and
        # results belong: the Italian page, also when an English one is read.
        contest = in_source_language(self)
        context["contest"] = contest
        context.update(contest_page_context(contest, request.user))
        return context


class ContestPrize(TranslatableMixin, Orderable):
    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="prizes")
    title = models.CharField(_("premio"), max_length=160)
    description = models.TextField(
        _("che cosa riceve chi vince"),
        blank=True,
        help_text=_("Un finanziamento, la concessione dello spazio, un accompagnamento…"),
    )

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class ContestDocument(TranslatableMixin, Orderable):
    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("titolo"), max_length=160)
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("label"), FieldPanel("document")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.label


class ContestAnswer(TranslatableMixin, Orderable):
    """A question asked during the questions phase and its public answer."""

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="answers")
    question = models.TextField(_("domanda"))
    answer = models.TextField(_("risposta"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.question[:60]


class ContestCriterion(TranslatableMixin, Orderable):
    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterio"), max_length=160)
    description = models.TextField(_("descrizione"), blank=True)
    weight = models.DecimalField(
        _("peso"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("weight")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class ContestJuror(Orderable):
    """A member of the jury of one contest."""

    contest = ParentalKey(ContestPage, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="contest_juries",
    )

    panels = [FieldPanel("user")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_seat_per_juror")
        ]

    def __str__(self) -> str:
        return str(self.user_id)
