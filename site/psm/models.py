"""The plan as pages: HomePage → PlanPage → AxisPage → StrategyPage → ActionPage."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from psm.blocks import BodyBlock


class HomePage(Page):
    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenuto"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("pagina iniziale")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["plan"] = PlanPage.objects.live().child_of(self).first()
        return context


class PlanPage(Page):
    """The Piano Strategico Metropolitano as a whole."""

    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])
    source_note = models.CharField(_("fonte"), max_length=255, blank=True)

    parent_page_types = ["psm.HomePage"]
    subpage_types = ["psm.AxisPage"]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("source_note")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("piano strategico")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["axes"] = AxisPage.objects.live().child_of(self).order_by("code")
        return context


class AxisPage(Page):
    code = models.CharField(_("numero dell'asse"), max_length=4, unique=True)
    label = models.CharField(_("etichetta"), max_length=200, blank=True)
    summary = models.TextField(_("sintesi ufficiale"), blank=True)
    name_verified = models.BooleanField(
        _("nome verificato"),
        default=True,
        help_text=_(
            "Togli la spunta se il nome dell'asse non è confermato da una fonte ufficiale."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.PlanPage"]
    subpage_types = ["psm.StrategyPage"]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("label"), FieldPanel("name_verified")],
            heading=_("Identificazione"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("label"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("asse")
        verbose_name_plural = _("assi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        strategies = list(StrategyPage.objects.live().child_of(self).order_by("code"))
        actions_by_parent_path: dict[str, list[ActionPage]] = {}
        for action in ActionPage.objects.live().descendant_of(self).order_by("code"):
            actions_by_parent_path.setdefault(action.path[: -Page.steplen], []).append(action)
        context["strategy_rows"] = [
            (strategy, actions_by_parent_path.get(strategy.path, [])) for strategy in strategies
        ]
        return context


class StrategyPage(Page):
    code = models.CharField(_("codice"), max_length=10, unique=True)
    description = models.TextField(_("descrizione ufficiale"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.AxisPage"]
    subpage_types = ["psm.ActionPage"]

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("strategia")
        verbose_name_plural = _("strategie")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["actions"] = ActionPage.objects.live().child_of(self).order_by("code")
        return context


class ActionPage(Page):
    code = models.CharField(_("codice"), max_length=12, unique=True)
    short_title = models.CharField(_("titolo breve"), max_length=120)
    official_text = models.TextField(
        _("testo ufficiale"),
        help_text=_("Il testo dell'azione come approvato nel Piano Strategico Metropolitano."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("approfondimento"), blank=True)

    parent_page_types = ["psm.StrategyPage"]
    # Consultations live under the action they concern (the consultations app declares it).
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("short_title")], heading=_("Identificazione")
        ),
        FieldPanel("official_text"),
        FieldPanel("body"),
        InlinePanel("related_actions", label=_("Azioni collegate")),
        InlinePanel("implementation_updates", label=_("Stato di attuazione")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("official_text"),
        index.SearchField("short_title"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = [
            relation.target
            for relation in self.related_actions.select_related("target")
            if relation.target.live
        ]
        context["updates"] = self.implementation_updates.order_by("-date", "-pk")
        return context


class ActionRelation(Orderable):
    page = ParentalKey(ActionPage, on_delete=models.CASCADE, related_name="related_actions")
    target = models.ForeignKey(
        ActionPage,
        verbose_name=_("azione"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("target", page_type="psm.ActionPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("azione collegata")
        verbose_name_plural = _("azioni collegate")


class ImplementationUpdate(Orderable):
    """A dated "stato di attuazione" entry: what was done, and with whose input."""

    page = ParentalKey(ActionPage, on_delete=models.CASCADE, related_name="implementation_updates")
    date = models.DateField(_("data"))
    title = models.CharField(_("titolo"), max_length=160)
    text = RichTextField(_("testo"), features=["bold", "italic", "link", "ul"])
    link = models.URLField(_("per saperne di più"), blank=True)

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("text"), FieldPanel("link")]

    class Meta(Orderable.Meta):
        verbose_name = _("aggiornamento sullo stato di attuazione")
        verbose_name_plural = _("aggiornamenti sullo stato di attuazione")
